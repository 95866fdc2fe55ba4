"""The NIR export's format and its validation report: pure, the JSON document in, issues out.

It works on the document alone, so a file downloaded earlier and edited by hand is checked by the same
rules as a fresh export (bro.qualification.nir builds the document; docs/nir-export.md describes it).
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext_lazy as _

from bro.people.phases import ImmigrantCategory, Sex
from bro.qualification import rules
from bro.qualification.models import (
    TRAINING_MEASURES,
    AppealOutcome,
    CefrLevel,
    DecisionKind,
    DelayCause,
    EndReason,
    Extension,
    FinalGoal,
    MeasureKind,
    OneYearStatus,
    Status,
)

FORMAT = "bro-nir"
VERSION = 1
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
