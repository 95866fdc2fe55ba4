"""Thin views for one-to-one matches: parse, call a service or selector, render."""

import uuid

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from bro.core.forms import save_valid
from bro.people.models import Person
from bro.volunteering.matches import permissions, selectors, services
from bro.volunteering.matches.forms import (
    AssignForm,
    CheckInForm,
    ConsentForm,
    EndForm,
    FeedbackForm,
    MatchRequestForm,
    StartForm,
)
from bro.volunteering.models import Volunteer


def _actor(request) -> services.Actor:
    return services.Actor(user=request.user, channel="web")


@login_required
@require_safe
def match_list(request):
    rows = selectors.match_rows(request.user)
    return render(request, "volunteering/matches/match_list.html", {"rows": rows})


def _detail(request, match_id, status=200, **forms):
    view = selectors.match_detail(request.user, match_id)
    today = timezone.localdate()
    ready, waiting = ([], [])
    if view.is_coordinator and view.match.status in ("requested", "proposed"):
        ready, waiting = selectors.proposals(request.user, view.match, today)
    initial_day = {"day": today, "starts_on": today, "ends_on": today, "given_on": today}
    context = {
        "view": view,
        "m": view.match,
        "ready": ready,
        "waiting": waiting,
        "consent_form": forms.get("consent_form") or ConsentForm(initial=initial_day),
        "start_form": forms.get("start_form") or StartForm(initial=initial_day),
        "check_in_form": forms.get("check_in_form") or CheckInForm(initial=initial_day),
        "end_form": forms.get("end_form") or EndForm(initial=initial_day),
        "volunteer_feedback_form": forms.get("volunteer_feedback_form") or FeedbackForm(prefix="volunteer"),
        "refugee_feedback_form": forms.get("refugee_feedback_form") or FeedbackForm(prefix="refugee"),
        "assign_errors": forms.get("assign_errors"),
    }
    return render(request, "volunteering/matches/match_detail.html", context, status=status)


@login_required
@require_safe
def match_detail(request, match_id: uuid.UUID):
    return _detail(request, match_id)


def _action(request, match_id, form, form_name, save, done_message):
    match = selectors.match_or_404(match_id)
    if not permissions.can_view(request.user, match):
        raise PermissionDenied
    if save_valid(request, form, lambda data: save(match, data)):
        messages.success(request, done_message)
        return redirect("matches:match_detail", match.pk)
    return _detail(request, match_id, status=400, **{form_name: form})


@login_required
@require_POST
def match_consent(request, match_id: uuid.UUID):
    return _action(
        request,
        match_id,
        ConsentForm(request.POST),
        "consent_form",
        lambda m, d: services.record_consent(
            _actor(request), m, given_on=d["given_on"], extra_fields=d["extra_fields"]
        ),
        _("The consent was recorded."),
    )


@login_required
@require_POST
def match_withdraw(request, match_id: uuid.UUID):
    return _action(
        request,
        match_id,
        forms.Form(request.POST),
        "consent_form",
        lambda m, d: services.withdraw_consent(_actor(request), m),
        _("The consent was withdrawn. The volunteer no longer sees the refugee."),
    )


@login_required
@require_POST
def match_assign(request, match_id: uuid.UUID):
    form = AssignForm(request.POST)

    def save(match, data):
        volunteer = Volunteer.objects.filter(pk=data["volunteer"]).first()
        if volunteer is None:
            from django.core.exceptions import ValidationError

            raise ValidationError(_("Choose a volunteer from the list."))
        services.assign_volunteer(_actor(request), match, volunteer)

    match = selectors.match_or_404(match_id)
    if not permissions.can_view(request.user, match):
        raise PermissionDenied
    if save_valid(request, form, lambda data: save(match, data)):
        messages.success(request, _("The volunteer was chosen."))
        return redirect("matches:match_detail", match.pk)
    errors = [e for errs in form.errors.values() for e in errs]
    return _detail(request, match_id, status=400, assign_errors=errors)


@login_required
@require_POST
def match_start(request, match_id: uuid.UUID):
    return _action(
        request,
        match_id,
        StartForm(request.POST),
        "start_form",
        lambda m, d: services.start_match(_actor(request), m, starts_on=d["starts_on"]),
        _("The match has started."),
    )


@login_required
@require_POST
def match_check_in(request, match_id: uuid.UUID):
    return _action(
        request,
        match_id,
        CheckInForm(request.POST),
        "check_in_form",
        lambda m, d: services.log_check_in(
            _actor(request), m, day=d["day"], hours=d["hours"], note=d["note"]
        ),
        _("The check-in was logged."),
    )


@login_required
@require_POST
def match_end(request, match_id: uuid.UUID):
    return _action(
        request,
        match_id,
        EndForm(request.POST),
        "end_form",
        lambda m, d: services.end_match(
            _actor(request), m, ends_on=d["ends_on"], refugee_feedback=d["refugee_feedback"]
        ),
        _("The match has ended."),
    )


@login_required
@require_POST
def match_volunteer_feedback(request, match_id: uuid.UUID):
    return _action(
        request,
        match_id,
        FeedbackForm(request.POST, prefix="volunteer"),
        "volunteer_feedback_form",
        lambda m, d: services.record_volunteer_feedback(_actor(request), m, feedback=d["feedback"]),
        _("Your feedback was saved."),
    )


@login_required
@require_POST
def match_refugee_feedback(request, match_id: uuid.UUID):
    return _action(
        request,
        match_id,
        FeedbackForm(request.POST, prefix="refugee"),
        "refugee_feedback_form",
        lambda m, d: services.record_refugee_feedback(_actor(request), m, feedback=d["feedback"]),
        _("The refugee's feedback was saved."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def match_request(request, person_id: uuid.UUID):
    person = get_object_or_404(Person, pk=person_id)
    if not permissions.can_request(request.user, person):
        raise PermissionDenied
    form = MatchRequestForm(request.POST or None)
    created = []

    def save(data):
        created.append(
            services.request_match(
                _actor(request),
                person,
                organisation=data["organisation"],
                kind=data["kind"],
                need=data["need"],
                with_household=data["with_household"],
                agreed_months=data["agreed_months"],
            )
        )

    if save_valid(request, form, save):
        messages.success(request, _("The organisation was asked for a volunteer. Record the consent next."))
        return redirect("matches:match_detail", created[0].pk)
    return render(
        request,
        "volunteering/matches/match_request.html",
        {"form": form, "person": person},
        status=400 if form.errors else 200,
    )
