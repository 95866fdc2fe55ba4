"""GeoMatch's assignment step as a baseline for the benchmark (Bansak et al., *Science* 2018).

GeoMatch predicts each case's outcome in each location and then solves a one-to-one assignment of cases
to *slots*: a location's capacity is replicated into as many slots as it can take cases. Capacities are
decided in persons, so the slots per municipality are its remaining person capacity divided by the mean
household size, rounded, and at least one where there is any capacity. The minimum-cost assignment is
``scipy.optimize.linear_sum_assignment`` on the negated value (score plus wait priority). Pairs the hard
rules forbid (needs, ties, minors only where accepted: ``feasibility_mask``) get a prohibitive cost and
are never kept; approved self-settlements are placed first, as in Bro's solver, and take their persons
off the capacity the slots are made from.

A slot is a household of any size, so the assignment cannot keep households whole against capacities in
persons: a municipality given several large families goes over its decision, and one given singles is
left under it. ``GeoMatchResult`` reports where and by how many persons (and places for minors), which
is the point of showing it next to a solver that keeps the capacities exactly. Pure: numpy and SciPy.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import linear_sum_assignment

from bro.settlement.matching.problem import Instance, feasibility_mask, place_self_settlements
from bro.settlement.matching.result import MatchingResult, heuristic_result

#: Above this many cost-matrix entries ``solve_geomatch`` refuses (``TooLarge``) unless told otherwise.
#: Measured on one core (national_instance, seed 0): linear_sum_assignment takes 0.08 s at 446
#: households × 466 slots, 5.7 s at 2,255 × 2,294 and 55 s at 4,348 × 4,435 (time ~ n^3.2: the many
#: identical slots per municipality are ties it must work through), so some 25 minutes at the national
#: 13,000 × 13,700 (30,000 persons); float32 is no faster (67 s at 4,348 × 4,435). The same assignment as
#: a transportation LP (slots of a municipality are interchangeable; totally unimodular) gave the same
#: objective but took 35 s at 2,255 households with HiGHS, so it is no way round either.
LSA_MAX_ENTRIES = 12_000_000
#: Cost of a forbidden (household, slot) pair: far above any value, so only kept when forced, then dropped.
FORBIDDEN = 1.0e6


@dataclass
class GeoMatchResult:
    result: MatchingResult
    slots: int  # slots made from the capacities
    over_persons: list[dict] = field(default_factory=list)  # {municipality, capacity, placed, over}
    over_minors: list[dict] = field(default_factory=list)
    matrix_mb: float = 0.0  # size of the dense cost matrix
    build_s: float = 0.0
    assign_s: float = 0.0

    @property
    def municipalities_over_persons(self) -> int:
        return len(self.over_persons)

    @property
    def persons_over(self) -> int:
        return sum(entry["over"] for entry in self.over_persons)

    @property
    def minors_over(self) -> int:
        return sum(entry["over"] for entry in self.over_minors)

    def summary(self) -> dict:
        return {
            "slots": self.slots,
            "municipalities_over_person_capacity": self.municipalities_over_persons,
            "persons_over_capacity": self.persons_over,
            "municipalities_over_minor_capacity": len(self.over_minors),
            "minors_over_capacity": self.minors_over,
            "largest_overshoot": max(self.over_persons, key=lambda e: e["over"], default=None),
            "cost_matrix_mb": round(self.matrix_mb, 1),
            "build_s": round(self.build_s, 3),
            "assign_s": round(self.assign_s, 3),
        }


def slots_per_municipality(capacity_persons: np.ndarray, mean_household_size: float) -> np.ndarray:
    """Capacity in persons / mean household size, rounded; at least 1 where capacity is positive."""
    slots = np.rint(np.asarray(capacity_persons, dtype=float) / max(mean_household_size, 1e-9))
    slots = np.where(capacity_persons > 0, np.maximum(slots, 1), 0)
    return slots.astype(np.int64)


def _over(capacity: np.ndarray, load: np.ndarray, instance: Instance) -> list[dict]:
    return [
        {
            "municipality": instance.municipalities[j].id,
            "capacity": int(capacity[j]),
            "placed": int(load[j]),
            "over": int(load[j] - capacity[j]),
        }
        for j in np.flatnonzero(load > capacity)
    ]


class TooLarge(RuntimeError):
    """The dense households × slots assignment is beyond ``max_entries``: the reason says how large."""


def solve_geomatch(
    instance: Instance, *, dtype=np.float64, max_entries: int | None = LSA_MAX_ENTRIES
) -> GeoMatchResult:
    """GeoMatch's slot assignment with linear_sum_assignment on the dense households × slots matrix.

    Raises ``TooLarge`` when that matrix has more than ``max_entries`` entries (``None``: no limit).
    """
    started = time.perf_counter()
    mask = feasibility_mask(instance)
    placed, left_out = place_self_settlements(instance, mask)
    persons_left = instance.capacity_persons.copy()
    for i, j in placed.items():
        persons_left[j] -= instance.sizes[i]

    rows = np.array(
        [i for i, h in enumerate(instance.households) if not h.fixed_municipality and mask[i].any()],
        dtype=np.int64,
    )
    mean_size = float(instance.sizes[rows].mean()) if len(rows) else 1.0
    slots = slots_per_municipality(persons_left, mean_size)
    slot_municipality = np.repeat(np.arange(len(instance.municipalities)), slots)
    matrix_mb = len(rows) * len(slot_municipality) * np.dtype(dtype).itemsize / 1e6
    entries = len(rows) * len(slot_municipality)
    if max_entries is not None and entries > max_entries:
        raise TooLarge(
            f"{len(rows)} households × {len(slot_municipality)} slots = {entries:,} entries "
            f"({matrix_mb:,.0f} MB) is over {max_entries:,}: linear_sum_assignment grows as ~n^3.2 "
            "here (55 s at 4,348 × 4,435), so this would take tens of minutes"
        )
    build_s = assign_s = 0.0
    if len(rows) and len(slot_municipality):
        values = instance.value_matrix[rows].astype(dtype)
        cost = np.where(mask[rows], -values, dtype(FORBIDDEN))[:, slot_municipality]
        del values
        build_s = time.perf_counter() - started
        assigned_at = time.perf_counter()
        household_index, slot_index = linear_sum_assignment(cost)
        assign_s = time.perf_counter() - assigned_at
        keep = cost[household_index, slot_index] < FORBIDDEN / 2
        del cost
        placed.update(
            zip(
                rows[household_index[keep]].tolist(),
                slot_municipality[slot_index[keep]].tolist(),
                strict=True,
            )
        )

    load_persons = np.zeros(len(instance.municipalities), dtype=np.int64)
    load_minors = np.zeros(len(instance.municipalities), dtype=np.int64)
    for i, j in placed.items():
        load_persons[j] += instance.sizes[i]
        load_minors[j] += instance.minors[i]
    result = heuristic_result(instance, mask, placed, left_out, method="geomatch-lsa", started=started)
    return GeoMatchResult(
        result=result,
        slots=int(slots.sum()),
        over_persons=_over(instance.capacity_persons, load_persons, instance),
        over_minors=_over(instance.capacity_minors, load_minors, instance),
        matrix_mb=matrix_mb,
        build_s=build_s,
        assign_s=assign_s,
    )
