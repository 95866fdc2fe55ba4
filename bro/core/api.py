"""Organisations, municipalities and the caller's own account."""

import datetime
import uuid

from django.utils import timezone
from ninja import Router, Schema

from bro.core import policy
from bro.core.models import Municipality, Organisation

router = Router(tags=["organisations"])


class MembershipOut(Schema):
    organisation_id: uuid.UUID
    organisation: str
    role: str


class MeOut(Schema):
    username: str
    name: str
    memberships: list[MembershipOut]


class MunicipalityOut(Schema):
    number: str
    name: str
    county_number: str
    county_name: str
    valid_from: datetime.date
    valid_to: datetime.date | None


class OrganisationOut(Schema):
    id: uuid.UUID
    kind: str
    name: str
    municipality_number: str | None
    is_host_municipality: bool
    is_settlement_municipality: bool
    operator_kind: str
    centre_type: str


@router.get("/me", response=MeOut, summary="Who am I, and my roles")
def me(request):
    user = request.user
    return {
        "username": user.username,
        "name": user.display_name,
        "memberships": [
            {"organisation_id": m.organisation_id, "organisation": m.organisation.name, "role": m.role}
            for m in policy.memberships(user)
        ],
    }


@router.get("/municipalities", response=list[MunicipalityOut], summary="The municipality registry on a date")
def municipalities(request, on: datetime.date | None = None):
    return list(Municipality.objects.valid_on(on or timezone.localdate()).order_by("number"))


@router.get("/organisations", response=list[OrganisationOut], summary="Organisations (public directory)")
def organisations(request, kind: str = ""):
    qs = Organisation.objects.filter(is_active=True).select_related("municipality").order_by("name")
    if kind:
        qs = qs.filter(kind=kind)
    return [
        {
            "id": o.id,
            "kind": o.kind,
            "name": o.name,
            "municipality_number": o.municipality.number if o.municipality else None,
            "is_host_municipality": o.is_host_municipality,
            "is_settlement_municipality": o.is_settlement_municipality,
            "operator_kind": o.operator_kind,
            "centre_type": o.centre_type,
        }
        for o in qs
    ]
