"""The pages: the public overview without login (bokmål and English), and the municipality's and the
reception centre's forms: good input leads on, bad input gets a 400 with the message and saves nothing."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from bro.core.models import Organisation
from bro.core.municipalities import municipality_by_number
from bro.core.roles import OrganisationKind, Role
from bro.people.phases import Phase
from bro.settlement.housing import services
from bro.settlement.housing.models import (
    HousingAllocation,
    HousingGuidance,
    HousingUnit,
    SelfSettlementRequest,
    SelfSettlementTerms,
    SettlingInSupport,
)
from tests.conftest import days_ago

from .conftest import request_input, terms_input, unit_input

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
OVERVIEW = "/housing/self-settlement/"


def _many_municipalities(count: int) -> list[Organisation]:
    from bro.core.models import Municipality

    numbers = list(
        Municipality.objects.filter(valid_to__isnull=True)
        .exclude(number__in=["5503", "5501"])
        .values_list("number", flat=True)[:count]
    )
    return [
        Organisation.objects.create(
            kind=OrganisationKind.MUNICIPALITY,
            name=f"Kommune {n}",
            municipality=municipality_by_number(n),
            is_settlement_municipality=True,
        )
        for n in numbers
    ]


def _terms(organisation, **values):
    defaults = {
        "allows": True,
        "published": True,
        "updated_on": days_ago(3),
        "contact_name": "Flyktningtjenesten",
    }
    defaults.update(values)
    return SelfSettlementTerms.objects.create(municipality=organisation, **defaults)


@pytest.mark.django_db
def test_the_overview_needs_no_login_and_lists_every_municipality_that_published(chain):
    published = _many_municipalities(30)
    for i, org in enumerate(published):
        _terms(org, allows=i % 4 != 0)
    unpublished = _terms(chain.tromso, published=False, allows=True)
    _terms(
        chain.harstad, other_terms_nb="Kontrakten må gjelde i tre år.", other_terms_en="Three-year contract."
    )

    response = Client().get(OVERVIEW)
    assert response.status_code == 200
    page = response.content.decode()
    rows = re.findall(r'<tr data-municipality="(\d{4})">', page)
    assert len(rows) == 31
    assert set(rows) == {o.municipality.number for o in published} | {"5503"}
    assert unpublished.municipality.name not in page
    assert "Avtalt selvbosetting i kommunene" in page and 'lang="nb"' in page
    assert "Kontrakten må gjelde i tre år." in page and "Three-year contract." not in page
    assert "31 kommuner, og 23 av dem åpner for avtalt selvbosetting" in page


@pytest.mark.django_db
def test_the_overview_in_english_uses_the_english_text_and_marks_norwegian_fallbacks(chain):
    _terms(
        chain.harstad, other_terms_nb="Kontrakten må gjelde i tre år.", other_terms_en="Three-year contract."
    )
    _terms(chain.tromso, other_terms_nb="Kontakt flyktningtjenesten først.")
    page = Client().get(OVERVIEW, **EN).content.decode()
    assert 'lang="en"' in page and "Agreed self-settlement by municipality" in page
    assert "Three-year contract." in page and "Kontrakten må gjelde i tre år." not in page
    assert '<p class="ds-paragraph" data-size="sm" lang="nb">Kontakt flyktningtjenesten først.</p>' in page


@pytest.mark.django_db
def test_the_overview_filters_by_allows_and_county(chain):
    _terms(chain.harstad, allows=True)
    others = _many_municipalities(3)
    _terms(others[0], allows=False)
    page = Client().get(OVERVIEW + "?allows=no").content.decode()
    assert re.findall(r'data-municipality="(\d{4})"', page) == [others[0].municipality.number]
    county = chain.harstad.municipality.county_number
    page = Client().get(OVERVIEW + f"?county={county}").content.decode()
    assert "5503" in re.findall(r'data-municipality="(\d{4})"', page)
    assert others[0].municipality.number not in page or others[0].municipality.county_number == county
    assert Client().get(OVERVIEW + "?county=zz&allows=maybe").status_code == 200


@pytest.mark.django_db
def test_the_overview_shows_the_median_processing_time(chain, officers, published_terms, family):
    request = services.submit_request(officers["reception"], family(size=1), chain.tromso, request_input())
    SelfSettlementRequest.objects.filter(pk=request.pk).update(submitted_on=days_ago(21))
    request.refresh_from_db()
    services.decide_request(officers["tromso"], request, approve=True, decided_on=days_ago(1))
    page = Client().get(OVERVIEW).content.decode()
    assert "median 20 dager (1 søknad)" in page


def test_the_terms_page_saves_and_refuses_bad_input(client, chain, users):
    client.force_login(users[Role.MUNICIPAL_SETTLEMENT_OFFICER])
    assert client.get("/housing/terms/").status_code == 200
    bad = {"allows": "on", "published": "on", "contact_email": "nope", "target_groups": ["families"]}
    response = client.post("/housing/terms/", bad)
    assert response.status_code == 400
    assert 'data-testid="error-summary"' in response.content.decode()
    assert not SelfSettlementTerms.objects.exists()
    good = {**bad, "contact_email": "bosetting@example.org", "contact_name": "Ingrid"}
    response = client.post("/housing/terms/", good)
    assert response.status_code == 302
    terms = SelfSettlementTerms.objects.get(municipality=chain.harstad)
    assert terms.published and terms.target_groups == ["families"]


def test_the_request_pages_submit_and_decide(client, chain, users, officers, published_terms, family):
    household = family(size=2)
    client.force_login(users[Role.RECEPTION_STAFF])
    form = client.get("/housing/requests/new/").content.decode()
    assert str(household.id) in form
    data = {
        "household": str(household.id),
        "municipality": str(chain.tromso.id),
        "landlord": "Nordbolig AS",
        "address": "Storgata 1",
        "monthly_rent": "9000",
        "deposit": "90000",
        "rooms": "3",
        "contract_start": days_ago(-20).isoformat(),
    }
    response = client.post("/housing/requests/new/", data)
    assert response.status_code == 400 and "husleieloven § 3-5" in response.content.decode()
    assert not SelfSettlementRequest.objects.exists()
    response = client.post("/housing/requests/new/", {**data, "deposit": "27000"})
    request = SelfSettlementRequest.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/requests/{request.id}/")
    assert "Tromsø kommune" in client.get("/housing/requests/").content.decode()

    client.force_login(officers["tromso"].user)
    page = client.get(f"/housing/requests/{request.id}/").content.decode()
    assert "Amina Familiesen" in page and 'name="decision"' in page
    response = client.post(f"/housing/requests/{request.id}/decide/", {"decision": "reject"})
    assert response.status_code == 400 and "Skriv begrunnelsen" in response.content.decode()
    response = client.post(
        f"/housing/requests/{request.id}/decide/",
        {"decision": "reject", "reason": "For dyrt."},
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == "rejected"
    # Access ended with the rejection: the household's people are gone from Tromsø's view.
    person = services.household_persons(household)[0]
    assert client.get(f"/persons/{person.id}/").status_code == 404


def test_a_unit_too_small_is_refused_on_the_page_with_a_clear_message(client, chain, users, officers, family):
    household = family(Phase.SETTLED, size=3)
    client.force_login(users[Role.MUNICIPAL_SETTLEMENT_OFFICER])
    response = client.post(
        "/housing/units/new/",
        {
            "address": "Sjøgata 1",
            "size_m2": "28",
            "rooms": "1",
            "bedrooms": "0",
            "monthly_rent": "6500",
            "ownership": "municipal",
            "available_from": days_ago(10).isoformat(),
        },
    )
    assert response.status_code == 302
    unit = HousingUnit.objects.get()
    page = client.get(f"/housing/units/{unit.id}/allocate/").content.decode()
    assert str(household.id) in page
    response = client.post(
        f"/housing/units/{unit.id}/allocate/",
        {"household": str(household.id), "from_date": days_ago(1).isoformat()},
    )
    assert response.status_code == 400
    assert "Boligen er for liten for husstanden: den passer for 2 personer, og husstanden har 3" in (
        response.content.decode()
    )
    assert not HousingAllocation.objects.exists()
    assert "Uten bolig" in client.get("/housing/households/").content.decode()


def test_the_household_page_records_allocation_support_and_guidance(client, chain, users, officers, family):
    household = family(Phase.SETTLED, size=2)
    unit = services.create_unit(officers["harstad"], chain.harstad, unit_input())
    client.force_login(users[Role.MUNICIPAL_SETTLEMENT_OFFICER])
    response = client.post(
        f"/housing/units/{unit.id}/allocate/",
        {"household": str(household.id), "from_date": days_ago(5).isoformat()},
    )
    assert response.status_code == 302 and response["Location"] == f"/housing/households/{household.id}/"
    page = client.get(response["Location"]).content.decode()
    assert "Sjøgata 5, 9405 Harstad" in page
    response = client.post(f"/housing/households/{household.id}/support/", {"support-amount": "0"})
    assert response.status_code == 400 and not SettlingInSupport.objects.exists()
    response = client.post(
        f"/housing/households/{household.id}/support/",
        {
            "support-granted_on": days_ago(1).isoformat(),
            "support-amount": "30000",
            "support-purpose": "Møbler",
        },
    )
    assert response.status_code == 302 and SettlingInSupport.objects.count() == 1
    response = client.post(
        f"/housing/households/{household.id}/guidance/",
        {"guidance-date": days_ago(1).isoformat(), "guidance-kind": "course"},
    )
    assert response.status_code == 302 and HousingGuidance.objects.count() == 1
    allocation = HousingAllocation.objects.get()
    response = client.post(
        f"/housing/allocations/{allocation.id}/end/", {"end-to_date": days_ago(10).isoformat()}
    )
    assert response.status_code == 400
    response = client.post(
        f"/housing/allocations/{allocation.id}/end/", {"end-to_date": days_ago(0).isoformat()}
    )
    assert response.status_code == 302
    allocation.refresh_from_db()
    assert allocation.to_date is not None

    client.force_login(users[Role.PROGRAMME_ADVISER])
    page = client.get(f"/housing/households/{household.id}/").content.decode()
    assert "Møbler" in page and "Registrer tilskudd" not in page


def test_terms_input_helper_is_valid():
    assert terms_input().published
