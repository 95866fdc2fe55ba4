import pytest
from django.utils import timezone

from bro.core.roles import Role
from bro.people import services as people_services
from bro.people.phases import Phase
from bro.settlement import services
from tests.conftest import days_ago, person_input


@pytest.fixture
def actors(users):
    return {
        "imdi": services.Actor(users[Role.NATIONAL_SETTLEMENT_OFFICER]),
        "harstad": services.Actor(users[Role.MUNICIPAL_SETTLEMENT_OFFICER]),
        "reception": services.Actor(users[Role.RECEPTION_STAFF]),
    }


@pytest.fixture
def settle_through_proposal(chain, actors):
    """Propose, accept and settle a ready person's household in a municipality (Harstad by default)."""

    def _settle(person, municipality=None, officer=None):
        municipality = municipality or chain.harstad
        proposal = services.propose(actors["imdi"], person, municipality=municipality)
        officer = officer or actors["harstad"]
        services.answer_proposal(officer, proposal, accept=True)
        return services.settle(officer, proposal, on=timezone.localdate())

    return _settle


@pytest.fixture
def family_reunified(chain, actors):
    """A family-reunified person registered by Harstad and settled there directly (permit → settled)."""

    def _make(name="Reunified"):
        person = people_services.register_person(
            actors["harstad"],
            person_input(given_name=name, family_name="Gjenforentsen", immigrant_category="family_reunified"),
            organisation=chain.harstad,
            initial_phase=Phase.PERMIT_GRANTED,
            phase_date=days_ago(20),
        )
        people_services.record_transition(
            actors["harstad"],
            person,
            phase=Phase.SETTLED,
            on=timezone.localdate(),
            organisation=chain.harstad,
        )
        return person

    return _make
