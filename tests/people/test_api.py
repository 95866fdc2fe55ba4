"""The persons API: docs, the register → read → update → transition round trip, and bad input.

Bad input gets HTTP 422 with a clear message in the user's language (bokmål by default, English with
``Accept-Language: en``) and saves nothing.
"""

from __future__ import annotations

import datetime
import json

import pytest
from django.utils import timezone, translation

from bro.core.models import AuditAction, AuditEntry
from bro.core.roles import Role
from bro.people.messages import ERRORS
from bro.people.models import Person, PhaseEvent
from bro.people.phases import Phase
from tests.people.numbers import duf_number, identity_number, with_bad_checksum

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
BIRTH_DATE = datetime.date(1990, 5, 17)


def _today() -> datetime.date:
    return timezone.localdate()


@pytest.fixture
def reception(client, users):
    """A client logged in as reception-centre staff in Harstad, who registers arrivals."""
    client.force_login(users[Role.RECEPTION_STAFF])
    return client


def registration(chain, **overrides) -> dict:
    payload = {
        "organisation_id": str(chain.centre_harstad.id),
        "initial_phase": "arrival",
        "phase_date": (_today() - datetime.timedelta(days=3)).isoformat(),
        "given_name": "Amina",
        "family_name": "Haddad",
        "birth_date": BIRTH_DATE.isoformat(),
        "sex": "female",
        "immigrant_category": "asylum_seeker",
        "nationalities": ["SY"],
        "languages": [{"language": "ar", "is_preferred": True, "needs_interpreter": True}],
    }
    payload.update(overrides)
    return payload


def post_json(client, path, payload, **headers):
    return client.post(path, json.dumps(payload), content_type="application/json", **headers)


def put_json(client, path, payload, **headers):
    return client.put(path, json.dumps(payload), content_type="application/json", **headers)


def counts() -> tuple[int, int, int]:
    return Person.objects.count(), PhaseEvent.objects.count(), AuditEntry.objects.count()


def errors_of(response) -> dict[str, list[str]]:
    assert response.status_code == 422, response.content
    result: dict[str, list[str]] = {}
    for error in response.json()["detail"]:
        result.setdefault(error["field"], []).append(error["message"])
    return result


# --- documentation ------------------------------------------------------------------------------


def test_openapi_docs_page_loads(reception):
    response = reception.get("/api/docs")
    assert response.status_code == 200
    assert "openapi.json" in response.content.decode()


def test_openapi_spec_describes_the_person_endpoints(reception):
    response = reception.get("/api/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert set(paths["/api/persons"]) == {"get", "post"}
    assert set(paths["/api/persons/{person_id}"]) == {"get", "put"}
    assert set(paths["/api/persons/{person_id}/transitions"]) == {"post"}


# --- the round trip -------------------------------------------------------------------------------


def test_register_read_update_and_transition_through_the_api(reception, chain):
    number = identity_number(BIRTH_DATE)
    response = post_json(reception, "/api/persons", registration(chain, national_identity_number=number))
    assert response.status_code == 201, response.content
    created = response.json()
    person_id = created["id"]
    assert [step["phase"] for step in created["timeline"]] == ["arrival"]
    assert created["languages"] == [{"language": "ar", "is_preferred": True, "needs_interpreter": True}]

    read = reception.get(f"/api/persons/{person_id}")
    assert read.status_code == 200
    assert read.json()["national_identity_number"] == number
    assert read.json()["responsible_organisation_id"] == str(chain.centre_harstad.id)

    update = {
        k: v
        for k, v in registration(chain).items()
        if k not in {"organisation_id", "initial_phase", "phase_date"}
    }
    update.update(phone="+47 400 00 001", national_identity_number=number, nationalities=["SY", "XS"])
    response = put_json(reception, f"/api/persons/{person_id}", update)
    assert response.status_code == 200, response.content
    assert response.json()["phone"] == "+47 400 00 001"
    assert response.json()["nationalities"] == ["SY", "XS"]
    assert Person.objects.get(pk=person_id).phone == "+47 400 00 001"

    response = post_json(
        reception,
        f"/api/persons/{person_id}/transitions",
        {
            "phase": "reception",
            "date": _today().isoformat(),
            "reception_centre_id": str(chain.centre_harstad.id),
        },
    )
    assert response.status_code == 201, response.content
    assert response.json()["organisation_id"] == str(chain.centre_harstad.id)
    timeline = reception.get(f"/api/persons/{person_id}").json()["timeline"]
    assert [step["phase"] for step in timeline] == ["arrival", "reception"]


def test_the_api_list_finds_a_registered_person_without_their_identity_number(reception, chain):
    number = identity_number(BIRTH_DATE)
    person_id = post_json(
        reception, "/api/persons", registration(chain, national_identity_number=number)
    ).json()["id"]
    response = reception.get("/api/persons", {"q": "Haddad"})
    assert response.status_code == 200
    assert [item["id"] for item in response.json()["items"]] == [person_id]
    assert number not in response.content.decode()


def test_settling_through_the_api_hands_the_person_to_the_municipality(client, users, chain, arrive):
    person = arrive(Phase.READY_FOR_SETTLEMENT)
    client.force_login(users[Role.RECEPTION_STAFF])
    response = post_json(
        client,
        f"/api/persons/{person.id}/transitions",
        {"phase": "settled", "date": _today().isoformat(), "municipality_number": "5503"},
    )
    assert response.status_code == 201, response.content
    assert response.json()["organisation_id"] == str(chain.harstad.id)
    # The centre is no longer responsible, so it reads the person as history and cannot write.
    again = post_json(
        client,
        f"/api/persons/{person.id}/transitions",
        {"phase": "in_programme", "date": _today().isoformat()},
    )
    assert again.status_code == 403


def test_right_to_left_names_are_accepted_and_round_trip(reception, chain):
    response = post_json(
        reception, "/api/persons", registration(chain, given_name="أمينة", family_name="حداد")
    )
    assert response.status_code == 201, response.content
    person_id = response.json()["id"]
    read = reception.get(f"/api/persons/{person_id}", **EN).json()
    assert (read["given_name"], read["family_name"]) == ("أمينة", "حداد")
    assert Person.objects.get(pk=person_id).full_name == "أمينة حداد"
    listed = reception.get("/api/persons", {"q": "حداد"}).json()["items"]
    assert [item["id"] for item in listed] == [person_id]


# --- bad input on registration: 422, a clear message, nothing saved --------------------------------


def _future(days=1) -> str:
    return (_today() + datetime.timedelta(days=days)).isoformat()


BAD_REGISTRATIONS = [
    pytest.param(
        {"national_identity_number": with_bad_checksum(identity_number(BIRTH_DATE))},
        "national_identity_number",
        "not a valid national identity number",
        id="identity-number-bad-checksum",
    ),
    pytest.param(
        {"national_identity_number": identity_number(datetime.date(1991, 6, 18))},
        "national_identity_number",
        "does not match the birth date",
        id="identity-number-other-birth-date",
    ),
    pytest.param(
        {"birth_date": _future(30), "birth_date_is_estimated": True},
        "birth_date",
        "cannot be in the future",
        id="birth-date-in-future",
    ),
    pytest.param(
        {"phase_date": _future()}, "phase_date", "cannot be in the future", id="phase-date-in-future"
    ),
    pytest.param(
        {"languages": [{"language": "xx-klingon"}]},
        "languages",
        "Unknown language code: xx-klingon",
        id="language",
    ),
    pytest.param(
        {"nationalities": ["ZZ"]}, "nationalities", "Unknown nationality code: ZZ", id="nationality"
    ),
    pytest.param({"given_name": "   "}, "given_name", "Enter the name", id="empty-given-name"),
    pytest.param({"family_name": ""}, "family_name", "Enter the name", id="empty-family-name"),
    pytest.param({"duf_number": "12345"}, "duf_number", "12 digits", id="malformed-duf-number"),
]


@pytest.mark.parametrize(("overrides", "field", "english"), BAD_REGISTRATIONS)
def test_bad_registration_is_refused_with_a_message_and_saves_nothing(
    reception, chain, overrides, field, english
):
    before = counts()
    response = post_json(reception, "/api/persons", registration(chain, **overrides), **EN)
    errors = errors_of(response)
    assert field in errors, errors
    assert any(english in message for message in errors[field]), errors
    assert counts() == before


def test_every_problem_in_a_registration_is_reported_at_once(reception, chain):
    payload = registration(
        chain,
        given_name="",
        nationalities=["ZZ"],
        national_identity_number=with_bad_checksum(identity_number(BIRTH_DATE)),
    )
    errors = errors_of(post_json(reception, "/api/persons", payload, **EN))
    assert {"given_name", "nationalities", "national_identity_number"} <= set(errors)


def test_a_duplicate_identity_number_is_refused(reception, chain):
    number = identity_number(BIRTH_DATE)
    assert (
        post_json(reception, "/api/persons", registration(chain, national_identity_number=number)).status_code
        == 201
    )
    before = counts()
    response = post_json(
        reception,
        "/api/persons",
        registration(chain, given_name="Other", national_identity_number=number),
        **EN,
    )
    errors = errors_of(response)
    assert any("already registered" in m for m in errors["national_identity_number"])
    assert number not in response.content.decode()
    assert counts() == before


def test_a_duplicate_duf_number_is_refused(reception, chain):
    duf = duf_number()
    assert post_json(reception, "/api/persons", registration(chain, duf_number=duf)).status_code == 201
    before = counts()
    response = post_json(
        reception, "/api/persons", registration(chain, given_name="Other", duf_number=duf), **EN
    )
    assert any("already registered" in m for m in errors_of(response)["duf_number"])
    assert counts() == before


def test_a_bad_update_changes_nothing(reception, chain):
    person_id = post_json(reception, "/api/persons", registration(chain, phone="+47 1")).json()["id"]
    before = counts()
    update = {
        k: v
        for k, v in registration(chain).items()
        if k not in {"organisation_id", "initial_phase", "phase_date"}
    }
    update.update(phone="+47 2", national_identity_number=with_bad_checksum(identity_number(BIRTH_DATE)))
    response = put_json(reception, f"/api/persons/{person_id}", update, **EN)
    assert "national_identity_number" in errors_of(response)
    assert Person.objects.get(pk=person_id).phone == "+47 1"
    persons, events, audits = counts()
    assert (persons, events) == before[:2]
    # The access check logs that the record was opened; no change is logged.
    new_entries = AuditEntry.objects.order_by("-at", "-id")[: audits - before[2]]
    assert {e.action for e in new_entries} <= {AuditAction.READ}


# --- bad transitions --------------------------------------------------------------------------------


def _assert_transition_refused(client, person, payload, field, english):
    before = counts()
    response = post_json(client, f"/api/persons/{person.id}/transitions", payload, **EN)
    errors = errors_of(response)
    assert field in errors, errors
    assert any(english in m for m in errors[field]), errors
    persons, events, audits = counts()
    assert (persons, events) == before[:2]
    new_entries = AuditEntry.objects.order_by("-at", "-id")[: audits - before[2]]
    assert {e.action for e in new_entries} <= {AuditAction.READ}, (
        "a refused transition was logged as a change"
    )
    person.refresh_from_db()
    return person


def test_settling_in_an_unknown_municipality_is_refused(client, users, arrive):
    person = arrive(Phase.READY_FOR_SETTLEMENT)
    client.force_login(users[Role.RECEPTION_STAFF])
    payload = {"phase": "settled", "date": _today().isoformat(), "municipality_number": "9999"}
    person = _assert_transition_refused(
        client, person, payload, "municipality_number", "no municipality with number 9999"
    )
    assert person.current_phase == Phase.READY_FOR_SETTLEMENT


def test_settling_before_a_permit_is_refused_as_skipping_the_chain(client, users, arrive):
    person = arrive(Phase.RECEPTION)
    client.force_login(users[Role.RECEPTION_STAFF])
    payload = {"phase": "settled", "date": _today().isoformat(), "municipality_number": "5503"}
    person = _assert_transition_refused(
        client, person, payload, "phase", "does not follow from the current phase (Reception)"
    )
    assert person.current_phase == Phase.RECEPTION


def test_a_transition_dated_in_the_future_is_refused(client, users, arrive):
    person = arrive(Phase.RECEPTION)
    client.force_login(users[Role.RECEPTION_STAFF])
    payload = {"phase": "permit_granted", "date": _future()}
    person = _assert_transition_refused(client, person, payload, "date", "cannot be in the future")
    assert person.current_phase == Phase.RECEPTION


# --- language of the messages ---------------------------------------------------------------------
# Bokmål is the default; the expected bokmål text is whatever the catalogue says for the message, so
# these tests check that the API speaks the request's language, not the exact wording.

BAD_NUMBER_EN = "This is not a valid national identity number or D-number"


def _in(language: str, code: str) -> str:
    with translation.override(language):
        return str(ERRORS[code])


def _bad_number_message(client, chain, **headers) -> str:
    payload = registration(chain, national_identity_number=with_bad_checksum(identity_number(BIRTH_DATE)))
    return errors_of(post_json(client, "/api/persons", payload, **headers))["national_identity_number"][0]


def _future_transition_message(client, person, **headers) -> str:
    payload = {"phase": "permit_granted", "date": _future()}
    return errors_of(post_json(client, f"/api/persons/{person.id}/transitions", payload, **headers))["date"][
        0
    ]


def test_error_messages_are_in_english_on_request(reception, chain):
    assert _bad_number_message(reception, chain, **EN).startswith(BAD_NUMBER_EN)


def test_error_messages_are_in_bokmal_by_default(reception, chain):
    message = _bad_number_message(reception, chain)
    assert BAD_NUMBER_EN not in message
    assert message == _in("nb", "identity_number_invalid")


def test_transition_errors_are_in_english_on_request(client, users, arrive):
    person = arrive(Phase.RECEPTION)
    client.force_login(users[Role.RECEPTION_STAFF])
    assert _future_transition_message(client, person, **EN) == "The date cannot be in the future."


def test_transition_errors_are_in_bokmal_by_default(client, users, arrive):
    person = arrive(Phase.RECEPTION)
    client.force_login(users[Role.RECEPTION_STAFF])
    message = _future_transition_message(client, person)
    assert message != "The date cannot be in the future."
    assert message == _in("nb", "date_in_future")
