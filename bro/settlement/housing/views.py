import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from bro.core import policy
from bro.core.forms import apply_errors
from bro.people.models import Household
from bro.settlement.housing import permissions, selectors, services
from bro.settlement.housing.forms import (
    AllocationForm,
    DecisionForm,
    EndAllocationForm,
    GuidanceForm,
    RequestForm,
    SupportForm,
    TermsForm,
    UnitForm,
)
from bro.settlement.housing.models import RequestStatus, TargetGroup


def _actor(request) -> services.Actor:
    return services.Actor(user=request.user, channel="web")


def _status(form) -> int:
    return 400 if form.errors else 200


# --- the public overview -------------------------------------------------------------------------


@require_safe
def overview(request):
    """Every municipality's published self-settlement terms; no login needed (002:L249–294)."""
    county = request.GET.get("county", "")
    allows = request.GET.get("allows", "")
    counties = selectors.counties_with_terms()
    if county not in {number for number, _name in counties}:
        county = ""
    if allows not in ("yes", "no"):
        allows = ""
    english = (get_language() or "").startswith("en")
    labels = dict(TargetGroup.choices)
    rows = []
    for row in selectors.public_terms(county=county, allows=allows):
        t = row.terms
        other_groups = (t.target_groups_other_en if english else "") or t.target_groups_other_nb
        other_terms = (t.other_terms_en if english else "") or t.other_terms_nb
        rows.append(
            {
                "row": row,
                "terms": t,
                "groups": [labels[g] for g in t.target_groups if g in labels],
                "other_groups": other_groups,
                "other_groups_nb": english and other_groups and not t.target_groups_other_en,
                "other_terms": other_terms,
                "other_terms_nb": english and other_terms and not t.other_terms_en,
            }
        )
    return render(
        request,
        "housing/overview.html",
        {
            "rows": rows,
            "counties": counties,
            "county": county,
            "allows": allows,
            "allowing": sum(1 for r in rows if r["terms"].allows),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def terms_edit(request):
    organisations = permissions.terms_organisations(request.user)
    if not organisations:
        raise PermissionDenied
    chosen = request.POST.get("municipality") or request.GET.get("municipality")
    municipality = next((o for o in organisations if str(o.id) == chosen), organisations[0])
    terms = selectors.terms_of(municipality)
    form = TermsForm(request.POST or None, initial=TermsForm.initial_for(terms))
    if request.method == "POST" and form.is_valid():
        try:
            services.save_terms(_actor(request), municipality, form.to_input())
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The terms were saved."))
            return redirect(f"{request.path}?municipality={municipality.id}")
    return render(
        request,
        "housing/terms_form.html",
        {"form": form, "municipality": municipality, "organisations": organisations, "terms": terms},
        status=_status(form),
    )


# --- self-settlement requests --------------------------------------------------------------------


@login_required
@require_safe
def request_list(request):
    if not permissions.can_use_requests(request.user):
        raise PermissionDenied
    status = request.GET.get("status", "")
    if status not in RequestStatus.values:
        status = ""
    return render(
        request,
        "housing/request_list.html",
        {
            "rows": selectors.request_page_rows(request.user, status=status),
            "status": status,
            "statuses": RequestStatus.choices,
            "can_submit": bool(permissions.submitting_organisations(request.user)),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def request_create(request):
    if not permissions.submitting_organisations(request.user):
        raise PermissionDenied
    households = selectors.eligible_households(request.user)
    form = RequestForm(
        request.POST or None,
        households=households,
        municipalities=selectors.municipalities_allowing(),
        initial={"household": request.GET.get("household", "")},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        household = Household.objects.filter(pk=data["household"]).first()
        try:
            if household is None:
                raise PermissionDenied
            created = services.submit_request(
                _actor(request), household, data["municipality"], form.to_input()
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request, _("The request was sent to %(name)s.") % {"name": data["municipality"].name}
            )
            return redirect("housing:request_detail", request_id=created.id)
    return render(
        request,
        "housing/request_form.html",
        {"form": form, "has_households": bool(households)},
        status=_status(form),
    )


def _request_page(request, request_id, form=None):
    obj, persons = selectors.get_request(request.user, request_id)
    can_decide = permissions.can_decide_request(request.user, obj) and obj.status == RequestStatus.SUBMITTED
    if can_decide and form is None:
        form = DecisionForm(initial={"decided_on": timezone.localdate()})
    return render(
        request,
        "housing/request_detail.html",
        {
            "obj": obj,
            "persons": persons,
            "form": form if can_decide else None,
            "days": services.rules.processing_days(obj.submitted_on, obj.decided_on),
            "waiting": (timezone.localdate() - obj.submitted_on).days,
        },
        status=400 if form is not None and form.errors else 200,
    )


@login_required
@require_safe
def request_detail(request, request_id: uuid.UUID):
    return _request_page(request, request_id)


@login_required
@require_POST
def request_decide(request, request_id: uuid.UUID):
    obj, _persons = selectors.get_request(request.user, request_id)
    if not permissions.can_decide_request(request.user, obj):
        raise PermissionDenied
    form = DecisionForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.decide_request(
                _actor(request),
                obj,
                approve=data["decision"] == "approve",
                reason=data["reason"],
                decided_on=data["decided_on"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The decision was recorded."))
            return redirect("housing:request_detail", request_id=obj.id)
    return _request_page(request, request_id, form)


# --- housing units -------------------------------------------------------------------------------


@login_required
@require_safe
def unit_list(request):
    municipalities = permissions.housing_municipalities(request.user)
    if not municipalities:
        raise PermissionDenied
    return render(
        request,
        "housing/unit_list.html",
        {"rows": selectors.units_for(request.user), "municipalities": municipalities},
    )


@login_required
@require_http_methods(["GET", "POST"])
def unit_create(request):
    municipalities = permissions.housing_municipalities(request.user)
    if not municipalities:
        raise PermissionDenied
    form = UnitForm(request.POST or None, initial={"available_from": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.create_unit(_actor(request), municipalities[0], form.to_input())
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The housing unit was added."))
            return redirect("housing:unit_list")
    return render(
        request,
        "housing/unit_form.html",
        {"form": form, "municipality": municipalities[0]},
        status=_status(form),
    )


@login_required
@require_http_methods(["GET", "POST"])
def unit_allocate(request, unit_id: uuid.UUID):
    unit = selectors.get_unit(request.user, unit_id)
    households = selectors.candidate_households_for_unit(request.user, unit)
    form = AllocationForm(
        request.POST or None, households=households, initial={"from_date": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        household = Household.objects.filter(pk=data["household"]).first()
        try:
            if household is None:
                raise PermissionDenied
            services.allocate_unit(
                _actor(request), unit, household, from_date=data["from_date"], to_date=data["to_date"]
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The unit was allocated."))
            return redirect("housing:household_detail", household_id=household.id)
    return render(
        request,
        "housing/allocation_form.html",
        {
            "form": form,
            "unit": unit,
            "capacity": services.rules.unit_capacity(
                bedrooms=unit.bedrooms,
                size_m2=unit.size_m2,
                norm=services.rules.norm_on(timezone.localdate()),
            ),
        },
        status=_status(form),
    )


# --- households ----------------------------------------------------------------------------------


@login_required
@require_safe
def household_list(request):
    if not (policy.roles(request.user) & permissions.HOUSEHOLD_READ_ROLES):
        raise PermissionDenied
    return render(
        request, "housing/household_list.html", {"rows": selectors.households_for_housing(request.user)}
    )


def _household_page(request, household_id, *, support_form=None, guidance_form=None, end_form=None):
    data = selectors.get_household(request.user, household_id)
    today = timezone.localdate()
    forms = {}
    if data.writer is not None:
        forms = {
            "support_form": support_form or SupportForm(initial={"granted_on": today}, prefix="support"),
            "guidance_form": guidance_form or GuidanceForm(initial={"date": today}, prefix="guidance"),
            "end_form": (end_form or EndAllocationForm(initial={"to_date": today}, prefix="end"))
            if data.current
            else None,
        }
    failed = any(f is not None and f.is_bound and f.errors for f in (support_form, guidance_form, end_form))
    return render(
        request,
        "housing/household_detail.html",
        {"data": data, "size": len(data.persons), **forms},
        status=400 if failed else 200,
    )


@login_required
@require_safe
def household_detail(request, household_id: uuid.UUID):
    return _household_page(request, household_id)


def _household_for_write(request, household_id):
    data = selectors.get_household(request.user, household_id)
    if data.writer is None:
        raise PermissionDenied
    return data.household


@login_required
@require_POST
def household_support(request, household_id: uuid.UUID):
    household = _household_for_write(request, household_id)
    form = SupportForm(request.POST, prefix="support")
    if form.is_valid():
        try:
            services.grant_support(_actor(request), household, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The settling-in support was recorded."))
            return redirect("housing:household_detail", household_id=household.id)
    return _household_page(request, household_id, support_form=form)


@login_required
@require_POST
def household_guidance(request, household_id: uuid.UUID):
    household = _household_for_write(request, household_id)
    form = GuidanceForm(request.POST, prefix="guidance")
    if form.is_valid():
        try:
            services.record_guidance(_actor(request), household, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The housing guidance was recorded."))
            return redirect("housing:household_detail", household_id=household.id)
    return _household_page(request, household_id, guidance_form=form)


@login_required
@require_POST
def allocation_end(request, allocation_id: uuid.UUID):
    allocation = selectors.get_allocation(request.user, allocation_id)
    household_id = allocation.household_id
    if (
        permissions.household_housing_writer(request.user, services.household_persons(allocation.household))
        is None
    ):
        raise PermissionDenied
    form = EndAllocationForm(request.POST, prefix="end")
    if form.is_valid():
        try:
            services.end_allocation(_actor(request), allocation, to_date=form.cleaned_data["to_date"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The allocation was ended."))
            return redirect("housing:household_detail", household_id=household_id)
    return _household_page(request, household_id, end_form=form)
