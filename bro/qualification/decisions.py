"""Individual administrative decisions (enkeltvedtak) with their letters, appeals, leave and the participant
certificate (deltakerbevis).

Decisions on the programme and on the plan are individual decisions that can be appealed (004:L1366–1368;
DOMAIN §5). A decision's letter is rendered to PDF when the decision is made and kept as it was sent: it is
never rendered again, so what the participant received is what the case shows. Writes are checked,
validated before anything is written, done in one transaction and audit-logged; reads of letters and
certificates are logged as reads of the person's data.
"""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from bro.core import audit, policy
from bro.core.models import AuditAction, User
from bro.qualification import permissions, rules
from bro.qualification import services as case_services
from bro.qualification.messages import ERRORS as CASE_ERRORS
from bro.qualification.models import (
    Appeal,
    AppealOutcome,
    AttendanceWeek,
    Decision,
    DecisionKind,
    Measure,
    Participant,
    PlanVersion,
    TestResult,
)
from bro.qualification.pdf import render_pdf
from bro.qualification.selectors import current_plan
from bro.qualification.services import Actor
from bro.qualification.services.common import check_past, log_change

__all__ = ["Actor"]

# The legal basis printed in each kind of letter, and the appeal rights printed in every letter.
# Section numbers follow the Integration Act (integreringsloven, LOV-2020-11-06-127) as amended, and the
# Public Administration Act (forvaltningsloven). This is our reading: a lawyer should confirm every line
# before letters are sent to participants.
LEGAL_BASIS: dict[str, tuple[tuple[str, str], ...]] = {
    DecisionKind.PROGRAMME: (
        ("integreringsloven §§ 8–9", _("who has the right and the duty to take part in the programme")),
        ("integreringsloven § 12", _("the municipality's duty to offer and start the programme")),
        ("integreringsloven §§ 13–14", _("how long the programme lasts")),
    ),
    DecisionKind.PLAN: (
        ("integreringsloven § 10", _("competence mapping after settlement")),
        ("integreringsloven § 14 a", _("the content of the programme")),
        ("integreringsloven § 15", _("the individual plan")),
    ),
    DecisionKind.CHANGE: (
        ("integreringsloven § 14 a", _("the content of the programme")),
        ("integreringsloven § 15", _("changes to the individual plan")),
    ),
    DecisionKind.LEAVE: (("integreringsloven § 17", _("absence and leave from the programme")),),
    DecisionKind.EXTENSION: (
        ("integreringsloven §§ 13–14", _("how long the programme lasts and extensions")),
    ),
    DecisionKind.TERMINATION: (
        ("integreringsloven § 18", _("stopping the programme")),
        ("integreringsloven § 18 a", _("ending the programme")),
    ),
    DecisionKind.REFUSAL: (
        ("integreringsloven §§ 8–9", _("who has the right and the duty to take part in the programme")),
    ),
    # Printed in every letter (forvaltningsloven § 27 third paragraph says what the letter must tell).
    "appeal": (
        ("forvaltningsloven § 28", _("the right to appeal an individual decision")),
        ("forvaltningsloven § 29", _("the appeal deadline of three weeks from receiving the letter")),
        ("forvaltningsloven §§ 32–33", _("the appeal is sent to the municipality, which sends it on")),
        ("forvaltningsloven §§ 18–19", _("the right to see the documents of the case")),
        ("forvaltningsloven § 42", _("asking for the decision to wait until the appeal is decided")),
    ),
}

# forvaltningsloven § 29: three weeks from the day the letter reached the party. We do not record the day
# of delivery, so the deadline is counted from the decision date and a later appeal is flagged for a
# caseworker to check, never refused (§ 30 counts an appeal posted in time; § 31 allows late appeals).
APPEAL_DEADLINE = datetime.timedelta(weeks=3)

# Kinds whose letter lists the measures of the current plan.
KINDS_WITH_PLAN = frozenset({DecisionKind.PROGRAMME, DecisionKind.PLAN, DecisionKind.CHANGE})
# Appeal outcomes that close an appeal.
FINAL_OUTCOMES = frozenset(set(AppealOutcome.values) - {AppealOutcome.PENDING, AppealOutcome.SENT_ON})

ERRORS = {
    "unknown_kind": _("Choose a kind of decision."),
    "unknown_language": _("Choose the letter's language."),
    "outcome_text_required": _("Write what is decided."),
    "reasons_required": _("Write the reasons for the decision."),
    "leave_needs_end": _("A leave decision needs the last day of the leave."),
    "period_order": _("The period cannot end before it starts."),
    "programme_before_mapping": _(
        "The competence mapping must be completed on or before the day of the programme decision."
    ),
    "plan_required": _("Make the individual plan before the decision on it."),
    "termination_not_started": _("Only a programme that has started can be terminated."),
    "leave_not_started": _("Leave can only be given in a programme that has started."),
    "leave_before_start": _("Leave cannot start before the programme started."),
    "appeal_before_decision": _("An appeal cannot be received before the decision was made."),
    "grounds_required": _("Write the grounds given for the appeal."),
    "outcome_required": _("Choose the outcome of the appeal."),
    "outcome_before_receipt": _("The outcome cannot be dated before the appeal was received."),
    "certificate_not_ended": _(
        "The participant certificate is issued when the programme has ended. Record the end first."
    ),
}


class Errors(case_services.Errors):
    """The case services' collector, worded from this module's codes first."""

    def raise_if_any(self) -> None:
        if self.codes:
            raise ValidationError(
                {
                    name: ValidationError(ERRORS.get(code) or CASE_ERRORS[code], code=code)
                    for name, code in self.codes.items()
                }
            )


def _log_read(user: User, obj, participant: Participant, *, summary: str, channel: str, object_type=""):
    access = policy.access_to_person(user, participant.person)
    audit.record(
        user=user,
        organisation=access.organisation,
        action=AuditAction.READ,
        obj=obj,
        object_type=object_type,
        person_id=participant.person_id,
        summary=summary,
        channel=channel,
    )


def _check_dates(errors: Errors, participant: Participant, **days: datetime.date | None) -> None:
    """Days on which something happened: not in the future and not before settlement."""
    for name, day in days.items():
        check_past(errors, name, day, participant)


def _check_not_before_settlement(errors: Errors, participant: Participant, **days) -> None:
    for name, day in days.items():
        if day is not None and day < participant.settlement_date:
            errors.add(name, "date_before_settlement")


def _require_decide(actor: Actor, participant: Participant, *, allow_ended: bool = False) -> None:
    """Decisions are made by those who manage the case. Appeals may arrive after the case has ended (a
    termination is appealed after the end), so recording them does not need an open case."""
    if allow_ended:
        if not permissions.can_manage_case(actor.user, participant):
            raise PermissionDenied
        return
    case_services.require_manage(actor, participant)


# --- decisions ---------------------------------------------------------------------------------------------


@transaction.atomic
def create_decision(
    actor: Actor,
    participant: Participant,
    *,
    kind: str,
    decided_on: datetime.date,
    effective_from: datetime.date,
    effective_to: datetime.date | None = None,
    outcome_text: str,
    reasons: str,
    language: str = "nb",
) -> Decision:
    """Make an individual decision and its letter (PDF), kept as sent.

    The programme decision needs the competence mapping first (DOMAIN §5: mapping comes before the
    programme decision; integreringsloven § 10); a plan decision needs a plan; leave needs its last day.
    """
    _require_decide(actor, participant)
    errors = Errors()
    if kind not in DecisionKind.values:
        errors.add("kind", "unknown_kind")
    if language not in dict(settings.LANGUAGES):
        errors.add("language", "unknown_language")
    if not (outcome_text or "").strip():
        errors.add("outcome_text", "outcome_text_required")
    if not (reasons or "").strip():
        errors.add("reasons", "reasons_required")
    _check_dates(errors, participant, decided_on=decided_on)
    _check_not_before_settlement(
        errors, participant, effective_from=effective_from, effective_to=effective_to
    )
    if effective_to is not None and effective_to < effective_from:
        errors.add("effective_to", "period_order")
    plan = current_plan(participant)
    if kind == DecisionKind.PROGRAMME:
        mapping = getattr(participant, "mapping", None)
        if mapping is None or mapping.completed_on is None or mapping.completed_on > decided_on:
            errors.add("__all__", "programme_before_mapping")
    elif kind in (DecisionKind.PLAN, DecisionKind.CHANGE) and plan is None:
        errors.add("__all__", "plan_required")
    elif kind == DecisionKind.TERMINATION and participant.programme_start is None:
        errors.add("kind", "termination_not_started")
    elif kind == DecisionKind.LEAVE:
        if effective_to is None:
            errors.add("effective_to", "leave_needs_end")
        if participant.programme_start is None:
            errors.add("kind", "leave_not_started")
        elif effective_from < participant.programme_start:
            errors.add("effective_from", "leave_before_start")
    errors.raise_if_any()

    decision = Decision(
        participant=participant,
        kind=kind,
        decided_on=decided_on,
        effective_from=effective_from,
        effective_to=effective_to,
        plan=plan if kind in KINDS_WITH_PLAN else None,
        outcome_text=outcome_text.strip(),
        reasons=reasons.strip(),
        letter_language=language,
        decided_by=actor.user if actor.user.pk else None,
    )
    decision.letter_pdf = render_letter(decision)
    decision.save()
    log_change(
        actor,
        decision,
        participant,
        action=AuditAction.CREATE,
        # The texts may hold special-category data: the log says what kind of decision and when.
        after={
            "kind": kind,
            "decided_on": decided_on,
            "effective_from": effective_from,
            "effective_to": effective_to,
            "plan_version": decision.plan.number if decision.plan else None,
            "letter_language": language,
        },
        summary=f"decision {kind}",
    )
    return decision


def letter_context(decision: Decision) -> dict:
    participant = decision.participant
    measures = list(decision.plan.measures.all()) if decision.plan else []
    return {
        "decision": decision,
        "participant": participant,
        "person": participant.person,
        "municipality": participant.municipality,
        "measures": measures,
        "hours_per_week": sum((m.hours_per_week for m in measures), Decimal(0)),
        "legal_basis": LEGAL_BASIS.get(decision.kind, ()),
        "appeal_basis": LEGAL_BASIS["appeal"],
        "decided_by": decision.decided_by,
    }


def render_letter(decision: Decision) -> bytes:
    """The decision letter as PDF, in the decision's letter language (bokmål unless asked otherwise)."""
    with translation.override(decision.letter_language):
        return render_pdf("qualification/letters/decision.html", letter_context(decision))


# --- appeals -----------------------------------------------------------------------------------------------


def appeal_deadline(decided_on: datetime.date) -> datetime.date:
    """Last day of the appeal period counted from the decision date (forvaltningsloven § 29: 3 weeks)."""
    return decided_on + APPEAL_DEADLINE


def appeal_is_late(decided_on: datetime.date, received_on: datetime.date) -> bool:
    return received_on > appeal_deadline(decided_on)


@transaction.atomic
def record_appeal(actor: Actor, decision: Decision, *, received_on: datetime.date, grounds: str) -> Appeal:
    """Record an appeal against a decision. One received after the 3-week deadline is recorded and shown
    as late (the municipality decides whether to consider it, forvaltningsloven § 31)."""
    participant = decision.participant
    _require_decide(actor, participant, allow_ended=True)
    errors = Errors()
    _check_dates(errors, participant, received_on=received_on)
    if received_on is not None and received_on < decision.decided_on:
        errors.add("received_on", "appeal_before_decision")
    if not (grounds or "").strip():
        errors.add("grounds", "grounds_required")
    errors.raise_if_any()
    appeal = Appeal.objects.create(
        decision=decision, received_on=received_on, grounds=grounds.strip(), recorded_by=actor.user
    )
    late = appeal_is_late(decision.decided_on, received_on)
    log_change(
        actor,
        appeal,
        participant,
        action=AuditAction.CREATE,
        after={"decision": str(decision.pk), "received_on": received_on, "late": late},
        summary="appeal received late" if late else "appeal received",
    )
    return appeal


@transaction.atomic
def record_appeal_outcome(
    actor: Actor, appeal: Appeal, *, outcome: str, outcome_on: datetime.date, note: str = ""
) -> Appeal:
    """Record what became of an appeal: changed by the municipality, sent on to the County Governor
    (Statsforvalteren, forvaltningsloven § 33), upheld, reversed or withdrawn. A later outcome replaces an
    earlier one (an appeal sent on is later decided); the log keeps each step."""
    participant = appeal.decision.participant
    _require_decide(actor, participant, allow_ended=True)
    errors = Errors()
    if outcome not in AppealOutcome.values or outcome == AppealOutcome.PENDING:
        errors.add("outcome", "outcome_required")
    _check_dates(errors, participant, outcome_on=outcome_on)
    if outcome_on is not None and outcome_on < appeal.received_on:
        errors.add("outcome_on", "outcome_before_receipt")
    errors.raise_if_any()
    before = {"outcome": appeal.outcome, "outcome_on": appeal.outcome_on}
    appeal.outcome = outcome
    appeal.outcome_on = outcome_on
    appeal.outcome_note = (note or "").strip()
    appeal.save(update_fields=["outcome", "outcome_on", "outcome_note"])
    log_change(
        actor,
        appeal,
        participant,
        action=AuditAction.UPDATE,
        before=before,
        after={"outcome": outcome, "outcome_on": outcome_on},
    )
    return appeal


# --- reads -------------------------------------------------------------------------------------------------


def _require_read(user: User, participant: Participant) -> None:
    if not permissions.can_read_case(user, participant):
        raise Http404


def _decorate_appeal(appeal: Appeal, decided_on: datetime.date) -> Appeal:
    appeal.deadline = appeal_deadline(decided_on)
    appeal.is_late = appeal_is_late(decided_on, appeal.received_on)
    appeal.is_open = appeal.outcome not in FINAL_OUTCOMES
    return appeal


def decisions_for(user: User, participant: Participant, *, channel: str = "web") -> list[Decision]:
    """The case's decisions, newest first, each with its appeals (``appeal.is_late`` and ``deadline`` set).
    The letters themselves are not loaded here."""
    _require_read(user, participant)
    rows = list(
        Decision.objects.filter(participant=participant)
        .defer("letter_pdf")
        .select_related("plan", "decided_by")
        .prefetch_related("appeals")
    )
    for decision in rows:
        decision.appeal_list = [_decorate_appeal(a, decision.decided_on) for a in decision.appeals.all()]
    _log_read(
        user,
        participant,
        participant,
        summary=f"{len(rows)} decisions",
        channel=channel,
        object_type="qualification.decision",
    )
    return rows


def get_decision(user: User, decision_id, *, channel: str = "web", summary: str = "decision") -> Decision:
    """One decision, if the user may read its case (else 404); logged."""
    try:
        pk = uuid.UUID(str(decision_id))
    except ValueError as exc:
        raise Http404 from exc
    decision = (
        Decision.objects.select_related("participant__person", "participant__municipality")
        .filter(pk=pk)
        .first()
    )
    if decision is None:
        raise Http404
    _require_read(user, decision.participant)
    _log_read(user, decision, decision.participant, summary=summary, channel=channel)
    return decision


def get_appeal(user: User, appeal_id, *, channel: str = "web") -> Appeal:
    try:
        pk = uuid.UUID(str(appeal_id))
    except ValueError as exc:
        raise Http404 from exc
    appeal = (
        Appeal.objects.select_related("decision__participant__person", "decision__participant__municipality")
        .filter(pk=pk)
        .first()
    )
    if appeal is None:
        raise Http404
    _require_read(user, appeal.decision.participant)
    _log_read(user, appeal, appeal.decision.participant, summary="appeal", channel=channel)
    return appeal


def decision_letter(user: User, decision_id, *, channel: str = "web") -> tuple[Decision, bytes]:
    """The letter as it was sent. Downloading it is a logged read of the person's data."""
    decision = get_decision(user, decision_id, channel=channel, summary="decision letter downloaded")
    return decision, bytes(decision.letter_pdf)


# --- leave and the end of the programme period --------------------------------------------------------------


def leave_periods(participant: Participant) -> list[tuple[datetime.date, datetime.date]]:
    """Approved leave, from the leave decisions (first day, last day), in order."""
    return list(
        Decision.objects.filter(participant=participant, kind=DecisionKind.LEAVE, effective_to__isnull=False)
        .order_by("effective_from", "effective_to")
        .values_list("effective_from", "effective_to")
    )


def programme_end(participant: Participant) -> datetime.date | None:
    """The last day of the programme period, extended by approved leave (rules.programme_end); None until
    the programme has started. The temporary rules for collective protection have no extension."""
    if participant.programme_start is None:
        return None
    extension = rules.EXTENSION_NONE if participant.temporary_rules else participant.extension
    return rules.programme_end(
        participant.programme_start,
        extension=extension,
        leave_days=rules.leave_days(leave_periods(participant)),
        temporary_rules=participant.temporary_rules,
    )


# --- the participant certificate (deltakerbevis) -------------------------------------------------------------


@dataclass
class CertificateMeasure:
    measure: Measure
    hours_attended: Decimal
    in_last_plan: bool


@dataclass
class CertificateData:
    participant: Participant
    plan: PlanVersion | None
    measures: list[CertificateMeasure]
    total_hours_attended: Decimal
    tests: list[TestResult]
    issued_on: datetime.date


def _hours_by_measure(participant: Participant) -> dict[uuid.UUID, Decimal]:
    rows = (
        AttendanceWeek.objects.filter(participant=participant)
        .values("measure_key")
        .annotate(hours=Sum("hours_attended"))
    )
    return {r["measure_key"]: r["hours"] or Decimal(0) for r in rows}


def certificate_data(user: User, participant: Participant, *, channel: str = "web") -> CertificateData:
    """What the certificate shows: the period, the last plan's measures with planned hours and the hours
    attended in each (measures dropped in a revision are listed after them, so no attended hour is lost),
    the Norwegian and social-studies tests, and the end reason. Only when the programme has ended
    (integreringsloven § 18 a: the certificate is issued at the end). Logged."""
    _require_read(user, participant)
    if participant.ended_on is None:
        raise ValidationError({"__all__": ValidationError(ERRORS["certificate_not_ended"], code="not_ended")})
    hours = _hours_by_measure(participant)
    plan = current_plan(participant)
    measures: list[CertificateMeasure] = []
    seen: set[uuid.UUID] = set()
    if plan is not None:
        for measure in plan.measures.all():
            seen.add(measure.key)
            measures.append(CertificateMeasure(measure, hours.get(measure.key, Decimal(0)), True))
    earlier = (
        Measure.objects.filter(plan__participant=participant)
        .exclude(key__in=seen)
        .order_by("key", "-plan__number")
    )
    for measure in earlier:
        if measure.key not in seen:
            seen.add(measure.key)
            measures.append(CertificateMeasure(measure, hours.get(measure.key, Decimal(0)), False))
    tests = list(TestResult.objects.filter(person=participant.person).order_by("taken_on", "kind"))
    _log_read(
        user,
        participant,
        participant,
        summary="participant certificate",
        channel=channel,
        object_type="qualification.certificate",
    )
    return CertificateData(
        participant=participant,
        plan=plan,
        measures=measures,
        total_hours_attended=sum(hours.values(), Decimal(0)),
        tests=tests,
        issued_on=timezone.localdate(),
    )


def certificate_pdf(
    user: User, participant: Participant, *, language: str = "nb", channel: str = "web"
) -> bytes:
    """The participant certificate as PDF (bokmål unless asked otherwise); refused before the end."""
    if language not in dict(settings.LANGUAGES):
        language = settings.LANGUAGE_CODE
    data = certificate_data(user, participant, channel=channel)
    with translation.override(language):
        return render_pdf(
            "qualification/letters/certificate.html",
            {
                "data": data,
                "participant": participant,
                "person": participant.person,
                "municipality": participant.municipality,
                "legal_basis": (("integreringsloven § 18 a", _("the participant certificate")),),
            },
        )
