"""Fictional but valid Norwegian identity numbers and DUF numbers, drawn from a seeded generator."""

from __future__ import annotations

import datetime
import random

from bro.people.rules import complete_identity_number


def _individual_ranges(year: int) -> list[tuple[int, int]]:
    """Individual-number ranges that python-stdnum decodes to ``year``'s century."""
    if 1900 <= year <= 1999:
        return [(0, 499), (900, 999)] if year >= 1940 else [(0, 499)]
    if 2000 <= year <= 2039:
        return [(500, 999)]
    raise ValueError(f"no identity numbers for birth year {year}")


def identity_number(
    rng: random.Random, birth_date: datetime.date, sex: str, *, d_number: bool, used: set[str]
) -> str | None:
    """A fødselsnummer (or a D-number: day + 40) for ``birth_date`` that is not in ``used``.

    The ninth digit is odd for men and even for women. Both check digits come from python-stdnum (via the rules),
    so the number passes ``stdnum.no.fodselsnummer.validate``. ``None`` if no free number was found.
    """
    day = birth_date.day + (40 if d_number else 0)
    base = f"{day:02d}{birth_date.month:02d}{birth_date.year % 100:02d}"
    ranges = _individual_ranges(birth_date.year)
    for _attempt in range(400):
        low, high = rng.choice(ranges)
        individual = rng.randint(low, high)
        if sex == "male" and individual % 2 == 0:
            individual = individual + 1 if individual < high else individual - 1
        elif sex == "female" and individual % 2 == 1:
            individual = individual - 1 if individual > low else individual + 1
        number = complete_identity_number(f"{base}{individual:03d}")
        if number is not None and number not in used:
            used.add(number)
            return number
    return None


def duf_number(rng: random.Random, year: int, used: set[str]) -> str:
    """12 digits: the year issued, then 8 digits (UDI's DUF format)."""
    while True:
        number = f"{year:04d}{rng.randrange(10**8):08d}"
        if number not in used:
            used.add(number)
            return number
