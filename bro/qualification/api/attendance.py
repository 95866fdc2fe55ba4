"""Teaching groups, a whole group's week, a participant's weeks and tests, and the introduction benefit
(bro.qualification.attendance)."""

from __future__ import annotations

import datetime
import uuid
from decimal import Decimal
from typing import Annotated

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone
from ninja import Field, Path, Router, Schema, Status

from bro.core.api import IsoDate, Text, error_responses
from bro.core.models import Organisation
from bro.qualification import attendance as att
from bro.qualification import permissions
from bro.qualification.api.common import Hours, actor, api_fields, case
from bro.qualification.models import CefrLevel, MeasureKind, TestKind

router = Router()

IsoYear = Annotated[int, Path(ge=2000, le=2100)]
IsoWeek = Annotated[int, Path(ge=1, le=53)]


class GroupIn(Schema):
    organisation_id: uuid.UUID | None = Field(
        None,
        description="The adult-education centre or municipality; needed only if you keep groups for several",
    )
    name: Text = Field(..., max_length=120)
    measure_kind: MeasureKind = MeasureKind.NORWEGIAN


class GroupOut(Schema):
    id: uuid.UUID
    name: str
    organisation_id: uuid.UUID
    organisation: str
    measure_kind: str
    member_count: int


class MeasureRef(Schema):
    key: uuid.UUID
    kind: str
    hours_per_week: Decimal
    start: datetime.date
    end: datetime.date


class HoursOut(Schema):
    hours_attended: Decimal
    valid_absence_hours: Decimal
    unexcused_absence_hours: Decimal


class GroupMemberOut(Schema):
    participant_id: uuid.UUID
    name: str
    measure: MeasureRef | None = Field(..., description="The member's measure of the group's kind")
    recorded: HoursOut | None = Field(None, description="What is recorded for the week")
    skip: str = Field(..., description="Why the member's hours cannot be entered; empty when they can")
    skip_reason: str


class GroupDetailOut(GroupOut):
    members: list[GroupMemberOut]


class GroupWeekOut(Schema):
    group_id: uuid.UUID
    iso_year: int
    iso_week: int
    monday: datetime.date | None
    sunday: datetime.date | None
    week_error: str = Field(..., description="Why the week cannot be entered at all; empty when it can")
    rows: list[GroupMemberOut]


class GroupMemberIn(Schema):
    participant_id: uuid.UUID


class RowIn(Schema):
    participant_id: uuid.UUID
    hours_attended: Hours = Decimal(0)
    valid_absence_hours: Hours = Decimal(0)
    unexcused_absence_hours: Hours = Decimal(0)


class GroupWeekIn(Schema):
    rows: list[RowIn] = Field(..., min_length=1, max_length=200, description="One row per member entered")


class WeekIn(Schema):
    measure_key: uuid.UUID = Field(..., description="A measure of the current plan")
    iso_year: int = Field(..., ge=2000, le=2100)
    iso_week: int = Field(..., ge=1, le=53)
    hours_attended: Hours = Decimal(0)
    valid_absence_hours: Hours = Decimal(0)
    unexcused_absence_hours: Hours = Decimal(0)


class AttendanceWeekOut(HoursOut):
    id: uuid.UUID
    measure_key: uuid.UUID
    measure_kind: str
    iso_year: int
    iso_week: int
    recorded_for: str | None


class MeasureWeeksOut(Schema):
    key: uuid.UUID
    kind: str
    label: str
    in_current_plan: bool
    totals: HoursOut
    weeks: list[AttendanceWeekOut]


class AttendanceTestOut(Schema):
    id: uuid.UUID
    kind: str
    taken_on: datetime.date
    level: str
    passed: bool
    organisation: str


class ParticipantAttendanceOut(Schema):
    participant_id: uuid.UUID
    can_record: bool
    programme_end: datetime.date | None
    plan_measures: list[MeasureRef]
    measures: list[MeasureWeeksOut]
    tests: list[AttendanceTestOut]


class TestIn(Schema):
    kind: TestKind
    taken_on: IsoDate
    level: CefrLevel | None = None
    passed: bool = True


class BenefitMonthOut(Schema):
    year: int
    month: int
    g: Decimal
    g_valid_from: datetime.date
    under_25: bool
    yearly_rate: Decimal
    days_in_programme: int
    days_in_month: int
    gross: Decimal
    unexcused_hours: Decimal
    hourly_rate: Decimal
    reduction: Decimal
    net: Decimal
    explanation: list[str] = Field(..., description="How the month's amount was reached, in words")


# --- output helpers ---------------------------------------------------------------------------------------


def _measure(m) -> dict | None:
    if m is None:
        return None
    return {"key": m.key, "kind": m.kind, "hours_per_week": m.hours_per_week, "start": m.start, "end": m.end}


def _hours(row) -> dict:
    return {name: getattr(row, name) for name in att.HOUR_FIELDS}


def _member(row) -> dict:
    return {
        "participant_id": row.participant.pk,
        "name": row.participant.person.full_name,
        "measure": _measure(row.measure),
        "recorded": _hours(row.recorded) if row.recorded else None,
        "skip": row.skip,
        "skip_reason": row.skip_reason,
    }


def _group(group, members: int) -> dict:
    return {
        "id": group.id,
        "name": group.name,
        "organisation_id": group.organisation_id,
        "organisation": group.organisation.name,
        "measure_kind": group.measure_kind,
        "member_count": members,
    }


def _week(w) -> dict:
    return {
        **_hours(w),
        "id": w.id,
        "measure_key": w.measure_key,
        "measure_kind": w.measure_kind,
        "iso_year": w.iso_year,
        "iso_week": w.iso_week,
        "recorded_for": w.recorded_for.name if w.recorded_for else None,
    }


def _group_week(request, group, iso_year: int, iso_week: int) -> dict:
    page = att.group_week(request.user, group, iso_year=iso_year, iso_week=iso_week, channel="api")
    return {
        "group_id": group.id,
        "iso_year": iso_year,
        "iso_week": iso_week,
        "monday": page.monday,
        "sunday": page.sunday,
        "week_error": page.week_error[1] if page.week_error else "",
        "rows": [_member(r) for r in page.rows],
    }


# --- teaching groups ----------------------------------------------------------------------------------------


def _group_organisations(request) -> list[Organisation]:
    found = permissions.group_organisations(request.user)
    if not found:
        raise PermissionDenied
    return found


@router.get(
    "/groups",
    response={200: list[GroupOut], **error_responses(401, 403)},
    summary="My teaching groups, with member counts",
)
def list_groups(request):
    _group_organisations(request)
    return [_group(row.group, row.members) for row in att.groups_for(request.user)]


@router.post(
    "/groups",
    response={201: GroupOut, **error_responses(400, 401, 403, 422)},
    summary="Create a teaching group whose attendance is entered together",
)
def create_group(request, payload: GroupIn):
    organisations = _group_organisations(request)
    if payload.organisation_id is None:
        if len(organisations) > 1:
            raise PermissionDenied
        organisation = organisations[0]
    else:
        organisation = next((o for o in organisations if o.id == payload.organisation_id), None)
        if organisation is None:
            raise PermissionDenied
    with api_fields():
        group = att.create_group(
            actor(request),
            organisation=organisation,
            name=payload.name,
            measure_kind=payload.measure_kind.value,
        )
    return Status(201, _group(group, 0))


@router.get(
    "/groups/{group_id}",
    response={200: GroupDetailOut, **error_responses(401, 403, 404, 422)},
    summary="A group and its members, each with their measure of the group's kind",
)
def get_group(request, group_id: uuid.UUID):
    group = att.get_group(request.user, group_id)
    rows = att.group_members(request.user, group, channel="api")
    return {**_group(group, len(rows)), "members": [_member(r) for r in rows]}


@router.post(
    "/groups/{group_id}/members",
    response={201: GroupDetailOut, **error_responses(400, 401, 403, 404, 422)},
    summary="Add a participant whose attendance you record to the group",
)
def add_member(request, group_id: uuid.UUID, payload: GroupMemberIn):
    group = att.get_group(request.user, group_id)
    participant = case(request, payload.participant_id)
    with api_fields(participant="participant_id"):
        att.add_member(actor(request), group, participant)
    rows = att.group_members(request.user, group, channel="api")
    return Status(201, {**_group(group, len(rows)), "members": [_member(r) for r in rows]})


@router.delete(
    "/groups/{group_id}/members/{participant_id}",
    response={204: None, **error_responses(401, 403, 404, 422)},
    summary="Remove a member from the group",
)
def remove_member(request, group_id: uuid.UUID, participant_id: uuid.UUID):
    group = att.get_group(request.user, group_id)
    member = group.members.filter(pk=participant_id).first()
    if member is None:
        raise Http404
    att.remove_member(actor(request), group, member)
    return Status(204, None)


@router.get(
    "/groups/{group_id}/weeks/{iso_year}/{iso_week}",
    response={200: GroupWeekOut, **error_responses(401, 403, 404, 422)},
    summary="A group's week: every member with their measure and the hours recorded",
)
def get_group_week(request, group_id: uuid.UUID, iso_year: IsoYear, iso_week: IsoWeek):
    group = att.get_group(request.user, group_id)
    return _group_week(request, group, iso_year, iso_week)


@router.put(
    "/groups/{group_id}/weeks/{iso_year}/{iso_week}",
    response={200: GroupWeekOut, **error_responses(400, 401, 403, 404, 422)},
    summary="Record a whole group's week at once: all rows are saved, or none",
)
def record_group_week(
    request, group_id: uuid.UUID, iso_year: IsoYear, iso_week: IsoWeek, payload: GroupWeekIn
):
    group = att.get_group(request.user, group_id)
    rows = [
        att.RowInput(r.participant_id, **{n: getattr(r, n) for n in att.HOUR_FIELDS}) for r in payload.rows
    ]
    with api_fields():
        att.record_group_week(actor(request), group, iso_year=iso_year, iso_week=iso_week, rows=rows)
    return _group_week(request, group, iso_year, iso_week)


# --- one participant ---------------------------------------------------------------------------------------


@router.get(
    "/participants/{participant_id}/attendance",
    response={200: ParticipantAttendanceOut, **error_responses(401, 403, 404, 422)},
    summary="A participant's weeks per measure with totals, and their tests",
)
def participant_attendance(request, participant_id: uuid.UUID):
    record = att.participant_attendance(request.user, participant_id, channel="api")
    return {
        "participant_id": record.participant.pk,
        "can_record": record.can_record,
        "programme_end": record.programme_end,
        "plan_measures": [_measure(m) for m in record.plan_measures],
        "measures": [
            {
                "key": m.key,
                "kind": m.kind,
                "label": m.label,
                "in_current_plan": m.measure is not None,
                "totals": m.totals,
                "weeks": [_week(w) for w in m.weeks],
            }
            for m in record.measures
        ],
        "tests": [
            {
                "id": t.id,
                "kind": t.kind,
                "taken_on": t.taken_on,
                "level": t.level,
                "passed": t.passed,
                "organisation": t.organisation.name,
            }
            for t in record.tests
        ],
    }


def _recordable(request, participant_id):
    participant = case(request, participant_id)
    if not permissions.can_record_attendance(request.user, participant):
        raise PermissionDenied
    return participant


@router.post(
    "/participants/{participant_id}/attendance",
    response={200: AttendanceWeekOut, **error_responses(400, 401, 403, 404, 422)},
    summary="Record (or correct) one week of one measure for a participant",
)
def record_week(request, participant_id: uuid.UUID, payload: WeekIn):
    participant = _recordable(request, participant_id)
    with api_fields(measure="measure_key"):
        week = att.record_week(
            actor(request),
            participant,
            measure_key=payload.measure_key,
            iso_year=payload.iso_year,
            iso_week=payload.iso_week,
            **{n: getattr(payload, n) for n in att.HOUR_FIELDS},
        )
    return _week(week)


@router.post(
    "/participants/{participant_id}/tests",
    response={201: AttendanceTestOut, **error_responses(400, 401, 403, 404, 422)},
    summary="Record a Norwegian or social-studies test result (it follows the person)",
)
def record_test(request, participant_id: uuid.UUID, payload: TestIn):
    participant = _recordable(request, participant_id)
    with api_fields():
        result = att.record_test(
            actor(request),
            participant,
            kind=payload.kind.value,
            taken_on=payload.taken_on,
            level=payload.level.value if payload.level else "",
            passed=payload.passed,
        )
    return Status(
        201,
        {
            "id": result.id,
            "kind": result.kind,
            "taken_on": result.taken_on,
            "level": result.level,
            "passed": result.passed,
            "organisation": result.organisation.name,
        },
    )


@router.get(
    "/participants/{participant_id}/benefit",
    response={200: list[BenefitMonthOut], **error_responses(401, 403, 404, 422)},
    summary="The introduction benefit month by month, newest first, with reductions for unexcused absence explained",
)
def benefit(request, participant_id: uuid.UUID):
    participant = att.readable_case(request.user, participant_id)
    months = att.benefit_months(
        request.user,
        participant,
        months=att.default_benefit_months(participant, timezone.localdate()),
        channel="api",
    )
    return [
        {
            **{name: getattr(m, name) for name in BenefitMonthOut.model_fields if name != "explanation"},
            "explanation": att.explain(m),
        }
        for m in months
    ]
