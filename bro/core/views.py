import uuid

import segno
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import connection
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from bro.core import jobs, notifications, policy, selectors, services
from bro.core.forms import (
    AuditSearchForm,
    MembershipForm,
    OrganisationForm,
    TokenForm,
    UserCreateForm,
    apply_errors,
)
from bro.core.models import Membership
from bro.core.roles import OrganisationKind


def healthz(request):
    """200 when the database answers; load balancers and `make run` poll it."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # noqa: BLE001 - any database failure means unhealthy
        return HttpResponse("database unavailable\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")


class LoginView(auth_views.LoginView):
    template_name = "core/login.html"
    redirect_authenticated_user = True


@login_required
def home(request):
    user = request.user
    return render(
        request,
        "core/home.html",
        {
            "memberships": policy.memberships(user),
            "can_read_persons": policy.can_read_persons_at_all(user),
            "has_two_factor": user_has_device(user),
        },
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def two_factor(request):
    """Set up a TOTP device (first time) or verify a code for this session."""
    user = request.user
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    setting_up = device is None
    if setting_up:
        device = TOTPDevice.objects.filter(user=user, confirmed=False).first() or TOTPDevice.objects.create(
            user=user, name="default", confirmed=False
        )
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            if setting_up:
                device.confirmed = True
                device.save(update_fields=["confirmed"])
            otp_login(request, device)
            messages.success(request, _("Two-factor login is active for this session."))
            return redirect("core:home")
        form.add_error("token", _("The code is wrong or has expired. Try the newest code."))
    context = {"form": form, "setting_up": setting_up}
    if setting_up:
        qr = segno.make(device.config_url, error="m")
        context["qr_svg"] = qr.svg_inline(
            scale=4, dark="#000", light="#fff", title=_("QR code for the authenticator app")
        )
        from base64 import b32encode

        context["secret"] = b32encode(device.bin_key).decode()
    return render(request, "core/two_factor.html", context)


def _require_admin(user):
    if not policy.can_administer(user):
        raise PermissionDenied


@login_required
def organisation_list(request):
    _require_admin(request.user)
    page = selectors.organisation_page(
        request.user,
        query=request.GET.get("q", "").strip(),
        kind=request.GET.get("kind", ""),
        page=request.GET.get("page", 1),
    )
    return render(
        request,
        "core/organisation_list.html",
        {
            "page": page,
            "kinds": OrganisationKind.choices,
            "q": request.GET.get("q", ""),
            "kind": request.GET.get("kind", ""),
            "can_create": policy.is_system_administrator(request.user),
        },
    )


def _organisation_input(cleaned) -> services.OrganisationInput:
    return services.OrganisationInput(**cleaned)


@login_required
@require_http_methods(["GET", "POST"])
def organisation_create(request):
    if not policy.is_system_administrator(request.user):
        raise PermissionDenied
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            org = services.create_organisation(request.user, _organisation_input(form.cleaned_data))
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The organisation was created."))
            return redirect("core:organisation_edit", org_id=org.id)
    return render(
        request,
        "core/organisation_form.html",
        {"form": form, "creating": True},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def organisation_edit(request, org_id: uuid.UUID):
    org = selectors.organisation_for_admin(request.user, org_id)
    if org is None:
        raise Http404
    initial = {
        "kind": org.kind,
        "name": org.name,
        "municipality_number": org.municipality.number if org.municipality else "",
        "organisation_number": org.organisation_number or "",
        "is_host_municipality": org.is_host_municipality,
        "is_settlement_municipality": org.is_settlement_municipality,
        "operator_kind": org.operator_kind,
        "centre_type": org.centre_type,
        "requires_two_factor": org.requires_two_factor,
        "is_active": org.is_active,
    }
    form = OrganisationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_organisation(request.user, org, _organisation_input(form.cleaned_data))
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The organisation was saved."))
            return redirect("core:organisation_edit", org_id=org.id)
    members = Membership.objects.filter(organisation=org).select_related("user").order_by("user__username")
    return render(
        request,
        "core/organisation_form.html",
        {"form": form, "organisation": org, "members": members, "creating": False},
        status=400 if form.errors else 200,
    )


@login_required
def user_list(request):
    _require_admin(request.user)
    page = selectors.user_page(
        request.user, query=request.GET.get("q", "").strip(), page=request.GET.get("page", 1)
    )
    return render(request, "core/user_list.html", {"page": page, "q": request.GET.get("q", "")})


@login_required
@require_http_methods(["GET", "POST"])
def user_create(request):
    _require_admin(request.user)
    orgs = policy.administered_organisations(request.user).order_by("name")
    form = UserCreateForm(request.POST or None, organisations=orgs)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.create_user(
                request.user,
                services.UserInput(
                    username=data["username"],
                    first_name=data["first_name"],
                    last_name=data["last_name"],
                    email=data["email"],
                    password=data["password"],
                ),
                organisation=data["organisation"],
                role=data["role"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The user was created."))
            return redirect("core:user_edit", user_id=user.id)
    return render(request, "core/user_create.html", {"form": form}, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def user_edit(request, user_id: uuid.UUID):
    _require_admin(request.user)
    target = get_object_or_404(selectors.user_queryset(request.user), pk=user_id)
    orgs = policy.administered_organisations(request.user).order_by("name")
    form = MembershipForm(request.POST or None, organisations=orgs)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_membership(
                request.user,
                target,
                organisation=form.cleaned_data["organisation"],
                role=form.cleaned_data["role"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The role was added."))
            return redirect("core:user_edit", user_id=target.id)
    memberships = target.memberships.select_related("organisation").order_by("organisation__name")
    administered = set(orgs.values_list("id", flat=True))
    return render(
        request,
        "core/user_edit.html",
        {"target": target, "memberships": memberships, "form": form, "administered": administered},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def membership_remove(request, membership_id: int):
    _require_admin(request.user)
    membership = get_object_or_404(
        Membership.objects.select_related("organisation", "user"), pk=membership_id
    )
    services.remove_membership(request.user, membership)
    messages.success(request, _("The role was removed."))
    return redirect("core:user_edit", user_id=membership.user_id)


@login_required
@require_POST
def user_set_active(request, user_id: uuid.UUID):
    _require_admin(request.user)
    target = get_object_or_404(selectors.user_queryset(request.user), pk=user_id)
    services.set_user_active(request.user, target, request.POST.get("active") == "1")
    messages.success(request, _("The user was saved."))
    return redirect("core:user_edit", user_id=target.id)


@login_required
def audit_log(request):
    if not policy.can_view_audit_log(request.user):
        raise PermissionDenied
    form = AuditSearchForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    page = selectors.audit_page(request.user, page=request.GET.get("page", 1), **filters)
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "core/audit_log.html", {"form": form, "page": page, "query": query.urlencode()})


@login_required
@require_http_methods(["GET", "POST"])
def notification_list(request):
    """The user's own notifications; POST marks them all as read."""
    if request.method == "POST":
        marked = notifications.mark_all_read(request.user)
        if marked:
            messages.success(request, _("The notifications were marked as read."))
        return redirect("core:notifications")
    page = Paginator(notifications.notifications_for(request.user), 25).get_page(request.GET.get("page", 1))
    return render(
        request,
        "core/notifications.html",
        {"page": page, "unread": notifications.unread_count(request.user)},
    )


def _job_or_404(request, job_id):
    job = jobs.get_for_user(request.user, job_id)
    if job is None:
        raise Http404
    return job


@login_required
def job_detail(request, job_id):
    """A background job's progress; the page polls ``job_progress`` and moves on to the result when done."""
    job = _job_or_404(request, job_id)
    if job.result_url and request.GET.get("stay") != "1":
        return redirect(job.result_url)
    return render(request, "core/job.html", {"job": job, "interrupted": jobs.is_interrupted(job)})


@login_required
def job_progress(request, job_id):
    """The progress fragment (htmx); when the job is done, htmx is told to go to its result."""
    job = _job_or_404(request, job_id)
    response = render(
        request, "core/job_progress.html", {"job": job, "interrupted": jobs.is_interrupted(job)}
    )
    if job.result_url:
        response["HX-Redirect"] = job.result_url
    return response
