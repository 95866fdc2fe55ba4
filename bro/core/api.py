"""Organisations, municipalities and the caller's own account."""

import datetime
import re
import uuid
from typing import Annotated

from django.core.validators import ProhibitNullCharactersValidator
from django.utils import timezone
from ninja import Field, Router, Schema
from pydantic import AfterValidator, BeforeValidator
from pydantic_core import PydanticCustomError

from bro.core import policy
from bro.core.models import Municipality, Organisation

router = Router(tags=["organisations"])


class ErrorOut(Schema):
    """A refusal: unreadable body (400), not logged in (401), no access (403), not found (404)."""

    detail: str


class FieldErrorOut(Schema):
    field: str | None = Field(
        ..., description="The input field (dotted when nested); null for the whole input"
    )
    message: str


class ValidationErrorOut(Schema):
    """Bad input (422): every problem at once, nothing saved."""

    detail: list[FieldErrorOut]


def error_responses(*status_codes: int) -> dict[int, type[Schema]]:
    """The error answers an operation documents; bro.api's exception handlers give these shapes."""
    return {code: ValidationErrorOut if code == 422 else ErrorOut for code in status_codes}


def _without_null_characters(value: str) -> str:
    # PostgreSQL can neither store nor compare NUL; Django's form fields refuse it the same way.
    if "\x00" in value:
        raise PydanticCustomError("null_character", str(ProhibitNullCharactersValidator.message))
    return value


def _iso_date(value):
    # Pydantic would also read a number, or a numeric string, as Unix time (0 -> 1970-01-01).
    if isinstance(value, datetime.date) or (
        isinstance(value, str) and re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value)
    ):
        return value
    raise PydanticCustomError("date_format", "Input should be a date in the format YYYY-MM-DD")


# Input types for the API's parameters and bodies: text without NUL, dates only as YYYY-MM-DD.
Text = Annotated[str, AfterValidator(_without_null_characters)]
IsoDate = Annotated[datetime.date, BeforeValidator(_iso_date)]


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


@router.get("/me", response={200: MeOut, **error_responses(401, 403)}, summary="Who am I, and my roles")
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


@router.get(
    "/municipalities",
    response={200: list[MunicipalityOut], **error_responses(401, 403, 422)},
    summary="The municipality registry on a date",
)
def municipalities(request, on: IsoDate | None = None):
    return list(Municipality.objects.valid_on(on or timezone.localdate()).order_by("number"))


@router.get(
    "/organisations",
    response={200: list[OrganisationOut], **error_responses(401, 403, 422)},
    summary="Organisations (public directory)",
)
def organisations(request, kind: Text = ""):
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
