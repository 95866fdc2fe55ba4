"""Every write for civil-society profiles, agreements, dialogue meetings and grants: permission-checked, in
one transaction, audit-logged. Services raise ``ValidationError`` (field → messages, nothing saved) or
``PermissionDenied``.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.no import orgnr

from bro.core import audit
from bro.core.models import AuditAction, Municipality, Organisation
from bro.people.services import Actor
from bro.volunteering.grants import permissions, rules
from bro.volunteering.grants.messages import ERRORS
from bro.volunteering.grants.models import (
    Agreement,
    ApplicationStatus,
    DialogueMeeting,
    GrantApplication,
    GrantAttachment,
    GrantReport,
    GrantScheme,
)
from bro.volunteering.models import Activity, CivilSocietyKind, CivilSocietyProfile
from bro.volunteering.permissions import CIVIL_SOCIETY_KINDS

__all__ = [
    "Actor",
    "add_attachment",
    "create_agreement",
    "decide_application",
    "profile_facts",
    "record_dialogue_meeting",
    "save_profile",
    "save_scheme",
    "scheme_rules",
    "submit_application",
    "submit_report",
]


def _raise(errors: dict[str, str]) -> None:
    if errors:
        raise ValidationError({f: ValidationError(ERRORS[code], code=code) for f, code in errors.items()})


def profile_facts(profile: CivilSocietyProfile | None) -> rules.OrganisationFacts:
    if profile is None:
        return rules.OrganisationFacts()
    return rules.OrganisationFacts(
        kind=profile.kind or None,
        in_voluntary_register=profile.in_voluntary_register,
        voluntary_register_since=profile.voluntary_register_since,
        founded_on=profile.founded_on,
        paying_members=profile.paying_members,
    )


def scheme_rules(scheme: GrantScheme) -> rules.SchemeRules:
    return rules.SchemeRules(
        requires_voluntary_register=scheme.requires_voluntary_register,
        minimum_age_years=scheme.minimum_age_years,
        minimum_paying_members=scheme.minimum_paying_members,
        excludes_faith_based=scheme.excludes_faith_based,
        allowed_kinds=tuple(scheme.allowed_kinds),
    )


def scheme_deadlines(scheme: GrantScheme) -> list[datetime.date]:
    return sorted(datetime.date.fromisoformat(d) for d in scheme.deadlines)


def _snapshot(obj, fields) -> dict:
    return {f: getattr(obj, f) for f in fields}


# --- profiles ------------------------------------------------------------------------------------------

PROFILE_FIELDS = (
    "kind",
    "in_voluntary_register",
    "voluntary_register_since",
    "founded_on",
    "paying_members",
    "parent_id",
    "counties",
    "website",
)


def _county_numbers() -> set[str]:
    return set(Municipality.objects.values_list("county_number", flat=True))


@transaction.atomic
def save_profile(
    actor: Actor,
    organisation: Organisation,
    *,
    kind: str,
    organisation_number: str = "",
    in_voluntary_register: bool = False,
    voluntary_register_since: datetime.date | None = None,
    founded_on: datetime.date | None = None,
    paying_members: int | None = None,
    parent: Organisation | None = None,
    counties: list[str] | None = None,
    website: str = "",
) -> CivilSocietyProfile:
    """Create or change an organisation's civil-society profile and its organisation number (validated with
    python-stdnum, unique in Bro). An informal group leaves the registration fields empty."""
    if not permissions.can_edit_profile(actor.user, organisation):
        raise PermissionDenied
    today = timezone.localdate()
    errors = {}
    number = None
    if organisation_number.strip():
        try:
            number = orgnr.validate(organisation_number)
        except StdnumError:
            errors["organisation_number"] = "invalid_orgnr"
        else:
            if Organisation.objects.exclude(pk=organisation.pk).filter(organisation_number=number).exists():
                errors["organisation_number"] = "orgnr_taken"
    if kind not in CivilSocietyKind.values:
        raise ValidationError({"kind": ValidationError(ERRORS["not_civil_society"])})
    if voluntary_register_since and not in_voluntary_register:
        errors["voluntary_register_since"] = "register_date_without_register"
    for name, day in (("voluntary_register_since", voluntary_register_since), ("founded_on", founded_on)):
        if day and day > today:
            errors.setdefault(name, "date_in_future")
    counties = sorted(set(counties or []))
    if set(counties) - _county_numbers():
        errors["counties"] = "unknown_county"
    if parent is not None and parent.pk == organisation.pk:
        errors["parent"] = "parent_is_self"
    _raise(errors)

    profile = CivilSocietyProfile.objects.filter(organisation=organisation).first()
    before = _snapshot(profile, PROFILE_FIELDS) if profile else {}
    before["organisation_number"] = organisation.organisation_number
    profile = profile or CivilSocietyProfile(organisation=organisation)
    profile.kind = kind
    profile.in_voluntary_register = in_voluntary_register
    profile.voluntary_register_since = voluntary_register_since
    profile.founded_on = founded_on
    profile.paying_members = paying_members
    profile.parent = parent
    profile.counties = counties
    profile.website = website.strip()
    creating = profile.pk is None
    profile.save()
    if organisation.organisation_number != number:
        organisation.organisation_number = number
        organisation.save(update_fields=["organisation_number"])
    after = _snapshot(profile, PROFILE_FIELDS) | {"organisation_number": number}
    audit.record(
        user=actor.user,
        organisation=organisation,
        action=AuditAction.CREATE if creating else AuditAction.UPDATE,
        obj=profile,
        changes=audit.diff(before, after),
        channel=actor.channel,
    )
    return profile


# --- agreements and dialogue meetings ------------------------------------------------------------------


@transaction.atomic
def create_agreement(
    actor: Actor,
    public_body: Organisation,
    *,
    organisation: Organisation,
    kind: str,
    starts_on: datetime.date,
    ends_on: datetime.date | None = None,
    amount: Decimal | None = None,
    description: str = "",
) -> Agreement:
    """A public body's intention or partnership agreement with a volunteer organisation (with money when
    ``amount`` is given)."""
    if public_body.kind in CIVIL_SOCIETY_KINDS:
        _raise({"public_body": "not_a_public_body"})
    if public_body.id not in {o.id for o in permissions.agreement_organisations(actor.user)}:
        raise PermissionDenied
    errors = {}
    if organisation.kind not in CIVIL_SOCIETY_KINDS:
        errors["organisation"] = "not_a_volunteer_organisation"
    if amount is not None and amount <= 0:
        errors["amount"] = "amount_not_positive_agreement"
    if ends_on and ends_on < starts_on:
        errors["ends_on"] = "ends_before_start"
    _raise(errors)
    agreement = Agreement.objects.create(
        public_body=public_body,
        organisation=organisation,
        kind=kind,
        amount=amount,
        starts_on=starts_on,
        ends_on=ends_on,
        description=description.strip(),
        created_by=actor.user,
    )
    audit.record(
        user=actor.user,
        organisation=public_body,
        action=AuditAction.CREATE,
        obj=agreement,
        changes=audit.diff(
            {}, {"organisation": organisation.name, "kind": kind, "amount": amount, "starts_on": starts_on}
        ),
        channel=actor.channel,
    )
    return agreement


@transaction.atomic
def record_dialogue_meeting(
    actor: Actor, agreement: Agreement, *, held_on: datetime.date, participants: str, notes: str = ""
) -> DialogueMeeting:
    if not permissions.can_manage_agreement(actor.user, agreement):
        raise PermissionDenied
    meeting = DialogueMeeting.objects.create(
        agreement=agreement,
        held_on=held_on,
        participants=participants.strip(),
        notes=notes.strip(),
        created_by=actor.user,
    )
    audit.record(
        user=actor.user,
        organisation=agreement.public_body,
        action=AuditAction.CREATE,
        obj=meeting,
        changes=audit.diff({}, {"agreement": agreement.pk, "held_on": held_on}),
        channel=actor.channel,
    )
    return meeting


# --- schemes -------------------------------------------------------------------------------------------

SCHEME_FIELDS = (
    "name",
    "description",
    "yearly_budget",
    "cap",
    "requires_voluntary_register",
    "minimum_age_years",
    "minimum_paying_members",
    "excludes_faith_based",
    "allowed_kinds",
    "priorities",
    "rolling",
    "deadlines",
    "is_open",
)


@transaction.atomic
def save_scheme(
    actor: Actor, administrator: Organisation, scheme: GrantScheme | None = None, **fields
) -> GrantScheme:
    """Create a scheme for ``administrator`` or change ``scheme``; ``fields`` are SCHEME_FIELDS (deadlines as
    dates)."""
    if scheme is not None:
        administrator = scheme.administrator
    if administrator.kind not in permissions.SCHEME_ADMINISTRATOR_KINDS:
        _raise({"administrator": "not_an_administrator_organisation"})
    if administrator.id not in {o.id for o in permissions.scheme_organisations(actor.user)}:
        raise PermissionDenied
    unknown = set(fields) - set(SCHEME_FIELDS)
    if unknown:
        raise TypeError(f"unknown scheme fields: {sorted(unknown)}")
    deadlines = sorted(set(fields.get("deadlines") or []))
    fields["deadlines"] = [d.isoformat() for d in deadlines]
    errors = {}
    if not fields.get("rolling") and not deadlines:
        errors["deadlines"] = "deadline_required"
    if fields.get("cap") is not None and fields["cap"] <= 0:
        errors["cap"] = "amount_not_positive"
    if set(fields.get("allowed_kinds") or []) - set(CivilSocietyKind.values):
        errors["allowed_kinds"] = "not_civil_society"
    _raise(errors)
    creating = scheme is None
    before = {} if creating else _snapshot(scheme, SCHEME_FIELDS)
    scheme = scheme or GrantScheme(administrator=administrator)
    for name, value in fields.items():
        setattr(scheme, name, value)
    scheme.save()
    audit.record(
        user=actor.user,
        organisation=administrator,
        action=AuditAction.CREATE if creating else AuditAction.UPDATE,
        obj=scheme,
        changes=audit.diff(before, _snapshot(scheme, SCHEME_FIELDS)),
        channel=actor.channel,
    )
    return scheme


# --- applications --------------------------------------------------------------------------------------


def _check_file(upload) -> str | None:
    head = upload.read(16)
    upload.seek(0)
    return rules.attachment_error(upload.name, upload.size, head)


def _attach(actor: Actor, application: GrantApplication, upload) -> GrantAttachment:
    return GrantAttachment.objects.create(
        application=application, file=upload, name=upload.name[:200], size=upload.size, uploaded_by=actor.user
    )


@transaction.atomic
def submit_application(
    actor: Actor,
    scheme: GrantScheme,
    organisation: Organisation,
    *,
    amount: Decimal,
    description: str,
    budget_lines: list[tuple[str, Decimal]] | None = None,
    activities: list[Activity] | None = None,
    attachments: list | None = None,
    on: datetime.date | None = None,
) -> GrantApplication:
    """Apply for ``organisation``: the amount within the scheme's cap, the files PDF or Office of at most
    10 MB; the profile is checked against the scheme's rules (003:L1770) and the answers are kept with the
    application. An ineligible application is still received — the administrator decides — but flagged."""
    if not permissions.can_apply(actor.user, organisation):
        raise PermissionDenied
    on = on or timezone.localdate()
    errors = {}
    if not rules.open_for(scheme_deadlines(scheme), scheme.rolling, scheme.is_open, on):
        errors["__all__"] = "scheme_closed"
    if code := rules.amount_error(amount, scheme.cap):
        errors["amount"] = code
    activities = list(activities or [])
    if any(a.organisation_id != organisation.pk for a in activities):
        errors["activities"] = "activity_not_own"
    for upload in attachments or []:
        if code := _check_file(upload):
            errors["attachments"] = code
            break
    _raise(errors)
    profile = CivilSocietyProfile.objects.filter(organisation=organisation).first()
    results = rules.check_eligibility(scheme_rules(scheme), profile_facts(profile), on)
    application = GrantApplication.objects.create(
        scheme=scheme,
        organisation=organisation,
        amount=amount,
        description=description.strip(),
        budget_lines=[{"item": item, "amount": str(value)} for item, value in budget_lines or []],
        submitted_on=on,
        eligibility=[
            {"rule": r.rule, "passed": r.passed, "code": r.code, "params": r.params} for r in results
        ],
        eligible=rules.is_eligible(results),
        submitted_by=actor.user,
    )
    application.activities.set(activities)
    for upload in attachments or []:
        _attach(actor, application, upload)
    audit.record(
        user=actor.user,
        organisation=organisation,
        action=AuditAction.CREATE,
        obj=application,
        changes=audit.diff({}, {"scheme": scheme.name, "amount": amount, "eligible": application.eligible}),
        channel=actor.channel,
    )
    return application


@transaction.atomic
def add_attachment(actor: Actor, application: GrantApplication, upload) -> GrantAttachment:
    if not permissions.can_apply(actor.user, application.organisation):
        raise PermissionDenied
    if application.status != ApplicationStatus.SUBMITTED:
        _raise({"__all__": "already_decided"})
    if code := _check_file(upload):
        _raise({"file": code})
    attachment = _attach(actor, application, upload)
    audit.record(
        user=actor.user,
        organisation=application.organisation,
        action=AuditAction.CREATE,
        obj=attachment,
        changes=audit.diff({}, {"application": application.pk, "size": attachment.size}),
        channel=actor.channel,
    )
    return attachment


@transaction.atomic
def decide_application(
    actor: Actor,
    application: GrantApplication,
    *,
    approve: bool,
    approved_amount: Decimal | None = None,
    reason: str = "",
    on: datetime.date | None = None,
) -> GrantApplication:
    """The scheme's administrator approves an amount (at most what was asked) or rejects with a reason."""
    if not permissions.can_decide(actor.user, application):
        raise PermissionDenied
    application = GrantApplication.objects.select_for_update().get(pk=application.pk)
    errors = {}
    if application.status != ApplicationStatus.SUBMITTED:
        errors["__all__"] = "already_decided"
    elif approve:
        if approved_amount is None:
            errors["approved_amount"] = "approved_amount_required"
        elif code := rules.amount_error(approved_amount, application.amount):
            errors["approved_amount"] = "approved_over_applied" if code == "amount_over_cap" else code
    elif not reason.strip():
        errors["reason"] = "rejection_reason_required"
    _raise(errors)
    before = _snapshot(application, ("status", "approved_amount", "decision_reason"))
    application.status = ApplicationStatus.APPROVED if approve else ApplicationStatus.REJECTED
    application.approved_amount = approved_amount if approve else None
    application.decision_reason = reason.strip()
    application.decided_on = on or timezone.localdate()
    application.decided_by = actor.user
    application.save()
    audit.record(
        user=actor.user,
        organisation=application.scheme.administrator,
        action=AuditAction.UPDATE,
        obj=application,
        changes=audit.diff(before, _snapshot(application, ("status", "approved_amount", "decision_reason"))),
        channel=actor.channel,
    )
    return application


def report_prefill(application: GrantApplication) -> dict:
    """What Bro already knows of the linked activities: names, participants reached and volunteer hours."""
    activities = list(application.activities.order_by("name"))
    return {
        "activities_done": "\n".join(a.name for a in activities),
        "participants_reached": sum(a.participants_reached for a in activities),
        "volunteer_hours": sum((a.volunteer_hours for a in activities), Decimal("0")),
    }


@transaction.atomic
def submit_report(
    actor: Actor,
    application: GrantApplication,
    *,
    activities_done: str,
    participants_reached: int,
    volunteer_hours: Decimal,
    spent: Decimal,
    spending_notes: str = "",
    on: datetime.date | None = None,
) -> GrantReport:
    """The organisation's simple report on an approved grant (003:L4239: simpler reporting)."""
    if not permissions.can_report(actor.user, application):
        raise PermissionDenied
    errors = {}
    if application.status == ApplicationStatus.REPORTED:
        errors["__all__"] = "already_reported"
    elif application.status != ApplicationStatus.APPROVED:
        errors["__all__"] = "not_approved"
    if spent < 0:
        errors["spent"] = "spent_negative"
    _raise(errors)
    report = GrantReport.objects.create(
        application=application,
        activities_done=activities_done.strip(),
        participants_reached=participants_reached,
        volunteer_hours=volunteer_hours,
        spent=spent,
        spending_notes=spending_notes.strip(),
        submitted_on=on or timezone.localdate(),
        submitted_by=actor.user,
    )
    application.status = ApplicationStatus.REPORTED
    application.save(update_fields=["status"])
    audit.record(
        user=actor.user,
        organisation=application.organisation,
        action=AuditAction.CREATE,
        obj=report,
        changes=audit.diff({}, {"spent": spent, "volunteer_hours": volunteer_hours}),
        channel=actor.channel,
    )
    return report
