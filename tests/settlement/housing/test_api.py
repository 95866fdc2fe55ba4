"""The API: the same operations and refusals as the pages, with 422 and field messages for bad input."""

from __future__ import annotations

import json

from django.test import Client

from bro.core.roles import Role
from bro.people.models import SharedAccess
from bro.people.phases import Phase
from bro.settlement.housing import services
from bro.settlement.housing.models import HousingAllocation, SelfSettlementRequest, SelfSettlementTerms
from tests.conftest import days_ago

from .conftest import request_input, unit_input


def _post(client, path, data, method="post"):
    return getattr(client, method)(path, json.dumps(data), content_type="application/json")


def test_the_terms_list_is_public_and_only_lists_published_terms(client, chain, officers, published_terms):
    services.save_terms(officers["tromso"], chain.tromso, services.TermsInput(allows=True, published=False))
    response = Client().get("/api/housing/self-settlement/terms")
    assert response.status_code == 200
    assert [row["municipality_number"] for row in response.json()] == ["5503"]
    assert Client().get("/api/housing/self-settlement/terms?allows=false").json() == []


def test_a_municipality_puts_its_terms_and_bad_input_is_422(client, chain, users):
    client.force_login(users[Role.MUNICIPAL_SETTLEMENT_OFFICER])
    response = _post(
        client,
        "/api/housing/self-settlement/terms/5503",
        {"allows": True, "published": True, "contact_name": "Ingrid", "target_groups": ["families"]},
        "put",
    )
    assert response.status_code == 200 and response.json()["target_groups"] == ["families"]
    response = _post(
        client,
        "/api/housing/self-settlement/terms/5503",
        {"published": True, "contact_name": "", "contact_email": "x"},
        "put",
    )
    assert response.status_code == 422
    assert {e["field"] for e in response.json()["detail"]} == {"contact_name", "contact_email"}
    assert _post(client, "/api/housing/self-settlement/terms/5501", {}, "put").status_code == 403
    assert SelfSettlementTerms.objects.get().contact_name == "Ingrid"


def test_requests_through_the_api(client, chain, users, officers, published_terms, family):
    household = family(size=2)
    client.force_login(users[Role.RECEPTION_STAFF])
    payload = {
        "household_id": str(household.id),
        "municipality_number": "5501",
        "landlord": "Nordbolig AS",
        "address": "Storgata 1",
        "monthly_rent": "9000.00",
        "deposit": "18000",
        "rooms": 3,
        "contract_start": days_ago(-10).isoformat(),
    }
    response = _post(
        client, "/api/housing/self-settlement/requests", {**payload, "municipality_number": "9999"}
    )
    assert response.status_code == 422 and response.json()["detail"][0]["field"] == "municipality_number"
    response = _post(client, "/api/housing/self-settlement/requests", payload)
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["status"] == "submitted" and created["household_size"] == 2
    assert SharedAccess.objects.filter(organisation=chain.tromso).count() == 2
    assert client.get("/api/housing/self-settlement/requests").json()[0]["id"] == created["id"]

    tromso = Client()
    tromso.force_login(officers["tromso"].user)
    path = f"/api/housing/self-settlement/requests/{created['id']}/decision"
    response = _post(tromso, path, {"approve": False})
    assert response.status_code == 422 and response.json()["detail"][0]["field"] == "reason"
    response = _post(tromso, path, {"approve": True, "decided_on": days_ago(0).isoformat()})
    assert response.status_code == 200 and response.json()["processing_days"] == 0
    assert _post(client, path, {"approve": True}).status_code == 403


def test_a_request_to_a_municipality_without_self_settlement_is_422(client, chain, users, officers, family):
    services.save_terms(
        officers["tromso"], chain.tromso, services.TermsInput(allows=False, published=True, contact_name="X")
    )
    client.force_login(users[Role.RECEPTION_STAFF])
    response = _post(
        client,
        "/api/housing/self-settlement/requests",
        {
            "household_id": str(family(size=1).id),
            "municipality_number": "5501",
            "landlord": "A",
            "address": "B",
            "monthly_rent": "1",
            "rooms": 1,
            "contract_start": days_ago(0).isoformat(),
        },
    )
    assert response.status_code == 422
    assert response.json()["detail"] == [
        {"field": "municipality", "message": response.json()["detail"][0]["message"]}
    ]
    assert "Tromsø kommune" in response.json()["detail"][0]["message"]
    assert not SelfSettlementRequest.objects.exists()


def test_units_allocations_and_household_follow_up_through_the_api(client, chain, users, officers, family):
    household = family(Phase.SETTLED, size=3)
    client.force_login(users[Role.MUNICIPAL_SETTLEMENT_OFFICER])
    unit_data = {**unit_input().__dict__, "monthly_rent": "9800", "available_from": days_ago(100).isoformat()}
    response = _post(client, "/api/housing/units", {**unit_data, "size_m2": 28, "rooms": 1, "bedrooms": 0})
    assert response.status_code == 201 and response.json()["capacity"] == 2
    small = response.json()["id"]
    response = _post(
        client,
        f"/api/housing/units/{small}/allocations",
        {"household_id": str(household.id), "from_date": days_ago(1).isoformat()},
    )
    assert response.status_code == 422
    detail = response.json()["detail"][0]
    assert detail["field"] == "unit" and "2" in detail["message"] and "3" in detail["message"]
    assert not HousingAllocation.objects.exists()

    big = _post(client, "/api/housing/units", unit_data).json()["id"]
    response = _post(
        client,
        f"/api/housing/units/{big}/allocations",
        {"household_id": str(household.id), "from_date": days_ago(1).isoformat()},
    )
    assert response.status_code == 201
    allocation = response.json()["id"]
    assert {u["id"]: u["current_household_id"] for u in client.get("/api/housing/units").json()}[big] == str(
        household.id
    )
    assert (
        _post(
            client,
            f"/api/housing/households/{household.id}/support",
            {"granted_on": days_ago(0).isoformat(), "amount": "40000", "purpose": "Møbler"},
        ).status_code
        == 201
    )
    assert (
        _post(
            client,
            f"/api/housing/households/{household.id}/guidance",
            {"date": days_ago(0).isoformat(), "kind": "bad"},
        ).status_code
        == 422
    )
    assert (
        _post(
            client,
            f"/api/housing/households/{household.id}/guidance",
            {"date": days_ago(0).isoformat(), "kind": "course"},
        ).status_code
        == 201
    )
    body = client.get(f"/api/housing/households/{household.id}").json()
    assert body["can_change"] and body["current_allocation"]["id"] == allocation
    assert len(body["settling_in_support"]) == 1 and len(body["guidance"]) == 1
    listed = client.get("/api/housing/households").json()
    assert [row["housed"] for row in listed if row["household_id"] == str(household.id)] == [True]
    response = _post(
        client, f"/api/housing/allocations/{allocation}/end", {"to_date": days_ago(0).isoformat()}
    )
    assert response.status_code == 200 and response.json()["to_date"] == days_ago(0).isoformat()


def test_the_api_refuses_the_same_way_as_the_pages(client, chain, users, officers, family):
    household = family(Phase.SETTLED, size=1)
    unit = services.create_unit(officers["harstad"], chain.harstad, unit_input())
    client.force_login(users[Role.TEACHER])
    assert client.get("/api/housing/units").status_code == 403
    assert client.get(f"/api/housing/households/{household.id}").status_code == 404
    assert (
        _post(
            client,
            f"/api/housing/units/{unit.id}/allocations",
            {"household_id": str(household.id), "from_date": "2025-01-01"},
        ).status_code
        == 404
    )
    assert Client().get("/api/housing/units").status_code == 401


def test_request_input_helper_matches_the_service():
    assert request_input().rooms == 3
