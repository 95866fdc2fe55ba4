"""One-to-one matches: the volunteer's own and the coordinator's, with only the refugee's consented fields
(bro.volunteering.matches.selectors.person_view, the same as the pages)."""

from __future__ import annotations

import datetime
import uuid
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.http import Http404
from ninja import Field, Router, Schema, Status

from bro.core.api import IsoDate, Text, error_responses
from bro.people.services import Actor
from bro.volunteering.matches import permissions, selectors, services

router = Router()


class VolunteeringMatchPersonOut(Schema):
    """Only the fields in ``fields`` are filled; nothing while consent is awaited or after it is withdrawn."""

    fields: list[str] = Field(..., description="What the viewer may see of the refugee")
    awaiting_consent: bool
    given_name: str
    family_name: str = Field(..., description="Only for a caseworker who may read the person")
    languages: list[str]
    need: str
    household_size: int | None
    phone: str
    email: str


class VolunteeringMatchListItem(Schema):
    id: uuid.UUID
    status: str
    kind: str
    organisation_id: uuid.UUID
    organisation: str
    volunteer_id: uuid.UUID | None
    starts_on: datetime.date | None
    ends_on: datetime.date | None
    person: VolunteeringMatchPersonOut


class VolunteeringCheckInOut(Schema):
    date: datetime.date
    hours: Decimal
    note: str


class VolunteeringMatchOut(VolunteeringMatchListItem):
    involves_children: bool
    agreed_months: int
    agreed_end: datetime.date | None
    hours: Decimal
    check_ins: list[VolunteeringCheckInOut]
    volunteer_feedback: str
    refugee_feedback: str
    is_own: bool
    is_coordinator: bool


def _person(view: selectors.PersonView) -> dict:
    return {
        "fields": list(view.fields),
        "awaiting_consent": view.awaiting_consent,
        "given_name": view.given_name,
        "family_name": view.family_name,
        "languages": list(view.languages),
        "need": view.need,
        "household_size": view.household_size,
        "phone": view.phone,
        "email": view.email,
    }


def _match(match, view: selectors.PersonView, **extra) -> dict:
    return {
        "id": match.id,
        "status": match.status,
        "kind": match.kind,
        "organisation_id": match.organisation_id,
        "organisation": match.organisation.name,
        "volunteer_id": match.volunteer_id,
        "starts_on": match.starts_on,
        "ends_on": match.ends_on,
        "person": _person(view),
        **extra,
    }


@router.get(
    "/matches",
    response={200: list[VolunteeringMatchListItem], **error_responses(401, 403)},
    summary="The matches the user may see (a volunteer: their own)",
)
def list_matches(request):
    return [_match(row.match, row.person) for row in selectors.match_rows(request.user)]


@router.get(
    "/matches/{match_id}",
    response={200: VolunteeringMatchOut, **error_responses(401, 404, 422)},
    summary="A match with its check-ins",
)
def get_match(request, match_id: uuid.UUID):
    try:
        view = selectors.match_detail(request.user, match_id)
    except PermissionDenied:
        raise Http404 from None
    match = view.match
    return _match(
        match,
        view.person,
        involves_children=match.involves_children,
        agreed_months=match.agreed_months,
        agreed_end=view.agreed_end,
        hours=view.hours,
        check_ins=[{"date": c.date, "hours": c.hours, "note": c.note} for c in view.check_ins],
        volunteer_feedback=match.volunteer_feedback,
        refugee_feedback=match.refugee_feedback,
        is_own=view.is_own,
        is_coordinator=view.is_coordinator,
    )


class VolunteeringCheckInIn(Schema):
    day: IsoDate = Field(..., description="The day you met; within the match, not in the future")
    hours: Decimal = Field(..., gt=0, le=99, max_digits=3, decimal_places=1, description="At most a day")
    note: Text = Field("", max_length=300)


@router.post(
    "/matches/{match_id}/check-ins",
    response={201: VolunteeringCheckInOut, **error_responses(400, 401, 403, 404, 422)},
    summary="The match's own volunteer logs a meeting and its hours",
)
def log_check_in(request, match_id: uuid.UUID, payload: VolunteeringCheckInIn):
    match = selectors.match_or_404(match_id)
    if not permissions.can_view(request.user, match):
        raise Http404
    row = services.log_check_in(
        Actor(request.user, channel="api"), match, day=payload.day, hours=payload.hours, note=payload.note
    )
    return Status(201, {"date": row.date, "hours": row.hours, "note": row.note})
