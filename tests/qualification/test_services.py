"""The participant's case through the services: opening, mapping, plan versions, start, deviations, end."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from bro.core.models import AuditEntry
from bro.core.roles import Role
from bro.people.models import SharedAccess
from bro.people.phases import Phase
from bro.qualification import rules
from bro.qualification import services as q
from bro.qualification.messages import ERRORS
from bro.qualification.models import Deviation, Participant, PlanVersion
from tests.conftest import days_ago, make_user
from tests.qualification.conftest import standard_measures

pytestmark = pytest.mark.django_db


def test_opening_a_case_assesses_rights_and_shares_with_adult_education(open_participant, chain):
    """Rights from category and age at settlement (rules.rights; DOMAIN §5): a 36-year-old asylum seeker
    granted protection has right and duty to both schemes; the adult-education centre gets shared access
    with a recorded legal basis."""
    p = open_participant
    assert p.programme_status == "right_and_duty"
    assert p.training_status == "right_and_duty"
    assert p.settlement_date == days_ago(200)
    assert p.adult_education == chain.adult_education
    grant = SharedAccess.objects.get(person=p.person, organisation=chain.adult_education)
    assert grant.legal_basis.startswith("Integreringsloven")
    assert AuditEntry.objects.filter(object_type="qualification.participant", action="create").exists()


def test_a_person_not_settled_gets_no_case(arrive, adviser_actor):
    """Harstad hosts the centre, so its adviser may work with the resident, but a programme case needs a
    settlement in the municipality (the 3 months run from settlement, 004:L1275)."""
    person = arrive(Phase.READY_FOR_SETTLEMENT)
    with pytest.raises(ValidationError) as exc:
        q.open_case(adviser_actor, person)
    assert exc.value.message_dict == {"person": [str(ERRORS["not_settled"])]}
    assert not Participant.objects.exists()


def test_a_second_open_case_is_refused(open_participant, adviser_actor):
    with pytest.raises(ValidationError) as exc:
        q.open_case(adviser_actor, open_participant.person)
    assert "person" in exc.value.message_dict
    assert Participant.objects.count() == 1


def test_a_teacher_cannot_open_or_change_a_case(open_participant, users, arrive):
    teacher = q.Actor(users[Role.TEACHER])
    with pytest.raises(PermissionDenied):
        q.save_mapping(teacher, open_participant, q.MappingInput(completed_on=days_ago(1)))


def test_health_limitations_need_consent_and_are_not_logged(open_participant, adviser_actor):
    with pytest.raises(ValidationError) as exc:
        q.save_mapping(adviser_actor, open_participant, q.MappingInput(health_limitations="Ryggplager"))
    assert "health_limitations" in exc.value.message_dict
    q.save_mapping(
        adviser_actor,
        open_participant,
        q.MappingInput(health_limitations="Ryggplager", health_consent_on=days_ago(3)),
    )
    assert not AuditEntry.objects.filter(changes__icontains="Ryggplager").exists()


def test_mapping_refuses_unknown_countries_and_future_dates(open_participant, adviser_actor):
    with pytest.raises(ValidationError) as exc:
        q.save_mapping(
            adviser_actor,
            open_participant,
            q.MappingInput(
                completed_on=days_ago(-2),
                education=[q.EducationInput(level="bachelor", country="XX", years=Decimal(3))],
            ),
        )
    assert set(exc.value.message_dict) == {"completed_on", "education-0-country"}
    assert open_participant.mapping.education.count() == 0


def test_the_plan_needs_the_mapping_first(open_participant, adviser_actor):
    """Competence mapping comes before the plan and the programme decision (DOMAIN §5)."""
    with pytest.raises(ValidationError):
        q.save_plan(
            adviser_actor,
            open_participant,
            standard_measures(days_ago(10), days_ago(-300)),
            valid_from=days_ago(10),
        )
    assert PlanVersion.objects.count() == 0


def test_plan_versions_are_kept_and_formal_competence_comes_first(participant, adviser_actor):
    """Revisions add versions (every version kept); formal-competence measures first (004:L1522)."""
    first = participant.plan_versions.get()
    measures = standard_measures(days_ago(30), days_ago(-400))
    measures.append(
        q.MeasureInput(
            kind="primary_school", hours_per_week=Decimal("2"), start=days_ago(30), end=days_ago(-400)
        )
    )
    with pytest.raises(ValidationError) as exc:
        q.save_plan(adviser_actor, participant, measures, valid_from=days_ago(30))
    assert "reason" in exc.value.message_dict
    second = q.save_plan(adviser_actor, participant, measures, valid_from=days_ago(30), reason="Grunnskole")
    assert second.number == 2
    assert [m.kind for m in second.measures.all().order_by("id")][0] == "primary_school"
    assert first.measures.count() == 3  # unchanged


def test_a_plan_over_full_time_is_refused(participant, adviser_actor):
    """Full time is 37.5 hours a week (004:L1466–1467); measures at the same time may not add up to more."""
    measures = standard_measures(days_ago(30), days_ago(-400))
    measures.append(
        q.MeasureInput(
            kind="job_support", hours_per_week=Decimal("5"), start=days_ago(30), end=days_ago(-400)
        )
    )
    with pytest.raises(ValidationError) as exc:
        q.save_plan(adviser_actor, participant, measures, valid_from=days_ago(30), reason="Mer")
    assert "measures" in exc.value.message_dict
    assert participant.plan_versions.count() == 1


def test_start_within_three_months_records_the_phase_and_no_deviation(participant):
    """Start within 3 months of settlement (004:L1275): no deviation; the timeline says in programme."""
    participant.person.refresh_from_db()
    assert participant.person.current_phase == Phase.IN_PROGRAMME
    assert not Deviation.objects.exists()


def test_a_late_start_needs_its_cause_and_is_recorded_as_a_deviation(open_participant, adviser_actor):
    """Missing health checks delay starts; that is a deviation and a breach of law (004:L1283–1285)."""
    p = open_participant
    q.save_mapping(adviser_actor, p, q.MappingInput(completed_on=days_ago(150)))
    late = days_ago(20)
    with pytest.raises(ValidationError) as exc:
        q.start_programme(adviser_actor, p, on=late)
    assert "delay_cause" in exc.value.message_dict
    assert not Deviation.objects.exists()
    q.start_programme(
        adviser_actor, p, on=late, delay_cause="health_check", note="Ventet på helseundersøkelse"
    )
    deviation = Deviation.objects.get(participant=p)
    due = rules.programme_start_deadline(p.settlement_date).due
    assert deviation.cause == "health_check"
    assert deviation.due == due
    assert deviation.days_late == (late - due).days > 0


def test_ending_records_the_finish_on_the_timeline(participant, adviser_actor):
    q.end_programme(adviser_actor, participant, on=days_ago(1), reason="work")
    participant.person.refresh_from_db()
    assert participant.person.current_phase == Phase.FINISHED
    assert participant.person.phase_events.last().outcome == "work"
    with pytest.raises(ValidationError):
        q.set_goals(adviser_actor, participant, final_goal="work")


def test_end_needs_a_reason_and_cannot_precede_the_start(participant, adviser_actor):
    with pytest.raises(ValidationError) as exc:
        q.end_programme(adviser_actor, participant, on=days_ago(195), reason="")
    assert set(exc.value.message_dict) == {"reason", "on"}
    participant.refresh_from_db()
    assert participant.ended_on is None


def test_status_one_year_after_needs_a_year_and_hours_for_work(settle, adviser_actor):
    """Status one year after with weekly hours (004:L1568–1585); real outcomes feed the matching history."""
    from bro.settlement.outcomes.models import ProgrammeOutcome

    p = q.open_case(adviser_actor, settle(1000))
    q.save_mapping(adviser_actor, p, q.MappingInput(completed_on=days_ago(990)))
    q.start_programme(adviser_actor, p, on=days_ago(950))
    q.end_programme(adviser_actor, p, on=days_ago(400), reason="completed")
    with pytest.raises(ValidationError) as exc:
        q.record_one_year_status(
            adviser_actor, p, status="work", weekly_work_hours=None, recorded_on=days_ago(1)
        )
    assert "weekly_work_hours" in exc.value.message_dict
    assert not ProgrammeOutcome.objects.exists()
    q.record_one_year_status(
        adviser_actor, p, status="work", weekly_work_hours=Decimal("30"), recorded_on=days_ago(1)
    )
    outcome = ProgrammeOutcome.objects.get(person=p.person)
    assert outcome.in_work_or_education_one_year_after is True
    assert outcome.synthetic is False


def test_status_one_year_after_too_early_is_refused(participant, adviser_actor):
    q.end_programme(adviser_actor, participant, on=days_ago(100), reason="completed")
    with pytest.raises(ValidationError) as exc:
        q.record_one_year_status(
            adviser_actor, participant, status="other", weekly_work_hours=None, recorded_on=days_ago(0)
        )
    assert "recorded_on" in exc.value.message_dict


def test_another_municipalitys_adviser_cannot_touch_the_case(participant, chain):
    other = q.Actor(make_user("tromso-adviser", chain.tromso, Role.PROGRAMME_ADVISER))
    with pytest.raises(PermissionDenied):
        q.end_programme(other, participant, on=datetime.date.today(), reason="other")
