"""Fixtures for the reception tests, on top of tests/conftest.py's chain and users."""

import pytest

from bro.core.roles import Role
from bro.people.services import Actor
from tests.conftest import make_user


@pytest.fixture
def staff(users):
    return Actor(users[Role.RECEPTION_STAFF])


@pytest.fixture
def host_users(chain, users):
    """Harstad kommune's users by role, one more (a volunteer coordinator) who is not notified."""
    R = Role
    return {
        "officer": users[R.MUNICIPAL_SETTLEMENT_OFFICER],
        "adviser": users[R.PROGRAMME_ADVISER],
        "leader": users[R.LEADERSHIP],
        "nurse": make_user("municipal-nurse", chain.harstad, R.HEALTH_NURSE),
        "admin": make_user("harstad-admin", chain.harstad, R.ADMINISTRATOR),
        "coordinator": make_user("harstad-coordinator", chain.harstad, R.VOLUNTEER_COORDINATOR),
    }
