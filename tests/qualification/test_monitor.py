"""The deadline monitor (issue 5, acceptance 3): deadlines per case and adviser, what is late and why."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.http import Http404
from django.urls import reverse
from django.utils import timezone, translation

from bro.core.models import AuditEntry
from bro.core.roles import OrganisationKind, Role
from bro.people.phases import Phase
from bro.qualification import monitor as m
from bro.qualification import rules
from bro.qualification import services as q
from bro.qualification.models import AttendanceWeek, Decision, Deviation
from tests.conftest import days_ago, make_org, make_user

pytestmark = pytest.mark.django_db


def _deadline(row_or_rows, code):
    deadlines = row_or_rows.deadlines if hasattr(row_or_rows, "deadlines") else row_or_rows
    return next(d for d in deadlines if d.code == code)


def _case_rows(result):
    return [row for group in result.groups for row in group.cases]


def _row_for(result, participant):
    return next(row for row in _case_rows(result) if row.participant.pk == participant.pk)


@pytest.fixture
def mapped(open_participant, adviser_actor):
    """The open case with its competence mapping done in time, not yet started."""
    q.save_mapping(adviser_actor, open_participant, q.MappingInput(completed_on=days_ago(196)))
    return open_participant


def _start_late(actor, participant, days_late: int, cause: str):
    due = rules.programme_start_deadline(participant.settlement_date).due
    q.start_programme(actor, participant, on=due + datetime.timedelta(days=days_late), delay_cause=cause)
    participant.refresh_from_db()
    return due


def _monitor(user, municipality, **kwargs):
    kwargs.setdefault("today", timezone.localdate())
    return m.monitor(user, municipality, **kwargs)


# --- acceptance 3 ---------------------------------------------------------------------------------------


def test_late_start_caused_by_missing_health_check_shows_as_deviation_with_its_cause(
    mapped, adviser_actor, users, chain
):
    """A programme started 9 days after the 3-month deadline (004:L1275) because of a missing health check
    is a deviation and a breach of law (004:L1283–1285); the monitor shows it with that cause."""
    due = _start_late(adviser_actor, mapped, 9, "health_check")

    result = _monitor(users[Role.PROGRAMME_ADVISER], chain.harstad, year=due.year)

    start = _deadline(_row_for(result, mapped), rules.PROGRAMME_START)
    assert start.state == rules.DONE_LATE
    assert start.days_late == 9
    assert start.cause == "health_check"
    assert str(start.cause_label) == str(Deviation(cause="health_check").get_cause_display())
    assert result.deviations.total == 1
    assert [(code, n) for code, _label, n in result.deviations.by_cause] == [("health_check", 1)]
    assert [d.participant_id for d in result.deviations.rows] == [mapped.pk]


def test_start_deadline_passed_without_a_start_is_late_with_cause_not_recorded(
    open_participant, users, chain
):
    """Settled 200 days ago and not started: the 3-month start deadline (004:L1275) has passed, so the
    start is late, counted in days, with no cause recorded."""
    today = timezone.localdate()
    due = rules.programme_start_deadline(open_participant.settlement_date).due

    result = _monitor(users[Role.PROGRAMME_ADVISER], chain.harstad, today=today)

    start = _deadline(_row_for(result, open_participant), rules.PROGRAMME_START)
    assert start.state == rules.LATE
    assert start.days_late == (today - due).days > 0
    assert start.deviation is None
    assert start.cause == ""
    with translation.override("en"):
        assert str(start.cause_label) == "Cause not recorded"
    assert result.counts[rules.LATE] >= 1


def test_deviations_are_counted_per_cause_and_listed_for_the_year_of_their_deadline(
    arrive, adviser_actor, users, chain
):
    """Deviations are counted per cause (004:L1283–1285 names health checks and kindergarten places);
    another year's list is empty."""
    causes = ["health_check", "health_check", "kindergarten"]
    due = None
    for i, cause in enumerate(causes):
        person = arrive(Phase.SETTLED, given_name=f"Person{i}")
        p = q.open_case(adviser_actor, person)
        q.save_mapping(adviser_actor, p, q.MappingInput(completed_on=days_ago(196)))
        due = _start_late(adviser_actor, p, 3 + i, cause)

    adviser = users[Role.PROGRAMME_ADVISER]
    summary = m.deviation_summary(adviser, chain.harstad, year=due.year)
    assert summary.total == 3
    assert [(code, n) for code, _label, n in summary.by_cause] == [("health_check", 2), ("kindergarten", 1)]
    assert m.deviation_summary(adviser, chain.harstad, year=due.year - 1).total == 0


# --- states around the deadline day ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("offset", "expected"),
    [
        (-15, rules.OPEN),
        (-14, rules.DUE_SOON),
        (0, rules.DUE_SOON),
        (1, rules.LATE),
    ],
)
def test_start_deadline_state_around_the_deadline_day(open_participant, offset, expected):
    """Open until 14 days before, due soon through the deadline day itself, late the day after
    (rules.deadline_state; the 3-month deadline of 004:L1275)."""
    due = rules.programme_start_deadline(open_participant.settlement_date).due
    today = due + datetime.timedelta(days=offset)

    start = _deadline(m.case_deadlines(open_participant, today), rules.PROGRAMME_START)

    assert start.state == expected
    assert start.days_late == (1 if expected == rules.LATE else 0)


def test_start_on_the_deadline_day_is_done_and_a_day_later_is_done_late(arrive, adviser_actor):
    """Starting on the deadline day keeps the deadline (004:L1275); a day later is late and needs a cause."""
    on_time = q.open_case(adviser_actor, arrive(Phase.SETTLED, given_name="Ontime"))
    q.save_mapping(adviser_actor, on_time, q.MappingInput(completed_on=days_ago(196)))
    _start_late(adviser_actor, on_time, 0, "")
    late = q.open_case(adviser_actor, arrive(Phase.SETTLED, given_name="Late"))
    q.save_mapping(adviser_actor, late, q.MappingInput(completed_on=days_ago(196)))
    _start_late(adviser_actor, late, 1, "kindergarten")
    today = timezone.localdate()

    assert _deadline(m.case_deadlines(on_time, today), rules.PROGRAMME_START).state == rules.DONE
    late_start = _deadline(m.case_deadlines(late, today), rules.PROGRAMME_START)
    assert late_start.state == rules.DONE_LATE
    assert (late_start.days_late, late_start.cause) == (1, "kindergarten")


def test_started_case_gets_programme_end_deadlines_and_leave_moves_them(participant):
    """Once started, the programme ends after 2 years (004:L1356); approved leave extends it by its days."""
    today = timezone.localdate()
    before = _deadline(m.case_deadlines(participant, today), rules.PROGRAMME_END)
    assert before.due == rules.programme_end(participant.programme_start)
    assert before.state == rules.OPEN

    Decision.objects.create(
        participant=participant,
        kind="leave",
        decided_on=days_ago(40),
        effective_from=days_ago(30),
        effective_to=days_ago(1),
        outcome_text="Permisjon",
        reasons="Fødsel",
        letter_pdf=b"",
    )
    participant.refresh_from_db()
    after = _deadline(m.case_deadlines(participant, today), rules.PROGRAMME_END)
    assert after.due == before.due + datetime.timedelta(days=30)


# --- who sees what --------------------------------------------------------------------------------------


def test_a_third_municipalitys_adviser_sees_none_of_harstads_cases(participant, open_participant, chain):
    """The monitor is scoped to the user's own municipality; asking for Harstad's is a 404."""
    bodo = make_org(OrganisationKind.MUNICIPALITY, "Bodø kommune", "1804", is_settlement_municipality=True)
    adviser = make_user("bodo-adviser", bodo, Role.PROGRAMME_ADVISER)

    assert m.municipality_for(adviser) == bodo
    result = _monitor(adviser, bodo)
    assert result.case_count == 0
    assert _case_rows(result) == []
    with pytest.raises(Http404):
        m.municipality_for(adviser, chain.harstad.pk)


def test_leadership_sees_counts_but_no_case_by_name(mapped, adviser_actor, users, chain):
    """Leadership gets aggregates only (permissions module doc): counts per state and cause, no rows."""
    due = _start_late(adviser_actor, mapped, 5, "health_check")
    leader = users[Role.LEADERSHIP]

    assert m.municipality_for(leader) == chain.harstad
    result = _monitor(leader, chain.harstad, year=due.year)

    assert result.case_count == 1
    assert result.shown_count == 0
    assert result.show_names is False
    assert _case_rows(result) == []
    assert sum(result.counts.values()) > 0
    assert result.groups[0].case_count == 1
    assert result.deviations.total == 1
    assert result.deviations.rows == []


def test_the_adviser_sees_every_open_case_of_the_municipality_by_name(participant, users, chain):
    result = _monitor(users[Role.PROGRAMME_ADVISER], chain.harstad)

    assert result.show_names is True
    assert [row.participant.pk for row in _case_rows(result)] == [participant.pk]


def test_the_directorate_chooses_a_municipality(participant, users, chain):
    officer = users[Role.NATIONAL_SETTLEMENT_OFFICER]

    assert m.municipality_for(officer) is None
    assert m.municipality_for(officer, chain.harstad.pk) == chain.harstad
    result = _monitor(officer, chain.harstad)
    assert result.case_count == 1
    assert result.shown_count == 0


def test_the_monitor_read_is_logged(participant, users, chain):
    before = AuditEntry.objects.filter(object_type="qualification.monitor").count()

    _monitor(users[Role.PROGRAMME_ADVISER], chain.harstad)

    entry = AuditEntry.objects.filter(object_type="qualification.monitor").latest("id")
    assert AuditEntry.objects.filter(object_type="qualification.monitor").count() == before + 1
    assert entry.action == "list"
    assert entry.organisation_id == chain.harstad.pk
    assert "1 cases, 1 by name" in entry.summary


# --- filters --------------------------------------------------------------------------------------------


def test_filters_by_state_and_by_adviser(participant, arrive, users, chain, adviser_actor):
    """State keeps only deadlines in that state; adviser keeps one adviser's cases ("none": no adviser)."""
    adviser = users[Role.PROGRAMME_ADVISER]
    unstarted = q.open_case(adviser_actor, arrive(Phase.SETTLED, given_name="Unstarted"))
    q.assign(adviser_actor, unstarted, adviser=None, adult_education=None)

    late = _monitor(adviser, chain.harstad, state=rules.LATE)
    assert [row.participant.pk for row in _case_rows(late)] == [unstarted.pk]
    assert all(d.state == rules.LATE for row in _case_rows(late) for d in row.deadlines)
    assert set(late.counts) == {rules.LATE}

    nobody = _monitor(adviser, chain.harstad, adviser=m.NO_ADVISER)
    assert [row.participant.pk for row in _case_rows(nobody)] == [unstarted.pk]
    assert nobody.groups[0].adviser is None
    mine = _monitor(adviser, chain.harstad, adviser=str(adviser.pk))
    assert [row.participant.pk for row in _case_rows(mine)] == [participant.pk]
    assert {g.key for g in mine.advisers} == {str(adviser.pk), m.NO_ADVISER}


# --- the adviser's week ---------------------------------------------------------------------------------


def test_my_week_compares_planned_hours_with_recorded_attendance(participant, users, chain):
    """Planned: Norwegian 15 + social studies 5 + work placement 15 = 35 h; recorded this ISO week: 12 h
    attended and 3 h unexcused in Norwegian, so 20 h are not accounted for."""
    adviser = users[Role.PROGRAMME_ADVISER]
    today = timezone.localdate()
    year, week, _day = today.isocalendar()
    norwegian = next(x for x in participant.plan_versions.get().measures.all() if x.kind == "norwegian")
    AttendanceWeek.objects.create(
        participant=participant,
        person=participant.person,
        measure_key=norwegian.key,
        measure_kind="norwegian",
        iso_year=year,
        iso_week=week,
        hours_attended=Decimal("12"),
        unexcused_absence_hours=Decimal("3"),
    )

    found = m.my_week(adviser, chain.harstad, today=today)

    assert (found.iso_year, found.iso_week) == (year, week)
    row = found.rows[0]
    assert row.participant.pk == participant.pk
    assert row.planned_hours == Decimal("35")
    assert row.attended_hours == Decimal("12")
    assert row.unexcused_absence_hours == Decimal("3")
    assert row.unaccounted_hours == Decimal("20")
    assert row.next_deadline.code == rules.PROGRAMME_END


def test_my_week_without_recorded_attendance_says_nothing_is_recorded(participant, users, chain):
    found = m.my_week(users[Role.PROGRAMME_ADVISER], chain.harstad, today=timezone.localdate())

    assert found.rows[0].planned_hours == Decimal("35")
    assert found.rows[0].attended_hours is None
    assert found.rows[0].unaccounted_hours is None


def test_my_week_lists_only_the_users_own_participants(participant, chain, users):
    other = make_user("programme2", chain.harstad, Role.PROGRAMME_ADVISER)

    assert m.my_week(other, chain.harstad, today=timezone.localdate()).rows == []
    assert len(m.my_week(users[Role.PROGRAMME_ADVISER], chain.harstad, today=timezone.localdate()).rows) == 1


# --- the page -------------------------------------------------------------------------------------------


def _get(client, user, **params):
    client.force_login(user)
    return client.get(reverse("qualification:monitor"), params)


def test_the_adviser_sees_the_late_start_with_its_cause_on_the_page(client, mapped, adviser_actor, users):
    due = _start_late(adviser_actor, mapped, 9, "health_check")
    response = _get(client, users[Role.PROGRAMME_ADVISER], year=due.year)

    assert response.status_code == 200
    page = response.content.decode()
    assert mapped.person.full_name in page
    assert "Manglende helseundersøkelse" in page or "Missing health check" in page
    assert reverse("qualification:participant_detail", args=[mapped.pk]) in page


def test_an_unstarted_late_case_links_to_recording_the_start(client, open_participant, users):
    page = _get(client, users[Role.PROGRAMME_ADVISER], state=rules.LATE).content.decode()

    assert reverse("qualification:start", args=[open_participant.pk]) in page


def test_leadership_page_shows_counts_and_no_names(client, mapped, adviser_actor, users):
    due = _start_late(adviser_actor, mapped, 5, "kindergarten")
    response = _get(client, users[Role.LEADERSHIP], year=due.year)

    assert response.status_code == 200
    page = response.content.decode()
    assert mapped.person.family_name not in page
    assert str(mapped.pk) not in page
    assert response.context["result"].deviations.total == 1


def test_the_page_refuses_a_municipality_outside_the_users_scope(client, participant, chain, users):
    bodo = make_org(OrganisationKind.MUNICIPALITY, "Bodø kommune", "1804", is_settlement_municipality=True)
    adviser = make_user("bodo-adviser", bodo, Role.PROGRAMME_ADVISER)

    assert _get(client, adviser, municipality=str(chain.harstad.pk)).status_code == 404
    page = _get(client, adviser).content.decode()
    assert participant.person.family_name not in page


def test_the_directorate_is_asked_to_choose_a_municipality(client, participant, chain, users):
    officer = users[Role.NATIONAL_SETTLEMENT_OFFICER]

    first = _get(client, officer)
    assert first.status_code == 200
    assert first.context.get("result") is None
    chosen = _get(client, officer, municipality=str(chain.harstad.pk))
    assert chosen.context["result"].case_count == 1
    assert participant.person.family_name not in chosen.content.decode()


@pytest.mark.parametrize("role", [Role.VOLUNTEER, Role.TEACHER, Role.MUNICIPAL_SETTLEMENT_OFFICER])
def test_roles_without_the_overview_are_refused(client, participant, users, role):
    assert _get(client, users[role]).status_code == 403


def test_bad_filters_are_ignored(client, participant, users):
    response = _get(client, users[Role.PROGRAMME_ADVISER], state="nonsense", adviser="x", year="abc")

    assert response.status_code == 200
    assert response.context["state"] == ""
    assert response.context["adviser"] == ""
