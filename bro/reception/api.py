"""Reception and host municipalities API: the same services, selectors and policy as the pages.

Centres and municipalities are public organisations: one the user may not see answers 403, one that
does not exist 404. Persons the user may not read answer 404, as everywhere.
"""

import datetime
import uuid
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from ninja import Field, Router, Schema, Status

from bro.core.api import IsoDate, Text, error_responses
from bro.reception import permissions, selectors, services
from bro.reception.models import OccupancyChangeKind, Service

router = Router(tags=["reception"])


def _actor(request) -> services.Actor:
    return services.Actor(user=request.user, channel="api")


class CentreListItem(Schema):
    id: uuid.UUID
    name: str
    municipality_number: str | None
    centre_type: str
    places: int | None
    residents: int


class SeriesPointOut(Schema):
    date: datetime.date
    residents: int
    places: int | None


class CapacityOut(Schema):
    id: uuid.UUID
    valid_from: datetime.date
    places: int
    note: str


class AgeCounts(Schema):
    age_0_5: int = Field(0, ge=0, le=10_000)
    age_6_15: int = Field(0, ge=0, le=10_000)
    age_16_17: int = Field(0, ge=0, le=10_000)
    age_18_plus: int = Field(0, ge=0, le=10_000)


class OccupancyChangeOut(AgeCounts):
    id: uuid.UUID
    kind: str
    effective_date: datetime.date
    total: int
    note: str


class CentreOut(Schema):
    id: uuid.UUID
    name: str
    host_municipality_id: uuid.UUID | None
    places: int | None
    residents: int
    age_groups: AgeCounts
    occupancy: list[SeriesPointOut]
    capacities: list[CapacityOut]
    changes: list[OccupancyChangeOut]


class CapacityIn(Schema):
    valid_from: IsoDate
    places: int = Field(..., ge=0, le=10_000)
    note: Text = Field("", max_length=300)


class OccupancyChangeIn(AgeCounts):
    kind: OccupancyChangeKind
    effective_date: IsoDate
    note: Text = Field("", max_length=500)


class ServiceCapacityIn(Schema):
    service: Service
    capacity: int = Field(..., ge=0, le=10_000)
    valid_from: IsoDate
    note: Text = Field("", max_length=300)


class ServiceCapacityOut(Schema):
    id: uuid.UUID
    service: str
    capacity: int
    valid_from: datetime.date
    note: str


class ServiceDemand(Schema):
    service: str
    capacity: int | None
    expected_demand: int
    over_capacity: bool


class CentreDemand(Schema):
    centre_id: uuid.UUID
    centre: str
    residents: dict[str, int]
    announced: dict[str, int]
    expected: dict[str, int]


class LoadPoint(Schema):
    date: datetime.date
    residents: int
    places: int | None
    by_centre: dict[str, int]


class HostOut(Schema):
    id: uuid.UUID
    name: str
    services: list[ServiceDemand]
    demand_by_centre: list[CentreDemand]
    load: list[LoadPoint]
    upcoming_changes: list[OccupancyChangeOut]


class TrainingWeekIn(Schema):
    iso_year: int = Field(..., ge=2000, le=2100)
    iso_week: int = Field(..., ge=1, le=53)
    hours_offered: Decimal = Field(..., ge=0, le=40, decimal_places=1)
    hours_attended: Decimal = Field(..., ge=0, le=40, decimal_places=1)
    social_studies_hours: Decimal | None = Field(None, ge=0, le=40, decimal_places=1)
    organisation_id: uuid.UUID | None = Field(
        None,
        description="The centre or host municipality that gave the training; needed only if you may record for several",
    )


class TrainingWeekOut(Schema):
    id: uuid.UUID
    iso_year: int
    iso_week: int
    hours_offered: Decimal
    hours_attended: Decimal
    social_studies_hours: Decimal | None
    organisation_id: uuid.UUID
    organisation: str


class TrainingTotalsOut(Schema):
    weeks: int
    hours_offered: Decimal
    hours_attended: Decimal
    social_studies_hours: Decimal
    attendance_percent: int | None


class TrainingRecordOut(Schema):
    person_id: uuid.UUID
    totals: TrainingTotalsOut
    weeks: list[TrainingWeekOut]


def _change_out(c) -> dict:
    return {
        "id": c.id,
        "kind": c.kind,
        "effective_date": c.effective_date,
        "total": c.total,
        "note": c.note,
        **c.counts,
    }


def _visible_centre(request, centre_id):
    centre = selectors.centre_or_404(centre_id)
    if not permissions.can_view_centre(request.user, centre):
        raise PermissionDenied
    return centre


def _manageable_centre(request, centre_id):
    centre = _visible_centre(request, centre_id)
    if not permissions.can_manage_centre(request.user, centre):
        raise PermissionDenied
    return centre


def _visible_host(request, municipality_id):
    host = selectors.host_or_404(municipality_id)
    if not permissions.can_view_host(request.user, host):
        raise PermissionDenied
    return host


@router.get(
    "/centres",
    response={200: list[CentreListItem], **error_responses(401, 403)},
    summary="Reception centres I may see, with capacity and residents today",
)
def list_centres(request):
    rows = selectors.centre_rows(request.user, timezone.localdate())
    if not rows and not permissions.viewable_host_municipalities(request.user).exists():
        raise PermissionDenied
    return [
        {
            "id": r.centre.id,
            "name": r.centre.name,
            "municipality_number": r.centre.municipality.number if r.centre.municipality else None,
            "centre_type": r.centre.centre_type,
            "places": r.places,
            "residents": r.residents,
        }
        for r in rows
    ]


@router.get(
    "/centres/{centre_id}",
    response={200: CentreOut, **error_responses(401, 403, 404, 422)},
    summary="One centre: capacity, residents by age group, occupancy over time, announced changes",
)
def get_centre(request, centre_id: uuid.UUID):
    centre = _visible_centre(request, centre_id)
    o = selectors.centre_overview(centre, timezone.localdate())
    return {
        "id": centre.id,
        "name": centre.name,
        "host_municipality_id": o.host.id if o.host else None,
        "places": o.places,
        "residents": o.residents,
        "age_groups": o.age_groups,
        "occupancy": [{"date": p.day, "residents": p.residents, "places": p.places} for p in o.series],
        "capacities": [
            {"id": c.id, "valid_from": c.valid_from, "places": c.places, "note": c.note} for c in o.capacities
        ],
        "changes": [_change_out(c) for c in o.changes],
    }


@router.post(
    "/centres/{centre_id}/capacity",
    response={201: CapacityOut, **error_responses(400, 401, 403, 404, 422)},
    summary="Record the number of places in a centre from a date",
)
def record_capacity(request, centre_id: uuid.UUID, payload: CapacityIn):
    centre = _manageable_centre(request, centre_id)
    row = services.record_centre_capacity(
        _actor(request), centre, valid_from=payload.valid_from, places=payload.places, note=payload.note
    )
    return Status(201, {"id": row.id, "valid_from": row.valid_from, "places": row.places, "note": row.note})


@router.post(
    "/centres/{centre_id}/changes",
    response={201: OccupancyChangeOut, **error_responses(400, 401, 403, 404, 422)},
    summary="Announce an occupancy change; the host municipality's staff are notified with the counts",
)
def record_change(request, centre_id: uuid.UUID, payload: OccupancyChangeIn):
    centre = _manageable_centre(request, centre_id)
    change = services.record_occupancy_change(
        _actor(request),
        centre,
        kind=payload.kind.value,
        effective_date=payload.effective_date,
        counts=payload.model_dump(include={"age_0_5", "age_6_15", "age_16_17", "age_18_plus"}),
        note=payload.note,
    )
    return Status(201, _change_out(change))


@router.get(
    "/host/{municipality_id}",
    response={200: HostOut, **error_responses(401, 403, 404, 422)},
    summary="A host municipality: service capacity against demand by centre, and load over time",
)
def get_host(request, municipality_id: uuid.UUID):
    host = _visible_host(request, municipality_id)
    o = selectors.host_overview(host, timezone.localdate())
    return {
        "id": host.id,
        "name": host.name,
        "services": [
            {
                "service": s,
                "capacity": o.capacities[s],
                "expected_demand": o.total[s],
                "over_capacity": o.flags[s],
            }
            for s in Service.values
        ],
        "demand_by_centre": [
            {
                "centre_id": d.centre.id,
                "centre": d.centre.name,
                "residents": d.residents,
                "announced": d.announced,
                "expected": d.expected,
            }
            for d in o.demand
        ],
        "load": [
            {
                "date": p["day"],
                "residents": p["total"],
                "places": p["places"],
                "by_centre": {str(c.id): n for c, n in zip(o.centres, p["by_centre"], strict=True)},
            }
            for p in o.load
        ],
        "upcoming_changes": [_change_out(c) for c in o.upcoming],
    }


@router.post(
    "/host/{municipality_id}/services",
    response={201: ServiceCapacityOut, **error_responses(400, 401, 403, 404, 422)},
    summary="Record the host municipality's capacity for a statutory service from a date",
)
def record_service(request, municipality_id: uuid.UUID, payload: ServiceCapacityIn):
    host = _visible_host(request, municipality_id)
    if not permissions.can_manage_host(request.user, host):
        raise PermissionDenied
    row = services.record_service_capacity(
        _actor(request),
        host,
        service=payload.service.value,
        capacity=payload.capacity,
        valid_from=payload.valid_from,
        note=payload.note,
    )
    return Status(
        201,
        {
            "id": row.id,
            "service": row.service,
            "capacity": row.capacity,
            "valid_from": row.valid_from,
            "note": row.note,
        },
    )


def _week_out(w) -> dict:
    return {
        "id": w.id,
        "iso_year": w.iso_year,
        "iso_week": w.iso_week,
        "hours_offered": w.hours_offered,
        "hours_attended": w.hours_attended,
        "social_studies_hours": w.social_studies_hours,
        "organisation_id": w.organisation_id,
        "organisation": w.organisation.name,
    }


@router.get(
    "/persons/{person_id}/training",
    response={200: TrainingRecordOut, **error_responses(401, 403, 404, 422)},
    summary="A person's Norwegian training in reception, week by week, with totals",
)
def get_training(request, person_id: uuid.UUID):
    record = selectors.training_record(request.user, person_id, channel="api")
    t = record.totals
    return {
        "person_id": record.person.id,
        "totals": {
            "weeks": t.weeks,
            "hours_offered": t.hours_offered,
            "hours_attended": t.hours_attended,
            "social_studies_hours": t.social_studies_hours,
            "attendance_percent": t.attendance_percent,
        },
        "weeks": [_week_out(w) for w in record.weeks],
    }


@router.post(
    "/persons/{person_id}/training",
    response={201: TrainingWeekOut, **error_responses(400, 401, 403, 404, 422)},
    summary="Record one week of Norwegian training for a resident",
)
def record_training(request, person_id: uuid.UUID, payload: TrainingWeekIn):
    record = selectors.training_record(request.user, person_id, channel="api")
    organisation = None
    if payload.organisation_id is not None:
        organisation = next((o for o in record.writers if o.id == payload.organisation_id), None)
        if organisation is None:
            raise PermissionDenied
    week = services.record_training_week(
        _actor(request),
        record.person,
        iso_year=payload.iso_year,
        iso_week=payload.iso_week,
        hours_offered=payload.hours_offered,
        hours_attended=payload.hours_attended,
        social_studies_hours=payload.social_studies_hours,
        organisation=organisation,
    )
    return Status(201, _week_out(week))
