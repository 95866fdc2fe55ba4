"""Issue 3, acceptance 1: one family and one unaccompanied minor walk from reception through permit,
settlement interview, proposal, acceptance, housing allocation and settlement. Every intermediate state
is checked, and so is who can see (and change) each person at each step.

They live in Tromsø's reception centre (Tromsø is the host municipality) and are settled in Harstad.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from bro.core import policy
from bro.core.roles import Role
from bro.people import services as people
from bro.people.models import HouseholdMember, Person
from bro.people.phases import Phase
from bro.settlement import services as settlement
from bro.settlement.housing import selectors as housing_selectors
from bro.settlement.housing import services as housing
from bro.settlement.models import ProposalStatus, SettlementInterview
from tests.conftest import days_ago, make_user, person_input

NONE, READ, WRITE = "none", "read", "write"


def _level(user, person) -> str:
    access = policy.access_to_person(user, person)
    return WRITE if access.can_write else READ if access.can_read else NONE


@pytest.fixture
def cast(chain, users):
    """Everyone whose view of the persons changes along the way."""
    return {
        "centre": make_user("tromso-mottak", chain.centre_tromso, Role.RECEPTION_STAFF),
        "host": make_user("tromso-kommune", chain.tromso, Role.MUNICIPAL_SETTLEMENT_OFFICER),
        "imdi": users[Role.NATIONAL_SETTLEMENT_OFFICER],
        "harstad": users[Role.MUNICIPAL_SETTLEMENT_OFFICER],
        "harstad_centre": users[Role.RECEPTION_STAFF],  # Harstad mottak: never involved
        "teacher": users[Role.TEACHER],
        "volunteer": users[Role.VOLUNTEER],
    }


def _expect(cast, persons, **levels):
    """Assert the access level of each named user to each person; unnamed users see nothing."""
    for name, user in cast.items():
        wanted = levels.get(name, NONE)
        for person in persons:
            assert _level(user, person) == wanted, (
                f"{name} → {person}: {_level(user, person)}, wanted {wanted}"
            )


def _refresh(persons):
    return [Person.objects.get(pk=p.pk) for p in persons]


def _walk_to_permit(actor, persons, centre):
    for person in persons:
        people.record_transition(actor, person, phase=Phase.RECEPTION, on=days_ago(199), organisation=centre)
        people.record_transition(actor, person, phase=Phase.PERMIT_GRANTED, on=days_ago(60))


def _interview(actor, person):
    return settlement.save_interview(
        actor,
        person,
        settlement.InterviewInput(
            conducted_on=days_ago(30),
            education="Grunnskole og to år videregående",
            work_experience="Snekker i seks år",
            family_ties="Ingen familie i Norge",
            network_ties="Kjenner en familie i Harstad",
            wishes="Nær skole for barna",
        ),
        complete=True,
    )


@pytest.mark.parametrize("kind", ["family", "unaccompanied_minor"])
def test_a_household_walks_from_reception_to_its_first_key(kind, chain, users, cast):
    centre_actor = people.Actor(cast["centre"])
    imdi = people.Actor(cast["imdi"])
    harstad = people.Actor(cast["harstad"])
    today = timezone.localdate()

    # Arrival at Tromsø's centre.
    if kind == "family":
        principal = people.register_person(
            centre_actor,
            person_input(
                given_name="Yonas",
                family_name="Tesfay",
                sex="male",
                nationalities=["ER"],
                birth_date=datetime.date(1988, 3, 2),
            ),
            organisation=chain.centre_tromso,
            initial_phase=Phase.ARRIVAL,
            phase_date=days_ago(200),
        )
        spouse = people.register_person(
            centre_actor,
            person_input(
                given_name="Selam",
                family_name="Tesfay",
                nationalities=["ER"],
                birth_date=datetime.date(1991, 7, 14),
            ),
            organisation=chain.centre_tromso,
            initial_phase=Phase.ARRIVAL,
            phase_date=days_ago(200),
            family_of=principal,
            relation="spouse",
        )
        child = people.register_person(
            centre_actor,
            person_input(
                given_name="Mika",
                family_name="Tesfay",
                nationalities=["ER"],
                birth_date=datetime.date(2019, 1, 9),
            ),
            organisation=chain.centre_tromso,
            initial_phase=Phase.ARRIVAL,
            phase_date=days_ago(200),
            family_of=principal,
            relation="child",
        )
        persons = [principal, spouse, child]
    else:
        principal = people.register_person(
            centre_actor,
            person_input(
                given_name="Ahmad",
                family_name="Rahimi",
                sex="male",
                nationalities=["AF"],
                birth_date=today.replace(year=today.year - 16) - datetime.timedelta(days=40),
            ),
            organisation=chain.centre_tromso,
            initial_phase=Phase.ARRIVAL,
            phase_date=days_ago(200),
            unaccompanied_minor=True,
        )
        persons = [principal]
    household = HouseholdMember.objects.get(person=principal).household
    assert household.members.count() == len(persons)
    assert household.is_unaccompanied_minor == (kind == "unaccompanied_minor")
    # The centre registers and is responsible; the host municipality shares the responsibility.
    _expect(cast, persons, centre=WRITE, host=WRITE)

    # Reception, then the permit: nothing changes in who is responsible.
    _walk_to_permit(centre_actor, persons, chain.centre_tromso)
    persons = _refresh(persons)
    assert {p.current_phase for p in persons} == {Phase.PERMIT_GRANTED}
    _expect(cast, persons, centre=WRITE, host=WRITE)
    # The directorate cannot propose before the settlement interview.
    with pytest.raises(PermissionDenied):
        settlement.propose(imdi, principal, municipality=chain.harstad)

    # The settlement interview makes each person ready; the directorate joins to assign a municipality.
    for person in persons:
        _interview(centre_actor, person)
    persons = _refresh(persons)
    assert {p.current_phase for p in persons} == {Phase.READY_FOR_SETTLEMENT}
    assert SettlementInterview.objects.filter(person__in=persons, completed_at__isnull=False).count() == len(
        persons
    )
    _expect(cast, persons, centre=WRITE, host=WRITE, imdi=WRITE)

    # The directorate proposes Harstad: Harstad may read the household to decide, nothing more.
    proposal = settlement.propose(imdi, persons[0], municipality=chain.harstad)
    assert proposal.status == ProposalStatus.PENDING and proposal.persons == len(persons)
    _expect(cast, persons, centre=WRITE, host=WRITE, imdi=WRITE, harstad=READ)

    # Harstad accepts and finds a home before the family comes; a too-small unit is refused.
    proposal = settlement.answer_proposal(harstad, proposal, accept=True)
    assert proposal.status == ProposalStatus.ACCEPTED
    _expect(cast, persons, centre=WRITE, host=WRITE, imdi=WRITE, harstad=READ)
    if kind == "family":
        studio = housing.create_unit(
            harstad,
            chain.harstad,
            housing.UnitInput(
                address="Sjøgata 3, 9405 Harstad",
                size_m2=24,
                rooms=1,
                bedrooms=0,
                monthly_rent=Decimal("6500.00"),
                ownership="private",
                available_from=days_ago(10),
            ),
        )
        with pytest.raises(ValidationError) as too_small:
            housing.allocate_unit(harstad, studio, household, from_date=today)
        assert "unit" in too_small.value.message_dict
        assert not housing_selectors.housed_household_ids(chain.harstad, [household.id])
    bedrooms = 2 if kind == "family" else 1
    unit = housing.create_unit(
        harstad,
        chain.harstad,
        housing.UnitInput(
            address="Storgata 12, 9405 Harstad",
            size_m2=30 * bedrooms + 20,
            rooms=bedrooms + 1,
            bedrooms=bedrooms,
            monthly_rent=Decimal("9500.00"),
            ownership="municipal",
            available_from=days_ago(10),
        ),
    )
    allocation = housing.allocate_unit(harstad, unit, household, from_date=today)
    assert allocation.unit == unit
    assert housing_selectors.housed_household_ids(chain.harstad, [household.id]) == {household.id}

    # Harstad's council decided this year's number earlier; this household fits within it.
    settlement.record_decision(
        harstad,
        municipality=chain.harstad,
        year=today.year,
        persons=10,
        unaccompanied_minors=2,
        decided_on=today.replace(month=1, day=15) if today.month > 1 else today,
        body="council",
    )

    # Settled today: Harstad is responsible; the centre, its host municipality and the directorate keep history.
    proposal = settlement.settle(harstad, proposal, on=today)
    assert proposal.status == ProposalStatus.SETTLED and not proposal.exceeds_decision
    persons = _refresh(persons)
    assert {p.current_phase for p in persons} == {Phase.SETTLED}
    assert {p.responsible_organisation_id for p in persons} == {chain.harstad.id}
    _expect(cast, persons, centre=READ, host=READ, imdi=READ, harstad=WRITE)
    # The interview travelled with them: Harstad reads it now.
    assert all(
        policy.access_to_person(cast["harstad"], p).can_read
        and SettlementInterview.objects.filter(person=p).exists()
        for p in persons
    )
