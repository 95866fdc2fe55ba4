"""Services of the settlement cycle: each write validated, permission-checked, logged; bad input saves nothing."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from bro.core import policy
from bro.core.models import AuditEntry
from bro.core.roles import Role
from bro.people.models import SharedAccess
from bro.people.phases import Phase
from bro.settlement import selectors, services
from bro.settlement.models import (
    CouncilDecision,
    NationalNeed,
    OfferRefusal,
    ProposalStatus,
    SettlementInterview,
    SettlementProposal,
    SettlementRequest,
)
from tests.conftest import days_ago, make_user

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def _field_codes(exc: ValidationError) -> dict:
    return {f: [e.code for e in errors] for f, errors in exc.error_dict.items()}


# --- the yearly cycle ------------------------------------------------------------------------------


def test_a_revised_request_keeps_the_old_one_as_history(chain, actors):
    year = TODAY().year
    first = services.send_request(
        actors["imdi"],
        year=year,
        municipality=chain.harstad,
        persons=40,
        unaccompanied_minors=0,
        sent_on=TODAY(),
    )
    second = services.send_request(
        actors["imdi"],
        year=year,
        municipality=chain.harstad,
        persons=49,
        unaccompanied_minors=0,
        sent_on=TODAY(),
        note="Økt etter ny prognose",
    )
    first.refresh_from_db()
    assert (first.is_current, first.superseded_by, second.revision, second.is_current) == (
        False,
        second,
        2,
        True,
    )
    assert SettlementRequest.objects.filter(municipality=chain.harstad, year=year).count() == 2
    assert AuditEntry.objects.filter(object_type="settlement.settlementrequest").count() == 2


def test_bad_request_input_is_refused_and_saves_nothing(chain, actors):
    with pytest.raises(ValidationError) as exc:
        services.send_request(
            actors["imdi"],
            year=1990,
            municipality=chain.harstad,
            persons=5,
            unaccompanied_minors=6,
            sent_on=TODAY() + datetime.timedelta(days=1),
        )
    assert _field_codes(exc.value) == {
        "year": ["year_out_of_range"],
        "unaccompanied_minors": ["minors_exceed_persons"],
        "sent_on": ["date_in_future"],
    }
    assert not SettlementRequest.objects.exists()


def test_only_national_settlement_officers_send_requests(chain, actors, users):
    for role in (
        Role.MUNICIPAL_SETTLEMENT_OFFICER,
        Role.RECEPTION_STAFF,
        Role.LEADERSHIP,
        Role.ADMINISTRATOR,
    ):
        with pytest.raises(PermissionDenied):
            services.send_request(
                services.Actor(users[role]),
                year=TODAY().year,
                municipality=chain.harstad,
                persons=1,
                unaccompanied_minors=0,
                sent_on=TODAY(),
            )
    assert not SettlementRequest.objects.exists()


def test_a_request_goes_only_to_a_settlement_municipality(chain, actors):
    with pytest.raises(ValidationError):
        services.send_request(
            actors["imdi"],
            year=TODAY().year,
            municipality=chain.nav,
            persons=1,
            unaccompanied_minors=0,
            sent_on=TODAY(),
        )


def test_the_municipality_records_its_own_decision_not_anothers(chain, actors):
    decision = services.record_decision(
        actors["harstad"],
        municipality=chain.harstad,
        year=TODAY().year,
        persons=10,
        unaccompanied_minors=0,
        decided_on=TODAY(),
        body="council",
        reference="PS 12/26",
    )
    assert decision.is_current
    with pytest.raises(PermissionDenied):
        services.record_decision(
            actors["harstad"],
            municipality=chain.tromso,
            year=TODAY().year,
            persons=10,
            unaccompanied_minors=0,
            decided_on=TODAY(),
            body="council",
        )
    with pytest.raises(ValidationError) as exc:
        services.record_decision(
            actors["harstad"],
            municipality=chain.harstad,
            year=TODAY().year,
            persons=10,
            unaccompanied_minors=0,
            decided_on=TODAY() + datetime.timedelta(days=1),
            body="council",
        )
    assert _field_codes(exc.value) == {"decided_on": ["date_in_future"]}
    assert CouncilDecision.objects.count() == 1


def test_the_national_need_and_its_county_split(chain, actors):
    need = services.set_national_need(
        actors["imdi"], year=TODAY().year, persons=5000, unaccompanied_minors=200, counties={"55": (400, 20)}
    )
    assert need.counties.get().county_name
    with pytest.raises(ValidationError) as exc:
        services.set_national_need(
            actors["imdi"],
            year=TODAY().year,
            persons=100,
            unaccompanied_minors=10,
            counties={"55": (90, 5), "18": (20, 0)},
        )
    assert _field_codes(exc.value) == {"counties": ["split_exceeds_need"]}
    with pytest.raises(ValidationError) as exc:
        services.set_national_need(
            actors["imdi"], year=TODAY().year, persons=100, unaccompanied_minors=10, counties={"99": (1, 0)}
        )
    assert _field_codes(exc.value) == {"counties": ["unknown_county"]}
    assert NationalNeed.objects.get().pk == need.pk


# --- the interview ------------------------------------------------------------------------------


def test_completing_the_interview_makes_the_person_ready_for_settlement(arrive, actors):
    person = arrive(Phase.PERMIT_GRANTED)
    data = services.InterviewInput(
        conducted_on=TODAY(),
        education="Lærerutdanning",
        health_needs="Trenger oppfølging",
        health_consent_date=TODAY(),
    )
    services.save_interview(actors["reception"], person, data, complete=True)
    person.refresh_from_db()
    assert person.current_phase == Phase.READY_FOR_SETTLEMENT
    interview = SettlementInterview.objects.get(person=person)
    assert interview.completed_at is not None and interview.education == "Lærerutdanning"
    entry = AuditEntry.objects.filter(object_type="settlement.settlementinterview").get()
    assert "Trenger" not in str(entry.changes)  # the log says what changed, not the health data


def test_health_needs_need_consent_and_nothing_is_saved_without_it(arrive, actors):
    person = arrive(Phase.PERMIT_GRANTED)
    with pytest.raises(ValidationError) as exc:
        services.save_interview(
            actors["reception"],
            person,
            services.InterviewInput(conducted_on=TODAY(), health_needs="Diabetes"),
            complete=True,
        )
    assert _field_codes(exc.value) == {"health_needs": ["health_needs_need_consent"]}
    person.refresh_from_db()
    assert person.current_phase == Phase.PERMIT_GRANTED
    assert not SettlementInterview.objects.exists()


def test_the_interview_is_for_the_centre_responsible_and_before_the_permit_is_refused(arrive, actors, chain):
    person = arrive(Phase.PERMIT_GRANTED)
    for actor in (
        actors["imdi"],
        actors["harstad"],
        services.Actor(make_user("t-staff", chain.centre_tromso, Role.RECEPTION_STAFF)),
    ):
        with pytest.raises(PermissionDenied):
            services.save_interview(
                actor, person, services.InterviewInput(conducted_on=TODAY()), complete=False
            )
    with pytest.raises(ValidationError) as exc:
        services.save_interview(
            actors["reception"], person, services.InterviewInput(conducted_on=days_ago(350)), complete=False
        )
    assert _field_codes(exc.value) == {"conducted_on": ["date_before_permit"]}
    resident = arrive(Phase.RECEPTION)
    with pytest.raises(ValidationError):
        services.save_interview(
            actors["reception"], resident, services.InterviewInput(conducted_on=TODAY()), complete=True
        )
    assert not SettlementInterview.objects.exists()


# --- proposals ------------------------------------------------------------------------------------


def test_a_pending_proposal_gives_the_municipality_read_access_until_it_declines(
    arrive, actors, chain, users
):
    person = arrive(Phase.READY_FOR_SETTLEMENT)
    tromso_officer = make_user("t-officer", chain.tromso, Role.MUNICIPAL_SETTLEMENT_OFFICER)
    assert not policy.access_to_person(tromso_officer, person).can_read
    proposal = services.propose(actors["imdi"], person, municipality=chain.tromso)
    grant = SharedAccess.objects.get(person=person, organisation=chain.tromso)
    assert grant.legal_basis.startswith("Integreringsloven § 10")
    tromso_officer = make_user("t-officer", chain.tromso, Role.MUNICIPAL_SETTLEMENT_OFFICER)  # fresh cache
    access = policy.access_to_person(tromso_officer, person)
    assert (access.can_read, access.can_write, access.reason) == (True, False, "shared")
    with pytest.raises(ValidationError):
        services.answer_proposal(services.Actor(tromso_officer), proposal, accept=False, reason="  ")
    with pytest.raises(PermissionDenied):
        services.answer_proposal(actors["harstad"], proposal, accept=True)
    services.answer_proposal(services.Actor(tromso_officer), proposal, accept=False, reason="Ingen bolig")
    tromso_officer = make_user("t-officer", chain.tromso, Role.MUNICIPAL_SETTLEMENT_OFFICER)
    assert not policy.access_to_person(tromso_officer, person).can_read
    proposal.refresh_from_db()
    assert (proposal.status, proposal.answer_reason) == (ProposalStatus.DECLINED, "Ingen bolig")


def test_one_open_proposal_per_household(arrive, actors, chain):
    person = arrive(Phase.READY_FOR_SETTLEMENT)
    services.propose(actors["imdi"], person, municipality=chain.harstad)
    with pytest.raises(ValidationError) as exc:
        services.propose(actors["imdi"], person, municipality=chain.tromso)
    assert _field_codes(exc.value) == {"__all__": ["proposal_already_open"]}
    assert SettlementProposal.objects.count() == 1


def test_only_ready_households_are_proposed(arrive, actors, chain):
    with pytest.raises(PermissionDenied):
        # Before the interview the directorate is not responsible for the person.
        services.propose(actors["imdi"], arrive(Phase.PERMIT_GRANTED), municipality=chain.harstad)
    with pytest.raises(PermissionDenied):
        services.propose(actors["harstad"], arrive(Phase.READY_FOR_SETTLEMENT), municipality=chain.harstad)
    assert not SettlementProposal.objects.exists()


def test_accepted_household_is_settled_on_a_date_and_the_municipality_becomes_responsible(
    arrive, actors, chain, settle_through_proposal
):
    person = arrive(Phase.READY_FOR_SETTLEMENT)
    proposal = settle_through_proposal(person)
    person.refresh_from_db()
    assert (person.current_phase, person.responsible_organisation) == (Phase.SETTLED, chain.harstad)
    assert (proposal.status, proposal.settled_on) == (ProposalStatus.SETTLED, TODAY())
    assert SharedAccess.objects.get(person=person).revoked_at is not None
    event = person.phase_events.get(phase=Phase.SETTLED)
    assert event.recorded_for == chain.harstad


def test_settling_needs_an_accepted_proposal_and_a_sane_date(arrive, actors, chain):
    person = arrive(Phase.READY_FOR_SETTLEMENT)
    proposal = services.propose(actors["imdi"], person, municipality=chain.harstad)
    with pytest.raises(ValidationError):
        services.settle(actors["harstad"], proposal, on=TODAY())
    services.answer_proposal(actors["harstad"], proposal, accept=True)
    with pytest.raises(ValidationError) as exc:
        services.settle(actors["harstad"], proposal, on=TODAY() + datetime.timedelta(days=1))
    assert _field_codes(exc.value) == {"date": ["date_in_future"]}
    with pytest.raises(ValidationError):
        services.settle(actors["harstad"], proposal, on=days_ago(1))  # before the proposal
    with pytest.raises(PermissionDenied):
        services.settle(actors["imdi"], proposal, on=TODAY())
    person.refresh_from_db()
    assert person.current_phase == Phase.READY_FOR_SETTLEMENT


def test_a_refused_offer_is_recorded_with_its_consequence_and_blocks_a_new_ordinary_proposal(
    arrive, actors, chain
):
    """004:L1264–1270: one offer; refusing forfeits the introduction programme."""
    person = arrive(Phase.READY_FOR_SETTLEMENT)
    proposal = services.propose(actors["imdi"], person, municipality=chain.harstad)
    services.answer_proposal(actors["harstad"], proposal, accept=True)
    refusal = services.record_refusal(actors["imdi"], proposal, refused_on=TODAY(), reason="Vil bo i Oslo")
    assert refusal.forfeits_introduction_programme and "introduksjonsprogram" in refusal.consequence
    with pytest.raises(ValidationError) as exc:
        services.propose(actors["imdi"], person, municipality=chain.tromso)
    assert _field_codes(exc.value) == {"override_reason": ["offer_already_refused"]}
    again = services.propose(
        actors["imdi"], person, municipality=chain.tromso, override_reason="Ny helsesituasjon"
    )
    assert again.override_reason == "Ny helsesituasjon"
    assert OfferRefusal.objects.count() == 1


# --- acceptance point 2: decision 10, request 20 ------------------------------------------------------


def test_decision_10_request_20_the_11th_ordinary_settlement_is_flagged_family_reunification_not_counted(
    arrive, actors, chain, settle_through_proposal, family_reunified
):
    year = TODAY().year
    services.send_request(
        actors["imdi"],
        year=year,
        municipality=chain.harstad,
        persons=20,
        unaccompanied_minors=6,
        sent_on=TODAY(),
    )
    services.record_decision(
        actors["harstad"],
        municipality=chain.harstad,
        year=year,
        persons=10,
        unaccompanied_minors=0,
        decided_on=TODAY(),
        body="council",
    )
    proposals = []
    for i in range(10):
        proposals.append(settle_through_proposal(arrive(Phase.READY_FOR_SETTLEMENT, given_name=f"P{i}")))
    family_reunified()
    eleventh = settle_through_proposal(arrive(Phase.READY_FOR_SETTLEMENT, given_name="Eleventh"))
    assert not any(p.exceeds_decision for p in proposals)
    assert eleventh.exceeds_decision

    overview = selectors.municipality_overview(actors["harstad"].user, chain.harstad, year)
    assert (overview["request"].persons, overview["decision"].persons) == (20, 10)
    count = overview["count"]
    assert (count.ordinary, count.family_reunification, count.exceeded_by) == (11, 1, 1)

    national = selectors.national_overview(year)
    row = next(m for c in national["counties"] for m in c.municipalities if m.number == "5503")
    assert (row.request, row.decision, row.ordinary, row.family, row.exceeds, row.gap) == (
        20,
        10,
        11,
        1,
        True,
        -10,
    )
