"""A small demo, built into the test database for each test (and rolled back after it)."""

from __future__ import annotations

import pytest
from django.utils import timezone

from bro.demo import generator

TODAY = timezone.localdate()
SEED = 7
PERSONS = 300


@pytest.fixture
def demo(db):
    return generator.build(seed=SEED, persons=PERSONS, today=TODAY)
