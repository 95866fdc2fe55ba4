"""The access matrix for housing and agreed self-settlement: every page and API operation of the app,
for every role (and a few users with other organisations or several memberships), and anonymously.

Expected outcomes are computed here from the rules in docs/decisions/0009, never by asking the app's
permission code:

* the public overview (page and API list) answers everyone, also without login;
* a municipality's terms are edited by its municipal settlement officers and administrators;
* self-settlement requests are submitted by reception staff (at a reception centre) and national
  settlement officers (at the directorate) for households their organisation may write; a request is
  seen by the submitting organisation's submitters and the requested municipality's settlement
  officers, and decided by the latter;
* housing units belong to the municipality's settlement officers;
* a household's housing is read by settlement officers and programme advisers who read every member
  now (their organisation is responsible now, or has shared access), and changed by a settlement
  officer of the responsible municipality.

Not visible → 404; visible but not allowed → 403; a role that has nothing here → 403 on list pages; the
refusal of a write saves nothing; anonymous users go to the login page (pages) or get 401 (API).
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from bro.api import api
from bro.core.models import Membership
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
from tests.conftest import days_ago, make_user

from .conftest import request_input, unit_input

K = OrganisationKind
R = Role
# The rules, written out here independently of bro.core.roles and the app's permissions module.
PERSON_READ_ROLES = {
    R.NATIONAL_SETTLEMENT_OFFICER,
    R.MUNICIPAL_SETTLEMENT_OFFICER,
    R.PROGRAMME_ADVISER,
    R.TEACHER,
    R.HEALTH_NURSE,
    R.RECEPTION_STAFF,
}
HOUSEHOLD_ROLES = {R.MUNICIPAL_SETTLEMENT_OFFICER, R.PROGRAMME_ADVISER}
MINIMUM_CASES = 450

PAGES = {
    "overview": ("self-settlement/", ("GET",)),
    "terms": ("terms/", ("GET", "POST")),
    "request list": ("requests/", ("GET",)),
    "request create": ("requests/new/", ("GET", "POST")),
    "request detail": ("requests/<uuid:request_id>/", ("GET",)),
    "request decide": ("requests/<uuid:request_id>/decide/", ("POST",)),
    "unit list": ("units/", ("GET",)),
    "unit create": ("units/new/", ("GET", "POST")),
    "unit allocate": ("units/<uuid:unit_id>/allocate/", ("GET", "POST")),
    "household list": ("households/", ("GET",)),
    "household detail": ("households/<uuid:household_id>/", ("GET",)),
    "household support": ("households/<uuid:household_id>/support/", ("POST",)),
    "household guidance": ("households/<uuid:household_id>/guidance/", ("POST",)),
    "allocation end": ("allocations/<uuid:allocation_id>/end/", ("POST",)),
}
API = {
    ("/api/housing/self-settlement/terms", "GET"),
    ("/api/housing/self-settlement/terms/{municipality_number}", "PUT"),
    ("/api/housing/self-settlement/requests", "GET"),
    ("/api/housing/self-settlement/requests", "POST"),
    ("/api/housing/self-settlement/requests/{request_id}", "GET"),
    ("/api/housing/self-settlement/requests/{request_id}/decision", "POST"),
    ("/api/housing/units", "GET"),
    ("/api/housing/units", "POST"),
    ("/api/housing/units/{unit_id}/allocations", "POST"),
    ("/api/housing/allocations/{allocation_id}/end", "POST"),
    ("/api/housing/households", "GET"),
    ("/api/housing/households/{household_id}", "GET"),
    ("/api/housing/households/{household_id}/support", "POST"),
    ("/api/housing/households/{household_id}/guidance", "POST"),
}


@pytest.fixture(autouse=True)
def _quiet_request_log():
    logger = logging.getLogger("django.request")
    level = logger.level
    logger.setLevel(logging.ERROR)
    yield
    logger.setLevel(level)


@dataclass
class World:
    ready: object  # a household ready for settlement at the Harstad centre: the one to submit for
    request: SelfSettlementRequest  # pending, from the Harstad centre to Tromsø
    unit: HousingUnit  # Harstad's, free
    homeless: object  # settled in Harstad, no housing
    housed: object  # settled in Harstad, living in ``allocation``
    allocation: HousingAllocation
    ids: dict = field(default_factory=dict)


@pytest.fixture
def world(chain, users, officers, published_terms, family) -> World:
    ready = family(size=2, family_name="Klarsen")
    pending = services.submit_request(
        officers["reception"], family(size=1, family_name="Ventesen"), chain.tromso, request_input()
    )
    unit = services.create_unit(officers["harstad"], chain.harstad, unit_input())
    homeless = family(Phase.SETTLED, size=2, family_name="Boligløsen")
    housed = family(Phase.SETTLED, size=1, family_name="Bosen")
    other = services.create_unit(officers["harstad"], chain.harstad, unit_input(address="Storgata 9"))
    allocation = services.allocate_unit(officers["harstad"], other, housed, from_date=days_ago(20))
    family(Phase.SETTLED, size=1, family_name="Tromsen", settle_in=chain.tromso)
    return World(ready, pending, unit, homeless, housed, allocation)


@pytest.fixture
def principals(chain, users, officers):
    multi = make_user("multi", chain.adult_education, R.TEACHER)
    Membership.objects.get_or_create(user=multi, organisation=chain.centre_tromso, role=R.RECEPTION_STAFF)
    extra = {
        "tromso-officer": officers["tromso"].user,
        "tromso-reception": make_user("tromso-reception", chain.centre_tromso, R.RECEPTION_STAFF),
        "nav-adviser": make_user("nav-adviser", chain.nav, R.PROGRAMME_ADVISER),
        "municipal-nurse": make_user("municipal-nurse", chain.harstad, R.HEALTH_NURSE),
        "harstad-admin": make_user("harstad-admin", chain.harstad, R.ADMINISTRATOR),
        "multi": multi,
    }
    result = []
    for label, user in [*((str(role), u) for role, u in users.items()), *extra.items()]:
        rows = list(
            Membership.objects.filter(user=user).values_list("organisation_id", "organisation__kind", "role")
        )
        result.append(Principal(label, user, rows))
    return result


@dataclass
class Principal:
    label: str
    user: object
    memberships: list  # (organisation id, kind, role)

    def has(self, roles, kinds=None, orgs=None) -> bool:
        return any(
            role in roles and (kinds is None or kind in kinds) and (orgs is None or org in orgs)
            for org, kind, role in self.memberships
        )

    # --- the rules ----------------------------------------------------------------------------
    def edits_terms(self, org=None) -> bool:
        return self.has(
            {R.MUNICIPAL_SETTLEMENT_OFFICER, R.ADMINISTRATOR},
            {K.MUNICIPALITY},
            None if org is None else {org},
        )

    def submits(self) -> bool:
        return self.has({R.RECEPTION_STAFF}, {K.RECEPTION_CENTRE}) or self.has(
            {R.NATIONAL_SETTLEMENT_OFFICER}, {K.DIRECTORATE}
        )

    def submits_for(self, responsible_now: set) -> bool:
        return self.has({R.RECEPTION_STAFF}, {K.RECEPTION_CENTRE}, responsible_now) or self.has(
            {R.NATIONAL_SETTLEMENT_OFFICER}, {K.DIRECTORATE}, responsible_now
        )

    def officer_of(self, org=None) -> bool:
        return self.has({R.MUNICIPAL_SETTLEMENT_OFFICER}, {K.MUNICIPALITY}, None if org is None else {org})

    def sees_request(self, request) -> bool:
        return self.submits_for({request.submitted_by_id}) or self.officer_of(request.municipality_id)

    def reads_household(self, responsible_now: set) -> bool:
        return self.has(HOUSEHOLD_ROLES) and self.has(PERSON_READ_ROLES, None, responsible_now)


@dataclass
class Recorder:
    count: int = 0
    failures: list = field(default_factory=list)
    exercised: set = field(default_factory=set)

    def check(self, who, what, got, wanted, changed=None, must_change=False) -> None:
        """``changed``: whether the request changed data; it must exactly when ``must_change``."""
        self.count += 1
        self.exercised.add(what)
        if got != wanted:
            self.failures.append(f"{who} × {what}: expected {wanted}, got {got}")
        elif changed is not None and changed != must_change:
            self.failures.append(f"{who} × {what}: answered {got} but data changed={changed}")


def _snapshot(world: World):
    world.request.refresh_from_db()
    return (
        SelfSettlementRequest.objects.count(),
        world.request.status,
        tuple(SelfSettlementTerms.objects.order_by("pk").values_list("contact_name", flat=True)),
        HousingUnit.objects.count(),
        HousingAllocation.objects.count(),
        HousingAllocation.objects.filter(to_date__isnull=False).count(),
        SettlingInSupport.objects.count(),
        HousingGuidance.objects.count(),
    )


def _call(world, do):
    """Run a request, see whether it changed anything, and undo it."""
    before = _snapshot(world)
    sid = transaction.savepoint()
    try:
        response = do()
        changed = _snapshot(world) != before
    finally:
        transaction.savepoint_rollback(sid)
    return response, changed


def _json(client, method, path, data):
    return client.generic(method, path, json.dumps(data), content_type="application/json")


def _cases(chain, world: World, today: str):
    """(key, method, path, form or JSON body, api?) for every endpoint, with valid input."""
    req, unit, alloc = world.request.id, world.unit.id, world.allocation.id
    homeless, housed, ready = world.homeless.id, world.housed.id, world.ready.id
    submit_form = {
        "household": str(ready),
        "municipality": str(chain.tromso.id),
        "landlord": "Nordbolig AS",
        "address": "Storgata 1",
        "monthly_rent": "9000",
        "deposit": "9000",
        "rooms": "3",
        "contract_start": today,
    }
    submit_api = {
        "household_id": str(ready),
        "municipality_number": "5501",
        "landlord": "Nordbolig AS",
        "address": "Storgata 1",
        "monthly_rent": "9000",
        "deposit": "9000",
        "rooms": 3,
        "contract_start": today,
    }
    unit_form = {
        "address": "Ny gate 1",
        "size_m2": "60",
        "rooms": "3",
        "bedrooms": "2",
        "monthly_rent": "9000",
        "ownership": "private",
        "available_from": today,
    }
    terms = {"allows": "on", "published": "on", "contact_name": "Endret"}
    return [
        ("overview", "GET", "/housing/self-settlement/", None, False),
        ("terms", "GET", "/housing/terms/", None, False),
        ("terms", "POST", "/housing/terms/", terms, False),
        ("request list", "GET", "/housing/requests/", None, False),
        ("request create", "GET", "/housing/requests/new/", None, False),
        ("request create", "POST", "/housing/requests/new/", submit_form, False),
        ("request detail", "GET", f"/housing/requests/{req}/", None, False),
        ("request decide", "POST", f"/housing/requests/{req}/decide/", {"decision": "approve"}, False),
        ("unit list", "GET", "/housing/units/", None, False),
        ("unit create", "GET", "/housing/units/new/", None, False),
        ("unit create", "POST", "/housing/units/new/", unit_form, False),
        ("unit allocate", "GET", f"/housing/units/{unit}/allocate/", None, False),
        ("unit allocate", "POST", f"/housing/units/{unit}/allocate/", {"household": str(homeless), "from_date": today}, False),
        ("household list", "GET", "/housing/households/", None, False),
        ("household detail", "GET", f"/housing/households/{housed}/", None, False),
        ("household support", "POST", f"/housing/households/{housed}/support/",
         {"support-granted_on": today, "support-amount": "1000", "support-purpose": "Møbler"}, False),
        ("household guidance", "POST", f"/housing/households/{housed}/guidance/",
         {"guidance-date": today, "guidance-kind": "course"}, False),
        ("allocation end", "POST", f"/housing/allocations/{alloc}/end/", {"end-to_date": today}, False),
        ("/api/housing/self-settlement/terms", "GET", "/api/housing/self-settlement/terms", None, True),
        ("/api/housing/self-settlement/terms/{municipality_number}", "PUT",
         "/api/housing/self-settlement/terms/5503", {"allows": True, "published": True, "contact_name": "Endret"}, True),
        ("/api/housing/self-settlement/requests", "GET", "/api/housing/self-settlement/requests", None, True),
        ("/api/housing/self-settlement/requests", "POST", "/api/housing/self-settlement/requests", submit_api, True),
        ("/api/housing/self-settlement/requests/{request_id}", "GET", f"/api/housing/self-settlement/requests/{req}", None, True),
        ("/api/housing/self-settlement/requests/{request_id}/decision", "POST",
         f"/api/housing/self-settlement/requests/{req}/decision", {"approve": True}, True),
        ("/api/housing/units", "GET", "/api/housing/units", None, True),
        ("/api/housing/units", "POST", "/api/housing/units", {**unit_form, "rooms": 3, "bedrooms": 2, "size_m2": 60}, True),
        ("/api/housing/units/{unit_id}/allocations", "POST", f"/api/housing/units/{unit}/allocations",
         {"household_id": str(homeless), "from_date": today}, True),
        ("/api/housing/allocations/{allocation_id}/end", "POST", f"/api/housing/allocations/{alloc}/end", {"to_date": today}, True),
        ("/api/housing/households", "GET", "/api/housing/households", None, True),
        ("/api/housing/households/{household_id}", "GET", f"/api/housing/households/{housed}", None, True),
        ("/api/housing/households/{household_id}/support", "POST", f"/api/housing/households/{housed}/support",
         {"granted_on": today, "amount": "1000", "purpose": "Møbler"}, True),
        ("/api/housing/households/{household_id}/guidance", "POST", f"/api/housing/households/{housed}/guidance",
         {"date": today, "kind": "course"}, True),
    ]  # fmt: skip


def _expected(p: Principal, key: str, method: str, chain, world: World) -> int:
    """The status the rules give ``p`` for one case (valid input)."""
    ready_now = {chain.centre_harstad.id, chain.harstad.id, chain.directorate.id}
    harstad_now = {chain.harstad.id}
    api = key.startswith("/api/")
    reads_housed = p.reads_household(harstad_now)
    writes_housed = reads_housed and p.officer_of(chain.harstad.id)

    def household_write(ok):
        return ok if writes_housed else (403 if reads_housed else 404)

    if key in ("overview", "/api/housing/self-settlement/terms"):
        return 200
    if key == "terms":
        return (200 if method == "GET" else 302) if p.edits_terms() else 403
    if key == "/api/housing/self-settlement/terms/{municipality_number}":
        return 200 if p.edits_terms(chain.harstad.id) else 403
    if key in ("request list", "/api/housing/self-settlement/requests") and method == "GET":
        return 200 if (p.submits() or p.officer_of()) else 403
    if key == "request create":
        if not p.submits():
            return 403
        if method == "GET":
            return 200
        return 302 if p.submits_for(ready_now) else 400  # not in the form's choices
    if key == "/api/housing/self-settlement/requests":  # POST
        if not p.submits():
            return 403
        return 201 if p.submits_for(ready_now) else 404
    if key in ("request detail", "/api/housing/self-settlement/requests/{request_id}"):
        return 200 if p.sees_request(world.request) else 404
    if key in ("request decide", "/api/housing/self-settlement/requests/{request_id}/decision"):
        if not p.sees_request(world.request):
            return 404
        return (200 if api else 302) if p.officer_of(chain.tromso.id) else 403
    if key in ("unit list", "unit create", "/api/housing/units"):
        if not p.officer_of():
            return 403
        return {("GET", False): 200, ("POST", False): 302, ("GET", True): 200, ("POST", True): 201}[
            (method, api)
        ]
    if key in ("unit allocate", "/api/housing/units/{unit_id}/allocations"):
        if not p.officer_of(chain.harstad.id):
            return 404
        return {"GET": 200, "POST": 201 if api else 302}[method]
    if key in ("household list", "/api/housing/households"):
        return 200 if p.has(HOUSEHOLD_ROLES) else 403
    if key in ("household detail", "/api/housing/households/{household_id}"):
        return 200 if reads_housed else 404
    if key in ("household support", "household guidance", "allocation end"):
        return household_write(302)
    if key in (
        "/api/housing/households/{household_id}/support",
        "/api/housing/households/{household_id}/guidance",
    ):
        return household_write(201)
    if key == "/api/housing/allocations/{allocation_id}/end":
        return household_write(200)
    raise AssertionError(f"no rule for {key}")


def test_every_role_gets_exactly_the_access_the_rules_give(chain, world, principals, report_line):
    rec = Recorder()
    today = days_ago(0).isoformat()
    cases = _cases(chain, world, today)

    anonymous = Client()
    for key, method, path, data, is_api in cases:
        if is_api:
            response, changed = _call(world, lambda m=method, p=path, d=data: _json(anonymous, m, p, d or {}))
            wanted = 200 if key == "/api/housing/self-settlement/terms" else 401
            rec.check("anonymous", key, response.status_code, wanted, changed)
        else:
            response, changed = _call(world, lambda m=method, p=path, d=data: anonymous.generic(
                m, p, "&".join(f"{k}={v}" for k, v in (d or {}).items()),
                content_type="application/x-www-form-urlencoded"))  # fmt: skip
            if key == "overview":
                rec.check("anonymous", key, response.status_code, 200, changed)
            else:
                location = response.headers.get("Location", "")
                got = 302 if location.startswith("/login/") else response.status_code
                rec.check("anonymous", key, got, 302, changed)

    for p in principals:
        client = Client()
        client.force_login(p.user)
        for key, method, path, data, is_api in cases:
            if is_api:
                response, changed = _call(
                    world, lambda m=method, q=path, d=data, c=client: _json(c, m, q, d or {})
                )
            elif method == "GET":
                response, changed = _call(world, lambda q=path, c=client: c.get(q))
            else:
                response, changed = _call(world, lambda q=path, d=data, c=client: c.post(q, d))
            wanted = _expected(p, key, method, chain, world)
            what = key if is_api else f"{key} {method}"
            rec.check(
                p.label,
                what,
                response.status_code,
                wanted,
                changed,
                must_change=method != "GET" and wanted < 400,
            )
        # Lists hold exactly what the user may see.
        if p.submits() or p.officer_of():
            listed = {row["id"] for row in client.get("/api/housing/self-settlement/requests").json()}
            rec.check(
                p.label,
                "request list contents",
                listed == {str(world.request.id)},
                p.sees_request(world.request),
            )
        if p.has(HOUSEHOLD_ROLES):
            harstad_households = {str(world.homeless.id), str(world.housed.id)}
            listed = {row["household_id"] for row in client.get("/api/housing/households").json()}
            expected = harstad_households if p.reads_household({chain.harstad.id}) else set()
            rec.check(p.label, "household list contents", listed & harstad_households, expected)

    report_line(f"housing access matrix: {rec.count} cases")
    covered = {key for key, *_ in cases}
    assert covered >= set(PAGES) | {path for path, _ in API}
    assert not rec.failures, f"{len(rec.failures)} of {rec.count} cases failed:\n" + "\n".join(rec.failures)
    assert rec.count >= MINIMUM_CASES


def test_the_matrix_has_readers_writers_and_outsiders(chain, world, principals):
    """Guard against a matrix that passes because every case expects the same answer."""
    for key in ("household support", "request decide", "unit allocate"):
        outcomes = {_expected(p, key, "POST", chain, world) for p in principals}
        assert 404 in outcomes and (302 in outcomes), key
    assert 403 in {_expected(p, "household support", "POST", chain, world) for p in principals}
    assert 403 in {_expected(p, "request decide", "POST", chain, world) for p in principals}


def _walk(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern


def test_every_housing_endpoint_is_in_the_matrix_and_other_methods_are_refused(client, chain, world, users):
    routes = {
        route.removeprefix("housing/")
        for route, pattern in _walk(get_resolver().url_patterns)
        if (getattr(pattern.callback, "__module__", "") or "").startswith("bro.settlement.housing")
    }
    assert routes == {route for route, _methods in PAGES.values()}
    operations = {
        (path, method.upper())
        for path, item in api.get_openapi_schema()["paths"].items()
        if path.startswith("/api/housing")
        for method in item
    }
    assert operations == API

    client.force_login(users[R.MUNICIPAL_SETTLEMENT_OFFICER])
    values = {
        "<uuid:request_id>": str(world.request.id),
        "<uuid:unit_id>": str(world.unit.id),
        "<uuid:household_id>": str(world.housed.id),
        "<uuid:allocation_id>": str(world.allocation.id),
    }
    for route, methods in PAGES.values():
        path = "/housing/" + route
        for placeholder, value in values.items():
            path = path.replace(placeholder, value)
        assert "<" not in path
        for method in ("GET", "POST", "PUT", "PATCH", "DELETE"):
            if method in methods:
                continue
            response, _changed = _call(world, lambda m=method, q=path: client.generic(m, q))
            assert response.status_code == 405, f"{method} {path} answers {response.status_code}"
