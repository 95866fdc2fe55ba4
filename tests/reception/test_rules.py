"""The pure reception rules: stays and occupancy, age groups, demand for statutory services, ISO weeks."""

import datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bro.reception import rules

D = datetime.date
C1, C2, HOST = "centre-1", "centre-2", "municipality"


def test_a_stay_runs_from_arrival_until_settlement_and_permit_steps_do_not_break_it():
    """Residents are persons in the reception phases, where the centre is responsible (000:L78–91)."""
    events = [
        (D(2025, 1, 10), "arrival", C1),
        (D(2025, 1, 11), "reception", C1),
        (D(2025, 5, 1), "permit_granted", C1),
        (D(2025, 6, 1), "ready_for_settlement", C1),
        (D(2025, 9, 1), "settled", HOST),
        (D(2025, 10, 1), "in_programme", HOST),
    ]
    assert rules.stays_from_events("p", events) == [rules.Stay("p", C1, D(2025, 1, 10), D(2025, 9, 1))]


def test_a_move_between_centres_ends_one_stay_and_starts_another_the_same_day():
    events = [
        (D(2025, 1, 1), "arrival", C1),
        (D(2025, 1, 2), "reception", C1),
        (D(2025, 3, 1), "reception", C2),
    ]
    assert rules.stays_from_events("p", events) == [
        rules.Stay("p", C1, D(2025, 1, 1), D(2025, 3, 1)),
        rules.Stay("p", C2, D(2025, 3, 1), None),
    ]


def test_a_returned_person_is_no_longer_a_resident_although_the_centre_is_named_on_the_event():
    """The return event carries the centre forward (bro.people rules), but the person has left."""
    events = [
        (D(2025, 1, 1), "arrival", C1),
        (D(2025, 2, 1), "final_rejection", C1),
        (D(2025, 4, 1), "returned", C1),
    ]
    assert rules.stays_from_events("p", events) == [rules.Stay("p", C1, D(2025, 1, 1), D(2025, 4, 1))]


def test_a_same_day_move_leaves_no_empty_stay():
    events = [(D(2025, 1, 1), "arrival", C1), (D(2025, 1, 1), "reception", C2)]
    assert rules.stays_from_events("p", events) == [rules.Stay("p", C2, D(2025, 1, 1), None)]


def test_residents_on_a_day_count_stays_begun_by_then_and_not_yet_ended():
    stays = [
        rules.Stay(1, C1, D(2025, 1, 1), D(2025, 3, 1)),
        rules.Stay(2, C1, D(2025, 2, 1), None),
        rules.Stay(3, C1, D(2025, 3, 1), D(2025, 3, 2)),
    ]
    assert rules.residents_on(stays, D(2024, 12, 31)) == 0
    assert rules.residents_on(stays, D(2025, 1, 1)) == 1
    assert rules.residents_on(stays, D(2025, 2, 28)) == 2
    assert rules.residents_on(stays, D(2025, 3, 1)) == 2  # 1 left that day, 3 arrived
    assert rules.residents_on(stays, D(2025, 3, 2)) == 1
    assert rules.occupancy_series(stays, [D(2025, 1, 1), D(2025, 3, 1)]) == [1, 2]


@given(
    st.lists(st.tuples(st.integers(0, 400), st.one_of(st.none(), st.integers(1, 400))), max_size=30),
    st.integers(0, 800),
)
def test_residents_on_equals_a_day_by_day_count(spans, offset):
    start = D(2024, 1, 1)
    stays = [
        rules.Stay(
            i,
            C1,
            start + datetime.timedelta(days=a),
            None if n is None else start + datetime.timedelta(days=a + n),
        )
        for i, (a, n) in enumerate(spans)
    ]
    day = start + datetime.timedelta(days=offset)
    expected = sum(1 for s in stays if s.since <= day and (s.until is None or s.until > day))
    assert rules.residents_on(stays, day) == expected


def test_month_starts_cross_the_new_year_and_end_with_the_current_month():
    assert rules.month_starts(D(2026, 2, 15), 4) == [
        D(2025, 11, 1),
        D(2025, 12, 1),
        D(2026, 1, 1),
        D(2026, 2, 1),
    ]


@pytest.mark.parametrize(
    ("birth", "group"),
    [
        (D(2020, 3, 2), rules.AGE_0_5),  # 5 the day before the 6th birthday
        (D(2020, 3, 1), rules.AGE_6_15),  # 6 on the day
        (D(2010, 3, 2), rules.AGE_6_15),
        (D(2010, 3, 1), rules.AGE_16_17),
        (D(2008, 3, 2), rules.AGE_16_17),
        (D(2008, 3, 1), rules.AGE_18_PLUS),
    ],
)
def test_age_groups_change_on_the_birthday(birth, group):
    assert rules.age_group(birth, D(2026, 3, 1)) == group


def test_demand_from_ages_follows_the_stated_service_ages():
    """Kindergarten 1–5, school 6–15, health all, child welfare under 18 (002:L1256–1266; see rules)."""
    assert rules.demand_from_ages([0, 1, 5, 6, 15, 16, 17, 18, 40]) == {
        rules.KINDERGARTEN: 2,
        rules.SCHOOL: 2,
        rules.HEALTH: 9,
        rules.CHILD_WELFARE: 7,
    }


def test_announced_arrivals_count_by_age_group_and_departures_subtract():
    counts = {rules.AGE_0_5: 3, rules.AGE_6_15: 10, rules.AGE_16_17: 4, rules.AGE_18_PLUS: 30}
    arriving = rules.demand_from_groups(rules.signed_counts(rules.ARRIVALS, counts))
    assert arriving == {rules.KINDERGARTEN: 3, rules.SCHOOL: 10, rules.HEALTH: 47, rules.CHILD_WELFARE: 17}
    leaving = rules.demand_from_groups(rules.signed_counts(rules.DEPARTURES, counts))
    now = {rules.KINDERGARTEN: 1, rules.SCHOOL: 12, rules.HEALTH: 50, rules.CHILD_WELFARE: 13}
    assert rules.add_demand(now, leaving) == {
        rules.KINDERGARTEN: 0,  # never below zero
        rules.SCHOOL: 2,
        rules.HEALTH: 3,
        rules.CHILD_WELFARE: 0,
    }


def test_over_capacity_only_when_a_capacity_is_recorded_and_exceeded():
    assert rules.over_capacity(11, 10)
    assert not rules.over_capacity(10, 10)
    assert not rules.over_capacity(100, None)


def test_occupancy_change_rules():
    today = D(2026, 3, 10)
    some = {rules.AGE_18_PLUS: 5}
    assert rules.occupancy_change_errors(rules.ARRIVALS, today, some, today) == {}
    assert rules.occupancy_change_errors(rules.ARRIVALS, today, {}, today) == {
        rules.AGE_0_5: "count_required"
    }
    assert rules.occupancy_change_errors(rules.ARRIVALS, today, {rules.AGE_6_15: -1}, today) == {
        rules.AGE_6_15: "count_negative"
    }
    assert rules.occupancy_change_errors(rules.PLANNED_OPENING, D(2026, 3, 9), {}, today) == {
        "effective_date": "planned_date_in_past"
    }
    assert rules.occupancy_change_errors(rules.PLANNED_CLOSING, D(2026, 6, 1), {}, today) == {}
    assert rules.occupancy_change_errors(rules.DEPARTURES, D(2026, 2, 1), some, today) == {
        "effective_date": "date_too_late"
    }
    assert rules.occupancy_change_errors(rules.ARRIVALS, D(2027, 6, 1), some, today) == {
        "effective_date": "date_too_far_ahead"
    }
    assert "kind" in rules.occupancy_change_errors("holiday", today, some, today)


def test_value_on_takes_the_latest_value_in_force():
    history = [(D(2025, 1, 1), 80), (D(2025, 7, 1), 120), (D(2026, 1, 1), 60)]
    assert rules.value_on(history, D(2024, 12, 31)) is None
    assert rules.value_on(history, D(2025, 7, 1)) == 120
    assert rules.value_on(reversed(history), D(2026, 5, 1)) == 60


@pytest.mark.parametrize(
    ("year", "weeks"), [(2015, 53), (2020, 53), (2026, 53), (2021, 52), (2024, 52), (2025, 52)]
)
def test_iso_years_have_52_or_53_weeks(year, weeks):
    assert rules.weeks_in_iso_year(year) == weeks


def _week(**overrides):
    values = {
        "iso_year": 2026,
        "iso_week": 10,
        "hours_offered": Decimal("12"),
        "hours_attended": Decimal("9.5"),
        "social_studies_hours": Decimal("2"),
        "today": D(2026, 12, 31),
        "arrived_on": D(2025, 6, 1),
    }
    values.update(overrides)
    return rules.training_week_errors(**values)


def test_training_week_rules():
    """Hours offered and attended per week (002:L19–93); attended ≤ offered; no future weeks."""
    assert _week() == {}
    assert _week(iso_week=53) == {}  # 2026 has a week 53
    assert _week(iso_year=2025, iso_week=53) == {"iso_week": "week_does_not_exist"}
    assert _week(iso_week=0) == {"iso_week": "week_does_not_exist"}
    assert _week(today=D(2026, 3, 1)) == {"iso_week": "week_in_future"}  # week 10 starts 2 March
    assert _week(today=D(2026, 3, 2)) == {}  # the current week may be recorded
    assert _week(arrived_on=D(2026, 3, 9)) == {"iso_week": "week_before_arrival"}
    assert _week(arrived_on=D(2026, 3, 8)) == {}  # arrived on the Sunday of that week
    assert _week(hours_attended=Decimal("12.5")) == {"hours_attended": "attended_more_than_offered"}
    assert _week(hours_offered=Decimal("41")) == {"hours_offered": "hours_too_many"}
    assert _week(hours_attended=Decimal("-1")) == {"hours_attended": "hours_negative"}
    assert _week(social_studies_hours=Decimal("13")) == {
        "social_studies_hours": "social_studies_more_than_offered"
    }
    assert _week(social_studies_hours=None) == {}
    assert _week(iso_year=1999) == {"iso_year": "year_out_of_range"}


def test_training_totals_and_attendance():
    totals = rules.training_totals(
        [
            (Decimal("10"), Decimal("8"), Decimal("2")),
            (Decimal("10"), Decimal("7"), None),
            (Decimal("0"), Decimal("0"), None),
        ]
    )
    assert (totals.weeks, totals.hours_offered, totals.hours_attended) == (3, Decimal("20"), Decimal("15"))
    assert (totals.social_studies_hours, totals.weeks_with_social_studies) == (Decimal("2"), 1)
    assert totals.attendance_percent == 75
    assert rules.training_totals([]).attendance_percent is None
