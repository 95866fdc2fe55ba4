"""The NIR export: a municipality's qualification registrations for a period, and its validation report.

Municipalities must register decisions, hours, measures, absence, final goals, end reasons and appeals in
the national introduction register NIR (DOMAIN.md §5 [public rule]). NIR's own file format is not in our
sources, so the export is *NIR-compatible*: the data NIR requires, in the documented structure of
docs/nir-export.md, which an integration maps to the register. The document is plain JSON (strings,
integers, booleans, null), so it round-trips through a file unchanged.

``build_export`` gathers and builds it (permission-checked, logged); ``validate`` is pure and works on the
JSON document alone, so a file downloaded earlier and edited by hand is checked by the same rules. The
export is the one place the identity number appears: NIR keys on it. It is never logged or shown.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Mapping
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch, Q
from django.utils import timezone

from bro.core import audit
from bro.core.models import AuditAction, Organisation, User
from bro.qualification import permissions, rules
from bro.qualification.models import (
    AppealOutcome,
    AttendanceWeek,
    Decision,
    DecisionKind,
    NirExport,
    Participant,
    PlanVersion,
)
from bro.qualification.nir_validation import (
    CODE_LISTS,
    ERROR,
    FORMAT,
    MESSAGES,
    VERSION,
    WARNING,
    Issue,
    describe,
    format_problem,
    report_groups,
    validate,
)

__all__ = [
    "CODE_LISTS",
    "ERROR",
    "FORMAT",
    "MAX_UPLOAD_BYTES",
    "MESSAGES",
    "VERSION",
    "WARNING",
    "Issue",
    "build_export",
    "case_labels",
    "describe",
    "file_name",
    "format_problem",
    "last_month",
    "month_period",
    "period_problems",
    "report_groups",
    "validate",
]

# A period of at most 13 months: a year plus the month before, so a yearly report can include December.
MAX_PERIOD_MONTHS = 13
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
_ONE_DAY = datetime.timedelta(days=1)


# --- the period --------------------------------------------------------------------------------------------


def period_problems(start: datetime.date, end: datetime.date, today: datetime.date) -> list[str]:
    """Codes for what is wrong with an export period: reversed, longer than 13 months, in the future."""
    problems = []
    if end < start:
        problems.append("period_reversed")
    elif end > rules.period_end(start, MAX_PERIOD_MONTHS):
        problems.append("period_too_long")
    if end > today:
        problems.append("period_in_future")
    return problems


def month_period(year: int, month: int, today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """A calendar month as a period; the current month ends today (what has been registered so far)."""
    first = datetime.date(year, month, 1)
    last = rules.add_months(first, 1) - _ONE_DAY
    if first <= today < last:
        last = today
    return first, last


def last_month(today: datetime.date) -> tuple[int, int]:
    previous = today.replace(day=1) - _ONE_DAY
    return previous.year, previous.month


def file_name(document: Mapping) -> str:
    period = document["period"]
    return f"bro-nir-{document['municipality']['number']}-{period['start']}-{period['end']}.json"


# --- gathering and building (reads personal data: permission-checked and logged) ---------------------------


def _iso(day: datetime.date | None) -> str | None:
    return day.isoformat() if day else None


def _hours(value: Decimal | None) -> str | None:
    return None if value is None else format(Decimal(value), ".1f")


def _code(value: str) -> str | None:
    return value or None


def _weeks_q(start: datetime.date, end: datetime.date) -> Q:
    """ISO weeks that overlap the period."""
    (y1, w1, _d1), (y2, w2, _d2) = start.isocalendar(), end.isocalendar()
    after = Q(iso_year__gt=y1) | Q(iso_year=y1, iso_week__gte=w1)
    before = Q(iso_year__lt=y2) | Q(iso_year=y2, iso_week__lte=w2)
    return after & before


def export_cases(
    user: User, municipality: Organisation, *, period_start: datetime.date, period_end: datetime.date
) -> list[Participant]:
    """The municipality's cases active at any time in the period (settled by its end, not ended before its
    start), with what the export needs prefetched. Only for the municipality's programme advisers."""
    if not permissions.can_export(user, municipality):
        raise PermissionDenied
    return list(
        Participant.objects.filter(municipality=municipality, settlement_date__lte=period_end)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=period_start))
        .select_related("person", "mapping")
        .prefetch_related(
            Prefetch("decisions", queryset=Decision.objects.order_by("decided_on", "created_at")),
            "decisions__appeals",
            Prefetch("plan_versions", queryset=PlanVersion.objects.order_by("number")),
            "plan_versions__measures",
            Prefetch(
                "attendance",
                queryset=AttendanceWeek.objects.filter(_weeks_q(period_start, period_end)).order_by(
                    "iso_year", "iso_week", "measure_kind", "measure_key"
                ),
            ),
        )
        .order_by("settlement_date", "id")
    )


def build_export(
    user: User,
    municipality: Organisation,
    *,
    period_start: datetime.date,
    period_end: datetime.date,
    channel: str = "web",
) -> dict:
    """The export document for the period (docs/nir-export.md). Logged as one list entry with the count and
    one read per case, never with an identity number. A bad period raises ValidationError."""
    if not permissions.can_export(user, municipality):
        raise PermissionDenied
    problems = period_problems(period_start, period_end, timezone.localdate())
    if problems:
        raise ValidationError([ValidationError(MESSAGES[code], code=code) for code in problems])
    cases = export_cases(user, municipality, period_start=period_start, period_end=period_end)
    document = {
        "format": FORMAT,
        "version": VERSION,
        "municipality": {
            "number": municipality.municipality.number if municipality.municipality else None,
            "name": municipality.name,
        },
        "period": {"start": period_start.isoformat(), "end": period_end.isoformat()},
        "generated_at": timezone.localtime().isoformat(timespec="seconds"),
        "participants": [participant_document(p, period_start, period_end) for p in cases],
    }
    audit.record(
        user=user,
        organisation=municipality,
        action=AuditAction.LIST,
        object_type="qualification.nir_export",
        summary=f"NIR export {period_start.isoformat()}–{period_end.isoformat()}: {len(cases)} participants",
        channel=channel,
    )
    for p in cases:
        audit.record(
            user=user,
            organisation=municipality,
            action=AuditAction.READ,
            obj=p,
            person_id=p.person_id,
            summary="NIR export",
            channel=channel,
        )
    return document


def record_handover(
    user: User, municipality: Organisation, document: Mapping, *, channel: str = "web"
) -> NirExport:
    """Record that the export file was handed out for registration in NIR: the registration deadlines of
    decisions and ends in its period count as met from now (selectors.case_deadlines)."""
    if not permissions.can_export(user, municipality):
        raise PermissionDenied
    export = NirExport.objects.create(
        municipality=municipality,
        period_start=datetime.date.fromisoformat(document["period"]["start"]),
        period_end=datetime.date.fromisoformat(document["period"]["end"]),
        participants=len(document["participants"]),
        created_by=user,
    )
    audit.record(
        user=user,
        organisation=municipality,
        action=AuditAction.CREATE,
        obj=export,
        summary=f"NIR export file {export.period_start.isoformat()}–{export.period_end.isoformat()}",
        channel=channel,
    )
    return export


def _plan_periods(versions: list[PlanVersion]) -> list[tuple[PlanVersion, datetime.date | None]]:
    """Each version with the last day it was valid: the day before the next version took over."""
    result = []
    for i, version in enumerate(versions):
        following = versions[i + 1] if i + 1 < len(versions) else None
        result.append((version, following.valid_from - _ONE_DAY if following else None))
    return result


def participant_document(p: Participant, start: datetime.date, end: datetime.date) -> dict:
    """One case as the export's JSON object (expects the prefetches of ``export_cases``)."""
    person = p.person
    mapping = getattr(p, "mapping", None)
    decisions = list(p.decisions.all())
    leave = [(d.effective_from, d.effective_to) for d in decisions if d.kind == DecisionKind.LEAVE]
    programme_decisions = [d.decided_on for d in decisions if d.kind == DecisionKind.PROGRAMME]
    planned_end = None
    if p.programme_start:
        try:
            planned_end = rules.programme_end(
                p.programme_start,
                extension=p.extension,
                leave_days=rules.leave_days(leave),
                temporary_rules=p.temporary_rules,
            )
        except (ValueError, LookupError):  # an extension the temporary rules do not have: no planned end
            planned_end = None
    appeals = [
        (d, a)
        for d in decisions
        for a in d.appeals.all()
        if a.received_on <= end and (a.outcome == AppealOutcome.PENDING or (a.outcome_on or end) >= start)
    ]
    plans = [
        (v, valid_to)
        for v, valid_to in _plan_periods(list(p.plan_versions.all()))
        if v.valid_from <= end and (valid_to is None or valid_to >= start)
    ]
    return {
        "ref": str(p.pk),
        "person": {
            "identity_number": person.national_identity_number or None,
            "duf_number": person.duf_number or None,
            "birth_date": _iso(person.birth_date),
            "sex": _code(person.sex),
            "immigrant_category": _code(person.immigrant_category),
        },
        "settlement_date": _iso(p.settlement_date),
        "permit_date": _iso(p.permit_date),
        "rights": {
            "programme": _code(p.programme_status),
            "training": _code(p.training_status),
            "temporary_rules": p.temporary_rules,
        },
        "mapping_completed_on": _iso(mapping.completed_on if mapping else None),
        "goals": {
            "final_goal": _code(p.final_goal),
            "norwegian_goal": _code(p.norwegian_goal),
            "integration_contract_signed": _iso(p.integration_contract_signed),
        },
        "programme": {
            "decided_on": _iso(min(programme_decisions)) if programme_decisions else None,
            "start": _iso(p.programme_start),
            "start_delay_cause": _code(p.start_delay_cause),
            "extension": _code(p.extension),
            "planned_end": _iso(planned_end),
        },
        "leave": [
            {"from": _iso(first), "to": _iso(last)} for first, last in leave if first <= end and last >= start
        ],
        "decisions": [
            {
                "ref": str(d.pk),
                "kind": d.kind,
                "decided_on": _iso(d.decided_on),
                "effective_from": _iso(d.effective_from),
                "effective_to": _iso(d.effective_to),
            }
            for d in decisions
            if start <= d.decided_on <= end
        ],
        "appeals": [
            {
                "ref": str(a.pk),
                "decision": str(d.pk),
                "decision_kind": d.kind,
                "decided_on": _iso(d.decided_on),
                "received_on": _iso(a.received_on),
                "outcome": a.outcome,
                "outcome_on": _iso(a.outcome_on),
            }
            for d, a in appeals
        ],
        "plans": [
            {
                "version": v.number,
                "valid_from": _iso(v.valid_from),
                "valid_to": _iso(valid_to),
                "measures": [
                    {
                        "key": str(m.key),
                        "kind": m.kind,
                        "hours_per_week": _hours(m.hours_per_week),
                        "days_per_week": m.days_per_week,
                        "start": _iso(m.start),
                        "end": _iso(m.end),
                    }
                    for m in v.measures.all()
                ],
            }
            for v, valid_to in plans
        ],
        "attendance": [
            {
                "measure_key": str(w.measure_key),
                "measure_kind": w.measure_kind,
                "iso_year": w.iso_year,
                "iso_week": w.iso_week,
                "hours_attended": _hours(w.hours_attended),
                "valid_absence_hours": _hours(w.valid_absence_hours),
                "unexcused_absence_hours": _hours(w.unexcused_absence_hours),
            }
            for w in p.attendance.all()
        ],
        "end": {"date": _iso(p.ended_on), "reason": _code(p.end_reason)},
        "one_year_after": {
            "status": _code(p.one_year_status),
            "weekly_work_hours": _hours(p.one_year_weekly_work_hours),
            "recorded_on": _iso(p.one_year_recorded_on),
        },
    }


def case_labels(user: User, refs: list[str], *, channel: str = "web") -> dict[str, str]:
    """Names for the report: ref → the participant's name, for the cases of the municipalities the user
    exports for. Refs of other cases (or nonsense in an uploaded file) get no name."""
    ids = set()
    for ref in refs:
        try:
            ids.add(uuid.UUID(str(ref)))
        except ValueError:
            continue
    municipalities = permissions.adviser_municipalities(user)
    if not ids or not municipalities:
        return {}
    found = {
        str(p.pk): p.person.full_name
        for p in Participant.objects.filter(pk__in=ids, municipality__in=municipalities).select_related(
            "person"
        )
    }
    audit.record(
        user=user,
        organisation=municipalities[0] if len(municipalities) == 1 else None,
        action=AuditAction.LIST,
        object_type="qualification.participant",
        summary=f"NIR validation report: {len(found)} participants",
        channel=channel,
    )
    return found
