"""Public needs (no login), needs for staff, activities and the municipality's overview."""

from __future__ import annotations

import datetime
import uuid
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone
from ninja import Field, Router, Schema, Status

from bro.core.api import Text, error_responses
from bro.volunteering import overview as civil_overview
from bro.volunteering import permissions
from bro.volunteering.models import Activity, ActivityKind, Need
from bro.volunteering.selectors import needs as selectors
from bro.volunteering.services import needs as services

router = Router()


class VolunteeringPublicNeedOut(Schema):
    """A need carries no personal data (the services refuse it)."""

    id: uuid.UUID
    title: str
    description: str
    kind: str
    municipality_id: int
    municipality: str
    languages: list[str] = Field(..., description="ISO 639 codes")
    skills: list[str]
    volunteers_wanted: int
    involves_children: bool
    published_on: datetime.date


class VolunteeringNeedListItem(VolunteeringPublicNeedOut):
    organisation_id: uuid.UUID
    organisation: str
    status: str
    is_public: bool
    answer_count: int


class VolunteeringNeedAnswerOut(Schema):
    organisation_id: uuid.UUID
    organisation: str
    message: str
    activity_id: uuid.UUID | None


class VolunteeringNeedOut(VolunteeringNeedListItem):
    can_manage: bool
    answers: list[VolunteeringNeedAnswerOut]


class VolunteeringActivityOut(Schema):
    """Who takes part is not shown."""

    id: uuid.UUID
    name: str
    kind: str
    phase: str
    organisation_id: uuid.UUID
    organisation: str
    municipality_id: int
    municipality: str
    reception_centre_id: uuid.UUID | None
    target_sex: str
    target_age_min: int | None
    target_age_max: int | None
    languages: list[str]
    place: str
    schedule: str
    starts_on: datetime.date
    ends_on: datetime.date | None
    involves_children: bool
    needs_information_meeting: bool
    needs_training: bool
    needs_commitment: bool
    participants_reached: int
    volunteer_hours: Decimal


class VolunteeringOverlapOut(Schema):
    municipality_id: int
    kind: str
    target_sex: str
    phase: str
    organisations: list[str]
    activity_ids: list[uuid.UUID]


class VolunteeringCentreOut(Schema):
    id: uuid.UUID
    name: str
    municipality_id: int


class VolunteeringGapsOut(Schema):
    municipality_id: int
    activities: int
    open_to_men: int
    work_oriented: int
    few_offers_for_men: bool
    few_male_volunteers: bool
    few_work_oriented: bool


class VolunteeringUnansweredNeedOut(Schema):
    id: uuid.UUID
    title: str
    municipality_id: int


class VolunteeringHoursOut(Schema):
    organisation: str
    volunteer_hours: Decimal
    participants_reached: int
    activities: int


class VolunteeringOverviewOut(Schema):
    """003:L1045 (overlaps) and 003:L4268–4279 (gaps), for the user's municipalities."""

    activities: int
    activities_by_municipality: dict[str, int]
    overlaps: list[VolunteeringOverlapOut]
    centres_without_activity: list[VolunteeringCentreOut]
    gaps: list[VolunteeringGapsOut]
    needs_without_answer: list[VolunteeringUnansweredNeedOut]
    hours_by_organisation: list[VolunteeringHoursOut]


def _need(need: Need, **extra) -> dict:
    return {
        "id": need.id,
        "title": need.title,
        "description": need.description,
        "kind": need.kind,
        "municipality_id": need.municipality_id,
        "municipality": need.municipality.name,
        "languages": list(need.languages),
        "skills": list(need.skills),
        "volunteers_wanted": need.volunteers_wanted,
        "involves_children": need.involves_children,
        "published_on": need.published_on,
        **extra,
    }


def _staff_need(need: Need, answer_count: int, **extra) -> dict:
    return _need(
        need,
        organisation_id=need.organisation_id,
        organisation=need.organisation.name,
        status=need.status,
        is_public=need.is_public,
        answer_count=answer_count,
        **extra,
    )


def _staff_or_403(request) -> None:
    if not selectors.is_need_staff(request.user):
        raise PermissionDenied


@router.get(
    "/public/needs",
    auth=None,
    response={200: list[VolunteeringPublicNeedOut], **error_responses(422)},
    summary="Open public needs (no login)",
)
def list_public_needs(request, municipality_id: int | None = None, kind: ActivityKind | None = None):
    needs = selectors.public_needs(municipality_id=municipality_id, kind=kind or "")
    return [_need(n) for n in needs]


@router.get(
    "/needs",
    response={200: list[VolunteeringNeedListItem], **error_responses(401, 403, 422)},
    summary="Needs for publishers and coordinators",
)
def list_needs(
    request,
    status: Need.Status | None = None,
    municipality_id: int | None = None,
    kind: ActivityKind | None = None,
    mine: bool = False,
):
    _staff_or_403(request)
    needs = selectors.staff_needs(
        request.user, status=status or "", municipality_id=municipality_id, kind=kind or "", mine=mine
    )
    return [_staff_need(n, n.answer_count) for n in needs]


@router.get(
    "/needs/{need_id}",
    response={200: VolunteeringNeedOut, **error_responses(401, 403, 404, 422)},
    summary="A need with every organisation's answer",
)
def get_need(request, need_id: uuid.UUID):
    _staff_or_403(request)
    return _need_detail(request, selectors.need_or_404(need_id))


class VolunteeringNeedStatusIn(Schema):
    status: Need.Status


class VolunteeringNeedAnswerIn(Schema):
    organisation_id: uuid.UUID = Field(..., description="A volunteer organisation or centre you coordinate")
    message: Text = Field(..., max_length=5000, description="What you can do; no personal data")
    activity_id: uuid.UUID | None = Field(None, description="An activity of that organisation you plan")


def _refuse(field_name: str, code: str):
    """Refuse with the services' own wording (422, nothing saved)."""
    raise ValidationError({field_name: ValidationError(services.ERRORS[code], code=code)})


def _need_detail(request, need: Need) -> dict:
    answers = selectors.need_answers(need)
    return _staff_need(
        need,
        len(answers),
        can_manage=permissions.can_manage_need(request.user, need),
        answers=[_answer(a) for a in answers],
    )


def _answer(answer) -> dict:
    return {
        "organisation_id": answer.organisation_id,
        "organisation": answer.organisation.name,
        "message": answer.message,
        "activity_id": answer.activity_id,
    }


@router.post(
    "/needs/{need_id}/status",
    response={200: VolunteeringNeedOut, **error_responses(400, 401, 403, 404, 422)},
    summary="Close a need, mark it filled or open it again (its publisher's staff)",
)
def set_need_status(request, need_id: uuid.UUID, payload: VolunteeringNeedStatusIn):
    need = selectors.need_or_404(need_id)
    if not permissions.can_manage_need(request.user, need):
        raise PermissionDenied
    services.set_need_status(services.Actor(request.user, channel="api"), need, payload.status)
    return _need_detail(request, selectors.need_or_404(need_id))


@router.post(
    "/needs/{need_id}/answers",
    response={201: VolunteeringNeedAnswerOut, **error_responses(400, 401, 403, 404, 422)},
    summary="Answer a need for your organisation; answering again replaces the answer (003:L1045)",
)
def answer_need(request, need_id: uuid.UUID, payload: VolunteeringNeedAnswerIn):
    need = selectors.need_or_404(need_id)
    answering = {o.id: o for o in permissions.answering_organisations(request.user)}
    if not answering:
        raise PermissionDenied
    organisation = answering.get(payload.organisation_id)
    if organisation is None:
        _refuse("organisation_id", "unknown_choice")
    activity = None
    if payload.activity_id is not None:
        activity = Activity.objects.filter(pk=payload.activity_id, organisation=organisation).first()
        if activity is None:
            _refuse("activity_id", "not_your_activity")
    answer = services.answer_need(
        services.Actor(request.user, channel="api"),
        need,
        organisation,
        message=payload.message,
        activity=activity,
    )
    return Status(201, _answer(answer))


def _activity(activity: Activity) -> dict:
    return {
        "id": activity.id,
        "name": activity.name,
        "kind": activity.kind,
        "phase": activity.phase,
        "organisation_id": activity.organisation_id,
        "organisation": activity.organisation.name,
        "municipality_id": activity.municipality_id,
        "municipality": activity.municipality.name,
        "reception_centre_id": activity.reception_centre_id,
        "target_sex": activity.target_sex,
        "target_age_min": activity.target_age_min,
        "target_age_max": activity.target_age_max,
        "languages": list(activity.languages),
        "place": activity.place,
        "schedule": activity.schedule,
        "starts_on": activity.starts_on,
        "ends_on": activity.ends_on,
        "involves_children": activity.involves_children,
        "needs_information_meeting": activity.needs_information_meeting,
        "needs_training": activity.needs_training,
        "needs_commitment": activity.needs_commitment,
        "participants_reached": activity.participants_reached,
        "volunteer_hours": activity.volunteer_hours,
    }


@router.get(
    "/activities",
    response={200: list[VolunteeringActivityOut], **error_responses(401, 403)},
    summary="The activities the user may see",
)
def list_activities(request):
    activities = selectors.visible_activities(request.user).order_by("municipality__name", "name")
    if (
        not permissions.coordinator_organisations(request.user)
        and not activities.exists()
        and not permissions.can_see_overview(request.user)
    ):
        raise PermissionDenied
    return [_activity(a) for a in activities]


@router.get(
    "/activities/{activity_id}",
    response={200: VolunteeringActivityOut, **error_responses(401, 404, 422)},
    summary="An activity",
)
def get_activity(request, activity_id: uuid.UUID):
    activity = selectors.activity_or_404(activity_id)
    if not selectors.can_view_activity(request.user, activity):
        raise Http404
    return _activity(activity)


@router.get(
    "/overview",
    response={200: VolunteeringOverviewOut, **error_responses(401, 403)},
    summary="Who does what, where and for whom: overlaps, gaps and hours by organisation",
)
def get_overview(request):
    scope = permissions.overview_municipality_ids(request.user)
    if scope is not None and not scope:
        raise PermissionDenied
    analysis = civil_overview.overview_for(request.user, scope, on=timezone.localdate())
    return {
        "activities": len(analysis.activities),
        "activities_by_municipality": {str(k): v for k, v in analysis.by_municipality.items()},
        "overlaps": [
            {
                "municipality_id": o.municipality_id,
                "kind": o.kind,
                "target_sex": o.target_sex,
                "phase": o.phase,
                "organisations": list(o.organisation_names),
                "activity_ids": list(o.activity_ids),
            }
            for o in analysis.overlaps
        ],
        "centres_without_activity": [
            {"id": c.id, "name": c.name, "municipality_id": c.municipality_id}
            for c in analysis.centres_without_activity
        ],
        "gaps": [
            {
                "municipality_id": g.municipality_id,
                "activities": g.activities,
                "open_to_men": g.open_to_men,
                "work_oriented": g.work_oriented,
                "few_offers_for_men": g.few_offers_for_men,
                "few_male_volunteers": g.few_male_volunteers,
                "few_work_oriented": g.few_work_oriented,
            }
            for g in analysis.gaps_by_municipality.values()
        ],
        "needs_without_answer": [
            {"id": n.id, "title": n.title, "municipality_id": n.municipality_id}
            for n in analysis.needs_without_answer
        ],
        "hours_by_organisation": [
            {
                "organisation": name,
                "volunteer_hours": hours,
                "participants_reached": reached,
                "activities": count,
            }
            for name, hours, reached, count in analysis.hours_by_organisation
        ],
    }
