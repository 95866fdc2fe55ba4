"""Writes: teaching groups, attendance weeks (one or a whole group's), tests. Permission-checked,
validated before anything is written, in one transaction, audit-logged old → new.
"""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from bro.core import audit
from bro.core.models import AuditAction, Organisation, User
from bro.people.services import Actor
from bro.qualification import permissions
from bro.qualification.attendance.case import (
    acting_organisation,
    entry_check,
    existing_weeks,
    members_of,
    other_measures_hours,
    plan_measures,
)
from bro.qualification.attendance.checks import (
    HOUR_FIELDS,
    hours_errors,
    measure_for,
    parse_uuid,
    raise_errors,
    to_decimal,
    week_bounds,
    week_error,
)
from bro.qualification.models import (
    AttendanceWeek,
    CefrLevel,
    Measure,
    MeasureKind,
    Participant,
    TeachingGroup,
    TestKind,
    TestResult,
)


def _require_group(user: User, group: TeachingGroup) -> None:
    if not permissions.can_use_group(user, group):
        raise PermissionDenied


# --- teaching groups ---------------------------------------------------------------------------------------


def _log_group(actor: Actor, group: TeachingGroup, *, action, changes: dict, person_id=None) -> None:
    audit.record(
        user=actor.user,
        organisation=group.organisation,
        action=action,
        obj=group,
        person_id=person_id,
        changes=changes,
        channel=actor.channel,
    )


@transaction.atomic
def create_group(actor: Actor, *, organisation: Organisation, name: str, measure_kind: str) -> TeachingGroup:
    """A class or group in an organisation the user keeps groups for (teachers' centres, advisers'
    municipalities); its members' hours are entered together for the measure of ``measure_kind``."""
    if organisation.id not in {o.id for o in permissions.group_organisations(actor.user)}:
        raise PermissionDenied
    name = (name or "").strip()
    errors: dict[str, tuple[str, dict]] = {}
    if not name:
        errors["name"] = ("group_name_required", {})
    elif TeachingGroup.objects.filter(organisation=organisation, name__iexact=name).exists():
        errors["name"] = ("group_name_taken", {})
    if measure_kind not in MeasureKind.values:
        errors["measure_kind"] = ("unknown_measure_kind", {})
    raise_errors(errors)
    group = TeachingGroup.objects.create(organisation=organisation, name=name, measure_kind=measure_kind)
    _log_group(
        actor,
        group,
        action=AuditAction.CREATE,
        changes=audit.diff({}, {"name": name, "measure_kind": measure_kind}),
    )
    return group


def _serves(group: TeachingGroup, participant: Participant) -> bool:
    return group.organisation_id in (participant.adult_education_id, participant.municipality_id)


@transaction.atomic
def add_member(actor: Actor, group: TeachingGroup, participant: Participant) -> None:
    """Add a participant whose attendance the user may record and whom the group's organisation follows."""
    _require_group(actor.user, group)
    if not permissions.can_record_attendance(actor.user, participant):
        raise PermissionDenied
    errors: dict[str, tuple[str, dict]] = {}
    if not participant.is_open:
        errors["participant"] = ("case_ended", {})
    elif not _serves(group, participant):
        errors["participant"] = ("outside_organisation", {})
    elif group.members.filter(pk=participant.pk).exists():
        errors["participant"] = ("already_member", {})
    raise_errors(errors)
    group.members.add(participant)
    _log_group(
        actor,
        group,
        action=AuditAction.UPDATE,
        changes=audit.diff({}, {"member_added": str(participant.pk)}),
        person_id=participant.person_id,
    )


@transaction.atomic
def remove_member(actor: Actor, group: TeachingGroup, participant: Participant) -> None:
    _require_group(actor.user, group)
    if not group.members.filter(pk=participant.pk).exists():
        raise_errors({"participant": ("not_a_member", {})})
    group.members.remove(participant)
    _log_group(
        actor,
        group,
        action=AuditAction.UPDATE,
        changes=audit.diff({}, {"member_removed": str(participant.pk)}),
        person_id=participant.person_id,
    )


# --- attendance --------------------------------------------------------------------------------------------


@dataclass
class RowInput:
    """One member's hours in a group's week; ``participant`` is the case or its id."""

    participant: Participant | uuid.UUID | str
    hours_attended: Decimal = Decimal(0)
    valid_absence_hours: Decimal = Decimal(0)
    unexcused_absence_hours: Decimal = Decimal(0)


@dataclass
class _Pending:
    participant: Participant
    measure: Measure
    hours: dict[str, Decimal]
    existing: AttendanceWeek | None


def _check_hours(
    errors: dict, prefix: str, participant: Participant, measure: Measure, hours: dict, iso_year, iso_week
) -> None:
    other = other_measures_hours(participant, measure.key, iso_year, iso_week)
    for name, found in hours_errors(hours, planned=measure.hours_per_week, other_measures=other).items():
        errors[f"{prefix}{name}"] = found


def _write(
    actor: Actor, organisation: Organisation, pending: _Pending, iso_year: int, iso_week: int
) -> AttendanceWeek:
    week = pending.existing
    label = f"{iso_year}-W{iso_week:02d} {pending.measure.kind}"
    if week is not None:
        before = {name: getattr(week, name) for name in HOUR_FIELDS}
        if before == pending.hours:
            return week
        action = AuditAction.UPDATE
    else:
        before = {}
        action = AuditAction.CREATE
        week = AttendanceWeek(
            participant=pending.participant,
            person_id=pending.participant.person_id,
            measure_key=pending.measure.key,
            measure_kind=pending.measure.kind,
            iso_year=iso_year,
            iso_week=iso_week,
        )
    for name, value in pending.hours.items():
        setattr(week, name, value)
    week.recorded_by = actor.user
    week.recorded_for = organisation
    week.save()
    audit.record(
        user=actor.user,
        organisation=organisation,
        action=action,
        obj=week,
        person_id=pending.participant.person_id,
        changes=audit.diff(before, pending.hours),
        summary=label,
        channel=actor.channel,
    )
    return week


def _hours(row) -> dict[str, Decimal]:
    return {name: to_decimal(getattr(row, name)) for name in HOUR_FIELDS}


@transaction.atomic
def record_group_week(
    actor: Actor, group: TeachingGroup, *, iso_year: int, iso_week: int, rows: list[RowInput]
) -> list[AttendanceWeek]:
    """Save a group's week, one row per member, all or nothing.

    Each row is checked against the member's measure of the group's kind in the current plan. Any error
    (keyed ``rows-<index>-<field>``, or ``iso_year``/``iso_week`` for the week) and nothing is saved. A row
    that was recorded before is updated; the audit log keeps old → new.
    """
    _require_group(actor.user, group)
    today = timezone.localdate()
    if found := week_error(iso_year, iso_week, today):
        raise_errors({found[0]: (found[1], {})})
    monday, sunday = week_bounds(iso_year, iso_week)
    members = {p.pk: p for p in members_of(group)}
    errors: dict[str, tuple[str, dict]] = {}
    checked: list[tuple[int, Participant, Measure, dict]] = []
    seen = set()
    for i, row in enumerate(rows):
        prefix = f"rows-{i}-"
        pk = row.participant.pk if isinstance(row.participant, Participant) else row.participant
        participant = members.get(parse_uuid(pk))
        if participant is None:
            errors[f"{prefix}hours"] = ("not_a_member", {})
            continue
        if participant.pk in seen:
            errors[f"{prefix}hours"] = ("duplicate_row", {})
            continue
        seen.add(participant.pk)
        measures = plan_measures(participant)
        measure = measure_for(measures or [], group.measure_kind, monday, sunday)
        if code := entry_check(actor.user, participant, measures, measure, monday, sunday):
            errors[f"{prefix}hours"] = (code, {})
            continue
        hours = _hours(row)
        _check_hours(errors, prefix, participant, measure, hours, iso_year, iso_week)
        checked.append((i, participant, measure, hours))
    raise_errors(errors)
    existing = existing_weeks(
        [p for _i, p, _m, _h in checked], [m.key for _i, _p, m, _h in checked], iso_year, iso_week
    )
    return [
        _write(
            actor,
            group.organisation,
            _Pending(p, m, h, existing.get((p.pk, m.key))),
            iso_year,
            iso_week,
        )
        for _i, p, m, h in checked
    ]


@transaction.atomic
def record_week(
    actor: Actor,
    participant: Participant,
    *,
    measure_key,
    iso_year: int,
    iso_week: int,
    hours_attended=Decimal(0),
    valid_absence_hours=Decimal(0),
    unexcused_absence_hours=Decimal(0),
) -> AttendanceWeek:
    """Record (or correct) one week of one measure in the participant's current plan."""
    if not permissions.can_record_attendance(actor.user, participant):
        raise PermissionDenied
    today = timezone.localdate()
    if found := week_error(iso_year, iso_week, today):
        raise_errors({found[0]: (found[1], {})})
    monday, sunday = week_bounds(iso_year, iso_week)
    key = parse_uuid(measure_key)
    measures = plan_measures(participant)
    measure = next((m for m in measures or [] if m.key == key), None)
    if measure is None:
        raise_errors({"measure": ("unknown_measure", {})})
    if code := entry_check(actor.user, participant, measures, measure, monday, sunday):
        raise_errors({"iso_week": (code, {})})
    hours = {
        "hours_attended": to_decimal(hours_attended),
        "valid_absence_hours": to_decimal(valid_absence_hours),
        "unexcused_absence_hours": to_decimal(unexcused_absence_hours),
    }
    errors: dict[str, tuple[str, dict]] = {}
    _check_hours(errors, "", participant, measure, hours, iso_year, iso_week)
    raise_errors(errors)
    existing = existing_weeks([participant], [measure.key], iso_year, iso_week).get(
        (participant.pk, measure.key)
    )
    organisation = acting_organisation(actor.user, participant)
    return _write(actor, organisation, _Pending(participant, measure, hours, existing), iso_year, iso_week)


# --- tests -------------------------------------------------------------------------------------------------


@transaction.atomic
def record_test(
    actor: Actor, participant: Participant, *, kind: str, taken_on: datetime.date, level: str, passed: bool
) -> TestResult:
    """A Norwegian or social-studies test result, kept on the person so that it follows them."""
    if not permissions.can_record_attendance(actor.user, participant):
        raise PermissionDenied
    errors: dict[str, tuple[str, dict]] = {}
    if kind not in TestKind.values:
        errors["kind"] = ("unknown_test", {})
    if level and level not in CefrLevel.values:
        errors["level"] = ("unknown_level", {})
    if taken_on > timezone.localdate():
        errors["taken_on"] = ("date_in_future", {})
    elif taken_on < participant.settlement_date:
        errors["taken_on"] = ("date_before_settlement", {})
    elif participant.ended_on is not None and taken_on > participant.ended_on:
        errors["taken_on"] = ("date_after_end", {})
    raise_errors(errors)
    organisation = acting_organisation(actor.user, participant)
    result = TestResult.objects.create(
        person_id=participant.person_id,
        participant=participant,
        kind=kind,
        taken_on=taken_on,
        level=level or "",
        passed=bool(passed),
        organisation=organisation,
        recorded_by=actor.user,
    )
    audit.record(
        user=actor.user,
        organisation=organisation,
        action=AuditAction.CREATE,
        obj=result,
        person_id=participant.person_id,
        changes=audit.diff({}, {"kind": kind, "taken_on": taken_on, "level": level, "passed": bool(passed)}),
        channel=actor.channel,
    )
    return result
