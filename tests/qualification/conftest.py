"""Fixtures for qualification tests: an adviser and a participant who is mapped, planned and started."""

from __future__ import annotations

from decimal import Decimal

import pytest

from bro.core.roles import Role
from bro.people import services as people_services
from bro.people.phases import Phase
from bro.qualification import services as q
from tests.conftest import days_ago, person_input


@pytest.fixture
def adviser_actor(users) -> q.Actor:
    return q.Actor(users[Role.PROGRAMME_ADVISER])


def standard_measures(start, end) -> list[q.MeasureInput]:
    """Norwegian 15 h + social studies 5 h + work placement 15 h a week (004:L1370–1423)."""
    return [
        q.MeasureInput(
            kind="norwegian", hours_per_week=Decimal("15"), start=start, end=end, provider="Voksenopplæringen"
        ),
        q.MeasureInput(kind="social_studies", hours_per_week=Decimal("5"), start=start, end=end),
        q.MeasureInput(
            kind="work_placement",
            hours_per_week=Decimal("15"),
            days_per_week=2,
            start=start,
            end=end,
            provider="Coop",
        ),
    ]


@pytest.fixture
def open_participant(arrive, chain, adviser_actor):
    """A person settled in Harstad 200 days ago with an open case assigned to Harstad's adult education."""
    person = arrive(Phase.SETTLED)
    return q.open_case(adviser_actor, person, adult_education=chain.adult_education)


@pytest.fixture
def participant(open_participant, adviser_actor):
    """The open case, mapped, with a plan, started within the deadline (190 days ago)."""
    p = open_participant
    q.save_mapping(adviser_actor, p, q.MappingInput(completed_on=days_ago(196), norwegian_level="A1"))
    q.save_plan(adviser_actor, p, standard_measures(days_ago(190), days_ago(-500)), valid_from=days_ago(192))
    q.start_programme(adviser_actor, p, on=days_ago(190))
    p.refresh_from_db()
    return p


@pytest.fixture
def settle(chain, users):
    """``settle(days_ago_settled, **person fields)``: a person who arrived at Harstad's centre, got a permit
    and was settled in Harstad ``days_ago_settled`` days ago, through the services."""

    def _settle(settled_days_ago: int = 200, municipality=None, **overrides):
        municipality = municipality or chain.harstad
        staff = people_services.Actor(users[Role.RECEPTION_STAFF])
        d = settled_days_ago
        person = people_services.register_person(
            staff,
            person_input(**overrides),
            organisation=chain.centre_harstad,
            initial_phase=Phase.ARRIVAL,
            phase_date=days_ago(d + 200),
        )
        for phase, ago, org in [
            (Phase.RECEPTION, d + 199, chain.centre_harstad),
            (Phase.PERMIT_GRANTED, d + 100, None),
            (Phase.READY_FOR_SETTLEMENT, d + 50, None),
        ]:
            people_services.record_transition(staff, person, phase=phase, on=days_ago(ago), organisation=org)
        # The centre records the settlement, as it does in the product (the municipality is not yet responsible).
        people_services.record_transition(
            staff, person, phase=Phase.SETTLED, on=days_ago(d), organisation=municipality
        )
        person.refresh_from_db()
        return person

    return _settle
