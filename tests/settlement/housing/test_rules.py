"""The pure housing rules: unit size against household size, periods, processing time, deposit."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bro.settlement.housing import rules

NORM = rules.HousingNorm(
    valid_from=datetime.date(2020, 1, 1),
    persons_per_bedroom=2,
    studio_persons=2,
    min_m2_per_person=10,
    source="test",
)


def test_the_norm_in_force_is_the_newest_row_not_after_the_day():
    """Dated rule data (ARCHITECTURE: rules that change live as data with valid_from)."""
    later = rules.HousingNorm(datetime.date(2027, 1, 1), 3, 2, 8, "later")
    norms = (NORM, later)
    assert rules.norm_on(datetime.date(2026, 12, 31), norms) is NORM
    assert rules.norm_on(datetime.date(2027, 1, 1), norms) is later
    with pytest.raises(LookupError):
        rules.norm_on(datetime.date(2019, 12, 31), norms)
    assert rules.norm_on(datetime.date(2000, 1, 1)).valid_from == datetime.date(2000, 1, 1)


def test_the_shipped_norm_file_has_a_source_for_every_row():
    norm = rules.norm_on(datetime.date.today())
    assert norm.persons_per_bedroom == 2 and norm.min_m2_per_person == 10
    assert "004:L1324" in norm.source


@pytest.mark.parametrize(
    ("bedrooms", "size_m2", "capacity"),
    [
        (2, 50, 4),  # bedrooms limit
        (3, 55, 5),  # area limit
        (0, 25, 2),  # studio counts as two
        (0, 15, 1),  # small studio: area limit
        (2, 40, 4),  # exactly 10 m² per person
        (2, 39, 3),  # one square metre short
        (1, 9, 0),  # too small for anyone
    ],
)
def test_unit_capacity_is_the_smaller_of_the_bedroom_and_area_limits(bedrooms, size_m2, capacity):
    """004:L1324: housing suitable for family size; the norm is the assumption in rates/housing_norms.csv."""
    assert rules.unit_capacity(bedrooms=bedrooms, size_m2=size_m2, norm=NORM) == capacity


def test_a_household_fits_up_to_the_capacity_and_not_one_more():
    assert rules.unit_fits_household(bedrooms=2, size_m2=62, household_size=4, norm=NORM)
    assert not rules.unit_fits_household(bedrooms=2, size_m2=62, household_size=5, norm=NORM)


@given(
    bedrooms=st.integers(0, 10),
    size=st.integers(0, 400),
    more_bedrooms=st.integers(0, 3),
    more_m2=st.integers(0, 50),
)
def test_capacity_never_falls_when_a_unit_grows_and_respects_both_limits(
    bedrooms, size, more_bedrooms, more_m2
):
    small = rules.unit_capacity(bedrooms=bedrooms, size_m2=size, norm=NORM)
    big = rules.unit_capacity(bedrooms=bedrooms + more_bedrooms, size_m2=size + more_m2, norm=NORM)
    assert 0 <= small <= big
    assert small <= size // 10
    assert small <= max(2 * bedrooms, 2)


def test_periods_overlap_on_shared_days_and_open_ends():
    d = datetime.date
    assert rules.periods_overlap(d(2025, 1, 1), d(2025, 1, 31), d(2025, 1, 31), None)  # the same last day
    assert not rules.periods_overlap(d(2025, 1, 1), d(2025, 1, 30), d(2025, 1, 31), None)
    assert rules.periods_overlap(d(2025, 1, 1), None, d(2030, 1, 1), d(2030, 2, 1))
    assert not rules.periods_overlap(d(2025, 3, 1), None, d(2025, 1, 1), d(2025, 2, 28))


def test_processing_time_is_days_from_submission_to_decision():
    """002:L247: self-settlement requests take long to process, so the time is measured."""
    assert rules.processing_days(datetime.date(2025, 1, 1), datetime.date(2025, 2, 1)) == 31
    assert rules.processing_days(datetime.date(2025, 1, 1), datetime.date(2025, 1, 1)) == 0
    assert rules.processing_days(datetime.date(2025, 1, 1), None) is None
    assert rules.median_processing_days([10, 40, 20]) == 20
    assert rules.median_processing_days([10, 20]) == 15
    assert rules.median_processing_days([]) is None


def test_a_deposit_is_at_most_six_months_rent():
    """Husleieloven § 3-5 [public rule]."""
    assert rules.deposit_within_limit(Decimal("60000"), Decimal("10000"))
    assert not rules.deposit_within_limit(Decimal("60000.01"), Decimal("10000"))
