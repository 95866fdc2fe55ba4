"""Needs, answers, activities and the municipality's overview of civil society (issue 6, DOMAIN §9)."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from bro.core.forms import save_valid
from bro.core.models import Municipality
from bro.people.languages import language_name
from bro.volunteering import map as activity_map
from bro.volunteering import overview as civil_overview
from bro.volunteering import permissions
from bro.volunteering.forms_needs import (
    ActivityForm,
    ActivityProgressForm,
    AnswerForm,
    NeedForm,
    NeedStatusForm,
)
from bro.volunteering.models import ActivityKind, ChainPhase, Need, Skill, TargetSex
from bro.volunteering.selectors import needs as selectors
from bro.volunteering.services import needs as services


def _actor(request) -> services.Actor:
    return services.Actor(user=request.user, channel="web")


def _staff_or_403(request) -> None:
    if not selectors.is_need_staff(request.user):
        raise PermissionDenied


def _form_page(request, form, *, title, submit, back, intro=""):
    return render(
        request,
        "volunteering/needs/form_page.html",
        {"form": form, "title": title, "submit": submit, "back": back, "intro": intro},
        status=400 if form.errors else 200,
    )


def _languages(codes) -> list[str]:
    return [language_name(c) for c in codes]


# --- needs ---------------------------------------------------------------------------------------------


@login_required
@require_safe
def need_list(request):
    _staff_or_403(request)
    status = request.GET.get("status", "open")
    status = status if status in Need.Status.values or status == "all" else "open"
    kind = request.GET.get("kind", "")
    kind = kind if kind in ActivityKind.values else ""
    mine = request.GET.get("mine") == "1"
    needs = selectors.staff_needs(
        request.user, status="" if status == "all" else status, kind=kind, mine=mine
    )
    return render(
        request,
        "volunteering/needs/need_list.html",
        {
            "needs": needs,
            "status": status,
            "statuses": Need.Status.choices,
            "kind": kind,
            "kinds": ActivityKind.choices,
            "mine": mine,
            "can_publish": bool(permissions.publishing_organisations(request.user)),
            "can_record_activity": bool(permissions.coordinator_organisations(request.user)),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def need_new(request):
    organisations = permissions.publishing_organisations(request.user)
    if not organisations:
        raise PermissionDenied
    form = NeedForm(request.POST or None, organisations=organisations)
    created = []

    def save(data):
        created.append(
            services.publish_need(
                _actor(request),
                data["organisation"],
                title=data["title"],
                description=data["description"],
                kind=data["kind"],
                municipality=data["municipality"],
                languages=data["languages"],
                skills=data["skills"],
                volunteers_wanted=data["volunteers_wanted"],
                involves_children=data["involves_children"],
                is_public=data["is_public"],
            )
        )

    if save_valid(request, form, save):
        messages.success(request, _("The need was published."))
        return redirect("volunteering:need_detail", created[0].id)
    return _form_page(
        request,
        form,
        title=_("Publish a need"),
        submit=_("Publish"),
        back="volunteering:need_list",
        intro=_(
            "Describe what volunteers can help with. Needs are read by many organisations and, when public, "
            "by anyone: never write names, identity numbers, phone numbers or email addresses."
        ),
    )


def _need_context(request, need, *, answer_form=None):
    answering = permissions.answering_organisations(request.user)
    skills = dict(Skill.choices)
    return {
        "need": need,
        "answers": selectors.need_answers(need),
        "languages": _languages(need.languages),
        "skills": [skills.get(s, s) for s in need.skills],
        "can_manage": permissions.can_manage_need(request.user, need),
        "status_form": NeedStatusForm(initial={"status": need.status}),
        "answer_form": answer_form
        or (AnswerForm(organisations=answering) if answering and need.status == Need.Status.OPEN else None),
    }


@login_required
@require_safe
def need_detail(request, need_id: uuid.UUID):
    _staff_or_403(request)
    need = selectors.need_or_404(need_id)
    return render(request, "volunteering/needs/need_detail.html", _need_context(request, need))


@login_required
@require_POST
def need_status(request, need_id: uuid.UUID):
    need = selectors.need_or_404(need_id)
    if not permissions.can_manage_need(request.user, need):
        raise PermissionDenied
    form = NeedStatusForm(request.POST)
    if form.is_valid():
        services.set_need_status(_actor(request), need, form.cleaned_data["status"])
        messages.success(request, _("The need's status was changed."))
    return redirect("volunteering:need_detail", need.id)


@login_required
@require_POST
def need_answer(request, need_id: uuid.UUID):
    need = selectors.need_or_404(need_id)
    answering = permissions.answering_organisations(request.user)
    if not answering:
        raise PermissionDenied
    form = AnswerForm(request.POST, organisations=answering)

    def save(data):
        services.answer_need(
            _actor(request), need, data["organisation"], message=data["message"], activity=data["activity"]
        )

    if save_valid(request, form, save):
        messages.success(
            request, _("Your answer was saved. The publisher and other organisations can see it.")
        )
        return redirect("volunteering:need_detail", need.id)
    return render(
        request,
        "volunteering/needs/need_detail.html",
        _need_context(request, need, answer_form=form),
        status=400,
    )


@require_safe
def public_needs(request):
    """Open public needs by municipality and kind: no login (003:L198–201)."""
    municipalities = selectors.public_need_municipalities()
    municipality = request.GET.get("municipality", "")
    if municipality not in {str(m.pk) for m in municipalities}:
        municipality = ""
    kind = request.GET.get("kind", "")
    kind = kind if kind in ActivityKind.values else ""
    skills = dict(Skill.choices)
    needs = [
        {"need": n, "languages": _languages(n.languages), "skills": [skills.get(s, s) for s in n.skills]}
        for n in selectors.public_needs(municipality_id=municipality or None, kind=kind)
    ]
    return render(
        request,
        "volunteering/needs/public_needs.html",
        {
            "needs": needs,
            "municipalities": municipalities,
            "municipality": municipality,
            "kinds": ActivityKind.choices,
            "kind": kind,
        },
    )


# --- activities ----------------------------------------------------------------------------------------


@login_required
@require_safe
def activity_list(request):
    activities = selectors.visible_activities(request.user).order_by("municipality__name", "name")
    coordinated = permissions.coordinator_organisations(request.user)
    if not coordinated and not activities.exists() and not permissions.can_see_overview(request.user):
        raise PermissionDenied
    return render(
        request,
        "volunteering/needs/activity_list.html",
        {"activities": activities, "can_record": bool(coordinated)},
    )


def _activity_values(data) -> dict:
    return {
        field: data[field] for field in services.ACTIVITY_FIELDS if field in data and field != "organisation"
    }


@login_required
@require_http_methods(["GET", "POST"])
def activity_new(request):
    organisations = permissions.coordinator_organisations(request.user)
    if not organisations:
        raise PermissionDenied
    form = ActivityForm(request.POST or None, organisations=organisations)
    created = []

    def save(data):
        created.append(
            services.record_activity(
                _actor(request),
                data["organisation"],
                partners=list(data["partners"]),
                **_activity_values(data),
            )
        )

    if save_valid(request, form, save):
        messages.success(request, _("The activity was recorded."))
        return redirect("volunteering:activity_detail", created[0].id)
    return _form_page(
        request,
        form,
        title=_("Record an activity"),
        submit=_("Record activity"),
        back="volunteering:activity_list",
    )


def _visible_activity(request, activity_id):
    activity = selectors.activity_or_404(activity_id)
    if not selectors.can_view_activity(request.user, activity):
        raise PermissionDenied
    return activity


@login_required
@require_safe
def activity_detail(request, activity_id: uuid.UUID):
    activity = _visible_activity(request, activity_id)
    return _activity_page(request, activity)


def _activity_page(request, activity, progress_form=None, status=200):
    can_manage = permissions.can_manage_organisation(request.user, activity.organisation)
    requirements = [
        label
        for wanted, label in (
            (activity.needs_information_meeting, _("Information meeting")),
            (activity.needs_training, _("Training")),
            (activity.involves_children, _("Police certificate (involves children)")),
            (activity.needs_commitment, _("Signed commitment")),
        )
        if wanted
    ]
    return render(
        request,
        "volunteering/needs/activity_detail.html",
        {
            "activity": activity,
            "languages": _languages(activity.languages),
            "partners": list(activity.partners.order_by("name")),
            "requirements": requirements,
            "can_manage": can_manage,
            "progress_form": progress_form
            or (
                ActivityProgressForm(
                    initial={
                        "participants_reached": activity.participants_reached,
                        "volunteer_hours": activity.volunteer_hours,
                    }
                )
                if can_manage
                else None
            ),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def activity_edit(request, activity_id: uuid.UUID):
    activity = _visible_activity(request, activity_id)
    if not permissions.can_manage_organisation(request.user, activity.organisation):
        raise PermissionDenied
    initial = {f: getattr(activity, f) for f in services.ACTIVITY_FIELDS}
    initial.update(organisation=activity.organisation_id, partners=list(activity.partners.all()))
    form = ActivityForm(request.POST or None, initial=initial, organisations=[activity.organisation])

    def save(data):
        services.update_activity(
            _actor(request), activity, partners=list(data["partners"]), **_activity_values(data)
        )

    if save_valid(request, form, save):
        messages.success(request, _("The activity was changed."))
        return redirect("volunteering:activity_detail", activity.id)
    return _form_page(
        request,
        form,
        title=_("Change the activity"),
        submit=_("Save"),
        back="volunteering:activity_list",
    )


@login_required
@require_POST
def activity_progress(request, activity_id: uuid.UUID):
    activity = _visible_activity(request, activity_id)
    if not permissions.can_manage_organisation(request.user, activity.organisation):
        raise PermissionDenied
    form = ActivityProgressForm(request.POST)

    def save(data):
        services.record_activity_progress(
            _actor(request),
            activity,
            participants_reached=data["participants_reached"],
            volunteer_hours=data["volunteer_hours"],
        )

    if save_valid(request, form, save):
        messages.success(request, _("Participants and hours were updated."))
        return redirect("volunteering:activity_detail", activity.id)
    return _activity_page(request, activity, progress_form=form, status=400)


# --- the overview --------------------------------------------------------------------------------------


@login_required
@require_safe
def overview(request):
    """Who does what, where and for whom; overlaps and gaps (002:L548, 003:L1045, 003:L4268–4279)."""
    scope = permissions.overview_municipality_ids(request.user)
    if scope is not None and not scope:
        raise PermissionDenied
    today = timezone.localdate()
    analysis = civil_overview.overview_for(request.user, scope, on=today)
    municipality_ids = set(analysis.by_municipality) | set(analysis.gaps_by_municipality)
    municipalities = {
        m.pk: m for m in Municipality.objects.filter(pk__in=municipality_ids).prefetch_related("predecessors")
    }
    kinds, phases, sexes = dict(ActivityKind.choices), dict(ChainPhase.choices), dict(TargetSex.choices)
    points = [
        activity_map.MapPoint(
            number=m.number,
            name=m.name,
            count=analysis.by_municipality.get(pk, 0),
            former_numbers=tuple(p.number for p in m.predecessors.all()),
        )
        for pk, m in municipalities.items()
    ]
    svg = activity_map.svg(
        points,
        title=_("Activities by municipality"),
        description=_(
            "Each circle is a municipality; the larger the circle, the more activities. The table below has the same numbers."
        ),
    )
    by_target = [
        {
            "sex": sexes[sex],
            "cells": [analysis.by_target.get((sex, phase), 0) for phase in ChainPhase.values],
        }
        for sex in TargetSex.values
    ]
    gaps = sorted(
        (
            {"municipality": municipalities.get(g.municipality_id), "gaps": g}
            for g in analysis.gaps_by_municipality.values()
        ),
        key=lambda r: r["municipality"].name if r["municipality"] else "",
    )
    return render(
        request,
        "volunteering/needs/overview.html",
        {
            "analysis": analysis,
            "map": svg,
            "phase_labels": [phases[p] for p in ChainPhase.values],
            "by_target": by_target,
            "by_municipality": sorted(
                (
                    (municipalities[pk], n)
                    for pk, n in analysis.by_municipality.items()
                    if pk in municipalities
                ),
                key=lambda r: r[0].name,
            ),
            "activities": [
                {
                    "a": a,
                    "kind": kinds.get(a.kind, a.kind),
                    "phase": phases.get(a.phase, a.phase),
                    "sex": sexes.get(a.target_sex, a.target_sex),
                    "municipality": municipalities.get(a.municipality_id),
                }
                for a in analysis.activities
            ],
            "overlaps": [
                {
                    "o": o,
                    "kind": kinds.get(o.kind, o.kind),
                    "phase": phases.get(o.phase, o.phase),
                    "sex": sexes.get(o.target_sex, o.target_sex),
                    "municipality": municipalities.get(o.municipality_id),
                }
                for o in analysis.overlaps
            ],
            "gaps": gaps,
            "constants": civil_overview,
        },
    )


urlpatterns = [
    path("needs/", need_list, name="need_list"),
    path("needs/new/", need_new, name="need_new"),
    path("needs/public/", public_needs, name="public_needs"),
    path("needs/<uuid:need_id>/", need_detail, name="need_detail"),
    path("needs/<uuid:need_id>/status/", need_status, name="need_status"),
    path("needs/<uuid:need_id>/answer/", need_answer, name="need_answer"),
    path("activities/", activity_list, name="activity_list"),
    path("activities/new/", activity_new, name="activity_new"),
    path("activities/<uuid:activity_id>/", activity_detail, name="activity_detail"),
    path("activities/<uuid:activity_id>/edit/", activity_edit, name="activity_edit"),
    path("activities/<uuid:activity_id>/progress/", activity_progress, name="activity_progress"),
    path("overview/", overview, name="overview"),
]
