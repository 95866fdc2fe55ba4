"""Settlement pages: thin; the services decide and the selectors read."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from bro.core import charts
from bro.core.forms import apply_errors
from bro.core.models import Municipality
from bro.people import selectors as people_selectors
from bro.people import services as people_services
from bro.settlement import permissions, selectors, services
from bro.settlement.forms import (
    AnswerForm,
    DecisionForm,
    InterviewForm,
    NeedForm,
    ProposeForm,
    RefusalForm,
    RequestForm,
    SettleForm,
)
from bro.settlement.models import ProposalStatus, SettlementInterview

YEARS_SHOWN = 3


def _actor(request) -> services.Actor:
    return services.Actor(user=request.user, channel="web")


def _year(request) -> int:
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year", today.year))
    except ValueError:
        return today.year
    return year if 2000 <= year <= today.year + 1 else today.year


def _years(year: int) -> list[int]:
    this = timezone.localdate().year
    return sorted({*range(this - YEARS_SHOWN + 1, this + 2), year}, reverse=True)


# --- overviews --------------------------------------------------------------------------------------


@login_required
@require_safe
def overview(request):
    if not permissions.can_view_national_overview(request.user):
        raise PermissionDenied
    year = _year(request)
    data = selectors.national_overview(year)
    chart = charts.grouped_bars(
        "chart-title",
        [(c.label, [c.request, c.decision, c.settled]) for c in data["counties"]],
        [_("Requested"), _("Council decision"), _("Settled")],
    )
    return render(
        request,
        "settlement/overview.html",
        {
            **data,
            "years": _years(year),
            "chart": chart,
            "summary": selectors.years_summary(sorted(_years(year))),
            "speed": selectors.settlement_speed(year),
            "can_edit": permissions.is_national_officer(request.user),
        },
    )


@login_required
@require_safe
def municipality_overview(request):
    if not permissions.municipal_officer_organisations(request.user):
        raise PermissionDenied
    municipality = selectors.user_municipality(request.user, request.GET.get("organisation"))
    year = _year(request)
    data = selectors.municipality_overview(request.user, municipality, year)
    return render(
        request,
        "settlement/municipality.html",
        {
            **data,
            "years": _years(year),
            "municipalities": permissions.municipal_officer_organisations(request.user),
        },
    )


# --- the yearly cycle: need, requests, decisions -----------------------------------------------------


def _counties():
    return list(
        Municipality.objects.valid_on(timezone.localdate())
        .order_by("county_number")
        .values_list("county_number", "county_name")
        .distinct()
    )


@login_required
@require_http_methods(["GET", "POST"])
def need_form(request):
    if not permissions.is_national_officer(request.user):
        raise PermissionDenied
    form = NeedForm(request.POST or None, counties=_counties())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.set_national_need(
                _actor(request),
                year=data["year"],
                persons=data["persons"],
                unaccompanied_minors=data["unaccompanied_minors"],
                counties=form.county_split(),
                note=data["note"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The national need was saved."))
            return redirect(f"{_url('settlement:overview')}?year={data['year']}")
    return render(
        request,
        "settlement/need_form.html",
        _form_context(form, _("Set the national need"), _("Save"), "settlement:overview", _("Settlement")),
        status=400 if form.errors else 200,
    )


def _form_context(form, title, submit_label, back_name, back_label) -> dict:
    return {
        "form": form,
        "title": title,
        "submit_label": submit_label,
        "back_url": _url(back_name),
        "back_label": back_label,
    }


def _url(name, **kwargs):
    from django.urls import reverse

    return reverse(name, kwargs=kwargs or None)


@login_required
@require_http_methods(["GET", "POST"])
def request_form(request):
    if not permissions.is_national_officer(request.user):
        raise PermissionDenied
    form = RequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            municipality = people_services.settlement_municipality_by_number(data["municipality_number"])
            services.send_request(
                _actor(request),
                year=data["year"],
                municipality=municipality,
                persons=data["persons"],
                unaccompanied_minors=data["unaccompanied_minors"],
                sent_on=data["sent_on"],
                note=data["note"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request, _("The settlement request was sent to %(name)s.") % {"name": municipality.name}
            )
            return redirect(f"{_url('settlement:overview')}?year={data['year']}")
    return render(
        request,
        "settlement/request_form.html",
        _form_context(
            form,
            _("Send or revise a request"),
            _("Send settlement request"),
            "settlement:overview",
            _("Settlement"),
        ),
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def decision_form(request):
    municipalities = permissions.municipal_officer_organisations(request.user)
    if not municipalities:
        raise PermissionDenied
    form = DecisionForm(request.POST or None, municipalities=municipalities)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        municipality = next(o for o in municipalities if str(o.pk) == data["municipality"])
        try:
            services.record_decision(
                _actor(request),
                municipality=municipality,
                year=data["year"],
                persons=data["persons"],
                unaccompanied_minors=data["unaccompanied_minors"],
                decided_on=data["decided_on"],
                body=data["body"],
                reference=data["reference"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The council decision was recorded."))
            return redirect(
                f"{_url('settlement:municipality')}?year={data['year']}&organisation={municipality.pk}"
            )
    return render(
        request,
        "settlement/decision_form.html",
        _form_context(
            form,
            _("Record a council decision"),
            _("Record the decision"),
            "settlement:municipality",
            _("Our settlement"),
        ),
        status=400 if form.errors else 200,
    )


# --- ready households and proposals -----------------------------------------------------------------


@login_required
@require_safe
def ready_list(request):
    if not permissions.is_national_officer(request.user):
        raise PermissionDenied
    units = selectors.ready_units(request.user)
    page = Paginator(units, 25).get_page(request.GET.get("page", 1))
    return render(request, "settlement/ready_list.html", {"page": page, "query": ""})


@login_required
@require_http_methods(["GET", "POST"])
def propose(request, unit_id: uuid.UUID):
    if not permissions.is_national_officer(request.user):
        raise PermissionDenied
    unit = selectors.get_unit(request.user, unit_id)
    form = ProposeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            municipality = people_services.settlement_municipality_by_number(data["municipality_number"])
            proposal = services.propose(
                _actor(request),
                unit.principal,
                municipality=municipality,
                note=data["note"],
                override_reason=data["override_reason"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("%(name)s was proposed.") % {"name": municipality.name})
            return redirect("settlement:proposal", proposal_id=proposal.pk)
    context = _form_context(
        form, _("Propose a municipality"), _("Propose"), "settlement:ready", _("Ready for settlement")
    )
    return render(
        request, "settlement/propose_form.html", {**context, "unit": unit}, status=400 if form.errors else 200
    )


def _proposal_page(request, proposal, members, *, answer=None, settle=None, refusal=None, status=200):
    is_municipal = permissions.is_municipal_officer_of(request.user, proposal.municipality)
    is_national = permissions.is_national_officer(request.user)
    context = {
        "proposal": proposal,
        "members": members,
        "interviews": selectors.interviews_for(members),
        "is_municipal": is_municipal,
        "is_national": is_national,
        "answer_form": answer
        or (AnswerForm() if is_municipal and proposal.status == ProposalStatus.PENDING else None),
        "settle_form": settle
        or (
            SettleForm(initial={"date": timezone.localdate()})
            if is_municipal and proposal.status == ProposalStatus.ACCEPTED
            else None
        ),
        "refusal_form": refusal
        or (
            RefusalForm(prefix="refusal", initial={"refused_on": timezone.localdate()})
            if is_national and proposal.status == ProposalStatus.ACCEPTED
            else None
        ),
        "refusal": getattr(proposal, "refusal", None) if proposal.status == ProposalStatus.REFUSED else None,
    }
    if is_municipal:
        context.update(selectors.proposal_decision_context(proposal))
    return render(request, "settlement/proposal.html", context, status=status)


@login_required
@require_safe
def proposal_detail(request, proposal_id: uuid.UUID):
    proposal, members = selectors.get_proposal(request.user, proposal_id)
    return _proposal_page(request, proposal, members)


@login_required
@require_POST
def proposal_answer(request, proposal_id: uuid.UUID):
    proposal, members = selectors.get_proposal(request.user, proposal_id)
    if not permissions.is_municipal_officer_of(request.user, proposal.municipality):
        raise PermissionDenied
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            services.answer_proposal(
                _actor(request),
                proposal,
                accept=form.cleaned_data["answer"] == "accept",
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Your answer was recorded."))
            return redirect("settlement:municipality")
    return _proposal_page(request, proposal, members, answer=form, status=400)


@login_required
@require_POST
def proposal_settle(request, proposal_id: uuid.UUID):
    proposal, members = selectors.get_proposal(request.user, proposal_id)
    if not permissions.is_municipal_officer_of(request.user, proposal.municipality):
        raise PermissionDenied
    form = SettleForm(request.POST)
    if form.is_valid():
        try:
            proposal = services.settle(_actor(request), proposal, on=form.cleaned_data["date"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            if proposal.exceeds_decision:
                messages.warning(
                    request,
                    _(
                        "The settlement was recorded, and it exceeds the council decision: it needs a "
                        "political or administrative decision."
                    ),
                )
            else:
                messages.success(request, _("The settlement was recorded."))
            return redirect("settlement:municipality")
    return _proposal_page(request, proposal, members, settle=form, status=400)


@login_required
@require_POST
def proposal_refusal(request, proposal_id: uuid.UUID):
    proposal, members = selectors.get_proposal(request.user, proposal_id)
    if not permissions.is_national_officer(request.user):
        raise PermissionDenied
    form = RefusalForm(request.POST, prefix="refusal")
    if form.is_valid():
        try:
            services.record_refusal(
                _actor(request),
                proposal,
                refused_on=form.cleaned_data["refused_on"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The refused offer was recorded."))
            return redirect("settlement:proposal", proposal_id=proposal.pk)
    return _proposal_page(request, proposal, members, refusal=form, status=400)


# --- the interview and the waiting times ------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def interview(request, subject_id: uuid.UUID):
    person, access = people_selectors.get_person(request.user, subject_id)
    existing = SettlementInterview.objects.filter(person=person).select_related("conducted_by").first()
    can_conduct = permissions.can_conduct_interview(request.user, person)
    if request.method == "POST" and not can_conduct:
        raise PermissionDenied
    form = None
    # A completed interview is shown, not edited; a POST to it gets the service's refusal.
    if can_conduct and (request.method == "POST" or not (existing and existing.completed_at)):
        initial = {"conducted_on": timezone.localdate()}
        if existing:
            initial = {f: getattr(existing, f) for f in services.INTERVIEW_FIELDS}
        form = InterviewForm(request.POST or None, initial=initial)
        if request.method == "POST" and form.is_valid():
            try:
                services.save_interview(
                    _actor(request), person, form.to_input(), complete=form.cleaned_data["complete"]
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("The settlement interview was saved."))
                return redirect("settlement:interview", subject_id=person.pk)
    return render(
        request,
        "settlement/interview.html",
        {"person": person, "interview": existing, "form": form},
        status=400 if form is not None and form.errors else 200,
    )


@login_required
@require_safe
def waiting(request):
    if not permissions.can_view_waiting_list(request.user):
        raise PermissionDenied
    include_all = request.GET.get("all") == "1"
    rows = selectors.waiting_list(request.user, include_all=include_all)
    page = Paginator(rows, 25).get_page(request.GET.get("page", 1))
    return render(
        request,
        "settlement/waiting.html",
        {
            "page": page,
            "include_all": include_all,
            "query": "all=1" if include_all else "",
            "interviewer": bool(permissions.reception_staff_organisations(request.user)),
        },
    )
