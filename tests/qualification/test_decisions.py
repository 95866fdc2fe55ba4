"""Decisions with PDF letters, appeals, leave and the participant certificate (issue 5; DOMAIN §5).

Service and selector tests; the pages are tested at the end of the file.
"""

from __future__ import annotations

import datetime
import io
import unicodedata
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from pypdf import PdfReader

from bro.core.models import AuditAction, AuditEntry
from bro.core.roles import Role
from bro.people.models import Person
from bro.qualification import decisions as d
from bro.qualification import models as qm
from bro.qualification import rules
from bro.qualification import services as q
from bro.qualification.models import (
    AppealOutcome,
    AttendanceWeek,
    Decision,
    DecisionKind,
)
from tests.conftest import days_ago, make_user
from tests.qualification.conftest import standard_measures


def pdf_text(data: bytes) -> str:
    """The text of a PDF, normalised so that Arabic presentation forms compare as letters."""
    reader = PdfReader(io.BytesIO(bytes(data)))
    return unicodedata.normalize("NFKC", "\n".join(page.extract_text() for page in reader.pages))


def flat(text: str) -> str:
    """Line breaks from the layout made into spaces, so that phrases can be found across lines."""
    return " ".join(text.split())


def decide(actor, participant, **overrides) -> Decision:
    values = {
        "kind": DecisionKind.PROGRAMME,
        "decided_on": days_ago(194),
        "effective_from": days_ago(190),
        "outcome_text": "Du får introduksjonsprogram på fulltid.",
        "reasons": "Du har rett og plikt til programmet og er kartlagt.",
    }
    values.update(overrides)
    return d.create_decision(actor, participant, **values)


@pytest.fixture
def tromso_adviser(chain):
    return make_user("tromso-adviser", chain.tromso, Role.PROGRAMME_ADVISER)


# --- the letter ---------------------------------------------------------------------------------------------


def test_programme_decision_letter_is_a_pdf_with_the_decision_reasons_plan_and_appeal_right(
    participant, adviser_actor
):
    Person.objects.filter(pk=participant.person_id).update(national_identity_number="17059012345")
    participant.person.refresh_from_db()
    decision = decide(adviser_actor, participant)

    assert bytes(decision.letter_pdf).startswith(b"%PDF")
    text = flat(pdf_text(decision.letter_pdf))
    assert "Harstad kommune" in text  # the sender
    assert "Amina Haddad" in text
    assert "1990" in text  # the birth date …
    assert "17059012345" not in text  # … never the identity number
    assert "Du får introduksjonsprogram på fulltid." in text
    assert "Du har rett og plikt til programmet og er kartlagt." in text
    assert "integreringsloven §§ 8–9" in text
    # The appeal: 3 weeks (fvl. § 29), to the municipality and on to the County Governor (§§ 32–33),
    # the right to see the documents (§§ 18–19).
    for phrase in ("forvaltningsloven § 29", "Statsforvalteren", "forvaltningsloven §§ 32–33", "§§ 18–19"):
        assert phrase in text
    # The current plan's measures are in the letter and linked on the decision.
    assert decision.plan == participant.plan_versions.get(number=1)
    assert "Coop" in text and "Voksenopplæringen" in text


def test_letter_is_in_english_when_asked(participant, adviser_actor):
    decision = decide(adviser_actor, participant, language="en")
    text = flat(pdf_text(decision.letter_pdf))
    assert decision.letter_language == "en"
    assert "within three weeks of the day you received this letter" in text
    assert "County Governor (Statsforvalteren)" in text


def test_norwegian_letters_and_right_to_left_names_reach_the_pdf(participant, adviser_actor):
    Person.objects.filter(pk=participant.person_id).update(given_name="أمينة", family_name="Ødegård-Ærø")
    participant.person.refresh_from_db()
    text = pdf_text(decide(adviser_actor, participant).letter_pdf)
    assert "Ødegård-Ærø" in text
    assert all(letter in text for letter in "أمينة")


def test_letter_is_kept_as_sent_when_the_plan_is_revised(participant, adviser_actor):
    decision = decide(adviser_actor, participant, kind=DecisionKind.PLAN)
    sent = bytes(decision.letter_pdf)
    q.save_plan(
        adviser_actor,
        participant,
        standard_measures(days_ago(50), days_ago(-400))[:2],
        valid_from=days_ago(50),
        reason="Arbeidspraksis avsluttet",
    )
    decision.refresh_from_db()
    assert bytes(decision.letter_pdf) == sent
    assert decision.plan.number == 1


def test_leave_and_termination_letters_have_no_plan(participant, adviser_actor):
    leave = decide(
        adviser_actor,
        participant,
        kind=DecisionKind.LEAVE,
        decided_on=days_ago(100),
        effective_from=days_ago(99),
        effective_to=days_ago(90),
    )
    assert leave.plan is None
    assert "integreringsloven § 17" in flat(pdf_text(leave.letter_pdf))


def test_decision_is_audit_logged_without_its_texts(participant, adviser_actor):
    decision = decide(adviser_actor, participant)
    entry = AuditEntry.objects.get(object_id=str(decision.pk), action=AuditAction.CREATE)
    assert entry.person_id == participant.person_id
    assert entry.changes["kind"] == [None, "programme"]
    assert "kartlagt" not in str(entry.changes)


# --- validation: refused input changes nothing ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "field", "code"),
    [
        ({"reasons": "  "}, "reasons", "reasons_required"),
        ({"outcome_text": ""}, "outcome_text", "outcome_text_required"),
        ({"decided_on": days_ago(-1)}, "decided_on", "date_in_future"),
        ({"effective_from": days_ago(201)}, "effective_from", "date_before_settlement"),
        ({"kind": DecisionKind.LEAVE, "effective_to": None}, "effective_to", "leave_needs_end"),
        ({"kind": DecisionKind.EXTENSION, "effective_to": days_ago(191)}, "effective_to", "period_order"),
        ({"kind": "holiday"}, "kind", "unknown_kind"),
        ({"language": "sv"}, "language", "unknown_language"),
        (
            {"kind": DecisionKind.LEAVE, "effective_from": days_ago(195), "effective_to": days_ago(185)},
            "effective_from",
            "leave_before_start",
        ),
        # The mapping was completed 196 days ago: a programme decision before that day is refused.
        ({"decided_on": days_ago(198)}, "__all__", "programme_before_mapping"),
    ],
)
def test_bad_decision_input_is_refused_and_changes_nothing(
    participant, adviser_actor, overrides, field, code
):
    before = (Decision.objects.count(), AuditEntry.objects.count())
    with pytest.raises(ValidationError) as exc:
        decide(adviser_actor, participant, **overrides)
    assert [e.code for e in exc.value.error_dict[field]] == [code]
    assert str(exc.value.error_dict[field][0].message)  # worded, not a bare code
    assert (Decision.objects.count(), AuditEntry.objects.count()) == before


def test_programme_decision_needs_a_completed_mapping(open_participant, adviser_actor):
    with pytest.raises(ValidationError) as exc:
        decide(adviser_actor, open_participant, decided_on=days_ago(10), effective_from=days_ago(5))
    assert exc.value.error_dict["__all__"][0].code == "programme_before_mapping"
    assert not Decision.objects.exists()


def test_plan_decision_needs_a_plan_and_termination_a_started_programme(open_participant, adviser_actor):
    for kind, field, code in (
        (DecisionKind.PLAN, "__all__", "plan_required"),
        (DecisionKind.TERMINATION, "kind", "termination_not_started"),
        (DecisionKind.LEAVE, "kind", "leave_not_started"),
    ):
        with pytest.raises(ValidationError) as exc:
            decide(
                adviser_actor,
                open_participant,
                kind=kind,
                decided_on=days_ago(10),
                effective_from=days_ago(5),
                effective_to=days_ago(1),
            )
        assert exc.value.error_dict[field][0].code == code
    assert not Decision.objects.exists()


def test_refusal_needs_no_mapping_or_plan(open_participant, adviser_actor):
    decision = decide(
        adviser_actor,
        open_participant,
        kind=DecisionKind.REFUSAL,
        decided_on=days_ago(10),
        effective_from=days_ago(10),
    )
    assert decision.plan is None and bytes(decision.letter_pdf).startswith(b"%PDF")


# --- permissions --------------------------------------------------------------------------------------------


def test_teacher_can_read_decisions_but_not_decide(participant, adviser_actor, users):
    decision = decide(adviser_actor, participant)
    teacher = users[Role.TEACHER]
    with pytest.raises(PermissionDenied):
        decide(q.Actor(teacher), participant)
    with pytest.raises(PermissionDenied):
        d.record_appeal(q.Actor(teacher), decision, received_on=days_ago(180), grounds="Uenig")
    assert [x.pk for x in d.decisions_for(teacher, participant)] == [decision.pk]
    _found, letter = d.decision_letter(teacher, decision.pk)
    assert letter.startswith(b"%PDF")
    assert Decision.objects.count() == 1


def test_another_municipalitys_adviser_gets_404_and_cannot_decide(participant, adviser_actor, tromso_adviser):
    decision = decide(adviser_actor, participant)
    with pytest.raises(Http404):
        d.get_decision(tromso_adviser, decision.pk)
    with pytest.raises(Http404):
        d.decision_letter(tromso_adviser, decision.pk)
    with pytest.raises(Http404):
        d.decisions_for(tromso_adviser, participant)
    with pytest.raises(PermissionDenied):
        decide(q.Actor(tromso_adviser), participant)
    with pytest.raises(PermissionDenied):
        d.record_appeal(q.Actor(tromso_adviser), decision, received_on=days_ago(180), grounds="x")


def test_no_decision_on_an_ended_case(participant, adviser_actor):
    q.end_programme(adviser_actor, participant, on=days_ago(5), reason="work")
    with pytest.raises(ValidationError) as exc:
        decide(adviser_actor, participant)
    assert exc.value.error_dict["__all__"][0].code == "case_ended"


# --- leave and the programme end ------------------------------------------------------------------------------


def test_leave_extends_the_programme_end_by_its_days_counting_overlaps_once(participant, adviser_actor):
    start = participant.programme_start
    plain_end = d.programme_end(participant)
    assert plain_end == rules.programme_end(start)  # two years, no leave (004:L1356)
    decide(
        adviser_actor,
        participant,
        kind=DecisionKind.LEAVE,
        decided_on=days_ago(101),
        effective_from=days_ago(100),
        effective_to=days_ago(91),
    )  # 10 days
    decide(
        adviser_actor,
        participant,
        kind=DecisionKind.LEAVE,
        decided_on=days_ago(96),
        effective_from=days_ago(95),
        effective_to=days_ago(85),
    )  # 11 days, 5 of them already on leave
    assert d.leave_periods(participant) == [(days_ago(100), days_ago(91)), (days_ago(95), days_ago(85))]
    assert d.programme_end(participant) == plain_end + datetime.timedelta(days=16)


def test_programme_end_follows_the_approved_extension(participant, adviser_actor):
    q.set_goals(adviser_actor, participant, final_goal="upper_secondary", extension="upper_secondary")
    assert d.programme_end(participant) == rules.programme_end(
        participant.programme_start, extension="upper_secondary"
    )


def test_no_programme_end_before_the_start(open_participant):
    assert d.programme_end(open_participant) is None
    assert d.leave_periods(open_participant) == []


# --- appeals ------------------------------------------------------------------------------------------------


def test_appeal_after_three_weeks_is_recorded_and_flagged_late(participant, adviser_actor):
    decision = decide(adviser_actor, participant, decided_on=days_ago(190))
    in_time = d.record_appeal(
        adviser_actor, decision, received_on=days_ago(169), grounds="Jeg vil ha mer norsk"
    )
    late = d.record_appeal(adviser_actor, decision, received_on=days_ago(168), grounds="Jeg er uenig")
    assert not d.appeal_is_late(decision.decided_on, in_time.received_on)  # day 21: in time (fvl. § 29)
    assert d.appeal_is_late(decision.decided_on, late.received_on)  # day 22: late
    (listed,) = d.decisions_for(participant.adviser, participant)
    flags = {a.pk: a.is_late for a in listed.appeal_list}
    assert flags == {in_time.pk: False, late.pk: True}
    assert all(a.outcome == AppealOutcome.PENDING for a in listed.appeal_list)
    assert AuditEntry.objects.get(object_id=str(late.pk)).summary == "appeal received late"


def test_bad_appeal_input_is_refused(participant, adviser_actor):
    decision = decide(adviser_actor, participant, decided_on=days_ago(190))
    for received_on, grounds, field, code in (
        (days_ago(191), "Uenig", "received_on", "appeal_before_decision"),
        (days_ago(-1), "Uenig", "received_on", "date_in_future"),
        (days_ago(180), " ", "grounds", "grounds_required"),
    ):
        with pytest.raises(ValidationError) as exc:
            d.record_appeal(adviser_actor, decision, received_on=received_on, grounds=grounds)
        assert exc.value.error_dict[field][0].code == code
    assert not decision.appeals.exists()


def test_appeal_outcome_is_recorded_and_cannot_predate_the_appeal(participant, adviser_actor):
    decision = decide(adviser_actor, participant, decided_on=days_ago(190))
    appeal = d.record_appeal(adviser_actor, decision, received_on=days_ago(180), grounds="Uenig")
    for outcome, outcome_on, field, code in (
        (AppealOutcome.UPHELD, days_ago(181), "outcome_on", "outcome_before_receipt"),
        (AppealOutcome.PENDING, days_ago(170), "outcome", "outcome_required"),
        ("won", days_ago(170), "outcome", "outcome_required"),
        (AppealOutcome.UPHELD, days_ago(-2), "outcome_on", "date_in_future"),
    ):
        with pytest.raises(ValidationError) as exc:
            d.record_appeal_outcome(adviser_actor, appeal, outcome=outcome, outcome_on=outcome_on)
        assert exc.value.error_dict[field][0].code == code
    appeal.refresh_from_db()
    assert appeal.outcome == AppealOutcome.PENDING and appeal.outcome_on is None

    d.record_appeal_outcome(adviser_actor, appeal, outcome=AppealOutcome.SENT_ON, outcome_on=days_ago(170))
    d.record_appeal_outcome(
        adviser_actor, appeal, outcome=AppealOutcome.UPHELD, outcome_on=days_ago(120), note="Stadfestet"
    )
    appeal.refresh_from_db()
    assert (appeal.outcome, appeal.outcome_on, appeal.outcome_note) == ("upheld", days_ago(120), "Stadfestet")
    steps = AuditEntry.objects.filter(object_id=str(appeal.pk), action=AuditAction.UPDATE).order_by("id")
    assert [e.changes["outcome"][1] for e in steps] == ["sent_on", "upheld"]


def test_termination_can_be_appealed_after_the_case_ended(participant, adviser_actor):
    decision = decide(
        adviser_actor,
        participant,
        kind=DecisionKind.TERMINATION,
        decided_on=days_ago(20),
        effective_from=days_ago(10),
    )
    q.end_programme(adviser_actor, participant, on=days_ago(10), reason="terminated")
    appeal = d.record_appeal(adviser_actor, decision, received_on=days_ago(5), grounds="Jeg var syk")
    assert appeal.decision == decision


# --- the participant certificate ------------------------------------------------------------------------------


def attend(participant, measure, year_week, hours, unexcused="0"):
    return AttendanceWeek.objects.create(
        participant=participant,
        person=participant.person,
        measure_key=measure.key,
        measure_kind=measure.kind,
        iso_year=year_week[0],
        iso_week=year_week[1],
        hours_attended=Decimal(hours),
        unexcused_absence_hours=Decimal(unexcused),
    )


def test_certificate_is_refused_before_the_programme_ends(participant, users):
    with pytest.raises(ValidationError) as exc:
        d.certificate_pdf(users[Role.PROGRAMME_ADVISER], participant)
    assert exc.value.error_dict["__all__"][0].code == "not_ended"


def test_certificate_after_the_end_shows_measures_attended_hours_tests_and_end_reason(
    participant, adviser_actor, chain
):
    plan = participant.plan_versions.get(number=1)
    norwegian = plan.measures.get(kind="norwegian")
    placement = plan.measures.get(kind="work_placement")
    attend(participant, norwegian, (2025, 10), "12.5", unexcused="2.5")
    attend(participant, norwegian, (2025, 11), "10")
    attend(participant, placement, (2025, 10), "15")
    qm.TestResult.objects.create(
        person=participant.person,
        participant=participant,
        kind="norwegian_oral",
        taken_on=days_ago(30),
        level="B1",
        organisation=chain.adult_education,
    )
    q.end_programme(adviser_actor, participant, on=days_ago(3), reason="work")
    participant.refresh_from_db()

    data = d.certificate_data(adviser_actor.user, participant)
    hours = {row.measure.kind: row.hours_attended for row in data.measures}
    assert hours == {
        "norwegian": Decimal("22.5"),
        "social_studies": Decimal(0),
        "work_placement": Decimal(15),
    }
    assert data.total_hours_attended == Decimal("37.5")

    pdf = d.certificate_pdf(adviser_actor.user, participant, language="en")
    assert pdf.startswith(b"%PDF")
    text = flat(pdf_text(pdf))
    assert "Participant certificate" in text
    assert "Amina Haddad" in text and "Harstad kommune" in text
    assert "22.5" in text and "37.5" in text
    assert "B1" in text
    assert "Transition to work" in text  # the end reason
    assert "integreringsloven § 18 a" in text


def test_certificate_keeps_hours_of_measures_dropped_in_a_revision(participant, adviser_actor):
    placement = participant.plan_versions.get(number=1).measures.get(kind="work_placement")
    attend(participant, placement, (2025, 10), "15")
    first = participant.plan_versions.get(number=1)
    keep = [
        q.MeasureInput(kind=m.kind, hours_per_week=m.hours_per_week, start=m.start, end=m.end, key=str(m.key))
        for m in first.measures.exclude(kind="work_placement")
    ]
    q.save_plan(adviser_actor, participant, keep, valid_from=days_ago(20), reason="Praksis avsluttet")
    q.end_programme(adviser_actor, participant, on=days_ago(3), reason="completed")
    participant.refresh_from_db()
    rows = {
        (r.measure.kind, r.in_last_plan): r.hours_attended
        for r in d.certificate_data(adviser_actor.user, participant).measures
    }
    assert rows[("work_placement", False)] == Decimal(15)
    assert ("norwegian", True) in rows


# --- reads are logged ---------------------------------------------------------------------------------------


def test_downloading_a_letter_and_the_certificate_are_logged_reads(participant, adviser_actor, users):
    decision = decide(adviser_actor, participant)
    teacher = users[Role.TEACHER]
    d.decision_letter(teacher, decision.pk)
    entry = AuditEntry.objects.filter(action=AuditAction.READ, object_id=str(decision.pk)).latest("id")
    assert (entry.username, entry.person_id, entry.summary) == (
        "teacher",
        participant.person_id,
        "decision letter downloaded",
    )

    d.decisions_for(teacher, participant)
    assert AuditEntry.objects.filter(
        action=AuditAction.READ, object_type="qualification.decision", person_id=participant.person_id
    ).exists()

    q.end_programme(adviser_actor, participant, on=days_ago(3), reason="completed")
    participant.refresh_from_db()
    d.certificate_pdf(teacher, participant)
    assert AuditEntry.objects.filter(
        action=AuditAction.READ, object_type="qualification.certificate", person_id=participant.person_id
    ).exists()


# --- pages --------------------------------------------------------------------------------------------------


def decisions_url(participant) -> str:
    return f"/qualification/participants/{participant.pk}/decisions/"


def decision_post(**overrides) -> dict:
    values = {
        "decision-kind": "programme",
        "decision-decided_on": days_ago(194).isoformat(),
        "decision-effective_from": days_ago(190).isoformat(),
        "decision-effective_to": "",
        "decision-outcome_text": "Du får introduksjonsprogram.",
        "decision-reasons": "Kartlagt og rett og plikt.",
        "decision-language": "nb",
    }
    values.update(overrides)
    return values


def test_adviser_makes_a_decision_through_the_page_and_downloads_its_letter(client, participant, users):
    client.force_login(users[Role.PROGRAMME_ADVISER])
    page = client.get(decisions_url(participant), HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    assert "New decision" in page.content.decode()
    response = client.post(decisions_url(participant), decision_post())
    assert response.status_code == 302
    decision = Decision.objects.get()
    body = client.get(decisions_url(participant), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f"/qualification/decisions/{decision.pk}/letter/" in body

    letter = client.get(f"/qualification/decisions/{decision.pk}/letter/")
    assert letter.status_code == 200
    assert letter["Content-Type"] == "application/pdf"
    disposition = letter["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert f"decision-programme-{days_ago(194).isoformat()}.pdf" in disposition
    assert "Haddad" not in disposition
    assert letter.content == bytes(decision.letter_pdf)


def test_a_refused_decision_form_shows_the_errors_and_saves_nothing(client, participant, users):
    client.force_login(users[Role.PROGRAMME_ADVISER])
    before = AuditEntry.objects.filter(action=AuditAction.CREATE).count()
    response = client.post(
        decisions_url(participant),
        decision_post(**{"decision-kind": "leave", "decision-reasons": " "}),
        HTTP_ACCEPT_LANGUAGE="en",
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "This field is required." in body  # the form's own check of the empty reasons
    response = client.post(
        decisions_url(participant), decision_post(**{"decision-kind": "leave"}), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400
    assert "A leave decision needs the last day of the leave." in response.content.decode()
    assert not Decision.objects.exists()
    assert AuditEntry.objects.filter(action=AuditAction.CREATE).count() == before


def test_appeal_and_outcome_through_the_page_with_the_late_flag(client, participant, adviser_actor, users):
    decision = decide(adviser_actor, participant, decided_on=days_ago(190))
    client.force_login(users[Role.PROGRAMME_ADVISER])
    prefix = f"appeal-{decision.pk.hex[:12]}"
    url = f"/qualification/decisions/{decision.pk}/appeals/"
    refused = client.post(url, {f"{prefix}-received_on": days_ago(191).isoformat(), f"{prefix}-grounds": "x"})
    assert refused.status_code == 400 and not decision.appeals.exists()
    assert f'id="id_{prefix}-received_on"' in refused.content.decode()
    response = client.post(
        url, {f"{prefix}-received_on": days_ago(160).isoformat(), f"{prefix}-grounds": "Jeg er uenig"}
    )
    assert response.status_code == 302
    appeal = decision.appeals.get()
    body = client.get(decisions_url(participant), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Received after the deadline" in body

    outcome = f"outcome-{appeal.pk.hex[:12]}"
    response = client.post(
        f"/qualification/appeals/{appeal.pk}/outcome/",
        {
            f"{outcome}-outcome": "upheld",
            f"{outcome}-outcome_on": days_ago(100).isoformat(),
            f"{outcome}-note": "",
        },
    )
    assert response.status_code == 302
    appeal.refresh_from_db()
    assert (appeal.outcome, appeal.outcome_on) == ("upheld", days_ago(100))


def test_teacher_sees_decisions_without_forms_and_may_not_post(client, participant, adviser_actor, users):
    decision = decide(adviser_actor, participant)
    client.force_login(users[Role.TEACHER])
    page = client.get(decisions_url(participant), HTTP_ACCEPT_LANGUAGE="en")
    body = page.content.decode()
    assert page.status_code == 200
    assert f"/qualification/decisions/{decision.pk}/letter/" in body
    assert '<form method="post" action="/qualification/' not in body
    assert client.post(decisions_url(participant), decision_post()).status_code == 403
    prefix = f"appeal-{decision.pk.hex[:12]}"
    appeal = client.post(
        f"/qualification/decisions/{decision.pk}/appeals/",
        {f"{prefix}-received_on": days_ago(180).isoformat(), f"{prefix}-grounds": "x"},
    )
    assert appeal.status_code == 403
    assert Decision.objects.count() == 1 and not decision.appeals.exists()
    assert client.get(f"/qualification/decisions/{decision.pk}/letter/").status_code == 200


def test_another_municipalitys_adviser_gets_404_on_every_page(
    client, participant, adviser_actor, tromso_adviser
):
    decision = decide(adviser_actor, participant)
    appeal = d.record_appeal(adviser_actor, decision, received_on=days_ago(180), grounds="Uenig")
    client.force_login(tromso_adviser)
    for url in (
        decisions_url(participant),
        f"/qualification/decisions/{decision.pk}/letter/",
        f"/qualification/participants/{participant.pk}/certificate/",
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(decisions_url(participant), decision_post()).status_code == 404
    assert client.post(f"/qualification/decisions/{decision.pk}/appeals/", {}).status_code == 404
    assert client.post(f"/qualification/appeals/{appeal.pk}/outcome/", {}).status_code == 404
    assert Decision.objects.count() == 1


def test_certificate_page_refuses_before_the_end_and_downloads_after(
    client, participant, adviser_actor, users
):
    client.force_login(users[Role.PROGRAMME_ADVISER])
    url = f"/qualification/participants/{participant.pk}/certificate/"
    refused = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 404
    assert "issued when the programme has ended" in refused.content.decode()
    q.end_programme(adviser_actor, participant, on=days_ago(2), reason="completed")
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert f"participant-certificate-{days_ago(2).isoformat()}.pdf" in response["Content-Disposition"]
    english = flat(pdf_text(client.get(url + "?lang=en").content))
    assert "Programme completed" in english
