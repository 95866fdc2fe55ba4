"""What a solver returns, how it is scored and checked, and why households stay unassigned."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np

from bro.settlement.matching.problem import Instance, Unassigned, feasibility_mask, why_never_feasible


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
        blocked = set(no_minor_room.tolist()) | set(no_person_room.tolist())
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
        else:
            constraint = "capacity_minors"
            detail = (
                f"capacity for unaccompanied minors is used up in {len(no_minor_room)} and person "
                f"capacity in {len(no_person_room)} of the municipalities that could take it"
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
