"""The introduction benefit month by month, with unexcused absence from the attendance weeks (issue 5).

2 G a year, two thirds under 25 (004:L384–389); an hour of unexcused absence costs the yearly rate / 1950
hours (37.5 h × 52 weeks, 004:L1466–1467; our reading of the hour-for-hour rule, rates/benefit.yaml). A week
counts in the month of its Thursday (our choice, bro/qualification/attendance/__init__.py).
"""

from __future__ import annotations

import datetime
import sys
import types
from decimal import Decimal

import pytest
from django.http import Http404
from django.utils import timezone, translation

from bro.core.models import AuditAction, AuditEntry
from bro.core.roles import Role
from bro.people.phases import Phase
from bro.qualification import attendance as att
from bro.qualification import rules
from bro.qualification import services as q
from tests.conftest import days_ago
from tests.qualification.test_attendance import build_case, fresh

D = Decimal
NBSP = "\u00a0"


@pytest.fixture
def adviser(users):
    return att.Actor(users[Role.PROGRAMME_ADVISER])


@pytest.fixture
def case(arrive, adviser, chain):
    return build_case(arrive, adviser, chain.adult_education)


# --- weeks in months, months shown, money --------------------------------------------------------------


@pytest.mark.parametrize(
    ("iso_year", "iso_week", "month"),
    [
        (2025, 1, (2025, 1)),  # Monday 30 Dec 2024, Thursday 2 Jan 2025
        (2024, 44, (2024, 10)),  # Monday 28 Oct, Thursday 31 Oct
        (2025, 14, (2025, 4)),  # Monday 31 Mar, Thursday 3 Apr
        (2020, 53, (2020, 12)),  # Thursday 31 Dec 2020
        (2026, 53, (2026, 12)),  # Thursday 31 Dec 2026
    ],
)
def test_a_week_counts_in_the_month_of_its_thursday(iso_year, iso_week, month):
    assert att.benefit_month_of_week(iso_year, iso_week) == month


def test_unexcused_hours_are_summed_per_month_each_hour_once():
    weeks = [(2025, 13, D("2")), (2025, 14, D("7.5")), (2025, 15, D("1")), (2025, 18, D("3"))]
    # week 18: Monday 28 April, Thursday 1 May
    assert att.unexcused_by_month(weeks) == {(2025, 3): D("2"), (2025, 4): D("8.5"), (2025, 5): D("3")}


def test_the_months_shown_run_newest_first_across_the_new_year_and_stop_at_24():
    assert att.months_between(datetime.date(2025, 11, 20), datetime.date(2026, 2, 1)) == [
        (2026, 2),
        (2026, 1),
        (2025, 12),
        (2025, 11),
    ]
    many = att.months_between(datetime.date(2020, 1, 1), datetime.date(2026, 11, 22))
    assert len(many) == 24 and many[0] == (2026, 11) and many[-1] == (2024, 12)


def test_money_is_written_the_norwegian_way():
    assert att.format_kroner(D("21693")) == f"21{NBSP}693{NBSP}kr"
    assert att.format_kroner(D("133.50")) == f"133,50{NBSP}kr"
    assert att.format_kroner(D("1260320")) == f"1{NBSP}260{NBSP}320{NBSP}kr"
    assert att.format_kroner(D("0")) == f"0{NBSP}kr"


def test_a_month_with_7_5_unexcused_hours_is_explained_in_words():
    """June 2025, G 130 160 (from 1 May 2025): 2 G = 260 320 a year; in the programme 20 of 30 days →
    14 462 kr; 7.5 h × 133,50 kr (260 320 / 1950) = 1 001 kr deducted; 13 461 kr paid."""
    month = rules.benefit_month(
        birth_date=datetime.date(1990, 5, 17),
        year=2025,
        month=6,
        programme_start=datetime.date(2025, 6, 11),
        programme_end=None,
        unexcused_hours=D("7.5"),
    )
    assert (month.gross, month.reduction, month.net) == (D("14462"), D("1001"), D("13461"))
    with translation.override("en"):
        lines = att.explain(month)
    assert lines == [
        f"G is 130{NBSP}160{NBSP}kr, in force from 05/01/2025.",
        f"Age 35 on the first day of the month: 2 G, 260{NBSP}320{NBSP}kr a year.",
        f"In the programme 20 of 30 days: 14{NBSP}462{NBSP}kr.",
        f"7.5 hours of unexcused absence × 133,50{NBSP}kr an hour (the yearly rate / 1950 hours) = "
        f"1{NBSP}001{NBSP}kr deducted.",
        f"To be paid: 13{NBSP}461{NBSP}kr.",
    ]


def test_under_25_and_a_capped_deduction_are_explained():
    month = rules.benefit_month(
        birth_date=datetime.date(2003, 1, 15),
        year=2025,
        month=9,
        programme_start=datetime.date(2025, 1, 1),
        programme_end=None,
        unexcused_hours=D("37.5") * 5,
    )
    with translation.override("en"):
        lines = att.explain(month)
    assert (
        lines[1]
        == f"Age 22 on the first day of the month, under 25: 2/3 of 2 G, 173{NBSP}547{NBSP}kr a year."
    )
    assert lines[2] == f"In the programme the whole month: a twelfth of the yearly rate, 14{NBSP}462{NBSP}kr."
    assert "it is limited to 14\u00a0462\u00a0kr" in lines[4] and lines[-1] == f"To be paid: 0{NBSP}kr."


# --- the benefit of a case -----------------------------------------------------------------------------


def unexcused_week(teacher_or_adviser, case, ago_days: int, hours: str):
    """Record ``hours`` unexcused (and the rest of the 15 planned Norwegian hours attended) in the week
    ``ago_days`` days ago; returns (iso_year, iso_week)."""
    year, week, _day = days_ago(ago_days).isocalendar()
    key = case.plan_versions.get().measures.get(kind="norwegian").key
    att.record_week(
        teacher_or_adviser,
        case,
        measure_key=key,
        iso_year=year,
        iso_week=week,
        hours_attended=D("15") - D(hours),
        unexcused_absence_hours=D(hours),
    )
    return year, week


def test_the_months_unexcused_hours_give_the_reduction_rules_compute(adviser, case, users):
    year, week = unexcused_week(adviser, case, 60, "7.5")
    month = att.benefit_month_of_week(year, week)
    [found] = att.benefit_months(adviser.user, case, months=[month])
    expected = rules.benefit_month(
        birth_date=case.person.birth_date,
        year=month[0],
        month=month[1],
        programme_start=case.programme_start,
        programme_end=att.programme_end(case),
        unexcused_hours=D("7.5"),
    )
    assert found == expected
    assert (
        found.unexcused_hours == D("7.5")
        and found.reduction > 0
        and found.net == found.gross - found.reduction
    )
    assert AuditEntry.objects.filter(
        action=AuditAction.READ, object_type="qualification.benefit", person_id=case.person_id
    ).exists()


def test_the_benefit_page_shows_the_months_newest_first_with_the_deduction(client, adviser, case):
    year, week = unexcused_week(adviser, case, 60, "7.5")
    month = att.benefit_month_of_week(year, week)
    [expected] = att.benefit_months(adviser.user, case, months=[month])
    client.force_login(adviser.user)
    body = client.get(
        f"/qualification/participants/{case.pk}/benefit/", HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    today = timezone.localdate()
    newest = datetime.date(today.year, today.month, 1).strftime("%B %Y")
    assert body.index(newest) < body.index(datetime.date(*month, 1).strftime("%B %Y"))
    assert att.format_kroner(expected.reduction) + " deducted" in body
    assert "7.5 hours of unexcused absence" in body
    assert body.count("<tr>") - 1 == len(att.default_benefit_months(case, today))


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (Role.TEACHER, 200),
        (Role.MUNICIPAL_SETTLEMENT_OFFICER, 200),
        (Role.LEADERSHIP, 404),
        (Role.VOLUNTEER, 404),
    ],
)
def test_the_benefit_is_read_by_whoever_reads_the_case(client, users, case, role, status):
    client.force_login(users[role])
    assert client.get(f"/qualification/participants/{case.pk}/benefit/").status_code == status


def test_nobody_outside_the_case_gets_the_benefit_from_the_selector(users, case):
    with pytest.raises(Http404):
        att.benefit_months(users[Role.LEADERSHIP], case, months=[(2026, 1)])


def test_no_benefit_before_the_programme_starts(client, arrive, adviser, chain):
    person = arrive(Phase.SETTLED, immigrant_category="refugee")
    case = fresh(q.open_case(adviser, person, adult_education=chain.adult_education))
    assert att.default_benefit_months(case, timezone.localdate()) == []
    client.force_login(adviser.user)
    body = client.get(
        f"/qualification/participants/{case.pk}/benefit/", HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "The programme has not started" in body


def test_the_benefit_stops_when_the_case_ends(adviser, case):
    q.end_programme(adviser, fresh(case), on=days_ago(40), reason="work")
    case = fresh(case)
    assert att.programme_end(case) == days_ago(40)
    months = att.default_benefit_months(case, timezone.localdate())
    assert months[0] == (days_ago(40).year, days_ago(40).month)


def test_the_programme_end_comes_from_the_decisions_when_they_know_it(monkeypatch, case):
    """Approved leave extends the period (decisions.programme_end); attendance and benefit follow it."""
    later = datetime.date(2031, 1, 31)
    monkeypatch.setitem(
        sys.modules, "bro.qualification.decisions", types.SimpleNamespace(programme_end=lambda p: later)
    )
    assert att.programme_end(case) == later
