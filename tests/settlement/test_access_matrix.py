"""The settlement access matrix: every settlement page and API operation, for every role (and a few users
with other or several memberships), against the cycle's objects and persons in several situations.

Expected outcomes are computed here from the rules as written in bro/settlement/permissions.py's
docstring and bro.core.policy's, never by asking either:

* national settlement officers (in the directorate) set the need, send requests, see the ready list,
  propose, record refusals and read every proposal;
* the directorate's leadership sees the national overview (figures only);
* a municipality's settlement officers record its decision, see its overview, read, answer and settle the
  proposals made to it — another municipality's proposals do not exist for them (404);
* reception staff of the centre responsible for a person save the settlement interview; anyone who may
  read the person (responsible now, before, or shared access) reads it; others get 404;
* the waiting list is for national and municipal settlement officers and reception staff;
* everyone else gets 403 on the pages and operations, and anonymous users the login page or 401.

A write must change data exactly when it succeeds. ``test_every_settlement_endpoint_is_in_the_matrix``
fails when a page or API operation is added without being added here.
"""

from __future__ import annotations

import json
import logging
import uuid
from dataclasses import dataclass, field

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from bro.api import api
from bro.core.models import Membership, User
from bro.core.roles import OrganisationKind, Role
from bro.people.models import PhaseEvent
from bro.people.phases import Phase
from bro.settlement import services
from bro.settlement.models import (
    CouncilDecision,
    NationalNeed,
    OfferRefusal,
    SettlementInterview,
    SettlementProposal,
    SettlementRequest,
)
from tests.conftest import make_user

READ_ROLES = frozenset(
    {
        Role.NATIONAL_SETTLEMENT_OFFICER,
        Role.MUNICIPAL_SETTLEMENT_OFFICER,
        Role.PROGRAMME_ADVISER,
        Role.TEACHER,
        Role.HEALTH_NURSE,
        Role.RECEPTION_STAFF,
    }
)
MINIMUM_CASES = 600
HTTP_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")

PAGES = [
    ("GET", "settlement/overview/"),
    ("GET", "settlement/municipality/"),
    ("GET", "settlement/need/"),
    ("POST", "settlement/need/"),
    ("GET", "settlement/requests/new/"),
    ("POST", "settlement/requests/new/"),
    ("GET", "settlement/decisions/new/"),
    ("POST", "settlement/decisions/new/"),
    ("GET", "settlement/ready/"),
    ("GET", "settlement/ready/<uuid:unit_id>/propose/"),
    ("POST", "settlement/ready/<uuid:unit_id>/propose/"),
    ("GET", "settlement/proposals/<uuid:proposal_id>/"),
    ("POST", "settlement/proposals/<uuid:proposal_id>/answer/"),
    ("POST", "settlement/proposals/<uuid:proposal_id>/settle/"),
    ("POST", "settlement/proposals/<uuid:proposal_id>/refusal/"),
    ("GET", "settlement/interviews/<uuid:subject_id>/"),
    ("POST", "settlement/interviews/<uuid:subject_id>/"),
    ("GET", "settlement/waiting/"),
]
API = [
    ("GET", "/api/settlement/overview"),
    ("GET", "/api/settlement/municipality"),
    ("POST", "/api/settlement/needs"),
    ("POST", "/api/settlement/requests"),
    ("POST", "/api/settlement/decisions"),
    ("GET", "/api/settlement/ready"),
    ("POST", "/api/settlement/proposals"),
    ("GET", "/api/settlement/proposals/{proposal_id}"),
    ("POST", "/api/settlement/proposals/{proposal_id}/answer"),
    ("POST", "/api/settlement/proposals/{proposal_id}/settlement"),
    ("POST", "/api/settlement/proposals/{proposal_id}/refusal"),
    ("GET", "/api/settlement/interviews/{subject_id}"),
    ("PUT", "/api/settlement/interviews/{subject_id}"),
    ("GET", "/api/settlement/waiting"),
]


@pytest.fixture(autouse=True)
def _quiet_request_log():
    logger = logging.getLogger("django.request")
    level = logger.level
    logger.setLevel(logging.ERROR)
    yield
    logger.setLevel(level)


@dataclass
class Principal:
    label: str
    user: User
    memberships: list  # (organisation id, organisation kind, role)

    def has(self, role, kind=None, org_ids=None) -> bool:
        return any(
            r == role and (kind is None or k == kind) and (org_ids is None or o in org_ids)
            for o, k, r in self.memberships
        )

    @property
    def national(self):
        return self.has(Role.NATIONAL_SETTLEMENT_OFFICER, OrganisationKind.DIRECTORATE)

    @property
    def directorate_leader(self):
        return self.has(Role.LEADERSHIP, OrganisationKind.DIRECTORATE)

    def municipal_of(self, org_ids) -> bool:
        return self.has(Role.MUNICIPAL_SETTLEMENT_OFFICER, OrganisationKind.MUNICIPALITY, org_ids)

    @property
    def municipal(self):
        return self.has(Role.MUNICIPAL_SETTLEMENT_OFFICER, OrganisationKind.MUNICIPALITY)

    @property
    def reception(self):
        return self.has(Role.RECEPTION_STAFF, OrganisationKind.RECEPTION_CENTRE)

    def reads(self, subject) -> bool:
        return any(role in READ_ROLES and org in subject.readers for org, _k, role in self.memberships)

    def interviews(self, subject) -> bool:
        return self.has(Role.RECEPTION_STAFF, OrganisationKind.RECEPTION_CENTRE, subject.now)


@dataclass
class Subject:
    name: str
    person_id: uuid.UUID
    now: set = field(default_factory=set)
    readers: set = field(default_factory=set)  # now, before and shared
    completed: bool = False


@dataclass
class World:
    subjects: list
    pending: SettlementProposal  # to Tromsø
    accepted: SettlementProposal  # to Harstad
    ready_unit: uuid.UUID


@pytest.fixture
def world(chain, users, arrive) -> World:
    imdi = services.Actor(users[Role.NATIONAL_SETTLEMENT_OFFICER])
    reception = services.Actor(users[Role.RECEPTION_STAFF])
    today = timezone.localdate()
    permit = arrive(Phase.PERMIT_GRANTED, given_name="Tillatelse")
    services.save_interview(reception, permit, services.InterviewInput(conducted_on=today), complete=False)
    proposed = arrive(Phase.PERMIT_GRANTED, given_name="Foreslått")
    services.save_interview(reception, proposed, services.InterviewInput(conducted_on=today), complete=True)
    pending = services.propose(imdi, proposed, municipality=chain.tromso)
    accepted_person = arrive(Phase.READY_FOR_SETTLEMENT, given_name="Godtatt")
    accepted = services.propose(imdi, accepted_person, municipality=chain.harstad)
    services.answer_proposal(services.Actor(users[Role.MUNICIPAL_SETTLEMENT_OFFICER]), accepted, accept=True)
    ready = arrive(Phase.READY_FOR_SETTLEMENT, given_name="Klar")
    c = chain
    subjects = [
        Subject(
            "permit at the Harstad centre, draft interview",
            permit.pk,
            now={c.centre_harstad.pk, c.harstad.pk},
            readers={c.centre_harstad.pk, c.harstad.pk},
        ),
        Subject(
            "ready, interview completed, proposed to Tromsø",
            proposed.pk,
            now={c.centre_harstad.pk, c.harstad.pk, c.directorate.pk},
            readers={c.centre_harstad.pk, c.harstad.pk, c.directorate.pk, c.tromso.pk},
            completed=True,
        ),
        Subject("a person who does not exist", uuid.uuid4()),
    ]
    return World(subjects, pending, accepted, ready.pk)


def _principals(users, chain) -> list[Principal]:
    extra = {
        "tromso-officer": make_user("tromso-officer", chain.tromso, Role.MUNICIPAL_SETTLEMENT_OFFICER),
        "tromso-reception": make_user("tromso-reception", chain.centre_tromso, Role.RECEPTION_STAFF),
        "imdi-leader": make_user("imdi-leader", chain.directorate, Role.LEADERSHIP),
        "harstad-admin": make_user("harstad-admin", chain.harstad, Role.ADMINISTRATOR),
        "municipal-nurse": make_user("municipal-nurse", chain.harstad, Role.HEALTH_NURSE),
    }
    multi = make_user("multi", chain.tromso, Role.MUNICIPAL_SETTLEMENT_OFFICER)
    Membership.objects.create(user=multi, organisation=chain.centre_harstad, role=Role.RECEPTION_STAFF)
    extra["multi"] = multi
    result = []
    for label, user in [*((str(r), u) for r, u in users.items()), *extra.items()]:
        rows = list(
            Membership.objects.filter(user=user).values_list("organisation_id", "organisation__kind", "role")
        )
        result.append(Principal(label, user, rows))
    return result


def _fingerprint():
    return (
        NationalNeed.objects.count(),
        SettlementRequest.objects.count(),
        CouncilDecision.objects.count(),
        tuple(SettlementProposal.objects.order_by("pk").values_list("status", flat=True)),
        SettlementProposal.objects.count(),
        tuple(SettlementInterview.objects.order_by("pk").values_list("updated_at", flat=True)),
        OfferRefusal.objects.count(),
        PhaseEvent.objects.count(),
    )


@dataclass
class Recorder:
    count: int = 0
    failures: list = field(default_factory=list)
    exercised: set = field(default_factory=set)


def _case(rec: Recorder, who: str, key: tuple, do, expected: int) -> None:
    """Run one request in a savepoint; it must answer ``expected`` and change data iff it succeeded."""
    rec.exercised.add(key)
    before = _fingerprint()
    sid = transaction.savepoint()
    try:
        response = do()
        changed = _fingerprint() != before
    finally:
        transaction.savepoint_rollback(sid)
    rec.count += 1
    method = key[0]
    if response.status_code != expected:
        rec.failures.append(f"{who}: {key}: expected {expected}, got {response.status_code}")
    elif method != "GET" and changed != (expected < 400):
        rec.failures.append(f"{who}: {key}: answered {expected} but data changed={changed}")


def _run(rec: Recorder, p: Principal, client: Client, world: World, chain) -> None:
    year = timezone.localdate().year
    today = timezone.localdate().isoformat()

    def page(method, route, path, data, expected):
        _case(
            rec,
            p.label,
            (method, route),
            lambda: (
                client.generic(method, path, data, content_type="application/x-www-form-urlencoded")
                if method != "GET"
                else client.get(path)
            ),
            expected,
        )

    def form(method, route, path, data, expected):
        if method == "GET":
            _case(rec, p.label, (method, route), lambda: client.get(path), expected)
        else:
            _case(rec, p.label, (method, route), lambda: client.post(path, data), expected)

    def call(method, route, path, body, expected):
        _case(
            rec,
            p.label,
            (method, route),
            lambda: client.generic(method, path, json.dumps(body or {}), content_type="application/json"),
            expected,
        )

    def allow(ok: bool, yes: int, no: int = 403) -> int:
        return yes if ok else no

    # The yearly cycle.
    form(
        "GET",
        "settlement/overview/",
        "/settlement/overview/",
        None,
        allow(p.national or p.directorate_leader, 200),
    )
    call(
        "GET",
        "/api/settlement/overview",
        "/api/settlement/overview",
        None,
        allow(p.national or p.directorate_leader, 200),
    )
    form("GET", "settlement/municipality/", "/settlement/municipality/", None, allow(p.municipal, 200))
    call("GET", "/api/settlement/municipality", "/api/settlement/municipality", None, allow(p.municipal, 200))
    need = {"year": year, "persons": 100, "unaccompanied_minors": 5}
    form("GET", "settlement/need/", "/settlement/need/", None, allow(p.national, 200))
    form("POST", "settlement/need/", "/settlement/need/", need, allow(p.national, 302))
    call(
        "POST",
        "/api/settlement/needs",
        "/api/settlement/needs",
        {**need, "counties": [{"county_number": "55", "persons": 10}]},
        allow(p.national, 201),
    )
    request = {
        "year": year,
        "municipality_number": "5503",
        "persons": 40,
        "unaccompanied_minors": 0,
        "sent_on": today,
    }
    form("GET", "settlement/requests/new/", "/settlement/requests/new/", None, allow(p.national, 200))
    form("POST", "settlement/requests/new/", "/settlement/requests/new/", request, allow(p.national, 302))
    call("POST", "/api/settlement/requests", "/api/settlement/requests", request, allow(p.national, 201))
    own = next((o for o, k, r in p.memberships if r == Role.MUNICIPAL_SETTLEMENT_OFFICER), None)
    decision = {
        "year": year,
        "persons": 10,
        "unaccompanied_minors": 0,
        "decided_on": today,
        "body": "council",
    }
    form("GET", "settlement/decisions/new/", "/settlement/decisions/new/", None, allow(p.municipal, 200))
    form(
        "POST",
        "settlement/decisions/new/",
        "/settlement/decisions/new/",
        {**decision, "municipality": str(own)},
        allow(p.municipal, 302),
    )
    call("POST", "/api/settlement/decisions", "/api/settlement/decisions", decision, allow(p.municipal, 201))

    # Ready households and proposals.
    form("GET", "settlement/ready/", "/settlement/ready/", None, allow(p.national, 200))
    call("GET", "/api/settlement/ready", "/api/settlement/ready", None, allow(p.national, 200))
    propose_path = f"/settlement/ready/{world.ready_unit}/propose/"
    form("GET", "settlement/ready/<uuid:unit_id>/propose/", propose_path, None, allow(p.national, 200))
    form(
        "POST",
        "settlement/ready/<uuid:unit_id>/propose/",
        propose_path,
        {"municipality_number": "5503"},
        allow(p.national, 302),
    )
    call(
        "POST",
        "/api/settlement/proposals",
        "/api/settlement/proposals",
        {"unit_id": str(world.ready_unit), "municipality_number": "5503"},
        allow(p.national, 201),
    )
    if p.national:  # a unit that is not ready (or does not exist) is not found
        form(
            "GET",
            "settlement/ready/<uuid:unit_id>/propose/",
            f"/settlement/ready/{uuid.uuid4()}/propose/",
            None,
            404,
        )

    pending, accepted = world.pending, world.accepted
    sees_pending = p.national or p.municipal_of({chain.tromso.pk})
    sees_accepted = p.national or p.municipal_of({chain.harstad.pk})
    form(
        "GET",
        "settlement/proposals/<uuid:proposal_id>/",
        f"/settlement/proposals/{pending.pk}/",
        None,
        allow(sees_pending, 200, 404),
    )
    call(
        "GET",
        "/api/settlement/proposals/{proposal_id}",
        f"/api/settlement/proposals/{pending.pk}",
        None,
        allow(sees_pending, 200, 404),
    )
    form(
        "GET", "settlement/proposals/<uuid:proposal_id>/", f"/settlement/proposals/{uuid.uuid4()}/", None, 404
    )

    def proposal_write(visible: bool, may: bool, ok: int) -> int:
        if not visible:
            return 404
        return ok if may else 403

    answer_status = proposal_write(sees_pending, p.municipal_of({chain.tromso.pk}), 302)
    form(
        "POST",
        "settlement/proposals/<uuid:proposal_id>/answer/",
        f"/settlement/proposals/{pending.pk}/answer/",
        {"answer": "accept"},
        answer_status,
    )
    call(
        "POST",
        "/api/settlement/proposals/{proposal_id}/answer",
        f"/api/settlement/proposals/{pending.pk}/answer",
        {"accept": True},
        proposal_write(sees_pending, p.municipal_of({chain.tromso.pk}), 200),
    )
    settle_ok = p.municipal_of({chain.harstad.pk})
    form(
        "POST",
        "settlement/proposals/<uuid:proposal_id>/settle/",
        f"/settlement/proposals/{accepted.pk}/settle/",
        {"date": today},
        proposal_write(sees_accepted, settle_ok, 302),
    )
    call(
        "POST",
        "/api/settlement/proposals/{proposal_id}/settlement",
        f"/api/settlement/proposals/{accepted.pk}/settlement",
        {"date": today},
        proposal_write(sees_accepted, settle_ok, 200),
    )
    form(
        "POST",
        "settlement/proposals/<uuid:proposal_id>/refusal/",
        f"/settlement/proposals/{accepted.pk}/refusal/",
        {"refusal-refused_on": today},
        proposal_write(sees_accepted, p.national, 302),
    )
    call(
        "POST",
        "/api/settlement/proposals/{proposal_id}/refusal",
        f"/api/settlement/proposals/{accepted.pk}/refusal",
        {"refused_on": today},
        proposal_write(sees_accepted, p.national, 200),
    )

    # The interview, per person.
    for s in world.subjects:
        reads = p.reads(s)
        path = f"/settlement/interviews/{s.person_id}/"
        form("GET", "settlement/interviews/<uuid:subject_id>/", path, None, allow(reads, 200, 404))
        call(
            "GET",
            "/api/settlement/interviews/{subject_id}",
            f"/api/settlement/interviews/{s.person_id}",
            None,
            allow(reads, 200, 404),
        )
        if not reads:
            page_status, api_status = 404, 404
        elif not p.interviews(s):
            page_status, api_status = 403, 403
        elif s.completed:  # the interview is done: refused as bad input, nothing changes
            page_status, api_status = 400, 422
        else:
            page_status, api_status = 302, 200
        form(
            "POST",
            "settlement/interviews/<uuid:subject_id>/",
            path,
            {"conducted_on": today, "education": "Ny"},
            page_status,
        )
        call(
            "PUT",
            "/api/settlement/interviews/{subject_id}",
            f"/api/settlement/interviews/{s.person_id}",
            {"conducted_on": today, "education": "Ny"},
            api_status,
        )

    waits = p.national or p.municipal or p.reception
    form("GET", "settlement/waiting/", "/settlement/waiting/", None, allow(waits, 200))
    call("GET", "/api/settlement/waiting", "/api/settlement/waiting", None, allow(waits, 200))


def _anonymous(rec: Recorder, world: World) -> None:
    client = Client()
    values = {
        "<uuid:unit_id>": world.ready_unit,
        "<uuid:proposal_id>": world.pending.pk,
        "<uuid:subject_id>": world.subjects[0].person_id,
    }
    for method, route in PAGES:
        path = "/" + route
        for key, value in values.items():
            path = path.replace(key, str(value))
        response = client.generic(method, path, b"", content_type="application/x-www-form-urlencoded")
        rec.count += 1
        if not (response.status_code == 302 and response["Location"].startswith("/login/")):
            rec.failures.append(f"anonymous {method} {path}: {response.status_code}")
    for method, route in API:
        path = route.replace("{proposal_id}", str(world.pending.pk)).replace(
            "{subject_id}", str(world.subjects[0].person_id)
        )
        response = client.generic(method, path, "{}", content_type="application/json")
        rec.count += 1
        if response.status_code != 401:
            rec.failures.append(f"anonymous {method} {path}: {response.status_code}")


@pytest.mark.django_db
def test_every_role_gets_exactly_the_settlement_access_the_rules_give(chain, users, world, report_line):
    rec = Recorder()
    principals = _principals(users, chain)
    assert {r for p in principals for _o, _k, r in p.memberships} >= set(Role.values)
    _anonymous(rec, world)
    for principal in principals:
        client = Client()
        client.force_login(principal.user)
        _run(rec, principal, client, world, chain)
    report_line(f"settlement access matrix: {rec.count} cases")
    wanted = set(PAGES) | set(API)
    assert wanted - rec.exercised == set(), f"endpoints without cases: {sorted(wanted - rec.exercised)}"
    assert not rec.failures, f"{len(rec.failures)} of {rec.count} cases failed:\n" + "\n".join(rec.failures)
    assert rec.count >= MINIMUM_CASES


@pytest.mark.django_db
def test_the_matrix_has_allowed_and_refused_cases_for_every_kind_of_rule(chain, users, world):
    principals = _principals(users, chain)
    assert any(p.national for p in principals) and any(not p.national for p in principals)
    for subject in world.subjects[:-1]:
        assert any(p.reads(subject) for p in principals) and any(not p.reads(subject) for p in principals)
        assert any(p.interviews(subject) for p in principals)


def _walk(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern


@pytest.mark.django_db
def test_every_settlement_endpoint_is_in_the_matrix(client, users, world):
    # Matching runs and the outcome model have their own matrices (tests/settlement/matchingruns,
    # tests/settlement/outcomes): pages for national officers only, no person pages of their own.
    own = ("settlement/matching/", "settlement/outcomes/")
    routes = {
        route
        for route, _ in _walk(get_resolver().url_patterns)
        if route.startswith("settlement/") and not route.startswith(own)
    }
    assert routes == {route for _m, route in PAGES}
    operations = {
        (method.upper(), path)
        for path, item in api.get_openapi_schema()["paths"].items()
        if path.startswith("/api/settlement/")
        for method in item
    }
    assert operations == set(API)
    # Methods the matrix does not test are refused, even for a user who may use the page.
    client.force_login(users[Role.NATIONAL_SETTLEMENT_OFFICER])
    values = {
        "<uuid:unit_id>": world.ready_unit,
        "<uuid:proposal_id>": world.pending.pk,
        "<uuid:subject_id>": world.subjects[1].person_id,
    }
    for route in sorted(routes):
        path = "/" + route
        for key, value in values.items():
            path = path.replace(key, str(value))
        assert "<" not in path, route
        for method in HTTP_METHODS:
            if (method, route) in PAGES:
                continue
            sid = transaction.savepoint()
            response = client.generic(method, path)
            transaction.savepoint_rollback(sid)
            assert response.status_code == 405, f"{method} /{route}: {response.status_code}"
