"""Every write for reception centres and host municipalities: validated, permission-checked, in one
transaction, audit-logged.

Services raise ``ValidationError`` (field → messages, nothing saved) or ``PermissionDenied``.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from bro.core import audit, notifications, policy
from bro.core.models import AuditAction, Organisation
from bro.core.roles import OrganisationKind
from bro.people.models import Person, PhaseEvent
from bro.people.services import Actor
from bro.reception import permissions, rules
from bro.reception.messages import ERRORS
from bro.reception.models import (
    CentreCapacity,
    HostServiceCapacity,
    OccupancyChange,
    Service,
    TrainingWeek,
)

__all__ = [
    "Actor",
    "host_municipality_of",
    "record_centre_capacity",
    "record_occupancy_change",
    "record_service_capacity",
    "record_training_week",
]

OCCUPANCY_NOTIFICATION = "reception.occupancy_change"


def _raise(errors: dict[str, str]) -> None:
    if errors:
        raise ValidationError(
            {field: ValidationError(ERRORS[code], code=code) for field, code in errors.items()}
        )


def _acting_organisation(actor: Actor, organisation: Organisation) -> Organisation | None:
    """The organisation the actor acts for: ``organisation`` itself when they belong to it, else the
    directorate (national settlement officers act for any centre)."""
    own = [m.organisation for m in policy.memberships(actor.user)]
    if any(o.id == organisation.id for o in own):
        return organisation
    return next((o for o in own if o.kind == OrganisationKind.DIRECTORATE), None)


def host_municipality_of(centre: Organisation) -> Organisation | None:
    """The host municipality's organisation for a centre: the active municipality organisation in the
    centre's municipality that is marked as a host municipality."""
    if centre.municipality_id is None:
        return None
    return (
        Organisation.objects.filter(
            kind=OrganisationKind.MUNICIPALITY,
            municipality_id=centre.municipality_id,
            is_host_municipality=True,
            is_active=True,
        )
        .order_by("name")
        .first()
    )


def _check_centre(actor: Actor, centre: Organisation) -> None:
    if centre.kind != OrganisationKind.RECEPTION_CENTRE:
        _raise({"centre": "not_a_centre"})
    if not permissions.can_manage_centre(actor.user, centre):
        raise PermissionDenied


@transaction.atomic
def record_centre_capacity(
    actor: Actor, centre: Organisation, *, valid_from: datetime.date, places: int, note: str = ""
) -> CentreCapacity:
    """Record the number of places in a centre from a date (the history is kept)."""
    _check_centre(actor, centre)
    errors = {}
    if code := rules.capacity_error(places):
        errors["places"] = code
    if (valid_from - timezone.localdate()).days > rules.PLANNING_HORIZON_DAYS:
        errors["valid_from"] = "date_too_far_ahead"
    elif CentreCapacity.objects.filter(centre=centre, valid_from=valid_from).exists():
        errors["valid_from"] = "capacity_date_taken"
    _raise(errors)
    row = CentreCapacity.objects.create(
        centre=centre, valid_from=valid_from, places=places, note=note.strip(), recorded_by=actor.user
    )
    audit.record(
        user=actor.user,
        organisation=_acting_organisation(actor, centre),
        action=AuditAction.CREATE,
        obj=row,
        changes=audit.diff({}, {"centre": centre.name, "valid_from": valid_from, "places": places}),
        channel=actor.channel,
    )
    return row


@transaction.atomic
def record_occupancy_change(
    actor: Actor,
    centre: Organisation,
    *,
    kind: str,
    effective_date: datetime.date,
    counts: dict[str, int],
    note: str = "",
) -> OccupancyChange:
    """Announce a change in a centre's occupancy and notify the host municipality's staff with the counts.

    Host municipalities need notice and numbers to plan school, kindergarten, health and child
    welfare ("47 extra persons" without warning, 000:L388).
    """
    _check_centre(actor, centre)
    counts = {group: int(counts.get(group) or 0) for group in rules.AGE_GROUPS}
    _raise(rules.occupancy_change_errors(kind, effective_date, counts, timezone.localdate()))
    acting = _acting_organisation(actor, centre)
    change = OccupancyChange.objects.create(
        centre=centre,
        kind=kind,
        effective_date=effective_date,
        note=note.strip(),
        recorded_by=actor.user,
        recorded_for=acting,
        **counts,
    )
    audit.record(
        user=actor.user,
        organisation=acting,
        action=AuditAction.CREATE,
        obj=change,
        changes=audit.diff({}, {"kind": kind, "effective_date": effective_date, **counts}),
        channel=actor.channel,
    )
    host = host_municipality_of(centre)
    if host is not None:
        notifications.notify_organisation(
            host,
            kind=OCCUPANCY_NOTIFICATION,
            params={
                "centre": centre.name,
                "centre_id": str(centre.id),
                "change_kind": kind,
                "effective_date": effective_date.isoformat(),
                **counts,
                "total": sum(counts.values()),
            },
            link=reverse("reception:host_detail", kwargs={"municipality_id": host.id}),
            roles=permissions.HOST_VIEW_ROLES,
        )
    return change


@transaction.atomic
def record_service_capacity(
    actor: Actor,
    municipality: Organisation,
    *,
    service: str,
    capacity: int,
    valid_from: datetime.date,
    note: str = "",
) -> HostServiceCapacity:
    """Record how many residents the host municipality can serve in one statutory service, from a date."""
    if municipality.kind != OrganisationKind.MUNICIPALITY or not municipality.is_host_municipality:
        _raise({"municipality": "not_a_host_municipality"})
    if not permissions.can_manage_host(actor.user, municipality):
        raise PermissionDenied
    errors = {}
    if service not in Service.values:
        errors["service"] = "unknown_service"
    if code := rules.capacity_error(capacity):
        errors["capacity"] = code
    if (valid_from - timezone.localdate()).days > rules.PLANNING_HORIZON_DAYS:
        errors["valid_from"] = "date_too_far_ahead"
    elif HostServiceCapacity.objects.filter(
        municipality=municipality, service=service, valid_from=valid_from
    ).exists():
        errors["valid_from"] = "capacity_date_taken"
    _raise(errors)
    row = HostServiceCapacity.objects.create(
        municipality=municipality,
        service=service,
        capacity=capacity,
        valid_from=valid_from,
        note=note.strip(),
        recorded_by=actor.user,
    )
    audit.record(
        user=actor.user,
        organisation=municipality,
        action=AuditAction.CREATE,
        obj=row,
        changes=audit.diff({}, {"service": service, "capacity": capacity, "valid_from": valid_from}),
        channel=actor.channel,
    )
    return row


@transaction.atomic
def record_training_week(
    actor: Actor,
    person: Person,
    *,
    iso_year: int,
    iso_week: int,
    hours_offered: Decimal,
    hours_attended: Decimal,
    social_studies_hours: Decimal | None = None,
    organisation: Organisation | None = None,
) -> TrainingWeek:
    """Record one week of Norwegian training for a resident, on behalf of the centre or host municipality
    that gives it. The record stays with the person after settlement (002:L91)."""
    if not policy.access_to_person(actor.user, person).can_read:
        raise PermissionDenied
    allowed = permissions.training_organisations(actor.user, person)
    if not allowed:
        raise PermissionDenied
    if organisation is None:
        organisation = allowed[0]
    elif organisation not in allowed:
        raise PermissionDenied
    arrived = PhaseEvent.objects.filter(person=person).order_by("date").values_list("date", flat=True).first()
    errors = rules.training_week_errors(
        iso_year=iso_year,
        iso_week=iso_week,
        hours_offered=hours_offered,
        hours_attended=hours_attended,
        social_studies_hours=social_studies_hours,
        today=timezone.localdate(),
        arrived_on=arrived,
    )
    if (
        not errors
        and TrainingWeek.objects.filter(
            person=person, iso_year=iso_year, iso_week=iso_week, organisation=organisation
        ).exists()
    ):
        errors["iso_week"] = "week_already_recorded"
    _raise(errors)
    week = TrainingWeek.objects.create(
        person=person,
        iso_year=iso_year,
        iso_week=iso_week,
        hours_offered=hours_offered,
        hours_attended=hours_attended,
        social_studies_hours=social_studies_hours,
        organisation=organisation,
        recorded_by=actor.user,
    )
    audit.record(
        user=actor.user,
        organisation=organisation,
        action=AuditAction.CREATE,
        obj=week,
        person_id=person.id,
        changes=audit.diff(
            {},
            {
                "week": f"{iso_year}-W{iso_week:02d}",
                "hours_offered": hours_offered,
                "hours_attended": hours_attended,
                "social_studies_hours": social_studies_hours,
            },
        ),
        channel=actor.channel,
    )
    return week
