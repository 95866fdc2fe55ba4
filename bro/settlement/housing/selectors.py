"""Reads of housing and self-settlement data, scoped by the access policy; reads of personal data logged."""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from bro.core import audit, policy
from bro.core.models import AuditAction, Organisation, User
from bro.people.models import Household, HouseholdMember, Person
from bro.settlement.housing import permissions, rules
from bro.settlement.housing.models import (
    HousingAllocation,
    HousingUnit,
    RequestStatus,
    SelfSettlementRequest,
    SelfSettlementTerms,
)
from bro.settlement.housing.services import READY_PHASES, household_persons


def _current(queryset: QuerySet, today=None) -> QuerySet:
    today = today or timezone.localdate()
    return queryset.filter(from_date__lte=today).filter(Q(to_date__isnull=True) | Q(to_date__gte=today))


def housed_household_ids(municipality, household_ids) -> set:
    """Of ``household_ids``, those that have a current housing allocation in ``municipality``.

    The settlement overview uses this to list households settled but without housing. ``municipality``
    is the municipality's organisation (or its id). No personal data is returned, so nothing is logged.
    """
    ids = list(household_ids)
    if not ids:
        return set()
    municipality_id = getattr(municipality, "pk", municipality)
    return set(
        _current(
            HousingAllocation.objects.filter(unit__municipality_id=municipality_id, household_id__in=ids)
        )
        .values_list("household_id", flat=True)
        .distinct()
    )


def _uuid(value) -> uuid.UUID:
    try:
        return uuid.UUID(str(value))
    except ValueError as exc:
        raise Http404 from exc


# --- the public overview -------------------------------------------------------------------------


@dataclass
class TermsRow:
    terms: SelfSettlementTerms
    county: str
    median_days: float | None
    decided: int


def public_terms(*, county: str = "", allows: str = "") -> list[TermsRow]:
    """Every municipality's published terms (no personal data; readable without logging in).

    ``allows``: "yes", "no" or "" (all). The median processing time comes from decided requests.
    """
    qs = SelfSettlementTerms.objects.filter(published=True).select_related("municipality__municipality")
    if county:
        qs = qs.filter(municipality__municipality__county_number=county)
    if allows in ("yes", "no"):
        qs = qs.filter(allows=allows == "yes")
    rows = list(qs.order_by("municipality__name"))
    days = defaultdict(list)
    for municipality_id, submitted, decided in SelfSettlementRequest.objects.filter(
        municipality_id__in=[t.municipality_id for t in rows], decided_on__isnull=False
    ).values_list("municipality_id", "submitted_on", "decided_on"):
        days[municipality_id].append(rules.processing_days(submitted, decided))
    return [
        TermsRow(
            terms=t,
            county=t.municipality.municipality.county_name if t.municipality.municipality else "",
            median_days=rules.median_processing_days(days[t.municipality_id]),
            decided=len(days[t.municipality_id]),
        )
        for t in rows
    ]


def counties_with_terms() -> list[tuple[str, str]]:
    return list(
        SelfSettlementTerms.objects.filter(published=True)
        .values_list("municipality__municipality__county_number", "municipality__municipality__county_name")
        .distinct()
        .order_by("municipality__municipality__county_number")
    )


def terms_of(municipality: Organisation) -> SelfSettlementTerms | None:
    return SelfSettlementTerms.objects.filter(municipality=municipality).first()


def municipality_by_number(number: str) -> Organisation | None:
    return (
        Organisation.objects.filter(
            kind="municipality",
            municipality__number=number,
            is_active=True,
            municipality__valid_to__isnull=True,
        )
        .select_related("municipality")
        .first()
    )


def municipalities_allowing() -> QuerySet:
    """Municipalities a household can ask for agreed self-settlement (published terms, allows)."""
    return Organisation.objects.filter(
        self_settlement_terms__published=True, self_settlement_terms__allows=True, is_active=True
    ).order_by("name")


# --- self-settlement requests --------------------------------------------------------------------


def request_queryset(user: User, *, status: str = "") -> QuerySet:
    submitting = [o.id for o in permissions.submitting_organisations(user)]
    deciding = [o.id for o in permissions.housing_municipalities(user)]
    qs = SelfSettlementRequest.objects.filter(
        Q(submitted_by_id__in=submitting) | Q(municipality_id__in=deciding)
    )
    if status in RequestStatus.values:
        qs = qs.filter(status=status)
    return qs.select_related("municipality", "submitted_by").annotate(size=Count("household__members"))


def request_page_rows(user: User, *, status: str = "", channel: str = "web") -> list[dict]:
    """Requests the user's organisations sent or must decide, with the principal's name and size."""
    requests = list(request_queryset(user, status=status).order_by("-submitted_on", "id")[:500])
    principals = _principals([r.household_id for r in requests])
    audit.record(
        user=user,
        organisation=None,
        action=AuditAction.LIST,
        object_type="housing.selfsettlementrequest",
        summary=f"{len(requests)} requests",
        channel=channel,
    )
    return [
        {
            "request": r,
            "principal": principals.get(r.household_id),
            "size": r.size,
            "days": rules.processing_days(r.submitted_on, r.decided_on),
            "waiting": (timezone.localdate() - r.submitted_on).days if r.decided_on is None else None,
        }
        for r in requests
    ]


def _principals(household_ids) -> dict:
    """Household id → the principal applicant (or the first member) for display."""
    result = {}
    for member in (
        HouseholdMember.objects.filter(household_id__in=household_ids)
        .select_related("person")
        .order_by("household_id", "relation", "person__birth_date")
    ):
        current = result.get(member.household_id)
        if current is None or (member.relation == "principal" and current[1] != "principal"):
            result[member.household_id] = (member.person, member.relation)
    return {hid: person for hid, (person, _relation) in result.items()}


def get_request(
    user: User, request_id, *, channel: str = "web"
) -> tuple[SelfSettlementRequest, list[Person]]:
    request = (
        SelfSettlementRequest.objects.select_related("municipality", "submitted_by", "decided_by")
        .filter(pk=_uuid(request_id))
        .first()
    )
    if request is None or not permissions.can_see_request(user, request):
        raise Http404
    persons = household_persons(request.household)
    organisation = (
        request.municipality if permissions.can_decide_request(user, request) else request.submitted_by
    )
    for person in persons:
        audit.record(
            user=user,
            organisation=organisation,
            action=AuditAction.READ,
            obj=request,
            person_id=person.id,
            channel=channel,
        )
    return request, persons


def eligible_households(user: User, limit: int = 500) -> list[tuple[Household, list[Person]]]:
    """Households the user may send a self-settlement request for: everyone visible now and permitted.

    The service checks write access again on submission; this only fills the form's choice list.
    """
    if not permissions.submitting_organisations(user):
        return []
    visible = policy.visible_persons(user, current_only=True).filter(current_phase__in=READY_PHASES)
    household_ids = (
        HouseholdMember.objects.filter(person__in=visible).values_list("household_id", flat=True).distinct()
    )
    pending = SelfSettlementRequest.objects.filter(status=RequestStatus.SUBMITTED).values("household_id")
    members = defaultdict(list)
    for m in (
        HouseholdMember.objects.filter(household_id__in=list(household_ids[: limit * 2]))
        .exclude(household_id__in=pending)
        .select_related("person", "household")
        .order_by("relation", "person__birth_date")
    ):
        members[m.household].append(m.person)
    visible_ids = set(
        visible.filter(household_membership__household__in=list(members)).values_list("pk", flat=True)
    )
    result = [
        (household, persons)
        for household, persons in members.items()
        if all(p.pk in visible_ids for p in persons)
    ]
    result.sort(key=lambda item: (item[1][0].family_name, item[1][0].given_name))
    return result[:limit]


# --- housing units -------------------------------------------------------------------------------


def units_for(user: User, *, channel: str = "web") -> list[dict]:
    municipalities = permissions.housing_municipalities(user)
    units = list(
        HousingUnit.objects.filter(municipality__in=municipalities)
        .select_related("municipality")
        .order_by("address")
    )
    current = {
        a.unit_id: a
        for a in _current(HousingAllocation.objects.filter(unit__in=units)).select_related("household")
    }
    principals = _principals([a.household_id for a in current.values()])
    sizes = dict(
        HouseholdMember.objects.filter(household_id__in=[a.household_id for a in current.values()])
        .values_list("household_id")
        .annotate(n=Count("id"))
    )
    audit.record(
        user=user,
        organisation=municipalities[0] if len(municipalities) == 1 else None,
        action=AuditAction.LIST,
        object_type="housing.housingunit",
        summary=f"{len(units)} units",
        channel=channel,
    )
    today = timezone.localdate()
    norm = rules.norm_on(today)
    rows = []
    for unit in units:
        allocation = current.get(unit.id)
        rows.append(
            {
                "unit": unit,
                "capacity": rules.unit_capacity(bedrooms=unit.bedrooms, size_m2=unit.size_m2, norm=norm),
                "allocation": allocation,
                "principal": principals.get(allocation.household_id) if allocation else None,
                "size": sizes.get(allocation.household_id) if allocation else None,
            }
        )
    return rows


def get_unit(user: User, unit_id) -> HousingUnit:
    unit = HousingUnit.objects.select_related("municipality").filter(pk=_uuid(unit_id)).first()
    if unit is None or unit.municipality_id not in {o.id for o in permissions.housing_municipalities(user)}:
        raise Http404
    return unit


def households_for_housing(user: User, *, channel: str = "web") -> list[dict]:
    """Settled households whose every member the user reads now, with their housing status."""
    if not (policy.roles(user) & permissions.HOUSEHOLD_READ_ROLES):
        return []
    visible = policy.visible_persons(user, current_only=True)
    settled = visible.filter(current_phase__in=["settled", "in_programme"])
    household_ids = list(
        HouseholdMember.objects.filter(person__in=settled).values_list("household_id", flat=True).distinct()
    )
    members = defaultdict(list)
    for m in (
        HouseholdMember.objects.filter(household_id__in=household_ids)
        .select_related("person")
        .order_by("relation", "person__birth_date")
    ):
        members[m.household_id].append(m.person)
    visible_ids = set(
        visible.filter(household_membership__household_id__in=household_ids).values_list("pk", flat=True)
    )
    complete = {hid: ps for hid, ps in members.items() if all(p.pk in visible_ids for p in ps)}
    current = {
        a.household_id: a
        for a in _current(HousingAllocation.objects.filter(household_id__in=list(complete))).select_related(
            "unit"
        )
    }
    audit.record(
        user=user,
        organisation=None,
        action=AuditAction.LIST,
        object_type="people.household",
        summary=f"{len(complete)} households (housing)",
        channel=channel,
    )
    rows = [
        {"household_id": hid, "persons": ps, "principal": ps[0], "allocation": current.get(hid)}
        for hid, ps in complete.items()
    ]
    rows.sort(
        key=lambda r: (r["allocation"] is not None, r["principal"].family_name, r["principal"].given_name)
    )
    return rows


@dataclass
class HouseholdHousing:
    household: Household
    persons: list[Person]
    writer: Organisation | None  # the municipality through which the user may change it
    allocations: list
    support: list
    guidance: list
    current: HousingAllocation | None


def get_household(user: User, household_id, *, channel: str = "web") -> HouseholdHousing:
    """A household's housing, if the user reads every member now (else 404); each member's read logged."""
    household = Household.objects.filter(pk=_uuid(household_id)).first()
    if household is None:
        raise Http404
    persons = household_persons(household)
    if not permissions.can_read_household_housing(user, persons):
        raise Http404
    writer = permissions.household_housing_writer(user, persons)
    for person in persons:
        access = policy.access_to_person(user, person)
        audit.record(
            user=user,
            organisation=access.organisation,
            action=AuditAction.READ,
            obj=household,
            person_id=person.id,
            summary=access.reason,
            channel=channel,
        )
    allocations = list(household.housing_allocations.select_related("unit", "unit__municipality"))
    current = next(iter(_current(household.housing_allocations.all()).select_related("unit")), None)
    return HouseholdHousing(
        household=household,
        persons=persons,
        writer=writer,
        allocations=allocations,
        support=list(household.settling_in_support.select_related("municipality")),
        guidance=list(household.housing_guidance.select_related("municipality", "by")),
        current=current,
    )


def get_allocation(user: User, allocation_id) -> HousingAllocation:
    allocation = (
        HousingAllocation.objects.select_related("unit", "household").filter(pk=_uuid(allocation_id)).first()
    )
    if allocation is None:
        raise Http404
    if not permissions.can_read_household_housing(user, household_persons(allocation.household)):
        raise Http404
    return allocation


def candidate_households_for_unit(user: User, unit: HousingUnit) -> list[dict]:
    """Households without current housing that the user reads now; the service checks write access."""
    return [r for r in households_for_housing(user) if r["allocation"] is None]
