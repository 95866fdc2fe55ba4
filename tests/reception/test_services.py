"""Reception services: writes are validated and permission-checked, save nothing on bad input, are
audit-logged, and an occupancy change notifies exactly the host municipality's staff."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from bro.core.models import AuditEntry, Notification
from bro.core.roles import Role
from bro.people.phases import Phase
from bro.people.services import Actor
from bro.reception import services
from bro.reception.models import CentreCapacity, HostServiceCapacity, OccupancyChange, TrainingWeek
from tests.conftest import make_user

TODAY = timezone.localdate


def _week_of(days_back: int):
    year, week, _ = (TODAY() - datetime.timedelta(days=days_back)).isocalendar()
    return {"iso_year": year, "iso_week": week}


def test_an_arrival_notifies_every_staff_user_of_the_host_municipality_once_with_the_counts(
    chain, staff, host_users
):
    # A user with two roles in Harstad gets one notification; Tromsø's officer gets none.
    make_user("harstad", chain.harstad, Role.PROGRAMME_ADVISER)
    make_user("tromso-officer", chain.tromso, Role.MUNICIPAL_SETTLEMENT_OFFICER)
    counts = {"age_0_5": 6, "age_6_15": 11, "age_16_17": 3, "age_18_plus": 27}
    change = services.record_occupancy_change(
        staff, chain.centre_harstad, kind="arrivals", effective_date=TODAY(), counts=counts, note="Fra Råde"
    )
    notified = Notification.objects.filter(kind="reception.occupancy_change")
    expected = {host_users[k].username for k in ("officer", "adviser", "leader", "nurse", "admin")}
    assert sorted(n.user.username for n in notified) == sorted(expected)
    for n in notified:
        assert n.organisation == chain.harstad
        assert n.params["total"] == 47
        assert {k: n.params[k] for k in counts} == counts
        assert n.params["centre"] == "Harstad mottak"
        assert n.link == f"/reception/host/{chain.harstad.id}/"
    assert change.total == 47
    assert AuditEntry.objects.filter(
        object_type="reception.occupancychange", object_id=str(change.id)
    ).exists()


def test_a_change_at_the_tromso_centre_notifies_tromso_not_harstad(chain, host_users):
    tromso_staff = Actor(make_user("tromso-reception", chain.centre_tromso, Role.RECEPTION_STAFF))
    officer = make_user("tromso-officer", chain.tromso, Role.MUNICIPAL_SETTLEMENT_OFFICER)
    services.record_occupancy_change(
        tromso_staff,
        chain.centre_tromso,
        kind="planned_closing",
        effective_date=TODAY() + datetime.timedelta(days=60),
        counts={},
    )
    assert list(Notification.objects.values_list("user", flat=True)) == [officer.id]


@pytest.mark.parametrize(
    ("kind", "days", "counts", "field"),
    [
        ("arrivals", 0, {}, "age_0_5"),
        ("arrivals", -40, {"age_18_plus": 2}, "effective_date"),
        ("planned_opening", -1, {"age_18_plus": 2}, "effective_date"),
        ("arrivals", 400, {"age_18_plus": 2}, "effective_date"),
        ("teleport", 0, {"age_18_plus": 2}, "kind"),
    ],
)
def test_a_bad_occupancy_change_saves_nothing_and_notifies_no_one(
    chain, staff, host_users, kind, days, counts, field
):
    with pytest.raises(ValidationError) as info:
        services.record_occupancy_change(
            staff,
            chain.centre_harstad,
            kind=kind,
            effective_date=TODAY() + datetime.timedelta(days=days),
            counts=counts,
        )
    assert field in info.value.message_dict
    assert not OccupancyChange.objects.exists()
    assert not Notification.objects.exists()


def test_only_the_centre_staff_or_the_directorate_record_changes(chain, users, host_users):
    for role in (Role.MUNICIPAL_SETTLEMENT_OFFICER, Role.LEADERSHIP, Role.ADMINISTRATOR, Role.TEACHER):
        with pytest.raises(PermissionDenied):
            services.record_occupancy_change(
                Actor(users[role]),
                chain.centre_harstad,
                kind="arrivals",
                effective_date=TODAY(),
                counts={"age_18_plus": 1},
            )
    tromso_staff = Actor(make_user("tromso-reception", chain.centre_tromso, Role.RECEPTION_STAFF))
    with pytest.raises(PermissionDenied):
        services.record_centre_capacity(tromso_staff, chain.centre_harstad, valid_from=TODAY(), places=10)
    imdi = Actor(users[Role.NATIONAL_SETTLEMENT_OFFICER])
    change = services.record_occupancy_change(
        imdi, chain.centre_harstad, kind="arrivals", effective_date=TODAY(), counts={"age_18_plus": 1}
    )
    assert change.recorded_for == chain.directorate
    assert Notification.objects.count() == 5


def test_centre_capacity_is_dated_history_and_refuses_a_second_value_for_the_same_day(chain, staff):
    services.record_centre_capacity(
        staff, chain.centre_harstad, valid_from=TODAY(), places=120, note="UDI-kontrakt"
    )
    with pytest.raises(ValidationError) as info:
        services.record_centre_capacity(staff, chain.centre_harstad, valid_from=TODAY(), places=90)
    assert "valid_from" in info.value.message_dict
    with pytest.raises(ValidationError):
        services.record_centre_capacity(staff, chain.centre_harstad, valid_from=TODAY(), places=20_000)
    assert list(CentreCapacity.objects.values_list("places", flat=True)) == [120]


def test_service_capacity_by_the_host_municipality_only(chain, users, host_users, staff):
    row = services.record_service_capacity(
        Actor(host_users["nurse"]), chain.harstad, service="health", capacity=80, valid_from=TODAY()
    )
    assert row.municipality == chain.harstad
    with pytest.raises(PermissionDenied):
        services.record_service_capacity(
            Actor(host_users["leader"]), chain.harstad, service="school", capacity=10, valid_from=TODAY()
        )
    with pytest.raises(PermissionDenied):
        services.record_service_capacity(
            staff, chain.harstad, service="school", capacity=10, valid_from=TODAY()
        )
    with pytest.raises(ValidationError) as info:
        services.record_service_capacity(
            Actor(host_users["officer"]), chain.harstad, service="dentist", capacity=-1, valid_from=TODAY()
        )
    assert set(info.value.message_dict) == {"service", "capacity"}
    assert HostServiceCapacity.objects.count() == 1


def test_training_is_recorded_by_the_centre_and_follows_the_person_to_the_settlement_municipality(
    chain, users, arrive, staff
):
    person = arrive(Phase.RECEPTION)
    services.record_training_week(
        staff,
        person,
        **_week_of(14),
        hours_offered=Decimal("12"),
        hours_attended=Decimal("10"),
        social_studies_hours=Decimal("2"),
    )
    adviser = Actor(users[Role.PROGRAMME_ADVISER])  # Harstad, the host municipality
    week = services.record_training_week(
        adviser, person, **_week_of(14), hours_offered=Decimal("4"), hours_attended=Decimal("4")
    )
    assert week.organisation == chain.harstad
    assert TrainingWeek.objects.filter(person=person).count() == 2
    entry = AuditEntry.objects.get(object_id=str(week.id))
    assert entry.person_id == person.id and entry.organisation == chain.harstad


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"hours_attended": Decimal("13")}, "hours_attended"),
        ({"iso_week": 54}, "iso_week"),
        ({"iso_year": TODAY().year + 1, "iso_week": 30}, "iso_week"),
        ({"social_studies_hours": Decimal("20")}, "social_studies_hours"),
    ],
)
def test_a_bad_training_week_saves_nothing(arrive, staff, change, field):
    person = arrive(Phase.RECEPTION)
    values = {**_week_of(7), "hours_offered": Decimal("12"), "hours_attended": Decimal("10"), **change}
    with pytest.raises(ValidationError) as info:
        services.record_training_week(staff, person, **values)
    assert field in info.value.message_dict
    assert not TrainingWeek.objects.exists()


def test_the_same_week_twice_from_the_same_organisation_is_refused(arrive, staff):
    person = arrive(Phase.RECEPTION)
    values = {**_week_of(7), "hours_offered": Decimal("12"), "hours_attended": Decimal("10")}
    services.record_training_week(staff, person, **values)
    with pytest.raises(ValidationError) as info:
        services.record_training_week(staff, person, **values)
    assert "iso_week" in info.value.message_dict
    assert TrainingWeek.objects.count() == 1


def test_no_training_is_recorded_after_settlement_or_by_other_centres(chain, users, arrive, staff):
    settled = arrive(Phase.SETTLED)
    values = {**_week_of(7), "hours_offered": Decimal("12"), "hours_attended": Decimal("10")}
    with pytest.raises(PermissionDenied):
        services.record_training_week(staff, settled, **values)
    with pytest.raises(PermissionDenied):
        services.record_training_week(Actor(users[Role.MUNICIPAL_SETTLEMENT_OFFICER]), settled, **values)
    resident = arrive(Phase.RECEPTION)
    for user in (
        make_user("tromso-reception", chain.centre_tromso, Role.RECEPTION_STAFF),
        users[Role.TEACHER],
        users[Role.HEALTH_NURSE],
        users[Role.NATIONAL_SETTLEMENT_OFFICER],
    ):
        with pytest.raises(PermissionDenied):
            services.record_training_week(Actor(user), resident, **values)
    assert not TrainingWeek.objects.exists()
