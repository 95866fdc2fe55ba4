"""The settlement cycle's pure rules: the deadline date arithmetic, waiting times and counting against
the council decision."""

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bro.settlement import rules, targets

D = datetime.date


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (D(2025, 8, 31), 6, D(2026, 2, 28)),  # month end clamps to February's last day
        (D(2023, 8, 31), 6, D(2024, 2, 29)),  # leap year
        (D(2023, 11, 30), 3, D(2024, 2, 29)),  # 3 months for minors, leap year
        (D(2024, 11, 30), 3, D(2025, 2, 28)),
        (D(2024, 2, 29), 6, D(2024, 8, 29)),  # from a leap day
        (D(2024, 2, 29), 12, D(2025, 2, 28)),
        (D(2025, 1, 31), 3, D(2025, 4, 30)),
        (D(2025, 7, 15), 6, D(2026, 1, 15)),  # across the year end
        (D(2025, 12, 31), 3, D(2026, 3, 31)),
    ],
)
def test_adding_months_clamps_to_the_month_end(start, months, expected):
    """[public rule] "settled within 6 (3) months of the permit": same date N months later, or the last
    day of that month when it has no such date."""
    assert rules.add_months(start, months) == expected


@pytest.mark.parametrize(
    ("permit", "day", "months", "status"),
    [
        (D(2025, 8, 31), D(2026, 2, 28), 6, rules.NEAR),  # the deadline day itself is within
        (D(2025, 8, 31), D(2026, 3, 1), 6, rules.OVER),  # the day after is over
        (D(2023, 8, 31), D(2024, 2, 29), 6, rules.NEAR),  # leap year: 29 Feb is the deadline
        (D(2023, 8, 31), D(2024, 3, 1), 6, rules.OVER),
        (D(2025, 1, 10), D(2025, 4, 10), 3, rules.NEAR),  # unaccompanied minor, on the deadline
        (D(2025, 1, 10), D(2025, 4, 11), 3, rules.OVER),
        (D(2025, 1, 10), D(2025, 3, 11), 3, rules.NEAR),  # 30 days left
        (D(2025, 1, 10), D(2025, 3, 10), 3, rules.WITHIN),  # 31 days left
        (D(2025, 1, 10), D(2025, 2, 1), 3, rules.WITHIN),
        (D(2025, 1, 10), D(2025, 4, 11), 6, rules.WITHIN),  # the same day is fine for adults
    ],
)
def test_over_target_around_the_3_and_6_month_boundaries(permit, day, months, status):
    """DOMAIN.md §3 [public rule]: settled within 6 months of the permit, 3 for unaccompanied minors."""
    assert rules.waiting(permit, day, months).status == status


def test_near_means_at_most_30_days_left():
    permit = D(2025, 1, 10)  # deadline 2025-07-10
    assert rules.waiting(permit, D(2025, 6, 10), 6).status == rules.NEAR  # 30 days left
    assert rules.waiting(permit, D(2025, 6, 9), 6).status == rules.WITHIN  # 31 days left


def test_waiting_counts_days_and_whole_months():
    w = rules.waiting(D(2025, 8, 31), D(2026, 3, 2), 6)
    assert w.days == 183
    assert w.months == 6  # 28 Feb is six months after 31 Aug; 2 March is not yet seven
    assert w.deadline == D(2026, 2, 28)
    assert w.days_over == 2
    assert rules.whole_months_between(D(2025, 1, 31), D(2025, 2, 27)) == 0
    assert rules.whole_months_between(D(2025, 1, 31), D(2025, 2, 28)) == 1
    assert rules.whole_months_between(D(2025, 5, 1), D(2025, 4, 1)) == 0


@given(st.dates(min_value=D(2000, 1, 1), max_value=D(2090, 12, 31)), st.integers(min_value=0, max_value=36))
def test_add_months_lands_in_the_right_month_and_never_past_the_day(start, months):
    result = rules.add_months(start, months)
    assert (result.year * 12 + result.month) - (start.year * 12 + start.month) == months
    assert result.day <= start.day
    assert result.day == start.day or result.month != (result + datetime.timedelta(days=1)).month


@given(
    st.dates(min_value=D(2000, 1, 1), max_value=D(2090, 12, 31)),
    st.integers(min_value=0, max_value=800),
    st.sampled_from([3, 6]),
)
def test_over_target_exactly_when_past_the_deadline(permit, days, months):
    day = permit + datetime.timedelta(days=days)
    w = rules.waiting(permit, day, months)
    assert (w.status == rules.OVER) == (day > rules.add_months(permit, months))
    assert rules.add_months(permit, w.months) <= day < rules.add_months(permit, w.months + 1)


def test_the_targets_are_dated_rule_data_with_a_source():
    loaded = targets.target_rules()
    assert {r.group for r in loaded} == {rules.ORDINARY, rules.UNACCOMPANIED_MINOR}
    assert all(r.source.startswith("[public rule]") for r in loaded)
    assert targets.target_months(False, D(2025, 5, 1)) == 6
    assert targets.target_months(True, D(2025, 5, 1)) == 3


def test_the_newest_rule_in_force_applies():
    table = [
        rules.TargetRule("ordinary", 6, D(2016, 1, 1), "a"),
        rules.TargetRule("ordinary", 5, D(2030, 1, 1), "b"),
    ]
    assert rules.target_for(table, "ordinary", D(2029, 12, 31)).months == 6
    assert rules.target_for(table, "ordinary", D(2030, 1, 1)).months == 5
    assert rules.target_for(table, "ordinary", D(2015, 1, 1)) is None


def test_the_eleventh_ordinary_settlement_exceeds_a_decision_of_ten_family_reunification_does_not():
    """004:L1307–1313: settle up to the decided figure; family reunifications come on top; settling more
    than decided needs a political or administrative decision."""
    settlements = [False] * 10 + [True] + [False]
    flags = rules.flag_settlements(10, settlements)
    assert flags == [False] * 10 + [False] + [True]
    count = rules.count_against_decision(10, settlements)
    assert (count.ordinary, count.family_reunification, count.exceeded_by, count.remaining) == (11, 1, 1, 0)
    assert rules.count_against_decision(10, [False] * 10 + [True] * 5).exceeds is False
    assert (
        rules.would_exceed(10, 10, 1)
        and not rules.would_exceed(10, 9, 1)
        and not rules.would_exceed(10, 10, 0)
    )


def test_without_a_decision_every_ordinary_settlement_exceeds_it():
    assert rules.flag_settlements(None, [False, True]) == [True, False]


@given(st.integers(min_value=0, max_value=50), st.lists(st.booleans(), max_size=80))
def test_flags_count_only_ordinary_settlements_beyond_the_decision(decided, family):
    flags = rules.flag_settlements(decided, family)
    assert sum(flags) == rules.count_against_decision(decided, family).exceeded_by
    assert not any(f and fam for f, fam in zip(flags, family, strict=True))


def test_input_checks():
    today = D(2026, 6, 1)
    assert rules.year_error(1999, today) == "year_out_of_range"
    assert rules.year_error(2027, today) is None
    assert rules.year_error(2028, today) == "year_out_of_range"
    assert rules.count_error(10, 11) == ("unaccompanied_minors", "minors_exceed_persons")
    assert rules.count_error(-1, 0) == ("persons", "negative")
    assert rules.count_error(20, 6) is None
    assert rules.county_split_error(100, 10, {"55": (60, 5), "18": (50, 5)}) == "split_exceeds_need"
    assert rules.county_split_error(100, 10, {"55": (60, 11)}) == "split_minors_exceed_need"
    assert rules.county_split_error(100, 10, {"55": (60, 10)}) is None


def test_one_offer_after_a_refusal_only_with_a_reason():
    """004:L1264–1270: one offer of a settlement municipality."""
    common = {"all_ready": True, "has_open_proposal": False}
    assert rules.proposal_error(**common, refused=True, override_reason=" ") == "offer_already_refused"
    assert rules.proposal_error(**common, refused=True, override_reason="New family situation") is None
    assert rules.proposal_error(
        all_ready=False, has_open_proposal=False, refused=False, override_reason=""
    ) == ("household_not_ready")
    assert rules.proposal_error(
        all_ready=True, has_open_proposal=True, refused=False, override_reason=""
    ) == ("proposal_already_open")
