"""Reception pages: the centre, the host municipality, the training record, notifications."""

import datetime

import pytest
from django.utils import timezone

from bro.core.models import AuditEntry, Notification
from bro.core.roles import Role
from bro.people.phases import Phase
from bro.people.services import Actor
from bro.reception import services
from bro.reception.models import CentreCapacity, HostServiceCapacity, OccupancyChange, TrainingWeek

TODAY = timezone.localdate


@pytest.fixture
def reception_client(client, users):
    client.force_login(users[Role.RECEPTION_STAFF])
    return client


def test_the_centre_page_shows_capacity_residents_chart_and_table(reception_client, chain, arrive, staff):
    arrive(Phase.RECEPTION)
    arrive(Phase.READY_FOR_SETTLEMENT, given_name="Omar")
    services.record_centre_capacity(
        staff, chain.centre_harstad, valid_from=TODAY() - datetime.timedelta(days=500), places=1
    )
    response = reception_client.get(
        f"/reception/centres/{chain.centre_harstad.id}/", HTTP_ACCEPT_LANGUAGE="en"
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "<svg" in body and 'role="img"' in body
    assert "Residents today</dt><dd>2" in body and "Over capacity" in body
    assert body.count("Training of ") == 2  # links to the residents' training records


def test_the_menu_takes_reception_staff_to_their_centre_and_host_users_to_their_municipality(
    client, users, chain
):
    client.force_login(users[Role.RECEPTION_STAFF])
    assert f"/reception/centres/{chain.centre_harstad.id}/" in client.get("/").content.decode()
    client.force_login(users[Role.MUNICIPAL_SETTLEMENT_OFFICER])
    assert f"/reception/host/{chain.harstad.id}/" in client.get("/").content.decode()
    client.force_login(users[Role.NATIONAL_SETTLEMENT_OFFICER])
    assert 'href="/reception/"' in client.get("/").content.decode()
    client.force_login(users[Role.VOLUNTEER])
    assert "/reception/" not in client.get("/").content.decode()


def test_an_occupancy_change_through_the_form_notifies_harstad_and_shows_in_their_menu(
    reception_client, client, chain, users
):
    response = reception_client.post(
        f"/reception/centres/{chain.centre_harstad.id}/changes/",
        {
            "kind": "arrivals",
            "effective_date": (TODAY() + datetime.timedelta(days=9)).isoformat(),
            "age_0_5": 6,
            "age_6_15": 11,
            "age_16_17": 3,
            "age_18_plus": 27,
            "note": "",
        },
    )
    assert response.status_code == 302
    client.force_login(users[Role.MUNICIPAL_SETTLEMENT_OFFICER])
    home = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Notifications (1 unread)" in home
    page = client.get("/notifications/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "47 residents arrive at Harstad mottak" in page
    assert "Aged 0–5: 6, aged 6–15: 11, aged 16–17: 3, aged 18 or over: 27." in page
    nb = client.get("/notifications/", HTTP_ACCEPT_LANGUAGE="nb").content.decode()
    assert "47 nye beboere kommer til Harstad mottak" in nb
    client.post("/notifications/")
    assert not Notification.objects.filter(
        user=users[Role.MUNICIPAL_SETTLEMENT_OFFICER], read_at__isnull=True
    ).exists()
    host = client.get(f"/reception/host/{chain.harstad.id}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Capacity not recorded" in host


def test_a_bad_occupancy_change_shows_errors_and_saves_nothing(reception_client, chain):
    response = reception_client.post(
        f"/reception/centres/{chain.centre_harstad.id}/changes/",
        {
            "kind": "arrivals",
            "effective_date": TODAY().isoformat(),
            "age_0_5": 0,
            "age_6_15": 0,
            "age_16_17": 0,
            "age_18_plus": 0,
        },
        HTTP_ACCEPT_LANGUAGE="nb",
    )
    assert response.status_code == 400
    assert "Oppgi antall personer i minst én aldersgruppe." in response.content.decode()
    assert not OccupancyChange.objects.exists() and not Notification.objects.exists()


def test_host_users_record_service_capacity_and_see_demand_over_capacity(client, chain, users, arrive):
    for _ in range(2):
        arrive(
            Phase.RECEPTION, birth_date=TODAY().replace(year=TODAY().year - 8) - datetime.timedelta(days=3)
        )
    client.force_login(users[Role.PROGRAMME_ADVISER])
    url = f"/reception/host/{chain.harstad.id}/services/"
    response = client.post(url, {"service": "school", "capacity": 1, "valid_from": TODAY().isoformat()})
    assert response.status_code == 302
    bad = client.post(url, {"service": "school", "capacity": -3, "valid_from": TODAY().isoformat()})
    assert bad.status_code == 400 and HostServiceCapacity.objects.count() == 1
    page = client.get(f"/reception/host/{chain.harstad.id}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Demand exceeds capacity" in page  # 2 school-age residents, 1 place
    assert "Harstad mottak" in page


def test_capacity_form_records_a_dated_capacity(reception_client, chain):
    url = f"/reception/centres/{chain.centre_harstad.id}/capacity/"
    assert reception_client.post(url, {"valid_from": TODAY().isoformat(), "places": 90}).status_code == 302
    assert reception_client.post(url, {"valid_from": TODAY().isoformat(), "places": 80}).status_code == 400
    assert list(CentreCapacity.objects.values_list("places", flat=True)) == [90]


def test_the_training_record_follows_the_person_to_the_settlement_municipality(
    client, chain, users, arrive, staff
):
    """002:L91: little information flows from host to settlement municipality; this record does."""
    person = arrive(Phase.READY_FOR_SETTLEMENT)
    client.force_login(users[Role.RECEPTION_STAFF])
    year, week, _ = (TODAY() - datetime.timedelta(days=21)).isocalendar()
    url = f"/reception/persons/{person.id}/training/"
    response = client.post(
        url,
        {
            "iso_year": year,
            "iso_week": week,
            "hours_offered": "12",
            "hours_attended": "9.5",
            "social_studies_hours": "2",
            "organisation": str(chain.centre_harstad.id),
        },
    )
    assert response.status_code == 302
    bad = client.post(
        url,
        {
            "iso_year": year,
            "iso_week": week,
            "hours_offered": "5",
            "hours_attended": "9",
            "organisation": str(chain.centre_harstad.id),
        },
        HTTP_ACCEPT_LANGUAGE="nb",
    )
    assert bad.status_code == 400
    assert "Timer deltatt kan ikke være flere enn timer tilbudt." in bad.content.decode()
    assert TrainingWeek.objects.count() == 1

    # Settled in Tromsø, which never had anything to do with the Harstad centre.
    officer = Actor(users[Role.NATIONAL_SETTLEMENT_OFFICER])
    from bro.people import services as people_services

    people_services.record_transition(
        officer, person, phase=Phase.SETTLED, on=TODAY(), organisation=chain.tromso
    )
    from tests.conftest import make_user

    tromso = make_user("tromso-officer", chain.tromso, Role.MUNICIPAL_SETTLEMENT_OFFICER)
    client.force_login(tromso)
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    body = page.content.decode()
    assert page.status_code == 200
    assert "9.5" in body and "Harstad mottak" in body
    assert "Record a week" not in body  # read-only after settlement
    assert AuditEntry.objects.filter(
        user=tromso, person_id=person.id, object_type="reception.trainingweek", action="read"
    ).exists()
    # The centre can still read it (history), but no longer add to it.
    client.force_login(users[Role.RECEPTION_STAFF])
    assert (
        client.post(
            url, {"iso_year": year, "iso_week": week - 1 or 1, "hours_offered": "5", "hours_attended": "4"}
        ).status_code
        == 403
    )


def test_persons_one_may_not_read_are_not_found_on_the_training_page(client, users, arrive):
    person = arrive(Phase.RECEPTION)
    client.force_login(users[Role.TEACHER])
    assert client.get(f"/reception/persons/{person.id}/training/").status_code == 404
    assert client.get(f"/api/reception/persons/{person.id}/training").status_code == 404
