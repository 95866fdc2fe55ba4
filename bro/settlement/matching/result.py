"""What a solver returns, how it is scored and checked, and why households stay unassigned."""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np

from bro.settlement.matching.problem import (
    Instance,
    Unassigned,
    feasibility_mask,
    housing_fits,
    housing_left,
    rooms_needed,
    why_never_feasible,
)


@dataclass
class MatchingResult:
    """One solver's answer. ``lp_bound`` and ``gap_pct`` are ``None`` where the method has no bound."""

    method: str
    status: str
    objective: float
    time_s: float
    assignments: dict[str, str]
    unassigned: list[Unassigned]
    lp_bound: float | None = None
    gap_pct: float | None = None
    mip_dual_bound: float | None = None
    binding_constraints: list[dict] = field(default_factory=list)
    #: Phases, sizes and times of the run (solver-specific; for benchmarks and the decision record).
    log: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {
            "method": self.method,
            "status": self.status,
            "objective": self.objective,
            "lp_bound": self.lp_bound,
            "gap_pct": self.gap_pct,
            "mip_dual_bound": self.mip_dual_bound,
            "time_s": round(self.time_s, 3),
            "assignments": [
                {"household": household, "municipality": municipality}
                for household, municipality in self.assignments.items()
            ],
            "unassigned": [
                {"household": u.household_id, "constraint": u.constraint, "detail": u.detail}
                for u in self.unassigned
            ],
            "binding_constraints": self.binding_constraints,
            "log": self.log,
        }


def objective_of(instance: Instance, placed: dict[int, int]) -> float:
    values = instance.value_matrix
    return float(sum(values[i, j] for i, j in placed.items()))


def violations(instance: Instance, assignments: dict[str, str]) -> list[str]:
    """Every hard rule the assignment breaks (empty when it is valid)."""
    problems = []
    mask = feasibility_mask(instance)
    persons: dict[str, int] = defaultdict(int)
    minors: dict[str, int] = defaultdict(int)
    for household_id, municipality_id in assignments.items():
        i = instance.household_index.get(household_id)
        j = instance.municipality_index.get(municipality_id)
        if i is None or j is None:
            problems.append(f"{household_id} -> {municipality_id}: unknown household or municipality")
            continue
        if not mask[i, j]:
            problems.append(f"{household_id} -> {municipality_id}: pair not allowed")
        persons[municipality_id] += int(instance.sizes[i])
        minors[municipality_id] += int(instance.minors[i])
    for municipality in instance.municipalities:
        if persons[municipality.id] > municipality.capacity_persons:
            problems.append(f"{municipality.id}: {persons[municipality.id]} persons over capacity")
        if minors[municipality.id] > municipality.capacity_minors:
            problems.append(f"{municipality.id}: {minors[municipality.id]} minors over capacity")
    for household in instance.households:
        placed_in = assignments.get(household.id)
        if household.fixed_municipality and placed_in and placed_in != household.fixed_municipality:
            problems.append(f"{household.id}: self-settlement not respected")
    # Housing units: for every r, households needing at least r bedrooms <= units with at least r bedrooms
    # (self-settled households bring their own housing).
    for municipality in instance.municipalities:
        if municipality.housing_units is None:
            continue
        needs = sorted(
            rooms_needed(instance.households[instance.household_index[h]].size)
            for h, m in assignments.items()
            if m == municipality.id
            and h in instance.household_index
            and not instance.households[instance.household_index[h]].fixed_municipality
        )
        for k, rooms in enumerate(needs):
            if len(needs) - k > municipality.units_with_at_least(rooms):
                problems.append(
                    f"{municipality.id}: {len(needs) - k} households need at least {rooms} bedroom(s), "
                    f"{municipality.units_with_at_least(rooms)} such units"
                )
                break
    return problems


def explain_unassigned(
    instance: Instance,
    mask: np.ndarray,
    placed: dict[int, int],
    already: list[Unassigned],
    stopped_early: bool,
) -> tuple[list[Unassigned], list[dict]]:
    """Name, for each household left out, the constraint that keeps it out, and summarise the binding ones."""
    persons_left = instance.capacity_persons.copy()
    minors_left = instance.capacity_minors.copy()
    for i, j in placed.items():
        persons_left[j] -= instance.sizes[i]
        minors_left[j] -= instance.minors[i]
    units_left = housing_left(instance, placed)
    known = {u.household_id for u in already}
    unassigned = list(already)
    for i, household in enumerate(instance.households):
        if i in placed or household.id in known:
            continue
        if not mask[i].any():
            unassigned.append(why_never_feasible(instance, i))
            continue
        candidates = np.flatnonzero(mask[i])
        no_minor_room = candidates[instance.minors[i] > minors_left[candidates]]
        no_person_room = candidates[instance.sizes[i] > persons_left[candidates]]
        no_unit = candidates[~housing_fits(instance, i, units_left)[candidates]]
        blocked = set(no_minor_room.tolist()) | set(no_person_room.tolist()) | set(no_unit.tolist())
        if len(blocked) < len(candidates):
            constraint = "time_limit" if stopped_early else "objective"
            detail = (
                "the solver stopped at its time limit before placing it"
                if stopped_early
                else "placing it would not raise the objective (score and wait priority are zero)"
            )
        elif len(no_minor_room) == len(candidates):
            constraint = "capacity_minors"
            detail = (
                "capacity for unaccompanied minors is used up in every municipality that could take it "
                f"({len(candidates)})"
            )
        elif len(no_person_room) == len(candidates):
            constraint = "capacity_persons"
            detail = (
                f"person capacity is used up in every municipality that could take it ({len(candidates)})"
            )
        elif len(no_unit) == len(candidates):
            constraint = "housing_units"
            detail = (
                f"no free housing unit with at least {int(instance.rooms[i])} bedroom(s) is left in any "
                f"municipality that could take it ({len(candidates)})"
            )
        else:
            counts = {
                "capacity_minors": len(no_minor_room),
                "capacity_persons": len(no_person_room),
                "housing_units": len(no_unit),
            }
            constraint = max(counts, key=lambda c: (counts[c], c == "capacity_minors"))
            detail = (
                f"of the {len(candidates)} municipalities that could take it, capacity for unaccompanied "
                f"minors is used up in {len(no_minor_room)}, person capacity in {len(no_person_room)} and "
                f"suitable housing units in {len(no_unit)}"
            )
        unassigned.append(Unassigned(household.id, constraint, detail))
    return unassigned, summarise_binding(instance, unassigned)


def summarise_binding(instance: Instance, unassigned: list[Unassigned]) -> list[dict]:
    """One entry per constraint that leaves households out, with national totals where they explain it."""
    by_constraint: dict[str, list[str]] = defaultdict(list)
    for u in unassigned:
        by_constraint[u.constraint].append(u.household_id)
    totals = {
        "capacity_minors": (int(instance.minors.sum()), int(instance.capacity_minors.sum())),
        "capacity_persons": (int(instance.sizes.sum()), int(instance.capacity_persons.sum())),
    }
    names = {
        "capacity_minors": "capacity for unaccompanied minors",
        "capacity_persons": "person capacity",
        "housing_units": "housing units by number of bedrooms",
        "needs": "needs not met",
        "tie": "family or network tie",
        "self_settlement": "approved self-settlement",
        "objective": "no gain in the objective",
        "time_limit": "solver time limit",
    }
    summary = []
    for constraint, households in sorted(by_constraint.items()):
        entry = {"constraint": constraint, "name": names[constraint], "households": households}
        if constraint in totals:
            demand, places = totals[constraint]
            entry["detail"] = f"{demand} persons to place, {places} places in total"
        summary.append(entry)
    return summary


def heuristic_result(
    instance: Instance, mask, placed: dict[int, int], left_out, *, method: str, started: float
):
    """The result of a method without a bound of its own (greedy, GeoMatch): status ``heuristic``."""
    unassigned, binding = explain_unassigned(instance, mask, placed, left_out, stopped_early=False)
    return MatchingResult(
        method=method,
        status="heuristic",
        objective=objective_of(instance, placed),
        time_s=time.perf_counter() - started,
        assignments={
            instance.households[i].id: instance.municipalities[j].id for i, j in sorted(placed.items())
        },
        unassigned=unassigned,
        binding_constraints=binding,
    )
