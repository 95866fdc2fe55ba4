"""Structured matching inputs, read from the database for the matching run.

The matching run (issue 4) turns persons, households and municipalities into the pure problem in
``bro.settlement.matching``; these functions are its only way to read the features, so that the defaults
for missing data live in one place:

* ``person_features(person, profile_or_None, on=date)`` → ``features.PersonFeatures``
* ``household_inputs(persons)`` → ``(needs, tie municipality number or None)``
* ``municipality_inputs(year)`` → ``{municipality number: (MunicipalityFeatures, services)}``

Defaults when a person has no matching profile (or a field is empty) are the medians of the arrivals
``features.sample_persons`` describes, so an unknown value neither helps nor hurts a person much:
education *secondary* (2), Norwegian *none* (0, what most have while in reception), work experience
``min(6, age − 18)`` years, no health limitation (it is only recorded with consent). Defaults for a
municipality without a profile for the year (nor an earlier one) are the neutral point of the synthetic
process: centrality 4, unemployment 3.5 %, programme results 60 %, and **no** services — a need is only
met where a municipality has said it offers the service.

These functions read no personal data beyond what the caller already holds, so they do not log; the
matching run logs its own reads.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.utils import timezone

from bro.core.models import Municipality
from bro.settlement.matching import features
from bro.settlement.outcomes.models import NEED_CODES, MatchingProfile, MunicipalityProfile

DEFAULT_EDUCATION = 2
DEFAULT_NORWEGIAN = 0
DEFAULT_WORK_YEARS = 6
DEFAULT_MUNICIPALITY = features.MunicipalityFeatures(
    centrality=4, unemployment_pct=3.5, programme_result_pct=60.0
)

#: ISO 3166 country code → the nationality group the outcome model knows; every other code is "other".
NATIONALITY_GROUP_BY_COUNTRY = {
    "UA": "ukraine",
    "SY": "syria",
    "AF": "afghanistan",
    "ER": "eritrea",
    "SO": "somalia",
}


def age_on(birth_date: datetime.date, day: datetime.date) -> int:
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def nationality_group(country_codes: Iterable[str]) -> str:
    """The first of the person's nationalities that the model knows, else "other"."""
    for code in country_codes:
        group = NATIONALITY_GROUP_BY_COUNTRY.get(str(code).upper())
        if group:
            return group
    return "other"


def _country_codes(person) -> list[str]:
    return [getattr(c, "code", c) for c in (person.nationalities or [])]


def person_features(
    person, profile: MatchingProfile | None, on: datetime.date | None = None
) -> features.PersonFeatures:
    """The outcome model's features for ``person`` on ``on`` (default today), with the defaults above."""
    day = on or timezone.localdate()
    age = max(0, age_on(person.birth_date, day))
    education = profile.education if profile is not None and profile.education is not None else None
    norwegian = profile.norwegian if profile is not None and profile.norwegian is not None else None
    work_years = profile.work_years if profile is not None and profile.work_years is not None else None
    return features.PersonFeatures(
        age=age,
        female=person.sex == "female",
        education=DEFAULT_EDUCATION if education is None else int(education),
        norwegian=DEFAULT_NORWEGIAN if norwegian is None else int(norwegian),
        work_years=min(DEFAULT_WORK_YEARS, max(0, age - 18)) if work_years is None else int(work_years),
        health_limitation=bool(profile.health_limitation) if profile is not None else False,
        nationality_group=nationality_group(_country_codes(person)),
    )


def profiles_for(persons) -> dict:
    """person id → MatchingProfile, in one query (persons without one are absent)."""
    ids = [p.pk for p in persons]
    return {
        mp.person_id: mp
        for mp in MatchingProfile.objects.filter(person_id__in=ids).select_related("tie_municipality")
    }


def household_inputs(persons) -> tuple[frozenset[str], str | None]:
    """The household's needs (union over its members) and its tie municipality's number.

    When members name different tie municipalities, the first member's in the order given wins (pass the
    principal first); a household with no tie gets ``None``.
    """
    persons = list(persons)
    profiles = profiles_for(persons)
    needs: set[str] = set()
    tie = None
    for person in persons:
        profile = profiles.get(person.pk)
        if profile is None:
            continue
        needs.update(n for n in profile.needs or () if n in NEED_CODES)
        if tie is None and profile.tie_municipality_id is not None:
            tie = profile.tie_municipality.number
    return frozenset(needs), tie


def municipality_inputs(
    year: int,
) -> dict[str, tuple[features.MunicipalityFeatures, frozenset[str]]]:
    """Every municipality valid on 1 January ``year``: its features and the services it offers.

    A municipality's profile for ``year`` is used, else its newest earlier one, else the defaults above.
    """
    day = datetime.date(year, 1, 1)
    municipalities = list(Municipality.objects.valid_on(day).only("id", "number"))
    newest: dict[int, MunicipalityProfile] = {}
    for profile in MunicipalityProfile.objects.filter(
        municipality_id__in=[m.pk for m in municipalities], year__lte=year
    ).order_by("municipality_id", "year"):
        newest[profile.municipality_id] = profile
    result = {}
    for m in municipalities:
        profile = newest.get(m.pk)
        if profile is None:
            result[m.number] = (DEFAULT_MUNICIPALITY, frozenset())
        else:
            services = frozenset(s for s in profile.services or () if s in NEED_CODES)
            result[m.number] = (profile.features(), services)
    return result
