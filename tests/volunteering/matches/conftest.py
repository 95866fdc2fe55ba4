"""Fixtures for matches: a settled family in Harstad (a mother and a child), a volunteer with a login
onboarded with Harstad frivilligsentral except the police certificate, and a match asked for by the family's
programme adviser."""

from __future__ import annotations

import pytest

from bro.core.roles import Role
from bro.people import services as people_services
from bro.people.models import Household, HouseholdMember
from bro.people.phases import Relation
from bro.volunteering.matches import services
from bro.volunteering.models import Onboarding
from tests.conftest import days_ago


@pytest.fixture
def family(arrive):
    """Amina Haddad (settled in Harstad, Arabic) with her son Omar (8) in one household."""
    mother = arrive("settled", phone="+4799999999", email="amina@example.no", address="Storgata 1")
    household = Household.objects.create()
    HouseholdMember.objects.create(household=household, person=mother, relation=Relation.PRINCIPAL)
    child = mother.__class__.objects.create(
        given_name="Omar",
        family_name="Haddad",
        birth_date=days_ago(8 * 366),
        sex="male",
        immigrant_category=mother.immigrant_category,
        responsible_organisation=mother.responsible_organisation,
    )
    HouseholdMember.objects.create(household=household, person=child, relation=Relation.CHILD)
    return mother


@pytest.fixture
def caseworker(users):
    return people_services.Actor(users[Role.PROGRAMME_ADVISER])


@pytest.fixture
def coordinator(users):
    return services.Actor(users[Role.VOLUNTEER_COORDINATOR])


@pytest.fixture
def volunteer(chain, users, make_volunteer):
    """Kari, the demo login "volunteer", onboarded with the centre except the police certificate."""
    kari = make_volunteer(user=users[Role.VOLUNTEER], interests=["friend_family"])
    Onboarding.objects.create(
        volunteer=kari,
        organisation=chain.volunteer_centre,
        information_meeting_on=days_ago(20),
        training_on=days_ago(15),
        commitment_signed_on=days_ago(15),
    )
    return kari


@pytest.fixture
def make_match(chain, caseworker):
    def _make(person, **values):
        fields = {
            "organisation": chain.volunteer_centre,
            "kind": "friend_family",
            "need": "A friend family to show the town and practise Norwegian",
            "with_household": True,
        }
        fields.update(values)
        return services.request_match(caseworker, person, **fields)

    return _make
