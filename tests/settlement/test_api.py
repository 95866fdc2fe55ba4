"""The settlement API: the same operations as the pages, through the same services."""

import json

import pytest
from django.utils import timezone

from bro.core.roles import Role
from bro.people.phases import Phase
from bro.settlement.models import CouncilDecision, SettlementInterview, SettlementProposal, SettlementRequest

pytestmark = pytest.mark.django_db


def _post(client, path, body, method="POST"):
    return client.generic(method, path, json.dumps(body), content_type="application/json")


def test_the_cycle_through_the_api(client, users, chain, arrive):
    year = timezone.localdate().year
    today = timezone.localdate().isoformat()
    client.force_login(users[Role.NATIONAL_SETTLEMENT_OFFICER])
    response = _post(
        client,
        "/api/settlement/needs",
        {
            "year": year,
            "persons": 5000,
            "unaccompanied_minors": 100,
            "counties": [{"county_number": "55", "persons": 400}],
        },
    )
    assert response.status_code == 201 and response.json()["counties"][0]["county_number"] == "55"
    for persons in (20, 22):
        response = _post(
            client,
            "/api/settlement/requests",
            {
                "year": year,
                "municipality_number": "5503",
                "persons": persons,
                "unaccompanied_minors": 6,
                "sent_on": today,
            },
        )
    assert response.status_code == 201 and response.json()["revision"] == 2

    client.force_login(users[Role.MUNICIPAL_SETTLEMENT_OFFICER])
    response = _post(
        client,
        "/api/settlement/decisions",
        {"year": year, "persons": 10, "unaccompanied_minors": 0, "decided_on": today, "body": "council"},
    )
    assert response.status_code == 201 and CouncilDecision.objects.get().municipality == chain.harstad

    person = arrive(Phase.PERMIT_GRANTED)
    client.force_login(users[Role.RECEPTION_STAFF])
    response = _post(
        client,
        f"/api/settlement/interviews/{person.pk}",
        {"conducted_on": today, "education": "Bachelor", "complete": True},
        method="PUT",
    )
    assert response.status_code == 200 and response.json()["completed"] is True

    client.force_login(users[Role.NATIONAL_SETTLEMENT_OFFICER])
    ready = client.get("/api/settlement/ready").json()
    assert [u["id"] for u in ready] == [str(person.pk)]
    response = _post(
        client, "/api/settlement/proposals", {"unit_id": str(person.pk), "municipality_number": "5503"}
    )
    assert response.status_code == 201
    proposal_id = response.json()["id"]
    assert client.get("/api/settlement/interviews/" + str(person.pk)).json()["education"] == "Bachelor"

    client.force_login(users[Role.MUNICIPAL_SETTLEMENT_OFFICER])
    overview = client.get("/api/settlement/municipality").json()
    assert (overview["request"]["persons"], overview["decision"]["persons"]) == (22, 10)
    assert [p["id"] for p in overview["pending"]] == [proposal_id]
    assert client.get(f"/api/settlement/interviews/{person.pk}").status_code == 200  # shared access
    assert (
        _post(client, f"/api/settlement/proposals/{proposal_id}/answer", {"accept": True}).json()["status"]
        == "accepted"
    )
    settled = _post(client, f"/api/settlement/proposals/{proposal_id}/settlement", {"date": today})
    assert settled.status_code == 200 and settled.json()["status"] == "settled"

    client.force_login(users[Role.NATIONAL_SETTLEMENT_OFFICER])
    overview = client.get(f"/api/settlement/overview?year={year}").json()
    harstad = next(m for c in overview["counties"] for m in c["municipalities"] if m["number"] == "5503")
    assert (harstad["request"], harstad["decision"], harstad["ordinary"]) == (22, 10, 1)


def test_bad_input_gets_field_errors_in_bokmal_and_changes_nothing(client, users):
    client.force_login(users[Role.NATIONAL_SETTLEMENT_OFFICER])
    response = _post(
        client,
        "/api/settlement/requests",
        {
            "year": 1990,
            "municipality_number": "5503",
            "persons": 5,
            "unaccompanied_minors": 9,
            "sent_on": "2025-01-01",
        },
    )
    assert response.status_code == 422
    fields = {e["field"]: e["message"] for e in response.json()["detail"]}
    assert fields == {
        "year": "Velg et år fra 2000 til neste år.",
        "unaccompanied_minors": "Det kan ikke være flere enslige mindreårige enn personer.",
    }
    response = _post(
        client,
        "/api/settlement/requests",
        {"year": 2026, "municipality_number": "5503", "persons": -1, "sent_on": "0"},
    )
    assert response.status_code == 422
    assert not SettlementRequest.objects.exists()


def test_a_decline_without_reason_is_refused(client, users, arrive):
    person = arrive(Phase.READY_FOR_SETTLEMENT)
    client.force_login(users[Role.NATIONAL_SETTLEMENT_OFFICER])
    proposal_id = _post(
        client, "/api/settlement/proposals", {"unit_id": str(person.pk), "municipality_number": "5503"}
    ).json()["id"]
    client.force_login(users[Role.MUNICIPAL_SETTLEMENT_OFFICER])
    response = _post(client, f"/api/settlement/proposals/{proposal_id}/answer", {"accept": False})
    assert response.status_code == 422 and response.json()["detail"][0]["field"] == "reason"
    assert SettlementProposal.objects.get().status == "pending"


def test_the_waiting_list_api_gives_days_and_status(client, users, arrive):
    arrive(Phase.READY_FOR_SETTLEMENT)
    client.force_login(users[Role.NATIONAL_SETTLEMENT_OFFICER])
    rows = client.get("/api/settlement/waiting").json()
    assert len(rows) == 1 and rows[0]["days_waited"] == 300 and rows[0]["status"] == "over"
    assert "national_identity_number" not in json.dumps(rows)
    assert not SettlementInterview.objects.exists()
