"""Shared fixtures: a small chain of organisations, a user for every role, and persons along the chain.

Two settlement municipalities (Harstad, Tromsø), a reception centre in each (Harstad's hosts it),
the directorate, Harstad's adult-education centre, NAV office, health service, volunteer centre.
Persons are created through the services, so the fixtures exercise the same rules as the product.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest
from django.utils import timezone

from bro.core.models import Membership, Organisation, User
from bro.core.municipalities import municipality_by_number
from bro.core.roles import CentreType, OperatorKind, OrganisationKind, Role
from bro.people import services
from bro.people.phases import Phase

PASSWORD = "correct-horse-battery-staple"

# Counts that tests report (access-matrix cases, pages checked by axe), printed after the run.
_SUMMARY_LINES: list[str] = []


@pytest.fixture(scope="session")
def report_line():
    """Call with a line of text to have it printed in pytest's closing summary."""
    return _SUMMARY_LINES.append


def pytest_terminal_summary(terminalreporter):
    for line in _SUMMARY_LINES:
        terminalreporter.write_line(line)


@pytest.fixture(autouse=True)
def _fast_hashing(settings):
    # Argon2 is what production uses (tested in tests/core/test_auth.py); MD5 keeps the suite fast.
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        "django.contrib.auth.hashers.Argon2PasswordHasher",
    ]


@dataclass
class Chain:
    directorate: Organisation
    harstad: Organisation
    tromso: Organisation
    centre_harstad: Organisation
    centre_tromso: Organisation
    adult_education: Organisation
    nav: Organisation
    health: Organisation
    volunteer_centre: Organisation
    volunteer_org: Organisation


def make_org(kind, name, number=None, **extra) -> Organisation:
    municipality = municipality_by_number(number) if number else None
    return Organisation.objects.create(kind=kind, name=name, municipality=municipality, **extra)


@pytest.fixture
def chain(db) -> Chain:
    K = OrganisationKind
    return Chain(
        directorate=make_org(K.DIRECTORATE, "IMDi"),
        harstad=make_org(
            K.MUNICIPALITY,
            "Harstad kommune",
            "5503",
            is_host_municipality=True,
            is_settlement_municipality=True,
        ),
        tromso=make_org(
            K.MUNICIPALITY,
            "Tromsø kommune",
            "5501",
            is_host_municipality=True,
            is_settlement_municipality=True,
        ),
        centre_harstad=make_org(
            K.RECEPTION_CENTRE,
            "Harstad mottak",
            "5503",
            operator_kind=OperatorKind.MUNICIPAL,
            centre_type=CentreType.ORDINARY,
        ),
        centre_tromso=make_org(
            K.RECEPTION_CENTRE,
            "Tromsø mottak",
            "5501",
            operator_kind=OperatorKind.PRIVATE,
            centre_type=CentreType.ORDINARY,
        ),
        adult_education=make_org(K.ADULT_EDUCATION, "Harstad voksenopplæring", "5503"),
        nav=make_org(K.NAV_OFFICE, "NAV Harstad", "5503"),
        health=make_org(K.HEALTH_SERVICE, "Harstad helsestasjon", "5503"),
        volunteer_centre=make_org(K.VOLUNTEER_CENTRE, "Harstad frivilligsentral", "5503"),
        volunteer_org=make_org(K.VOLUNTEER_ORGANISATION, "Røde Kors Harstad", "5503"),
    )


def make_user(username: str, organisation: Organisation, role: str) -> User:
    """A user with one role; asking again for the same username returns the same user."""
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User.objects.create_user(username=username, password=PASSWORD, first_name=username.title())
    Membership.objects.get_or_create(user=user, organisation=organisation, role=role)
    return user


@pytest.fixture
def users(chain) -> dict[str, User]:
    """One user per role, in the organisation that role most naturally belongs to."""
    R = Role
    return {
        R.ADMINISTRATOR: make_user("admin", chain.directorate, R.ADMINISTRATOR),
        R.NATIONAL_SETTLEMENT_OFFICER: make_user("imdi", chain.directorate, R.NATIONAL_SETTLEMENT_OFFICER),
        R.MUNICIPAL_SETTLEMENT_OFFICER: make_user("harstad", chain.harstad, R.MUNICIPAL_SETTLEMENT_OFFICER),
        R.PROGRAMME_ADVISER: make_user("programme", chain.harstad, R.PROGRAMME_ADVISER),
        R.TEACHER: make_user("teacher", chain.adult_education, R.TEACHER),
        R.HEALTH_NURSE: make_user("nurse", chain.health, R.HEALTH_NURSE),
        R.RECEPTION_STAFF: make_user("reception", chain.centre_harstad, R.RECEPTION_STAFF),
        R.VOLUNTEER_COORDINATOR: make_user("coordinator", chain.volunteer_centre, R.VOLUNTEER_COORDINATOR),
        R.VOLUNTEER: make_user("volunteer", chain.volunteer_org, R.VOLUNTEER),
        R.LEADERSHIP: make_user("leader", chain.harstad, R.LEADERSHIP),
    }


def days_ago(n: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=n)


def person_input(**overrides) -> services.PersonInput:
    values = {
        "given_name": "Amina",
        "family_name": "Haddad",
        "birth_date": datetime.date(1990, 5, 17),
        "sex": "female",
        "immigrant_category": "asylum_seeker",
        "nationalities": ["SY"],
        "languages": [services.LanguageInput("ar", is_preferred=True, needs_interpreter=True)],
    }
    values.update(overrides)
    return services.PersonInput(**values)


@pytest.fixture
def arrive(chain, users):
    """Register an asylum seeker at a reception centre and walk them to ``phase``."""

    def _arrive(phase: str = Phase.RECEPTION, *, centre=None, settle_in=None, **overrides) -> object:
        centre = centre or chain.centre_harstad
        staff = services.Actor(users[Role.RECEPTION_STAFF])
        if centre != chain.centre_harstad:
            staff = services.Actor(make_user(f"staff-{centre.pk.hex[:6]}", centre, Role.RECEPTION_STAFF))
        person = services.register_person(
            staff,
            person_input(**overrides),
            organisation=centre,
            initial_phase=Phase.ARRIVAL,
            phase_date=days_ago(400),
        )
        steps = [
            (Phase.RECEPTION, 399, centre),
            (Phase.PERMIT_GRANTED, 300, None),
            (Phase.READY_FOR_SETTLEMENT, 250, None),
            (Phase.SETTLED, 200, settle_in or chain.harstad),
            (Phase.IN_PROGRAMME, 150, None),
        ]
        municipality_actor = None
        for target, ago, org in steps:
            if person.current_phase == phase:
                break
            actor = municipality_actor or staff
            services.record_transition(actor, person, phase=target, on=days_ago(ago), organisation=org)
            person.refresh_from_db()
            if target == Phase.SETTLED:
                settler = settle_in or chain.harstad
                municipality_actor = services.Actor(
                    users[Role.MUNICIPAL_SETTLEMENT_OFFICER]
                    if settler == chain.harstad
                    else make_user(
                        f"officer-{settler.pk.hex[:6]}", settler, Role.MUNICIPAL_SETTLEMENT_OFFICER
                    )
                )
        assert person.current_phase == phase, f"could not walk to {phase}"
        return person

    return _arrive
