"""Grant schemes for civil society: the catalogue and one scheme with the caller's organisations'
eligibility, checked by the scheme's rules with reasons (bro.volunteering.grants.rules)."""

from __future__ import annotations

import datetime
import uuid
from decimal import Decimal

from django.http import Http404
from django.utils import timezone
from ninja import Field, Router, Schema

from bro.core.api import error_responses
from bro.volunteering.grants import permissions, selectors

router = Router()


class VolunteeringGrantSchemeOut(Schema):
    id: uuid.UUID
    name: str
    description: str
    administrator_id: uuid.UUID
    administrator: str
    yearly_budget: Decimal = Field(..., description="NOK")
    cap: Decimal | None = Field(..., description="NOK per application")
    requires_voluntary_register: bool
    minimum_age_years: int
    minimum_paying_members: int
    excludes_faith_based: bool
    allowed_kinds: list[str] = Field(..., description="Empty: any kind of organisation")
    priorities: str
    rolling: bool
    next_deadline: datetime.date | None
    open_now: bool


class VolunteeringEligibilityCheckOut(Schema):
    rule: str
    name: str
    passed: bool
    reason: str


class VolunteeringEligibilityOut(Schema):
    organisation_id: uuid.UUID
    organisation: str
    eligible: bool
    checks: list[VolunteeringEligibilityCheckOut]


class VolunteeringGrantSchemeDetailOut(VolunteeringGrantSchemeOut):
    eligibility: list[VolunteeringEligibilityOut] = Field(
        ..., description="The caller's own organisations against the scheme's rules, with reasons"
    )


def _scheme(row: selectors.SchemeRow, **extra) -> dict:
    scheme = row.scheme
    return {
        "id": scheme.id,
        "name": scheme.name,
        "description": scheme.description,
        "administrator_id": scheme.administrator_id,
        "administrator": scheme.administrator.name,
        "yearly_budget": scheme.yearly_budget,
        "cap": scheme.cap,
        "requires_voluntary_register": scheme.requires_voluntary_register,
        "minimum_age_years": scheme.minimum_age_years,
        "minimum_paying_members": scheme.minimum_paying_members,
        "excludes_faith_based": scheme.excludes_faith_based,
        "allowed_kinds": list(scheme.allowed_kinds),
        "priorities": scheme.priorities,
        "rolling": scheme.rolling,
        "next_deadline": row.next_deadline,
        "open_now": row.open_now,
        **extra,
    }


@router.get(
    "/grants/schemes",
    response={200: list[VolunteeringGrantSchemeOut], **error_responses(401, 403)},
    summary="The catalogue of grant schemes",
)
def list_schemes(request):
    return [_scheme(row) for row in selectors.scheme_rows(request.user, timezone.localdate())]


@router.get(
    "/grants/schemes/{scheme_id}",
    response={200: VolunteeringGrantSchemeDetailOut, **error_responses(401, 404, 422)},
    summary="A grant scheme, and whether the caller's organisations meet its rules",
)
def get_scheme(request, scheme_id: uuid.UUID):
    scheme = selectors.scheme_or_404(scheme_id)
    if not permissions.can_view_schemes(request.user):
        raise Http404
    today = timezone.localdate()
    own = permissions.civil_society_organisations(request.user)
    return _scheme(
        selectors.scheme_row(request.user, scheme, today),
        eligibility=[_eligibility(o, selectors.eligibility_for(o, scheme, today)) for o in own],
    )


def _eligibility(organisation, checks: list[dict]) -> dict:
    rows = [{**c, "name": str(c["name"]), "reason": str(c["reason"])} for c in checks]
    return {
        "organisation_id": organisation.id,
        "organisation": organisation.name,
        "eligible": all(c["passed"] for c in rows),
        "checks": rows,
    }
