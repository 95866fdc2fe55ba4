"""The API against its own OpenAPI spec, with generated input for every operation (schemathesis).

The spec is loaded from the app in-process (WSGI) and every operation is called as Harstad's
municipal settlement officer, who may write to persons settled in Harstad. In three cases of four
the generated ids, dates and codes are swapped for real ones (or added), so that the access checks
and the services run too, not only the 404s and the schema validation.

Checked for every request: no server error; the status code, content type, headers and body are the
ones the spec documents; input the spec calls invalid is refused with 4xx; a request that needs a
session is refused without one; and a refused request changes nothing in the database (opening a
record is logged as a read; nothing else may be written).

Bounded for CI: a fixed number of examples per operation, derandomized, no example database. (The
coverage phase of schemathesis is not run: it builds its cases when the tests are collected, before
the test database and the session exist, and it does not combine with ``@schema.given``.)
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest
import schemathesis
from django.conf import settings as django_settings
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client
from django.utils import timezone
from django.utils.crypto import get_random_string
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from bro.core.models import AuditAction, AuditEntry
from bro.core.roles import Role
from bro.people.models import (
    Household,
    HouseholdMember,
    Person,
    PersonLanguage,
    PhaseEvent,
    Responsibility,
    SharedAccess,
)
from bro.people.phases import Phase
from bro.wsgi import application

# The session cookie is always the officer's (OfficerSession below): generated examples spend their budget
# on parameters and bodies, and the `ignored_auth` check still sends every accepted request again
# without a session and with a forged one, and expects a refusal.
schema = schemathesis.openapi.from_wsgi(
    "/api/openapi.json",
    application,
    config=schemathesis.Config.from_dict({"generation": {"with-security-parameters": False}}),
)

# Valid by the spec is not the same as acceptable: a birth date in the future is well-formed and is
# rightly refused with 422, so "data that the schema allows is accepted" does not hold for this API.
EXCLUDED_CHECKS = [schemathesis.checks.positive_data_acceptance]

PERSONAL_DATA = [Person, PersonLanguage, Household, HouseholdMember, PhaseEvent, Responsibility, SharedAccess]


def database_state() -> tuple:
    """Every row of personal data, and how many entries other than reads the audit log holds."""
    rows = tuple(tuple(model.objects.order_by("pk").values_list()) for model in PERSONAL_DATA)
    return rows, AuditEntry.objects.exclude(action=AuditAction.READ).count()


@dataclass
class World:
    session_key: str
    settled_person_id: str
    person_ids: list[str]
    real_values: dict[str, list]  # body field → values that mean something in this world
    record_ids: dict[str, list[str]]  # path parameter → real ids (a programme case, its decision, appeal)


# The running test's world, for the auth provider (schemathesis creates the provider itself).
_current: dict[str, World] = {}


@schema.auth(refresh_interval=None)
class OfficerSession:
    """The officer's session cookie, and the CSRF cookie and header that unsafe methods need."""

    def get(self, case, context):
        return _current["world"].session_key

    def set(self, case, session_key, context):
        csrf_token = get_random_string(32)
        case.cookies[django_settings.SESSION_COOKIE_NAME] = session_key
        case.cookies[django_settings.CSRF_COOKIE_NAME] = csrf_token
        case.headers["X-CSRFToken"] = csrf_token


@pytest.fixture
def _connection_stays_open():
    """Do what Django's test client does: keep the app from closing the test's connection after a request.

    The WSGI handler closes the connection when a request finishes; inside the test's transaction that
    would throw the transaction away (PostgreSQL; SQLite's in-memory database is never closed).
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def world(_connection_stays_open, users, chain, arrive):
    """Harstad's settlement officer logged in, and persons they may write, only read, or not see."""
    settled = arrive(Phase.SETTLED)  # settled in Harstad: the officer reads and writes
    persons = [
        settled,
        arrive(Phase.IN_PROGRAMME),
        arrive(Phase.RECEPTION, given_name="Rahel"),  # at Harstad's reception centre
        arrive(Phase.READY_FOR_SETTLEMENT, centre=chain.centre_tromso, given_name="Omid"),
        arrive(Phase.SETTLED, centre=chain.centre_tromso, settle_in=chain.tromso, given_name="Yonas"),
    ]
    qualification_case = _qualification_case(users, chain, arrive(Phase.SETTLED, given_name="Nasrin"))
    session = Client()
    session.force_login(users[Role.MUNICIPAL_SETTLEMENT_OFFICER])
    today = timezone.localdate().isoformat()
    _current["world"] = World(
        session_key=session.cookies[django_settings.SESSION_COOKIE_NAME].value,
        settled_person_id=str(settled.id),
        person_ids=[str(p.id) for p in persons],
        real_values={
            "organisation_id": [str(chain.harstad.id), str(chain.centre_harstad.id)],
            "reception_centre_id": [str(chain.centre_harstad.id), str(chain.centre_tromso.id)],
            "municipality_number": ["5503", "5501"],
            "initial_phase": [Phase.PERMIT_GRANTED.value, Phase.ARRIVAL.value],
            "phase": [Phase.IN_PROGRAMME.value, Phase.PERMIT_GRANTED.value, Phase.SETTLED.value],
            "date": [today],
            "phase_date": [today],
            "birth_date": ["1990-05-17", "2012-02-29"],
            "national_identity_number": [""],
            "duf_number": [""],
            "email": ["", "amina@example.no"],
            "nationalities": [["SY"], ["ER", "ET"]],
            "languages": [[{"language": "ar", "is_preferred": True}, {"language": "ar"}, {"language": "ti"}]],
        },
        record_ids={**qualification_case, **_volunteering_records(users, chain)},
    )
    yield _current["world"]
    _current.clear()


def _qualification_case(users, chain, person) -> dict[str, list[str]]:
    """A programme case in Harstad with a decision and an appeal: the officer reads them and changes none."""
    from bro.qualification import decisions
    from bro.qualification import services as q

    adviser = q.Actor(users[Role.PROGRAMME_ADVISER])
    case = q.open_case(adviser, person, adult_education=chain.adult_education)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    q.save_mapping(adviser, case, q.MappingInput(completed_on=yesterday))
    decision = decisions.create_decision(
        adviser,
        case,
        kind="programme",
        decided_on=yesterday,
        effective_from=yesterday,
        outcome_text="Ja",
        reasons="Rett",
    )
    appeal = decisions.record_appeal(adviser, decision, received_on=yesterday, grounds="Nei")
    return {
        "participant_id": [str(case.id)],
        "decision_id": [str(decision.id)],
        "appeal_id": [str(appeal.id)],
    }


def _volunteering_records(users, chain) -> dict[str, list[str]]:
    """A need and an activity in Harstad and IMDi's grant scheme: the officer reads all three."""
    from decimal import Decimal

    from bro.core.municipalities import municipality_by_number
    from bro.people.services import Actor
    from bro.volunteering.grants import services as grants
    from bro.volunteering.services import needs

    harstad = municipality_by_number("5503")
    need = needs.publish_need(
        Actor(users[Role.MUNICIPAL_SETTLEMENT_OFFICER]),
        chain.harstad,
        title="Leksehjelp",
        description="",
        kind="homework_help",
        municipality=harstad,
    )
    activity = needs.record_activity(
        Actor(users[Role.VOLUNTEER_COORDINATOR]),
        chain.volunteer_centre,
        name="Språkkafé",
        kind="language_cafe",
        phase="settled",
        target_sex="any",
        municipality=harstad,
        starts_on=timezone.localdate(),
    )
    scheme = grants.save_scheme(
        Actor(users[Role.ADMINISTRATOR]),
        chain.directorate,
        name="Tilskudd",
        yearly_budget=Decimal("100000"),
        rolling=True,
    )
    return {"need_id": [str(need.id)], "activity_id": [str(activity.id)], "scheme_id": [str(scheme.id)]}


def _body_fields(case) -> set[str]:
    """The properties the spec declares for the operation's JSON body."""
    operation = schema.raw_schema["paths"][case.path][case.method.lower()]
    reference = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    return set(schema.raw_schema["components"]["schemas"][reference.rsplit("/", 1)[1]]["properties"])


def _point_at_real_records(case, data, world: World) -> None:
    """In three cases of four, swap generated ids, dates and codes for real ones (and sometimes add them)."""
    if data.draw(st.integers(0, 3), label="use real records") == 0:
        return
    if "person_id" in case.path_parameters:
        person_id = data.draw(st.sampled_from(world.person_ids), label="person_id")
        case.path_parameters = {**case.path_parameters, "person_id": person_id}
    for name, ids in world.record_ids.items():
        if name in case.path_parameters:
            case.path_parameters = {**case.path_parameters, name: data.draw(st.sampled_from(ids), label=name)}
    if isinstance(case.body, dict):
        body = dict(case.body)
        for key in sorted(_body_fields(case) & set(world.real_values)):
            if key in body or data.draw(st.booleans(), label=f"add {key}"):
                body[key] = data.draw(st.sampled_from(world.real_values[key]), label=key)
        case.body = body


@schema.parametrize()
@schema.given(data=st.data())
@settings(
    max_examples=40,
    derandomize=True,
    database=None,
    deadline=None,
    # The world is built once per operation; the examples share it and the session in it.
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_every_operation_answers_as_documented_and_a_refusal_changes_nothing(case, data, world):
    _point_at_real_records(case, data, world)
    before = database_state()
    response = case.call_and_validate(excluded_checks=EXCLUDED_CHECKS)
    if response.status_code >= 400:
        assert database_state() == before, (
            f"{case.method} {case.formatted_path} answered {response.status_code} and still changed data"
        )


# --- the success answers, which generated input reaches only by luck, checked against the spec too -----


def _call(world: World, method: str, path: str, **parts):
    case = schema[path][method].Case(**parts)
    schema.auth.set(case, schemathesis.AuthContext(operation=case.operation, app=application))
    return case.call_and_validate(excluded_checks=EXCLUDED_CHECKS)


def test_the_success_answers_of_every_write_match_the_spec(world):
    yesterday = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    person = {
        "given_name": "Amina",
        "family_name": "Haddad",
        "birth_date": "1990-05-17",
        "sex": "female",
        "immigrant_category": "family_reunified",
        "nationalities": ["SY"],
        "languages": [{"language": "ar", "is_preferred": True, "needs_interpreter": True}],
    }
    harstad = world.real_values["organisation_id"][0]
    registered = _call(
        world,
        "POST",
        "/api/persons",
        body={
            **person,
            "organisation_id": harstad,
            "initial_phase": "permit_granted",
            "phase_date": yesterday,
        },
    )
    assert registered.status_code == 201, registered.text

    settled = {"person_id": world.settled_person_id}
    updated = _call(world, "PUT", "/api/persons/{person_id}", path_parameters=settled, body=person)
    assert updated.status_code == 200, updated.text
    moved = _call(
        world,
        "POST",
        "/api/persons/{person_id}/transitions",
        path_parameters=settled,
        body={"phase": "in_programme", "date": yesterday, "note": "Started on Monday."},
    )
    assert moved.status_code == 201, moved.text
    read = _call(world, "GET", "/api/persons/{person_id}", path_parameters=settled)
    assert [step["phase"] for step in read.json()["timeline"]][-1] == "in_programme"


def test_text_with_nul_and_dates_that_are_not_iso_dates_are_refused_and_change_nothing(world):
    """Found by the fuzzing above: PostgreSQL cannot store or compare NUL (a 500), and a number was read
    as a Unix time (0 became 1970-01-01) where the spec promises a YYYY-MM-DD date."""
    settled = {"person_id": world.settled_person_id}
    person = {
        "given_name": "Amina",
        "family_name": "Haddad",
        "sex": "female",
        "immigrant_category": "refugee",
    }
    refused = [
        ("GET", "/api/persons", {"query": {"q": "Had\x00dad"}}, "q"),
        ("GET", "/api/organisations", {"query": {"kind": "municipality\x00"}}, "kind"),
        ("GET", "/api/municipalities", {"query": {"on": "0"}}, "on"),
        (
            "PUT",
            "/api/persons/{person_id}",
            {"path_parameters": settled, "body": {**person, "birth_date": 0}},
            "birth_date",
        ),
        (
            "PUT",
            "/api/persons/{person_id}",
            {
                "path_parameters": settled,
                "body": {**person, "birth_date": "1990-05-17", "address": "Storgata\x001"},
            },
            "address",
        ),
        (
            "POST",
            "/api/persons/{person_id}/transitions",
            {
                "path_parameters": settled,
                "body": {"phase": "in_programme", "date": "2024-01-01", "note": "\x00"},
            },
            "note",
        ),
    ]
    for method, path, parts, field in refused:
        before = database_state()
        response = _call(world, method, path, **parts)
        assert response.status_code == 422, (method, path, response.text)
        assert [error["field"] for error in response.json()["detail"]] == [field]
        assert database_state() == before
