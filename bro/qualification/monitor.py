"""The deadline monitor: every open case's deadlines with their state, what is late and why (issue 5).

Deadlines and their states come from ``selectors.case_deadlines`` (``rules.deadlines``, ``rules.deadline_state``).
A late programme start is explained by its recorded ``Deviation`` (cause and days late; missing health checks
and kindergarten places are breaches of law, 004:L1283–1285); a start deadline that passed without a start
is late with its cause not recorded, so that it is not missed silently.

Scope: the municipalities whose aggregates the user sees (``permissions.overview_municipalities``). Names
are shown only for the cases the user may read (``selectors.participant_queryset``): advisers see their
municipality's participants; leadership and the directorate see counts only. Every monitor read is logged.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Sum
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from bro.core import audit
from bro.core.models import AuditAction, Organisation, User
from bro.qualification import permissions, rules, selectors
from bro.qualification.messages import DEADLINE_LABELS, STATE_LABELS
from bro.qualification.models import AttendanceWeek, Deviation, Participant

STATES = (rules.LATE, rules.DUE_SOON, rules.OPEN, rules.DONE_LATE, rules.DONE)
# Designsystemet tag colours per state.
STATE_COLOURS = {
    rules.LATE: "danger",
    rules.DUE_SOON: "warning",
    rules.OPEN: "neutral",
    rules.DONE_LATE: "warning",
    rules.DONE: "success",
}
# The deviation recorded when each deadline is missed (none for the others).
DEVIATION_KIND = {
    rules.PROGRAMME_START: Deviation.Kind.LATE_PROGRAMME_START,
    rules.MAPPING: Deviation.Kind.LATE_MAPPING,
}
NO_ADVISER = "none"


@dataclass(frozen=True)
class DeadlineStatus:
    """One deadline of one case, with its state and, when it is or was missed, why."""

    code: str
    due: datetime.date
    source: str
    done_on: datetime.date | None
    state: str
    days_late: int = 0
    deviation: Deviation | None = None

    @property
    def label(self):
        return DEADLINE_LABELS.get(self.code, self.code)

    @property
    def state_label(self):
        return STATE_LABELS.get(self.state, self.state)

    @property
    def colour(self) -> str:
        return STATE_COLOURS[self.state]

    @property
    def is_missed(self) -> bool:
        return self.state in (rules.LATE, rules.DONE_LATE)

    @property
    def cause(self) -> str:
        """The recorded cause (a DelayCause code), or "" when none is recorded."""
        return self.deviation.cause if self.deviation is not None else ""

    @property
    def cause_label(self):
        if self.deviation is not None and self.deviation.cause:
            return self.deviation.get_cause_display()
        return _("Cause not recorded")


@dataclass
class CaseRow:
    participant: Participant
    deadlines: list[DeadlineStatus]

    @property
    def next_deadline(self) -> DeadlineStatus | None:
        """The earliest deadline not yet met (late ones first, since they are the earliest)."""
        pending = [d for d in self.deadlines if d.state in (rules.LATE, rules.DUE_SOON, rules.OPEN)]
        return min(pending, key=lambda d: d.due) if pending else None


@dataclass
class AdviserGroup:
    """The cases of one adviser (``adviser`` None: cases without an adviser)."""

    adviser: User | None
    counts: Counter = field(default_factory=Counter)
    cases: list[CaseRow] = field(default_factory=list)  # only cases the reader may see by name
    case_count: int = 0

    @property
    def key(self) -> str:
        return str(self.adviser.pk) if self.adviser is not None else NO_ADVISER

    @property
    def name(self):
        if self.adviser is None:
            return _("No adviser")
        return self.adviser.display_name

    @property
    def state_counts(self) -> list[tuple[str, object, int]]:
        return [(s, STATE_LABELS[s], self.counts.get(s, 0)) for s in STATES]


@dataclass
class DeviationSummary:
    year: int
    total: int
    by_cause: list[tuple[str, object, int]]  # (cause code, label, count), the most frequent first
    rows: list[Deviation]  # only deviations of cases the reader may see by name


@dataclass
class Monitor:
    municipality: Organisation
    today: datetime.date
    counts: Counter
    groups: list[AdviserGroup]
    advisers: list[AdviserGroup]  # every adviser group, for the filter, regardless of the filters
    case_count: int
    shown_count: int  # cases listed by name
    show_names: bool  # the reader works with the cases (false: counts only)
    deviations: DeviationSummary

    @property
    def state_counts(self) -> list[tuple[str, object, int, str]]:
        return [(s, STATE_LABELS[s], self.counts.get(s, 0), STATE_COLOURS[s]) for s in STATES]


# --- computing one case's deadlines -----------------------------------------------------------------------


def case_deadlines(participant: Participant, today: datetime.date) -> list[DeadlineStatus]:
    """The case's deadlines and their states (``selectors.case_deadlines``), with how many days each missed
    one is or was late and its recorded deviation, if any."""
    deviations = {d.kind: d for d in participant.deviations.all()}
    result = []
    for row in selectors.case_deadlines(participant, today):
        days_late = 0
        if row.state == rules.LATE:
            days_late = (today - row.due).days
        elif row.state == rules.DONE_LATE:
            days_late = (row.done_on - row.due).days
        deviation = deviations.get(DEVIATION_KIND.get(row.code)) if days_late else None
        result.append(
            DeadlineStatus(
                code=row.code,
                due=row.due,
                source=row.source,
                done_on=row.done_on,
                state=row.state,
                days_late=days_late,
                deviation=deviation,
            )
        )
    return result


# --- the monitor ------------------------------------------------------------------------------------------


def municipality_for(user: User, municipality_id=None) -> Organisation | None:
    """The municipality the user asked for, if they may see its monitor (else 404); without a choice, their
    only municipality, or None (the directorate, or several municipalities: they choose)."""
    choices = selectors.municipality_choices(user)
    if municipality_id:
        found = next((m for m in choices if str(m.pk) == str(municipality_id)), None)
        if found is None:
            raise Http404
        return found
    return choices[0] if len(choices) == 1 else None


def _cases(municipality: Organisation):
    return (
        Participant.objects.filter(municipality=municipality, ended_on__isnull=True)
        .select_related("person", "adviser", "mapping")
        .prefetch_related("deviations")
        .order_by("person__family_name", "person__given_name", "id")
    )


def readable_case_ids(user: User, *, include_ended: bool = False) -> set:
    return set(selectors.participant_queryset(user, include_ended=include_ended).values_list("id", flat=True))


def monitor(
    user: User,
    municipality: Organisation,
    *,
    today: datetime.date,
    state: str = "",
    adviser: str = "",
    year: int | None = None,
    channel: str = "web",
) -> Monitor:
    """The municipality's open cases and their deadlines, grouped per adviser; counts per state at the top.

    ``state`` keeps only deadlines in that state (and the cases that have one); ``adviser`` keeps one
    adviser's cases (a user id, or ``NO_ADVISER``). Counts follow the filters. The caller has checked that
    the user may see the municipality (``municipality_for``).
    """
    readable = readable_case_ids(user)
    groups: dict[str, AdviserGroup] = {}
    all_groups: dict[str, AdviserGroup] = {}
    counts: Counter = Counter()
    case_count = shown = 0
    for participant in _cases(municipality):
        key = str(participant.adviser_id) if participant.adviser_id else NO_ADVISER
        all_groups.setdefault(key, AdviserGroup(participant.adviser))
        if adviser and key != adviser:
            continue
        deadlines = case_deadlines(participant, today)
        if state:
            deadlines = [d for d in deadlines if d.state == state]
            if not deadlines:
                continue
        group = groups.setdefault(key, AdviserGroup(participant.adviser))
        group.case_count += 1
        case_count += 1
        for d in deadlines:
            group.counts[d.state] += 1
            counts[d.state] += 1
        if participant.pk in readable:
            group.cases.append(CaseRow(participant, deadlines))
            shown += 1
    ordered = sorted(groups.values(), key=_group_order)
    year = year or today.year
    summary = deviation_summary(user, municipality, year=year)
    audit.record(
        user=user,
        organisation=municipality,
        action=AuditAction.LIST,
        object_type="qualification.monitor",
        summary=f"{case_count} cases, {shown} by name; {summary.total} deviations in {year}, "
        f"{len(summary.rows)} by name",
        channel=channel,
    )
    return Monitor(
        municipality=municipality,
        today=today,
        counts=counts,
        groups=ordered,
        advisers=sorted(all_groups.values(), key=_group_order),
        case_count=case_count,
        shown_count=shown,
        show_names=bool(shown) or municipality in permissions.adviser_municipalities(user),
        deviations=summary,
    )


def _group_order(group: AdviserGroup):
    # Advisers by name; cases without an adviser last.
    return (group.adviser is None, str(group.name).lower())


def deviation_summary(user: User, municipality: Organisation, *, year: int) -> DeviationSummary:
    """Deviations whose deadline fell in ``year``, in open and ended cases of the municipality, counted per
    cause; listed one by one only for cases the user may read."""
    deviations = list(
        Deviation.objects.filter(participant__municipality=municipality, due__year=year)
        .select_related("participant__person")
        .order_by("due", "participant__person__family_name")
    )
    by_cause = Counter(d.cause for d in deviations)
    labels = {d.cause: (d.get_cause_display() if d.cause else _("Cause not recorded")) for d in deviations}
    readable = readable_case_ids(user, include_ended=True) if deviations else set()
    return DeviationSummary(
        year=year,
        total=len(deviations),
        by_cause=[(cause, labels[cause], n) for cause, n in by_cause.most_common()],
        rows=[d for d in deviations if d.participant_id in readable],
    )


def deviation_years(municipality: Organisation, today: datetime.date) -> list[int]:
    years = set(
        Deviation.objects.filter(participant__municipality=municipality).values_list("due__year", flat=True)
    )
    years.add(today.year)
    return sorted(years, reverse=True)


# --- the adviser's week -----------------------------------------------------------------------------------


@dataclass
class WeekRow:
    participant: Participant
    next_deadline: DeadlineStatus | None
    planned_hours: Decimal
    attended_hours: Decimal | None  # None: nothing recorded this week
    valid_absence_hours: Decimal
    unexcused_absence_hours: Decimal

    @property
    def unaccounted_hours(self) -> Decimal | None:
        """Planned hours neither attended nor recorded as absence (None when nothing is recorded)."""
        if self.attended_hours is None:
            return None
        rest = (
            self.planned_hours - self.attended_hours - self.valid_absence_hours - self.unexcused_absence_hours
        )
        return max(rest, Decimal(0))


@dataclass
class MyWeek:
    iso_year: int
    iso_week: int
    monday: datetime.date
    sunday: datetime.date
    rows: list[WeekRow]


def planned_hours(participant: Participant, monday: datetime.date, sunday: datetime.date) -> Decimal:
    """Hours a week in the current plan's measures running in the week (current plan: the latest version)."""
    plan = selectors.current_plan(participant)
    if plan is None:
        return Decimal(0)
    return sum(
        (m.hours_per_week for m in plan.measures.all() if m.start <= sunday and m.end >= monday), Decimal(0)
    )


def my_week(user: User, municipality: Organisation, *, today: datetime.date, channel: str = "web") -> MyWeek:
    """The user's own participants (they are the adviser) in the municipality: next deadline, and hours this
    ISO week planned in the current plan against what is recorded. Logged as a list read."""
    iso_year, iso_week, weekday = today.isocalendar()
    monday = today - datetime.timedelta(days=weekday - 1)
    sunday = monday + datetime.timedelta(days=6)
    readable = readable_case_ids(user)
    mine = [p for p in _cases(municipality).filter(adviser=user) if p.pk in readable]
    recorded = {
        row["participant_id"]: row
        for row in AttendanceWeek.objects.filter(participant__in=mine, iso_year=iso_year, iso_week=iso_week)
        .values("participant_id")
        .annotate(
            attended=Sum("hours_attended"),
            valid=Sum("valid_absence_hours"),
            unexcused=Sum("unexcused_absence_hours"),
        )
    }
    rows = []
    for p in mine:
        found = recorded.get(p.pk)
        rows.append(
            WeekRow(
                participant=p,
                next_deadline=CaseRow(p, case_deadlines(p, today)).next_deadline,
                planned_hours=planned_hours(p, monday, sunday),
                attended_hours=found["attended"] if found else None,
                valid_absence_hours=found["valid"] if found else Decimal(0),
                unexcused_absence_hours=found["unexcused"] if found else Decimal(0),
            )
        )
    if rows:
        audit.record(
            user=user,
            organisation=municipality,
            action=AuditAction.LIST,
            object_type="qualification.my_week",
            summary=f"{len(rows)} participants, week {iso_year}-{iso_week:02d}",
            channel=channel,
        )
    return MyWeek(iso_year, iso_week, monday, sunday, rows)
