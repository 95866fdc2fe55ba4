"""Valid Norwegian identity numbers for tests, built from a birth date (not real persons' numbers)."""

from __future__ import annotations

import datetime
import itertools

from stdnum.no import fodselsnummer

from bro.people.rules import complete_identity_number

_counter = itertools.count(100)
_issued: set[str] = set()


def identity_number(birth_date: datetime.date, *, d_number: bool = False) -> str:
    """A fødselsnummer (or D-number) with valid check digits for ``birth_date``, unique per call."""
    day = birth_date.day + (40 if d_number else 0)
    head = f"{day:02d}{birth_date.month:02d}{birth_date.year % 100:02d}"
    if 1900 <= birth_date.year <= 1999:
        individuals = range(0, 500)
    elif 2000 <= birth_date.year <= 2039:
        individuals = range(500, 1000)
    else:
        raise ValueError("birth year outside the ranges these tests use")
    start = next(_counter)
    for offset in range(len(individuals)):
        individual = individuals[(start + offset) % len(individuals)]
        number = complete_identity_number(f"{head}{individual:03d}")
        if number is None or number in _issued:
            continue
        assert fodselsnummer.is_valid(number)
        _issued.add(number)
        return number
    raise AssertionError("no valid identity number for this date")


def with_bad_checksum(number: str) -> str:
    """The same number with its last check digit changed, so the checksum fails."""
    return number[:-1] + str((int(number[-1]) + 1) % 10)


_duf_counter = itertools.count(1)


def duf_number(year: int = 2023) -> str:
    """A well-formed, unique DUF number (12 digits, starting with the year issued)."""
    return f"{year}{next(_duf_counter):08d}"
