"""The qualification access matrix: every qualification page and API operation, for every role (and an
adviser, teacher, settlement officer, leader and reception of another municipality or centre), against
cases and persons in several situations.

Expected outcomes are computed here from the rules written in bro/qualification/permissions.py's docstring
(and bro.core.policy's for who may read a person), never by asking either:

* a **case** is read by programme advisers, municipal settlement officers and teachers of an organisation
  responsible for the person now, responsible before (read-only history after a move), or given shared
  access (the adult-education centre the case is assigned to);
* a case is **managed** by the programme advisers of the case's municipality while that municipality is
  responsible for the person; changes to an ended case are refused as bad input (422 / 400);
* **attendance and tests** are recorded by those who manage the case and by the teachers of the
  adult-education centre the case is assigned to; teaching groups are kept by their organisation's
  teachers (adult education) or programme advisers (municipality);
* the **training history** is read by anyone who may read the person; a **case is opened** by a programme
  adviser of the municipality responsible for the person now;
* **aggregates** (monitor, results) are seen by a municipality's programme advisers and leadership and by
  the directorate's leadership and national settlement officers; the **NIR export** is made by a
  municipality's programme advisers; the participant list is for programme advisers and teachers;
* cases and persons the user may not read answer 404, a change they may not make 403; anonymous users get
  the login page or 401. A write changes data exactly when it succeeds.

``test_every_qualification_endpoint_is_in_the_matrix`` fails when a page or API operation is added to the
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
from bro.core.models import AuditAction, AuditEntry, Membership
from bro.core.roles import OrganisationKind, Role
from bro.people import services as people_services
from bro.people.models import PhaseEvent, SharedAccess
from bro.people.phases import Phase
from bro.qualification import attendance as att
from bro.qualification import decisions, selectors
from bro.qualification import models as qm
from bro.qualification import services as q
from bro.qualification.models import (
    Appeal,
    AttendanceWeek,
    CompetenceMapping,
    Decision,
    Deviation,
    Measure,
    Participant,
    PlanVersion,
    TeachingGroup,
)
from tests.conftest import days_ago, make_org, make_user
from tests.qualification.conftest import standard_measures

R = Role
K = OrganisationKind
PERSON_READ = frozenset(
    {
        R.NATIONAL_SETTLEMENT_OFFICER,
        R.MUNICIPAL_SETTLEMENT_OFFICER,
        R.PROGRAMME_ADVISER,
        R.TEACHER,
        R.HEALTH_NURSE,
        R.RECEPTION_STAFF,
    }
)
CASE_READ = frozenset({R.PROGRAMME_ADVISER, R.MUNICIPAL_SETTLEMENT_OFFICER, R.TEACHER})
MINIMUM_CASES = 2000
HTTP_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
TODAY = timezone.localdate

# (method, route): pages as Django routes, API operations as OpenAPI paths.
PAGES = [
    ("GET", "qualification/"),
    ("GET", "qualification/persons/<uuid:person_id>/open/"),
    ("POST", "qualification/persons/<uuid:person_id>/open/"),
    ("GET", "qualification/persons/<uuid:person_id>/training/"),
    ("GET", "qualification/participants/<uuid:participant_id>/"),
    ("GET", "qualification/participants/<uuid:participant_id>/assign/"),
    ("POST", "qualification/participants/<uuid:participant_id>/assign/"),
    ("GET", "qualification/participants/<uuid:participant_id>/mapping/"),
    ("POST", "qualification/participants/<uuid:participant_id>/mapping/"),
    ("GET", "qualification/participants/<uuid:participant_id>/goals/"),
    ("POST", "qualification/participants/<uuid:participant_id>/goals/"),
    ("GET", "qualification/participants/<uuid:participant_id>/plan/"),
    ("POST", "qualification/participants/<uuid:participant_id>/plan/"),
    ("GET", "qualification/participants/<uuid:participant_id>/start/"),
    ("POST", "qualification/participants/<uuid:participant_id>/start/"),
    ("GET", "qualification/participants/<uuid:participant_id>/end/"),
    ("POST", "qualification/participants/<uuid:participant_id>/end/"),
    ("GET", "qualification/participants/<uuid:participant_id>/one-year/"),
    ("POST", "qualification/participants/<uuid:participant_id>/one-year/"),
    ("GET", "qualification/participants/<uuid:participant_id>/decisions/"),
    ("POST", "qualification/participants/<uuid:participant_id>/decisions/"),
    ("GET", "qualification/participants/<uuid:participant_id>/certificate/"),
    ("GET", "qualification/decisions/<uuid:decision_id>/letter/"),
    ("GET", "qualification/decisions/<uuid:decision_id>/appeals/"),
    ("POST", "qualification/decisions/<uuid:decision_id>/appeals/"),
    ("GET", "qualification/appeals/<uuid:appeal_id>/outcome/"),
    ("POST", "qualification/appeals/<uuid:appeal_id>/outcome/"),
    ("GET", "qualification/participants/<uuid:participant_id>/attendance/"),
    ("POST", "qualification/participants/<uuid:participant_id>/attendance/"),
    ("GET", "qualification/participants/<uuid:participant_id>/benefit/"),
    ("GET", "qualification/groups/"),
    ("POST", "qualification/groups/"),
    ("GET", "qualification/groups/<uuid:group_id>/"),
    ("POST", "qualification/groups/<uuid:group_id>/"),
    ("GET", "qualification/groups/<uuid:group_id>/attendance/"),
    ("POST", "qualification/groups/<uuid:group_id>/attendance/"),
    ("POST", "qualification/groups/<uuid:group_id>/members/<uuid:participant_id>/remove/"),
    ("GET", "qualification/monitor/"),
    ("GET", "qualification/overview/"),
    ("GET", "qualification/export/"),
    ("GET", "qualification/export/file/"),
    ("POST", "qualification/export/check/"),
]
API = [
    ("GET", "/api/qualification/participants"),
    ("POST", "/api/qualification/persons/{person_id}/case"),
    ("GET", "/api/qualification/persons/{person_id}/training"),
    ("GET", "/api/qualification/participants/{participant_id}"),
    ("PUT", "/api/qualification/participants/{participant_id}/assignment"),
    ("PUT", "/api/qualification/participants/{participant_id}/mapping"),
    ("PUT", "/api/qualification/participants/{participant_id}/goals"),
    ("GET", "/api/qualification/participants/{participant_id}/plans"),
    ("POST", "/api/qualification/participants/{participant_id}/plans"),
    ("POST", "/api/qualification/participants/{participant_id}/start"),
    ("POST", "/api/qualification/participants/{participant_id}/end"),
    ("PUT", "/api/qualification/participants/{participant_id}/one-year-status"),
    ("GET", "/api/qualification/participants/{participant_id}/decisions"),
    ("POST", "/api/qualification/participants/{participant_id}/decisions"),
    ("GET", "/api/qualification/participants/{participant_id}/certificate"),
    ("GET", "/api/qualification/decisions/{decision_id}/letter"),
    ("POST", "/api/qualification/decisions/{decision_id}/appeals"),
    ("POST", "/api/qualification/appeals/{appeal_id}/outcome"),
    ("GET", "/api/qualification/participants/{participant_id}/attendance"),
    ("POST", "/api/qualification/participants/{participant_id}/attendance"),
    ("POST", "/api/qualification/participants/{participant_id}/tests"),
    ("GET", "/api/qualification/participants/{participant_id}/benefit"),
    ("GET", "/api/qualification/groups"),
    ("POST", "/api/qualification/groups"),
    ("GET", "/api/qualification/groups/{group_id}"),
    ("POST", "/api/qualification/groups/{group_id}/members"),
    ("DELETE", "/api/qualification/groups/{group_id}/members/{participant_id}"),
    ("GET", "/api/qualification/groups/{group_id}/weeks/{iso_year}/{iso_week}"),
    ("PUT", "/api/qualification/groups/{group_id}/weeks/{iso_year}/{iso_week}"),
    ("GET", "/api/qualification/monitor"),
    ("GET", "/api/qualification/overview"),
    ("GET", "/api/qualification/nir/export"),
    ("POST", "/api/qualification/nir/validation"),
]


@pytest.fixture(autouse=True)
def _quiet_request_log():
    logger = logging.getLogger("django.request")
    level = logger.level
    logger.setLevel(logging.ERROR)
    yield
    logger.setLevel(level)


# --- principals -------------------------------------------------------------------------------------------


@dataclass
class Principal:
    label: str
    user: object
    memberships: list  # (organisation id, organisation kind, role)

    def orgs(self, roles, kind=None) -> set:
        return {o for o, k, r in self.memberships if r in roles and (kind is None or k == kind)}

    def reads_person(self, person) -> bool:
        return bool(self.orgs(PERSON_READ) & person.readers)

    def reads(self, case) -> bool:
        return bool(self.orgs(CASE_READ) & case.person.readers)

    def manages(self, case) -> bool:
        return case.municipality in self.orgs({R.PROGRAMME_ADVISER}, K.MUNICIPALITY) & case.person.now

    def records(self, case) -> bool:
        teaches = case.adult_education in self.orgs({R.TEACHER}, K.ADULT_EDUCATION)
        return (teaches and self.reads(case)) or self.manages(case)

    def opens(self, person) -> bool:
        return bool(self.orgs({R.PROGRAMME_ADVISER}, K.MUNICIPALITY) & person.now)

    def adviser_in(self, municipality) -> bool:
        return municipality in self.orgs({R.PROGRAMME_ADVISER}, K.MUNICIPALITY)

    @property
    def national_overview(self) -> bool:
        return bool(self.orgs({R.LEADERSHIP, R.NATIONAL_SETTLEMENT_OFFICER}, K.DIRECTORATE))

    def overview_of(self, municipality) -> bool:
        return self.national_overview or municipality in self.orgs(
            {R.PROGRAMME_ADVISER, R.LEADERSHIP}, K.MUNICIPALITY
        )

    @property
    def overview(self) -> bool:
        return self.national_overview or bool(self.orgs({R.PROGRAMME_ADVISER, R.LEADERSHIP}, K.MUNICIPALITY))

    def keeps(self, group) -> bool:
        """Teaching groups are kept by their centre's teachers and their municipality's programme advisers."""
        return group.organisation in (
            self.orgs({R.TEACHER}, K.ADULT_EDUCATION) | self.orgs({R.PROGRAMME_ADVISER}, K.MUNICIPALITY)
        )

    @property
    def keeps_any(self) -> bool:
        return bool(
            self.orgs({R.TEACHER}, K.ADULT_EDUCATION) | self.orgs({R.PROGRAMME_ADVISER}, K.MUNICIPALITY)
        )

    def works_with(self, case) -> bool:
        """The case is on the user's list: open, in their municipality or centre, the person theirs now."""
        return (
            case.open
            and bool(
                {case.municipality} & self.orgs({R.PROGRAMME_ADVISER, R.MUNICIPAL_SETTLEMENT_OFFICER})
                or {case.adult_education} & self.orgs({R.TEACHER})
            )
            and bool(self.orgs(PERSON_READ) & (case.person.now | case.person.shared))
        )

    @property
    def lists(self) -> bool:
        return bool(
            self.orgs({R.PROGRAMME_ADVISER}, K.MUNICIPALITY) | self.orgs({R.TEACHER}, K.ADULT_EDUCATION)
        )


# --- subjects ---------------------------------------------------------------------------------------------


@dataclass
class PersonSubject:
    name: str
    person: object | None
    now: set = field(default_factory=set)
    before: set = field(default_factory=set)
    shared: set = field(default_factory=set)
    openable: bool = False  # settled, and no open case: an adviser who may open it succeeds
    moved_from: str = ""  # the municipality whose programme hours the training history must show
    ghost: uuid.UUID = field(default_factory=uuid.uuid4)

    @property
    def id(self):
        return self.person.id if self.person else self.ghost

    @property
    def readers(self) -> set:
        return self.now | self.before | self.shared


@dataclass
class CaseSubject:
    name: str
    participant: Participant | None
    person: PersonSubject
    municipality: uuid.UUID | None = None
    adult_education: uuid.UUID | None = None
    open: bool = True
    mapped: bool = True
    started: bool = True
    ended_a_year_ago: bool = False
    decision: Decision | None = None
    appeal: Appeal | None = None
    ghost: uuid.UUID = field(default_factory=uuid.uuid4)

    @property
    def id(self):
        return self.participant.id if self.participant else self.ghost

    @property
    def norwegian_key(self):
        """The Norwegian measure of the current plan (a made-up key without a plan)."""
        plan = selectors.current_plan(self.participant) if self.participant else None
        found = [m.key for m in plan.measures.all() if m.kind == "norwegian"] if plan else []
        return found[0] if found else self.ghost

    @property
    def decision_id(self):
        return self.decision.id if self.decision else self.ghost

    @property
    def appeal_id(self):
        return self.appeal.id if self.appeal else self.ghost


@dataclass
class GroupSubject:
    name: str
    group: TeachingGroup | None
    organisation: uuid.UUID | None = None
    members: list[CaseSubject] = field(default_factory=list)
    ghost: uuid.UUID = field(default_factory=uuid.uuid4)

    @property
    def id(self):
        return self.group.id if self.group else self.ghost


@dataclass
class World:
    persons: list[PersonSubject]
    cases: list[CaseSubject]
    groups: list[GroupSubject]
    principals: list[Principal]
    harstad: uuid.UUID
    tromso: uuid.UUID


def _decide(actor, participant, decided_ago: int, appeal_ago: int) -> tuple[Decision, Appeal]:
    decision = decisions.create_decision(
        actor,
        participant,
        kind="programme",
        decided_on=days_ago(decided_ago),
        effective_from=days_ago(decided_ago),
        outcome_text="Du får introduksjonsprogram.",
        reasons="Du har rett og plikt til programmet.",
    )
    appeal = decisions.record_appeal(actor, decision, received_on=days_ago(appeal_ago), grounds="Uenig.")
    return decision, appeal


def _started_case(actor, person, *, adult_education, settled_ago: int = 200, end_ago: int = -500):
    case = q.open_case(actor, person, adult_education=adult_education)
    q.save_mapping(actor, case, q.MappingInput(completed_on=days_ago(settled_ago - 4)))
    start = settled_ago - 10
    q.save_plan(
        actor, case, standard_measures(days_ago(start), days_ago(end_ago)), valid_from=days_ago(start)
    )
    q.start_programme(actor, case, on=days_ago(start))
    return case


@pytest.fixture
def world(chain, users, arrive, settle) -> World:
    c = chain
    tromso_ae = make_org(K.ADULT_EDUCATION, "Tromsø voksenopplæring", "5501")
    extra = {
        "tromso-adviser": make_user("tromso-adviser", c.tromso, R.PROGRAMME_ADVISER),
        "tromso-teacher": make_user("tromso-teacher", tromso_ae, R.TEACHER),
        "tromso-officer": make_user("tromso-officer", c.tromso, R.MUNICIPAL_SETTLEMENT_OFFICER),
        "tromso-leader": make_user("tromso-leader", c.tromso, R.LEADERSHIP),
        "tromso-reception": make_user("tromso-reception", c.centre_tromso, R.RECEPTION_STAFF),
        "imdi-leader": make_user("imdi-leader", c.directorate, R.LEADERSHIP),
        "nav-adviser": make_user("nav-adviser", c.nav, R.PROGRAMME_ADVISER),
    }
    harstad = q.Actor(users[R.PROGRAMME_ADVISER])
    tromso = q.Actor(extra["tromso-adviser"])
    harstad_chain = {c.centre_harstad.id, c.directorate.id}

    active = arrive(Phase.SETTLED, given_name="Aktiv")
    active_case = _started_case(harstad, active, adult_education=c.adult_education)
    active_decision = _decide(harstad, active_case, 185, 180)

    moved = arrive(Phase.SETTLED, given_name="Flyttet")
    moved_case = _started_case(harstad, moved, adult_education=c.adult_education)
    moved_decision = _decide(harstad, moved_case, 185, 180)
    year, week, _day = days_ago(100).isocalendar()
    norwegian = next(m for m in selectors.current_plan(moved_case).measures.all() if m.kind == "norwegian")
    att.record_week(
        harstad, moved_case, measure_key=norwegian.key, iso_year=year, iso_week=week, hours_attended=12
    )
    people_services.record_transition(
        q.Actor(users[R.MUNICIPAL_SETTLEMENT_OFFICER]),
        moved,
        phase=Phase.SETTLED,
        on=days_ago(30),
        organisation=c.tromso,
    )
    moved.refresh_from_db()
    new_case = q.open_case(tromso, moved)
    q.save_mapping(tromso, new_case, q.MappingInput(completed_on=days_ago(20)))
    new_decision = _decide(tromso, new_case, 10, 5)

    ended = settle(900, given_name="Ferdig")
    ended_case = _started_case(harstad, ended, adult_education=None, settled_ago=900, end_ago=410)
    ended_decision = _decide(harstad, ended_case, 885, 870)
    q.end_programme(harstad, ended_case, on=days_ago(400), reason="completed")

    elsewhere = arrive(Phase.SETTLED, centre=c.centre_tromso, settle_in=c.tromso, given_name="Tromsøværing")
    elsewhere_case = _started_case(tromso, elsewhere, adult_education=tromso_ae)
    elsewhere_decision = _decide(tromso, elsewhere_case, 185, 180)

    without = arrive(Phase.SETTLED, given_name="Uten")

    teacher = q.Actor(users[R.TEACHER])
    centre_group = att.create_group(
        teacher, organisation=c.adult_education, name="Norsk 1A", measure_kind="norwegian"
    )
    municipal_group = att.create_group(
        harstad, organisation=c.harstad, name="Arbeidspraksis", measure_kind="work_placement"
    )
    att.add_member(harstad, municipal_group, active_case)
    tromso_group = att.create_group(
        q.Actor(extra["tromso-teacher"]),
        organisation=tromso_ae,
        name="Norsk Tromsø",
        measure_kind="norwegian",
    )
    att.add_member(q.Actor(extra["tromso-teacher"]), tromso_group, elsewhere_case)

    p_active = PersonSubject(
        "in Harstad's programme", active, {c.harstad.id}, harstad_chain, {c.adult_education.id}
    )
    p_moved = PersonSubject(
        "moved from Harstad's programme to Tromsø",
        moved,
        {c.tromso.id},
        harstad_chain | {c.harstad.id},
        {c.adult_education.id},
        moved_from="Harstad kommune",
    )
    p_ended = PersonSubject("ended Harstad's programme", ended, {c.harstad.id}, harstad_chain)
    p_elsewhere = PersonSubject(
        "in Tromsø's programme",
        elsewhere,
        {c.tromso.id},
        {c.centre_tromso.id, c.directorate.id},
        {tromso_ae.id},
    )
    p_without = PersonSubject(
        "settled in Harstad, no case", without, {c.harstad.id}, harstad_chain, openable=True
    )
    p_missing = PersonSubject("a person who does not exist", None)

    def case(name, participant, person, decided, **flags):
        return CaseSubject(
            name,
            participant,
            person,
            municipality=participant.municipality_id,
            adult_education=participant.adult_education_id,
            decision=decided[0],
            appeal=decided[1],
            **flags,
        )

    cases = [
        case("active case in Harstad", active_case, p_active, active_decision),
        case("Harstad's case after the move", moved_case, p_moved, moved_decision, open=False),
        case("Tromsø's case after the move", new_case, p_moved, new_decision, started=False),
        case("ended case in Harstad", ended_case, p_ended, ended_decision, open=False, ended_a_year_ago=True),
        case("case in Tromsø", elsewhere_case, p_elsewhere, elsewhere_decision),
        CaseSubject("a case that does not exist", None, p_missing),
    ]
    principals = []
    for label, user in [*((str(role), u) for role, u in users.items()), *extra.items()]:
        rows = list(
            Membership.objects.filter(user=user).values_list("organisation_id", "organisation__kind", "role")
        )
        principals.append(Principal(label, user, rows))
    persons = [p_active, p_moved, p_ended, p_elsewhere, p_without, p_missing]
    groups = [
        GroupSubject("a centre's group without members", centre_group, c.adult_education.id),
        GroupSubject("a municipality's group", municipal_group, c.harstad.id, [cases[0]]),
        GroupSubject("a Tromsø centre's group", tromso_group, tromso_ae.id, [cases[4]]),
        GroupSubject("a group that does not exist", None),
    ]
    return World(persons, cases, groups, principals, c.harstad.id, c.tromso.id)


# --- running the cases ------------------------------------------------------------------------------------


def _fingerprint():
    """Everything a qualification write could change, and the log of changes (reads are logged too)."""
    return (
        tuple(Participant.objects.order_by("pk").values_list()),
        tuple(CompetenceMapping.objects.order_by("pk").values_list("completed_on", "skills", "updated_at")),
        PlanVersion.objects.count(),
        Measure.objects.count(),
        Decision.objects.count(),
        tuple(Appeal.objects.order_by("pk").values_list("outcome", "outcome_on")),
        Appeal.objects.count(),
        tuple(AttendanceWeek.objects.order_by("pk").values_list()),
        qm.TestResult.objects.count(),  # through the module: pytest would collect a Test… name
        Deviation.objects.count(),
        TeachingGroup.objects.count(),
        TeachingGroup.members.through.objects.count(),
        PhaseEvent.objects.count(),
        SharedAccess.objects.count(),
        AuditEntry.objects.exclude(action__in=[AuditAction.READ, AuditAction.LIST]).count(),
    )


@dataclass
class Recorder:
    count: int = 0
    failures: list = field(default_factory=list)
    exercised: set = field(default_factory=set)

    def run(self, who: str, key: tuple, do, expected: int, *, writes: bool | None = None) -> object:
        """One request in a savepoint: it must answer ``expected``. A write must change data exactly when it
        succeeds; a read (``writes=False``, also for a POST that only checks) never changes anything."""
        self.exercised.add(key)
        writes = key[0] != "GET" if writes is None else writes
        before = _fingerprint() if key[0] != "GET" else None
        sid = transaction.savepoint()
        try:
            response = do()
            changed = before is not None and _fingerprint() != before
        finally:
            transaction.savepoint_rollback(sid)
        self.count += 1
        if response.status_code != expected:
            self.failures.append(f"{who}: {key[0]} {key[1]}: expected {expected}, got {response.status_code}")
        elif changed != (writes and expected < 400):
            self.failures.append(f"{who}: {key[0]} {key[1]}: answered {expected} but changed={changed}")
        return response


class Caller:
    """Requests as one principal, each recorded against the endpoint it exercises."""

    def __init__(self, rec: Recorder, principal: Principal):
        self.rec, self.p = rec, principal
        self.client = Client()
        self.client.force_login(principal.user)

    def page(self, method, route, path, expected, data=None, who=""):
        def do():
            if method == "GET":
                return self.client.get(path, data or {})
            return self.client.post(path, data or {})

        return self.rec.run(f"{self.p.label} × {who}", (method, route), do, expected)

    def api(self, method, route, path, expected, body=None, query=None, who="", writes=None):
        def do():
            if method == "GET":
                return self.client.get(path, query or {})
            return self.client.generic(method, path, json.dumps(body or {}), content_type="application/json")

        return self.rec.run(f"{self.p.label} × {who}", (method, route), do, expected, writes=writes)


def _status(*, exists=True, read=True, allowed=True, valid=True, ok=200, refused=422) -> int:
    if not exists or not read:
        return 404
    if not allowed:
        return 403
    return ok if valid else refused


def _global_cases(call: Caller, world: World) -> None:
    p = call.p
    call.page("GET", "qualification/", "/qualification/", 200 if p.lists else 403)
    listed = call.api(
        "GET", "/api/qualification/participants", "/api/qualification/participants", 200 if p.lists else 403
    )
    if p.lists and listed.status_code == 200:
        wanted = {
            str(c.id)
            for c in world.cases
            if c.participant is not None
            and c.open
            and (c.municipality in p.orgs({R.PROGRAMME_ADVISER}) or c.adult_education in p.orgs({R.TEACHER}))
            and p.orgs(PERSON_READ) & (c.person.now | c.person.shared)
        }
        call.rec.count += 1
        if {row["id"] for row in listed.json()} != wanted:
            call.rec.failures.append(f"{p.label}: the list holds {listed.json()}, expected {wanted}")

    # The monitor: one municipality is chosen for you when you have only one.
    only_one = (
        p.overview
        and not p.national_overview
        and len(p.orgs({R.PROGRAMME_ADVISER, R.LEADERSHIP}, K.MUNICIPALITY)) == 1
    )
    route, url = "qualification/monitor/", "/qualification/monitor/"
    call.page("GET", route, url, 200 if p.overview else 403)
    api_route = "/api/qualification/monitor"
    call.api("GET", api_route, api_route, (200 if only_one else 422) if p.overview else 403)
    call.page("GET", "qualification/overview/", "/qualification/overview/", 200 if p.overview else 403)
    call.api("GET", "/api/qualification/overview", "/api/qualification/overview", 200 if p.overview else 403)
    for municipality in (world.harstad, world.tromso):
        seen = 200 if p.overview_of(municipality) else (404 if p.overview else 403)
        query = {"municipality": str(municipality)}
        call.page("GET", route, url, seen, query, who="monitor")
        call.api(
            "GET", api_route, api_route, seen, query={"municipality_id": str(municipality)}, who="monitor"
        )
        call.page("GET", "qualification/overview/", "/qualification/overview/", seen, query, who="results")
        call.api(
            "GET",
            "/api/qualification/overview",
            "/api/qualification/overview",
            seen,
            query={"municipality_id": str(municipality)},
        )

    # The NIR export, for the municipality's programme advisers.
    exporter = bool(p.orgs({R.PROGRAMME_ADVISER}, K.MUNICIPALITY))
    start, end = (
        (TODAY() - datetime.timedelta(days=40)).isoformat(),
        (TODAY() - datetime.timedelta(days=1)).isoformat(),
    )
    call.page("GET", "qualification/export/", "/qualification/export/", 200 if exporter else 403)
    for municipality in (world.harstad, world.tromso):
        allowed = p.adviser_in(municipality)
        form = {"municipality": str(municipality), "month": "", "date_from": start, "date_to": end}
        call.page(
            "GET",
            "qualification/export/",
            "/qualification/export/",
            200 if allowed else 403,
            form,
            who="export",
        )
        call.page(
            "GET", "qualification/export/file/", "/qualification/export/file/", 200 if allowed else 403, form
        )
        call.api(
            "GET",
            "/api/qualification/nir/export",
            "/api/qualification/nir/export",
            200 if allowed else 403,
            query={"municipality_id": str(municipality), "period_start": start, "period_end": end},
        )
    document = {"format": "bro-nir", "version": 1, "period": {"start": start, "end": end}, "participants": []}
    call.api(
        "POST",
        "/api/qualification/nir/validation",
        "/api/qualification/nir/validation",
        200 if exporter else 403,
        body=document,
        writes=False,
    )
    # Checking a file stores nothing.
    call.rec.run(
        f"{p.label} × export check",
        ("POST", "qualification/export/check/"),
        lambda: call.client.post("/qualification/export/check/", {"file": _upload(document)}),
        200 if exporter else 403,
        writes=False,
    )


def _upload(document):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("export.json", json.dumps(document).encode(), content_type="application/json")


def _person_cases(call: Caller, person: PersonSubject) -> None:
    p, pid = call.p, person.id
    exists, read = person.person is not None, p.reads_person(person)
    who = person.name
    route = "qualification/persons/<uuid:person_id>/training/"
    call.page(
        "GET", route, f"/qualification/persons/{pid}/training/", _status(exists=exists, read=read), who=who
    )
    history = call.api(
        "GET",
        "/api/qualification/persons/{person_id}/training",
        f"/api/qualification/persons/{pid}/training",
        _status(exists=exists, read=read),
        who=who,
    )
    if person.moved_from and history.status_code == 200:
        # The hours taught before the move follow the person to whoever may read them (002:L91–93).
        call.rec.count += 1
        if history.json()["by_organisation"].get(person.moved_from) != "12.0":
            call.rec.failures.append(f"{p.label} × {who}: the training history lacks {person.moved_from}")
    opens = p.opens(person)
    route = "qualification/persons/<uuid:person_id>/open/"
    call.page(
        "GET",
        route,
        f"/qualification/persons/{pid}/open/",
        _status(exists=exists, read=read, allowed=opens),
        who=who,
    )
    call.page(
        "POST",
        route,
        f"/qualification/persons/{pid}/open/",
        _status(exists=exists, read=read, allowed=opens, valid=person.openable, ok=302, refused=400),
        {"adviser": str(p.user.pk)},
        who=who,
    )
    call.api(
        "POST",
        "/api/qualification/persons/{person_id}/case",
        f"/api/qualification/persons/{pid}/case",
        _status(exists=exists, read=read, allowed=opens, valid=person.openable, ok=201),
        body={},
        who=who,
    )


def _case_cases(call: Caller, case: CaseSubject) -> None:
    p, cid, who = call.p, case.id, case.name
    exists = case.participant is not None
    read = exists and p.reads(case)
    manage = exists and p.manages(case)
    page, api_url = f"/qualification/participants/{cid}", f"/api/qualification/participants/{cid}"
    P, A = (
        "qualification/participants/<uuid:participant_id>",
        "/api/qualification/participants/{participant_id}",
    )
    today = TODAY().isoformat()

    def status(allowed=True, valid=True, ok=200, refused=422):
        return _status(exists=exists, read=read, allowed=allowed, valid=valid, ok=ok, refused=refused)

    call.page("GET", f"{P}/", f"{page}/", status(), who=who)
    call.api("GET", A, api_url, status(), who=who)
    call.page("GET", f"{P}/plan/", f"{page}/plan/", status(), who=who)
    call.api("GET", f"{A}/plans", f"{api_url}/plans", status(), who=who)

    # The adviser's forms: open to the case's managers; an ended case refuses the change.
    forms = [
        (
            "assign",
            {"adviser": str(p.user.pk)},
            "assignment",
            "PUT",
            {"adviser_id": str(p.user.pk)},
            case.open,
        ),
        (
            "mapping",
            {
                "completed_on": today,
                "education-TOTAL_FORMS": "0",
                "education-INITIAL_FORMS": "0",
                "work-TOTAL_FORMS": "0",
                "work-INITIAL_FORMS": "0",
            },
            "mapping",
            "PUT",
            {"completed_on": today},
            case.open,
        ),
        (
            "goals",
            {"final_goal": "work", "extension": "none"},
            "goals",
            "PUT",
            {"final_goal": "work"},
            case.open,
        ),
        ("start", {"on": today}, "start", "POST", {"on": today}, case.open and not case.started),
        (
            "end",
            {"on": today, "reason": "completed"},
            "end",
            "POST",
            {"on": today, "reason": "completed"},
            case.open,
        ),
    ]
    for name, form, api_name, method, body, valid in forms:
        call.page("GET", f"{P}/{name}/", f"{page}/{name}/", status(allowed=manage), who=who)
        call.page(
            "POST",
            f"{P}/{name}/",
            f"{page}/{name}/",
            status(allowed=manage, valid=valid, ok=302, refused=400),
            form,
            who=who,
        )
        call.api(
            method,
            f"{A}/{api_name}",
            f"{api_url}/{api_name}",
            status(allowed=manage, valid=valid),
            body=body,
            who=who,
        )

    # A new plan version (the mapping is done in every open case).
    later = (TODAY() + datetime.timedelta(days=100)).isoformat()
    plan_form = {
        "valid_from": today,
        "reason": "Revidert",
        "measures-TOTAL_FORMS": "1",
        "measures-INITIAL_FORMS": "0",
        "measures-0-kind": "norwegian",
        "measures-0-hours_per_week": "10",
        "measures-0-start": today,
        "measures-0-end": later,
    }
    plan_body = {
        "valid_from": today,
        "reason": "Revidert",
        "measures": [{"kind": "norwegian", "hours_per_week": "10", "start": today, "end": later}],
    }
    valid = case.open and case.mapped
    call.page(
        "POST",
        f"{P}/plan/",
        f"{page}/plan/",
        status(allowed=manage, valid=valid, ok=302, refused=400),
        plan_form,
        who=who,
    )
    call.api(
        "POST",
        f"{A}/plans",
        f"{api_url}/plans",
        status(allowed=manage, valid=valid, ok=201),
        body=plan_body,
        who=who,
    )

    # Status one year after: the case's municipality's advisers, once it ended a year ago.
    adviser_here = exists and p.adviser_in(case.municipality)
    call.page("GET", f"{P}/one-year/", f"{page}/one-year/", status(allowed=adviser_here), who=who)
    one_year = {"status": "work", "weekly_work_hours": "30", "recorded_on": today}
    call.page(
        "POST",
        f"{P}/one-year/",
        f"{page}/one-year/",
        status(allowed=adviser_here, valid=case.ended_a_year_ago, ok=302, refused=400),
        one_year,
        who=who,
    )
    call.api(
        "PUT",
        f"{A}/one-year-status",
        f"{api_url}/one-year-status",
        status(allowed=adviser_here, valid=case.ended_a_year_ago),
        body=one_year,
        who=who,
    )

    # Decisions, their letters and appeals, and the certificate.
    call.page("GET", f"{P}/decisions/", f"{page}/decisions/", status(), who=who)
    call.api("GET", f"{A}/decisions", f"{api_url}/decisions", status(), who=who)
    decision = {
        "kind": "programme",
        "decided_on": today,
        "effective_from": today,
        "outcome_text": "Vedtak",
        "reasons": "Begrunnelse",
    }
    call.page(
        "POST",
        f"{P}/decisions/",
        f"{page}/decisions/",
        status(allowed=manage, valid=case.open, ok=302, refused=400),
        {f"decision-{k}": v for k, v in {**decision, "language": "nb"}.items()},
        who=who,
    )
    call.api(
        "POST",
        f"{A}/decisions",
        f"{api_url}/decisions",
        status(allowed=manage, valid=case.open, ok=201),
        body=decision,
        who=who,
    )
    certificate = status(valid=not case.open, refused=404)
    call.page("GET", f"{P}/certificate/", f"{page}/certificate/", certificate, who=who)
    call.api("GET", f"{A}/certificate", f"{api_url}/certificate", certificate, who=who)

    did, aid = case.decision_id, case.appeal_id
    call.page(
        "GET",
        "qualification/decisions/<uuid:decision_id>/letter/",
        f"/qualification/decisions/{did}/letter/",
        status(),
        who=who,
    )
    call.api(
        "GET",
        "/api/qualification/decisions/{decision_id}/letter",
        f"/api/qualification/decisions/{did}/letter",
        status(),
        who=who,
    )
    # Appeals may be recorded after the end (a termination is appealed after it), by the case's managers.
    route = "qualification/decisions/<uuid:decision_id>/appeals/"
    call.page("GET", route, f"/qualification/decisions/{did}/appeals/", status(ok=302), who=who)
    prefix = f"appeal-{did.hex[:12]}"
    call.page(
        "POST",
        route,
        f"/qualification/decisions/{did}/appeals/",
        status(allowed=manage, ok=302),
        {f"{prefix}-received_on": today, f"{prefix}-grounds": "Klage"},
        who=who,
    )
    call.api(
        "POST",
        "/api/qualification/decisions/{decision_id}/appeals",
        f"/api/qualification/decisions/{did}/appeals",
        status(allowed=manage, ok=201),
        body={"received_on": today, "grounds": "Klage"},
        who=who,
    )
    route = "qualification/appeals/<uuid:appeal_id>/outcome/"
    call.page("GET", route, f"/qualification/appeals/{aid}/outcome/", status(ok=302), who=who)
    prefix = f"outcome-{aid.hex[:12]}"
    call.page(
        "POST",
        route,
        f"/qualification/appeals/{aid}/outcome/",
        status(allowed=manage, ok=302),
        {f"{prefix}-outcome": "upheld", f"{prefix}-outcome_on": today},
        who=who,
    )
    call.api(
        "POST",
        "/api/qualification/appeals/{appeal_id}/outcome",
        f"/api/qualification/appeals/{aid}/outcome",
        status(allowed=manage),
        body={"outcome": "upheld", "outcome_on": today},
        who=who,
    )


def _attendance_cases(call: Caller, case: CaseSubject) -> None:
    """A participant's weeks and tests: recorded by the case's managers and its centre's teachers."""
    p, cid, who = call.p, case.id, case.name
    exists = case.participant is not None
    read, records = exists and p.reads(case), exists and p.records(case)
    year, week, _day = (TODAY() - datetime.timedelta(days=7)).isocalendar()
    P, A = f"/qualification/participants/{cid}", f"/api/qualification/participants/{cid}"
    route, api_route = (
        "qualification/participants/<uuid:participant_id>",
        "/api/qualification/participants/{participant_id}",
    )

    def status(allowed=True, valid=True, ok=200, refused=422):
        return _status(exists=exists, read=read, allowed=allowed, valid=valid, ok=ok, refused=refused)

    call.page("GET", f"{route}/attendance/", f"{P}/attendance/", status(), who=who)
    call.api("GET", f"{api_route}/attendance", f"{A}/attendance", status(), who=who)
    call.page("GET", f"{route}/benefit/", f"{P}/benefit/", status(), who=who)
    call.api("GET", f"{api_route}/benefit", f"{A}/benefit", status(), who=who)
    # Last week lies inside the programme and its measures in the open, started cases.
    hours = {"iso_year": year, "iso_week": week, "hours_attended": "10"}
    week_ok = case.open and case.started
    key = str(case.norwegian_key)
    call.page(
        "POST",
        f"{route}/attendance/",
        f"{P}/attendance/",
        status(allowed=records, valid=week_ok, ok=302, refused=400),
        {"form": "week", "measure": key, **hours},
        who=who,
    )
    call.api(
        "POST",
        f"{api_route}/attendance",
        f"{A}/attendance",
        status(allowed=records, valid=week_ok),
        body={"measure_key": key, **hours},
        who=who,
    )
    # A test taken today: after the end of an ended case.
    test = {"kind": "norwegian_oral", "taken_on": TODAY().isoformat(), "level": "A2"}
    call.page(
        "POST",
        f"{route}/attendance/",
        f"{P}/attendance/",
        status(allowed=records, valid=case.open, ok=302, refused=400),
        {"form": "test", **test, "passed": "on"},
        who=f"{who} (test)",
    )
    call.api(
        "POST",
        f"{api_route}/tests",
        f"{A}/tests",
        status(allowed=records, valid=case.open, ok=201),
        body=test,
        who=who,
    )


def _group_cases(call: Caller, world: World) -> None:
    p = call.p
    call.page("GET", "qualification/groups/", "/qualification/groups/", 200 if p.keeps_any else 403)
    listed = call.api(
        "GET", "/api/qualification/groups", "/api/qualification/groups", 200 if p.keeps_any else 403
    )
    if listed.status_code == 200:
        wanted = {str(g.id) for g in world.groups if g.group is not None and p.keeps(g)}
        call.rec.count += 1
        if {g["id"] for g in listed.json()} != wanted:
            call.rec.failures.append(f"{p.label}: groups listed {listed.json()}, expected {wanted}")
    own = sorted(p.orgs({R.TEACHER}, K.ADULT_EDUCATION) | p.orgs({R.PROGRAMME_ADVISER}, K.MUNICIPALITY))
    new = {
        "organisation": str(own[0]) if own else str(world.harstad),
        "name": "Ny gruppe",
        "measure_kind": "norwegian",
    }
    call.page("POST", "qualification/groups/", "/qualification/groups/", 302 if p.keeps_any else 403, new)
    call.api(
        "POST",
        "/api/qualification/groups",
        "/api/qualification/groups",
        201 if p.keeps_any else 403,
        body={"name": "Ny gruppe"},
    )

    active = world.cases[0]
    year, week, _day = (TODAY() - datetime.timedelta(days=7)).isocalendar()
    for g in world.groups:
        gid, who = g.id, g.name
        keeps = g.group is not None and p.keeps(g)
        is_member = active in g.members
        G, A = f"/qualification/groups/{gid}", f"/api/qualification/groups/{gid}"
        route, api_route = "qualification/groups/<uuid:group_id>", "/api/qualification/groups/{group_id}"
        call.page("GET", f"{route}/", f"{G}/", 200 if keeps else 404, who=who)
        call.api("GET", api_route, A, 200 if keeps else 404, who=who)
        # Adding the active case: a candidate when the user records its attendance and the group's
        # organisation follows it (its centre or municipality).
        follows = g.organisation in (active.municipality, active.adult_education)
        candidate = p.works_with(active) and p.records(active) and follows and not is_member
        call.page(
            "POST",
            f"{route}/",
            f"{G}/",
            (302 if candidate else 400) if keeps else 404,
            {"participant": str(active.id)},
            who=who,
        )
        if not keeps or not p.reads(active):
            added = 404
        elif not p.records(active):
            added = 403
        else:
            added = 422 if is_member or not follows else 201
        call.api(
            "POST",
            f"{api_route}/members",
            f"{A}/members",
            added,
            body={"participant_id": str(active.id)},
            who=who,
        )
        remove = f"{route}/members/<uuid:participant_id>/remove/"
        call.rec.run(
            f"{p.label} × {who}",
            ("POST", remove),
            lambda gid=gid: call.client.post(f"/qualification/groups/{gid}/members/{active.id}/remove/"),
            302 if keeps else 404,
            writes=is_member,  # removing someone who is not a member says so and changes nothing
        )
        call.api(
            "DELETE",
            f"{api_route}/members/{{participant_id}}",
            f"{A}/members/{active.id}",
            204 if keeps and is_member else 404,
            who=who,
        )
        # The whole group's week: saved when some member's row may be entered by the user.
        enters = keeps and any(p.records(m) for m in g.members)
        call.page(
            "GET",
            f"{route}/attendance/",
            f"{G}/attendance/",
            200 if keeps else 404,
            {"iso_year": year, "iso_week": week},
            who=who,
        )
        rows = {f"{m.id}-hours_attended": "10" for m in g.members}
        call.page(
            "POST",
            f"{route}/attendance/",
            f"{G}/attendance/",
            (302 if enters else 400) if keeps else 404,
            {"iso_year": year, "iso_week": week, **rows},
            who=who,
        )
        week_route = f"{api_route}/weeks/{{iso_year}}/{{iso_week}}"
        call.api("GET", week_route, f"{A}/weeks/{year}/{week}", 200 if keeps else 404, who=who)
        body = {
            "rows": [{"participant_id": str(m.id), "hours_attended": "10"} for m in g.members or [active]]
        }
        call.api(
            "PUT",
            week_route,
            f"{A}/weeks/{year}/{week}",
            (200 if enters else 422) if keeps else 404,
            body=body,
            who=who,
        )


def _values(world: World) -> dict:
    active = world.cases[0]
    return {
        "<uuid:person_id>": world.persons[0].id,
        "{person_id}": world.persons[0].id,
        "<uuid:participant_id>": active.id,
        "{participant_id}": active.id,
        "<uuid:decision_id>": active.decision_id,
        "{decision_id}": active.decision_id,
        "<uuid:appeal_id>": active.appeal_id,
        "{appeal_id}": active.appeal_id,
        "<uuid:group_id>": world.groups[1].id,
        "{group_id}": world.groups[1].id,
        "{iso_year}": "2025",
        "{iso_week}": "10",
    }


def _path(route: str, values: dict) -> str:
    for key, value in values.items():
        route = route.replace(key, str(value))
    return route if route.startswith("/") else "/" + route


def _anonymous_cases(rec: Recorder, world: World) -> None:
    client = Client()
    values = _values(world)
    for method, route in PAGES + API:
        path = _path(route, values)
        response = client.generic(method, path, json.dumps({}), content_type="application/json")
        rec.count += 1
        if route.startswith("/api/"):
            ok = response.status_code == 401
        else:
            ok = response.status_code == 302 and response.headers.get("Location", "").startswith("/login/")
        if not ok:
            rec.failures.append(f"anonymous × {method} {path}: got {response.status_code}")


def test_every_role_gets_exactly_the_qualification_access_the_rules_give(world, report_line):
    rec = Recorder()
    assert {r for p in world.principals for _o, _k, r in p.memberships} >= set(Role.values)
    _anonymous_cases(rec, world)
    for principal in world.principals:
        call = Caller(rec, principal)
        _global_cases(call, world)
        for person in world.persons:
            _person_cases(call, person)
        for case in world.cases:
            _case_cases(call, case)
            _attendance_cases(call, case)
        _group_cases(call, world)
    report_line(f"qualification access matrix: {rec.count} cases")
    wanted = set(PAGES) | set(API)
    assert wanted - rec.exercised == set(), f"endpoints without cases: {sorted(wanted - rec.exercised)}"
    assert not rec.failures, f"{len(rec.failures)} of {rec.count} cases failed:\n" + "\n".join(rec.failures)
    assert rec.count >= MINIMUM_CASES


def test_the_matrix_has_readers_managers_and_outsiders(world):
    """Guard against a matrix that passes because every case expects the same answer."""
    principals = world.principals
    for case in world.cases[:-1]:
        assert any(p.reads(case) and not p.manages(case) for p in principals), case.name
        assert any(not p.reads(case) for p in principals), case.name
        if case.open:
            assert any(p.manages(case) for p in principals), case.name
            assert (
                any(p.records(case) and not p.manages(case) for p in principals)
                or case.adult_education is None
            )
    for person in world.persons[:-1]:
        assert any(
            p.reads_person(person) and not any(p.reads(c) for c in world.cases if c.person is person)
            for p in principals
        )
    # After the move Tromsø reads Harstad's case and Harstad keeps it read-only; nobody manages it.
    moved_old = world.cases[1]
    assert not any(p.manages(moved_old) for p in principals)
    assert {p.label for p in principals if p.reads(moved_old) and p.adviser_in(world.tromso)} == {
        "tromso-adviser"
    }


# --- nothing slips past the matrix ------------------------------------------------------------------------


def _walk(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern


def test_every_qualification_endpoint_is_in_the_matrix(client, users, world):
    routes = {
        route for route, _pattern in _walk(get_resolver().url_patterns) if route.startswith("qualification/")
    }
    covered = {route for _m, route in PAGES}
    assert routes == covered, f"not in the matrix: {routes - covered}; gone: {covered - routes}"
    operations = {
        (method.upper(), path)
        for path, item in api.get_openapi_schema()["paths"].items()
        if path.startswith("/api/qualification")
        for method in item
    }
    assert operations == set(API), (
        f"not in the matrix: {operations - set(API)}; gone: {set(API) - operations}"
    )

    # Every method the matrix does not test is refused, even for a user who may use the page.
    client.force_login(users[R.PROGRAMME_ADVISER])
    values = _values(world)
    for route in sorted(routes):
        path = _path(route, values)
        assert "<" not in path, route
        for method in HTTP_METHODS:
            if (method, route) in PAGES:
                continue
            sid = transaction.savepoint()
            response = client.generic(method, path)
            transaction.savepoint_rollback(sid)
            assert response.status_code == 405, f"{method} {path}: {response.status_code}"
