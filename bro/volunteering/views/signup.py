"""Volunteers: the public sign-up, "My volunteering", the coordinator's volunteers and onboarding, and the
surge queue. Thin: parse, call a service or selector, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from bro.core.forms import apply_errors
from bro.core.models import Municipality
from bro.people.languages import language_name
from bro.volunteering import permissions
from bro.volunteering.forms_signup import (
    AddToActivityForm,
    OnboardingStepsForm,
    SignupForm,
    StartOnboardingForm,
    SurgeForm,
    VolunteerDetailsForm,
)
from bro.volunteering.models import Activity, Need, NeedAssignment, Onboarding, Surge, Volunteer
from bro.volunteering.selectors import volunteers as selectors
from bro.volunteering.services import volunteers as services


def _url_or_none(name: str) -> str | None:
    try:
        return reverse(name)
    except NoReverseMatch:  # that area is not installed yet
        return None


def _municipalities():
    return Municipality.objects.valid_on(timezone.localdate()).order_by("number")


# --- the public sign-up -----------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def signup(request):
    """Anyone may sign up as a volunteer (DOMAIN §9), no login needed; during a surge the page says so and
    the newcomer is offered fitting open needs at once."""
    today = timezone.localdate()
    surges = list(selectors.active_surges(today))
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            volunteer, offers = services.sign_up(
                form.to_input(),
                form.cleaned_data["password1"],
                organisation=form.cleaned_data.get("organisation"),
                today=today,
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            login(request, volunteer.user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("Welcome! You are signed up as a volunteer."))
            if offers:
                messages.info(
                    request,
                    ngettext(
                        "We have offered you %(count)s need where help is wanted now. Accept or decline it below.",
                        "We have offered you %(count)s needs where help is wanted now. Accept or decline them below.",
                        len(offers),
                    )
                    % {"count": len(offers)},
                )
            return redirect("volunteering:me")
    return render(
        request,
        "volunteering/signup/signup.html",
        {
            "form": form,
            "surges": surges,
            "municipalities": _municipalities(),
            "public_needs_url": _url_or_none("volunteering:public_needs"),
        },
    )


# --- My volunteering --------------------------------------------------------------------------------------


def _organisation_rows(volunteer: Volunteer, onboardings, today):
    return [
        {"onboarding": o, "activities": services.activities_open_to(volunteer, o.organisation, today)}
        for o in onboardings
    ]


@login_required
@require_safe
def me(request):
    """The volunteer's own page: details, onboarding per organisation, activities, offered needs."""
    today = timezone.localdate()
    volunteer = selectors.own_volunteer(request.user)
    onboardings = selectors.onboardings_for(volunteer)
    return render(
        request,
        "volunteering/signup/me.html",
        {
            "volunteer": volunteer,
            "languages": ", ".join(language_name(code) for code in volunteer.languages),
            "organisations": _organisation_rows(volunteer, onboardings, today),
            "activities": volunteer.activities.select_related("organisation").order_by("name"),
            "offers": selectors.offers_for(volunteer),
            "surge_needs": selectors.surge_needs_for(volunteer, today),
            "matches_url": _url_or_none("matches:match_list"),
            "step_labels": services.STEP_LABELS,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def me_edit(request):
    volunteer = selectors.own_volunteer(request.user)
    form = VolunteerDetailsForm(request.POST or None, initial=VolunteerDetailsForm.initial_for(volunteer))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_own_details(request.user, volunteer, form.to_input())
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Your details are saved."))
            return redirect("volunteering:me")
    return render(
        request,
        "volunteering/signup/me_edit.html",
        {"form": form, "municipalities": _municipalities()},
    )


@login_required
@require_POST
def answer_offer(request, assignment_id):
    volunteer = permissions.own_volunteer(request.user)
    assignment = get_object_or_404(NeedAssignment.objects.select_related("need"), pk=assignment_id)
    if volunteer is None or assignment.volunteer_id != volunteer.pk:
        raise Http404
    accept = request.POST.get("answer") == "accept"
    try:
        services.answer_offer(request.user, assignment, accept=accept)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Thank you – your answer is saved."))
    return redirect("volunteering:me")


# --- coordinators -----------------------------------------------------------------------------------------


def _coordinator(request):
    organisations = permissions.coordinator_organisations(request.user)
    if not organisations:
        raise PermissionDenied
    return organisations


@login_required
@require_safe
def volunteer_list(request):
    organisations = _coordinator(request)
    query = request.GET.get("q", "")
    rows = selectors.volunteer_list(request.user, query=query)
    return render(
        request,
        "volunteering/signup/volunteer_list.html",
        {
            "rows": rows,
            "query": query,
            "organisations": organisations,
            "surge_url": reverse("volunteering:surge_queue"),
        },
    )


def _detail_context(request, volunteer, organisations, **forms):
    today = timezone.localdate()
    onboardings = selectors.onboardings_for(volunteer, organisations)
    rows = []
    for onboarding in onboardings:
        key = str(onboarding.organisation_id)
        rows.append(
            {
                "onboarding": onboarding,
                "activities": services.activities_open_to(volunteer, onboarding.organisation, today),
                "form": forms.get(f"steps-{key}")
                or OnboardingStepsForm(
                    prefix=f"steps-{key}",
                    initial={name: getattr(onboarding, name) for name in services.STEP_FIELDS.values()},
                ),
            }
        )
    started = {o.organisation_id for o in onboardings}
    not_started = [o for o in organisations if o.pk not in started]
    activities = (
        Activity.objects.filter(organisation__in=[o.pk for o in organisations])
        .exclude(volunteers=volunteer)
        .select_related("organisation")
        .order_by("name")
    )
    others = [o for o in organisations if o.pk not in started]
    open_elsewhere = [
        {"organisation": o, "activities": services.activities_open_to(volunteer, o, today)} for o in others
    ]
    return {
        "volunteer": volunteer,
        "rows": rows,
        "open_elsewhere": open_elsewhere,
        "start_form": forms.get("start") or StartOnboardingForm(organisations=not_started),
        "activity_form": forms.get("activity") or AddToActivityForm(activities=activities),
        "taking_part": volunteer.activities.filter(
            organisation__in=[o.pk for o in organisations]
        ).select_related("organisation"),
        "step_labels": services.STEP_LABELS,
    }


@login_required
@require_safe
def volunteer_detail(request, volunteer_id):
    organisations = _coordinator(request)
    volunteer = selectors.volunteer_for_coordinator(request.user, volunteer_id)
    return render(
        request,
        "volunteering/signup/volunteer_detail.html",
        _detail_context(request, volunteer, organisations),
    )


@login_required
@require_POST
def onboarding_start(request, volunteer_id):
    organisations = _coordinator(request)
    volunteer = selectors.volunteer_for_coordinator(request.user, volunteer_id)
    form = StartOnboardingForm(request.POST, organisations=organisations)
    if form.is_valid():
        try:
            services.start_onboarding(request.user, volunteer, form.cleaned_data["organisation"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Onboarding started."))
            return redirect("volunteering:volunteer_detail", volunteer_id=volunteer.pk)
    context = _detail_context(request, volunteer, organisations, start=form)
    return render(request, "volunteering/signup/volunteer_detail.html", context, status=400)


@login_required
@require_POST
def onboarding_steps(request, volunteer_id, organisation_id):
    organisations = _coordinator(request)
    volunteer = selectors.volunteer_for_coordinator(request.user, volunteer_id)
    if organisation_id not in {o.pk for o in organisations}:
        raise PermissionDenied
    onboarding = get_object_or_404(Onboarding, volunteer=volunteer, organisation_id=organisation_id)
    form = OnboardingStepsForm(request.POST, prefix=f"steps-{organisation_id}")
    if form.is_valid():
        try:
            services.record_onboarding_steps(request.user, onboarding, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Onboarding steps saved."))
            return redirect("volunteering:volunteer_detail", volunteer_id=volunteer.pk)
    context = _detail_context(request, volunteer, organisations, **{f"steps-{organisation_id}": form})
    return render(request, "volunteering/signup/volunteer_detail.html", context, status=400)


@login_required
@require_POST
def activity_add(request, volunteer_id):
    organisations = _coordinator(request)
    volunteer = selectors.volunteer_for_coordinator(request.user, volunteer_id)
    activities = Activity.objects.filter(organisation__in=[o.pk for o in organisations]).select_related(
        "organisation"
    )
    form = AddToActivityForm(request.POST, activities=activities)
    if form.is_valid():
        activity = activities.get(pk=form.cleaned_data["activity"])
        try:
            services.add_to_activity(request.user, volunteer, activity)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Added to %(activity)s.") % {"activity": activity.name})
            return redirect("volunteering:volunteer_detail", volunteer_id=volunteer.pk)
    context = _detail_context(request, volunteer, organisations, activity=form)
    return render(request, "volunteering/signup/volunteer_detail.html", context, status=400)


# --- surges -----------------------------------------------------------------------------------------------


def _queue_context(request, **extra):
    scope, rows, needs = selectors.surge_queue(request.user)
    publishing = permissions.publishing_organisations(request.user)
    active_orgs = {s.organisation_id for s in selectors.active_surges()}
    return {
        "scope": scope,
        "rows": rows,
        "needs": needs,
        "own_surges": [s for s in scope.surges if s.organisation_id in {o.pk for o in publishing}],
        "surge_form": extra.get("surge_form")
        or SurgeForm(organisations=[o for o in publishing if o.pk not in active_orgs]),
        "can_declare": bool(publishing),
        "errors": extra.get("errors", []),
    }


def _queue_user(request):
    user = request.user
    if not (permissions.coordinator_organisations(user) or permissions.publishing_organisations(user)):
        raise PermissionDenied


@login_required
@require_http_methods(["GET", "POST"])
def surge_queue(request):
    """During a surge: the new volunteers and the open needs, and assigning many at once."""
    _queue_user(request)
    if request.method == "POST":
        scope = selectors.surge_scope(request.user)
        volunteers = list(Volunteer.objects.filter(pk__in=_uuids(request.POST.getlist("volunteer"))))
        needs = list(Need.objects.filter(pk__in=_uuids(request.POST.getlist("need"))))
        try:
            if not scope.surges:
                raise PermissionDenied
            made = services.assign_in_bulk(request.user, volunteers, needs)
        except ValidationError as exc:
            context = _queue_context(request, errors=exc.messages)
            return render(request, "volunteering/signup/surge_queue.html", context, status=400)
        messages.success(
            request,
            ngettext("%(count)s offer made.", "%(count)s offers made.", len(made)) % {"count": len(made)},
        )
        return redirect("volunteering:surge_queue")
    return render(request, "volunteering/signup/surge_queue.html", _queue_context(request))


def _uuids(values) -> list:
    import uuid

    found = []
    for value in values:
        try:
            found.append(uuid.UUID(value))
        except ValueError:
            continue
    return found


@login_required
@require_POST
def surge_declare(request):
    publishing = permissions.publishing_organisations(request.user)
    if not publishing:
        raise PermissionDenied
    form = SurgeForm(request.POST, organisations=publishing)
    if form.is_valid():
        try:
            services.declare_surge(
                request.user, form.cleaned_data["organisation"], message=form.cleaned_data["message"]
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Surge declared. The public sign-up page now shows your message."))
            return redirect("volunteering:surge_queue")
    context = _queue_context(request, surge_form=form)
    return render(request, "volunteering/signup/surge_queue.html", context, status=400)


@login_required
@require_POST
def surge_end(request, surge_id):
    surge = get_object_or_404(Surge, pk=surge_id)
    try:
        services.end_surge(request.user, surge)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The surge has ended."))
    return redirect("volunteering:surge_queue")


urlpatterns = [
    path("sign-up/", signup, name="signup"),
    path("me/", me, name="me"),
    path("me/edit/", me_edit, name="me_edit"),
    path("me/offers/<uuid:assignment_id>/", answer_offer, name="answer_offer"),
    path("volunteers/", volunteer_list, name="volunteer_list"),
    path("volunteers/<uuid:volunteer_id>/", volunteer_detail, name="volunteer_detail"),
    path("volunteers/<uuid:volunteer_id>/onboarding/", onboarding_start, name="onboarding_start"),
    path(
        "volunteers/<uuid:volunteer_id>/onboarding/<uuid:organisation_id>/",
        onboarding_steps,
        name="onboarding_steps",
    ),
    path("volunteers/<uuid:volunteer_id>/activities/", activity_add, name="activity_add"),
    path("surge/", surge_queue, name="surge_queue"),
    path("surge/declare/", surge_declare, name="surge_declare"),
    path("surge/<uuid:surge_id>/end/", surge_end, name="surge_end"),
]
