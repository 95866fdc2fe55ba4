"""Decisions with their letters, appeals and their outcomes, and the participant certificate
(bro.qualification.decisions)."""

from __future__ import annotations

import datetime
import enum
import uuid

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from ninja import Field, Router, Schema, Status

from bro.core.api import IsoDate, Text, error_responses
from bro.qualification import decisions, permissions, rules
from bro.qualification.api.common import actor, api_fields, case
from bro.qualification.models import AppealOutcome, DecisionKind

router = Router()

LetterLanguage = enum.Enum("LetterLanguage", {code: code for code, _name in settings.LANGUAGES}, type=str)
DEFAULT_LANGUAGE = LetterLanguage("nb")  # letters are in bokmål unless asked otherwise


def _pdf(description: str) -> dict:
    """The OpenAPI description of an answer that is a PDF file."""
    return {
        "responses": {
            200: {
                "description": description,
                "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    }


def _pdf_response(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


class CaseDecisionIn(Schema):
    kind: DecisionKind
    decided_on: IsoDate
    effective_from: IsoDate
    effective_to: IsoDate | None = Field(None, description="Needed for leave: its last day")
    outcome_text: Text = Field(..., max_length=5000, description="What is decided; printed in the letter")
    reasons: Text = Field(..., max_length=5000)
    language: LetterLanguage = Field(DEFAULT_LANGUAGE, description="The letter's language")


class AppealIn(Schema):
    received_on: IsoDate
    grounds: Text = Field(..., max_length=5000)


class AppealOutcomeIn(Schema):
    outcome: AppealOutcome
    outcome_on: IsoDate
    note: Text = Field("", max_length=2000)


class AppealOut(Schema):
    id: uuid.UUID
    decision_id: uuid.UUID
    received_on: datetime.date
    deadline: datetime.date = Field(..., description="Three weeks from the decision (forvaltningsloven § 29)")
    is_late: bool
    grounds: str
    outcome: str
    outcome_on: datetime.date | None
    outcome_note: str
    is_open: bool


class CaseDecisionOut(Schema):
    id: uuid.UUID
    kind: str
    decided_on: datetime.date
    effective_from: datetime.date
    effective_to: datetime.date | None
    plan_version: int | None
    outcome_text: str
    reasons: str
    letter_language: str
    appeals: list[AppealOut]


class CaseDecisionListOut(Schema):
    programme_end: datetime.date | None = Field(..., description="The end of the period, extended by leave")
    leave_days: int
    decisions: list[CaseDecisionOut]


def _appeal_out(appeal, decided_on: datetime.date) -> dict:
    return {
        "id": appeal.id,
        "decision_id": appeal.decision_id,
        "received_on": appeal.received_on,
        "deadline": decisions.appeal_deadline(decided_on),
        "is_late": decisions.appeal_is_late(decided_on, appeal.received_on),
        "grounds": appeal.grounds,
        "outcome": appeal.outcome,
        "outcome_on": appeal.outcome_on,
        "outcome_note": appeal.outcome_note,
        "is_open": appeal.outcome not in decisions.FINAL_OUTCOMES,
    }


def _decision_out(decision, appeals) -> dict:
    return {
        "id": decision.id,
        "kind": decision.kind,
        "decided_on": decision.decided_on,
        "effective_from": decision.effective_from,
        "effective_to": decision.effective_to,
        "plan_version": decision.plan.number if decision.plan else None,
        "outcome_text": decision.outcome_text,
        "reasons": decision.reasons,
        "letter_language": decision.letter_language,
        "appeals": [_appeal_out(a, decision.decided_on) for a in appeals],
    }


def _require_manage(request, participant) -> None:
    if not permissions.can_manage_case(request.user, participant):
        raise PermissionDenied


@router.get(
    "/participants/{participant_id}/decisions",
    response={200: CaseDecisionListOut, **error_responses(401, 403, 404, 422)},
    summary="The case's decisions with their appeals, newest first, and the programme end with leave",
)
def list_decisions(request, participant_id: uuid.UUID):
    participant = case(request, participant_id)
    rows = decisions.decisions_for(request.user, participant, channel="api")
    return {
        "programme_end": decisions.programme_end(participant),
        "leave_days": rules.leave_days(decisions.leave_periods(participant)),
        "decisions": [_decision_out(d, d.appeals.all()) for d in rows],
    }


@router.post(
    "/participants/{participant_id}/decisions",
    response={201: CaseDecisionOut, **error_responses(400, 401, 403, 404, 422)},
    summary="Make an individual decision; its letter (PDF) is made now and kept as sent",
)
def create_decision(request, participant_id: uuid.UUID, payload: CaseDecisionIn):
    participant = case(request, participant_id, manage=True)
    with api_fields():
        decision = decisions.create_decision(
            actor(request),
            participant,
            kind=payload.kind.value,
            decided_on=payload.decided_on,
            effective_from=payload.effective_from,
            effective_to=payload.effective_to,
            outcome_text=payload.outcome_text,
            reasons=payload.reasons,
            language=payload.language.value,
        )
    return Status(201, _decision_out(decision, []))


@router.get(
    "/decisions/{decision_id}/letter",
    response=error_responses(401, 403, 404, 422),
    openapi_extra=_pdf("The decision letter as it was sent"),
    summary="Download a decision letter (PDF)",
)
def decision_letter(request, decision_id: uuid.UUID):
    decision, data = decisions.decision_letter(request.user, decision_id, channel="api")
    return _pdf_response(data, f"decision-{decision.kind}-{decision.decided_on.isoformat()}.pdf")


@router.post(
    "/decisions/{decision_id}/appeals",
    response={201: AppealOut, **error_responses(400, 401, 403, 404, 422)},
    summary="Record an appeal against a decision; one received after three weeks is recorded and flagged late",
)
def record_appeal(request, decision_id: uuid.UUID, payload: AppealIn):
    decision = decisions.get_decision(request.user, decision_id, channel="api", summary="appeal")
    _require_manage(request, decision.participant)
    with api_fields():
        appeal = decisions.record_appeal(
            actor(request), decision, received_on=payload.received_on, grounds=payload.grounds
        )
    return Status(201, _appeal_out(appeal, decision.decided_on))


@router.post(
    "/appeals/{appeal_id}/outcome",
    response={200: AppealOut, **error_responses(400, 401, 403, 404, 422)},
    summary="Record the outcome of an appeal",
)
def record_appeal_outcome(request, appeal_id: uuid.UUID, payload: AppealOutcomeIn):
    appeal = decisions.get_appeal(request.user, appeal_id, channel="api")
    _require_manage(request, appeal.decision.participant)
    with api_fields():
        appeal = decisions.record_appeal_outcome(
            actor(request),
            appeal,
            outcome=payload.outcome.value,
            outcome_on=payload.outcome_on,
            note=payload.note,
        )
    return _appeal_out(appeal, appeal.decision.decided_on)


@router.get(
    "/participants/{participant_id}/certificate",
    response=error_responses(401, 403, 404, 422),
    openapi_extra=_pdf("The participant certificate"),
    summary="Download the participant certificate (PDF), once the programme has ended",
)
def certificate(request, participant_id: uuid.UUID, lang: LetterLanguage = DEFAULT_LANGUAGE):
    """Before the end there is no certificate: 404 with the reason."""
    participant = case(request, participant_id)
    try:
        data = decisions.certificate_pdf(request.user, participant, language=lang.value, channel="api")
    except ValidationError as exc:
        return Status(404, {"detail": exc.messages[0]})
    return _pdf_response(data, f"participant-certificate-{participant.ended_on.isoformat()}.pdf")
