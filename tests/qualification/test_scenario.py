"""Acceptance 2: one participant from settlement to a finished programme, through the services and pages.

Mapping → plan → programme decision with its letter → a month of attendance with one unexcused absence and
the benefit it reduces → an appeal → a plan revision → the end → the participant certificate.
"""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone
from pypdf import PdfReader

from bro.core.models import AuditEntry
from bro.core.roles import Role
from bro.qualification import decisions, rules
from bro.qualification import services as q
from bro.qualification.attendance import benefit
from bro.qualification.attendance import services as attendance
from bro.qualification.models import AttendanceWeek, Participant
from tests.conftest import days_ago
from tests.qualification.conftest import standard_measures

pytestmark = pytest.mark.django_db


def _pdf_text(data: bytes) -> str:
    assert data.startswith(b"%PDF")
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(data)).pages)


def _weeks_of_month(year: int, month: int) -> list[tuple[int, int]]:
    """ISO weeks whose Thursday falls in the month (how the benefit counts a week's absence)."""
    day = datetime.date(year, month, 1)
    weeks = []
    while day.month == month:
        if day.weekday() == 3:
            iso = day.isocalendar()
            weeks.append((iso[0], iso[1]))
        day += datetime.timedelta(days=1)
    return weeks


def test_one_participant_from_settlement_to_certificate(settle, chain, users, adviser_actor):
    adviser = users[Role.PROGRAMME_ADVISER]
    teacher = q.Actor(users[Role.TEACHER])
    person = settle(420, given_name="Samira", family_name="Yousef", birth_date=datetime.date(2000, 3, 10))

    # Settlement → the case, with rights and the 3-month start deadline (004:L1275).
    case = q.open_case(adviser_actor, person, adult_education=chain.adult_education)
    assert case.programme_status == "right_and_duty"
    start_due = rules.programme_start_deadline(case.settlement_date).due

    # Competence mapping before the plan and the programme decision (DOMAIN §5).
    q.save_mapping(
        adviser_actor,
        case,
        q.MappingInput(
            completed_on=days_ago(410),
            norwegian_level="A1",
            education=[q.EducationInput(level="upper_secondary", country="SY", years=Decimal(3))],
            work=[q.WorkInput(occupation="Frisør", years=Decimal(2), country="SY")],
        ),
    )
    q.set_goals(
        adviser_actor,
        case,
        final_goal="upper_secondary",
        norwegian_goal="B1",
        integration_contract_signed=days_ago(405),
    )
    plan = q.save_plan(
        adviser_actor, case, standard_measures(days_ago(400), days_ago(-300)), valid_from=days_ago(400)
    )

    # The programme decision: a letter with reasons and the right to appeal, kept as sent.
    decision = decisions.create_decision(
        adviser_actor,
        case,
        kind="programme",
        decided_on=days_ago(402),
        effective_from=days_ago(400),
        outcome_text="Du får introduksjonsprogram på fulltid fra oppstartsdatoen.",
        reasons="Du er bosatt etter avtale med IMDi og har rett og plikt til introduksjonsprogram.",
    )
    letter = _pdf_text(bytes(decision.letter_pdf))
    assert "Samira Yousef" in letter
    assert "rett og plikt til introduksjonsprogram" in letter
    assert "klage" in letter.lower() and "tre uker" in letter
    assert person.national_identity_number is None or person.national_identity_number not in letter

    q.start_programme(adviser_actor, case, on=days_ago(400))
    case.refresh_from_db()
    assert case.programme_start <= start_due

    # A month of attendance for the Norwegian group, entered by the teacher, one unexcused absence.
    group = attendance.create_group(
        teacher, organisation=chain.adult_education, name="Norsk spor 2", measure_kind="norwegian"
    )
    attendance.add_member(teacher, group, case)
    month_day = days_ago(300).replace(day=1)
    year, month = month_day.year, month_day.month
    weeks = _weeks_of_month(year, month)
    for i, (iso_year, iso_week) in enumerate(weeks):
        unexcused = Decimal("7.5") if i == 1 else Decimal(0)
        attendance.record_group_week(
            teacher,
            group,
            iso_year=iso_year,
            iso_week=iso_week,
            rows=[
                attendance.RowInput(
                    participant=case,
                    hours_attended=Decimal(15) - unexcused,
                    unexcused_absence_hours=unexcused,
                )
            ],
        )
    assert AttendanceWeek.objects.filter(participant=case).count() == len(weeks)

    # The benefit that month: 2 G a year, two thirds under 25 (004:L384–389), less the unexcused hours.
    [month_benefit] = benefit.benefit_months(adviser, case, months=[(year, month)])
    expected = rules.benefit_month(
        birth_date=person.birth_date,
        year=year,
        month=month,
        programme_start=case.programme_start,
        programme_end=decisions.programme_end(case),
        unexcused_hours=Decimal("7.5"),
    )
    assert month_benefit == expected
    assert month_benefit.under_25 is (rules.age_on(person.birth_date, month_day) < 25)
    assert month_benefit.reduction == rules.kroner(Decimal("7.5") * month_benefit.hourly_rate) > 0
    assert month_benefit.net == month_benefit.gross - month_benefit.reduction
    client = Client()
    client.force_login(adviser)
    page = client.get(f"/qualification/participants/{case.pk}/benefit/").content.decode()
    assert (
        f"{month_benefit.reduction:,.0f}".replace(",", "\xa0") in page
        or str(int(month_benefit.reduction)) in page
    )

    # An appeal against the plan decision, sent on to the County Governor and upheld.
    plan_decision = decisions.create_decision(
        adviser_actor,
        case,
        kind="plan",
        decided_on=days_ago(399),
        effective_from=days_ago(399),
        outcome_text="Planen med norsk, samfunnskunnskap og arbeidspraksis.",
        reasons="Planen bygger på kartleggingen.",
    )
    assert plan_decision.plan == plan
    appeal = decisions.record_appeal(
        adviser_actor, plan_decision, received_on=days_ago(390), grounds="Ønsker mer norsk."
    )
    decisions.record_appeal_outcome(adviser_actor, appeal, outcome="sent_on", outcome_on=days_ago(380))
    decisions.record_appeal_outcome(adviser_actor, appeal, outcome="upheld", outcome_on=days_ago(330))
    appeal.refresh_from_db()
    assert appeal.outcome == "upheld"

    # A plan revision: a new version, the first kept as it was.
    revised = standard_measures(days_ago(200), days_ago(-300))
    revised[2] = q.MeasureInput(
        kind="upper_secondary", hours_per_week=Decimal(15), start=days_ago(200), end=days_ago(-300)
    )
    second = q.save_plan(
        adviser_actor, case, revised, valid_from=days_ago(200), reason="Videregående i stedet for praksis"
    )
    assert second.number == 2 and plan.measures.count() == 3
    assert second.measures.order_by("start", "id").first().kind == "upper_secondary"

    # The end, and the certificate with the hours actually attended.
    q.end_programme(adviser_actor, case, on=days_ago(5), reason="education")
    case = Participant.objects.get(pk=case.pk)
    certificate = _pdf_text(decisions.certificate_pdf(adviser, case))
    attended = sum(w.hours_attended for w in AttendanceWeek.objects.filter(participant=case))
    assert "Samira Yousef" in certificate
    assert f"{attended:.1f}".replace(".", ",") in certificate or f"{attended:.1f}" in certificate
    assert "Overgang til utdanning" in certificate

    # Every step is in the audit log against the person.
    logged = AuditEntry.objects.filter(person_id=person.id)
    assert logged.filter(action="create").count() >= 4
    assert logged.filter(action="read", object_type__startswith="qualification").exists()
    assert case.ended_on == timezone.localdate() - datetime.timedelta(days=5)
