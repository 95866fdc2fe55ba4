"""What attendance needs from a case: its programme end, its current plan's measures, who may enter a week."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db.models import Prefetch

from bro.core.models import Organisation, User
from bro.qualification import permissions
from bro.qualification import selectors as case_selectors
from bro.qualification.attendance.checks import (
    HOUR_FIELDS,
    period_error,
)
from bro.qualification.models import (
    AttendanceWeek,
    Measure,
    Participant,
    PlanVersion,
    TeachingGroup,
)


def programme_end(participant: Participant) -> datetime.date | None:
    """The last day of the programme for attendance and the benefit: the end of the programme period with
    approved leave (decisions.programme_end), or the day the case ended if earlier. None before the start."""
    from bro.qualification.decisions import programme_end as period_end

    end = period_end(participant)
    if participant.ended_on is not None:
        end = participant.ended_on if end is None else min(end, participant.ended_on)
    return end


def plan_measures(participant: Participant) -> list[Measure] | None:
    """Measures of the current plan (None without a plan); uses a prefetch when there is one."""
    versions = getattr(participant, "current_versions", None)
    plan = (
        versions[0]
        if versions
        else (None if versions is not None else case_selectors.current_plan(participant))
    )
    return None if plan is None else list(plan.measures.all())


def entry_check(
    user: User,
    participant: Participant,
    measures: list[Measure] | None,
    measure: Measure | None,
    monday,
    sunday,
) -> str | None:
    """Why the member's row cannot be entered for the week (an ERRORS code), or None."""
    if not permissions.can_record_attendance(user, participant):
        return "not_allowed"
    if measures is None:
        return "no_plan"
    if measure is None:
        return "no_measure"
    return period_error(
        monday,
        sunday,
        measure_start=measure.start,
        measure_end=measure.end,
        programme_start=participant.programme_start,
        programme_end=programme_end(participant),
    )


def acting_organisation(user: User, participant: Participant) -> Organisation:
    teaching = {o.id: o for o in permissions.teaching_organisations(user)}
    return teaching.get(participant.adult_education_id) or participant.municipality


def other_measures_hours(participant: Participant, measure_key, iso_year: int, iso_week: int) -> Decimal:
    total = Decimal(0)
    for week in AttendanceWeek.objects.filter(participant=participant, iso_year=iso_year, iso_week=iso_week):
        if week.measure_key != measure_key:
            total += sum((getattr(week, name) for name in HOUR_FIELDS), Decimal(0))
    return total


def existing_weeks(participants, measure_keys, iso_year, iso_week) -> dict:
    weeks = AttendanceWeek.objects.filter(
        participant__in=participants, measure_key__in=measure_keys, iso_year=iso_year, iso_week=iso_week
    )
    return {(w.participant_id, w.measure_key): w for w in weeks}


def members_of(group: TeachingGroup) -> list[Participant]:
    versions = PlanVersion.objects.order_by("-number").prefetch_related("measures")
    return list(
        group.members.select_related("person", "municipality", "adult_education")
        .prefetch_related(Prefetch("plan_versions", queryset=versions, to_attr="current_versions"))
        .order_by("person__family_name", "person__given_name", "id")
    )
