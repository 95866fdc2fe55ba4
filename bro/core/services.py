"""Writes to organisations, users and memberships: permission-checked and audit-logged."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.no import orgnr

from bro.core import audit, policy
from bro.core.models import AuditAction, Membership, Organisation, User
from bro.core.municipalities import municipality_by_number
from bro.core.roles import ROLE_ORGANISATION_KINDS, OrganisationKind, Role


@dataclass
class OrganisationInput:
    kind: str
    name: str
    municipality_number: str = ""
    organisation_number: str = ""
    is_host_municipality: bool = False
    is_settlement_municipality: bool = False
    operator_kind: str = ""
    centre_type: str = ""
    requires_two_factor: bool = False
    is_active: bool = True


ORGANISATION_FIELDS = [
    "kind",
    "name",
    "organisation_number",
    "municipality",
    "is_host_municipality",
    "is_settlement_municipality",
    "operator_kind",
    "centre_type",
    "requires_two_factor",
    "is_active",
]


def _org_snapshot(org: Organisation) -> dict:
    return {
        f: (str(getattr(org, f)) if f == "municipality" else getattr(org, f)) for f in ORGANISATION_FIELDS
    }


def _clean_organisation(data: OrganisationInput, existing: Organisation | None) -> dict:
    errors = {}
    if data.kind not in OrganisationKind.values:
        errors["kind"] = _("Choose a kind of organisation.")
    if not data.name.strip():
        errors["name"] = _("Enter the name.")
    municipality = None
    if data.municipality_number.strip():
        try:
            municipality = municipality_by_number(data.municipality_number)
        except ValidationError as exc:
            errors["municipality_number"] = exc.messages[0]
    elif data.kind == OrganisationKind.MUNICIPALITY:
        errors["municipality_number"] = _("A municipality needs its municipality number.")
    number = "".join(data.organisation_number.split())
    if number:
        try:
            number = orgnr.validate(number)
        except StdnumError:
            errors["organisation_number"] = _("This is not a valid organisation number (9 digits).")
        else:
            taken = Organisation.objects.filter(organisation_number=number)
            if existing is not None:
                taken = taken.exclude(pk=existing.pk)
            if taken.exists():
                errors["organisation_number"] = _("Another organisation has this organisation number.")
    if data.kind == OrganisationKind.MUNICIPALITY and municipality is not None:
        taken = Organisation.objects.filter(kind=OrganisationKind.MUNICIPALITY, municipality=municipality)
        if existing is not None:
            taken = taken.exclude(pk=existing.pk)
        if taken.exists():
            errors["municipality_number"] = _("This municipality is already registered.")
    if data.kind == OrganisationKind.RECEPTION_CENTRE:
        if not data.operator_kind:
            errors["operator_kind"] = _("Choose who operates the reception centre.")
        if not data.centre_type:
            errors["centre_type"] = _("Choose the centre type.")
    is_municipality = data.kind == OrganisationKind.MUNICIPALITY
    is_centre = data.kind == OrganisationKind.RECEPTION_CENTRE
    if errors:
        raise ValidationError(errors)
    return {
        "kind": data.kind,
        "name": data.name.strip(),
        "organisation_number": number or None,
        "municipality": municipality,
        "is_host_municipality": data.is_host_municipality and is_municipality,
        "is_settlement_municipality": data.is_settlement_municipality and is_municipality,
        "operator_kind": data.operator_kind if is_centre else "",
        "centre_type": data.centre_type if is_centre else "",
        "requires_two_factor": data.requires_two_factor,
        "is_active": data.is_active,
    }


@transaction.atomic
def create_organisation(user: User, data: OrganisationInput, *, channel: str = "web") -> Organisation:
    if not policy.is_system_administrator(user):
        raise PermissionDenied
    org = Organisation.objects.create(**_clean_organisation(data, None))
    audit.record(
        user=user,
        organisation=None,
        action=AuditAction.CREATE,
        obj=org,
        changes=audit.diff({}, _org_snapshot(org)),
        channel=channel,
    )
    return org


@transaction.atomic
def update_organisation(user: User, org: Organisation, data: OrganisationInput, *, channel: str = "web"):
    if not policy.administered_organisations(user).filter(pk=org.pk).exists():
        raise PermissionDenied
    if not policy.is_system_administrator(user) and data.kind != org.kind:
        raise PermissionDenied
    before = _org_snapshot(org)
    for name, value in _clean_organisation(data, org).items():
        setattr(org, name, value)
    org.save()
    audit.record(
        user=user,
        organisation=org,
        action=AuditAction.UPDATE,
        obj=org,
        changes=audit.diff(before, _org_snapshot(org)),
        channel=channel,
    )
    return org


@dataclass
class UserInput:
    username: str
    first_name: str
    last_name: str
    email: str = ""
    password: str = ""
    is_active: bool = True


@transaction.atomic
def create_user(
    actor: User, data: UserInput, *, organisation: Organisation, role: str, channel: str = "web"
) -> User:
    """Create a user with their first membership; local administrators create users for their own organisations."""
    _check_membership_allowed(actor, organisation, role)
    errors = {}
    username = data.username.strip()
    if not username:
        errors["username"] = _("Enter a username.")
    elif User.objects.filter(username__iexact=username).exists():
        errors["username"] = _("This username is taken.")
    if not data.first_name.strip():
        errors["first_name"] = _("Enter the name.")
    candidate = User(
        username=username,
        first_name=data.first_name.strip(),
        last_name=data.last_name.strip(),
        email=data.email.strip(),
    )
    try:
        validate_password(data.password, candidate)
    except ValidationError as exc:
        errors["password"] = exc.messages
    if errors:
        raise ValidationError(errors)
    candidate.set_password(data.password)
    candidate.is_active = data.is_active
    candidate.save()
    Membership.objects.create(user=candidate, organisation=organisation, role=role)
    audit.record(
        user=actor,
        organisation=organisation,
        action=AuditAction.CREATE,
        obj=candidate,
        changes={"username": [None, username], "role": [None, role]},
        channel=channel,
    )
    return candidate


def _check_membership_allowed(actor: User, organisation: Organisation, role: str) -> None:
    if not policy.administered_organisations(actor).filter(pk=organisation.pk).exists():
        raise PermissionDenied
    if role not in Role.values:
        raise ValidationError({"role": _("Choose a role.")})
    if organisation.kind not in ROLE_ORGANISATION_KINDS[role]:
        raise ValidationError(
            {
                "role": _("The role %(role)s does not exist in a %(kind)s.")
                % {"role": Role(role).label, "kind": OrganisationKind(organisation.kind).label}
            }
        )


@transaction.atomic
def add_membership(actor: User, user: User, *, organisation: Organisation, role: str, channel: str = "web"):
    _check_membership_allowed(actor, organisation, role)
    membership, created = Membership.objects.get_or_create(user=user, organisation=organisation, role=role)
    if created:
        audit.record(
            user=actor,
            organisation=organisation,
            action=AuditAction.UPDATE,
            obj=user,
            changes={"membership": [None, f"{role} @ {organisation.name}"]},
            channel=channel,
        )
    return membership


@transaction.atomic
def remove_membership(actor: User, membership: Membership, *, channel: str = "web") -> None:
    if not policy.administered_organisations(actor).filter(pk=membership.organisation_id).exists():
        raise PermissionDenied
    audit.record(
        user=actor,
        organisation=membership.organisation,
        action=AuditAction.UPDATE,
        obj=membership.user,
        changes={"membership": [f"{membership.role} @ {membership.organisation.name}", None]},
        channel=channel,
    )
    membership.delete()


@transaction.atomic
def set_user_active(actor: User, user: User, active: bool, *, channel: str = "web") -> None:
    org_ids = set(user.memberships.values_list("organisation_id", flat=True))
    if not policy.is_system_administrator(actor) and not org_ids <= set(
        policy.administered_organisations(actor).values_list("id", flat=True)
    ):
        raise PermissionDenied
    if user.is_active != active:
        audit.record(
            user=actor,
            organisation=None,
            action=AuditAction.UPDATE,
            obj=user,
            changes={"is_active": [user.is_active, active]},
            channel=channel,
        )
        user.is_active = active
        user.save(update_fields=["is_active"])
