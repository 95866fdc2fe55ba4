"""Reads of qualification records: scoped by bro.qualification.permissions, and logged."""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from bro.core import audit, policy
from bro.core.models import AuditAction, Organisation, User
from bro.qualification import permissions
from bro.qualification.models import (
    TRAINING_MEASURES,
    AttendanceWeek,
    Participant,
    PlanVersion,
    TestResult,
)


def _log_read(user: User, obj, *, person_id, summary: str, channel: str) -> None:
    access = policy.access_to_person(user, obj.person) if hasattr(obj, "person") else None
    audit.record(
        user=user,
        organisation=access.organisation if access else None,
        action=AuditAction.READ,
        obj=obj,
        person_id=person_id,
        summary=summary,
        channel=channel,
    )


def get_participant(
    user: User, participant_id, *, channel: str = "web", summary: str = "case"
) -> Participant:
    """The case, if the user may read it (else 404, so that its existence does not leak); logged."""
    try:
        pk = uuid.UUID(str(participant_id))
    except ValueError as exc:
        raise Http404 from exc
    participant = (
        Participant.objects.select_related("person", "municipality", "adviser", "adult_education")
        .filter(pk=pk)
        .first()
    )
    if participant is None or not permissions.can_read_case(user, participant):
        raise Http404
    _log_read(user, participant, person_id=participant.person_id, summary=summary, channel=channel)
    return participant


def participant_queryset(user: User, *, include_ended: bool = False, mine: bool = False) -> QuerySet:
    """Cases the user works with now: in their municipalities (advisers, settlement officers) or assigned
    to their adult-education centres (teachers). Only persons the policy lets them read."""
    roles = policy.roles(user)
    if not roles & permissions.CASE_READ_ROLES:
        return Participant.objects.none()
    municipal = [
        m.organisation_id
        for m in policy.memberships(user)
        if m.role in {permissions.R.PROGRAMME_ADVISER, permissions.R.MUNICIPAL_SETTLEMENT_OFFICER}
    ]
    teaching = [o.id for o in permissions.teaching_organisations(user)]
    from django.db.models import Q

    qs = Participant.objects.filter(Q(municipality_id__in=municipal) | Q(adult_education_id__in=teaching))
    qs = qs.filter(person__in=policy.visible_persons(user, current_only=True))
    if not include_ended:
        qs = qs.filter(ended_on__isnull=True)
    if mine:
        qs = qs.filter(adviser=user)
    return qs.select_related("person", "municipality", "adviser").order_by(
        "person__family_name", "person__given_name", "id"
    )


def list_participants(user: User, *, include_ended=False, mine=False, channel="web") -> list[Participant]:
    rows = list(participant_queryset(user, include_ended=include_ended, mine=mine))
    audit.record(
        user=user,
        organisation=None,
        action=AuditAction.LIST,
        object_type="qualification.participant",
        summary=f"{len(rows)} participants",
        channel=channel,
    )
    return rows


def current_plan(participant: Participant) -> PlanVersion | None:
    return participant.plan_versions.prefetch_related("measures").order_by("-number").first()


def plan_versions(participant: Participant) -> list[PlanVersion]:
    return list(participant.plan_versions.prefetch_related("measures").order_by("-number"))


@dataclass
class TrainingWeekRow:
    """One week of Norwegian or social-studies training, wherever it was given."""

    iso_year: int
    iso_week: int
    organisation: str
    source: str  # "reception" or "programme"
    hours_attended: Decimal
    social_studies_hours: Decimal


@dataclass
class TrainingHistory:
    weeks: list[TrainingWeekRow]
    tests: list[TestResult]
    total_hours: Decimal
    social_studies_hours: Decimal
    by_organisation: dict[str, Decimal]


def training_history(user: User, person, *, channel: str = "web") -> TrainingHistory:
    """Everything the person has been taught, in reception and in programmes in any municipality.

    Readable by whoever may read the person (002:L91–93): after a move the new municipality sees the
    hours given before; a municipality with no part in the person's case sees nothing (404).
    """
    from bro.reception.models import TrainingWeek

    if not permissions.can_read_training_history(user, person):
        raise Http404
    rows: list[TrainingWeekRow] = []
    for week in TrainingWeek.objects.filter(person=person).select_related("organisation"):
        rows.append(
            TrainingWeekRow(
                week.iso_year,
                week.iso_week,
                week.organisation.name,
                "reception",
                week.hours_attended,
                week.social_studies_hours or Decimal(0),
            )
        )
    programme: dict[tuple, TrainingWeekRow] = {}
    for week in (
        AttendanceWeek.objects.filter(person=person, measure_kind__in=TRAINING_MEASURES)
        .select_related("participant__municipality")
        .order_by("iso_year", "iso_week")
    ):
        key = (week.iso_year, week.iso_week, week.participant.municipality_id)
        row = programme.get(key)
        if row is None:
            row = programme[key] = TrainingWeekRow(
                week.iso_year,
                week.iso_week,
                week.participant.municipality.name,
                "programme",
                Decimal(0),
                Decimal(0),
            )
        row.hours_attended += week.hours_attended
        if week.measure_kind == "social_studies":
            row.social_studies_hours += week.hours_attended
    rows.extend(programme.values())
    rows.sort(key=lambda r: (r.iso_year, r.iso_week, r.source))
    by_org: dict[str, Decimal] = {}
    for row in rows:
        by_org[row.organisation] = by_org.get(row.organisation, Decimal(0)) + row.hours_attended
    tests = list(TestResult.objects.filter(person=person).select_related("organisation"))
    access = policy.access_to_person(user, person)
    audit.record(
        user=user,
        organisation=access.organisation,
        action=AuditAction.READ,
        object_type="qualification.training_history",
        person_id=person.id,
        summary=f"{len(rows)} weeks, {len(tests)} tests",
        channel=channel,
    )
    return TrainingHistory(
        weeks=rows,
        tests=tests,
        total_hours=sum((r.hours_attended for r in rows), Decimal(0)),
        social_studies_hours=sum((r.social_studies_hours for r in rows), Decimal(0)),
        by_organisation=by_org,
    )


def iso_week_of(day: datetime.date) -> tuple[int, int]:
    year, week, _ = day.isocalendar()
    return year, week


def municipality_choices(user: User) -> list[Organisation]:
    found = permissions.overview_municipalities(user)
    if found is None:
        from bro.core.roles import OrganisationKind

        return list(
            Organisation.objects.filter(kind=OrganisationKind.MUNICIPALITY, is_settlement_municipality=True)
        )
    return found


@dataclass
class DeadlineRow:
    code: str
    due: datetime.date
    source: str
    done_on: datetime.date | None
    state: str
    deviation: object | None = None
    detail: str = ""  # what the deadline is about, e.g. which decision must be registered

    @property
    def label(self) -> str:
        from bro.qualification.messages import DEADLINE_LABELS

        label = str(DEADLINE_LABELS.get(self.code, self.code))
        return f"{label}: {self.detail}" if self.detail else label

    @property
    def state_label(self) -> str:
        from bro.qualification.messages import STATE_LABELS

        return STATE_LABELS.get(self.state, self.state)


def case_deadlines(participant: Participant, today: datetime.date) -> list[DeadlineRow]:
    """The case's deadlines (rules.deadlines) with what was done when, and the state of each today."""
    from bro.qualification import rules
    from bro.qualification.decisions import leave_periods
    from bro.qualification.services import person_facts

    mapping = getattr(participant, "mapping", None)
    facts = person_facts(participant.person, participant.settlement_date)
    done = {
        "mapping": mapping.completed_on if mapping else None,
        "programme_start": participant.programme_start,
        "programme_end": participant.ended_on,
        "programme_end_max": participant.ended_on,
        "training_end": participant.ended_on,
    }
    deviations = {d.kind: d for d in participant.deviations.all()}
    rows = []
    for deadline in rules.deadlines(
        facts,
        programme_start=participant.programme_start,
        extension=participant.extension,
        leave=leave_periods(participant),
        temporary_rules=participant.temporary_rules,
    ):
        done_on = done.get(deadline.code)
        if deadline.code in ("programme_end", "programme_end_max", "training_end") and done_on is None:
            # An end date is not a task: it is "late" only when the programme runs past it.
            state = rules.deadline_state(deadline.due, None, today)
        else:
            state = rules.deadline_state(deadline.due, done_on, today)
        deviation = deviations.get("late_programme_start") if deadline.code == "programme_start" else None
        rows.append(DeadlineRow(deadline.code, deadline.due, deadline.source, done_on, state, deviation))
    rows.extend(_registration_deadlines(participant, today))
    return sorted(rows, key=lambda r: (r.due, r.code))


def _registration_deadlines(participant: Participant, today: datetime.date) -> list[DeadlineRow]:
    """Each decision and the end must be registered in NIR (DOMAIN §5 [public rule]) within the deadline of
    rules.nir_registration_deadline; it counts as registered once an export file covering its date was made
    on or after that date (nir.record_handover)."""
    from bro.qualification import rules
    from bro.qualification.models import EndReason, NirExport

    events = [(d.decided_on, d.get_kind_display()) for d in participant.decisions.order_by("decided_on")]
    if participant.ended_on is not None:
        events.append(
            (participant.ended_on, EndReason(participant.end_reason).label if participant.end_reason else "")
        )
    if not events:
        return []
    handovers = [
        (start, end, timezone.localtime(made).date())
        for start, end, made in NirExport.objects.filter(
            municipality_id=participant.municipality_id
        ).values_list("period_start", "period_end", "created_at")
    ]
    rows = []
    for day, what in events:
        deadline = rules.nir_registration_deadline(day)
        done_on = min(
            (made for start, end, made in handovers if start <= day <= end and made >= day), default=None
        )
        state = rules.deadline_state(deadline.due, done_on, today)
        rows.append(
            DeadlineRow(deadline.code, deadline.due, deadline.source, done_on, state, detail=str(what))
        )
    return rows
