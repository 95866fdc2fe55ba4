"""The reception access matrix: every reception page and API operation, and the notifications page, for
every role (and users of the other municipality and centre), against centres, host municipalities and
persons in several situations.

Expected outcomes are computed here from the rules as written in bro/reception/permissions.py's
docstring, never by calling it:

* a centre is seen by its own reception staff, leadership and administrators, by the host
  municipality's settlement officers, programme advisers, health nurses, administrators and leadership
  (centres in their municipality), and by the directorate's settlement officers, administrators and
  leadership (all centres); capacity and occupancy changes are recorded by the centre's reception staff
  or a national settlement officer;
* a host municipality is seen by those same municipal roles in it and by the directorate; its service
  capacities are recorded by its settlement officers, programme advisers, health nurses and administrators;
* a person's training record is read by anyone who may read the person (case-file roles of an
  organisation responsible now or before), and written by the reception staff of the centre the
  person lives in, or a settlement officer or programme adviser of that centre's host municipality;
* centres and municipalities are public organisations: not allowed → 403, not existing → 404; persons
  the user may not read → 404; anonymous → login page or 401.

``test_every_reception_endpoint_is_in_the_matrix`` fails when a page or API operation is added to the
app without being added here.
"""

from __future__ import annotations

import datetime
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
from bro.core.models import Membership, Notification
from bro.core.roles import OrganisationKind, Role
from bro.people.phases import Phase
from bro.people.services import Actor
from bro.reception import services
from bro.reception.models import CentreCapacity, HostServiceCapacity, OccupancyChange, TrainingWeek
from tests.conftest import make_user

R = Role
CENTRE_STAFF_VIEW = {R.RECEPTION_STAFF, R.LEADERSHIP, R.ADMINISTRATOR}
MUNICIPAL_VIEW = {
    R.MUNICIPAL_SETTLEMENT_OFFICER,
    R.PROGRAMME_ADVISER,
    R.HEALTH_NURSE,
    R.ADMINISTRATOR,
    R.LEADERSHIP,
}
MUNICIPAL_WRITE = MUNICIPAL_VIEW - {R.LEADERSHIP}
DIRECTORATE_VIEW = {R.NATIONAL_SETTLEMENT_OFFICER, R.ADMINISTRATOR, R.LEADERSHIP}
PERSON_READ = {
    R.NATIONAL_SETTLEMENT_OFFICER,
    R.MUNICIPAL_SETTLEMENT_OFFICER,
    R.PROGRAMME_ADVISER,
    R.TEACHER,
    R.HEALTH_NURSE,
    R.RECEPTION_STAFF,
}
MINIMUM_CASES = 700


@dataclass(frozen=True)
class Endpoint:
    key: str
    method: str
    route: str


PAGE_ENDPOINTS = [
    Endpoint("page list", "GET", "reception/"),
    Endpoint("page centre", "GET", "reception/centres/<uuid:centre_id>/"),
    Endpoint("page capacity form", "GET", "reception/centres/<uuid:centre_id>/capacity/"),
    Endpoint("page capacity", "POST", "reception/centres/<uuid:centre_id>/capacity/"),
    Endpoint("page change form", "GET", "reception/centres/<uuid:centre_id>/changes/"),
    Endpoint("page change", "POST", "reception/centres/<uuid:centre_id>/changes/"),
    Endpoint("page host", "GET", "reception/host/<uuid:municipality_id>/"),
    Endpoint("page service form", "GET", "reception/host/<uuid:municipality_id>/services/"),
    Endpoint("page service", "POST", "reception/host/<uuid:municipality_id>/services/"),
    Endpoint("page training", "GET", "reception/persons/<uuid:person_id>/training/"),
    Endpoint("page training add", "POST", "reception/persons/<uuid:person_id>/training/"),
    Endpoint("page notifications", "GET", "notifications/"),
    Endpoint("page notifications read", "POST", "notifications/"),
]
API_ENDPOINTS = [
    Endpoint("api list", "GET", "/api/reception/centres"),
    Endpoint("api centre", "GET", "/api/reception/centres/{centre_id}"),
    Endpoint("api capacity", "POST", "/api/reception/centres/{centre_id}/capacity"),
    Endpoint("api change", "POST", "/api/reception/centres/{centre_id}/changes"),
    Endpoint("api host", "GET", "/api/reception/host/{municipality_id}"),
    Endpoint("api service", "POST", "/api/reception/host/{municipality_id}/services"),
    Endpoint("api training", "GET", "/api/reception/persons/{person_id}/training"),
    Endpoint("api training add", "POST", "/api/reception/persons/{person_id}/training"),
]
ENDPOINTS = PAGE_ENDPOINTS + API_ENDPOINTS
HTTP_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


@pytest.fixture(autouse=True)
def _quiet_request_log():
    logger = logging.getLogger("django.request")
    level = logger.level
    logger.setLevel(logging.ERROR)
    yield
    logger.setLevel(level)


# --- principals -------------------------------------------------------------------------------------


@dataclass
class Principal:
    label: str
    user: object
    memberships: list  # (organisation id, kind, municipality id, is host, role)

    def _has(self, test) -> bool:
        return any(
            test(org_id, kind, muni, host, role) for org_id, kind, muni, host, role in self.memberships
        )

    def _directorate(self, roles) -> bool:
        return self._has(
            lambda _o, kind, _m, _h, role: kind == OrganisationKind.DIRECTORATE and role in roles
        )

    def sees_centre(self, centre) -> bool:
        return (
            self._has(lambda o, _k, _m, _h, role: o == centre.id and role in CENTRE_STAFF_VIEW)
            or self._has(
                lambda _o, kind, muni, host, role: (
                    kind == OrganisationKind.MUNICIPALITY
                    and host
                    and muni == centre.municipality_id
                    and role in MUNICIPAL_VIEW
                )
            )
            or self._directorate(DIRECTORATE_VIEW)
        )

    def manages_centre(self, centre) -> bool:
        return self._has(lambda o, _k, _m, _h, role: o == centre.id and role == R.RECEPTION_STAFF) or (
            self._directorate({R.NATIONAL_SETTLEMENT_OFFICER})
        )

    def sees_host(self, host) -> bool:
        return self._has(
            lambda o, _k, _m, _h, role: o == host.id and role in MUNICIPAL_VIEW
        ) or self._directorate(DIRECTORATE_VIEW)

    def manages_host(self, host) -> bool:
        return self._has(lambda o, _k, _m, _h, role: o == host.id and role in MUNICIPAL_WRITE)

    def reads(self, subject) -> bool:
        return self._has(
            lambda o, _k, _m, _h, role: role in PERSON_READ and o in subject.now | subject.before
        )

    def trains(self, subject) -> bool:
        return self._has(
            lambda o, _k, _m, _h, role: (
                (role == R.RECEPTION_STAFF and o in subject.centre_now)
                or (role in {R.MUNICIPAL_SETTLEMENT_OFFICER, R.PROGRAMME_ADVISER} and o in subject.host_now)
            )
        )


@pytest.fixture
def principals(chain, users) -> list[Principal]:
    extra = {
        "tromso-officer": make_user("tromso-officer", chain.tromso, R.MUNICIPAL_SETTLEMENT_OFFICER),
        "tromso-reception": make_user("tromso-reception", chain.centre_tromso, R.RECEPTION_STAFF),
        "municipal-nurse": make_user("municipal-nurse", chain.harstad, R.HEALTH_NURSE),
        "harstad-admin": make_user("harstad-admin", chain.harstad, R.ADMINISTRATOR),
        "harstad-coordinator": make_user("harstad-coordinator", chain.harstad, R.VOLUNTEER_COORDINATOR),
        "centre-leader": make_user("centre-leader", chain.centre_harstad, R.LEADERSHIP),
        "centre-admin": make_user("centre-admin", chain.centre_harstad, R.ADMINISTRATOR),
        "imdi-leader": make_user("imdi-leader", chain.directorate, R.LEADERSHIP),
        "nav-adviser": make_user("nav-adviser", chain.nav, R.PROGRAMME_ADVISER),
    }
    result = []
    for label, user in [*((str(role), u) for role, u in users.items()), *extra.items()]:
        rows = Membership.objects.filter(user=user).values_list(
            "organisation_id",
            "organisation__kind",
            "organisation__municipality_id",
            "organisation__is_host_municipality",
            "role",
        )
        result.append(Principal(label, user, list(rows)))
    return result


# --- subjects ---------------------------------------------------------------------------------------


@dataclass
class PersonSubject:
    name: str
    person: object | None
    now: set = field(default_factory=set)
    before: set = field(default_factory=set)
    centre_now: set = field(default_factory=set)  # the centre the person lives in
    host_now: set = field(default_factory=set)  # its host municipality
    ghost: uuid.UUID = field(default_factory=uuid.uuid4)

    @property
    def id(self):
        return self.person.id if self.person else self.ghost


@pytest.fixture
def persons(chain, users, arrive) -> list[PersonSubject]:
    c = chain
    resident = arrive(Phase.RECEPTION, family_name="Residentsen")
    ready = arrive(Phase.READY_FOR_SETTLEMENT, family_name="Readysen")
    moved = arrive(Phase.SETTLED, family_name="Tromsosen", settle_in=chain.tromso)
    tromso_resident = arrive(Phase.RECEPTION, centre=chain.centre_tromso, family_name="Tromsoresidentsen")
    return [
        PersonSubject(
            "resident of the Harstad centre",
            resident,
            now={c.centre_harstad.id, c.harstad.id},
            centre_now={c.centre_harstad.id},
            host_now={c.harstad.id},
        ),
        PersonSubject(
            "ready for settlement in the Harstad centre",
            ready,
            now={c.centre_harstad.id, c.harstad.id, c.directorate.id},
            centre_now={c.centre_harstad.id},
            host_now={c.harstad.id},
        ),
        PersonSubject(
            "settled in Tromsø after the Harstad centre",
            moved,
            now={c.tromso.id},
            before={c.centre_harstad.id, c.harstad.id, c.directorate.id},
        ),
        PersonSubject(
            "resident of the Tromsø centre",
            tromso_resident,
            now={c.centre_tromso.id, c.tromso.id},
            centre_now={c.centre_tromso.id},
            host_now={c.tromso.id},
        ),
        PersonSubject("a person who does not exist", None),
    ]


# --- running the cases ------------------------------------------------------------------------------


@dataclass
class Recorder:
    count: int = 0
    failures: list = field(default_factory=list)
    exercised: set = field(default_factory=set)

    def expect(self, who: str, key: str, response, status: int, changed: bool | None = None) -> None:
        self.count += 1
        self.exercised.add(key)
        if response.status_code != status:
            self.failures.append(f"{who} × {key}: expected {status}, got {response.status_code}")
        elif changed is not None and changed != (status < 400):
            self.failures.append(f"{who} × {key}: answered {status} but changed={changed}")


def _in_savepoint(do, count):
    sid = transaction.savepoint()
    try:
        before = count()
        response = do()
        changed = count() != before
    finally:
        transaction.savepoint_rollback(sid)
    return response, changed


def _json(client, url, data):
    return client.post(url, json.dumps(data), content_type="application/json")


TODAY = timezone.localdate


def _centre_cases(rec, p, client, centre, *, exists=True):
    cid = centre.id if exists else uuid.uuid4()
    who = f"{p.label} × {centre.name if exists else 'missing centre'}"
    view = p.sees_centre(centre) if exists else False
    manage = p.manages_centre(centre) if exists else False

    def status(ok, allowed):
        return 404 if not exists else (ok if allowed else 403)

    rec.expect(who, "page centre", client.get(f"/reception/centres/{cid}/"), status(200, view))
    rec.expect(who, "api centre", client.get(f"/api/reception/centres/{cid}"), status(200, view))
    rec.expect(
        who, "page capacity form", client.get(f"/reception/centres/{cid}/capacity/"), status(200, manage)
    )
    rec.expect(who, "page change form", client.get(f"/reception/centres/{cid}/changes/"), status(200, manage))
    capacity = {"valid_from": TODAY().isoformat(), "places": 77, "note": ""}
    response, changed = _in_savepoint(
        lambda: client.post(f"/reception/centres/{cid}/capacity/", capacity), CentreCapacity.objects.count
    )
    rec.expect(who, "page capacity", response, status(302, manage), changed)
    response, changed = _in_savepoint(
        lambda: _json(client, f"/api/reception/centres/{cid}/capacity", capacity),
        CentreCapacity.objects.count,
    )
    rec.expect(who, "api capacity", response, status(201, manage), changed)
    change = {"kind": "arrivals", "effective_date": TODAY().isoformat(), "age_0_5": 1, "age_6_15": 2,
              "age_16_17": 0, "age_18_plus": 3, "note": ""}  # fmt: skip
    response, changed = _in_savepoint(
        lambda: client.post(f"/reception/centres/{cid}/changes/", change), OccupancyChange.objects.count
    )
    rec.expect(who, "page change", response, status(302, manage), changed)
    response, changed = _in_savepoint(
        lambda: _json(client, f"/api/reception/centres/{cid}/changes", change), Notification.objects.count
    )
    rec.expect(who, "api change", response, status(201, manage), changed)


def _host_cases(rec, p, client, host, *, exists=True):
    hid = host.id if exists else uuid.uuid4()
    who = f"{p.label} × {host.name if exists else 'missing municipality'}"
    view = p.sees_host(host) if exists else False
    manage = p.manages_host(host) if exists else False

    def status(ok, allowed):
        return 404 if not exists else (ok if allowed else 403)

    rec.expect(who, "page host", client.get(f"/reception/host/{hid}/"), status(200, view))
    rec.expect(who, "api host", client.get(f"/api/reception/host/{hid}"), status(200, view))
    rec.expect(
        who, "page service form", client.get(f"/reception/host/{hid}/services/"), status(200, manage and view)
    )
    data = {"service": "school", "capacity": 12, "valid_from": TODAY().isoformat(), "note": ""}
    response, changed = _in_savepoint(
        lambda: client.post(f"/reception/host/{hid}/services/", data), HostServiceCapacity.objects.count
    )
    rec.expect(who, "page service", response, status(302, manage and view), changed)
    response, changed = _in_savepoint(
        lambda: _json(client, f"/api/reception/host/{hid}/services", data), HostServiceCapacity.objects.count
    )
    rec.expect(who, "api service", response, status(201, manage and view), changed)


def _training_cases(rec, p, client, subject, organisation_id):
    who = f"{p.label} × {subject.name}"
    read = subject.person is not None and p.reads(subject)
    write = read and p.trains(subject)
    url = f"/reception/persons/{subject.id}/training/"
    api_url = f"/api/reception/persons/{subject.id}/training"
    rec.expect(who, "page training", client.get(url), 200 if read else 404)
    rec.expect(who, "api training", client.get(api_url), 200 if read else 404)
    if read and subject.person is not None:
        body = client.get(url).content.decode()
        rec.count += 1
        if "Harstad mottak" not in body and subject.name.startswith("settled"):
            rec.failures.append(f"{who}: the training given in reception does not follow the person")
    year, week, _ = (TODAY() - datetime.timedelta(days=7)).isocalendar()
    week_data = {"iso_year": year, "iso_week": week, "hours_offered": "10", "hours_attended": "8"}
    response, changed = _in_savepoint(
        lambda: client.post(url, {**week_data, "organisation": organisation_id(p)}),
        TrainingWeek.objects.count,
    )
    rec.expect(who, "page training add", response, 404 if not read else (302 if write else 403), changed)
    response, changed = _in_savepoint(lambda: _json(client, api_url, week_data), TrainingWeek.objects.count)
    rec.expect(who, "api training add", response, 404 if not read else (201 if write else 403), changed)


def _anonymous_cases(rec, chain, persons):
    client = Client()
    ids = {"<uuid:centre_id>": chain.centre_harstad.id, "{centre_id}": chain.centre_harstad.id,
           "<uuid:municipality_id>": chain.harstad.id, "{municipality_id}": chain.harstad.id,
           "<uuid:person_id>": persons[0].id, "{person_id}": persons[0].id}  # fmt: skip
    for endpoint in ENDPOINTS:
        path = endpoint.route
        for key, value in ids.items():
            path = path.replace(key, str(value))
        path = path if path.startswith("/") else "/" + path
        response = client.generic(endpoint.method, path, json.dumps({}), content_type="application/json")
        rec.count += 1
        if endpoint.route.startswith("/api/"):
            ok = response.status_code == 401
        else:
            ok = response.status_code == 302 and response.headers.get("Location", "").startswith("/login/")
        if not ok:
            rec.failures.append(f"anonymous × {endpoint.method} {path}: got {response.status_code}")


def test_every_role_gets_exactly_the_reception_access_the_rules_give(
    chain, users, principals, persons, report_line
):
    # The person who moved to Tromsø had training in the Harstad centre, which must follow them.
    moved = persons[2].person
    TrainingWeek.objects.create(
        person=moved,
        iso_year=2025,
        iso_week=10,
        hours_offered=10,
        hours_attended=9,
        organisation=chain.centre_harstad,
    )
    rec = Recorder()
    _anonymous_cases(rec, chain, persons)
    for p in principals:
        client = Client()
        client.force_login(p.user)
        sees_any = any(p.sees_centre(c) for c in (chain.centre_harstad, chain.centre_tromso)) or any(
            p.sees_host(h) for h in (chain.harstad, chain.tromso)
        )
        rec.expect(p.label, "page list", client.get("/reception/"), 200 if sees_any else 403)
        rec.expect(p.label, "api list", client.get("/api/reception/centres"), 200 if sees_any else 403)
        if sees_any:
            listed = {c["id"] for c in client.get("/api/reception/centres").json()}
            wanted = {str(c.id) for c in (chain.centre_harstad, chain.centre_tromso) if p.sees_centre(c)}
            rec.count += 1
            if listed != wanted:
                rec.failures.append(f"{p.label}: API lists {listed}, expected {wanted}")
        rec.expect(p.label, "page notifications", client.get("/notifications/"), 200)
        rec.expect(p.label, "page notifications read", client.post("/notifications/"), 302)
        for centre in (chain.centre_harstad, chain.centre_tromso):
            _centre_cases(rec, p, client, centre)
        _centre_cases(rec, p, client, chain.centre_harstad, exists=False)
        for host in (chain.harstad, chain.tromso):
            _host_cases(rec, p, client, host)
        _host_cases(rec, p, client, chain.harstad, exists=False)

        def organisation_id(principal):
            own = [o for o, *_rest in principal.memberships]
            return str(own[0]) if own else ""

        for subject in persons:
            _training_cases(rec, p, client, subject, organisation_id)

    report_line(f"reception access matrix: {rec.count} cases")
    untested = {e.key for e in ENDPOINTS} - rec.exercised
    assert not untested, f"endpoints without cases: {sorted(untested)}"
    assert not rec.failures, f"{len(rec.failures)} of {rec.count} cases failed:\n" + "\n".join(rec.failures)
    assert rec.count >= MINIMUM_CASES


def test_the_matrix_has_readers_writers_and_outsiders(chain, principals, persons):
    """Guard against a matrix that passes because every case expects the same answer."""
    for centre in (chain.centre_harstad, chain.centre_tromso):
        assert {p.manages_centre(centre) for p in principals} == {True, False}
        assert any(p.sees_centre(centre) and not p.manages_centre(centre) for p in principals)
    for host in (chain.harstad, chain.tromso):
        assert {p.manages_host(host) for p in principals} == {True, False}
    for subject in persons[:2]:
        assert any(p.trains(subject) for p in principals)
        assert any(p.reads(subject) and not p.trains(subject) for p in principals)
        assert any(not p.reads(subject) for p in principals)


# --- nothing slips past the matrix ------------------------------------------------------------------


def _walk(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern


def _reception_routes() -> set[str]:
    return {
        route
        for route, pattern in _walk(get_resolver().url_patterns)
        if not route.startswith("api/")
        and (
            (getattr(pattern.callback, "__module__", "") or "").startswith("bro.reception")
            or route == "notifications/"
        )
    }


def test_every_reception_endpoint_is_in_the_matrix(client, users, chain, persons):
    routes = _reception_routes()
    covered = {e.route for e in PAGE_ENDPOINTS}
    assert routes == covered, f"not in the matrix: {routes - covered}; gone: {covered - routes}"
    operations = {
        (path, method.upper())
        for path, item in api.get_openapi_schema()["paths"].items()
        if path.startswith("/api/reception")
        for method in item
    }
    assert operations == {(e.route, e.method) for e in API_ENDPOINTS}

    # Every method the matrix does not test is refused, even for a user who may write.
    client.force_login(users[R.RECEPTION_STAFF])
    tested = {(e.route, e.method) for e in PAGE_ENDPOINTS}
    ids = {"<uuid:centre_id>": chain.centre_harstad.id, "<uuid:municipality_id>": chain.harstad.id,
           "<uuid:person_id>": persons[0].id}  # fmt: skip
    for route in sorted(routes):
        path = "/" + route
        for key, value in ids.items():
            path = path.replace(key, str(value))
        assert "<" not in path, route
        for method in HTTP_METHODS:
            if (route, method) not in tested:
                response = client.generic(method, path)
                assert response.status_code == 405, f"{method} {path}: {response.status_code}"


def test_a_settled_persons_reception_training_is_read_by_the_settlement_municipality_but_not_by_outsiders(
    chain, users, arrive
):
    """The record follows the person (002:L91): Tromsø reads it after settlement, Harstad's teacher doesn't."""
    person = arrive(Phase.READY_FOR_SETTLEMENT)
    year, week, _ = (TODAY() - datetime.timedelta(days=10)).isocalendar()
    services.record_training_week(
        Actor(users[R.RECEPTION_STAFF]),
        person,
        iso_year=year,
        iso_week=week,
        hours_offered=12,
        hours_attended=11,
    )
    from bro.people import services as people_services

    people_services.record_transition(
        Actor(users[R.NATIONAL_SETTLEMENT_OFFICER]),
        person,
        phase=Phase.SETTLED,
        on=TODAY(),
        organisation=chain.tromso,
    )
    tromso = Client()
    tromso.force_login(make_user("tromso-officer", chain.tromso, R.MUNICIPAL_SETTLEMENT_OFFICER))
    record = tromso.get(f"/api/reception/persons/{person.id}/training").json()
    assert record["weeks"][0]["organisation"] == "Harstad mottak"
    assert record["totals"]["hours_attended"] == "11.0"
    teacher = Client()
    teacher.force_login(users[R.TEACHER])
    assert teacher.get(f"/api/reception/persons/{person.id}/training").status_code == 404
