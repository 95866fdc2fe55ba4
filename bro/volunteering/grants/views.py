"""Pages for civil-society profiles, agreements with dialogue meetings, and grant schemes with applications."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from bro.core.forms import save_valid
from bro.volunteering.grants import forms, permissions, selectors, services
from bro.volunteering.grants.messages import describe
from bro.volunteering.grants.models import ApplicationStatus
from bro.volunteering.models import CivilSocietyProfile

FORM_PAGE = "volunteering/grants/form_page.html"


def _actor(request) -> services.Actor:
    return services.Actor(user=request.user, channel="web")


def _form_page(request, form, save, *, done, context):
    """On a valid POST, ``save(data)`` writes through a service and returns (message, redirect target); a
    service's ValidationError lands on the form (400) and nothing is saved."""
    saved = []
    if save_valid(request, form, lambda data: saved.append(save(data))):
        text, target = saved[0]
        messages.success(request, text)
        return redirect(*target)
    status = 400 if form.errors else 200
    return render(request, FORM_PAGE, {"form": form, **context}, status=status)


# --- profiles ------------------------------------------------------------------------------------------


@login_required
@require_safe
def profile(request, organisation_id: uuid.UUID):
    organisation = selectors.civil_society_or_404(organisation_id)
    view = selectors.profile_view(request.user, organisation, timezone.localdate())
    return render(
        request,
        "volunteering/grants/profile.html",
        {
            "organisation": organisation,
            "can_edit": permissions.can_edit_profile(request.user, organisation),
            **view,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def profile_edit(request, organisation_id: uuid.UUID):
    organisation = selectors.civil_society_or_404(organisation_id)
    if not permissions.can_edit_profile(request.user, organisation):
        raise PermissionDenied
    current = CivilSocietyProfile.objects.filter(organisation=organisation).first()
    initial = {"organisation_number": organisation.organisation_number or ""}
    if current:
        initial |= {
            f: getattr(current, f) for f in ("kind", "in_voluntary_register", "voluntary_register_since")
        }
        initial |= {f: getattr(current, f) for f in ("founded_on", "paying_members", "counties", "website")}
        initial["parent"] = current.parent_id
    form = forms.ProfileForm(request.POST or None, initial=initial, organisation=organisation)

    def save(data):
        services.save_profile(_actor(request), organisation, **data)
        return _("The profile was saved."), ("grants:profile", organisation.id)

    return _form_page(
        request,
        form,
        save,
        done=None,
        context={
            "title": _("Edit the profile of %(name)s") % {"name": organisation.name},
            "submit": _("Save profile"),
            "back": ("grants:profile", organisation.id),
        },
    )


# --- schemes -------------------------------------------------------------------------------------------


@login_required
@require_safe
def scheme_list(request):
    rows = selectors.scheme_rows(request.user, timezone.localdate())
    return render(
        request,
        "volunteering/grants/scheme_list.html",
        {
            "rows": rows,
            "can_create": bool(permissions.scheme_organisations(request.user)),
            "own_organisations": permissions.civil_society_organisations(request.user),
        },
    )


@login_required
@require_safe
def scheme_detail(request, scheme_id: uuid.UUID):
    scheme = selectors.scheme_or_404(scheme_id)
    if not permissions.can_view_schemes(request.user):
        raise PermissionDenied
    today = timezone.localdate()
    own = permissions.civil_society_organisations(request.user)
    return render(
        request,
        "volunteering/grants/scheme_detail.html",
        {
            "scheme": scheme,
            "row": selectors.scheme_row(request.user, scheme, today),
            "deadlines": services.scheme_deadlines(scheme),
            "own": [(o, selectors.eligibility_for(o, scheme, today)) for o in own],
            "applications": selectors.applications(request.user, scheme),
        },
    )


def _scheme_form_page(request, scheme=None):
    administrators = permissions.scheme_organisations(request.user)
    if scheme is not None:
        if not permissions.can_keep_scheme(request.user, scheme):
            raise PermissionDenied
        deadlines = services.scheme_deadlines(scheme)
        initial = {f: getattr(scheme, f) for f in services.SCHEME_FIELDS if f != "deadlines"}
        initial |= {f"deadline_{i + 1}": d for i, d in enumerate(deadlines[:3])}
        initial["administrator"] = scheme.administrator_id
        administrators = [scheme.administrator]
    elif not administrators:
        raise PermissionDenied
    else:
        initial = {}
    form = forms.SchemeForm(request.POST or None, initial=initial, administrators=administrators)

    def save(data):
        saved = services.save_scheme(_actor(request), data["administrator"], scheme, **form.scheme_fields())
        return _("The grant scheme was saved."), ("grants:scheme_detail", saved.id)

    back = ("grants:scheme_detail", scheme.id) if scheme else ("grants:scheme_list",)
    return _form_page(
        request,
        form,
        save,
        done=None,
        context={
            "title": _("Edit grant scheme") if scheme else _("New grant scheme"),
            "submit": _("Save scheme"),
            "back": back,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def scheme_create(request):
    return _scheme_form_page(request)


@login_required
@require_http_methods(["GET", "POST"])
def scheme_edit(request, scheme_id: uuid.UUID):
    return _scheme_form_page(request, selectors.scheme_or_404(scheme_id))


# --- applications --------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def apply(request, scheme_id: uuid.UUID, organisation_id: uuid.UUID):
    scheme = selectors.scheme_or_404(scheme_id)
    organisation = selectors.civil_society_or_404(organisation_id)
    if not permissions.can_apply(request.user, organisation):
        raise PermissionDenied
    form = forms.ApplicationForm(request.POST or None, request.FILES or None, organisation=organisation)

    def save(data):
        application = services.submit_application(
            _actor(request),
            scheme,
            organisation,
            amount=data["amount"],
            description=data["description"],
            budget_lines=data["budget"],
            activities=list(data["activities"]),
            attachments=[data["attachment"]] if data.get("attachment") else [],
        )
        return _("The application was submitted."), ("grants:application_detail", application.id)

    return _form_page(
        request,
        form,
        save,
        done=None,
        context={
            "title": _("Apply to %(scheme)s for %(organisation)s")
            % {"scheme": scheme.name, "organisation": organisation.name},
            "intro_rows": selectors.eligibility_for(organisation, scheme, timezone.localdate()),
            "scheme": scheme,
            "multipart": True,
            "submit": _("Submit application"),
            "back": ("grants:scheme_detail", scheme.id),
        },
    )


def _application_context(request, application, **extra):
    user = request.user
    can_decide = (
        permissions.can_decide(user, application) and application.status == ApplicationStatus.SUBMITTED
    )
    can_attach = permissions.can_apply(user, application.organisation) and (
        application.status == ApplicationStatus.SUBMITTED
    )
    return {
        "application": application,
        "rules": describe(application.eligibility),
        "activities": list(application.activities.order_by("name")),
        "attachments": list(application.attachments.all()),
        "report": getattr(application, "report", None),
        "decision_form": forms.DecisionForm() if can_decide else None,
        "attachment_form": forms.AttachmentForm() if can_attach else None,
        "can_report": permissions.can_report(user, application)
        and application.status == ApplicationStatus.APPROVED,
        **extra,
    }


@login_required
@require_safe
def application_detail(request, application_id: uuid.UUID):
    application = selectors.application_for(request.user, application_id)
    return render(
        request, "volunteering/grants/application_detail.html", _application_context(request, application)
    )


def _on_application(request, application, form, save):
    if save_valid(request, form, save):
        return redirect("grants:application_detail", application.id)
    key = "decision_form" if isinstance(form, forms.DecisionForm) else "attachment_form"
    context = _application_context(request, application, **{key: form})
    return render(request, "volunteering/grants/application_detail.html", context, status=400)


@login_required
@require_POST
def application_decide(request, application_id: uuid.UUID):
    application = selectors.application_for(request.user, application_id)
    if not permissions.can_decide(request.user, application):
        raise PermissionDenied

    def save(data):
        services.decide_application(
            _actor(request),
            application,
            approve=data["decision"] == "approve",
            approved_amount=data["approved_amount"],
            reason=data["reason"],
        )
        messages.success(request, _("The decision was recorded."))

    return _on_application(request, application, forms.DecisionForm(request.POST), save)


@login_required
@require_POST
def attachment_add(request, application_id: uuid.UUID):
    application = selectors.application_for(request.user, application_id)
    if not permissions.can_apply(request.user, application.organisation):
        raise PermissionDenied

    def save(data):
        services.add_attachment(_actor(request), application, data["file"])
        messages.success(request, _("The attachment was added."))

    return _on_application(request, application, forms.AttachmentForm(request.POST, request.FILES), save)


@login_required
@require_safe
def attachment_download(request, application_id: uuid.UUID, attachment_id: uuid.UUID):
    attachment = selectors.attachment_for(request.user, application_id, attachment_id)
    return FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.name)


@login_required
@require_http_methods(["GET", "POST"])
def report(request, application_id: uuid.UUID):
    application = selectors.application_for(request.user, application_id)
    if (
        not permissions.can_report(request.user, application)
        or application.status != ApplicationStatus.APPROVED
    ):
        raise PermissionDenied  # only an approved grant, not yet reported on, gets a report
    form = forms.ReportForm(request.POST or None, initial=services.report_prefill(application))

    def save(data):
        services.submit_report(_actor(request), application, **data)
        return _("The report was submitted."), ("grants:application_detail", application.id)

    return _form_page(
        request,
        form,
        save,
        done=None,
        context={
            "title": _("Report on the grant from %(scheme)s") % {"scheme": application.scheme.name},
            "intro": _(
                "Activities, participants and volunteer hours are filled in from the activities in Bro."
            ),
            "submit": _("Submit report"),
            "back": ("grants:application_detail", application.id),
        },
    )


# --- agreements ----------------------------------------------------------------------------------------


@login_required
@require_safe
def agreement_list(request):
    rows = selectors.agreements(request.user)
    return render(
        request,
        "volunteering/grants/agreement_list.html",
        {"rows": rows, "can_create": bool(permissions.agreement_organisations(request.user))},
    )


@login_required
@require_http_methods(["GET", "POST"])
def agreement_create(request):
    bodies = permissions.agreement_organisations(request.user)
    if not bodies:
        raise PermissionDenied
    form = forms.AgreementForm(request.POST or None, public_bodies=bodies)

    def save(data):
        body = data.pop("public_body")
        agreement = services.create_agreement(_actor(request), body, **data)
        return _("The agreement was recorded."), ("grants:agreement_detail", agreement.id)

    return _form_page(
        request,
        form,
        save,
        done=None,
        context={
            "title": _("New agreement"),
            "submit": _("Save agreement"),
            "back": ("grants:agreement_list",),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def agreement_detail(request, agreement_id: uuid.UUID):
    agreement = selectors.agreement_for(request.user, agreement_id)
    can_manage = permissions.can_manage_agreement(request.user, agreement)
    if request.method == "POST" and not can_manage:
        raise PermissionDenied
    form = forms.DialogueMeetingForm(request.POST or None) if can_manage else None

    def save(data):
        services.record_dialogue_meeting(_actor(request), agreement, **data)
        messages.success(request, _("The dialogue meeting was recorded."))

    if form is not None and save_valid(request, form, save):
        return redirect("grants:agreement_detail", agreement.id)
    return render(
        request,
        "volunteering/grants/agreement_detail.html",
        {"agreement": agreement, "meetings": list(agreement.meetings.all()), "form": form},
        status=400 if form is not None and form.errors else 200,
    )
