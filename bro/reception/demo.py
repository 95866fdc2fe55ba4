"""Demo data for this app, built after the persons and households (see bro.demo.generator._extensions).

Capacities for every demo centre; for Harstad mottak a history of occupancy changes, with the
notifications Harstad kommune's staff got for them (among them an announced group of 47, 000:L388);
Harstad's capacity for the statutory services, short on school and child welfare as many host
municipalities are (002:L1256–1266); and weekly Norwegian training for Harstad mottak's residents and
for those who have moved on from it, whose record follows them (002:L19–93, L91).
"""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from django.db.models import Q
from django.urls import reverse

from bro.core.models import Membership, Notification, Organisation
from bro.core.roles import OrganisationKind
from bro.demo.data import HARSTAD, HARSTAD_CENTRE
from bro.demo.generator import Ids, _stamp, demo_ids, explicit_timestamps
from bro.people.models import Person, PhaseEvent
from bro.people.rules import RECEPTION_PHASES, age_on
from bro.reception import permissions, rules
from bro.reception.models import CentreCapacity, HostServiceCapacity, OccupancyChange, TrainingWeek
from bro.reception.services import OCCUPANCY_NOTIFICATION

TRAINING_WEEKS = 26  # the last half year of weekly training for each resident


def _explicit_timestamps():
    return explicit_timestamps(
        (CentreCapacity, "recorded_at"),
        (OccupancyChange, "recorded_at"),
        (HostServiceCapacity, "recorded_at"),
        (TrainingWeek, "recorded_at"),
        (Notification, "created_at"),
    )


def build(*, seed: int, today, log) -> None:
    """Deterministic from ``seed`` and ``today``."""
    rng = random.Random(f"{seed}:reception")
    ids = Ids(random.Random(f"{seed}:reception:ids"))
    centres = list(
        Organisation.objects.filter(demo_ids(), kind=OrganisationKind.RECEPTION_CENTRE).order_by("name")
    )
    harstad = Organisation.objects.filter(
        demo_ids(), kind=OrganisationKind.MUNICIPALITY, municipality__number=HARSTAD
    ).first()
    centre = next((c for c in centres if c.name == HARSTAD_CENTRE), None)
    if not centres or harstad is None or centre is None:
        log("reception: no demo centres or no Harstad; nothing built")
        return
    with _explicit_timestamps():
        capacities = _capacities(rng, ids, centres, today)
        changes, notes = _changes(rng, ids, centre, harstad, today)
        services = _services(ids, harstad, today)
        weeks = _training(rng, ids, centre, harstad, today)
    log(
        f"reception: {capacities} centre capacities, {changes} occupancy changes, {notes} notifications, "
        f"{services} service capacities, {weeks} training weeks"
    )


def _residents_now(centre_id) -> int:
    return Person.objects.filter(
        current_phase__in=RECEPTION_PHASES, responsible_organisation_id=centre_id
    ).count()


def _capacities(rng, ids, centres, today) -> int:
    rows = []
    two_years = today - datetime.timedelta(days=730)
    for centre in centres:
        residents = _residents_now(centre.id)
        # Contracted places a little above today's occupancy, rounded to tens; a year ago somewhat more.
        now = max(20, (int(residents * rng.uniform(1.05, 1.3)) // 10 + 1) * 10)
        before = now + rng.choice([0, 10, 20, 40])
        changed = today - datetime.timedelta(days=rng.randint(200, 400))
        rows.append(
            CentreCapacity(
                id=ids(),
                centre=centre,
                valid_from=two_years,
                places=before,
                note="Kontrakt med UDI",
                recorded_at=_stamp(two_years, 36_000),
            )
        )
        if now != before:
            rows.append(
                CentreCapacity(
                    id=ids(),
                    centre=centre,
                    valid_from=changed,
                    places=now,
                    note="Nedjustert kontrakt",
                    recorded_at=_stamp(changed, 36_000),
                )
            )
    CentreCapacity.objects.bulk_create(rows)
    return len(rows)


def _changes(rng, ids, centre, harstad, today) -> tuple[int, int]:
    plan = [
        # (kind, days from today, 0–5, 6–15, 16–17, 18+, note)
        ("arrivals", -95, 2, 4, 1, 9, "Overført fra Råde ankomstsenter"),
        ("departures", -60, 1, 2, 0, 6, "Bosatt i Tromsø og Narvik"),
        ("arrivals", -21, 3, 5, 2, 14, "Familier fra transittmottak"),
        ("departures", -7, 0, 1, 1, 4, "Flyttet til integreringsmottak"),
        ("arrivals", 9, 6, 11, 3, 27, "Varslet av UDI: 47 personer fra akuttmottak"),
        ("planned_closing", 150, 0, 0, 0, 0, "Avdeling Kanebogen legges ned ved kontraktsslutt"),
    ]
    staff = Membership.objects.filter(organisation=centre).values_list("user_id", flat=True).first()
    members = sorted(
        set(
            Membership.objects.filter(organisation=harstad, role__in=permissions.HOST_VIEW_ROLES).values_list(
                "user_id", flat=True
            )
        ),
        key=str,
    )
    changes, notes = [], []
    link = reverse("reception:host_detail", kwargs={"municipality_id": harstad.id})
    for kind, offset, a, b, c, d, note in plan:
        effective = today + datetime.timedelta(days=offset)
        recorded = min(today, effective) - datetime.timedelta(days=rng.randint(3, 14) if offset > -30 else 0)
        counts = {"age_0_5": a, "age_6_15": b, "age_16_17": c, "age_18_plus": d}
        changes.append(
            OccupancyChange(
                id=ids(),
                centre=centre,
                kind=kind,
                effective_date=effective,
                note=note,
                recorded_by_id=staff,
                recorded_for=centre,
                recorded_at=_stamp(recorded, 32_400),
                **counts,
            )
        )
        params = {
            "centre": centre.name,
            "centre_id": str(centre.id),
            "change_kind": kind,
            "effective_date": effective.isoformat(),
            **counts,
            "total": a + b + c + d,
        }
        read = offset < -30  # older ones have been read
        for user_id in members:
            notes.append(
                Notification(
                    id=ids(),
                    user_id=user_id,
                    organisation=harstad,
                    kind=OCCUPANCY_NOTIFICATION,
                    params=params,
                    link=link,
                    created_at=_stamp(recorded, 32_401),
                    read_at=_stamp(recorded, 40_000) if read else None,
                )
            )
    OccupancyChange.objects.bulk_create(changes)
    Notification.objects.bulk_create(notes)
    return len(changes), len(notes)


def _services(ids, harstad, today) -> int:
    last_year = today - datetime.timedelta(days=365)
    recent = today - datetime.timedelta(days=60)
    values = [
        ("school", last_year, 30, "Mottaksklasse på Kanebogen skole"),
        ("school", recent, 24, "Én lærerstilling vakant"),
        ("kindergarten", last_year, 10, "Plasser i Seljestad barnehage"),
        ("health", last_year, 200, "Helsestasjon for flyktninger"),
        ("child_welfare", last_year, 12, "Barnevernstjenesten, 1,5 årsverk"),
    ]
    rows = [
        HostServiceCapacity(
            id=ids(),
            municipality=harstad,
            service=service,
            valid_from=day,
            capacity=capacity,
            note=note,
            recorded_at=_stamp(day, 36_000),
        )
        for service, day, capacity, note in values
    ]
    HostServiceCapacity.objects.bulk_create(rows)
    return len(rows)


def _training(rng, ids, centre, harstad, today) -> int:
    """Weekly training for everyone aged 16 or more who lived in Harstad mottak in the last half year."""
    first_monday = today - datetime.timedelta(days=today.weekday() + 7 * TRAINING_WEEKS)
    last_monday = today - datetime.timedelta(days=today.weekday() + 7)  # up to last week
    ever = PhaseEvent.objects.filter(organisation=centre).values("person_id")
    events = (
        PhaseEvent.objects.filter(person_id__in=ever)
        .order_by("person_id", "date", "recorded_at")
        .values_list("person_id", "date", "phase", "organisation_id")
    )
    timelines: dict = {}
    for person_id, day, phase, org_id in events:
        timelines.setdefault(person_id, []).append((day, phase, org_id))
    births = dict(Person.objects.filter(pk__in=list(timelines)).values_list("id", "birth_date"))
    staff = Membership.objects.filter(organisation=centre).values_list("user_id", flat=True).first()
    offer = {"base": Decimal("10"), "extra": Decimal("4")}  # the centre's weekly offer; some weeks more
    rows = []
    for person_id in sorted(timelines, key=str):
        for stay in rules.stays_from_events(person_id, timelines[person_id]):
            if stay.centre_id != centre.id:
                continue
            start = max(first_monday, stay.since - datetime.timedelta(days=stay.since.weekday()))
            end = min(last_monday, (stay.until or today) - datetime.timedelta(days=1))
            monday = start
            motivation = rng.uniform(0.5, 1.0)
            while monday <= end:
                if age_on(births[person_id], monday) >= 16 and rng.random() < 0.9:
                    offered = offer["base"] + (offer["extra"] if rng.random() < 0.3 else 0)
                    attended = min(
                        offered, Decimal(round(float(offered) * motivation * rng.uniform(0.7, 1.1) * 2)) / 2
                    )
                    social = Decimal("2") if rng.random() < 0.5 else None
                    year, week, _ = monday.isocalendar()
                    rows.append(
                        TrainingWeek(
                            id=ids(),
                            person_id=person_id,
                            iso_year=year,
                            iso_week=week,
                            hours_offered=offered,
                            hours_attended=attended,
                            social_studies_hours=social,
                            organisation=centre,
                            recorded_by_id=staff,
                            recorded_at=_stamp(monday + datetime.timedelta(days=5), 50_000),
                        )
                    )
                monday += datetime.timedelta(days=7)
    TrainingWeek.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def reset(*, log) -> None:
    """Delete what ``build`` wrote (rows that belong to demo organisations)."""
    demo_orgs = Organisation.objects.filter(demo_ids())
    counts = {
        "training weeks": TrainingWeek.objects.filter(Q(organisation__in=demo_orgs) | demo_ids()).delete()[0],
        "occupancy changes": OccupancyChange.objects.filter(centre__in=demo_orgs).delete()[0],
        "centre capacities": CentreCapacity.objects.filter(centre__in=demo_orgs).delete()[0],
        "service capacities": HostServiceCapacity.objects.filter(municipality__in=demo_orgs).delete()[0],
        "notifications": Notification.objects.filter(
            organisation__in=demo_orgs, kind__startswith="reception."
        ).delete()[0],
    }
    log("reception: " + ", ".join(f"{n} {what}" for what, n in counts.items()) + " deleted")
