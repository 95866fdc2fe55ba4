"""Demo data for matching inputs and the outcome model, built after persons, households and settlement.

- A profile for every current municipality, for the last three years and this one (synthetic,
  labelled): centrality, unemployment and programme results drawn like ``features.sample_municipalities``
  (the four largest cities made central), and the services they offer for matching.
- A matching profile for every demo person in reception or ready for settlement, drawn like
  ``features.sample_persons``; a health limitation only where the settlement interview records consent.
- A synthetic history of ``HISTORY_ROWS`` finished programmes over the last three years, drawn from the
  *known* process ``features.synthetic_probability`` and labelled synthetic with its process version.
- An outcome model trained on that history, active.

Like the rest of the demo it writes rows directly (no audit entries; docs/decisions/0006). Every row has
a demo UUID, which is how ``reset`` finds it.
"""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

import numpy as np
from django.db import connection
from django.utils import timezone

from bro.core.models import Municipality, Organisation
from bro.core.roles import OrganisationKind
from bro.people.models import Person
from bro.people.phases import Phase
from bro.settlement.matching import features
from bro.settlement.outcomes import inputs, services
from bro.settlement.outcomes.models import (
    MatchingProfile,
    MunicipalityProfile,
    Need,
    OutcomeModelVersion,
    ProgrammeOutcome,
)

HISTORY_ROWS = 6000
HISTORY_YEARS = 3
PROFILE_PHASES = (Phase.RECEPTION, Phase.PERMIT_GRANTED, Phase.READY_FOR_SETTLEMENT)
# The four largest cities: most central (Statistics Norway's index 1).
CENTRAL = {"0301": 1, "4601": 1, "5001": 1, "1103": 1}
TIE_SHARE = 0.04


def _services(rng: random.Random, centrality: int) -> list[str]:
    offered = []
    if rng.random() < (0.8 if centrality <= 3 else 0.3):
        offered.append(Need.HEALTH)
    if rng.random() < 0.45:
        offered.append(Need.WHEELCHAIR)
    if rng.random() < (0.9 if centrality <= 4 else 0.55):
        offered.append(Need.UPPER_SECONDARY)
    return [str(s) for s in offered]


def _fast_insert(model, objects) -> None:
    """``bulk_create`` without its per-value field machinery (six times faster for the 6,000 history rows).

    Each field's value is prepared for the database once per distinct value, which is what takes the
    time in ``bulk_create`` for many small rows.
    """
    now = timezone.now()
    fields = [f for f in model._meta.concrete_fields]
    for f in fields:
        if getattr(f, "auto_now_add", False):
            for obj in objects:
                setattr(obj, f.attname, now)
    prepared: dict = {}

    def prep(f, value):
        key = (f.attname, value)
        if key not in prepared:
            prepared[key] = f.get_db_prep_save(value, connection)
        return prepared[key]

    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    table = connection.ops.quote_name(model._meta.db_table)
    # Names come from the model and are quoted; every value is a parameter.
    sql = f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.executemany(
            sql,
            [
                [
                    f.get_db_prep_save(obj.pk, connection)
                    if f.primary_key
                    else prep(f, getattr(obj, f.attname))
                    for f in fields
                ]
                for obj in objects
            ],
        )


def build(*, seed: int, today: datetime.date, log) -> None:
    """Deterministic from ``seed`` and ``today``."""
    from bro.demo.generator import Ids, demo_ids

    rng = random.Random(f"{seed}:outcomes")
    np_rng = np.random.default_rng(random.Random(f"{seed}:outcomes:numpy").getrandbits(64))
    ids = Ids(random.Random(f"{seed}:outcomes:ids"))

    # Municipality profiles: the same features each year (they change slowly), synthetic.
    municipalities = list(Municipality.objects.valid_on(today).order_by("number"))
    drawn = features.sample_municipalities(np_rng, len(municipalities))
    profile_rows, features_by_id = [], {}
    for m, f in zip(municipalities, drawn, strict=True):
        if m.number in CENTRAL:
            f = features.MunicipalityFeatures(CENTRAL[m.number], f.unemployment_pct, f.programme_result_pct)
        features_by_id[m.pk] = f
        offered = _services(rng, f.centrality)
        for year in range(today.year - HISTORY_YEARS, today.year + 1):
            profile_rows.append(
                MunicipalityProfile(
                    id=ids(),
                    municipality=m,
                    year=year,
                    centrality=f.centrality,
                    unemployment_pct=Decimal(str(f.unemployment_pct)),
                    programme_result_pct=Decimal(str(f.programme_result_pct)),
                    services=offered,
                    synthetic=True,
                )
            )
    MunicipalityProfile.objects.bulk_create(profile_rows, batch_size=1000)

    # Matching profiles for persons in reception or ready for settlement.
    from bro.settlement.models import SettlementInterview

    persons = list(
        Person.objects.filter(demo_ids(), current_phase__in=PROFILE_PHASES)
        .order_by("pk")
        .only("pk", "birth_date")
    )
    consent = set(
        SettlementInterview.objects.filter(
            person__in=Person.objects.filter(demo_ids(), current_phase__in=PROFILE_PHASES),
            health_consent_date__isnull=False,
        ).values_list("person_id", flat=True)
    )
    settlement_municipalities = sorted(
        Organisation.objects.filter(
            kind=OrganisationKind.MUNICIPALITY, is_settlement_municipality=True, municipality__isnull=False
        ).values_list("municipality_id", flat=True)
    )
    sampled = features.sample_persons(np_rng, len(persons))
    profiles = []
    for person, f in zip(persons, sampled, strict=True):
        age = inputs.age_on(person.birth_date, today)
        health = f.health_limitation and person.pk in consent
        needs = []
        if health and rng.random() < 0.4:
            needs.append(str(Need.HEALTH))
        if rng.random() < 0.02:
            needs.append(str(Need.WHEELCHAIR))
        if 15 <= age <= 24 and rng.random() < 0.25:
            needs.append(str(Need.UPPER_SECONDARY))
        tie = None
        if settlement_municipalities and rng.random() < TIE_SHARE:
            tie = rng.choice(settlement_municipalities)
        profiles.append(
            MatchingProfile(
                id=ids(),
                person_id=person.pk,
                education=min(f.education, 1) if age < 18 else f.education,
                norwegian=f.norwegian,
                work_years=0 if age < 18 else min(f.work_years, max(0, age - 18)),
                health_limitation=health,
                needs=needs,
                tie_municipality_id=tie,
            )
        )
    MatchingProfile.objects.bulk_create(profiles, batch_size=1000)

    # The synthetic history, from the known process.
    history_persons = features.person_matrix(features.sample_persons(np_rng, HISTORY_ROWS))
    where = np_rng.integers(0, len(municipalities), HISTORY_ROWS)
    table = features.municipality_matrix([features_by_id[m.pk] for m in municipalities])
    truth = np.zeros(HISTORY_ROWS)
    for j in np.unique(where):
        here = where == j
        truth[here] = features.synthetic_probability(history_persons[here], table[j : j + 1])[:, 0]
    outcomes = np_rng.random(HISTORY_ROWS) < truth
    years = np_rng.integers(today.year - HISTORY_YEARS, today.year, HISTORY_ROWS)
    offset = len(features.PERSON_NUMERIC)
    rows = []
    for i in range(HISTORY_ROWS):
        p = history_persons[i]
        rows.append(
            ProgrammeOutcome(
                id=ids(),
                age=int(p[0]),
                female=bool(p[1]),
                education=int(p[2]),
                norwegian=int(p[3]),
                work_years=int(p[4]),
                health_limitation=bool(p[5]),
                nationality_group=features.NATIONALITY_GROUPS[int(np.argmax(p[offset:]))],
                municipality=municipalities[where[i]],
                year_finished=int(years[i]),
                in_work_or_education_one_year_after=bool(outcomes[i]),
                synthetic=True,
                process=features.SYNTHETIC_PROCESS,
            )
        )
    _fast_insert(ProgrammeOutcome, rows)

    trained_at = datetime.datetime.combine(today, datetime.time(6, 0), tzinfo=datetime.UTC)
    version = services._train(None, pk=ids(), now=trained_at)
    log(
        f"outcomes: {len(municipalities)} municipality profiles × {HISTORY_YEARS + 1} years, "
        f"{len(profiles)} matching profiles, {HISTORY_ROWS} synthetic finished programmes, model "
        f"{version.version} (AUC {version.metrics['auc']:.3f}, ECE {version.metrics['ece']:.3f})"
    )


def reset(*, log) -> None:
    """Delete what ``build`` wrote."""
    from bro.demo.generator import demo_ids

    counts = {
        "model versions": OutcomeModelVersion.objects.filter(demo_ids()).delete()[0],
        "finished programmes": ProgrammeOutcome.objects.filter(demo_ids()).delete()[0],
        "matching profiles": MatchingProfile.objects.filter(demo_ids()).delete()[0],
        "municipality profiles": MunicipalityProfile.objects.filter(demo_ids()).delete()[0],
    }
    log("outcomes: " + ", ".join(f"{n} {what}" for what, n in counts.items()) + " deleted")
