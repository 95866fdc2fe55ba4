"""Reports: the NIR export and its validation report (nir.py), the deadline monitor with the adviser's week
(monitor.py) and the leadership's programme results (overview.py)."""

from __future__ import annotations

import datetime
import enum
import json
import uuid
from decimal import Decimal
from typing import Annotated, Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja import Field, Router, Schema
from pydantic import ConfigDict

from bro.core.api import IsoDate, Text, error_responses
from bro.core.models import Organisation
from bro.qualification import monitor as monitor_selectors
from bro.qualification import nir, permissions, selectors
from bro.qualification import overview as results_selectors
from bro.qualification.api.common import refuse

router = Router()

Year = Annotated[int, Field(ge=1900, le=2200)]
CHOOSE_MUNICIPALITY = _("Choose a municipality to see its deadlines.")
ADVISER_FILTER = _("Give an adviser's user id, or “none” for the cases without an adviser.")


class IssueOut(Schema):
    severity: str = Field(..., description="error or warning")
    field: str = Field(..., description="Where in the participant's object, e.g. end.reason")
    code: str
    message: str


class ReportGroupOut(Schema):
    ref: str = Field(..., description="The participant's ref (the case id); empty for the whole document")
    name: str | None = Field(..., description="The participant's name, for cases of your municipalities")
    issues: list[IssueOut]


class ReportOut(Schema):
    participants: int
    errors: int
    warnings: int
    groups: list[ReportGroupOut]


class NirDocumentIn(Schema):
    """An export document as ``/nir/export`` gives it (docs/nir-export.md); every other field is read too."""

    model_config = ConfigDict(extra="allow")

    format: str = Field(..., description='"bro-nir"')
    version: int
    period: dict[str, Any]
    participants: list[Any]


class NirExportOut(Schema):
    file_name: str
    document: dict[str, Any] = Field(
        ..., description="The export (docs/nir-export.md); the one place identity numbers appear"
    )
    report: ReportOut


def _report(request, document) -> dict:
    issues = nir.validate(document)
    participants = document.get("participants", [])
    refs = [str(p.get("ref", "")) for p in participants if isinstance(p, dict)]
    names = nir.case_labels(request.user, refs, channel="api")
    return {
        "participants": len(participants),
        "errors": sum(1 for i in issues if i.severity == nir.ERROR),
        "warnings": sum(1 for i in issues if i.severity == nir.WARNING),
        "groups": [
            {
                "ref": g.ref,
                "name": g.name,
                "issues": [
                    {"severity": i.severity, "field": i.field, "code": i.code, "message": nir.describe(i)}
                    for i in g.issues
                ],
            }
            for g in nir.report_groups(issues, names)
        ],
    }


def _exporting_municipalities(request) -> list[Organisation]:
    found = permissions.adviser_municipalities(request.user)
    if not found:
        raise PermissionDenied
    return found


@router.get(
    "/nir/export",
    response={200: NirExportOut, **error_responses(401, 403, 422)},
    summary="The NIR-compatible export of a municipality's registrations for a period, with its validation report",
)
def nir_export(
    request,
    municipality_id: uuid.UUID | None = None,
    period_start: IsoDate | None = None,
    period_end: IsoDate | None = None,
):
    """The period defaults to last month; the municipality to your first (programme advisers only)."""
    municipalities = _exporting_municipalities(request)
    if municipality_id is None:
        municipality = municipalities[0]
    else:
        municipality = Organisation.objects.filter(pk=municipality_id).first()
        if municipality is None or not permissions.can_export(request.user, municipality):
            raise PermissionDenied
    today = timezone.localdate()
    if period_start is None and period_end is None:
        period_start, period_end = nir.month_period(*nir.last_month(today), today)
    elif period_start is None or period_end is None:
        refuse(
            "period_start" if period_start is None else "period_end", nir.MESSAGES["missing_value"], "missing"
        )
    document = nir.build_export(
        request.user, municipality, period_start=period_start, period_end=period_end, channel="api"
    )
    nir.record_handover(request.user, municipality, document, channel="api")
    return {"file_name": nir.file_name(document), "document": document, "report": _report(request, document)}


@router.post(
    "/nir/validation",
    response={200: ReportOut, **error_responses(400, 401, 403, 422)},
    summary="Validate an export document (for instance a file edited by hand); nothing is stored",
)
def nir_validation(request, payload: NirDocumentIn):
    _exporting_municipalities(request)
    # Read the numbers as the page reads an uploaded file: exactly, as decimals.
    document = json.loads(request.body, parse_float=Decimal)
    problem = nir.format_problem(document)
    if problem:
        refuse(None, nir.MESSAGES[problem], problem)
    return _report(request, document)


# --- the deadline monitor and the adviser's week ------------------------------------------------------------

MonitorState = enum.Enum("MonitorState", {s: s for s in monitor_selectors.STATES}, type=str)


class MonitorDeadlineOut(Schema):
    code: str
    label: str
    due: datetime.date
    source: str
    done_on: datetime.date | None
    state: str
    days_late: int
    cause: str = Field(
        ..., description="The recorded cause of a missed deadline; empty when none is recorded"
    )


class MonitorCaseOut(Schema):
    participant_id: uuid.UUID
    name: str
    deadlines: list[MonitorDeadlineOut]


class AdviserGroupOut(Schema):
    adviser_id: uuid.UUID | None = Field(..., description="Null for the cases without an adviser")
    adviser: str
    case_count: int
    counts: dict[str, int]
    cases: list[MonitorCaseOut] = Field(..., description="Only the cases you may read, by name")


class CauseCountOut(Schema):
    cause: str
    label: str
    count: int


class DeviationRowOut(Schema):
    participant_id: uuid.UUID
    name: str
    kind: str
    cause: str
    due: datetime.date
    days_late: int


class DeviationSummaryOut(Schema):
    year: int
    total: int
    by_cause: list[CauseCountOut]
    rows: list[DeviationRowOut]


class WeekRowOut(Schema):
    participant_id: uuid.UUID
    name: str
    next_deadline: MonitorDeadlineOut | None
    planned_hours: Decimal
    attended_hours: Decimal | None = Field(..., description="Null when nothing is recorded this week")
    valid_absence_hours: Decimal
    unexcused_absence_hours: Decimal


class MyWeekOut(Schema):
    iso_year: int
    iso_week: int
    rows: list[WeekRowOut]


class MonitorOut(Schema):
    municipality_id: uuid.UUID
    municipality: str
    today: datetime.date
    counts: dict[str, int]
    case_count: int
    shown_count: int
    show_names: bool
    groups: list[AdviserGroupOut]
    deviations: DeviationSummaryOut
    my_week: MyWeekOut | None = Field(..., description="Your own participants this week (programme advisers)")


def _deadline(d) -> dict:
    return {
        "code": d.code,
        "label": str(d.label),
        "due": d.due,
        "source": d.source,
        "done_on": d.done_on,
        "state": d.state,
        "days_late": d.days_late,
        "cause": d.cause,
    }


def _require_overview(request) -> None:
    if not permissions.can_see_overview(request.user):
        raise PermissionDenied


@router.get(
    "/monitor",
    response={200: MonitorOut, **error_responses(401, 403, 404, 422)},
    summary="The deadline monitor: every open case's deadlines per adviser, what is late and why",
)
def deadline_monitor(
    request,
    municipality_id: uuid.UUID | None = None,
    state: MonitorState | None = None,
    adviser: Text = "",
    year: Year | None = None,
):
    """``adviser``: an adviser's user id, or "none" for the cases without one; ``year``: of the deviations."""
    _require_overview(request)
    user = request.user
    today = timezone.localdate()
    municipality = monitor_selectors.municipality_for(user, municipality_id)
    if municipality is None:
        refuse("municipality_id", CHOOSE_MUNICIPALITY, "choose_municipality")
    if adviser and adviser != monitor_selectors.NO_ADVISER:
        try:
            adviser = str(uuid.UUID(adviser))
        except ValueError:
            refuse("adviser", ADVISER_FILTER, "invalid")
    years = monitor_selectors.deviation_years(municipality, today)
    found = monitor_selectors.monitor(
        user,
        municipality,
        today=today,
        state=state.value if state else "",
        adviser=adviser,
        year=year if year in years else today.year,
        channel="api",
    )
    week = None
    if municipality in permissions.adviser_municipalities(user):
        week = monitor_selectors.my_week(user, municipality, today=today, channel="api")
    return {
        "municipality_id": municipality.pk,
        "municipality": municipality.name,
        "today": today,
        "counts": {s: found.counts.get(s, 0) for s in monitor_selectors.STATES},
        "case_count": found.case_count,
        "shown_count": found.shown_count,
        "show_names": found.show_names,
        "groups": [
            {
                "adviser_id": g.adviser.pk if g.adviser else None,
                "adviser": str(g.name),
                "case_count": g.case_count,
                "counts": {s: g.counts.get(s, 0) for s in monitor_selectors.STATES},
                "cases": [
                    {
                        "participant_id": row.participant.pk,
                        "name": row.participant.person.full_name,
                        "deadlines": [_deadline(d) for d in row.deadlines],
                    }
                    for row in g.cases
                ],
            }
            for g in found.groups
        ],
        "deviations": {
            "year": found.deviations.year,
            "total": found.deviations.total,
            "by_cause": [
                {"cause": cause, "label": str(label), "count": n}
                for cause, label, n in found.deviations.by_cause
            ],
            "rows": [
                {
                    "participant_id": d.participant_id,
                    "name": d.participant.person.full_name,
                    "kind": d.kind,
                    "cause": d.cause,
                    "due": d.due,
                    "days_late": d.days_late,
                }
                for d in found.deviations.rows
            ],
        },
        "my_week": None
        if week is None
        else {
            "iso_year": week.iso_year,
            "iso_week": week.iso_week,
            "rows": [
                {
                    "participant_id": r.participant.pk,
                    "name": r.participant.person.full_name,
                    "next_deadline": _deadline(r.next_deadline) if r.next_deadline else None,
                    "planned_hours": r.planned_hours,
                    "attended_hours": r.attended_hours,
                    "valid_absence_hours": r.valid_absence_hours,
                    "unexcused_absence_hours": r.unexcused_absence_hours,
                }
                for r in week.rows
            ],
        },
    }


# --- the leadership's programme results ---------------------------------------------------------------------

Cell = Annotated[int | str, Field(description='A count, or "<5" for 1–4 persons (small-number suppression)')]


class ResultGroupOut(Schema):
    key: str = Field(..., description="female, male or all")
    label: str
    ended: Cell
    with_status: Cell
    without_status: Cell
    in_work_or_education: Cell
    in_work: Cell
    in_education_only: Cell
    other: Cell
    share_percent: Decimal | None = Field(
        ..., description="Hidden (null) when it rests on fewer than 5 persons"
    )
    meets_target: bool | None
    hour_bands: dict[str, Cell] = Field(..., description="Weekly working hours of those in work")
    median_hours: Decimal | None


class TrendOut(Schema):
    year: int
    share_percent: dict[str, Decimal | None]
    ended: Cell
    without_status: Cell


class ResultsOut(Schema):
    year: int
    years: list[int]
    municipality_id: uuid.UUID | None = Field(..., description="Null for your whole scope")
    target_percent: int
    groups: list[ResultGroupOut]
    trend: list[TrendOut]


def _result_group(g) -> dict:
    cell = results_selectors.cell
    share = results_selectors.share_cell(g)
    return {
        "key": g.key,
        "label": str(g.label),
        "ended": cell(g.ended),
        "with_status": cell(g.with_status),
        "without_status": cell(g.without_status),
        "in_work_or_education": cell(g.in_work_or_education),
        "in_work": cell(g.in_work),
        "in_education_only": cell(g.in_education_only),
        "other": cell(g.other),
        "share_percent": share,
        "meets_target": None if share is None else g.meets_target,
        "hour_bands": {code: cell(n) for code, n in g.bands.items()},
        "median_hours": results_selectors.median_cell(g),
    }


@router.get(
    "/overview",
    response={200: ResultsOut, **error_responses(401, 403, 404, 422)},
    summary="Programme results: share in work or education one year after, by sex, against the 70 % target",
)
def programme_results(
    request,
    year: Year | None = None,
    municipality_id: uuid.UUID | None = None,
):
    """Aggregates only, never names; counts of 1–4 persons are shown as "<5". ``year``: programmes ended."""
    _require_overview(request)
    user = request.user
    choices = selectors.municipality_choices(user)
    chosen = None
    if municipality_id is not None:
        chosen = next((m for m in choices if m.pk == municipality_id), None)
        if chosen is None:
            raise Http404
        scope = [chosen]
    else:
        scope = None if permissions.overview_municipalities(user) is None else choices
    years = results_selectors.years(scope)
    if year not in years:
        year = results_selectors.default_year(scope, fallback=timezone.localdate().year - 1)
    found = results_selectors.results(scope, year)
    return {
        "year": year,
        "years": years,
        "municipality_id": chosen.pk if chosen else None,
        "target_percent": results_selectors.TARGET_PERCENT,
        "groups": [_result_group(found.groups[k]) for k in results_selectors.GROUPS],
        "trend": [
            {
                "year": r.year,
                "share_percent": {
                    k: results_selectors.share_cell(r.groups[k]) for k in results_selectors.GROUPS
                },
                "ended": results_selectors.cell(r.all.ended),
                "without_status": results_selectors.cell(r.all.without_status),
            }
            for r in results_selectors.results_by_year(scope)
        ],
    }
