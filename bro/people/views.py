import importlib
import uuid

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_safe

from bro.core import policy
from bro.core.forms import apply_errors
from bro.people import selectors, services
from bro.people.forms import PersonForm, RegisterPersonForm, TransitionForm
from bro.people.languages import language_name
from bro.people.phases import Phase


def _actor(request) -> services.Actor:
    return services.Actor(user=request.user, channel="web")


@login_required
@require_safe
def person_list(request):
    if not policy.can_read_persons_at_all(request.user):
        raise PermissionDenied
    q = request.GET.get("q", "").strip()
    phase = request.GET.get("phase", "")
    if phase not in Phase.values:
        phase = ""
    include_history = request.GET.get("history") == "1"
    page = selectors.person_page(
        request.user, query=q, phase=phase, include_history=include_history, page=request.GET.get("page", 1)
    )
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "page": page,
        "q": q,
        "phase": phase,
        "phases": Phase.choices,
        "include_history": include_history,
        "query": query.urlencode(),
    }
    template = "people/_person_table.html" if request.headers.get("HX-Request") else "people/person_list.html"
    return render(request, template, context)


@sensitive_post_parameters("national_identity_number")
@login_required
@require_http_methods(["GET", "POST"])
def person_create(request):
    organisations = policy.registering_organisations(request.user)
    if not organisations:
        raise PermissionDenied
    family_of = None
    family_of_id = request.POST.get("family_of") or request.GET.get("family_of")
    if family_of_id:
        family_of, access = selectors.get_person(request.user, family_of_id)
        if not access.can_write:
            raise PermissionDenied
    form = RegisterPersonForm(request.POST or None, organisations=organisations, family_of=family_of)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            person = services.register_person(
                _actor(request),
                form.to_input(),
                organisation=data["organisation"],
                initial_phase=data["initial_phase"],
                phase_date=data["phase_date"],
                family_of=family_of,
                relation=data.get("relation", ""),
                unaccompanied_minor=data.get("unaccompanied_minor", False),
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("%(name)s was registered.") % {"name": person.full_name})
            return redirect("people:person_detail", person_id=person.id)
    return render(
        request,
        "people/person_form.html",
        {"form": form, "creating": True, "family_of": family_of},
        status=400 if form.errors else 200,
    )


@login_required
@require_safe
def person_detail(request, person_id: uuid.UUID):
    person, access = selectors.get_person(request.user, person_id)
    own, members = selectors.household_members(person)
    languages = [
        {
            "name": language_name(pl.language),
            "preferred": pl.is_preferred,
            "interpreter": pl.needs_interpreter,
        }
        for pl in person.languages.all()
    ]
    visible_member_ids = set(
        policy.visible_persons(request.user)
        .filter(pk__in=[m.person_id for m in members])
        .values_list("pk", flat=True)
    )
    return render(
        request,
        "people/person_detail.html",
        {
            "person": person,
            "access": access,
            "events": selectors.timeline(person),
            "household": own,
            "members": members,
            "visible_member_ids": visible_member_ids,
            "languages": languages,
            "access_log": selectors.access_log(request.user, person),
            "transition_form": TransitionForm(current_phase=person.current_phase)
            if access.can_write
            else None,
            "related_links": [
                link
                for module in settings.BRO_PERSON_LINK_MODULES
                for link in importlib.import_module(module).person_links(request, person, access)
            ],
        },
    )


@sensitive_post_parameters("national_identity_number")
@login_required
@require_http_methods(["GET", "POST"])
def person_edit(request, person_id: uuid.UUID):
    person, access = selectors.get_person(request.user, person_id)
    if not access.can_write:
        raise PermissionDenied
    form = PersonForm(request.POST or None, initial=PersonForm.initial_for(person))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_person(_actor(request), person, form.to_input())
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The changes were saved."))
            return redirect("people:person_detail", person_id=person.id)
    return render(
        request,
        "people/person_form.html",
        {"form": form, "person": person, "creating": False},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def person_transition(request, person_id: uuid.UUID):
    person, access = selectors.get_person(request.user, person_id)
    if not access.can_write:
        raise PermissionDenied
    form = TransitionForm(request.POST or None, current_phase=person.current_phase)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            organisation = None
            if data["phase"] == Phase.SETTLED:
                organisation = services.settlement_municipality_by_number(data["municipality_number"])
            elif data["phase"] == Phase.RECEPTION and data["reception_centre"] is not None:
                organisation = data["reception_centre"]
            services.record_transition(
                _actor(request),
                person,
                phase=data["phase"],
                on=data["date"],
                organisation=organisation,
                outcome=data["outcome"],
                note=data["note"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The step was recorded."))
            return redirect("people:person_detail", person_id=person.id)
    return render(
        request,
        "people/transition_form.html",
        {"form": form, "person": person},
        status=400 if form.errors else 200,
    )
