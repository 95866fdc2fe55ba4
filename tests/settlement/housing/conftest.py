"""Households along the chain and published self-settlement terms, made through the services."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from bro.core.roles import Role
from bro.people.models import Household, HouseholdMember
from bro.people.phases import Phase
from bro.settlement.housing import services
from tests.conftest import days_ago, make_user


def make_household(*persons) -> Household:
    household = Household.objects.create()
    for i, person in enumerate(persons):
        HouseholdMember.objects.create(
            household=household, person=person, relation="principal" if i == 0 else "child"
        )
    return household


@pytest.fixture
def officers(chain, users) -> dict:
    return {
        "harstad": services.Actor(users[Role.MUNICIPAL_SETTLEMENT_OFFICER]),
        "tromso": services.Actor(
            make_user("tromso-officer", chain.tromso, Role.MUNICIPAL_SETTLEMENT_OFFICER)
        ),
        "reception": services.Actor(users[Role.RECEPTION_STAFF]),
        "imdi": services.Actor(users[Role.NATIONAL_SETTLEMENT_OFFICER]),
    }


def terms_input(**overrides) -> services.TermsInput:
    values = {
        "allows": True,
        "target_groups": ["families", "own_network"],
        "must_find_new_housing_if_moving": True,
        "deposit_help": True,
        "other_terms_nb": "Kontrakten må gjelde i minst tre år.",
        "contact_name": "Flyktningtjenesten",
        "contact_email": "bosetting@example.org",
        "published": True,
    }
    values.update(overrides)
    return services.TermsInput(**values)


@pytest.fixture
def published_terms(chain, officers):
    """Harstad and Tromsø allow agreed self-settlement and have published their terms."""
    return {
        "harstad": services.save_terms(officers["harstad"], chain.harstad, terms_input()),
        "tromso": services.save_terms(
            officers["tromso"],
            chain.tromso,
            terms_input(other_terms_en="The contract must run for three years."),
        ),
    }


@pytest.fixture
def family(arrive):
    """``family(phase, size, **arrive options)``: a household of ``size`` persons all in ``phase``."""

    def _family(phase=Phase.READY_FOR_SETTLEMENT, size=2, family_name="Familiesen", **options):
        names = ["Amina", "Yusuf", "Hana", "Omar", "Lina", "Sami", "Nour"]
        persons = [
            arrive(phase, given_name=names[i % len(names)], family_name=family_name, **options)
            for i in range(size)
        ]
        return make_household(*persons)

    return _family


def request_input(**overrides) -> services.RequestInput:
    values = {
        "landlord": "Nordbolig AS",
        "address": "Storgata 10, 9008 Tromsø",
        "monthly_rent": Decimal("9500"),
        "deposit": Decimal("28500"),
        "rooms": 3,
        "contract_start": days_ago(-30),
    }
    values.update(overrides)
    return services.RequestInput(**values)


def unit_input(**overrides) -> services.UnitInput:
    values = {
        "address": "Sjøgata 5, 9405 Harstad",
        "size_m2": 62,
        "rooms": 3,
        "bedrooms": 2,
        "monthly_rent": Decimal("9800"),
        "ownership": "municipal",
        "available_from": days_ago(100),
        "accessible": False,
        "note": "",
    }
    values.update(overrides)
    return services.UnitInput(**values)


def a_while_ago(days: int) -> datetime.date:
    return days_ago(days)
