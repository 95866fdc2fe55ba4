"""Reads for the settlement cycle. Figures per municipality and county are aggregates; every read of
persons is scoped by the access policy and logged."""

from __future__ import annotations

import datetime
import uuid
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Max, OuterRef, Subquery
from django.http import Http404
from django.utils import timezone

from bro.core import audit, policy
from bro.core.models import AuditAction, Organisation, User
from bro.core.roles import OrganisationKind
from bro.people.models import HouseholdMember, Person, PhaseEvent
from bro.people.phases import Phase
from bro.settlement import permissions, rules, targets
from bro.settlement.models import (
    CouncilDecision,
    CountyAllocation,
    NationalNeed,
    OfferRefusal,
    ProposalStatus,
    SettlementInterview,
    SettlementProposal,
    SettlementRequest,
)

# --- figures (no personal data) ---------------------------------------------------------------------


def first_settlements(year: int, *, municipality: Organisation | None = None) -> list[dict]:
    """Each person's first settlement in ``year`` (a secondary move is not a new settlement), in order."""
    first_id = Subquery(
        PhaseEvent.objects.filter(person=OuterRef("person"), phase=Phase.SETTLED)
        .order_by("date", "recorded_at")
        .values("id")[:1]
    )
    qs = PhaseEvent.objects.filter(phase=Phase.SETTLED, date__year=year).annotate(first_id=first_id)
    if municipality is not None:
        qs = qs.filter(organisation=municipality)
    return [
        row
        for row in qs.order_by("date", "recorded_at").values(
            "id", "first_id", "organisation_id", "person_id", "date", "person__immigrant_category"
        )
        if row["id"] == row["first_id"]
    ]


def _open_proposal_persons(year: int | None = None) -> dict:
    """Municipality id → persons in proposals awaiting an answer or settlement."""
    result: dict = defaultdict(int)
    qs = SettlementProposal.objects.filter(status__in=[ProposalStatus.PENDING, ProposalStatus.ACCEPTED])
    for org_id, persons in qs.values_list("municipality_id", "persons"):
        result[org_id] += persons
    return result


@dataclass
class Row:
    label: str
    number: str = ""
    allocation: int | None = None
    request: int | None = None
    request_minors: int | None = None
    decision: int | None = None
    decision_minors: int | None = None
    ordinary: int = 0
    family: int = 0
    waiting: int = 0
    municipalities: list = field(default_factory=list)

    @property
    def settled(self) -> int:
        return self.ordinary + self.family

    @property
    def gap(self) -> int | None:
        """Decided minus requested: negative when the municipality decided fewer than asked."""
        if self.request is None or self.decision is None:
            return None
        return self.decision - self.request

    @property
    def exceeds(self) -> bool:
        return self.decision is not None and self.ordinary > self.decision


def _add(total: Row, row: Row) -> None:
    for name in ("request", "request_minors", "decision", "decision_minors"):
        value = getattr(row, name)
        if value is not None:
            setattr(total, name, (getattr(total, name) or 0) + value)
    total.ordinary += row.ordinary
    total.family += row.family
    total.waiting += row.waiting


def national_overview(year: int) -> dict:
    """Per county and municipality: request, decision, settled (ordinary + family reunification) and waiting."""
    need = NationalNeed.objects.filter(year=year, is_current=True).first()
    allocations = {a.county_number: a for a in CountyAllocation.objects.filter(need=need)} if need else {}
    requests = {r.municipality_id: r for r in SettlementRequest.objects.filter(year=year, is_current=True)}
    decisions = {d.municipality_id: d for d in CouncilDecision.objects.filter(year=year, is_current=True)}
    settled: dict = defaultdict(lambda: [0, 0])
    for row in first_settlements(year):
        settled[row["organisation_id"]][rules.is_family_reunification(row["person__immigrant_category"])] += 1
    waiting = _open_proposal_persons() if year == timezone.localdate().year else {}
    ids = set(requests) | set(decisions) | set(settled) | set(waiting)
    orgs = (
        Organisation.objects.filter(pk__in=ids)
        .select_related("municipality")
        .order_by("municipality__number")
    )
    counties: dict[str, Row] = {}
    for number, allocation in allocations.items():
        counties[number] = Row(allocation.county_name, number, allocation=allocation.persons)
    for org in orgs:
        m = org.municipality
        county = counties.setdefault(m.county_number, Row(m.county_name, m.county_number))
        request, decision = requests.get(org.pk), decisions.get(org.pk)
        row = Row(
            org.name,
            m.number,
            request=request.persons if request else None,
            request_minors=request.unaccompanied_minors if request else None,
            decision=decision.persons if decision else None,
            decision_minors=decision.unaccompanied_minors if decision else None,
            ordinary=settled[org.pk][0],
            family=settled[org.pk][1],
            waiting=waiting.get(org.pk, 0),
        )
        county.municipalities.append(row)
        _add(county, row)
    total = Row("Norge")
    total.allocation = sum(a.persons for a in allocations.values()) if allocations else None
    for county in counties.values():
        _add(total, county)
    return {
        "year": year,
        "need": need,
        "counties": sorted(counties.values(), key=lambda r: r.number),
        "total": total,
    }


def years_summary(years: list[int]) -> list[dict]:
    """National totals per year: need, requested, decided, settled — for this year and earlier years."""
    result = []
    for year in years:
        need = (
            NationalNeed.objects.filter(year=year, is_current=True).values_list("persons", flat=True).first()
        )
        requested = sum(
            SettlementRequest.objects.filter(year=year, is_current=True).values_list("persons", flat=True)
        )
        decided = sum(
            CouncilDecision.objects.filter(year=year, is_current=True).values_list("persons", flat=True)
        )
        settled = first_settlements(year)
        family = sum(1 for r in settled if rules.is_family_reunification(r["person__immigrant_category"]))
        result.append(
            {
                "year": year,
                "need": need,
                "requested": requested,
                "decided": decided,
                "ordinary": len(settled) - family,
                "family": family,
            }
        )
    return result


def settlement_speed(year: int) -> dict:
    """How many of the year's first settlements came within the target from the permit (DOMAIN.md §3)."""
    settled = first_settlements(year)
    person_ids = [r["person_id"] for r in settled]
    permits = permit_dates(person_ids)
    minors = unaccompanied_minor_ids(person_ids)
    within = over = 0
    days = []
    for r in settled:
        permit = permits.get(r["person_id"])
        if permit is None or permit > r["date"]:
            continue
        w = rules.waiting(permit, r["date"], targets.target_months(r["person_id"] in minors, permit))
        days.append(w.days)
        if w.status == rules.OVER:
            over += 1
        else:
            within += 1
    days.sort()
    return {
        "within": within,
        "over": over,
        "median_days": days[len(days) // 2] if days else None,
    }


def permit_dates(person_ids) -> dict:
    return dict(
        PhaseEvent.objects.filter(person_id__in=list(person_ids), phase=Phase.PERMIT_GRANTED)
        .values("person_id")
        .annotate(latest=Max("date"))
        .values_list("person_id", "latest")
    )


def unaccompanied_minor_ids(person_ids) -> set:
    return set(
        HouseholdMember.objects.filter(
            person_id__in=list(person_ids), household__is_unaccompanied_minor=True
        ).values_list("person_id", flat=True)
    )


# --- a municipality's own view --------------------------------------------------------------------


def _members_by_unit(proposals) -> dict:
    household_ids = [p.household_id for p in proposals if p.household_id]
    members: dict = defaultdict(list)
    for m in HouseholdMember.objects.filter(household_id__in=household_ids).select_related("person"):
        members[m.household_id].append(m.person)
    return {p.pk: members.get(p.household_id) or [p.person] for p in proposals}


def municipality_overview(user: User, municipality: Organisation, year: int, *, channel: str = "web") -> dict:
    """Request (with revisions), decision, settled so far, proposals awaiting an answer, and households
    settled but without housing."""
    from bro.settlement.housing.selectors import housed_household_ids

    requests = list(
        SettlementRequest.objects.filter(year=year, municipality=municipality).order_by("-revision")
    )
    decision = CouncilDecision.objects.filter(year=year, municipality=municipality, is_current=True).first()
    settled = first_settlements(year, municipality=municipality)
    family_flags = [rules.is_family_reunification(r["person__immigrant_category"]) for r in settled]
    count = rules.count_against_decision(decision.persons if decision else None, family_flags)
    pending = list(
        SettlementProposal.objects.filter(municipality=municipality, status=ProposalStatus.PENDING)
        .select_related("person", "household")
        .order_by("proposed_on")
    )
    accepted = list(
        SettlementProposal.objects.filter(municipality=municipality, status=ProposalStatus.ACCEPTED)
        .select_related("person", "household")
        .order_by("answered_on")
    )
    settled_proposals = list(
        SettlementProposal.objects.filter(
            municipality=municipality, status=ProposalStatus.SETTLED, settled_on__year=year
        ).select_related("person", "household")
    )
    housed = housed_household_ids(municipality, [p.household_id for p in settled_proposals if p.household_id])
    without_housing = [p for p in settled_proposals if p.household_id not in housed]
    members = _members_by_unit(pending + accepted + without_housing)
    shown = pending + accepted + without_housing
    for proposal in shown:
        for person in members[proposal.pk]:
            audit.record(
                user=user,
                organisation=municipality,
                action=AuditAction.LIST,
                object_type="settlement.settlementproposal",
                person_id=person.pk,
                summary="municipality overview",
                channel=channel,
            )
    return {
        "municipality": municipality,
        "year": year,
        "request": requests[0] if requests and requests[0].is_current else None,
        "request_history": requests,
        "decision": decision,
        "count": count,
        "pending": [(p, members[p.pk]) for p in pending],
        "accepted": [(p, members[p.pk]) for p in accepted],
        "without_housing": [(p, members[p.pk]) for p in without_housing],
    }


# --- persons: ready households, waiting times, proposals, interviews ----------------------------


@dataclass
class Unit:
    """A household ready (or partly ready) for settlement, or a person without a household."""

    id: uuid.UUID
    principal: Person
    members: list
    is_unaccompanied_minor: bool
    permit_date: datetime.date | None
    waiting: rules.Waiting | None
    all_ready: bool
    open_proposal: SettlementProposal | None
    refused: bool


def ready_units(user: User, *, channel: str = "web") -> list[Unit]:
    """Households with a member ready for settlement that the user may see (the directorate's list)."""
    ready = list(
        policy.visible_persons(user, current_only=True)
        .filter(current_phase=Phase.READY_FOR_SETTLEMENT)
        .select_related("responsible_organisation")
        .order_by("current_phase_since", "family_name")
    )
    memberships = {
        m.person_id: m for m in HouseholdMember.objects.filter(person__in=ready).select_related("household")
    }
    household_ids = {m.household_id for m in memberships.values()}
    all_members: dict = defaultdict(list)
    for m in HouseholdMember.objects.filter(household_id__in=household_ids).select_related("person"):
        all_members[m.household_id].append(m.person)
    units: dict = {}
    for person in ready:
        membership = memberships.get(person.pk)
        key = membership.household_id if membership else person.pk
        if key in units:
            continue
        members = all_members[key] if membership else [person]
        units[key] = (person, members, bool(membership and membership.household.is_unaccompanied_minor))
    permits = permit_dates([p.pk for _, members, _ in units.values() for p in members])
    open_proposals = {
        p.unit: p
        for p in SettlementProposal.objects.filter(
            unit__in=list(units), status__in=["pending", "accepted"]
        ).select_related("municipality")
    }
    refused = set(OfferRefusal.objects.filter(unit__in=list(units)).values_list("unit", flat=True))
    today = timezone.localdate()
    result = []
    for key, (principal, members, minor) in units.items():
        dates = [permits[m.pk] for m in members if m.pk in permits]
        permit = min(dates) if dates else None
        result.append(
            Unit(
                id=key,
                principal=principal,
                members=members,
                is_unaccompanied_minor=minor,
                permit_date=permit,
                waiting=rules.waiting(permit, today, targets.target_months(minor, permit))
                if permit
                else None,
                all_ready=all(m.current_phase == Phase.READY_FOR_SETTLEMENT for m in members),
                open_proposal=open_proposals.get(key),
                refused=key in refused,
            )
        )
        for member in members:
            audit.record(
                user=user,
                organisation=None,
                action=AuditAction.LIST,
                object_type="settlement.ready",
                person_id=member.pk,
                summary="ready for settlement",
                channel=channel,
            )
    result.sort(key=lambda u: (u.waiting is None, -(u.waiting.days if u.waiting else 0)))
    return result


def get_unit(user: User, unit_id, *, channel: str = "web") -> Unit:
    """One ready unit by household (or person) id, if the user sees a ready member of it; else 404."""
    for unit in ready_units(user, channel=channel):
        if str(unit.id) == str(unit_id):
            return unit
    raise Http404


@dataclass
class WaitingRow:
    person: Person
    waiting: rules.Waiting
    is_unaccompanied_minor: bool


def waiting_list(user: User, *, include_all: bool = False, channel: str = "web") -> list[WaitingRow]:
    """Persons with a permit not yet settled, whom the user may see, against the settlement-time target.

    By default only those over the target or within ``rules.NEAR_TARGET_DAYS`` of it; longest wait first.
    """
    persons = list(
        policy.visible_persons(user, current_only=True)
        .filter(current_phase__in=[Phase.PERMIT_GRANTED, Phase.READY_FOR_SETTLEMENT])
        .select_related("responsible_organisation")
    )
    permits = permit_dates([p.pk for p in persons])
    minors = unaccompanied_minor_ids([p.pk for p in persons])
    today = timezone.localdate()
    rows = []
    for person in persons:
        permit = permits.get(person.pk)
        if permit is None:
            continue
        minor = person.pk in minors
        w = rules.waiting(permit, today, targets.target_months(minor, permit))
        if include_all or w.status != rules.WITHIN:
            rows.append(WaitingRow(person, w, minor))
    rows.sort(
        key=lambda r: (-r.waiting.days_over, r.waiting.days_left, -r.waiting.days, r.person.family_name)
    )
    audit.record(
        user=user,
        organisation=None,
        action=AuditAction.LIST,
        object_type="settlement.waiting",
        summary=f"{len(rows)} persons",
        channel=channel,
    )
    return rows


def get_proposal(user: User, proposal_id, *, channel: str = "web") -> tuple[SettlementProposal, list[Person]]:
    """A proposal for the directorate's settlement officers or the proposed municipality's; else 404."""
    try:
        proposal_uuid = uuid.UUID(str(proposal_id))
    except ValueError as exc:
        raise Http404 from exc
    proposal = (
        SettlementProposal.objects.select_related("person", "household", "municipality", "proposed_by")
        .filter(pk=proposal_uuid)
        .first()
    )
    if proposal is None:
        raise Http404
    national = permissions.national_officer_organisation(user)
    if national is None and not permissions.is_municipal_officer_of(user, proposal.municipality):
        raise Http404
    members = _members_by_unit([proposal])[proposal.pk]
    for member in members:
        audit.record(
            user=user,
            organisation=national or proposal.municipality,
            action=AuditAction.READ,
            obj=proposal,
            person_id=member.pk,
            channel=channel,
        )
    return proposal, members


def proposal_decision_context(proposal: SettlementProposal) -> dict:
    """What the municipality needs to see when answering: its decision and whether accepting exceeds it."""
    year = timezone.localdate().year
    decision = CouncilDecision.objects.filter(
        year=year, municipality=proposal.municipality, is_current=True
    ).first()
    ordinary = sum(
        1
        for r in first_settlements(year, municipality=proposal.municipality)
        if not rules.is_family_reunification(r["person__immigrant_category"])
    )
    return {
        "decision": decision,
        "ordinary_settled": ordinary,
        "would_exceed": rules.would_exceed(
            decision.persons if decision else None, ordinary, proposal.ordinary_persons
        ),
    }


def interviews_for(persons) -> dict:
    return {i.person_id: i for i in SettlementInterview.objects.filter(person__in=list(persons))}


def user_municipality(user: User, organisation_id=None) -> Organisation:
    """The settlement municipality whose overview the user opens (one of their own)."""
    orgs = permissions.municipal_officer_organisations(user)
    if organisation_id:
        orgs = [o for o in orgs if str(o.pk) == str(organisation_id)]
    if not orgs:
        raise Http404
    return orgs[0]


def settlement_municipalities():
    return Organisation.objects.filter(
        kind=OrganisationKind.MUNICIPALITY, is_settlement_municipality=True, is_active=True
    ).select_related("municipality")
