"""Fixtures for civil-society tests: a signed-up volunteer with a login, onboarded nowhere yet."""

from __future__ import annotations

import pytest

from bro.core.municipalities import municipality_by_number
from bro.volunteering.models import Volunteer


@pytest.fixture
def harstad_municipality(db):
    return municipality_by_number("5503")


@pytest.fixture
def make_volunteer(db, harstad_municipality):
    """``make_volunteer(**fields)``: a volunteer living in Harstad who speaks Arabic and English."""

    def _make(**fields) -> Volunteer:
        values = {
            "given_name": "Kari",
            "family_name": "Nordmann",
            "email": f"kari{Volunteer.objects.count()}@example.no",
            "languages": ["ar", "en"],
            "skills": ["homework"],
            "availability": ["weekday_evening"],
            "municipality": harstad_municipality,
        }
        values.update(fields)
        return Volunteer.objects.create(**values)

    return _make
