"""Pure rules for housing and agreed self-settlement: numbers and dates in, answers out. No Django.

Each rule cites its source. The housing norm changes by decision, so it lives as dated data in
``rates/housing_norms.csv`` (one row per norm, with ``valid_from`` and its source).
"""

from __future__ import annotations

import csv
import datetime
import statistics
from dataclasses import dataclass
from functools import cache
from pathlib import Path

NORMS_FILE = Path(__file__).resolve().parent / "rates" / "housing_norms.csv"


@dataclass(frozen=True)
class HousingNorm:
    valid_from: datetime.date
    persons_per_bedroom: int
    studio_persons: int
    min_m2_per_person: int
    source: str


@cache
def _norms(path: Path = NORMS_FILE) -> tuple[HousingNorm, ...]:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = [
            HousingNorm(
                valid_from=datetime.date.fromisoformat(row["valid_from"]),
                persons_per_bedroom=int(row["persons_per_bedroom"]),
                studio_persons=int(row["studio_persons"]),
                min_m2_per_person=int(row["min_m2_per_person"]),
                source=row["source"],
            )
            for row in csv.DictReader(handle)
        ]
    return tuple(sorted(rows, key=lambda n: n.valid_from))


def norm_on(day: datetime.date, norms: tuple[HousingNorm, ...] | None = None) -> HousingNorm:
    """The housing norm in force on ``day``: the newest row whose ``valid_from`` is not after it."""
    norms = _norms() if norms is None else norms
    in_force = [n for n in norms if n.valid_from <= day]
    if not in_force:
        raise LookupError(f"no housing norm valid on {day.isoformat()}")
    return in_force[-1]


def unit_capacity(*, bedrooms: int, size_m2: int, norm: HousingNorm) -> int:
    """How many persons a unit fits: "suitable for family size" (004:L1324), by the dated norm.

    The smaller of the bedroom limit (persons per bedroom; a studio counts as ``studio_persons``) and
    the area limit (whole persons per ``min_m2_per_person``). Never below zero.
    """
    by_rooms = norm.persons_per_bedroom * bedrooms if bedrooms > 0 else norm.studio_persons
    by_area = size_m2 // norm.min_m2_per_person if norm.min_m2_per_person > 0 else by_rooms
    return max(0, min(by_rooms, by_area))


def unit_fits_household(*, bedrooms: int, size_m2: int, household_size: int, norm: HousingNorm) -> bool:
    return household_size <= unit_capacity(bedrooms=bedrooms, size_m2=size_m2, norm=norm)


def periods_overlap(
    a_from: datetime.date, a_to: datetime.date | None, b_from: datetime.date, b_to: datetime.date | None
) -> bool:
    """Two allocation periods share a day (an open end means "until further notice")."""
    return (a_to is None or b_from <= a_to) and (b_to is None or a_from <= b_to)


def processing_days(submitted_on: datetime.date, decided_on: datetime.date | None) -> int | None:
    """Days from a self-settlement request to the municipality's decision (slow processing: 002:L247)."""
    if decided_on is None:
        return None
    return (decided_on - submitted_on).days


def median_processing_days(days: list[int]) -> float | None:
    """The median processing time of decided requests; None when there are none."""
    return statistics.median(days) if days else None


# Husleieloven § 3-5 [public rule]: a deposit may not exceed six months' rent.
MAX_DEPOSIT_MONTHS = 6


def deposit_within_limit(deposit, monthly_rent) -> bool:
    """The deposit in a rental contract is at most six months' rent (husleieloven § 3-5)."""
    return deposit <= monthly_rent * MAX_DEPOSIT_MONTHS
