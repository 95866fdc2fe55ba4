"""Reads: the user's groups, a group's week, its members and candidates, a participant's weeks and tests.
Scoped by bro.qualification.permissions; every read of personal data is logged.
"""

from __future__ import annotations

import datetime
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q
from django.http import Http404
from django.utils import timezone

from bro.core import audit
from bro.core.models import AuditAction, User
from bro.qualification import permissions
from bro.qualification import selectors as case_selectors
from bro.qualification.attendance.case import (
    entry_check,
    existing_weeks,
    members_of,
    plan_measures,
    programme_end,
)
from bro.qualification.attendance.checks import (
    ERRORS,
    HOUR_FIELDS,
    measure_for,
    parse_uuid,
    week_bounds,
    week_error,
)
from bro.qualification.models import (
    AttendanceWeek,
    Measure,
    MeasureKind,
    Participant,
    TeachingGroup,
    TestResult,
)


def _require_group_read(user: User, group: TeachingGroup) -> None:
    if not permissions.can_use_group(user, group):
        raise Http404


# --- reads -------------------------------------------------------------------------------------------------


def _log_list(user: User, organisation, object_type: str, summary: str, channel: str) -> None:
    audit.record(
        user=user,
        organisation=organisation,
        action=AuditAction.LIST,
        object_type=object_type,
        summary=summary,
        channel=channel,
    )


@dataclass
class GroupRow:
    group: TeachingGroup
    members: int


def groups_for(user: User) -> list[GroupRow]:
    """The active groups of the organisations the user keeps groups for, with member counts (no names)."""
    organisations = [o.id for o in permissions.group_organisations(user)]
    groups = (
        TeachingGroup.objects.filter(organisation_id__in=organisations, is_active=True)
        .select_related("organisation")
        .annotate(member_count=Count("members"))
        .order_by("organisation__name", "name")
    )
    return [GroupRow(g, g.member_count) for g in groups]


def get_group(user: User, group_id) -> TeachingGroup:
    """The group, if the user keeps groups for its organisation (else 404)."""
    group = (
        TeachingGroup.objects.select_related("organisation").filter(pk=parse_uuid(group_id)).first()
        if parse_uuid(group_id)
        else None
    )
    if group is None or not permissions.can_use_group(user, group):
        raise Http404
    return group


@dataclass
class MemberWeek:
    """A member's row in a group's week: their measure, what is recorded, and why it cannot be entered."""

    participant: Participant
    measure: Measure | None
    recorded: AttendanceWeek | None
    skip: str = ""  # an ERRORS code when the row cannot be entered this week

    @property
    def skip_reason(self) -> str:
        return str(ERRORS[self.skip]) if self.skip else ""


@dataclass
class GroupWeek:
    group: TeachingGroup
    iso_year: int
    iso_week: int
    monday: datetime.date | None
    sunday: datetime.date | None
    week_error: tuple[str, str] | None
    rows: list[MemberWeek] = field(default_factory=list)

    @property
    def editable(self) -> list[MemberWeek]:
        return [r for r in self.rows if not r.skip]


def group_week(user: User, group: TeachingGroup, *, iso_year: int, iso_week: int, channel="web") -> GroupWeek:
    """Every member of the group with their measure and the hours recorded in the week (a logged list)."""
    _require_group_read(user, group)
    members = members_of(group)
    found = week_error(iso_year, iso_week, timezone.localdate())
    result = GroupWeek(group, iso_year, iso_week, None, None, found)
    if found is None or found[1] == "week_in_future":
        result.monday, result.sunday = week_bounds(iso_year, iso_week)
    rows = []
    for p in members:
        measures = plan_measures(p)
        measure = (
            measure_for(measures or [], group.measure_kind, result.monday, result.sunday)
            if result.monday
            else None
        )
        skip = ""
        if found is None:
            skip = entry_check(user, p, measures, measure, result.monday, result.sunday) or ""
        rows.append(MemberWeek(p, measure, None, skip))
    if found is None:
        recorded = existing_weeks(members, [r.measure.key for r in rows if r.measure], iso_year, iso_week)
        for row in rows:
            if row.measure is not None:
                row.recorded = recorded.get((row.participant.pk, row.measure.key))
    result.rows = rows
    _log_list(
        user,
        group.organisation,
        "qualification.attendanceweek",
        f"group {group.name}: {len(rows)} members, {iso_year}-W{iso_week:02d}",
        channel,
    )
    return result


def group_members(user: User, group: TeachingGroup, *, channel="web") -> list[MemberWeek]:
    """The members, each with their measure of the group's kind this week or why they have none."""
    _require_group_read(user, group)
    today = timezone.localdate()
    monday, sunday = week_bounds(*today.isocalendar()[:2])
    rows = []
    for p in members_of(group):
        measures = plan_measures(p)
        measure = measure_for(measures or [], group.measure_kind, monday, sunday)
        skip = "no_plan" if measures is None else ("no_measure" if measure is None else "")
        if not permissions.can_record_attendance(user, p):
            skip = "not_allowed"
        rows.append(MemberWeek(p, measure, None, skip))
    _log_list(
        user, group.organisation, "qualification.participant", f"group {group.name}: {len(rows)}", channel
    )
    return rows


def member_candidates(user: User, group: TeachingGroup, *, channel="web") -> list[Participant]:
    """Open cases the group's organisation follows, that the user may record attendance for and that are
    not members yet (a logged list)."""
    _require_group_read(user, group)
    qs = case_selectors.participant_queryset(user).exclude(groups=group)
    qs = qs.filter(Q(adult_education=group.organisation) | Q(municipality=group.organisation))
    found = [p for p in qs if permissions.can_record_attendance(user, p)]
    _log_list(user, group.organisation, "qualification.participant", f"candidates for {group.name}", channel)
    return found


@dataclass
class MeasureWeeks:
    key: uuid.UUID
    kind: str
    label: str
    weeks: list[AttendanceWeek]
    totals: dict[str, Decimal]
    measure: Measure | None  # in the current plan, when it is still there


@dataclass
class ParticipantAttendance:
    participant: Participant
    measures: list[MeasureWeeks]
    plan_measures: list[Measure]
    tests: list[TestResult]
    can_record: bool
    programme_end: datetime.date | None


def participant_attendance(user: User, participant_id, *, channel="web") -> ParticipantAttendance:
    """The case's weeks per measure with totals, and the person's tests (one logged read)."""
    participant = case_selectors.get_participant(user, participant_id, channel=channel, summary="attendance")
    in_plan = plan_measures(participant) or []
    by_key: dict = defaultdict(list)
    for week in participant.attendance.select_related("recorded_for").order_by("-iso_year", "-iso_week"):
        by_key[week.measure_key].append(week)
    current = {m.key: m for m in in_plan}
    keys = [m.key for m in in_plan if m.key in by_key] + [k for k in by_key if k not in current]
    measures = []
    for key in keys:
        weeks = by_key[key]
        measure = current.get(key)
        kind = measure.kind if measure else weeks[0].measure_kind
        label = str(MeasureKind(kind).label)
        if measure is not None and measure.provider:
            label = f"{label} ({measure.provider})"
        totals = {name: sum((getattr(w, name) for w in weeks), Decimal(0)) for name in HOUR_FIELDS}
        measures.append(MeasureWeeks(key, kind, label, weeks, totals, measure))
    return ParticipantAttendance(
        participant=participant,
        measures=measures,
        plan_measures=in_plan,
        tests=list(TestResult.objects.filter(person_id=participant.person_id).select_related("organisation")),
        can_record=permissions.can_record_attendance(user, participant),
        programme_end=programme_end(participant),
    )
