"""The matching problem: households, municipalities, scores, and which pairs the hard rules allow.

Hard rules (issue 4, DOMAIN.md §3): households are never split; a municipality takes at most its
remaining capacity in persons, and unaccompanied minors only within its separate capacity for minors
(zero when the council said no); a household's needs must all be among the municipality's services; a
family or network tie limits the household to that municipality, and so does an approved agreed
self-settlement, which is moreover placed before anyone else (it is agreed, not proposed).

Optionally a municipality offers housing units by number of bedrooms (``housing_units``); a household
the municipality settles then needs one unit with at least ``rooms_needed(size)`` bedrooms. Households in
an approved self-settlement find their own housing and use none of these units.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path

import numpy as np

HOUSING_NORMS = Path(__file__).resolve().parents[1] / "housing" / "rates" / "housing_norms.csv"


@cache
def _housing_norm() -> tuple[int, int]:
    """(persons per bedroom, persons a studio takes) from the housing norm in force (latest row)."""
    with HOUSING_NORMS.open(encoding="utf-8") as handle:
        latest = max(csv.DictReader(handle), key=lambda row: row["valid_from"])
    return int(latest["persons_per_bedroom"]), int(latest["studio_persons"])


def rooms_needed(size: int) -> int:
    """Bedrooms a household of ``size`` persons needs (0 = a studio will do).

    The norm is the housing app's (bro/settlement/housing/rates/housing_norms.csv, decision 0009): at
    most two persons per bedroom, and a studio takes two.
    """
    per_bedroom, studio = _housing_norm()
    return 0 if size <= studio else -(-size // per_bedroom)


@dataclass(frozen=True)
class Household:
    id: str
    size: int
    adults: int
    children: int
    unaccompanied_minor: bool = False
    needs: frozenset[str] = frozenset()
    tie_municipality: str | None = None
    fixed_municipality: str | None = None
    days_waited: int = 0

    def __post_init__(self):
        if self.size < 1:
            raise ValueError(f"household {self.id}: size must be at least 1")
        if self.adults < 0 or self.children < 0 or self.adults + self.children != self.size:
            raise ValueError(f"household {self.id}: adults + children must equal size")
        if self.days_waited < 0:
            raise ValueError(f"household {self.id}: days_waited must not be negative")

    @property
    def target_municipality(self) -> str | None:
        """The one municipality a tie or an approved self-settlement limits the household to."""
        return self.fixed_municipality or self.tie_municipality


@dataclass(frozen=True)
class Municipality:
    id: str
    capacity_persons: int
    capacity_minors: int = 0
    services: frozenset[str] = frozenset()
    #: Housing units available, by number of bedrooms (0 = studio); ``None`` = no housing constraint.
    housing_units: dict[int, int] | None = field(default=None, hash=False)

    def __post_init__(self):
        if self.capacity_persons < 0 or self.capacity_minors < 0:
            raise ValueError(f"municipality {self.id}: capacities must not be negative")
        if self.housing_units is not None:
            for rooms, units in self.housing_units.items():
                if not isinstance(rooms, int) or not isinstance(units, int) or rooms < 0 or units < 0:
                    raise ValueError(f"municipality {self.id}: housing units must map rooms ≥ 0 to units ≥ 0")

    def units_with_at_least(self, rooms: int) -> int | None:
        """Units with at least ``rooms`` bedrooms, or ``None`` when housing is not limited here."""
        if self.housing_units is None:
            return None
        return sum(units for r, units in self.housing_units.items() if r >= rooms)


@dataclass(frozen=True)
class Instance:
    """One matching run's input.

    ``scores`` is either a mapping ``(household_id, municipality_id) -> predicted outcome`` (missing pairs
    score 0) or a matrix with one row per household and one column per municipality, in input order.
    A placed household adds its score plus ``wait_weight * days_waited`` to the objective, so long waits
    win when capacity is short.
    """

    households: tuple[Household, ...]
    municipalities: tuple[Municipality, ...]
    scores: object = field(default_factory=dict, compare=False, repr=False)
    wait_weight: float = 0.0

    def __post_init__(self):
        object.__setattr__(self, "households", tuple(self.households))
        object.__setattr__(self, "municipalities", tuple(self.municipalities))
        for kind, items in (("household", self.households), ("municipality", self.municipalities)):
            seen = set()
            for item in items:
                if item.id in seen:
                    raise ValueError(f"duplicate {kind} id {item.id!r}")
                seen.add(item.id)

    @cached_property
    def household_index(self) -> dict[str, int]:
        return {h.id: i for i, h in enumerate(self.households)}

    @cached_property
    def municipality_index(self) -> dict[str, int]:
        return {m.id: j for j, m in enumerate(self.municipalities)}

    @cached_property
    def score_matrix(self) -> np.ndarray:
        shape = (len(self.households), len(self.municipalities))
        if isinstance(self.scores, np.ndarray):
            if self.scores.shape != shape:
                raise ValueError(f"score matrix has shape {self.scores.shape}, expected {shape}")
            return np.asarray(self.scores, dtype=float)
        matrix = np.zeros(shape)
        for (household_id, municipality_id), value in dict(self.scores).items():
            if household_id not in self.household_index:
                raise ValueError(f"score for unknown household {household_id!r}")
            if municipality_id not in self.municipality_index:
                raise ValueError(f"score for unknown municipality {municipality_id!r}")
            matrix[self.household_index[household_id], self.municipality_index[municipality_id]] = value
        return matrix

    @cached_property
    def value_matrix(self) -> np.ndarray:
        """What placing household i in municipality j adds to the objective."""
        waits = np.array([h.days_waited for h in self.households], dtype=float)
        return self.score_matrix + self.wait_weight * waits[:, None]

    @cached_property
    def sizes(self) -> np.ndarray:
        return np.array([h.size for h in self.households], dtype=np.int64)

    @cached_property
    def minors(self) -> np.ndarray:
        """Persons each household counts against a capacity for unaccompanied minors."""
        return np.array([h.size if h.unaccompanied_minor else 0 for h in self.households], dtype=np.int64)

    @cached_property
    def rooms(self) -> np.ndarray:
        """Bedrooms each household needs (``rooms_needed``)."""
        return np.array([rooms_needed(h.size) for h in self.households], dtype=np.int64)

    @cached_property
    def fixed(self) -> np.ndarray:
        """Households in an approved self-settlement (they bring their own housing)."""
        return np.array([bool(h.fixed_municipality) for h in self.households], dtype=bool)

    @cached_property
    def room_levels(self) -> np.ndarray:
        """The distinct bedroom needs among households that may use a municipality's units."""
        return np.unique(self.rooms[~self.fixed]) if len(self.households) else np.zeros(0, dtype=np.int64)

    @cached_property
    def units_at_least(self) -> np.ndarray:
        """Units with at least ``room_levels[r]`` bedrooms in municipality j (huge where unlimited)."""
        levels = self.room_levels
        out = np.full((len(levels), len(self.municipalities)), np.iinfo(np.int64).max // 4, dtype=np.int64)
        for j, municipality in enumerate(self.municipalities):
            if municipality.housing_units is not None:
                for r, level in enumerate(levels.tolist()):
                    out[r, j] = municipality.units_with_at_least(level)
        return out

    @cached_property
    def has_housing_limit(self) -> np.ndarray:
        return np.array([m.housing_units is not None for m in self.municipalities], dtype=bool)

    @cached_property
    def capacity_persons(self) -> np.ndarray:
        return np.array([m.capacity_persons for m in self.municipalities], dtype=np.int64)

    @cached_property
    def capacity_minors(self) -> np.ndarray:
        return np.array([m.capacity_minors for m in self.municipalities], dtype=np.int64)


@dataclass(frozen=True)
class Unassigned:
    """A household the run leaves unplaced, with the constraint that keeps it out.

    ``constraint`` is one of ``capacity_minors``, ``capacity_persons``, ``housing_units``, ``needs``,
    ``tie``, ``self_settlement``, ``objective`` (placing it adds nothing) or ``time_limit``.
    """

    household_id: str
    constraint: str
    detail: str


def feasibility_mask(instance: Instance) -> np.ndarray:
    """Boolean matrix (households × municipalities): may household i ever go to municipality j?

    Capacity is checked against each municipality on its own (the household must fit in it at all);
    sharing capacity between households is the solver's job.
    """
    n_households, n_municipalities = len(instance.households), len(instance.municipalities)
    needs = sorted({need for h in instance.households for need in h.needs})
    need_column = {need: k for k, need in enumerate(needs)}
    needed = np.zeros((n_households, len(needs)), dtype=np.int32)
    for i, household in enumerate(instance.households):
        for need in household.needs:
            needed[i, need_column[need]] = 1
    missing = np.ones((len(needs), n_municipalities), dtype=np.int32)
    for j, municipality in enumerate(instance.municipalities):
        for service in municipality.services:
            if service in need_column:
                missing[need_column[service], j] = 0
    mask = (needed @ missing) == 0
    mask &= instance.sizes[:, None] <= instance.capacity_persons[None, :]
    is_minor = instance.minors > 0
    mask[is_minor] &= instance.minors[is_minor, None] <= instance.capacity_minors[None, :]
    mask &= housing_mask(instance)
    for i, household in enumerate(instance.households):
        tie, fixed = household.tie_municipality, household.fixed_municipality
        if tie and fixed and tie != fixed:
            mask[i] = False
            continue
        target = household.target_municipality
        if target is not None:
            j = instance.municipality_index.get(target)
            keep = mask[i, j] if j is not None else False
            mask[i] = False
            if j is not None:
                mask[i, j] = keep
    return mask


def housing_mask(instance: Instance) -> np.ndarray:
    """Households × municipalities: is there any housing unit big enough (self-settlements always yes)?"""
    mask = np.ones((len(instance.households), len(instance.municipalities)), dtype=bool)
    if not instance.has_housing_limit.any() or not len(instance.room_levels):
        return mask
    level = np.searchsorted(instance.room_levels, instance.rooms)
    level = np.minimum(level, len(instance.room_levels) - 1)
    mask = instance.units_at_least[level] > 0
    mask[instance.fixed] = True
    return mask


def feasible_pairs(instance: Instance) -> list[tuple[str, str]]:
    """Every (household id, municipality id) pair the hard rules allow, capacity aside from sharing."""
    rows, cols = np.nonzero(feasibility_mask(instance))
    return [
        (instance.households[i].id, instance.municipalities[j].id)
        for i, j in zip(rows.tolist(), cols.tolist(), strict=True)
    ]


def why_never_feasible(instance: Instance, i: int) -> Unassigned:
    """Explain a household that has no feasible municipality at all."""
    household = instance.households[i]
    if (
        household.tie_municipality
        and household.fixed_municipality
        and household.tie_municipality != household.fixed_municipality
    ):
        return Unassigned(
            household.id,
            "self_settlement",
            f"approved self-settlement in {household.fixed_municipality} conflicts with the tie to "
            f"{household.tie_municipality}",
        )
    candidates = list(instance.municipalities)
    target = household.target_municipality
    if target is not None:
        constraint = "self_settlement" if household.fixed_municipality else "tie"
        if target not in instance.municipality_index:
            return Unassigned(household.id, constraint, f"municipality {target} is not in this run")
        candidates = [instance.municipalities[instance.municipality_index[target]]]
    with_services = [m for m in candidates if household.needs <= m.services]
    if not with_services:
        offered = set().union(*(m.services for m in candidates)) if candidates else set()
        lacking = sorted(household.needs - offered) or sorted(household.needs)
        return Unassigned(
            household.id, "needs", f"no municipality in reach meets every need ({', '.join(lacking)})"
        )
    if household.unaccompanied_minor:
        accepting = [m for m in with_services if m.capacity_minors >= household.size]
        if not accepting:
            return Unassigned(
                household.id,
                "capacity_minors",
                f"capacity for unaccompanied minors: no municipality meeting its needs has "
                f"{household.size} place(s) for minors",
            )
        with_services = accepting
    with_room = [m for m in with_services if m.capacity_persons >= household.size]
    if with_room and not household.fixed_municipality:
        rooms = rooms_needed(household.size)
        if all(m.units_with_at_least(rooms) == 0 for m in with_room):
            return Unassigned(
                household.id,
                "housing_units",
                f"housing: no municipality meeting its needs with room for {household.size} persons has a "
                f"unit with at least {rooms} bedroom(s)",
            )
    return Unassigned(
        household.id,
        "capacity_persons",
        f"person capacity: no municipality meeting its needs has room for {household.size} persons",
    )


def place_self_settlements(instance: Instance, mask: np.ndarray) -> tuple[dict[int, int], list[Unassigned]]:
    """Place approved self-settlements first, longest wait first, while the municipality has room.

    They are agreed, not proposed, so no solver may trade them away; they still cannot exceed a
    municipality's remaining capacity, and those that do are reported.
    """
    placed: dict[int, int] = {}
    left_out: list[Unassigned] = []
    persons = instance.capacity_persons.copy()
    minors = instance.capacity_minors.copy()
    fixed = [i for i, h in enumerate(instance.households) if h.fixed_municipality and mask[i].any()]
    for i in sorted(fixed, key=lambda i: (-instance.households[i].days_waited, i)):
        j = int(np.flatnonzero(mask[i])[0])
        if instance.sizes[i] <= persons[j] and instance.minors[i] <= minors[j]:
            placed[i] = j
            persons[j] -= instance.sizes[i]
            minors[j] -= instance.minors[i]
        else:
            kind = "capacity_minors" if instance.minors[i] > minors[j] else "capacity_persons"
            label = "capacity for unaccompanied minors" if kind == "capacity_minors" else "person capacity"
            left_out.append(
                Unassigned(
                    instance.households[i].id,
                    kind,
                    f"{label} of {instance.municipalities[j].id} is taken by other approved self-settlements",
                )
            )
    return placed, left_out


def room_level(instance: Instance, i: int) -> int:
    """Index into ``instance.room_levels`` of household i's bedroom need."""
    return int(np.searchsorted(instance.room_levels, instance.rooms[i]))


def housing_left(instance: Instance, placed: dict[int, int]) -> np.ndarray:
    """Units with at least ``room_levels[r]`` bedrooms still free in municipality j after ``placed``."""
    left = instance.units_at_least.copy()
    for i, j in placed.items():
        if not instance.fixed[i] and len(instance.room_levels):
            left[: room_level(instance, i) + 1, j] -= 1
    return left


def housing_fits(instance: Instance, i: int, left: np.ndarray) -> np.ndarray:
    """Per municipality: would household i still find a unit, given the free units ``left``?"""
    if instance.fixed[i] or not len(instance.room_levels):
        return np.ones(len(instance.municipalities), dtype=bool)
    return left[: room_level(instance, i) + 1].min(axis=0) >= 1
