"""Pages for the outcome model, the municipality profiles and a person's matching profile. Thin: parse,
call a service or selector, render."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from bro.core import charts
from bro.core.forms import save_valid
from bro.core.models import Municipality
from bro.people import selectors as people_selectors
from bro.settlement.outcomes import permissions, selectors, services
from bro.settlement.outcomes.forms import MatchingProfileForm, MunicipalityProfileForm
from bro.settlement.outcomes.models import NEED_CODES, MunicipalityProfile, Need, OutcomeModelVersion


def _actor(request) -> services.Actor:
    return services.Actor(user=request.user, channel="web")


def _require_manager(request) -> None:
    if not permissions.can_manage_model(request.user):
        raise PermissionDenied


# --- the outcome model ---------------------------------------------------------------------------------


def _calibration(metrics: dict) -> tuple[list[dict], str]:
    rows = []
    for row in metrics.get("calibration", []):
        rows.append(
            {
                "label": f"{round(row['lower'] * 100)}–{round(row['upper'] * 100)} %",
                "count": row["count"],
                "predicted": None if row["predicted"] is None else round(row["predicted"] * 100),
                "observed": None if row["observed"] is None else round(row["observed"] * 100),
            }
        )
    chart = charts.grouped_bars(
        "calibration-title",
        [(r["label"], [r["predicted"], r["observed"]]) for r in rows if r["count"]],
        [_("Predicted (%)"), _("Observed (%)")],
    )
    return rows, chart


@login_required
@require_safe
def model_list(request):
    _require_manager(request)
    versions = list(selectors.model_versions())
    active = next((v for v in versions if v.is_active), None)
    calibration, chart = _calibration(active.metrics) if active else ([], "")
    return render(
        request,
        "outcomes/model_list.html",
        {"versions": versions, "active": active, "calibration": calibration, "chart": chart},
    )


@login_required
@require_POST
def retrain(request):
    _require_manager(request)
    from bro.core import jobs

    job = jobs.submit(
        "outcomes.retrain",
        "bro.settlement.outcomes.services.retrain_job",
        user=request.user,
        organisation=permissions.directorate_organisation(request.user),
        params={},
    )
    return redirect("core:job", job_id=job.pk)


@login_required
@require_POST
def activate(request, version_id: uuid.UUID):
    _require_manager(request)
    version = get_object_or_404(OutcomeModelVersion.objects.defer("model"), pk=version_id)
    services.activate_version(_actor(request), version)
    messages.success(
        request, _("Version %(version)s is now used for matching.") % {"version": version.version}
    )
    return redirect("outcomes:models")


# --- municipality profiles -------------------------------------------------------------------------------


def _year(request) -> int:
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year", today.year))
    except ValueError:
        return today.year
    return year if 2000 <= year <= today.year + 1 else today.year


@login_required
@require_safe
def municipality_list(request):
    _require_manager(request)
    year = _year(request)
    day = timezone.localdate()
    municipalities = list(Municipality.objects.valid_on(day).order_by("number"))
    profiles = {
        p.municipality_id: p
        for p in MunicipalityProfile.objects.filter(year=year, municipality__in=municipalities)
    }
    rows = [(m, profiles.get(m.pk)) for m in municipalities]
    return render(
        request,
        "outcomes/municipality_list.html",
        {"rows": rows, "year": year, "years": range(day.year - 3, day.year + 2)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def municipality_edit(request, number: str, year: int):
    _require_manager(request)
    municipality = Municipality.objects.valid_on(timezone.localdate()).filter(number=number).first()
    if municipality is None or not 2000 <= year <= timezone.localdate().year + 1:
        raise Http404
    profile = MunicipalityProfile.objects.filter(municipality=municipality, year=year).first()
    initial = {}
    if profile:
        initial = {
            "centrality": profile.centrality,
            "unemployment_pct": profile.unemployment_pct,
            "programme_result_pct": profile.programme_result_pct,
            "services": profile.services,
        }
    form = MunicipalityProfileForm(request.POST or None, initial=initial)

    def save(data):
        services.save_municipality_profile(
            _actor(request), municipality, year, services.MunicipalityProfileInput(**data)
        )

    if save_valid(request, form, save):
        messages.success(request, _("The municipality profile was saved."))
        return redirect(f"{request.path}")
    return render(
        request,
        "outcomes/municipality_form.html",
        {"municipality": municipality, "year": year, "profile": profile, "form": form},
        status=400 if form.errors else 200,
    )


# --- a person's matching profile --------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def profile(request, subject_id: uuid.UUID):
    person, access = people_selectors.get_person(request.user, subject_id)
    can_edit = permissions.can_edit_matching_profile(request.user, person)
    if request.method == "POST" and not can_edit:
        raise PermissionDenied
    existing = selectors.matching_profile(person)
    form = None
    if can_edit:
        initial = {}
        if existing:
            initial = {
                "education": existing.education,
                "norwegian": existing.norwegian,
                "work_years": existing.work_years,
                "health_limitation": existing.health_limitation,
                "needs": existing.needs,
                "tie_municipality_number": existing.tie_municipality.number
                if existing.tie_municipality
                else "",
            }
        form = MatchingProfileForm(request.POST or None, initial=initial)

        def save(data):
            services.save_matching_profile(
                _actor(request),
                person,
                services.MatchingProfileInput(
                    education=data["education"],
                    norwegian=data["norwegian"],
                    work_years=data["work_years"],
                    health_limitation=data["health_limitation"],
                    needs=list(data["needs"]),
                    tie_municipality_number=data["tie_municipality_number"],
                ),
            )

        if save_valid(request, form, save):
            messages.success(request, _("The matching profile was saved."))
            return redirect("outcomes:profile", subject_id=person.pk)
    return render(
        request,
        "outcomes/profile.html",
        {
            "person": person,
            "profile": existing,
            "form": form,
            "health_consent": services.has_health_consent(person),
            "needs_labels": [Need(n).label for n in (existing.needs if existing else []) if n in NEED_CODES],
        },
        status=400 if form is not None and form.errors else 200,
    )
