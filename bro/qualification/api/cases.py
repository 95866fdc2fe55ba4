"""The participant's case: list, open, read with deadlines, assign, mapping, goals, plan versions, start,
end, status one year after; and a person's training history."""

from __future__ import annotations

import datetime
import uuid
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from ninja import Field, Router, Schema, Status

from bro.core.api import IsoDate, Text, error_responses
from bro.core.models import Organisation, User
from bro.people import selectors as people_selectors
from bro.qualification import permissions, selectors, services
from bro.qualification.api.common import Hours, Years, actor, api_fields, case, refuse
from bro.qualification.messages import ERRORS
from bro.qualification.models import (
    CefrLevel,
    DelayCause,
    EducationLevel,
    EndReason,
    Extension,
    FinalGoal,
    MeasureKind,
    OneYearStatus,
    Participant,
    Recognition,
)

router = Router()


# --- schemas ------------------------------------------------------------------------------------------


class ParticipantListItem(Schema):
    """No identity numbers in lists."""

    id: uuid.UUID
    person_id: uuid.UUID
    name: str
    birth_date: datetime.date
    municipality_id: uuid.UUID
    municipality: str
    adviser_id: uuid.UUID | None
    adviser: str | None
    settlement_date: datetime.date
    programme_start: datetime.date | None
    ended_on: datetime.date | None
    stage: str = Field(..., description="mapping, planned, in_programme or ended")


class DeviationOut(Schema):
    kind: str
    cause: str
    due: datetime.date
    days_late: int
    detected_on: datetime.date


class DeadlineOut(Schema):
    code: str
    label: str
    due: datetime.date
    source: str = Field(..., description="The rule's source (seed line or public rule)")
    done_on: datetime.date | None
    state: str = Field(..., description="done, done_late, late, due_soon or open")
    deviation: DeviationOut | None


class EducationIn(Schema):
    level: EducationLevel
    country: Text = Field("", max_length=2, description="ISO 3166 code")
    field: Text = Field("", max_length=200)
    years: Years | None = None
    recognition: Recognition = Recognition.NOT_APPLIED


class WorkIn(Schema):
    occupation: Text = Field(..., min_length=1, max_length=200)
    years: Years
    country: Text = Field("", max_length=2, description="ISO 3166 code")


class MappingIn(Schema):
    completed_on: IsoDate | None = Field(None, description="Empty while the mapping is in progress")
    skills: Text = Field("", max_length=5000)
    norwegian_level: CefrLevel | None = None
    career_guidance: Text = Field("", max_length=5000)
    health_limitations: Text = Field(
        "", max_length=5000, description="Only with the participant's consent (health_consent_on)"
    )
    health_consent_on: IsoDate | None = None
    education: list[EducationIn] = Field(default_factory=list, max_length=10)
    work: list[WorkIn] = Field(default_factory=list, max_length=10)


class EducationOut(Schema):
    level: str
    country: str
    field: str
    years: Decimal | None
    recognition: str


class WorkOut(Schema):
    occupation: str
    country: str
    years: Decimal


class MappingOut(Schema):
    completed_on: datetime.date | None
    skills: str
    norwegian_level: str
    career_guidance: str
    health_limitations: str
    health_consent_on: datetime.date | None
    education: list[EducationOut]
    work: list[WorkOut]


class MeasureIn(Schema):
    kind: MeasureKind
    hours_per_week: Hours
    start: IsoDate
    end: IsoDate
    provider: Text = Field("", max_length=200)
    days_per_week: int | None = Field(None, ge=1, le=7)
    key: uuid.UUID | None = Field(None, description="The measure this continues from the current version")


class PlanIn(Schema):
    valid_from: IsoDate
    reason: Text = Field("", max_length=500, description="Needed for every revision after the first")
    measures: list[MeasureIn] = Field(..., max_length=30)


class MeasureOut(Schema):
    key: uuid.UUID = Field(..., description="The same measure across plan versions")
    kind: str
    provider: str
    hours_per_week: Decimal
    days_per_week: int | None
    start: datetime.date
    end: datetime.date
    is_formal_competence: bool


class PlanOut(Schema):
    id: uuid.UUID
    number: int
    valid_from: datetime.date
    reason: str
    measures: list[MeasureOut]


class ParticipantOut(Schema):
    id: uuid.UUID
    person_id: uuid.UUID
    name: str
    birth_date: datetime.date
    municipality_id: uuid.UUID
    municipality: str
    adviser_id: uuid.UUID | None
    adviser: str | None
    adult_education_id: uuid.UUID | None
    adult_education: str | None
    settlement_date: datetime.date
    permit_date: datetime.date | None
    programme_status: str
    training_status: str
    temporary_rules: bool
    final_goal: str
    final_goal_text: str
    norwegian_goal: str
    integration_contract_signed: datetime.date | None
    programme_start: datetime.date | None
    start_delay_cause: str
    extension: str
    ended_on: datetime.date | None
    end_reason: str
    one_year_status: str
    one_year_weekly_work_hours: Decimal | None
    one_year_recorded_on: datetime.date | None
    stage: str
    can_manage: bool
    can_record_attendance: bool
    deadlines: list[DeadlineOut]
    mapping: MappingOut | None
    current_plan: PlanOut | None


class OpenCaseIn(Schema):
    adviser_id: uuid.UUID | None = Field(
        None, description="A programme adviser of the municipality; you if empty"
    )
    adult_education_id: uuid.UUID | None = Field(
        None,
        description="The adult-education centre, whose teachers then read the case and record attendance",
    )


class AssignIn(Schema):
    adviser_id: uuid.UUID | None = None
    adult_education_id: uuid.UUID | None = None


class GoalsIn(Schema):
    final_goal: FinalGoal | None = None
    final_goal_text: Text = Field("", max_length=300)
    norwegian_goal: CefrLevel | None = None
    integration_contract_signed: IsoDate | None = None
    extension: Extension | None = Field(None, description="Unchanged when empty")


class ProgrammeStartIn(Schema):
    on: IsoDate
    delay_cause: DelayCause | None = Field(None, description="Needed when the start is after the deadline")
    note: Text = Field("", max_length=500)


class ProgrammeEndIn(Schema):
    on: IsoDate
    reason: EndReason


class OneYearIn(Schema):
    status: OneYearStatus
    weekly_work_hours: Hours | None = Field(None, description="For a participant in work")
    recorded_on: IsoDate


class TrainingHistoryWeekOut(Schema):
    iso_year: int
    iso_week: int
    organisation: str
    source: str = Field(..., description="reception or programme")
    hours_attended: Decimal
    social_studies_hours: Decimal


class TestResultOut(Schema):
    id: uuid.UUID
    kind: str
    taken_on: datetime.date
    level: str
    passed: bool
    organisation: str


class TrainingHistoryOut(Schema):
    person_id: uuid.UUID
    total_hours: Decimal
    social_studies_hours: Decimal
    by_organisation: dict[str, Decimal]
    weeks: list[TrainingHistoryWeekOut]
    tests: list[TestResultOut]


# --- output helpers ---------------------------------------------------------------------------------------


def _stage(p: Participant) -> str:
    if p.ended_on:
        return "ended"
    if p.programme_start:
        return "in_programme"
    if p.plan_versions.exists():
        return "planned"
    return "mapping"


def _list_item(p: Participant) -> dict:
    return {
        "id": p.id,
        "person_id": p.person_id,
        "name": p.person.full_name,
        "birth_date": p.person.birth_date,
        "municipality_id": p.municipality_id,
        "municipality": p.municipality.name,
        "adviser_id": p.adviser_id,
        "adviser": p.adviser.display_name if p.adviser else None,
        "settlement_date": p.settlement_date,
        "programme_start": p.programme_start,
        "ended_on": p.ended_on,
        "stage": _stage(p),
    }


def _plan_out(plan) -> dict:
    return {
        "id": plan.id,
        "number": plan.number,
        "valid_from": plan.valid_from,
        "reason": plan.reason,
        "measures": [
            {
                "key": m.key,
                "kind": m.kind,
                "provider": m.provider,
                "hours_per_week": m.hours_per_week,
                "days_per_week": m.days_per_week,
                "start": m.start,
                "end": m.end,
                "is_formal_competence": m.is_formal_competence,
            }
            # In the order the service saved them: formal-competence measures first (004:L1522).
            for m in plan.measures.order_by("id")
        ],
    }


def _mapping_out(mapping) -> dict | None:
    if mapping is None:
        return None
    return {
        "completed_on": mapping.completed_on,
        "skills": mapping.skills,
        "norwegian_level": mapping.norwegian_level,
        "career_guidance": mapping.career_guidance,
        "health_limitations": mapping.health_limitations,
        "health_consent_on": mapping.health_consent_on,
        "education": list(mapping.education.all()),
        "work": list(mapping.work.all()),
    }


def _case_out(request, p: Participant) -> dict:
    p.refresh_from_db()
    plan = selectors.current_plan(p)
    deadlines = [
        {
            "code": d.code,
            "label": str(d.label),
            "due": d.due,
            "source": d.source,
            "done_on": d.done_on,
            "state": d.state,
            "deviation": d.deviation,
        }
        for d in selectors.case_deadlines(p, timezone.localdate())
    ]
    return {
        **_list_item(p),
        "adult_education_id": p.adult_education_id,
        "adult_education": p.adult_education.name if p.adult_education else None,
        **{
            name: getattr(p, name)
            for name in (
                "permit_date",
                "programme_status",
                "training_status",
                "temporary_rules",
                "final_goal",
                "final_goal_text",
                "norwegian_goal",
                "integration_contract_signed",
                "start_delay_cause",
                "extension",
                "end_reason",
                "one_year_status",
                "one_year_weekly_work_hours",
                "one_year_recorded_on",
            )
        },
        "can_manage": permissions.can_manage_case(request.user, p),
        "can_record_attendance": permissions.can_record_attendance(request.user, p),
        "deadlines": deadlines,
        "mapping": _mapping_out(getattr(p, "mapping", None)),
        "current_plan": _plan_out(plan) if plan else None,
    }


# --- reading and finding cases ------------------------------------------------------------------------------


def _adviser(adviser_id: uuid.UUID | None) -> User | None:
    if adviser_id is None:
        return None
    adviser = User.objects.filter(pk=adviser_id, is_active=True).first()
    if adviser is None:
        refuse("adviser_id", ERRORS["not_an_adviser"], "not_an_adviser")
    return adviser


def _adult_education(organisation_id: uuid.UUID | None) -> Organisation | None:
    if organisation_id is None:
        return None
    organisation = Organisation.objects.filter(pk=organisation_id).first()
    if organisation is None:
        refuse("adult_education_id", ERRORS["not_adult_education"], "not_adult_education")
    return organisation


ASSIGN_FIELDS = {"adviser": "adviser_id", "adult_education": "adult_education_id"}


@router.get(
    "/participants",
    response={200: list[ParticipantListItem], **error_responses(401, 403, 422)},
    summary="Participants I work with (advisers: my municipality's; teachers: my centre's)",
)
def list_participants(request, mine: bool = False, include_ended: bool = False):
    user = request.user
    if not permissions.adviser_municipalities(user) and not permissions.teaching_organisations(user):
        raise PermissionDenied
    rows = selectors.list_participants(user, include_ended=include_ended, mine=mine, channel="api")
    return [_list_item(p) for p in rows]


@router.post(
    "/persons/{person_id}/case",
    response={201: ParticipantOut, **error_responses(400, 401, 403, 404, 422)},
    summary="Open the programme and training case for a person settled in my municipality",
)
def open_case(request, person_id: uuid.UUID, payload: OpenCaseIn):
    person, _access = people_selectors.get_person(request.user, person_id, channel="api")
    if permissions.can_open_case(request.user, person) is None:
        raise PermissionDenied
    with api_fields(**ASSIGN_FIELDS):
        participant = services.open_case(
            actor(request),
            person,
            adviser=_adviser(payload.adviser_id),
            adult_education=_adult_education(payload.adult_education_id),
        )
    return Status(201, _case_out(request, participant))


@router.get(
    "/persons/{person_id}/training",
    response={200: TrainingHistoryOut, **error_responses(401, 403, 404, 422)},
    summary="Everything a person has been taught, in reception and in programmes in any municipality",
)
def training_history(request, person_id: uuid.UUID):
    person, _access = people_selectors.get_person(request.user, person_id, channel="api")
    history = selectors.training_history(request.user, person, channel="api")
    return {
        "person_id": person.id,
        "total_hours": history.total_hours,
        "social_studies_hours": history.social_studies_hours,
        "by_organisation": history.by_organisation,
        "weeks": history.weeks,
        "tests": [
            {
                "id": t.id,
                "kind": t.kind,
                "taken_on": t.taken_on,
                "level": t.level,
                "passed": t.passed,
                "organisation": t.organisation.name,
            }
            for t in history.tests
        ],
    }


@router.get(
    "/participants/{participant_id}",
    response={200: ParticipantOut, **error_responses(401, 403, 404, 422)},
    summary="A participant's case: rights, goals, mapping, current plan and every deadline with its state",
)
def get_case(request, participant_id: uuid.UUID):
    return _case_out(request, case(request, participant_id))


@router.put(
    "/participants/{participant_id}/assignment",
    response={200: ParticipantOut, **error_responses(400, 401, 403, 404, 422)},
    summary="Set the programme adviser and the adult-education centre",
)
def assign(request, participant_id: uuid.UUID, payload: AssignIn):
    participant = case(request, participant_id, manage=True)
    with api_fields(**ASSIGN_FIELDS):
        services.assign(
            actor(request),
            participant,
            adviser=_adviser(payload.adviser_id),
            adult_education=_adult_education(payload.adult_education_id),
        )
    return _case_out(request, participant)


@router.put(
    "/participants/{participant_id}/mapping",
    response={200: MappingOut, **error_responses(400, 401, 403, 404, 422)},
    summary="Record the competence mapping (before the plan and the programme decision)",
)
def save_mapping(request, participant_id: uuid.UUID, payload: MappingIn):
    participant = case(request, participant_id, manage=True)
    data = services.MappingInput(
        completed_on=payload.completed_on,
        skills=payload.skills,
        norwegian_level=payload.norwegian_level or "",
        career_guidance=payload.career_guidance,
        health_limitations=payload.health_limitations,
        health_consent_on=payload.health_consent_on,
        education=[services.EducationInput(**e.model_dump()) for e in payload.education],
        work=[services.WorkInput(**w.model_dump()) for w in payload.work],
    )
    with api_fields():
        mapping = services.save_mapping(actor(request), participant, data)
    return _mapping_out(mapping)


@router.put(
    "/participants/{participant_id}/goals",
    response={200: ParticipantOut, **error_responses(400, 401, 403, 404, 422)},
    summary="Final goal, Norwegian goal, integration contract and programme length",
)
def set_goals(request, participant_id: uuid.UUID, payload: GoalsIn):
    participant = case(request, participant_id, manage=True)
    with api_fields():
        services.set_goals(
            actor(request),
            participant,
            final_goal=payload.final_goal or "",
            final_goal_text=payload.final_goal_text,
            norwegian_goal=payload.norwegian_goal or "",
            integration_contract_signed=payload.integration_contract_signed,
            extension=payload.extension,
        )
    return _case_out(request, participant)


@router.get(
    "/participants/{participant_id}/plans",
    response={200: list[PlanOut], **error_responses(401, 403, 404, 422)},
    summary="Every version of the individual plan, newest first",
)
def plan_versions(request, participant_id: uuid.UUID):
    participant = case(request, participant_id)
    return [_plan_out(plan) for plan in selectors.plan_versions(participant)]


@router.post(
    "/participants/{participant_id}/plans",
    response={201: PlanOut, **error_responses(400, 401, 403, 404, 422)},
    summary="Save a new version of the individual plan (formal-competence measures first); earlier ones are kept",
)
def save_plan(request, participant_id: uuid.UUID, payload: PlanIn):
    participant = case(request, participant_id, manage=True)
    measures = [
        services.MeasureInput(**{**m.model_dump(), "key": str(m.key) if m.key else None})
        for m in payload.measures
    ]
    with api_fields():
        plan = services.save_plan(
            actor(request), participant, measures, valid_from=payload.valid_from, reason=payload.reason
        )
    return Status(201, _plan_out(plan))


@router.post(
    "/participants/{participant_id}/start",
    response={200: ParticipantOut, **error_responses(400, 401, 403, 404, 422)},
    summary="Record the programme start; a start after the 3-month deadline is a deviation with its cause",
)
def start_programme(request, participant_id: uuid.UUID, payload: ProgrammeStartIn):
    participant = case(request, participant_id, manage=True)
    with api_fields():
        services.start_programme(
            actor(request),
            participant,
            on=payload.on,
            delay_cause=payload.delay_cause or "",
            note=payload.note,
        )
    return _case_out(request, participant)


@router.post(
    "/participants/{participant_id}/end",
    response={200: ParticipantOut, **error_responses(400, 401, 403, 404, 422)},
    summary="End the programme with its end reason",
)
def end_programme(request, participant_id: uuid.UUID, payload: ProgrammeEndIn):
    participant = case(request, participant_id, manage=True)
    with api_fields():
        services.end_programme(actor(request), participant, on=payload.on, reason=payload.reason.value)
    return _case_out(request, participant)


@router.put(
    "/participants/{participant_id}/one-year-status",
    response={200: ParticipantOut, **error_responses(400, 401, 403, 404, 422)},
    summary="Status one year after the programme, with weekly working hours for those in work",
)
def one_year_status(request, participant_id: uuid.UUID, payload: OneYearIn):
    participant = case(request, participant_id)
    if participant.municipality_id not in {o.id for o in permissions.adviser_municipalities(request.user)}:
        raise PermissionDenied
    with api_fields():
        services.record_one_year_status(
            actor(request),
            participant,
            status=payload.status.value,
            weekly_work_hours=payload.weekly_work_hours,
            recorded_on=payload.recorded_on,
        )
    return _case_out(request, participant)
