"""The access matrix: every person-related page and API endpoint, for every role, against persons in
several situations along the chain.

The expected outcome of each case is computed here from the rules as written (bro.core.policy's
docstring and bro.core.roles), never by asking bro.core.policy:

* roles that read case files read a person when one of their organisations is responsible for the
  person now, was responsible before (history), or holds active shared access (legal basis or consent);
* roles that write case files write only when their organisation is responsible now;
* every other role (administrator, leadership, volunteers, coordinators) sees no person at all.

No access → 404 (indistinguishable from a person who does not exist); read-only → reads 200 and writes
403; write → the valid change is made (200/201/302). Lists contain exactly the persons the user may see
and never an identity number. Anonymous users are sent to the login page, or get 401 from the API.

``test_every_person_endpoint_is_in_the_matrix`` fails when a person-related page or API operation is
added without being added here.
"""

from __future__ import annotations

import datetime
import json
import logging
import re
import uuid
from dataclasses import dataclass, field

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from bro.api import api
from bro.core.models import Membership, Organisation, User
from bro.core.roles import OrganisationKind, Role
from bro.people import services
from bro.people.models import Person, PhaseEvent, SharedAccess
from bro.people.phases import AccessBasis, Phase
from tests.conftest import days_ago, make_user, person_input
from tests.people.numbers import duf_number, identity_number

# The rules, written out independently of bro.core.roles so that a change there shows up here.
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
WRITE_ROLES = frozenset(
    {
        Role.NATIONAL_SETTLEMENT_OFFICER,
        Role.MUNICIPAL_SETTLEMENT_OFFICER,
        Role.PROGRAMME_ADVISER,
        Role.RECEPTION_STAFF,
    }
)
# Organisations that register newcomers: reception centres (arrivals), the directorate (resettlement
# refugees) and settlement municipalities (family reunification).
REGISTERING_KINDS = frozenset(
    {OrganisationKind.RECEPTION_CENTRE, OrganisationKind.DIRECTORATE, OrganisationKind.MUNICIPALITY}
)

NONE, READ, WRITE = "none", "read", "write"
MINIMUM_CASES = 1500

# ---------------------------------------------------------------------------------------------------
# The endpoints. ``route`` is the pattern as Django's resolver shows it (pages) or the OpenAPI path (API).


@dataclass(frozen=True)
class Endpoint:
    key: str
    method: str
    route: str


PAGE_ENDPOINTS = [
    Endpoint("page list", "GET", "persons/"),
    Endpoint("page register form", "GET", "persons/new/"),
    Endpoint("page register", "POST", "persons/new/"),
    Endpoint("page register family member form", "GET", "persons/new/"),
    Endpoint("page register family member", "POST", "persons/new/"),
    Endpoint("page person", "GET", "persons/<uuid:person_id>/"),
    Endpoint("page edit form", "GET", "persons/<uuid:person_id>/edit/"),
    Endpoint("page edit", "POST", "persons/<uuid:person_id>/edit/"),
    Endpoint("page transition form", "GET", "persons/<uuid:person_id>/transition/"),
    Endpoint("page transition", "POST", "persons/<uuid:person_id>/transition/"),
]
API_ENDPOINTS = [
    Endpoint("api list", "GET", "/api/persons"),
    Endpoint("api register", "POST", "/api/persons"),
    Endpoint("api person", "GET", "/api/persons/{person_id}"),
    Endpoint("api update", "PUT", "/api/persons/{person_id}"),
    Endpoint("api transition", "POST", "/api/persons/{person_id}/transitions"),
]
ENDPOINTS = PAGE_ENDPOINTS + API_ENDPOINTS
HTTP_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


# ---------------------------------------------------------------------------------------------------
# Subjects: persons in different situations, with who is responsible written out from the domain rules.


@dataclass
class Subject:
    name: str
    person: Person | None  # None: an id that does not exist
    now: set = field(default_factory=set)  # organisation ids responsible now
    before: set = field(default_factory=set)  # responsible before, not now
    shared: set = field(default_factory=set)  # active shared access
    next_step: dict = field(default_factory=dict)  # a valid transition for writers
    ghost_id: uuid.UUID = field(default_factory=uuid.uuid4)

    @property
    def id(self):
        return self.person.id if self.person else self.ghost_id


def _ids(*orgs: Organisation) -> set:
    return {o.id for o in orgs}


def _numbers(birth_date: datetime.date) -> dict:
    return {"national_identity_number": identity_number(birth_date), "duf_number": duf_number()}


@pytest.fixture(autouse=True)
def _quiet_request_log():
    """Thousands of expected 403s and 404s: keep Django's request warnings out of the output."""
    logger = logging.getLogger("django.request")
    level = logger.level
    logger.setLevel(logging.ERROR)
    yield
    logger.setLevel(level)


@pytest.fixture
def extra_users(chain) -> dict[str, User]:
    """Users the one-per-role fixture lacks: other municipalities, NAV, several memberships."""
    R = Role
    multi = make_user("multi", chain.adult_education, R.TEACHER)
    Membership.objects.create(user=multi, organisation=chain.centre_tromso, role=R.RECEPTION_STAFF)
    teacher_volunteer = make_user("teacher-volunteer", chain.adult_education, R.TEACHER)
    Membership.objects.create(user=teacher_volunteer, organisation=chain.volunteer_org, role=R.VOLUNTEER)
    return {
        "tromso-officer": make_user("tromso-officer", chain.tromso, R.MUNICIPAL_SETTLEMENT_OFFICER),
        "tromso-reception": make_user("tromso-reception", chain.centre_tromso, R.RECEPTION_STAFF),
        "nav-adviser": make_user("nav-adviser", chain.nav, R.PROGRAMME_ADVISER),
        "municipal-nurse": make_user("municipal-nurse", chain.harstad, R.HEALTH_NURSE),
        "harstad-admin": make_user("harstad-admin", chain.harstad, R.ADMINISTRATOR),
        "harstad-coordinator": make_user("harstad-coordinator", chain.harstad, R.VOLUNTEER_COORDINATOR),
        "multi": multi,
        "teacher-volunteer": teacher_volunteer,
    }


@pytest.fixture
def subjects(chain, users, extra_users, arrive) -> list[Subject]:
    born = {
        "resident": datetime.date(1988, 2, 3),
        "ready": datetime.date(1979, 11, 21),
        "settled_harstad": datetime.date(1995, 7, 9),
        "settled_tromso": datetime.date(2001, 1, 30),
        "programme": datetime.date(1992, 12, 12),
        "tromso_resident": datetime.date(1985, 4, 4),
    }

    def walk(phase, key, family_name, **kw):
        return arrive(
            phase,
            given_name="Subject",
            family_name=family_name,
            birth_date=born[key],
            **_numbers(born[key]),
            **kw,
        )

    resident = walk(Phase.RECEPTION, "resident", "Residentsen")
    ready = walk(Phase.READY_FOR_SETTLEMENT, "ready", "Readysen")
    settled_harstad = walk(Phase.SETTLED, "settled_harstad", "Harstadsen")
    settled_tromso = walk(Phase.SETTLED, "settled_tromso", "Tromsosen", settle_in=chain.tromso)
    programme = walk(Phase.IN_PROGRAMME, "programme", "Programsen")
    harstad_officer = services.Actor(users[Role.MUNICIPAL_SETTLEMENT_OFFICER])
    services.grant_shared_access(
        harstad_officer,
        programme,
        organisation=chain.adult_education,
        basis=AccessBasis.LEGAL_BASIS,
        legal_basis="Integreringsloven § 40",
        purpose="Norwegian training",
    )

    # A person who has only ever been in Tromsø, whose shared access has run out or been withdrawn,
    # except NAV's, which is valid through today.
    tromso_staff = services.Actor(extra_users["tromso-reception"])
    tromso_resident = services.register_person(
        tromso_staff,
        person_input(
            given_name="Subject",
            family_name="Tromsoresidentsen",
            birth_date=born["tromso_resident"],
            **_numbers(born["tromso_resident"]),
        ),
        organisation=chain.centre_tromso,
        initial_phase=Phase.ARRIVAL,
        phase_date=days_ago(30),
    )
    services.record_transition(
        tromso_staff,
        tromso_resident,
        phase=Phase.RECEPTION,
        on=days_ago(29),
        organisation=chain.centre_tromso,
    )
    services.grant_shared_access(
        tromso_staff,
        tromso_resident,
        organisation=chain.adult_education,
        basis=AccessBasis.LEGAL_BASIS,
        legal_basis="Integreringsloven § 6",
        purpose="Norwegian training in reception",
        valid_until=days_ago(1),
    )
    revoked = services.grant_shared_access(
        tromso_staff,
        tromso_resident,
        organisation=chain.health,
        basis=AccessBasis.CONSENT,
        consent_date=days_ago(10),
        purpose="Health follow-up",
    )
    SharedAccess.objects.filter(pk=revoked.pk).update(revoked_at=timezone.now())
    services.grant_shared_access(
        tromso_staff,
        tromso_resident,
        organisation=chain.nav,
        basis=AccessBasis.LEGAL_BASIS,
        legal_basis="Integreringsloven § 8",
        purpose="Career guidance",
        valid_until=timezone.localdate(),
    )
    for person in (resident, ready, settled_harstad, settled_tromso, programme, tromso_resident):
        person.refresh_from_db()

    c = chain
    today = timezone.localdate().isoformat()
    return [
        Subject(
            "resident of the Harstad centre",
            resident,
            now=_ids(c.centre_harstad, c.harstad),
            next_step={"phase": Phase.PERMIT_GRANTED, "date": today},
        ),
        Subject(
            "ready for settlement",
            ready,
            now=_ids(c.centre_harstad, c.harstad, c.directorate),
            next_step={"phase": Phase.SETTLED, "date": today, "municipality_number": "5503"},
        ),
        Subject(
            "settled in Harstad",
            settled_harstad,
            now=_ids(c.harstad),
            before=_ids(c.centre_harstad, c.directorate),
            next_step={"phase": Phase.IN_PROGRAMME, "date": today},
        ),
        Subject(
            "settled in Tromsø after the Harstad centre",
            settled_tromso,
            now=_ids(c.tromso),
            before=_ids(c.centre_harstad, c.harstad, c.directorate),
            next_step={"phase": Phase.IN_PROGRAMME, "date": today},
        ),
        Subject(
            "in programme in Harstad, shared with adult education",
            programme,
            now=_ids(c.harstad),
            before=_ids(c.centre_harstad, c.directorate),
            shared=_ids(c.adult_education),
            next_step={"phase": Phase.FINISHED, "date": today, "outcome": "work"},
        ),
        Subject(
            "Tromsø resident with expired, revoked and last-day shared access",
            tromso_resident,
            now=_ids(c.centre_tromso, c.tromso),
            shared=_ids(c.nav),
            next_step={"phase": Phase.PERMIT_GRANTED, "date": today},
        ),
        Subject(
            "a person who does not exist", None, next_step={"phase": Phase.PERMIT_GRANTED, "date": today}
        ),
    ]


# ---------------------------------------------------------------------------------------------------
# Expectations, from the rules above.


@dataclass
class Principal:
    label: str
    user: User
    memberships: list[tuple[uuid.UUID, str, str]]  # organisation id, organisation kind, role

    @property
    def reads_persons(self) -> bool:
        return any(role in READ_ROLES for _, _, role in self.memberships)

    @property
    def registering_org_id(self):
        for org_id, kind, role in self.memberships:
            if role in WRITE_ROLES and kind in REGISTERING_KINDS:
                return org_id
        return None

    @property
    def registering_org_kind(self):
        for _org_id, kind, role in self.memberships:
            if role in WRITE_ROLES and kind in REGISTERING_KINDS:
                return kind
        return None

    def level(self, subject: Subject) -> str:
        level = NONE
        for org_id, _kind, role in self.memberships:
            if role in WRITE_ROLES and org_id in subject.now:
                return WRITE
            if role in READ_ROLES and org_id in subject.now | subject.before | subject.shared:
                level = READ
        return level

    def sees_in_list(self, subject: Subject, *, history: bool) -> bool:
        if subject.person is None:
            return False
        if history:
            return self.level(subject) != NONE
        # Without history: persons an organisation of theirs is responsible for now or has shared access to.
        return any(
            role in READ_ROLES and org_id in subject.now | subject.shared
            for org_id, _, role in self.memberships
        )


def _principals(users, extra_users) -> list[Principal]:
    result = []
    for label, user in [*((str(role), u) for role, u in users.items()), *extra_users.items()]:
        rows = Membership.objects.filter(user=user).values_list(
            "organisation_id", "organisation__kind", "role"
        )
        result.append(Principal(label, user, list(rows)))
    return result


# ---------------------------------------------------------------------------------------------------
# Requests and payloads.

PERSON_LINK = re.compile(r"/persons/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})/")
NEW_PHONE = "+47 911 22 333"


def _newcomer(principal: Principal, family_name: str) -> dict:
    """A valid registration on behalf of the principal's registering organisation."""
    at_centre = principal.registering_org_kind == OrganisationKind.RECEPTION_CENTRE
    return {
        "given_name": "Newcomer",
        "family_name": family_name,
        "birth_date": "2015-03-03",
        "sex": "male",
        "immigrant_category": "asylum_seeker" if at_centre else "family_reunified",
        "organisation": str(principal.registering_org_id or uuid.uuid4()),
        "initial_phase": Phase.ARRIVAL if at_centre else Phase.PERMIT_GRANTED,
        "phase_date": timezone.localdate().isoformat(),
    }


def _api_newcomer(principal: Principal, family_name: str) -> dict:
    data = _newcomer(principal, family_name)
    data["organisation_id"] = data.pop("organisation")
    return data


def _person_form(subject: Subject) -> dict:
    p = subject.person
    if p is None:
        return {
            "given_name": "Ghost",
            "family_name": "Ghost",
            "birth_date": "1990-01-01",
            "sex": "male",
            "immigrant_category": "refugee",
            "phone": NEW_PHONE,
        }
    return {
        "given_name": p.given_name,
        "family_name": p.family_name,
        "birth_date": p.birth_date.isoformat(),
        "sex": p.sex,
        "immigrant_category": p.immigrant_category,
        "nationalities": [str(c.code) for c in p.nationalities],
        "preferred_language": "ar",
        "needs_interpreter": "on",
        "national_identity_number": p.national_identity_number or "",
        "duf_number": p.duf_number or "",
        "phone": NEW_PHONE,
    }


def _api_person(subject: Subject) -> dict:
    data = _person_form(subject)
    data.pop("preferred_language", None)
    data.pop("needs_interpreter", None)
    data["languages"] = [{"language": "ar", "is_preferred": True, "needs_interpreter": True}]
    return data


def _in_savepoint(do, check=lambda: None):
    """Run a request and inspect its effect, then undo it so every case starts from the same state."""
    sid = transaction.savepoint()
    try:
        response = do()
        effect = check()
    finally:
        transaction.savepoint_rollback(sid)
    return response, effect


@dataclass
class Recorder:
    count: int = 0
    failures: list = field(default_factory=list)
    exercised: set = field(default_factory=set)  # endpoint keys that signed-in users were tested on

    def check(self, label: str, ok: bool, detail: str = "") -> None:
        self.count += 1
        if not ok:
            self.failures.append(f"{label}: {detail}")


def _phone(subject: Subject):
    if subject.person is None:
        return None
    return Person.objects.filter(pk=subject.person.pk).values_list("phone", flat=True).first()


def _events(subject: Subject) -> int:
    return PhaseEvent.objects.filter(person_id=subject.id).count()


def _leaks(response, subject: Subject) -> bool:
    if subject.person is None:
        return False
    body = response.content.decode()
    return subject.person.family_name in body or (subject.person.national_identity_number or "-") in body


def _run_person_cases(rec: Recorder, principal: Principal, client: Client, subject: Subject) -> None:
    level = principal.level(subject)
    pid = subject.id
    who = f"{principal.label} × {subject.name}"
    phone_before = _phone(subject)
    events_before = _events(subject)
    persons_before = Person.objects.count()

    def expect(what, response, wanted: dict, *, changed=None):
        """``wanted``: level → status. A write must change data exactly when it succeeds."""
        rec.exercised.add(what)
        status = wanted[level]
        good = response.status_code == status
        detail = f"{what}: expected {status} ({level}), got {response.status_code}"
        if good and level == NONE and _leaks(response, subject):
            good, detail = False, f"{what}: the refusal shows the person's name or identity number"
        if good and changed is not None and changed != (status < 400):
            good, detail = False, f"{what}: answered {status} but data changed={changed}"
        rec.check(who, good, detail)

    reads = {NONE: 404, READ: 200, WRITE: 200}

    def writes(ok):
        return {NONE: 404, READ: 403, WRITE: ok}

    response = client.get(f"/persons/{pid}/")
    expect("page person", response, reads)
    if level != NONE and response.status_code == 200:
        rec.check(who, subject.person.family_name in response.content.decode(), "person page lacks the name")
    response = client.get(f"/api/persons/{pid}")
    expect("api person", response, reads)
    if level != NONE and response.status_code == 200:
        rec.check(who, response.json()["id"] == str(pid), "API returned another person")

    expect("page edit form", client.get(f"/persons/{pid}/edit/"), writes(200))
    expect("page transition form", client.get(f"/persons/{pid}/transition/"), writes(200))

    # Writes with valid input, each undone afterwards so every case starts from the same state.
    response, changed = _in_savepoint(
        lambda: client.post(f"/persons/{pid}/edit/", _person_form(subject)),
        lambda: _phone(subject) != phone_before,
    )
    expect("page edit", response, writes(302), changed=changed)
    response, changed = _in_savepoint(
        lambda: client.put(
            f"/api/persons/{pid}", json.dumps(_api_person(subject)), content_type="application/json"
        ),
        lambda: _phone(subject) != phone_before,
    )
    expect("api update", response, writes(200), changed=changed)
    response, changed = _in_savepoint(
        lambda: client.post(f"/persons/{pid}/transition/", subject.next_step),
        lambda: _events(subject) != events_before,
    )
    expect("page transition", response, writes(302), changed=changed)
    response, changed = _in_savepoint(
        lambda: client.post(
            f"/api/persons/{pid}/transitions", json.dumps(subject.next_step), content_type="application/json"
        ),
        lambda: _events(subject) != events_before,
    )
    expect("api transition", response, writes(201), changed=changed)

    # Registering a family member needs a registering organisation (checked first) and write access.
    registrar = principal.registering_org_id is not None
    family_form = writes(200) if registrar else {NONE: 403, READ: 403, WRITE: 403}
    expect("page register family member form", client.get(f"/persons/new/?family_of={pid}"), family_form)
    family = {**_newcomer(principal, "Familiesen"), "family_of": str(pid), "relation": "child"}
    response, changed = _in_savepoint(
        lambda: client.post("/persons/new/", family), lambda: Person.objects.count() != persons_before
    )
    family_post = writes(302) if registrar else {NONE: 403, READ: 403, WRITE: 403}
    expect("page register family member", response, family_post, changed=changed)


def _listed_ids_page(response) -> set[str]:
    return set(PERSON_LINK.findall(response.content.decode()))


def _run_user_cases(rec: Recorder, principal: Principal, client: Client, subjects: list[Subject]) -> None:
    who = principal.label
    numbers = [s.person.national_identity_number for s in subjects if s.person]
    for history in (False, True):
        suffix = "?history=1" if history else ""
        wanted_ids = {str(s.id) for s in subjects if principal.sees_in_list(s, history=history)}
        response = client.get(f"/persons/{suffix}")
        rec.exercised.add("page list")
        if principal.reads_persons:
            body = response.content.decode()
            listed = _listed_ids_page(response)
            rec.check(who, response.status_code == 200, f"list page{suffix}: got {response.status_code}")
            rec.check(who, listed == wanted_ids, f"list page{suffix}: listed {listed}, expected {wanted_ids}")
            rec.check(who, not any(n in body for n in numbers), f"list page{suffix} shows an identity number")
        else:
            rec.check(
                who,
                response.status_code == 403,
                f"list page{suffix}: expected 403, got {response.status_code}",
            )
        response = client.get(f"/api/persons{'?history=true' if history else ''}")
        rec.exercised.add("api list")
        if principal.reads_persons:
            rec.check(who, response.status_code == 200, f"API list: got {response.status_code}")
            items = response.json()["items"] if response.status_code == 200 else []
            listed = {item["id"] for item in items}
            rec.check(who, listed == wanted_ids, f"API list{suffix}: listed {listed}, expected {wanted_ids}")
            text = response.content.decode()
            rec.check(
                who,
                not any(n in text for n in numbers) and "national_identity_number" not in text,
                f"API list{suffix} carries identity numbers",
            )
        else:
            rec.check(
                who,
                response.status_code == 403,
                f"API list{suffix}: expected 403, got {response.status_code}",
            )

    registrar = principal.registering_org_id is not None
    response = client.get("/persons/new/")
    rec.exercised.add("page register form")
    rec.check(
        who,
        response.status_code == (200 if registrar else 403),
        f"register form: expected {200 if registrar else 403}, got {response.status_code}",
    )
    before = Person.objects.count()
    response, changed = _in_savepoint(
        lambda: client.post("/persons/new/", _newcomer(principal, "Nyregistrertsen")),
        lambda: Person.objects.count() != before,
    )
    rec.exercised.add("page register")
    rec.check(
        who,
        response.status_code == (302 if registrar else 403) and changed == registrar,
        f"register page: expected {302 if registrar else 403}, got {response.status_code}, saved={changed}",
    )
    response, changed = _in_savepoint(
        lambda: client.post(
            "/api/persons",
            json.dumps(_api_newcomer(principal, "Apiregistrertsen")),
            content_type="application/json",
        ),
        lambda: Person.objects.count() != before,
    )
    rec.exercised.add("api register")
    rec.check(
        who,
        response.status_code == (201 if registrar else 403) and changed == registrar,
        f"register API: expected {201 if registrar else 403}, got {response.status_code}, saved={changed}",
    )
    if registrar:
        # On behalf of an organisation that is not theirs: refused, nothing saved.
        foreign = (
            Organisation.objects.exclude(memberships__user=principal.user)
            .filter(kind=OrganisationKind.RECEPTION_CENTRE)
            .first()
        )
        payload = {**_api_newcomer(principal, "Fremmedsen"), "organisation_id": str(foreign.id)}
        payload.update(immigrant_category="asylum_seeker", initial_phase=Phase.ARRIVAL)
        response, changed = _in_savepoint(
            lambda: client.post("/api/persons", json.dumps(payload), content_type="application/json"),
            lambda: Person.objects.count() != before,
        )
        rec.check(
            who,
            response.status_code == 403 and not changed,
            f"register API for a foreign organisation: got {response.status_code}",
        )
        form = {**_newcomer(principal, "Fremmedsen"), "organisation": str(foreign.id)}
        form.update(immigrant_category="asylum_seeker", initial_phase=Phase.ARRIVAL)
        response, changed = _in_savepoint(
            lambda: client.post("/persons/new/", form), lambda: Person.objects.count() != before
        )
        rec.check(
            who,
            response.status_code in (400, 403) and not changed,
            f"register page for a foreign organisation: got {response.status_code}, saved={changed}",
        )


def _run_anonymous_cases(rec: Recorder, subjects: list[Subject]) -> None:
    client = Client()
    before = (Person.objects.count(), PhaseEvent.objects.count())
    subject = subjects[0]
    for endpoint in ENDPOINTS:
        path = endpoint.route.replace("<uuid:person_id>", str(subject.id)).replace(
            "{person_id}", str(subject.id)
        )
        if not path.startswith("/"):
            path = "/" + path
        if endpoint.key.startswith("page register family"):
            path += f"?family_of={subject.id}"
        if endpoint.route.startswith("/api/"):
            response = client.generic(endpoint.method, path, json.dumps({}), content_type="application/json")
            rec.check(
                "anonymous",
                response.status_code == 401,
                f"{endpoint.method} {path}: expected 401, got {response.status_code}",
            )
        else:
            response = client.generic(
                endpoint.method, path, b"", content_type="application/x-www-form-urlencoded"
            )
            location = response.headers.get("Location", "")
            rec.check(
                "anonymous",
                response.status_code == 302 and location.startswith("/login/"),
                f"{endpoint.method} {path}: expected a redirect to the login page, got {response.status_code} {location}",
            )
    rec.check(
        "anonymous", (Person.objects.count(), PhaseEvent.objects.count()) == before, "anonymous changed data"
    )


def test_every_role_gets_exactly_the_access_the_rules_give(chain, users, extra_users, subjects, report_line):
    rec = Recorder()
    principals = _principals(users, extra_users)
    assert {p.user.memberships.first().role for p in principals} >= set(Role.values), "a role is missing"
    _run_anonymous_cases(rec, subjects)
    for principal in principals:
        client = Client()
        client.force_login(principal.user)
        _run_user_cases(rec, principal, client, subjects)
        for subject in subjects:
            _run_person_cases(rec, principal, client, subject)

    report_line(f"access matrix: {rec.count} cases")
    untested = {e.key for e in ENDPOINTS} - rec.exercised
    assert not untested, f"endpoints in the matrix without cases: {sorted(untested)}"
    assert not rec.failures, f"{len(rec.failures)} of {rec.count} cases failed:\n" + "\n".join(rec.failures)
    assert rec.count >= MINIMUM_CASES


def test_the_matrix_covers_readers_writers_and_outsiders_for_every_subject(users, extra_users, subjects):
    """Guard against a matrix that passes because every case expects the same answer."""
    principals = _principals(users, extra_users)
    for subject in subjects[:-1]:
        levels = {p.level(subject) for p in principals}
        assert NONE in levels, subject.name
        assert WRITE in levels, subject.name
    assert any(p.level(s) == READ for p in principals for s in subjects)


# ---------------------------------------------------------------------------------------------------
# Nothing slips past the matrix.


def _walk(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern


# Apps whose endpoints have an access matrix of their own (tests/<app>/test_access_matrix.py).
OWN_MATRIX_PREFIXES = ("reception/", "settlement/", "housing/", "qualification/", "volunteering/")


def _person_page_routes() -> set[str]:
    routes = set()
    for route, pattern in _walk(get_resolver().url_patterns):
        if route.startswith("api/"):
            continue  # the API is enumerated from its OpenAPI description below
        if route.startswith(OWN_MATRIX_PREFIXES):
            continue
        module = getattr(pattern.callback, "__module__", "") or ""
        if "person" in route or module.startswith("bro.people"):
            routes.add(route)
    return routes


def _person_api_operations() -> set[tuple[str, str]]:
    operations = set()
    for path, item in api.get_openapi_schema()["paths"].items():
        if "person" not in path or path.startswith(tuple(f"/api/{p}" for p in OWN_MATRIX_PREFIXES)):
            continue
        for method in item:
            operations.add((path, method.upper()))
    return operations


def test_every_person_endpoint_is_in_the_matrix(client, users, subjects):
    page_routes = _person_page_routes()
    covered_pages = {e.route for e in PAGE_ENDPOINTS}
    assert page_routes == covered_pages, (
        f"person pages not in the matrix: {sorted(page_routes - covered_pages)}; "
        f"in the matrix but gone: {sorted(covered_pages - page_routes)}"
    )
    api_operations = _person_api_operations()
    covered_api = {(e.route, e.method) for e in API_ENDPOINTS}
    assert api_operations == covered_api, (
        f"person API operations not in the matrix: {sorted(api_operations - covered_api)}; "
        f"in the matrix but gone: {sorted(covered_api - api_operations)}"
    )

    # A page must refuse every method the matrix does not test, even for a user who may write.
    client.force_login(users[Role.MUNICIPAL_SETTLEMENT_OFFICER])
    writable = next(s for s in subjects if s.name == "settled in Harstad")
    covered_methods = {(e.route, e.method) for e in PAGE_ENDPOINTS}
    for route in sorted(page_routes):
        path = "/" + route.replace("<uuid:person_id>", str(writable.id))
        assert "<" not in path, f"{route}: add its parameters to the matrix"
        for method in HTTP_METHODS:
            if (route, method) in covered_methods:
                continue
            response, _ = _in_savepoint(lambda m=method, p=path: client.generic(m, p))
            assert response.status_code == 405, f"{method} /{route} answers {response.status_code}, not 405"
