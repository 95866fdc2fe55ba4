"""Reads for profiles, agreements and grants, scoped by grants.permissions.

Nothing here is a person's case file, but applications and agreements are an organisation's own business:
reads of an application, its attachments and an agreement are logged like personal data.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from bro.core import audit
from bro.core.models import AuditAction, Organisation, User
from bro.volunteering.grants import messages, permissions, rules, services
from bro.volunteering.grants.models import Agreement, GrantApplication, GrantAttachment, GrantScheme
from bro.volunteering.models import CivilSocietyProfile
from bro.volunteering.permissions import CIVIL_SOCIETY_KINDS


def civil_society_or_404(organisation_id) -> Organisation:
    found = Organisation.objects.filter(pk=organisation_id, kind__in=CIVIL_SOCIETY_KINDS).first()
    if found is None:
        raise Http404
    return found


def scheme_or_404(scheme_id) -> GrantScheme:
    found = GrantScheme.objects.select_related("administrator").filter(pk=scheme_id).first()
    if found is None:
        raise Http404
    return found


@dataclass
class SchemeRow:
    scheme: GrantScheme
    next_deadline: datetime.date | None
    open_now: bool
    can_keep: bool


def scheme_row(user: User, scheme: GrantScheme, on: datetime.date) -> SchemeRow:
    deadlines = services.scheme_deadlines(scheme)
    return SchemeRow(
        scheme=scheme,
        next_deadline=rules.next_deadline(deadlines, scheme.rolling, on),
        open_now=rules.open_for(deadlines, scheme.rolling, scheme.is_open, on),
        can_keep=permissions.can_keep_scheme(user, scheme),
    )


def scheme_rows(user: User, on: datetime.date) -> list[SchemeRow]:
    if not permissions.can_view_schemes(user):
        raise PermissionDenied
    schemes = GrantScheme.objects.select_related("administrator").order_by("name")
    return [scheme_row(user, s, on) for s in schemes]


def eligibility_for(organisation: Organisation, scheme: GrantScheme, on: datetime.date) -> list[dict]:
    profile = CivilSocietyProfile.objects.filter(organisation=organisation).first()
    results = rules.check_eligibility(services.scheme_rules(scheme), services.profile_facts(profile), on)
    return messages.describe(results)


def profile_view(user: User, organisation: Organisation, on: datetime.date) -> dict:
    """The profile and, for every scheme open now, whether the organisation meets its rules and why not."""
    if not permissions.can_view_profile(user, organisation):
        raise PermissionDenied
    profile = CivilSocietyProfile.objects.select_related("parent").filter(organisation=organisation).first()
    schemes = []
    for row in scheme_rows(user, on):
        if row.open_now:
            found = eligibility_for(organisation, row.scheme, on)
            schemes.append({"row": row, "rules": found, "eligible": all(r["passed"] for r in found)})
    return {"profile": profile, "schemes": schemes}


def applications(user: User, scheme: GrantScheme | None = None) -> list[GrantApplication]:
    """The applications the user may read: their organisations' own, and all to the schemes they keep."""
    own = [o.id for o in permissions.civil_society_organisations(user)]
    kept = [o.id for o in permissions.scheme_organisations(user)]
    found = GrantApplication.objects.filter(
        Q(organisation_id__in=own) | Q(scheme__administrator_id__in=kept)
    ).select_related("scheme", "organisation")
    if scheme is not None:
        found = found.filter(scheme=scheme)
    found = list(found.order_by("-submitted_on", "organisation__name"))
    if found:
        audit.record(
            user=user,
            organisation=None,
            action=AuditAction.LIST,
            object_type="volunteering_grants.grantapplication",
            summary=f"{len(found)} grant applications",
        )
    return found


def application_for(user: User, application_id) -> GrantApplication:
    application = (
        GrantApplication.objects.select_related("scheme__administrator", "organisation")
        .filter(pk=application_id)
        .first()
    )
    if application is None:
        raise Http404
    if not permissions.can_view_application(user, application):
        raise PermissionDenied
    audit.record(user=user, organisation=application.organisation, action=AuditAction.READ, obj=application)
    return application


def attachment_for(user: User, application_id, attachment_id) -> GrantAttachment:
    application = application_for(user, application_id)
    attachment = application.attachments.filter(pk=attachment_id).first()
    if attachment is None:
        raise Http404
    audit.record(user=user, organisation=application.organisation, action=AuditAction.READ, obj=attachment)
    return attachment


def agreements(user: User) -> list[Agreement]:
    if not permissions.is_staff(user):
        raise PermissionDenied
    parties = permissions.visible_agreement_party_ids(user)
    return list(
        Agreement.objects.filter(Q(public_body_id__in=parties) | Q(organisation_id__in=parties))
        .select_related("public_body", "organisation")
        .order_by("-starts_on")
    )


def agreement_for(user: User, agreement_id) -> Agreement:
    agreement = (
        Agreement.objects.select_related("public_body", "organisation").filter(pk=agreement_id).first()
    )
    if agreement is None:
        raise Http404
    if not permissions.can_view_agreement(user, agreement):
        raise PermissionDenied
    audit.record(user=user, organisation=agreement.public_body, action=AuditAction.READ, obj=agreement)
    return agreement
