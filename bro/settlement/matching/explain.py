"""Why one household got its municipality: the value there, the next best ones, and what ruled others out.

Issue 4 ("each proposal shows the predicted outcome, the next best municipalities with their predictions,
and which constraints ruled others out"). Pure: the Django result page renders this dictionary.
"""

from __future__ import annotations

import numpy as np

from bro.settlement.matching.problem import Instance, housing_fits, housing_left, room_level, rooms_needed

#: The order in which a municipality's exclusion is attributed: the first rule that excludes it counts.
RULES = ("tie", "self_settlement", "needs", "capacity_minors", "capacity_persons", "housing_units", "full")

RULE_NAMES = {
    "tie": "family or network tie to another municipality",
    "self_settlement": "approved self-settlement in another municipality",
    "needs": "does not offer every service the household needs",
    "capacity_minors": "no (or too few) places for unaccompanied minors",
    "capacity_persons": "remaining capacity smaller than the household",
    "housing_units": "no housing unit with enough bedrooms",
    "full": "could take it, but its capacity is used by the households placed in this run",
}


def _placed_indices(instance: Instance, assignments: dict[str, str]) -> dict[int, int]:
    return {
        instance.household_index[h]: instance.municipality_index[m]
        for h, m in assignments.items()
        if h in instance.household_index and m in instance.municipality_index
    }


def _loads(instance: Instance, placed: dict[int, int]):
    """Persons and minors left per municipality, and free units, after every placement in ``placed``."""
    persons_left = instance.capacity_persons.astype(float).copy()
    minors_left = instance.capacity_minors.astype(float).copy()
    if placed:
        rows = np.fromiter(placed.keys(), dtype=np.int64)
        cols = np.fromiter(placed.values(), dtype=np.int64)
        np.subtract.at(persons_left, cols, instance.sizes[rows])
        np.subtract.at(minors_left, cols, instance.minors[rows])
    return persons_left, minors_left, housing_left(instance, placed)


def explain_household(
    instance: Instance, household_index: int, result, top: int = 3, examples: int = 3, *, _shared=None
) -> dict:
    """For household ``household_index``: its municipality and value, the ``top`` next best feasible ones
    (with their values and whether they still had room in ``result``), and, per rule, how many
    municipalities it ruled out with a few examples.

    ``result`` is a ``MatchingResult`` (only ``assignments`` and ``unassigned`` are read). Values are the
    objective contributions (``Instance.value_matrix``: predicted outcome plus wait priority); ``score``
    is the predicted outcome alone.
    """
    i = household_index
    household = instance.households[i]
    municipalities = instance.municipalities
    n = len(municipalities)
    if _shared is None:
        placed = _placed_indices(instance, result.assignments)
        _shared = (placed, *_loads(instance, placed))
    placed, all_persons_left, all_minors_left, all_units_left = _shared
    chosen = placed.get(i)
    values, scores = instance.value_matrix[i], instance.score_matrix[i]

    # Room left for this household if it were moved: everyone else's placements stay.
    persons_left, minors_left, units_left = all_persons_left.copy(), all_minors_left.copy(), all_units_left
    if chosen is not None:
        persons_left[chosen] += instance.sizes[i]
        minors_left[chosen] += instance.minors[i]
        if not instance.fixed[i] and len(instance.room_levels):
            units_left = all_units_left.copy()
            units_left[: room_level(instance, i) + 1, chosen] += 1
    units_fit = housing_fits(instance, i, units_left)
    has_room = (persons_left >= instance.sizes[i]) & (minors_left >= instance.minors[i]) & units_fit

    rooms = rooms_needed(household.size)
    reason: list[str | None] = [None] * n
    index = instance.municipality_index
    fixed_j = index.get(household.fixed_municipality) if household.fixed_municipality else None
    tie_j = index.get(household.tie_municipality) if household.tie_municipality else None
    for j, municipality in enumerate(municipalities):
        if household.fixed_municipality and j != fixed_j:
            reason[j] = "self_settlement"
        elif household.tie_municipality and j != tie_j:
            reason[j] = "tie"
        elif not household.needs <= municipality.services:
            reason[j] = "needs"
        elif household.unaccompanied_minor and municipality.capacity_minors < household.size:
            reason[j] = "capacity_minors"
        elif municipality.capacity_persons < household.size:
            reason[j] = "capacity_persons"
        elif not household.fixed_municipality and municipality.units_with_at_least(rooms) == 0:
            reason[j] = "housing_units"
        elif j != chosen and not has_room[j]:
            reason[j] = "full"

    feasible = [j for j in range(n) if reason[j] in (None, "full")]
    alternatives = sorted((j for j in feasible if j != chosen), key=lambda j: (-values[j], j))[:top]

    ruled_out = {}
    for rule in RULES:
        hit = [j for j in range(n) if reason[j] == rule]
        if hit:
            best_first = sorted(hit, key=lambda j: (-values[j], j))
            ruled_out[rule] = {
                "name": RULE_NAMES[rule],
                "count": len(hit),
                "examples": [municipalities[j].id for j in best_first[:examples]],
            }

    unassigned = next((u for u in result.unassigned if u.household_id == household.id), None)
    return {
        "household": household.id,
        "municipality": municipalities[chosen].id if chosen is not None else None,
        "value": float(values[chosen]) if chosen is not None else None,
        "score": float(scores[chosen]) if chosen is not None else None,
        "unassigned": (
            {"constraint": unassigned.constraint, "detail": unassigned.detail} if unassigned else None
        ),
        "rooms_needed": rooms,
        "feasible_count": len(feasible),
        "alternatives": [
            {
                "municipality": municipalities[j].id,
                "value": float(values[j]),
                "score": float(scores[j]),
                "value_difference": float(values[j] - values[chosen]) if chosen is not None else None,
                "has_room": bool(has_room[j]),
            }
            for j in alternatives
        ],
        "ruled_out": ruled_out,
    }


def explain_all(instance: Instance, result, top: int = 3) -> list[dict]:
    """``explain_household`` for every household, in input order (the loads are counted once)."""
    placed = _placed_indices(instance, result.assignments)
    shared = (placed, *_loads(instance, placed))
    return [
        explain_household(instance, i, result, top=top, _shared=shared)
        for i in range(len(instance.households))
    ]


__all__ = ["RULES", "RULE_NAMES", "explain_all", "explain_household"]
