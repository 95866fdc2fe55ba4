import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from bro.core import charts
from bro.core.forms import apply_errors, save_valid
from bro.reception import permissions, selectors, services
from bro.reception.forms import CentreCapacityForm, OccupancyChangeForm, ServiceCapacityForm, TrainingWeekForm
from bro.reception.models import AGE_GROUP_LABELS, Service


def _actor(request) -> services.Actor:
    return services.Actor(user=request.user, channel="web")


def _month(day) -> str:
    return formats.date_format(day, "M Y") if day.day == 1 else formats.date_format(day, "SHORT_DATE_FORMAT")


def _visible_centre(request, centre_id):
    centre = selectors.centre_or_404(centre_id)
    if not permissions.can_view_centre(request.user, centre):
        raise PermissionDenied
    return centre


def _visible_host(request, municipality_id):
    host = selectors.host_or_404(municipality_id)
    if not permissions.can_view_host(request.user, host):
        raise PermissionDenied
    return host


@login_required
@require_safe
def centre_list(request):
    """Every centre the user may see, with capacity and residents today."""
    user = request.user
    rows = selectors.centre_rows(user, timezone.localdate())
    hosts = list(permissions.viewable_host_municipalities(user).order_by("name"))
    if not rows and not hosts:
        raise PermissionDenied
    return render(request, "reception/centre_list.html", {"rows": rows, "hosts": hosts})


def _centre_context(request, centre, **extra):
    today = timezone.localdate()
    overview = selectors.centre_overview(centre, today)
    can_manage = permissions.can_manage_centre(request.user, centre)
    chart = charts.bar_chart(
        [(_month(p.day), p.residents, p.places) for p in overview.series],
        title=_("Residents on the first day of each month, and today; the dashed line is the capacity."),
        chart_id="occupancy-chart",
    )
    return {
        "centre": centre,
        "overview": overview,
        "chart": chart,
        "series": [(_month(p.day), p) for p in overview.series],
        "age_groups": [(AGE_GROUP_LABELS[g], n) for g, n in overview.age_groups.items()],
        "can_manage": can_manage,
        "residents": selectors.resident_list(request.user, centre),
        "capacity_form": CentreCapacityForm(),
        "change_form": OccupancyChangeForm(),
        **extra,
    }


def _form_page(request, form, save, *, done: tuple, context: dict):
    """The reception form pages: on a valid POST, ``save(data)`` writes through a service and returns the
    success message; a service's ValidationError lands on the form (400), nothing saved."""
    saved = []
    if save_valid(request, form, lambda data: saved.append(save(data))):
        messages.success(request, saved[0])
        return redirect(*done)
    return render(
        request, "reception/form_page.html", {"form": form, **context}, status=400 if form.errors else 200
    )


@login_required
@require_safe
def centre_detail(request, centre_id: uuid.UUID):
    centre = _visible_centre(request, centre_id)
    return render(request, "reception/centre_detail.html", _centre_context(request, centre))


@login_required
@require_http_methods(["GET", "POST"])
def centre_capacity(request, centre_id: uuid.UUID):
    centre = _visible_centre(request, centre_id)
    if not permissions.can_manage_centre(request.user, centre):
        raise PermissionDenied

    def save(data):
        services.record_centre_capacity(
            _actor(request), centre, valid_from=data["valid_from"], places=data["places"], note=data["note"]
        )
        return _("The capacity was recorded.")

    return _form_page(
        request,
        CentreCapacityForm(request.POST or None),
        save,
        done=("reception:centre_detail", centre.id),
        context={
            "centre": centre,
            "title": _("Record capacity"),
            "submit": _("Record capacity"),
            "back": ("reception:centre_detail", centre.id),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def centre_change(request, centre_id: uuid.UUID):
    centre = _visible_centre(request, centre_id)
    if not permissions.can_manage_centre(request.user, centre):
        raise PermissionDenied
    form = OccupancyChangeForm(request.POST or None)

    def save(data):
        services.record_occupancy_change(
            _actor(request),
            centre,
            kind=data["kind"],
            effective_date=data["effective_date"],
            counts=form.counts(),
            note=data["note"],
        )
        host = services.host_municipality_of(centre)
        if host is None:
            return _("The change was recorded.")
        return _("The change was recorded and %(municipality)s was notified.") % {"municipality": host.name}

    return _form_page(
        request,
        form,
        save,
        done=("reception:centre_detail", centre.id),
        context={
            "centre": centre,
            "title": _("Announce a change in occupancy"),
            "intro": _("The host municipality's staff are notified with the numbers by age group."),
            "submit": _("Record and notify"),
            "back": ("reception:centre_detail", centre.id),
        },
    )


def _host_context(request, host, **extra):
    today = timezone.localdate()
    overview = selectors.host_overview(host, today)
    chart = charts.bar_chart(
        [(_month(p["day"]), p["total"], p["places"]) for p in overview.load],
        title=_("Residents in the municipality's centres on the first day of each month, and today."),
        chart_id="load-chart",
    )
    services_rows = [
        {
            "label": label,
            "capacity": overview.capacities[value],
            "demand": overview.total[value],
            "over": overview.flags[value],
        }
        for value, label in Service.choices
    ]
    demand_rows = [
        {
            "centre": row.centre,
            "cells": [(row.residents[v], row.announced[v], row.expected[v]) for v, _l in Service.choices],
        }
        for row in overview.demand
    ]
    return {
        "host": host,
        "overview": overview,
        "chart": chart,
        "load": [(_month(p["day"]), p) for p in overview.load],
        "services_rows": services_rows,
        "service_labels": [label for _v, label in Service.choices],
        "demand_rows": demand_rows,
        "can_manage": permissions.can_manage_host(request.user, host),
        **extra,
    }


@login_required
@require_safe
def host_detail(request, municipality_id: uuid.UUID):
    host = _visible_host(request, municipality_id)
    return render(request, "reception/host_detail.html", _host_context(request, host))


@login_required
@require_http_methods(["GET", "POST"])
def host_service(request, municipality_id: uuid.UUID):
    host = _visible_host(request, municipality_id)
    if not permissions.can_manage_host(request.user, host):
        raise PermissionDenied

    def save(data):
        services.record_service_capacity(
            _actor(request),
            host,
            service=data["service"],
            capacity=data["capacity"],
            valid_from=data["valid_from"],
            note=data["note"],
        )
        return _("The service capacity was recorded.")

    return _form_page(
        request,
        ServiceCapacityForm(request.POST or None),
        save,
        done=("reception:host_detail", host.id),
        context={
            "host": host,
            "title": _("Record service capacity"),
            "intro": _("How many residents of the reception centres the municipality can serve."),
            "submit": _("Record capacity"),
            "back": ("reception:host_detail", host.id),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def training(request, person_id: uuid.UUID):
    """A person's Norwegian training in reception, week by week; those who give it add weeks."""
    record = selectors.training_record(request.user, person_id)
    form = None
    if record.writers:
        form = TrainingWeekForm(request.POST or None, organisations=record.writers)
    elif request.method == "POST":
        raise PermissionDenied
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.record_training_week(
                _actor(request),
                record.person,
                iso_year=data["iso_year"],
                iso_week=data["iso_week"],
                hours_offered=data["hours_offered"],
                hours_attended=data["hours_attended"],
                social_studies_hours=data["social_studies_hours"],
                organisation=form.chosen_organisation(),
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The training week was recorded."))
            return redirect("reception:training", person_id=record.person.id)
    return render(
        request,
        "reception/training.html",
        {"record": record, "person": record.person, "form": form},
        status=400 if form is not None and form.errors else 200,
    )
