"""Housing and agreed self-settlement API: the same services, selectors and policy as the pages."""

import datetime
import uuid
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone
from ninja import Field, Router, Schema, Status

from bro.core import policy
from bro.core.api import IsoDate, Text, error_responses
from bro.people.models import Household
from bro.settlement.housing import permissions, rules, selectors, services
from bro.settlement.housing.messages import ERRORS
from bro.settlement.housing.models import GuidanceKind, Ownership, RequestStatus, TargetGroup

router = Router(tags=["housing"])


def _actor(request) -> services.Actor:
    return services.Actor(user=request.user, channel="api")


# --- schemas -------------------------------------------------------------------------------------


class TermsOut(Schema):
    municipality_number: str
    municipality: str
    county: str
    allows: bool
    target_groups: list[str]
    target_groups_other_nb: str
    target_groups_other_en: str
    must_find_new_housing_if_moving: bool
    deposit_help: bool
    empty_unit_rent_help: bool
    other_terms_nb: str
    other_terms_en: str
    contact_name: str
    contact_phone: str
    contact_email: str
    published: bool
    updated_on: datetime.date
    median_processing_days: float | None = None


class TermsIn(Schema):
    allows: bool = False
    target_groups: list[TargetGroup] = Field(default_factory=list, max_length=len(TargetGroup.values))
    target_groups_other_nb: Text = Field("", max_length=300)
    target_groups_other_en: Text = Field("", max_length=300)
    must_find_new_housing_if_moving: bool = False
    deposit_help: bool = False
    empty_unit_rent_help: bool = False
    other_terms_nb: Text = Field("", max_length=2000)
    other_terms_en: Text = Field("", max_length=2000)
    contact_name: Text = Field("", max_length=200)
    contact_phone: Text = Field("", max_length=32)
    contact_email: Text = Field("", max_length=254)
    published: bool = False


class SelfSettlementRequestIn(Schema):
    household_id: uuid.UUID
    municipality_number: Text = Field(..., max_length=4)
    landlord: Text = Field(..., max_length=200)
    address: Text = Field(..., max_length=300)
    monthly_rent: Decimal = Field(..., max_digits=9, decimal_places=2)
    deposit: Decimal = Field(Decimal(0), max_digits=9, decimal_places=2)
    rooms: int = Field(..., ge=0, le=30)
    contract_start: IsoDate


class SelfSettlementRequestOut(Schema):
    id: uuid.UUID
    household_id: uuid.UUID
    household_size: int
    municipality_number: str
    municipality: str
    submitted_by: str
    submitted_on: datetime.date
    landlord: str
    address: str
    monthly_rent: Decimal
    deposit: Decimal
    rooms: int
    contract_start: datetime.date
    status: RequestStatus
    decided_on: datetime.date | None
    reason: str
    processing_days: int | None


class SelfSettlementDecisionIn(Schema):
    approve: bool
    reason: Text = Field("", max_length=2000)
    decided_on: IsoDate | None = None


class UnitIn(Schema):
    address: Text = Field(..., max_length=300)
    size_m2: int = Field(..., ge=0, le=1000)
    rooms: int = Field(..., ge=0, le=30)
    bedrooms: int = Field(..., ge=0, le=30)
    monthly_rent: Decimal = Field(..., max_digits=9, decimal_places=2)
    ownership: Ownership
    accessible: bool = False
    available_from: IsoDate
    note: Text = Field("", max_length=500)


class HousingUnitOut(Schema):
    id: uuid.UUID
    municipality: str
    address: str
    size_m2: int
    rooms: int
    bedrooms: int
    monthly_rent: Decimal
    ownership: Ownership
    accessible: bool
    available_from: datetime.date
    note: str
    capacity: int
    current_household_id: uuid.UUID | None = None


class AllocationIn(Schema):
    household_id: uuid.UUID
    from_date: IsoDate
    to_date: IsoDate | None = None


class AllocationOut(Schema):
    id: uuid.UUID
    unit_id: uuid.UUID
    address: str
    household_id: uuid.UUID
    from_date: datetime.date
    to_date: datetime.date | None


class EndIn(Schema):
    to_date: IsoDate


class SupportIn(Schema):
    granted_on: IsoDate
    amount: Decimal = Field(..., max_digits=9, decimal_places=2)
    purpose: Text = Field(..., max_length=300)


class SupportOut(Schema):
    id: uuid.UUID
    granted_on: datetime.date
    amount: Decimal
    purpose: str


class GuidanceIn(Schema):
    date: IsoDate
    kind: GuidanceKind
    note: Text = Field("", max_length=500)


class GuidanceOut(Schema):
    id: uuid.UUID
    date: datetime.date
    kind: GuidanceKind
    note: str


class MemberOut(Schema):
    person_id: uuid.UUID
    given_name: str
    family_name: str
    current_phase: str


class HouseholdListItem(Schema):
    household_id: uuid.UUID
    principal: str
    size: int
    housed: bool


class HouseholdOut(Schema):
    household_id: uuid.UUID
    members: list[MemberOut]
    can_change: bool
    current_allocation: AllocationOut | None
    allocations: list[AllocationOut]
    settling_in_support: list[SupportOut]
    guidance: list[GuidanceOut]


# --- helpers -------------------------------------------------------------------------------------


def _terms_out(row) -> dict:
    t = row.terms if hasattr(row, "terms") else row
    data = {name: getattr(t, name) for name in services.TERMS_FIELDS}
    data.update(
        municipality_number=t.municipality.municipality.number if t.municipality.municipality else "",
        municipality=t.municipality.name,
        county=t.municipality.municipality.county_name if t.municipality.municipality else "",
        updated_on=t.updated_on,
        median_processing_days=getattr(row, "median_days", None),
    )
    return data


def _request_out(r) -> dict:
    return {
        "id": r.id,
        "household_id": r.household_id,
        "household_size": r.household.members.count(),
        "municipality_number": r.municipality.municipality.number if r.municipality.municipality else "",
        "municipality": r.municipality.name,
        "submitted_by": r.submitted_by.name,
        "submitted_on": r.submitted_on,
        "landlord": r.landlord,
        "address": r.address,
        "monthly_rent": r.monthly_rent,
        "deposit": r.deposit,
        "rooms": r.rooms,
        "contract_start": r.contract_start,
        "status": r.status,
        "decided_on": r.decided_on,
        "reason": r.reason,
        "processing_days": rules.processing_days(r.submitted_on, r.decided_on),
    }


def _allocation_out(a) -> dict:
    return {
        "id": a.id,
        "unit_id": a.unit_id,
        "address": a.unit.address,
        "household_id": a.household_id,
        "from_date": a.from_date,
        "to_date": a.to_date,
    }


def _municipality(number: str):
    municipality = selectors.municipality_by_number(number)
    if municipality is None:
        raise ValidationError({"municipality_number": ERRORS["municipality_unknown"] % {"number": number}})
    return municipality


def _household(household_id) -> Household:
    household = Household.objects.filter(pk=household_id).first()
    if household is None:
        raise Http404
    return household


# --- self-settlement terms -----------------------------------------------------------------------


@router.get(
    "/self-settlement/terms",
    auth=None,
    response={200: list[TermsOut], **error_responses(422)},
    summary="Every municipality's published self-settlement terms (public, no login)",
)
def list_terms(request, county: Text = "", allows: bool | None = None):
    flag = "" if allows is None else ("yes" if allows else "no")
    return [_terms_out(row) for row in selectors.public_terms(county=county, allows=flag)]


@router.put(
    "/self-settlement/terms/{municipality_number}",
    response={200: TermsOut, **error_responses(400, 401, 403, 422)},
    summary="Publish or change your municipality's self-settlement terms",
)
def save_terms(request, municipality_number: str, payload: TermsIn):
    municipality = next(
        (
            o
            for o in permissions.terms_organisations(request.user)
            if o.municipality and o.municipality.number == municipality_number
        ),
        None,
    )
    if municipality is None:
        raise PermissionDenied
    data = payload.model_dump()
    data["target_groups"] = [str(g.value) if hasattr(g, "value") else g for g in payload.target_groups]
    terms = services.save_terms(_actor(request), municipality, services.TermsInput(**data))
    return _terms_out(terms)


# --- self-settlement requests --------------------------------------------------------------------


@router.get(
    "/self-settlement/requests",
    response={200: list[SelfSettlementRequestOut], **error_responses(401, 403, 422)},
    summary="Requests your organisation sent or must decide",
)
def list_requests(request, status: RequestStatus | None = None):
    if not permissions.can_use_requests(request.user):
        raise PermissionDenied
    rows = selectors.request_page_rows(request.user, status=status.value if status else "", channel="api")
    return [_request_out(row["request"]) for row in rows]


@router.post(
    "/self-settlement/requests",
    response={201: SelfSettlementRequestOut, **error_responses(400, 401, 403, 404, 422)},
    summary="Send a household's self-settlement request to a municipality",
)
def submit_request(request, payload: SelfSettlementRequestIn):
    if not permissions.submitting_organisations(request.user):
        raise PermissionDenied
    household = _household(payload.household_id)
    if not permissions.submitting_organisation_for(request.user, services.household_persons(household)):
        raise Http404  # households the user may not act for are not revealed
    created = services.submit_request(
        _actor(request),
        household,
        _municipality(payload.municipality_number),
        services.RequestInput(
            landlord=payload.landlord,
            address=payload.address,
            monthly_rent=payload.monthly_rent,
            deposit=payload.deposit,
            rooms=payload.rooms,
            contract_start=payload.contract_start,
        ),
    )
    return Status(201, _request_out(created))


@router.get(
    "/self-settlement/requests/{request_id}",
    response={200: SelfSettlementRequestOut, **error_responses(401, 403, 404, 422)},
    summary="One self-settlement request",
)
def get_request(request, request_id: uuid.UUID):
    obj, _persons = selectors.get_request(request.user, request_id, channel="api")
    return _request_out(obj)


@router.post(
    "/self-settlement/requests/{request_id}/decision",
    response={200: SelfSettlementRequestOut, **error_responses(400, 401, 403, 404, 422)},
    summary="Approve or reject a self-settlement request",
)
def decide_request(request, request_id: uuid.UUID, payload: SelfSettlementDecisionIn):
    obj, _persons = selectors.get_request(request.user, request_id, channel="api")
    decided = services.decide_request(
        _actor(request), obj, approve=payload.approve, reason=payload.reason, decided_on=payload.decided_on
    )
    return _request_out(decided)


# --- housing units -------------------------------------------------------------------------------


def _unit_out(row) -> dict:
    unit = row["unit"]
    return {
        **{name: getattr(unit, name) for name in services.UNIT_FIELDS},
        "id": unit.id,
        "municipality": unit.municipality.name,
        "capacity": row["capacity"],
        "current_household_id": row["allocation"].household_id if row["allocation"] else None,
    }


@router.get(
    "/units",
    response={200: list[HousingUnitOut], **error_responses(401, 403)},
    summary="Your municipality's housing units",
)
def list_units(request):
    if not permissions.housing_municipalities(request.user):
        raise PermissionDenied
    return [_unit_out(row) for row in selectors.units_for(request.user, channel="api")]


@router.post(
    "/units",
    response={201: HousingUnitOut, **error_responses(400, 401, 403, 422)},
    summary="Add a housing unit",
)
def create_unit(request, payload: UnitIn):
    municipalities = permissions.housing_municipalities(request.user)
    if not municipalities:
        raise PermissionDenied
    data = payload.model_dump()
    data["ownership"] = payload.ownership.value
    unit = services.create_unit(_actor(request), municipalities[0], services.UnitInput(**data))
    capacity = rules.unit_capacity(
        bedrooms=unit.bedrooms, size_m2=unit.size_m2, norm=rules.norm_on(timezone.localdate())
    )
    return Status(201, _unit_out({"unit": unit, "capacity": capacity, "allocation": None}))


@router.post(
    "/units/{unit_id}/allocations",
    response={201: AllocationOut, **error_responses(400, 401, 403, 404, 422)},
    summary="Allocate a unit to a household (refused when the unit is too small)",
)
def allocate_unit(request, unit_id: uuid.UUID, payload: AllocationIn):
    unit = selectors.get_unit(request.user, unit_id)
    household = _household(payload.household_id)
    if not permissions.can_read_household_housing(request.user, services.household_persons(household)):
        raise Http404
    allocation = services.allocate_unit(
        _actor(request), unit, household, from_date=payload.from_date, to_date=payload.to_date
    )
    return Status(201, _allocation_out(allocation))


@router.post(
    "/allocations/{allocation_id}/end",
    response={200: AllocationOut, **error_responses(400, 401, 403, 404, 422)},
    summary="End an allocation (the household moved out)",
)
def end_allocation(request, allocation_id: uuid.UUID, payload: EndIn):
    allocation = selectors.get_allocation(request.user, allocation_id)
    return _allocation_out(services.end_allocation(_actor(request), allocation, to_date=payload.to_date))


# --- households ----------------------------------------------------------------------------------


@router.get(
    "/households",
    response={200: list[HouseholdListItem], **error_responses(401, 403)},
    summary="Settled households you work with, and whether they have housing",
)
def list_households(request):
    if not (policy.roles(request.user) & permissions.HOUSEHOLD_READ_ROLES):
        raise PermissionDenied
    return [
        {
            "household_id": row["household_id"],
            "principal": row["principal"].full_name,
            "size": len(row["persons"]),
            "housed": row["allocation"] is not None,
        }
        for row in selectors.households_for_housing(request.user, channel="api")
    ]


def _household_out(data) -> dict:
    return {
        "household_id": data.household.id,
        "members": [
            {
                "person_id": p.id,
                "given_name": p.given_name,
                "family_name": p.family_name,
                "current_phase": p.current_phase,
            }
            for p in data.persons
        ],
        "can_change": data.writer is not None,
        "current_allocation": _allocation_out(data.current) if data.current else None,
        "allocations": [_allocation_out(a) for a in data.allocations],
        "settling_in_support": [
            {"id": s.id, "granted_on": s.granted_on, "amount": s.amount, "purpose": s.purpose}
            for s in data.support
        ],
        "guidance": [{"id": g.id, "date": g.date, "kind": g.kind, "note": g.note} for g in data.guidance],
    }


@router.get(
    "/households/{household_id}",
    response={200: HouseholdOut, **error_responses(401, 403, 404, 422)},
    summary="A household's housing, settling-in support and housing guidance",
)
def get_household(request, household_id: uuid.UUID):
    return _household_out(selectors.get_household(request.user, household_id, channel="api"))


@router.post(
    "/households/{household_id}/support",
    response={201: SupportOut, **error_responses(400, 401, 403, 404, 422)},
    summary="Record settling-in support",
)
def grant_support(request, household_id: uuid.UUID, payload: SupportIn):
    data = selectors.get_household(request.user, household_id, channel="api")
    support = services.grant_support(
        _actor(request),
        data.household,
        granted_on=payload.granted_on,
        amount=payload.amount,
        purpose=payload.purpose,
    )
    return Status(
        201,
        {
            "id": support.id,
            "granted_on": support.granted_on,
            "amount": support.amount,
            "purpose": support.purpose,
        },
    )


@router.post(
    "/households/{household_id}/guidance",
    response={201: GuidanceOut, **error_responses(400, 401, 403, 404, 422)},
    summary="Record housing guidance (course, home visit, housing office, buying advice)",
)
def record_guidance(request, household_id: uuid.UUID, payload: GuidanceIn):
    data = selectors.get_household(request.user, household_id, channel="api")
    guidance = services.record_guidance(
        _actor(request), data.household, date=payload.date, kind=payload.kind.value, note=payload.note
    )
    return Status(
        201, {"id": guidance.id, "date": guidance.date, "kind": guidance.kind, "note": guidance.note}
    )
