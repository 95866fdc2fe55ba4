"""Every write for housing and agreed self-settlement: validated, permission-checked, in one transaction,
audit-logged. Services raise ``ValidationError`` (field → messages, nothing saved) or ``PermissionDenied``.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from bro.core import audit
from bro.core.models import AuditAction, Organisation
from bro.people import services as people_services
from bro.people.models import Household, HouseholdMember, Person
from bro.people.phases import AccessBasis, Phase
from bro.settlement.housing import permissions, rules
from bro.settlement.housing.messages import ERRORS
from bro.settlement.housing.models import (
    GuidanceKind,
    HousingAllocation,
    HousingGuidance,
    HousingUnit,
    Ownership,
    RequestStatus,
    SelfSettlementRequest,
    SelfSettlementTerms,
    SettlingInSupport,
    TargetGroup,
)

Actor = people_services.Actor

SELF_SETTLEMENT_LEGAL_BASIS = "Integreringsloven § 11 – avtalt selvbosetting"
SELF_SETTLEMENT_PURPOSE = "Behandling av søknad om avtalt selvbosetting"
# After approval the municipality keeps reading the household until it records the settlement.
ACCESS_AFTER_APPROVAL = datetime.timedelta(days=90)
READY_PHASES = frozenset({Phase.PERMIT_GRANTED, Phase.READY_FOR_SETTLEMENT})
EARLIEST_DATE = datetime.date(2000, 1, 1)
LATEST_AHEAD = datetime.timedelta(days=5 * 366)


def _error(code: str, /, **params) -> ValidationError:
    message = ERRORS[code]
    return ValidationError(message % params if params else message, code=code)


class _Errors:
    """Collects every problem with an input, so the user sees them all at once."""

    def __init__(self):
        self.errors: dict[str, list[ValidationError]] = {}

    def add(self, field_name: str, code: str, /, **params) -> None:
        self.errors.setdefault(field_name, []).append(_error(code, **params))

    def text(self, field_name: str, value: str, *, required=True, max_length=300) -> str:
        value = (value or "").strip()
        if required and not value:
            self.add(field_name, "required")
        elif len(value) > max_length:
            self.add(field_name, "too_long", max=max_length)
        return value

    def not_future(self, field_name: str, day: datetime.date | None) -> None:
        if day is None:
            self.add(field_name, "required")
        elif day > timezone.localdate():
            self.add(field_name, "date_in_future")
        else:
            self.in_range(field_name, day)

    def in_range(self, field_name: str, day: datetime.date | None) -> None:
        """Dates from 2000 (where the housing norm starts) to five years ahead; a typo gets a message."""
        latest = timezone.localdate() + LATEST_AHEAD
        if day is not None and not (EARLIEST_DATE <= day <= latest):
            self.add(
                field_name, "date_out_of_range", earliest=EARLIEST_DATE.isoformat(), latest=latest.isoformat()
            )

    def raise_if_any(self) -> None:
        if self.errors:
            raise ValidationError(self.errors)


def household_persons(household: Household) -> list[Person]:
    return [
        m.person
        for m in HouseholdMember.objects.filter(household=household).select_related("person").order_by("pk")
    ]


def _audit_household(actor: Actor, organisation, action, obj, persons, changes=None, summary=""):
    """One entry per member, so that each person's access log shows the change."""
    for person in persons:
        audit.record(
            user=actor.user,
            organisation=organisation,
            action=action,
            obj=obj,
            person_id=person.id,
            changes=changes or {},
            summary=summary,
            channel=actor.channel,
        )


# --- self-settlement terms -------------------------------------------------------------------------


@dataclass
class TermsInput:
    allows: bool = False
    target_groups: list[str] = field(default_factory=list)
    target_groups_other_nb: str = ""
    target_groups_other_en: str = ""
    must_find_new_housing_if_moving: bool = False
    deposit_help: bool = False
    empty_unit_rent_help: bool = False
    other_terms_nb: str = ""
    other_terms_en: str = ""
    contact_name: str = ""
    contact_phone: str = ""
    contact_email: str = ""
    published: bool = False


TERMS_FIELDS = [
    "allows",
    "target_groups",
    "target_groups_other_nb",
    "target_groups_other_en",
    "must_find_new_housing_if_moving",
    "deposit_help",
    "empty_unit_rent_help",
    "other_terms_nb",
    "other_terms_en",
    "contact_name",
    "contact_phone",
    "contact_email",
    "published",
]


def _clean_terms(data: TermsInput) -> dict:
    e = _Errors()
    groups = list(dict.fromkeys(g.strip() for g in data.target_groups if g.strip()))
    for code in groups:
        if code not in TargetGroup.values:
            e.add("target_groups", "unknown_target_group", code=code)
    values = {
        "allows": bool(data.allows),
        "target_groups": groups,
        "target_groups_other_nb": e.text(
            "target_groups_other_nb", data.target_groups_other_nb, required=False
        ),
        "target_groups_other_en": e.text(
            "target_groups_other_en", data.target_groups_other_en, required=False
        ),
        "must_find_new_housing_if_moving": bool(data.must_find_new_housing_if_moving),
        "deposit_help": bool(data.deposit_help),
        "empty_unit_rent_help": bool(data.empty_unit_rent_help),
        "other_terms_nb": e.text("other_terms_nb", data.other_terms_nb, required=False, max_length=2000),
        "other_terms_en": e.text("other_terms_en", data.other_terms_en, required=False, max_length=2000),
        "contact_name": e.text(
            "contact_name", data.contact_name, required=bool(data.published), max_length=200
        ),
        "contact_phone": e.text("contact_phone", data.contact_phone, required=False, max_length=32),
        "contact_email": e.text("contact_email", data.contact_email, required=False, max_length=254),
        "published": bool(data.published),
    }
    if values["contact_email"]:
        try:
            validate_email(values["contact_email"])
        except ValidationError:
            e.add("contact_email", "contact_email_invalid")
    e.raise_if_any()
    return values


@transaction.atomic
def save_terms(actor: Actor, municipality: Organisation, data: TermsInput) -> SelfSettlementTerms:
    """Create or change a municipality's self-settlement terms (its own officers and administrators)."""
    if municipality.id not in {o.id for o in permissions.terms_organisations(actor.user)}:
        raise PermissionDenied(ERRORS["not_your_municipality"])
    values = _clean_terms(data)
    terms = SelfSettlementTerms.objects.select_for_update().filter(municipality=municipality).first()
    before = {name: getattr(terms, name) for name in TERMS_FIELDS} if terms else {}
    if terms is None:
        terms = SelfSettlementTerms(municipality=municipality)
    for name, value in values.items():
        setattr(terms, name, value)
    terms.updated_on = timezone.localdate()
    terms.updated_by = actor.user
    terms.save()
    audit.record(
        user=actor.user,
        organisation=municipality,
        action=AuditAction.UPDATE if before else AuditAction.CREATE,
        obj=terms,
        changes=audit.diff(before, values),
        channel=actor.channel,
    )
    return terms


# --- self-settlement requests ---------------------------------------------------------------------


@dataclass
class RequestInput:
    landlord: str
    address: str
    monthly_rent: Decimal
    deposit: Decimal
    rooms: int
    contract_start: datetime.date


def _clean_request(data: RequestInput) -> dict:
    e = _Errors()
    values = {
        "landlord": e.text("landlord", data.landlord, max_length=200),
        "address": e.text("address", data.address),
        "monthly_rent": data.monthly_rent,
        "deposit": data.deposit if data.deposit is not None else Decimal(0),
        "rooms": data.rooms,
        "contract_start": data.contract_start,
    }
    if data.monthly_rent is None or data.monthly_rent <= 0:
        e.add("monthly_rent", "amount_not_positive")
    if values["deposit"] < 0:
        e.add("deposit", "amount_negative")
    elif (
        data.monthly_rent
        and data.monthly_rent > 0
        and not rules.deposit_within_limit(values["deposit"], data.monthly_rent)
    ):
        e.add("deposit", "deposit_too_high", limit=f"{data.monthly_rent * rules.MAX_DEPOSIT_MONTHS:.0f}")
    if data.rooms is None or data.rooms < 1:
        e.add("rooms", "rooms_at_least_one")
    if data.contract_start is None:
        e.add("contract_start", "required")
    e.in_range("contract_start", data.contract_start)
    e.raise_if_any()
    return values


def allows_self_settlement(municipality: Organisation) -> bool:
    return SelfSettlementTerms.objects.filter(municipality=municipality, published=True, allows=True).exists()


@transaction.atomic
def submit_request(
    actor: Actor, household: Household, municipality: Organisation, data: RequestInput
) -> SelfSettlementRequest:
    """A reception centre (or the directorate) sends a household's self-settlement request to a municipality.

    The municipality gets read access to every member with a recorded legal basis while it decides.
    """
    persons = household_persons(household)
    submitter = permissions.submitting_organisation_for(actor.user, persons) if persons else None
    if submitter is None:
        raise PermissionDenied
    values = _clean_request(data)
    if any(p.current_phase not in READY_PHASES for p in persons):
        raise ValidationError({"household": _error("household_not_ready")})
    if not allows_self_settlement(municipality):
        raise ValidationError({"municipality": _error("no_self_settlement", municipality=municipality.name)})
    Household.objects.select_for_update().filter(pk=household.pk).first()
    if SelfSettlementRequest.objects.filter(household=household, status=RequestStatus.SUBMITTED).exists():
        raise ValidationError({"household": _error("already_pending")})
    request = SelfSettlementRequest.objects.create(
        household=household,
        municipality=municipality,
        submitted_by=submitter,
        submitted_by_user=actor.user,
        submitted_on=timezone.localdate(),
        **values,
    )
    grants = [
        people_services.grant_shared_access(
            actor,
            person,
            organisation=municipality,
            basis=AccessBasis.LEGAL_BASIS,
            legal_basis=SELF_SETTLEMENT_LEGAL_BASIS,
            purpose=SELF_SETTLEMENT_PURPOSE,
        )
        for person in persons
    ]
    request.shared_access.set(grants)
    _audit_household(
        actor,
        submitter,
        AuditAction.CREATE,
        request,
        persons,
        changes=audit.diff({}, {**values, "municipality": municipality.name}),
    )
    return request


@transaction.atomic
def decide_request(
    actor: Actor,
    request: SelfSettlementRequest,
    *,
    approve: bool | None,
    reason: str = "",
    decided_on: datetime.date | None = None,
) -> SelfSettlementRequest:
    """The municipality approves or rejects; a rejection ends its access to the household."""
    if not permissions.can_decide_request(actor.user, request):
        raise PermissionDenied
    request = SelfSettlementRequest.objects.select_for_update().get(pk=request.pk)
    if request.status != RequestStatus.SUBMITTED:
        raise ValidationError({"decision": _error("not_pending")})
    e = _Errors()
    today = timezone.localdate()
    decided_on = decided_on or today
    if approve is None:
        e.add("decision", "unknown_decision")
    reason = e.text("reason", reason, required=False, max_length=2000)
    if decided_on > today:
        e.add("decided_on", "date_in_future")
    elif decided_on < request.submitted_on:
        e.add("decided_on", "date_before_submitted", date=request.submitted_on.isoformat())
    if approve is False and not reason:
        e.add("reason", "reason_required_for_rejection")
    e.raise_if_any()
    request.status = RequestStatus.APPROVED if approve else RequestStatus.REJECTED
    request.decided_on = decided_on
    request.decided_by = actor.user
    request.reason = reason
    request.save(update_fields=["status", "decided_on", "decided_by", "reason"])
    grants = request.shared_access.filter(revoked_at__isnull=True)
    if approve:
        grants.update(valid_until=max(request.contract_start, decided_on) + ACCESS_AFTER_APPROVAL)
    else:
        grants.update(revoked_at=timezone.now())
    _audit_household(
        actor,
        request.municipality,
        AuditAction.UPDATE,
        request,
        household_persons(request.household),
        changes={"status": [RequestStatus.SUBMITTED, request.status]},
        summary=f"processing {rules.processing_days(request.submitted_on, decided_on)} days",
    )
    return request


# --- housing units and allocations ---------------------------------------------------------------


@dataclass
class UnitInput:
    address: str
    size_m2: int
    rooms: int
    bedrooms: int
    monthly_rent: Decimal
    ownership: str
    available_from: datetime.date
    accessible: bool = False
    note: str = ""


UNIT_FIELDS = [
    "address",
    "size_m2",
    "rooms",
    "bedrooms",
    "monthly_rent",
    "accessible",
    "ownership",
    "available_from",
    "note",
]


@transaction.atomic
def create_unit(actor: Actor, municipality: Organisation, data: UnitInput) -> HousingUnit:
    if municipality.id not in {o.id for o in permissions.housing_municipalities(actor.user)}:
        raise PermissionDenied
    e = _Errors()
    values = {
        "address": e.text("address", data.address),
        "size_m2": data.size_m2,
        "rooms": data.rooms,
        "bedrooms": data.bedrooms,
        "monthly_rent": data.monthly_rent,
        "accessible": bool(data.accessible),
        "ownership": data.ownership,
        "available_from": data.available_from,
        "note": e.text("note", data.note, required=False, max_length=500),
    }
    if data.size_m2 is None or data.size_m2 < 1:
        e.add("size_m2", "size_positive")
    if data.rooms is None or data.rooms < 1:
        e.add("rooms", "rooms_at_least_one")
    if data.bedrooms is None or data.bedrooms < 0 or (data.rooms and data.bedrooms >= data.rooms):
        e.add("bedrooms", "bedrooms_within_rooms")
    if data.monthly_rent is None or data.monthly_rent < 0:
        e.add("monthly_rent", "amount_negative")
    if data.ownership not in Ownership.values:
        e.add("ownership", "unknown_kind", code=data.ownership)
    if data.available_from is None:
        e.add("available_from", "required")
    e.in_range("available_from", data.available_from)
    e.raise_if_any()
    unit = HousingUnit.objects.create(municipality=municipality, **values)
    audit.record(
        user=actor.user,
        organisation=municipality,
        action=AuditAction.CREATE,
        obj=unit,
        changes=audit.diff({}, values),
        channel=actor.channel,
    )
    return unit


def _require_household_writer(actor: Actor, persons) -> Organisation:
    organisation = permissions.household_housing_writer(actor.user, persons)
    if organisation is None:
        raise PermissionDenied
    return organisation


@transaction.atomic
def allocate_unit(
    actor: Actor,
    unit: HousingUnit,
    household: Household,
    *,
    from_date: datetime.date,
    to_date: datetime.date | None = None,
) -> HousingAllocation:
    """Give a household a unit: the unit must fit the household (rules.unit_capacity) and be free."""
    if unit.municipality_id not in {o.id for o in permissions.housing_municipalities(actor.user)}:
        raise PermissionDenied
    persons = household_persons(household)
    writer = permissions.household_housing_writer(actor.user, persons)
    if writer is None or writer.id != unit.municipality_id:
        raise ValidationError({"household": _error("household_cannot_be_housed_here")})
    HousingUnit.objects.select_for_update().filter(pk=unit.pk).first()
    e = _Errors()
    if from_date is None:
        e.add("from_date", "required")
    elif from_date < unit.available_from:
        e.add("from_date", "before_available", date=unit.available_from.isoformat())
    if from_date and to_date and to_date < from_date:
        e.add("to_date", "end_before_start", date=from_date.isoformat())
    e.in_range("from_date", from_date)
    e.in_range("to_date", to_date)
    e.raise_if_any()
    norm = rules.norm_on(from_date)
    capacity = rules.unit_capacity(bedrooms=unit.bedrooms, size_m2=unit.size_m2, norm=norm)
    if len(persons) > capacity:
        raise ValidationError(
            {
                "unit": _error(
                    "unit_too_small",
                    capacity=capacity,
                    size=len(persons),
                    per_bedroom=norm.persons_per_bedroom,
                    m2=norm.min_m2_per_person,
                )
            }
        )
    for other in HousingAllocation.objects.filter(unit=unit):
        if rules.periods_overlap(from_date, to_date, other.from_date, other.to_date):
            raise ValidationError({"unit": _error("unit_taken", date=other.from_date.isoformat())})
    for other in HousingAllocation.objects.filter(household=household):
        if rules.periods_overlap(from_date, to_date, other.from_date, other.to_date):
            raise ValidationError({"household": _error("household_housed", date=other.from_date.isoformat())})
    allocation = HousingAllocation.objects.create(
        unit=unit, household=household, from_date=from_date, to_date=to_date, allocated_by=actor.user
    )
    _audit_household(
        actor,
        writer,
        AuditAction.CREATE,
        allocation,
        persons,
        changes={"unit": [None, unit.address], "from_date": [None, from_date.isoformat()]},
    )
    return allocation


@transaction.atomic
def end_allocation(
    actor: Actor, allocation: HousingAllocation, *, to_date: datetime.date
) -> HousingAllocation:
    persons = household_persons(allocation.household)
    writer = _require_household_writer(actor, persons)
    if writer.id != allocation.unit.municipality_id:
        raise PermissionDenied
    allocation = HousingAllocation.objects.select_for_update().get(pk=allocation.pk)
    if allocation.to_date is not None:
        raise ValidationError({"to_date": _error("allocation_ended")})
    if to_date is None:
        raise ValidationError({"to_date": _error("required")})
    if to_date < allocation.from_date:
        raise ValidationError({"to_date": _error("end_before_start", date=allocation.from_date.isoformat())})
    e = _Errors()
    e.in_range("to_date", to_date)
    e.raise_if_any()
    allocation.to_date = to_date
    allocation.save(update_fields=["to_date"])
    _audit_household(
        actor,
        writer,
        AuditAction.UPDATE,
        allocation,
        persons,
        changes={"to_date": [None, to_date.isoformat()]},
    )
    return allocation


# --- settling-in support and housing guidance ----------------------------------------------------


@transaction.atomic
def grant_support(
    actor: Actor, household: Household, *, granted_on: datetime.date, amount: Decimal, purpose: str
) -> SettlingInSupport:
    persons = household_persons(household)
    writer = _require_household_writer(actor, persons)
    e = _Errors()
    e.not_future("granted_on", granted_on)
    if amount is None or amount <= 0:
        e.add("amount", "amount_not_positive")
    purpose = e.text("purpose", purpose)
    e.raise_if_any()
    support = SettlingInSupport.objects.create(
        household=household,
        municipality=writer,
        granted_on=granted_on,
        amount=amount,
        purpose=purpose,
        recorded_by=actor.user,
    )
    _audit_household(
        actor, writer, AuditAction.CREATE, support, persons, changes={"amount": [None, str(amount)]}
    )
    return support


@transaction.atomic
def record_guidance(
    actor: Actor, household: Household, *, date: datetime.date, kind: str, note: str = ""
) -> HousingGuidance:
    persons = household_persons(household)
    writer = _require_household_writer(actor, persons)
    e = _Errors()
    e.not_future("date", date)
    if kind not in GuidanceKind.values:
        e.add("kind", "unknown_kind", code=kind)
    note = e.text("note", note, required=False, max_length=500)
    e.raise_if_any()
    guidance = HousingGuidance.objects.create(
        household=household, municipality=writer, date=date, kind=kind, note=note, by=actor.user
    )
    _audit_household(actor, writer, AuditAction.CREATE, guidance, persons, changes={"kind": [None, kind]})
    return guidance


def active_self_settlement_grants(request: SelfSettlementRequest):
    """The shared-access rows this request gave the municipality that are still in force."""
    today = timezone.localdate()
    return request.shared_access.filter(revoked_at__isnull=True).exclude(valid_until__lt=today)
