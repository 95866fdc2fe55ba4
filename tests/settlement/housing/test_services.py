"""Services: every write checks permission, refuses bad input with a clear message and saves nothing."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from bro.core import policy
from bro.core.models import AuditEntry
from bro.people.models import SharedAccess
from bro.people.phases import Phase
from bro.settlement.housing import selectors, services
from bro.settlement.housing.models import (
    HousingAllocation,
    HousingGuidance,
    HousingUnit,
    RequestStatus,
    SelfSettlementRequest,
    SelfSettlementTerms,
    SettlingInSupport,
)
from tests.conftest import days_ago

from .conftest import make_household, request_input, terms_input, unit_input


def _messages(exc: ValidationError) -> dict:
    return {field: " ".join(str(m) for m in messages) for field, messages in exc.message_dict.items()}


# --- terms ---------------------------------------------------------------------------------------


def test_a_municipality_publishes_and_changes_its_terms(chain, officers):
    terms = services.save_terms(officers["harstad"], chain.harstad, terms_input())
    assert terms.published and terms.allows and terms.target_groups == ["families", "own_network"]
    services.save_terms(officers["harstad"], chain.harstad, terms_input(allows=False, target_groups=[]))
    terms.refresh_from_db()
    assert not terms.allows and SelfSettlementTerms.objects.count() == 1
    assert AuditEntry.objects.filter(object_type="housing.selfsettlementterms").count() == 2


def test_only_the_municipalitys_own_officers_change_its_terms(chain, officers):
    for actor in (officers["tromso"], officers["reception"], officers["imdi"]):
        with pytest.raises(PermissionDenied):
            services.save_terms(actor, chain.harstad, terms_input())
    assert not SelfSettlementTerms.objects.exists()


def test_bad_terms_are_refused_all_at_once_and_nothing_is_saved(chain, officers):
    with pytest.raises(ValidationError) as caught, translation.override("en"):
        services.save_terms(
            officers["harstad"],
            chain.harstad,
            terms_input(target_groups=["aliens"], contact_email="not-an-email", contact_name=""),
        )
    errors = _messages(caught.value)
    assert set(errors) == {"target_groups", "contact_email", "contact_name"}
    assert "aliens" in errors["target_groups"]
    assert not SelfSettlementTerms.objects.exists()


# --- requests ------------------------------------------------------------------------------------


def test_a_request_gives_the_municipality_read_access_with_a_legal_basis_until_it_rejects(
    chain, officers, published_terms, family
):
    household = family(size=2)
    tromso = officers["tromso"].user
    persons = services.household_persons(household)
    assert not policy.access_to_person(tromso, persons[0]).can_read

    request = services.submit_request(officers["reception"], household, chain.tromso, request_input())
    assert request.status == RequestStatus.SUBMITTED and request.submitted_by == chain.centre_harstad
    grants = SharedAccess.objects.filter(organisation=chain.tromso)
    assert grants.count() == 2
    assert {g.legal_basis for g in grants} == {services.SELF_SETTLEMENT_LEGAL_BASIS}
    for person in persons:
        access = policy.access_to_person(tromso, person)
        assert (access.can_read, access.can_write, access.reason) == (True, False, "shared")
        assert access.organisation == chain.tromso

    services.decide_request(officers["tromso"], request, approve=False, reason="Husleien er for høy.")
    request.refresh_from_db()
    assert request.status == RequestStatus.REJECTED and request.decided_on == timezone.localdate()
    for person in persons:
        tromso._bro_memberships = None
        assert policy.access_to_person(tromso, person) == policy.NO_ACCESS


def test_approval_keeps_access_for_a_limited_time(chain, officers, published_terms, family):
    household = family(size=1)
    request = services.submit_request(officers["reception"], household, chain.tromso, request_input())
    services.decide_request(officers["tromso"], request, approve=True)
    grant = SharedAccess.objects.get(organisation=chain.tromso)
    assert grant.revoked_at is None
    assert grant.valid_until == request.contract_start + services.ACCESS_AFTER_APPROVAL


def test_the_directorate_submits_for_households_it_is_responsible_for(
    chain, officers, published_terms, family
):
    household = family(size=1)
    request = services.submit_request(officers["imdi"], household, chain.tromso, request_input())
    assert request.submitted_by == chain.directorate


def test_a_municipality_that_does_not_allow_self_settlement_is_refused_with_its_name(
    chain, officers, published_terms, family
):
    services.save_terms(officers["tromso"], chain.tromso, terms_input(allows=False))
    household = family(size=1)
    with pytest.raises(ValidationError) as caught, translation.override("nb"):
        services.submit_request(officers["reception"], household, chain.tromso, request_input())
    message = _messages(caught.value)["municipality"]
    assert "Tromsø kommune åpner ikke for avtalt selvbosetting" in message
    assert not SelfSettlementRequest.objects.exists() and not SharedAccess.objects.exists()


def test_unpublished_terms_do_not_count_as_allowing(chain, officers, published_terms, family):
    services.save_terms(officers["tromso"], chain.tromso, terms_input(published=False))
    with pytest.raises(ValidationError):
        services.submit_request(officers["reception"], family(size=1), chain.tromso, request_input())


def test_households_without_a_permit_cannot_apply(chain, officers, published_terms, family):
    household = family(Phase.RECEPTION, size=1)
    with pytest.raises(ValidationError) as caught:
        services.submit_request(officers["reception"], household, chain.tromso, request_input())
    assert "household" in caught.value.message_dict
    assert not SelfSettlementRequest.objects.exists()


def test_bad_contract_details_are_refused_together_and_nothing_is_saved(
    chain, officers, published_terms, family
):
    household = family(size=1)
    bad = request_input(landlord=" ", monthly_rent=Decimal("0"), deposit=Decimal("-1"), rooms=0)
    with pytest.raises(ValidationError) as caught:
        services.submit_request(officers["reception"], household, chain.tromso, bad)
    assert set(caught.value.message_dict) == {"landlord", "monthly_rent", "deposit", "rooms"}
    too_high = request_input(monthly_rent=Decimal("8000"), deposit=Decimal("48000.01"))
    with pytest.raises(ValidationError) as caught, translation.override("en"):
        services.submit_request(officers["reception"], household, chain.tromso, too_high)
    assert "48000 kroner" in _messages(caught.value)["deposit"]
    assert not SelfSettlementRequest.objects.exists() and not SharedAccess.objects.exists()


def test_one_pending_request_per_household(chain, officers, published_terms, family):
    household = family(size=1)
    services.submit_request(officers["reception"], household, chain.tromso, request_input())
    with pytest.raises(ValidationError) as caught:
        services.submit_request(officers["reception"], household, chain.harstad, request_input())
    assert "household" in caught.value.message_dict
    assert SelfSettlementRequest.objects.count() == 1


def test_only_the_organisation_that_writes_the_household_submits(chain, officers, published_terms, family):
    household = family(size=1)
    for actor in (officers["harstad"], officers["tromso"]):
        with pytest.raises(PermissionDenied):
            services.submit_request(actor, household, chain.tromso, request_input())
    assert not SelfSettlementRequest.objects.exists()


def test_deciding_checks_the_municipality_the_reason_and_the_date(chain, officers, published_terms, family):
    request = services.submit_request(officers["reception"], family(size=1), chain.tromso, request_input())
    SelfSettlementRequest.objects.filter(pk=request.pk).update(submitted_on=days_ago(12))
    request.refresh_from_db()
    with pytest.raises(PermissionDenied):
        services.decide_request(officers["harstad"], request, approve=True)
    with pytest.raises(ValidationError) as caught:
        services.decide_request(officers["tromso"], request, approve=False, reason=" ")
    assert "reason" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        services.decide_request(officers["tromso"], request, approve=True, decided_on=days_ago(13))
    assert "decided_on" in caught.value.message_dict
    with pytest.raises(ValidationError):
        services.decide_request(officers["tromso"], request, approve=True, decided_on=days_ago(-1))
    request.refresh_from_db()
    assert request.status == RequestStatus.SUBMITTED

    services.decide_request(officers["tromso"], request, approve=True, decided_on=days_ago(2))
    with pytest.raises(ValidationError):
        services.decide_request(officers["tromso"], request, approve=False, reason="Endret mening")
    row = selectors.public_terms()[1]
    assert row.terms.municipality == chain.tromso and row.median_days == 10 and row.decided == 1


# --- units and allocations -----------------------------------------------------------------------


def test_only_the_municipalitys_settlement_officers_add_units_and_bad_units_are_refused(chain, officers):
    unit = services.create_unit(officers["harstad"], chain.harstad, unit_input())
    assert unit.municipality == chain.harstad
    for actor in (officers["tromso"], officers["reception"]):
        with pytest.raises(PermissionDenied):
            services.create_unit(actor, chain.harstad, unit_input())
    with pytest.raises(ValidationError) as caught:
        services.create_unit(
            officers["harstad"],
            chain.harstad,
            unit_input(rooms=2, bedrooms=2, size_m2=0, address="", ownership="x"),
        )
    assert set(caught.value.message_dict) == {"bedrooms", "size_m2", "address", "ownership"}
    assert HousingUnit.objects.count() == 1


def test_a_unit_too_small_for_the_household_is_refused_with_both_numbers(chain, officers, family):
    household = family(Phase.SETTLED, size=3)
    unit = services.create_unit(
        officers["harstad"], chain.harstad, unit_input(size_m2=28, rooms=1, bedrooms=0)
    )
    with pytest.raises(ValidationError) as caught, translation.override("en"):
        services.allocate_unit(officers["harstad"], unit, household, from_date=days_ago(1))
    message = _messages(caught.value)["unit"]
    assert "fits 2 persons and the household has 3" in message
    with translation.override("nb"), pytest.raises(ValidationError) as caught:
        services.allocate_unit(officers["harstad"], unit, household, from_date=days_ago(1))
    assert "passer for 2 personer, og husstanden har 3" in _messages(caught.value)["unit"]
    assert not HousingAllocation.objects.exists()


def test_allocation_is_exclusive_per_unit_and_per_household(chain, officers, family):
    first, second = family(Phase.SETTLED, size=2), family(Phase.SETTLED, size=1, family_name="Andresen")
    unit = services.create_unit(officers["harstad"], chain.harstad, unit_input())
    other = services.create_unit(officers["harstad"], chain.harstad, unit_input(address="Storgata 2"))
    allocation = services.allocate_unit(officers["harstad"], unit, first, from_date=days_ago(30))
    with pytest.raises(ValidationError) as caught:
        services.allocate_unit(officers["harstad"], unit, second, from_date=days_ago(10))
    assert "unit" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        services.allocate_unit(officers["harstad"], other, first, from_date=days_ago(5))
    assert "household" in caught.value.message_dict
    with pytest.raises(ValidationError):
        services.end_allocation(officers["harstad"], allocation, to_date=days_ago(31))
    services.end_allocation(officers["harstad"], allocation, to_date=days_ago(6))
    services.allocate_unit(officers["harstad"], other, first, from_date=days_ago(5))
    services.allocate_unit(officers["harstad"], unit, second, from_date=days_ago(5))
    assert HousingAllocation.objects.count() == 3


def test_allocation_refuses_a_date_before_the_unit_is_available(chain, officers, family):
    household = family(Phase.SETTLED, size=1)
    unit = services.create_unit(officers["harstad"], chain.harstad, unit_input(available_from=days_ago(3)))
    with pytest.raises(ValidationError) as caught:
        services.allocate_unit(officers["harstad"], unit, household, from_date=days_ago(4))
    assert "from_date" in caught.value.message_dict


def test_a_municipality_houses_only_households_it_is_responsible_for(chain, officers, family):
    in_tromso = family(Phase.SETTLED, size=1, settle_in=chain.tromso)
    unit = services.create_unit(officers["harstad"], chain.harstad, unit_input())
    with pytest.raises(ValidationError) as caught:
        services.allocate_unit(officers["harstad"], unit, in_tromso, from_date=days_ago(1))
    assert "household" in caught.value.message_dict
    with pytest.raises(PermissionDenied):
        services.allocate_unit(officers["tromso"], unit, in_tromso, from_date=days_ago(1))
    assert not HousingAllocation.objects.exists()


def test_support_and_guidance_are_recorded_and_bad_input_saves_nothing(chain, officers, family, users):
    household = family(Phase.SETTLED, size=2)
    support = services.grant_support(
        officers["harstad"], household, granted_on=days_ago(1), amount=Decimal("33000"), purpose="Møbler"
    )
    assert support.municipality == chain.harstad
    services.record_guidance(
        officers["harstad"], household, date=days_ago(2), kind="home_visit", note="Strøm"
    )
    with pytest.raises(ValidationError) as caught:
        services.grant_support(
            officers["harstad"], household, granted_on=days_ago(-3), amount=Decimal("0"), purpose=""
        )
    assert set(caught.value.message_dict) == {"granted_on", "amount", "purpose"}
    with pytest.raises(ValidationError) as caught:
        services.record_guidance(officers["harstad"], household, date=days_ago(1), kind="party")
    assert "kind" in caught.value.message_dict
    for actor in (officers["tromso"], officers["reception"], services.Actor(users["programme_adviser"])):
        with pytest.raises(PermissionDenied):
            services.record_guidance(actor, household, date=days_ago(1), kind="course")
    assert SettlingInSupport.objects.count() == 1 and HousingGuidance.objects.count() == 1


def test_housed_household_ids_counts_current_allocations_in_that_municipality_only(chain, officers, family):
    housed, ended, future, homeless = (
        family(Phase.SETTLED, size=1, family_name=name) for name in ("Bor", "Flyttet", "Snart", "Uten")
    )
    units = [
        services.create_unit(officers["harstad"], chain.harstad, unit_input(address=f"Gate {i}"))
        for i in range(3)
    ]
    services.allocate_unit(officers["harstad"], units[0], housed, from_date=days_ago(10))
    old = services.allocate_unit(officers["harstad"], units[1], ended, from_date=days_ago(50))
    services.end_allocation(officers["harstad"], old, to_date=days_ago(1))
    services.allocate_unit(officers["harstad"], units[2], future, from_date=days_ago(-5))
    ids = [h.id for h in (housed, ended, future, homeless)]
    assert selectors.housed_household_ids(chain.harstad, ids) == {housed.id}
    assert selectors.housed_household_ids(chain.harstad.id, ids) == {housed.id}
    assert selectors.housed_household_ids(chain.tromso, ids) == set()
    assert selectors.housed_household_ids(chain.harstad, []) == set()


def test_an_allocation_today_counts_and_one_that_ended_yesterday_does_not(chain, officers, family):
    household = family(Phase.SETTLED, size=1)
    unit = services.create_unit(officers["harstad"], chain.harstad, unit_input())
    allocation = services.allocate_unit(officers["harstad"], unit, household, from_date=timezone.localdate())
    assert selectors.housed_household_ids(chain.harstad, [household.id]) == {household.id}
    HousingAllocation.objects.filter(pk=allocation.pk).update(
        from_date=days_ago(3), to_date=timezone.localdate() - datetime.timedelta(days=1)
    )
    assert selectors.housed_household_ids(chain.harstad, [household.id]) == set()


def test_reading_a_household_needs_every_member_readable_now(chain, officers, family, users, arrive):
    settled = arrive(Phase.SETTLED, given_name="Settled")
    elsewhere = arrive(Phase.SETTLED, given_name="Elsewhere", settle_in=chain.tromso)
    mixed = make_household(settled, elsewhere)
    harstad_only = make_household(arrive(Phase.SETTLED, given_name="Alone"))
    with pytest.raises(Exception) as caught:
        selectors.get_household(officers["harstad"].user, mixed.id)
    assert caught.type.__name__ == "Http404"
    assert selectors.get_household(officers["harstad"].user, harstad_only.id).writer == chain.harstad
    assert selectors.get_household(users["programme_adviser"], harstad_only.id).writer is None
