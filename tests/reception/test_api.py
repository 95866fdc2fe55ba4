"""The reception API: the same operations as the pages, with the same rules and error shapes."""

import datetime
import json

from django.utils import timezone

from bro.core.models import Notification
from bro.core.roles import Role
from bro.people.phases import Phase
from bro.reception.models import OccupancyChange, TrainingWeek

TODAY = timezone.localdate


def _post(client, url, data, **extra):
    return client.post(url, json.dumps(data), content_type="application/json", **extra)


def test_reception_staff_announce_arrivals_and_the_host_is_notified(client, users, chain):
    client.force_login(users[Role.RECEPTION_STAFF])
    response = _post(
        client,
        f"/api/reception/centres/{chain.centre_harstad.id}/changes",
        {"kind": "arrivals", "effective_date": TODAY().isoformat(), "age_6_15": 4, "age_18_plus": 10},
    )
    assert response.status_code == 201, response.content
    assert response.json()["total"] == 14
    assert Notification.objects.filter(user=users[Role.MUNICIPAL_SETTLEMENT_OFFICER]).count() == 1
    centre = client.get(f"/api/reception/centres/{chain.centre_harstad.id}").json()
    assert centre["host_municipality_id"] == str(chain.harstad.id)
    assert centre["changes"][0]["age_6_15"] == 4
    assert len(centre["occupancy"]) >= 12


def test_bad_input_gets_422_with_field_messages_in_the_users_language_and_saves_nothing(client, users, chain):
    client.force_login(users[Role.RECEPTION_STAFF])
    response = _post(
        client,
        f"/api/reception/centres/{chain.centre_harstad.id}/changes",
        {"kind": "planned_opening", "effective_date": (TODAY() - datetime.timedelta(days=3)).isoformat()},
        HTTP_ACCEPT_LANGUAGE="nb",
    )
    assert response.status_code == 422
    assert response.json()["detail"] == [
        {
            "field": "effective_date",
            "message": "En planlagt åpning eller nedleggelse må være i dag eller senere.",
        }
    ]
    response = _post(
        client,
        f"/api/reception/centres/{chain.centre_harstad.id}/changes",
        {"kind": "arrivals", "effective_date": "yesterday", "age_18_plus": -2},
    )
    assert response.status_code == 422
    assert {e["field"] for e in response.json()["detail"]} == {"effective_date", "age_18_plus"}
    assert not OccupancyChange.objects.exists() and not Notification.objects.exists()


def test_host_service_capacity_and_demand(client, users, chain, arrive):
    arrive(Phase.RECEPTION, birth_date=TODAY().replace(year=TODAY().year - 3) - datetime.timedelta(days=1))
    client.force_login(users[Role.MUNICIPAL_SETTLEMENT_OFFICER])
    response = _post(
        client,
        f"/api/reception/host/{chain.harstad.id}/services",
        {"service": "kindergarten", "capacity": 0, "valid_from": TODAY().isoformat()},
    )
    assert response.status_code == 201
    host = client.get(f"/api/reception/host/{chain.harstad.id}").json()
    kindergarten = next(s for s in host["services"] if s["service"] == "kindergarten")
    assert kindergarten == {
        "service": "kindergarten",
        "capacity": 0,
        "expected_demand": 1,
        "over_capacity": True,
    }
    assert host["demand_by_centre"][0]["residents"]["child_welfare"] == 1


def test_training_week_through_the_api(client, users, arrive):
    person = arrive(Phase.RECEPTION)
    client.force_login(users[Role.RECEPTION_STAFF])
    year, week, _ = (TODAY() - datetime.timedelta(days=7)).isocalendar()
    url = f"/api/reception/persons/{person.id}/training"
    ok = _post(
        client, url, {"iso_year": year, "iso_week": week, "hours_offered": "10", "hours_attended": "7.5"}
    )
    assert ok.status_code == 201, ok.content
    too_many = _post(
        client, url, {"iso_year": year, "iso_week": week, "hours_offered": "10", "hours_attended": "12"}
    )
    assert too_many.status_code == 422
    record = client.get(url).json()
    assert record["totals"]["attendance_percent"] == 75
    assert TrainingWeek.objects.count() == 1


def test_centres_the_user_may_not_see_are_403_and_unknown_ones_404(client, users, chain):
    client.force_login(users[Role.RECEPTION_STAFF])
    assert client.get(f"/api/reception/centres/{chain.centre_tromso.id}").status_code == 403
    assert client.get(f"/api/reception/centres/{chain.harstad.id}").status_code == 404  # not a centre
    ids = {c["id"] for c in client.get("/api/reception/centres").json()}
    assert ids == {str(chain.centre_harstad.id)}
