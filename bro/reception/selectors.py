"""Reads for reception centres and host municipalities.

Centre and municipality figures are counts (no personal data); the lists of residents and a person's
training record are personal data: scoped by the policy and logged.
"""

from __future__ import annotations

import datetime
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Count
from django.http import Http404

from bro.core import audit, policy
from bro.core.models import AuditAction, Organisation, User
from bro.core.roles import OrganisationKind
from bro.people.models import Person, PhaseEvent
from bro.people.rules import RECEPTION_PHASES, age_on
from bro.reception import permissions, rules
from bro.reception.models import CentreCapacity, HostServiceCapacity, OccupancyChange, TrainingWeek

SERIES_MONTHS = 12


def centre_or_404(centre_id) -> Organisation:
    centre = Organisation.objects.filter(pk=centre_id, kind=OrganisationKind.RECEPTION_CENTRE).first()
    if centre is None:
        raise Http404
    return centre


def host_or_404(municipality_id) -> Organisation:
    host = Organisation.objects.filter(
        pk=municipality_id, kind=OrganisationKind.MUNICIPALITY, is_host_municipality=True
    ).first()
    if host is None:
        raise Http404
    return host


def _current_residents(centre_ids) -> Counter:
    """Centre id → persons living there now (a reception phase, the centre responsible for it)."""
    rows = (
        Person.objects.filter(current_phase__in=RECEPTION_PHASES, responsible_organisation_id__in=centre_ids)
        .values("responsible_organisation_id")
        .annotate(n=Count("id"))
    )
    return Counter({r["responsible_organisation_id"]: r["n"] for r in rows})


def _resident_ages(centre_ids, today: datetime.date) -> dict:
    """Centre id → the ages of its residents today."""
    ages = defaultdict(list)
    for centre_id, birth_date in Person.objects.filter(
        current_phase__in=RECEPTION_PHASES, responsible_organisation_id__in=centre_ids
    ).values_list("responsible_organisation_id", "birth_date"):
        ages[centre_id].append(age_on(birth_date, today))
    return ages


def _capacities(centre_ids) -> dict:
    """Centre id → [(valid_from, places), …]."""
    history = defaultdict(list)
    for centre_id, valid_from, places in CentreCapacity.objects.filter(centre_id__in=centre_ids).values_list(
        "centre_id", "valid_from", "places"
    ):
        history[centre_id].append((valid_from, places))
    return history


def _stays(centre_ids) -> dict:
    """Centre id → every stay there, rebuilt from the timelines of persons who ever lived in one."""
    ever = PhaseEvent.objects.filter(organisation_id__in=centre_ids).values("person_id")
    events = (
        PhaseEvent.objects.filter(person_id__in=ever)
        .order_by("person_id", "date", "recorded_at")
        .values_list("person_id", "date", "phase", "organisation_id")
    )
    by_person = defaultdict(list)
    for person_id, day, phase, org_id in events:
        by_person[person_id].append((day, phase, org_id))
    wanted = set(centre_ids)
    result = defaultdict(list)
    for person_id, timeline in by_person.items():
        for stay in rules.stays_from_events(person_id, timeline):
            if stay.centre_id in wanted:
                result[stay.centre_id].append(stay)
    return result


def series_days(today: datetime.date, months: int = SERIES_MONTHS) -> list[datetime.date]:
    """The first day of each of the last months, and today."""
    days = rules.month_starts(today, months)
    return days if days[-1] == today else [*days, today]


@dataclass
class CentreRow:
    centre: Organisation
    places: int | None
    residents: int

    @property
    def free(self) -> int | None:
        return None if self.places is None else self.places - self.residents

    @property
    def over(self) -> bool:
        return self.places is not None and self.residents > self.places


def centre_rows(user: User, today: datetime.date) -> list[CentreRow]:
    """The centres the user may see, with capacity and residents today."""
    centres = list(permissions.viewable_centres(user).select_related("municipality").order_by("name"))
    ids = [c.id for c in centres]
    residents = _current_residents(ids)
    capacities = _capacities(ids)
    return [
        CentreRow(c, rules.value_on(capacities.get(c.id, []), today), residents.get(c.id, 0)) for c in centres
    ]


@dataclass
class SeriesPoint:
    day: datetime.date
    residents: int
    places: int | None


@dataclass
class CentreOverview:
    centre: Organisation
    host: Organisation | None
    places: int | None
    residents: int
    age_groups: dict[str, int]
    series: list[SeriesPoint]
    capacities: list[CentreCapacity]
    changes: list[OccupancyChange]


def centre_overview(centre: Organisation, today: datetime.date) -> CentreOverview:
    from bro.reception.services import host_municipality_of

    capacities = list(CentreCapacity.objects.filter(centre=centre).order_by("-valid_from"))
    history = [(c.valid_from, c.places) for c in capacities]
    stays = _stays([centre.id]).get(centre.id, [])
    days = series_days(today)
    ages = _resident_ages([centre.id], today).get(centre.id, [])
    groups = Counter(rules.group_for_age(age) for age in ages)
    return CentreOverview(
        centre=centre,
        host=host_municipality_of(centre),
        places=rules.value_on(history, today),
        residents=len(ages),
        age_groups={g: groups.get(g, 0) for g in rules.AGE_GROUPS},
        series=[
            SeriesPoint(day, n, rules.value_on(history, day))
            for day, n in zip(days, rules.occupancy_series(stays, days), strict=True)
        ],
        capacities=capacities,
        changes=list(
            OccupancyChange.objects.filter(centre=centre)
            .select_related("recorded_by")
            .order_by("-effective_date")[:50]
        ),
    )


def resident_list(user: User, centre: Organisation, *, channel: str = "web") -> list[Person]:
    """Residents of the centre that the user may read as persons (logged as a list read)."""
    if not policy.can_read_persons_at_all(user):
        return []
    qs = policy.visible_persons(
        user,
        Person.objects.filter(current_phase__in=RECEPTION_PHASES, responsible_organisation=centre),
        current_only=True,
    ).order_by("family_name", "given_name", "id")
    persons = list(qs[:500])
    audit.record(
        user=user,
        organisation=centre,
        action=AuditAction.LIST,
        object_type="people.person",
        summary=f"residents of {centre.name}: {len(persons)} persons",
        channel=channel,
    )
    return persons


@dataclass
class DemandRow:
    centre: Organisation
    residents: dict[str, int]
    announced: dict[str, int]
    expected: dict[str, int]


@dataclass
class HostOverview:
    municipality: Organisation
    centres: list[Organisation]
    days: list[datetime.date]
    load: list[dict]  # per day: {"day", "by_centre": [n...], "total", "places"}
    capacities: dict[str, int | None]  # service → capacity today
    capacity_history: list[HostServiceCapacity]
    demand: list[DemandRow]
    total: dict[str, int] = field(default_factory=dict)
    flags: dict[str, bool] = field(default_factory=dict)
    upcoming: list[OccupancyChange] = field(default_factory=list)


def host_overview(municipality: Organisation, today: datetime.date) -> HostOverview:
    centres = list(
        Organisation.objects.filter(
            kind=OrganisationKind.RECEPTION_CENTRE, municipality_id=municipality.municipality_id
        ).order_by("name")
    )
    ids = [c.id for c in centres]
    stays = _stays(ids)
    capacities = _capacities(ids)
    days = series_days(today)
    load = []
    for day in days:
        by_centre = [rules.residents_on(stays.get(c.id, []), day) for c in centres]
        places = [rules.value_on(capacities.get(c.id, []), day) for c in centres]
        known = [p for p in places if p is not None]
        load.append(
            {
                "day": day,
                "by_centre": by_centre,
                "total": sum(by_centre),
                "places": sum(known) if known else None,
            }
        )

    upcoming = list(
        OccupancyChange.objects.filter(centre_id__in=ids, effective_date__gte=today)
        .select_related("centre")
        .order_by("effective_date")
    )
    announced_by_centre = defaultdict(list)
    for change in upcoming:
        announced_by_centre[change.centre_id].append(
            rules.demand_from_groups(rules.signed_counts(change.kind, change.counts))
        )
    ages = _resident_ages(ids, today)
    demand = []
    for c in centres:
        residents = rules.demand_from_ages(ages.get(c.id, []))
        announced = {s: sum(d[s] for d in announced_by_centre[c.id]) for s in rules.SERVICES}
        demand.append(DemandRow(c, residents, announced, rules.add_demand(residents, announced)))
    total = rules.add_demand(*(row.expected for row in demand))

    history = list(
        HostServiceCapacity.objects.filter(municipality=municipality).order_by("service", "-valid_from")
    )
    current = {
        s: rules.value_on([(h.valid_from, h.capacity) for h in history if h.service == s], today)
        for s in rules.SERVICES
    }
    return HostOverview(
        municipality=municipality,
        centres=centres,
        days=days,
        load=load,
        capacities=current,
        capacity_history=history,
        demand=demand,
        total=total,
        flags={s: rules.over_capacity(total[s], current[s]) for s in rules.SERVICES},
        upcoming=upcoming,
    )


# --- the training record (personal data) ------------------------------------------------------------


@dataclass
class TrainingRecord:
    person: Person
    access: policy.PersonAccess
    weeks: list[TrainingWeek]
    totals: rules.TrainingTotals
    writers: list[Organisation]


def training_record(user: User, person_id, *, channel: str = "web") -> TrainingRecord:
    """A person's Norwegian-training weeks, for anyone who may read the person; the read is logged.

    Persons the user may not see are reported as missing (404), as everywhere.
    """
    try:
        person_uuid = uuid.UUID(str(person_id))
    except ValueError as exc:
        raise Http404 from exc
    person = Person.objects.filter(pk=person_uuid).first()
    if person is None:
        raise Http404
    access = policy.access_to_person(user, person)
    if not access.can_read:
        raise Http404
    weeks = list(
        TrainingWeek.objects.filter(person=person)
        .select_related("organisation", "recorded_by")
        .order_by("-iso_year", "-iso_week", "organisation__name")
    )
    audit.record(
        user=user,
        organisation=access.organisation,
        action=AuditAction.READ,
        object_type="reception.trainingweek",
        person_id=person.id,
        summary=access.reason,
        channel=channel,
    )
    return TrainingRecord(
        person=person,
        access=access,
        weeks=weeks,
        totals=rules.training_totals(
            (w.hours_offered, w.hours_attended, w.social_studies_hours) for w in weeks
        ),
        writers=permissions.training_organisations(user, person),
    )
