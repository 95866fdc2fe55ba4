"""Every write in the settlement cycle: validated, permission-checked, in a transaction, audit-logged.

Services raise ``ValidationError`` (field → messages, nothing saved) or ``PermissionDenied``.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation

from bro.core import audit, policy
from bro.core.models import AuditAction, Municipality, Organisation
from bro.core.roles import OrganisationKind
from bro.people import services as people_services
from bro.people.models import Person, SharedAccess
from bro.people.phases import AccessBasis, Phase
from bro.people.services import Actor
from bro.settlement import permissions, rules
from bro.settlement.messages import ERRORS, PROPOSAL_LEGAL_BASIS, PROPOSAL_PURPOSE, REFUSAL_CONSEQUENCE
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

__all__ = ["Actor"]


def _in_bokmal(text) -> str:
    # A record kept by Norwegian authorities: stored in bokmål whatever the user's language.
    with translation.override("nb"):
        return str(text)


def _error(code: str, /, **params) -> ValidationError:
    message = ERRORS[code]
    return ValidationError(message % params if params else message, code=code)


class _Errors:
    """Collects field errors so that bad input is reported all at once."""

    def __init__(self):
        self.errors: dict[str, list[ValidationError]] = {}

    def add(self, field: str, code: str, /, **params) -> None:
        self.errors.setdefault(field, []).append(_error(code, **params))

    def raise_if_any(self) -> None:
        if self.errors:
            raise ValidationError(self.errors)


def _check_year_and_counts(
    errors: _Errors, year: int, persons: int, minors: int, today: datetime.date
) -> None:
    if code := rules.year_error(year, today):
        errors.add("year", code)
    if problem := rules.count_error(persons, minors):
        errors.add(*problem)


def _require_national(actor: Actor) -> Organisation:
    org = permissions.national_officer_organisation(actor.user)
    if org is None:
        raise PermissionDenied
    return org


def _require_settlement_municipality(municipality: Organisation) -> None:
    if municipality.kind != OrganisationKind.MUNICIPALITY or not municipality.is_settlement_municipality:
        raise ValidationError({"municipality_number": _error("not_a_settlement_municipality")})


# --- the yearly cycle ---------------------------------------------------------------------------------


@transaction.atomic
def set_national_need(
    actor: Actor,
    *,
    year: int,
    persons: int,
    unaccompanied_minors: int,
    counties: dict[str, tuple[int, int]],
    note: str = "",
) -> NationalNeed:
    """Set the year's national need and its split by county; a new need replaces the year's current one."""
    directorate = _require_national(actor)
    today = timezone.localdate()
    errors = _Errors()
    _check_year_and_counts(errors, year, persons, unaccompanied_minors, today)
    known = dict(
        Municipality.objects.valid_on(datetime.date(min(max(year, 2000), today.year + 1), 1, 1))
        .values_list("county_number", "county_name")
        .distinct()
    )
    for number, (county_persons, county_minors) in counties.items():
        if number not in known:
            errors.add("counties", "unknown_county", number=number)
        elif problem := rules.count_error(county_persons, county_minors):
            errors.add(f"county_{number}_{problem[0]}", problem[1])
    if not errors.errors and (code := rules.county_split_error(persons, unaccompanied_minors, counties)):
        errors.add("counties", code)
    errors.raise_if_any()
    previous = NationalNeed.objects.select_for_update().filter(year=year, is_current=True).first()
    if previous is not None:
        previous.is_current = False
        previous.save(update_fields=["is_current"])
    need = NationalNeed.objects.create(
        year=year,
        persons=persons,
        unaccompanied_minors=unaccompanied_minors,
        set_by=actor.user,
        set_on=today,
        note=note.strip(),
    )
    CountyAllocation.objects.bulk_create(
        CountyAllocation(
            need=need,
            year=year,
            county_number=number,
            county_name=known[number],
            persons=p,
            unaccompanied_minors=m,
        )
        for number, (p, m) in sorted(counties.items())
    )
    audit.record(
        user=actor.user,
        organisation=directorate,
        action=AuditAction.UPDATE if previous else AuditAction.CREATE,
        obj=need,
        changes=audit.diff(
            {"persons": previous.persons, "unaccompanied_minors": previous.unaccompanied_minors}
            if previous
            else {},
            {"year": year, "persons": persons, "unaccompanied_minors": unaccompanied_minors},
        ),
        channel=actor.channel,
    )
    return need


@transaction.atomic
def send_request(
    actor: Actor,
    *,
    year: int,
    municipality: Organisation,
    persons: int,
    unaccompanied_minors: int,
    sent_on: datetime.date,
    note: str = "",
) -> SettlementRequest:
    """Send (or revise) the directorate's request to a municipality; a revision keeps the old as history."""
    directorate = _require_national(actor)
    _require_settlement_municipality(municipality)
    today = timezone.localdate()
    errors = _Errors()
    _check_year_and_counts(errors, year, persons, unaccompanied_minors, today)
    if code := rules.date_error(sent_on, today):
        errors.add("sent_on", code)
    errors.raise_if_any()
    previous = (
        SettlementRequest.objects.select_for_update()
        .filter(year=year, municipality=municipality, is_current=True)
        .first()
    )
    revision = 1
    if previous is not None:
        previous.is_current = False
        previous.save(update_fields=["is_current"])
        revision = (
            SettlementRequest.objects.filter(year=year, municipality=municipality)
            .order_by("-revision")
            .values_list("revision", flat=True)
            .first()
            + 1
        )
    request = SettlementRequest.objects.create(
        year=year,
        municipality=municipality,
        persons=persons,
        unaccompanied_minors=unaccompanied_minors,
        sent_on=sent_on,
        revision=revision,
        note=note.strip(),
        sent_by=actor.user,
    )
    if previous is not None:
        previous.superseded_by = request
        previous.save(update_fields=["superseded_by"])
    audit.record(
        user=actor.user,
        organisation=directorate,
        action=AuditAction.UPDATE if previous else AuditAction.CREATE,
        obj=request,
        changes=audit.diff(
            {"persons": previous.persons, "unaccompanied_minors": previous.unaccompanied_minors}
            if previous
            else {},
            {"persons": persons, "unaccompanied_minors": unaccompanied_minors},
        ),
        summary=f"{municipality.name} {year} rev. {revision}",
        channel=actor.channel,
    )
    return request


@transaction.atomic
def record_decision(
    actor: Actor,
    *,
    municipality: Organisation,
    year: int,
    persons: int,
    unaccompanied_minors: int,
    decided_on: datetime.date,
    body: str,
    reference: str = "",
) -> CouncilDecision:
    """The municipality's own decision on how many to settle; it may differ from the request."""
    if not permissions.is_municipal_officer_of(actor.user, municipality):
        raise PermissionDenied
    today = timezone.localdate()
    errors = _Errors()
    _check_year_and_counts(errors, year, persons, unaccompanied_minors, today)
    if code := rules.date_error(decided_on, today):
        errors.add("decided_on", code)
    errors.raise_if_any()
    previous = (
        CouncilDecision.objects.select_for_update()
        .filter(year=year, municipality=municipality, is_current=True)
        .first()
    )
    if previous is not None:
        previous.is_current = False
        previous.save(update_fields=["is_current"])
    decision = CouncilDecision.objects.create(
        year=year,
        municipality=municipality,
        persons=persons,
        unaccompanied_minors=unaccompanied_minors,
        decided_on=decided_on,
        body=body,
        reference=reference.strip(),
        recorded_by=actor.user,
    )
    audit.record(
        user=actor.user,
        organisation=municipality,
        action=AuditAction.UPDATE if previous else AuditAction.CREATE,
        obj=decision,
        changes=audit.diff(
            {"persons": previous.persons, "unaccompanied_minors": previous.unaccompanied_minors}
            if previous
            else {},
            {"persons": persons, "unaccompanied_minors": unaccompanied_minors},
        ),
        summary=f"{municipality.name} {year}",
        channel=actor.channel,
    )
    return decision


# --- the settlement interview ---------------------------------------------------------------------


@dataclass
class InterviewInput:
    conducted_on: datetime.date
    education: str = ""
    work_experience: str = ""
    family_ties: str = ""
    network_ties: str = ""
    health_needs: str = ""
    health_consent_date: datetime.date | None = None
    wishes: str = ""


INTERVIEW_FIELDS = [
    "conducted_on",
    "education",
    "work_experience",
    "family_ties",
    "network_ties",
    "health_needs",
    "health_consent_date",
    "wishes",
]


def _permit_date(person: Person) -> datetime.date | None:
    return (
        person.phase_events.filter(phase=Phase.PERMIT_GRANTED)
        .order_by("-date")
        .values_list("date", flat=True)
        .first()
    )


@transaction.atomic
def save_interview(
    actor: Actor, person: Person, data: InterviewInput, *, complete: bool
) -> SettlementInterview:
    """Save the reception centre's settlement interview; completing it makes the person ready for settlement.

    The move to ready-for-settlement goes through ``bro.people.services.record_transition`` with its own
    rules; health needs are only kept when the person's consent is recorded [public rule].
    """
    if not permissions.can_conduct_interview(actor.user, person):
        raise PermissionDenied
    person = Person.objects.select_for_update().get(pk=person.pk)
    interview = SettlementInterview.objects.filter(person=person).first()
    today = timezone.localdate()
    errors = _Errors()
    if interview is not None and interview.completed_at is not None:
        errors.add("__all__", "interview_already_completed")
        errors.raise_if_any()
    if person.current_phase != Phase.PERMIT_GRANTED:
        errors.add("__all__", "interview_not_permit")
    if code := rules.date_error(data.conducted_on, today):
        errors.add("conducted_on", code)
    permit = _permit_date(person)
    if permit and data.conducted_on < permit:
        errors.add("conducted_on", "date_before_permit")
    if data.health_consent_date and (code := rules.date_error(data.health_consent_date, today)):
        errors.add("health_consent_date", code)
    if data.health_needs.strip() and data.health_consent_date is None:
        errors.add("health_needs", "health_needs_need_consent")
    errors.raise_if_any()
    centre = person.responsible_organisation
    before = {f: getattr(interview, f) for f in INTERVIEW_FIELDS} if interview else {}
    values = {
        "conducted_on": data.conducted_on,
        "education": data.education.strip(),
        "work_experience": data.work_experience.strip(),
        "family_ties": data.family_ties.strip(),
        "network_ties": data.network_ties.strip(),
        "health_needs": data.health_needs.strip(),
        "health_consent_date": data.health_consent_date,
        "wishes": data.wishes.strip(),
    }
    if interview is None:
        interview = SettlementInterview(person=person, conducted_by=centre)
    for name, value in values.items():
        setattr(interview, name, value)
    interview.recorded_by = actor.user
    interview.save()
    # Only which fields changed is logged: the interview's free text is personal (health) data.
    changed = sorted(f for f in INTERVIEW_FIELDS if before.get(f) != values[f])
    audit.record(
        user=actor.user,
        organisation=centre,
        action=AuditAction.UPDATE if before else AuditAction.CREATE,
        obj=interview,
        person_id=person.id,
        changes={f: ["…", "…"] for f in changed},
        channel=actor.channel,
    )
    if complete:
        people_services.record_transition(
            actor,
            person,
            phase=Phase.READY_FOR_SETTLEMENT,
            on=data.conducted_on,
            note="Bosettingssamtale gjennomført",
        )
        interview.completed_at = timezone.now()
        interview.save(update_fields=["completed_at", "updated_at"])
    return interview


# --- proposals, answers, settlement and the one offer ---------------------------------------------


def unit_members(person: Person) -> tuple[object | None, list[Person]]:
    """The person's household and its members, or no household and the person alone."""
    from bro.people.models import HouseholdMember

    own = HouseholdMember.objects.filter(person=person).select_related("household").first()
    if own is None:
        return None, [Person.objects.get(pk=person.pk)]  # fresh: the caller's copy may be stale
    members = [
        m.person for m in HouseholdMember.objects.filter(household=own.household).select_related("person")
    ]
    return own.household, members


def _ordinary(members: list[Person]) -> int:
    return sum(1 for m in members if not rules.is_family_reunification(m.immigrant_category))


@transaction.atomic
def propose(
    actor: Actor,
    person: Person,
    *,
    municipality: Organisation,
    note: str = "",
    override_reason: str = "",
) -> SettlementProposal:
    """Propose a settlement municipality for the person's household (by hand now; matching later).

    The proposed municipality gets read access to the household's persons on a recorded legal basis
    (Integreringsloven § 10) so it can decide; the access ends when it declines or the offer ends.
    """
    _require_national(actor)
    if not policy.access_to_person(actor.user, person).can_write:
        raise PermissionDenied  # the directorate is responsible only while the person is ready
    _require_settlement_municipality(municipality)
    household, members = unit_members(person)
    unit = household.pk if household else person.pk
    refused = OfferRefusal.objects.filter(unit=unit).exists()
    open_proposal = SettlementProposal.objects.filter(unit=unit, status__in=["pending", "accepted"]).exists()
    code = rules.proposal_error(
        all_ready=all(m.current_phase == Phase.READY_FOR_SETTLEMENT for m in members),
        has_open_proposal=open_proposal,
        refused=refused,
        override_reason=override_reason,
    )
    if code:
        raise ValidationError(
            {"override_reason" if code == "offer_already_refused" else "__all__": _error(code)}
        )
    today = timezone.localdate()
    proposal = SettlementProposal.objects.create(
        unit=unit,
        household=household,
        person=person,
        municipality=municipality,
        persons=len(members),
        ordinary_persons=_ordinary(members),
        note=note.strip(),
        override_reason=override_reason.strip() if refused else "",
        proposed_by=actor.user,
        proposed_on=today,
    )
    grants = [
        people_services.grant_shared_access(
            actor,
            member,
            organisation=municipality,
            basis=AccessBasis.LEGAL_BASIS,
            legal_basis=PROPOSAL_LEGAL_BASIS,
            purpose=PROPOSAL_PURPOSE,
        ).pk
        for member in members
    ]
    proposal.shared_access_ids = grants
    proposal.save(update_fields=["shared_access_ids"])
    for member in members:
        audit.record(
            user=actor.user,
            organisation=permissions.national_officer_organisation(actor.user),
            action=AuditAction.CREATE,
            obj=proposal,
            person_id=member.pk,
            changes={"municipality": [None, municipality.name]},
            channel=actor.channel,
        )
    return proposal


def _end_shared_access(proposal: SettlementProposal) -> None:
    SharedAccess.objects.filter(pk__in=proposal.shared_access_ids, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )


def _members(proposal: SettlementProposal) -> list[Person]:
    if proposal.household_id is None:
        return [proposal.person]
    return [m.person for m in proposal.household.members.select_related("person")]


def _require_municipal(actor: Actor, proposal: SettlementProposal) -> None:
    if not permissions.is_municipal_officer_of(actor.user, proposal.municipality):
        raise PermissionDenied


def _log_each(actor, proposal, organisation, action, changes, summary=""):
    for member in _members(proposal):
        audit.record(
            user=actor.user,
            organisation=organisation,
            action=action,
            obj=proposal,
            person_id=member.pk,
            changes=changes,
            summary=summary,
            channel=actor.channel,
        )


@transaction.atomic
def answer_proposal(
    actor: Actor, proposal: SettlementProposal, *, accept: bool, reason: str = ""
) -> SettlementProposal:
    """The proposed municipality accepts or declines (with a reason). Declining ends its access."""
    _require_municipal(actor, proposal)
    proposal = SettlementProposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.status != ProposalStatus.PENDING:
        raise ValidationError({"__all__": _error("proposal_not_pending")})
    if not accept and not reason.strip():
        raise ValidationError({"reason": _error("decline_needs_reason")})
    proposal.status = ProposalStatus.ACCEPTED if accept else ProposalStatus.DECLINED
    proposal.answer_reason = reason.strip()
    proposal.answered_by = actor.user
    proposal.answered_on = timezone.localdate()
    proposal.save(update_fields=["status", "answer_reason", "answered_by", "answered_on"])
    if not accept:
        _end_shared_access(proposal)
    _log_each(
        actor, proposal, proposal.municipality, AuditAction.UPDATE, {"status": ["pending", proposal.status]}
    )
    return proposal


def ordinary_settled_before(municipality: Organisation, year: int) -> int:
    from bro.settlement.selectors import first_settlements

    return sum(
        1
        for e in first_settlements(year, municipality=municipality)
        if not rules.is_family_reunification(e["person__immigrant_category"])
    )


@transaction.atomic
def settle(actor: Actor, proposal: SettlementProposal, *, on: datetime.date) -> SettlementProposal:
    """Record that an accepted household was settled on ``on``; flags the settlement when it exceeds the
    council decision (004:L1307–1313)."""
    _require_municipal(actor, proposal)
    proposal = SettlementProposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.status != ProposalStatus.ACCEPTED:
        raise ValidationError({"__all__": _error("proposal_not_accepted")})
    today = timezone.localdate()
    if code := rules.date_error(on, today):
        raise ValidationError({"date": _error(code)})
    if on < proposal.proposed_on:
        raise ValidationError({"date": _error("date_before_proposal")})
    members = _members(proposal)
    decision = (
        CouncilDecision.objects.filter(year=on.year, municipality=proposal.municipality, is_current=True)
        .values_list("persons", flat=True)
        .first()
    )
    exceeds = rules.would_exceed(
        decision, ordinary_settled_before(proposal.municipality, on.year), _ordinary(members)
    )
    for member in members:
        people_services.record_settlement_of_accepted_proposal(
            actor, member, on=on, municipality=proposal.municipality, note="Bosatt etter forslag fra IMDi"
        )
    proposal.status = ProposalStatus.SETTLED
    proposal.settled_on = on
    proposal.exceeds_decision = exceeds
    proposal.save(update_fields=["status", "settled_on", "exceeds_decision"])
    # The municipality is responsible now; the access it had to decide is no longer needed.
    _end_shared_access(proposal)
    _log_each(
        actor,
        proposal,
        proposal.municipality,
        AuditAction.UPDATE,
        {"status": ["accepted", "settled"], "exceeds_decision": [None, exceeds]},
    )
    return proposal


@transaction.atomic
def record_refusal(
    actor: Actor, proposal: SettlementProposal, *, refused_on: datetime.date, reason: str = ""
) -> OfferRefusal:
    """The household refused its one offer: recorded with the consequence (004:L1264–1270)."""
    directorate = _require_national(actor)
    proposal = SettlementProposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.status != ProposalStatus.ACCEPTED:
        raise ValidationError({"__all__": _error("proposal_not_accepted")})
    if code := rules.date_error(refused_on, timezone.localdate()):
        raise ValidationError({"refused_on": _error(code)})
    if refused_on < proposal.proposed_on:
        raise ValidationError({"refused_on": _error("date_before_proposal")})
    refusal = OfferRefusal.objects.create(
        proposal=proposal,
        unit=proposal.unit,
        refused_on=refused_on,
        reason=reason.strip(),
        consequence=_in_bokmal(REFUSAL_CONSEQUENCE),
        recorded_by=actor.user,
    )
    proposal.status = ProposalStatus.REFUSED
    proposal.save(update_fields=["status"])
    _end_shared_access(proposal)
    _log_each(
        actor,
        proposal,
        directorate,
        AuditAction.UPDATE,
        {"status": ["accepted", "refused"]},
        summary="forfeits the introduction programme",
    )
    return refusal
