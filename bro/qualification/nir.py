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
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bro.core import audit
from bro.core.models import AuditAction, Organisation, User
from bro.people.phases import ImmigrantCategory, Sex
from bro.qualification import permissions, rules
from bro.qualification.models import (
    TRAINING_MEASURES,
    AppealOutcome,
    AttendanceWeek,
    CefrLevel,
    Decision,
    DecisionKind,
    DelayCause,
    EndReason,
    Extension,
    FinalGoal,
    MeasureKind,
    OneYearStatus,
    Participant,
    PlanVersion,
    Status,
)

FORMAT = "bro-nir"
VERSION = 1
# A period of at most 13 months: a year plus the month before, so a yearly report can include December.
MAX_PERIOD_MONTHS = 13
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
# An appeal without an outcome after this many months gets a warning [our threshold: the brief's, not a
# statutory time limit].
APPEAL_WARNING_MONTHS = 3

ERROR = "error"
WARNING = "warning"

# The code lists of the document, taken from the models' choices; docs/nir-export.md lists every value
# (tests/qualification/test_nir.py checks that the document and these lists agree).
CODE_LISTS: dict[str, tuple[str, ...]] = {
    "sex": tuple(Sex.values),
    "immigrant_category": tuple(ImmigrantCategory.values),
    "status": tuple(Status.values),
    "extension": tuple(Extension.values),
    "delay_cause": tuple(DelayCause.values),
    "final_goal": tuple(FinalGoal.values),
    "cefr_level": tuple(CefrLevel.values),
    "decision_kind": tuple(DecisionKind.values),
    "appeal_outcome": tuple(AppealOutcome.values),
    "measure_kind": tuple(MeasureKind.values),
    "end_reason": tuple(EndReason.values),
    "one_year_status": tuple(OneYearStatus.values),
}
_TRAINING_KINDS = frozenset(str(k) for k in TRAINING_MEASURES)
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


# --- validation (pure: the JSON document in, issues out) ---------------------------------------------------


@dataclass(frozen=True)
class Issue:
    severity: str  # ERROR or WARNING
    ref: str  # the participant's ref; "" for the document as a whole
    field: str  # where in the participant's object, e.g. "end.reason" or "attendance[2].iso_week"
    code: str
    params: dict = field(default_factory=dict, compare=True, hash=False)


def format_problem(document) -> str | None:
    """Why this is not an export document of this format and version, or None when it is one."""
    if not isinstance(document, Mapping):
        return "not_an_object"
    if document.get("format") != FORMAT:
        return "wrong_format"
    if document.get("version") != VERSION:
        return "wrong_version"
    if not isinstance(document.get("participants"), list):
        return "no_participants"
    period = document.get("period")
    if not isinstance(period, Mapping) or _parse_date(period.get("start")) is None:
        return "no_period"
    if _parse_date(period.get("end")) is None:
        return "no_period"
    return None


def _parse_date(value) -> datetime.date | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        return None


def _week_bounds(year, week) -> tuple[datetime.date, datetime.date] | None:
    if not isinstance(year, int) or not isinstance(week, int) or isinstance(year, bool):
        return None
    try:
        monday = datetime.date.fromisocalendar(year, week, 1)
    except ValueError:
        return None
    return monday, monday + datetime.timedelta(days=6)


class _Reader:
    """Reads one participant's values, recording an issue for each missing or malformed one."""

    def __init__(self, ref: str, issues: list[Issue]):
        self.ref, self.issues = ref, issues

    def add(self, severity: str, path: str, code: str, **params) -> None:
        self.issues.append(Issue(severity, self.ref, path, code, params))

    def obj(self, parent, key: str, path: str) -> Mapping:
        value = parent.get(key) if isinstance(parent, Mapping) else None
        if value is None:
            return {}
        if not isinstance(value, Mapping):
            self.add(ERROR, path, "invalid_value")
            return {}
        return value

    def items(self, parent, key: str) -> list[tuple[str, Mapping]]:
        value = parent.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.add(ERROR, key, "invalid_value")
            return []
        result = []
        for i, item in enumerate(value):
            if isinstance(item, Mapping):
                result.append((f"{key}[{i}]", item))
            else:
                self.add(ERROR, f"{key}[{i}]", "invalid_value")
        return result

    def date(self, parent: Mapping, key: str, path: str, *, required: bool = False) -> datetime.date | None:
        value = parent.get(key)
        if value in (None, ""):
            if required:
                self.add(ERROR, path, "missing_value")
            return None
        parsed = _parse_date(value)
        if parsed is None:
            self.add(ERROR, path, "invalid_date", value=str(value)[:40])
        return parsed

    def code(self, parent: Mapping, key: str, path: str, codes: str, *, required: bool = False) -> str | None:
        value = parent.get(key)
        if value in (None, ""):
            if required:
                self.add(ERROR, path, "missing_value")
            return None
        if value not in CODE_LISTS[codes]:
            self.add(ERROR, path, "unknown_code", value=str(value)[:40])
            return None
        return value

    def hours(self, parent: Mapping, key: str, path: str) -> Decimal | None:
        value = parent.get(key)
        if value in (None, ""):
            return None
        if isinstance(value, bool | float) or not isinstance(value, int | str | Decimal):
            self.add(ERROR, path, "invalid_number", value=str(value)[:40])
            return None
        try:
            number = Decimal(str(value))
        except InvalidOperation:
            self.add(ERROR, path, "invalid_number", value=str(value)[:40])
            return None
        if not number.is_finite() or number < 0:
            self.add(ERROR, path, "invalid_number", value=str(value)[:40])
            return None
        return number


def validate(document) -> list[Issue]:
    """Everything missing or inconsistent in an export document, as issues (errors and warnings).

    A document of another format gets one document-level issue and nothing else is checked.
    """
    problem = format_problem(document)
    if problem:
        return [Issue(ERROR, "", "format", problem)]
    period_end = _parse_date(document["period"]["end"])
    issues: list[Issue] = []
    seen: set[str] = set()
    for i, participant in enumerate(document["participants"]):
        if not isinstance(participant, Mapping):
            issues.append(Issue(ERROR, "", f"participants[{i}]", "invalid_value"))
            continue
        ref = str(participant.get("ref") or f"#{i + 1}")
        if ref in seen:
            issues.append(Issue(ERROR, ref, "ref", "duplicate_ref"))
        seen.add(ref)
        _validate_participant(_Reader(ref, issues), participant, period_end)
    return issues


def _validate_participant(r: _Reader, p: Mapping, period_end: datetime.date) -> None:
    person = r.obj(p, "person", "person")
    if not person.get("identity_number") and not person.get("duf_number"):
        r.add(ERROR, "person.identity_number", "no_identity")
    r.date(person, "birth_date", "person.birth_date", required=True)
    r.code(person, "sex", "person.sex", "sex", required=True)
    r.code(person, "immigrant_category", "person.immigrant_category", "immigrant_category", required=True)
    settled = r.date(p, "settlement_date", "settlement_date", required=True)
    rights = r.obj(p, "rights", "rights")
    r.code(rights, "programme", "rights.programme", "status")
    r.code(rights, "training", "rights.training", "status")
    mapped = r.date(p, "mapping_completed_on", "mapping_completed_on")
    goals = r.obj(p, "goals", "goals")
    final_goal = r.code(goals, "final_goal", "goals.final_goal", "final_goal")
    r.code(goals, "norwegian_goal", "goals.norwegian_goal", "cefr_level")

    programme = r.obj(p, "programme", "programme")
    start = r.date(programme, "start", "programme.start")
    decided = r.date(programme, "decided_on", "programme.decided_on")
    cause = r.code(programme, "start_delay_cause", "programme.start_delay_cause", "delay_cause")
    r.code(programme, "extension", "programme.extension", "extension")
    planned_end = r.date(programme, "planned_end", "programme.planned_end")
    for path, leave in r.items(p, "leave"):
        r.date(leave, "from", f"{path}.from", required=True)
        r.date(leave, "to", f"{path}.to", required=True)
    for path, d in r.items(p, "decisions"):
        kind = r.code(d, "kind", f"{path}.kind", "decision_kind", required=True)
        day = r.date(d, "decided_on", f"{path}.decided_on", required=True)
        r.date(d, "effective_from", f"{path}.effective_from", required=True)
        if kind == DecisionKind.PROGRAMME and day and (decided is None or day < decided):
            decided = day
    started = start is not None and start <= period_end
    if started and decided is None:
        r.add(ERROR, "programme.decided_on", "no_programme_decision")
    if decided is not None and mapped is None:
        r.add(ERROR, "mapping_completed_on", "decision_without_mapping", decided=decided)
    elif decided is not None and decided < mapped:
        r.add(ERROR, "programme.decided_on", "decision_before_mapping", decided=decided, mapped=mapped)
    if start and settled:
        due = rules.programme_start_deadline(settled).due
        if start > due and not cause:
            r.add(WARNING, "programme.start_delay_cause", "late_start_without_cause", due=due, start=start)
    if started and not final_goal:
        r.add(WARNING, "goals.final_goal", "no_final_goal")

    for path, a in r.items(p, "appeals"):
        received = r.date(a, "received_on", f"{path}.received_on", required=True)
        outcome = r.code(a, "outcome", f"{path}.outcome", "appeal_outcome")
        outcome_on = r.date(a, "outcome_on", f"{path}.outcome_on")
        pending = outcome in (None, AppealOutcome.PENDING)
        if not pending and outcome_on is None:
            r.add(ERROR, f"{path}.outcome_on", "missing_value")
        if pending and received and rules.add_months(received, APPEAL_WARNING_MONTHS) < period_end:
            r.add(WARNING, f"{path}.outcome", "appeal_without_outcome", received=received)

    for path, plan in r.items(p, "plans"):
        r.date(plan, "valid_from", f"{path}.valid_from", required=True)
        for mpath, m in r.items(plan, "measures"):
            mpath = f"{path}.{mpath}"
            r.code(m, "kind", f"{mpath}.kind", "measure_kind", required=True)
            hours = r.hours(m, "hours_per_week", f"{mpath}.hours_per_week")
            if hours is None or hours == 0:
                r.add(ERROR, f"{mpath}.hours_per_week", "measure_without_hours")
            r.date(m, "start", f"{mpath}.start", required=True)
            r.date(m, "end", f"{mpath}.end", required=True)

    end = r.obj(p, "end", "end")
    ended = r.date(end, "date", "end.date")
    reason = end.get("reason")
    if ended and reason in (None, ""):
        r.add(ERROR, "end.reason", "end_reason_missing")
    elif reason not in (None, ""):
        r.code(end, "reason", "end.reason", "end_reason")
    one_year = r.obj(p, "one_year_after", "one_year_after")
    r.code(one_year, "status", "one_year_after.status", "one_year_status")
    r.hours(one_year, "weekly_work_hours", "one_year_after.weekly_work_hours")

    _validate_attendance(r, p, settled=settled, start=start, last=ended or planned_end)


def _validate_attendance(r: _Reader, p: Mapping, *, settled, start, last) -> None:
    """Weeks outside the period they belong to, and weeks over full time (37.5 h, 004:L378–380).

    Programme measures belong to the programme period (start to end, or to the planned end); Norwegian and
    social-studies training is its own right, so those weeks belong to the case (settlement to end).
    """
    totals: dict[tuple[int, int], Decimal] = {}
    for path, w in r.items(p, "attendance"):
        kind = r.code(w, "measure_kind", f"{path}.measure_kind", "measure_kind", required=True)
        year, number = w.get("iso_year"), w.get("iso_week")
        bounds = _week_bounds(year, number)
        if bounds is None:
            r.add(ERROR, f"{path}.iso_week", "invalid_week", year=str(year)[:8], week=str(number)[:8])
        hours = Decimal(0)
        for name in ("hours_attended", "valid_absence_hours", "unexcused_absence_hours"):
            hours += r.hours(w, name, f"{path}.{name}") or Decimal(0)
        if bounds is None:
            continue
        totals[(year, number)] = totals.get((year, number), Decimal(0)) + hours
        monday, sunday = bounds
        first = settled if kind in _TRAINING_KINDS else start
        if first is None or sunday < first or (last is not None and monday > last):
            r.add(ERROR, f"{path}.iso_week", "attendance_outside_programme", year=year, week=number)
    for (year, number), hours in sorted(totals.items()):
        if hours > rules.FULL_TIME_HOURS_PER_WEEK:
            r.add(ERROR, "attendance", "week_over_full_time", year=year, week=number, hours=hours)


# --- the report ---------------------------------------------------------------------------------------------


MESSAGES = {
    "period_reversed": _("The period must end on or after its start."),
    "period_too_long": _("The period can be at most 13 months."),
    "period_in_future": _("The period cannot end in the future."),
    "not_an_object": _("The file is not a Bro NIR export: it does not hold a JSON object."),
    "wrong_format": _("The file is not a Bro NIR export (the format is not “bro-nir”)."),
    "wrong_version": _("The file is a Bro NIR export of a version this page does not read."),
    "no_participants": _("The file has no list of participants."),
    "no_period": _("The file has no valid period."),
    "invalid_value": _("The value has the wrong form."),
    "missing_value": _("The value is missing."),
    "invalid_date": _("“%(value)s” is not a date (YYYY-MM-DD)."),
    "invalid_number": _("“%(value)s” is not a number of hours."),
    "unknown_code": _("“%(value)s” is not in the code list."),
    "duplicate_ref": _("The same case appears twice."),
    "no_identity": _("Both the identity number and the DUF number are missing."),
    "end_reason_missing": _("The programme has ended but the end reason is missing."),
    "no_programme_decision": _(
        "The programme has started but there is no decision on introduction programme."
    ),
    "decision_before_mapping": _(
        "The programme decision (%(decided)s) was made before the competence mapping was completed "
        "(%(mapped)s)."
    ),
    "decision_without_mapping": _(
        "The programme decision (%(decided)s) was made, but no competence mapping is registered as completed."
    ),
    "measure_without_hours": _("The measure has no planned hours per week."),
    "invalid_week": _("Week %(week)s of %(year)s is not a valid ISO week."),
    "attendance_outside_programme": _(
        "Hours are registered for week %(week)s of %(year)s, outside the period."
    ),
    "week_over_full_time": _(
        "Week %(week)s of %(year)s has %(hours)s hours attended and absent, more than 37.5."
    ),
    "appeal_without_outcome": _(
        "The appeal received %(received)s has had no outcome for more than 3 months."
    ),
    "late_start_without_cause": _(
        "The programme started %(start)s, after the deadline %(due)s, and no cause is recorded."
    ),
    "no_final_goal": _("The programme has started but no final goal is registered."),
}


def describe(issue: Issue) -> str:
    """The issue in the user's language."""
    params = {k: (v.isoformat() if isinstance(v, datetime.date) else v) for k, v in issue.params.items()}
    message = str(MESSAGES[issue.code])
    return message % params if params else message


@dataclass
class ReportGroup:
    ref: str
    name: str | None  # None when the case is not one of the user's (or the ref is not a case)
    issues: list[Issue]


def report_groups(issues: list[Issue], names: Mapping[str, str]) -> list[ReportGroup]:
    """Issues grouped by participant, document-level first, then by name (unknown cases last)."""
    grouped: dict[str, list[Issue]] = {}
    for issue in issues:
        grouped.setdefault(issue.ref, []).append(issue)
    groups = [ReportGroup(ref, names.get(ref), found) for ref, found in grouped.items()]
    for group in groups:
        group.issues.sort(key=lambda i: (i.severity != ERROR, i.field))
    return sorted(groups, key=lambda g: (g.ref != "", g.name is None, g.name or "", g.ref))
