"""The deadline monitor (with the adviser's week) and the leadership's programme results. Thin: parse the
query, call the selectors in ``monitor.py`` and ``overview.py``, render."""

from __future__ import annotations

import uuid

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from bro.core import charts
from bro.qualification import monitor as monitor_selectors
from bro.qualification import overview as results_selectors
from bro.qualification import permissions, rules, selectors


def _require_overview(request) -> None:
    if not permissions.can_see_overview(request.user):
        raise PermissionDenied


def _int(value, allowed) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if number in allowed else None


def _adviser_filter(value: str) -> str:
    if value == monitor_selectors.NO_ADVISER:
        return value
    try:
        return str(uuid.UUID(value))
    except ValueError:
        return ""


# --- the deadline monitor ---------------------------------------------------------------------------------


@login_required
@require_safe
def monitor(request):
    _require_overview(request)
    user = request.user
    today = timezone.localdate()
    choices = selectors.municipality_choices(user)
    municipality = monitor_selectors.municipality_for(user, request.GET.get("municipality"))
    context = {"choices": choices, "municipality": municipality, "today": today}
    if municipality is None:
        return render(request, "qualification/overview/monitor.html", context)
    state = request.GET.get("state", "")
    state = state if state in monitor_selectors.STATES else ""
    adviser = _adviser_filter(request.GET.get("adviser", ""))
    years = monitor_selectors.deviation_years(municipality, today)
    year = _int(request.GET.get("year"), years) or today.year
    result = monitor_selectors.monitor(
        user, municipality, today=today, state=state, adviser=adviser, year=year
    )
    week = None
    if municipality in permissions.adviser_municipalities(user):
        week = monitor_selectors.my_week(user, municipality, today=today)
    # Who may record a late start from here: the case's managers.
    start_links = {
        row.participant.pk
        for group in result.groups
        for row in group.cases
        if any(d.code == rules.PROGRAMME_START and d.state == rules.LATE for d in row.deadlines)
        and permissions.can_manage_case(user, row.participant)
    }
    context.update(
        {
            "result": result,
            "week": week,
            "state": state,
            "adviser": adviser,
            "year": year,
            "years": years,
            "states": [(s, monitor_selectors.STATE_LABELS[s]) for s in monitor_selectors.STATES],
            "start_links": start_links,
        }
    )
    return render(request, "qualification/overview/monitor.html", context)


# --- programme results --------------------------------------------------------------------------------------


def _scope(request):
    """(municipalities for the results or None for every one, the chosen one or None, the choices)."""
    user = request.user
    choices = selectors.municipality_choices(user)
    chosen_id = request.GET.get("municipality", "")
    if chosen_id:
        chosen = next((m for m in choices if str(m.pk) == chosen_id), None)
        if chosen is None:
            raise Http404
        return [chosen], chosen, choices
    national = permissions.overview_municipalities(user) is None
    return (None if national else choices), None, choices


def _table_rows(found: results_selectors.Results) -> list[tuple[str, list, bool]]:
    """(label, a value per group as shown, whether the values are percentages)."""
    cell, share = results_selectors.cell, results_selectors.share_cell
    groups = [found.groups[k] for k in results_selectors.GROUPS]
    return [
        (_("Programmes ended"), [cell(g.ended) for g in groups], False),
        (_("Status one year after recorded"), [cell(g.with_status) for g in groups], False),
        (_("No status recorded"), [cell(g.without_status) for g in groups], False),
        (_("In work or education"), [cell(g.in_work_or_education) for g in groups], False),
        (_("– of whom in work (also with education)"), [cell(g.in_work) for g in groups], False),
        (_("– of whom in education only"), [cell(g.in_education_only) for g in groups], False),
        (_("Neither work nor education"), [cell(g.other) for g in groups], False),
        (_("Share in work or education"), [share(g) for g in groups], True),
    ]


def _hour_rows(found: results_selectors.Results) -> list[tuple[str, list, bool]]:
    groups = [found.groups[k] for k in results_selectors.GROUPS]
    rows = [
        (label, [results_selectors.cell(g.bands[code]) for g in groups], False)
        for code, label in results_selectors.HOUR_BAND_LABELS.items()
    ]
    rows.append((_("Median hours a week"), [results_selectors.median_cell(g) for g in groups], False))
    return rows


@login_required
@require_safe
def results(request):
    """Share in work or education one year after the programme, by sex, against the 70 % target
    (004:L1568–1572), with working hours (004:L1579). Aggregates only."""
    _require_overview(request)
    municipalities, chosen, choices = _scope(request)
    today = timezone.localdate()
    years = results_selectors.years(municipalities)
    year = _int(request.GET.get("year"), years) or results_selectors.default_year(
        municipalities, fallback=today.year - 1
    )
    found = results_selectors.results(municipalities, year)
    shown = [
        (g.label, results_selectors.share_cell(g))
        for g in (found.groups[k] for k in results_selectors.GROUPS)
    ]
    chart = charts.bar_chart(
        [
            (str(label), round(value), results_selectors.TARGET_PERCENT)
            for label, value in shown
            if value is not None
        ],
        title=_(
            "Share in work or education one year after the programme, in percent, by sex; "
            "the dashed line is the 70 % target."
        ),
        chart_id="results-chart",
    )
    trend = [
        (
            r.year,
            [results_selectors.share_cell(r.groups[k]) for k in results_selectors.GROUPS],
            results_selectors.cell(r.all.ended),
            results_selectors.cell(r.all.without_status),
        )
        for r in results_selectors.results_by_year(municipalities)
    ]
    return render(
        request,
        "qualification/overview/results.html",
        {
            "year": year,
            "years": years or [year],
            "choices": choices,
            "chosen": chosen,
            "national": permissions.overview_municipalities(request.user) is None,
            "found": found,
            "group_labels": [results_selectors.GROUP_LABELS[k] for k in results_selectors.GROUPS],
            "rows": _table_rows(found),
            "hour_rows": _hour_rows(found),
            "chart": chart if any(v is not None for _l, v in shown) else "",
            "trend": trend,
            "target": results_selectors.TARGET_PERCENT,
            "small": results_selectors.SMALL_CELL,
        },
    )


urlpatterns = [
    path("monitor/", monitor, name="monitor"),
    path("overview/", results, name="overview"),
]
