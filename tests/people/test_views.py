"""The person pages: forms refuse bad input in the page (400, error summary, field message, nothing
saved), good input leads to the person page, the person page shows the timeline and household, and the
list paginates, filters, searches, answers htmx with the table alone, and never shows identity numbers.
"""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone

from bro.core.models import AuditEntry
from bro.core.roles import Role
from bro.people import services
from bro.people.models import Person, PhaseEvent
from bro.people.phases import Phase
from tests.conftest import days_ago, make_user, person_input
from tests.people.numbers import duf_number, identity_number, with_bad_checksum

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
BIRTH_DATE = datetime.date(1990, 5, 17)
PERSON_LINK = re.compile(r'href="/persons/([0-9a-f-]{36})/"')


def _today() -> datetime.date:
    return timezone.localdate()


def _future(days: int = 1) -> str:
    return (_today() + datetime.timedelta(days=days)).isoformat()


@pytest.fixture
def reception(client, users):
    client.force_login(users[Role.RECEPTION_STAFF])
    return client


def registration(chain, **overrides) -> dict:
    data = {
        "organisation": str(chain.centre_harstad.id),
        "initial_phase": "arrival",
        "phase_date": (_today() - datetime.timedelta(days=2)).isoformat(),
        "given_name": "Amina",
        "family_name": "Haddad",
        "birth_date": BIRTH_DATE.isoformat(),
        "sex": "female",
        "immigrant_category": "asylum_seeker",
        "nationalities": ["SY"],
        "preferred_language": "ar",
        "needs_interpreter": "on",
    }
    data.update(overrides)
    return data


def counts() -> tuple[int, int, int]:
    return Person.objects.count(), PhaseEvent.objects.count(), AuditEntry.objects.count()


def assert_refused_in_page(response, field: str, english: str) -> str:
    """400, an error summary that names the problem, and the message at the field itself."""
    assert response.status_code == 400, response.status_code
    body = response.content.decode()
    summary = re.search(r'<div class="ds-error-summary".*?</div>', body, re.S)
    assert summary, "no error summary"
    assert english in summary.group(0)
    assert f'href="#id_{field}"' in summary.group(0), "the summary does not link to the field"
    field_message = re.search(rf'id="id_{field}_error"[^>]*>(.*?)</p>', body, re.S)
    assert field_message, f"no message at the field {field}"
    assert english in field_message.group(1)
    assert 'aria-invalid="true"' in body
    return body


# --- registering through the page ------------------------------------------------------------------


def test_a_good_registration_leads_to_the_new_persons_page(reception, chain):
    response = reception.post(
        "/persons/new/", registration(chain, national_identity_number=identity_number(BIRTH_DATE))
    )
    person = Person.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/persons/{person.id}/"
    assert person.current_phase == Phase.ARRIVAL
    assert list(person.languages.values_list("language", "needs_interpreter")) == [("ar", True)]


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
        {"birth_date": _future(40)}, "birth_date", "cannot be in the future", id="birth-date-in-future"
    ),
    pytest.param(
        {"phase_date": _future()}, "phase_date", "cannot be in the future", id="phase-date-in-future"
    ),
    pytest.param({"preferred_language": "xx"}, "preferred_language", "Select a valid choice", id="language"),
    pytest.param({"nationalities": ["ZZ"]}, "nationalities", "Select a valid choice", id="nationality"),
    pytest.param({"given_name": "  "}, "given_name", "This field is required", id="empty-given-name"),
    pytest.param({"family_name": ""}, "family_name", "This field is required", id="empty-family-name"),
    pytest.param({"duf_number": "2023"}, "duf_number", "12 digits", id="malformed-duf-number"),
]


@pytest.mark.parametrize(("overrides", "field", "english"), BAD_REGISTRATIONS)
def test_bad_registration_is_refused_in_the_page_and_saves_nothing(
    reception, chain, overrides, field, english
):
    before = counts()
    response = reception.post("/persons/new/", registration(chain, **overrides), **EN)
    assert_refused_in_page(response, field, english)
    assert counts() == before


def test_a_refused_form_keeps_what_was_typed(reception, chain):
    response = reception.post(
        "/persons/new/", registration(chain, given_name="أمينة", birth_date=_future()), **EN
    )
    assert response.status_code == 400
    assert 'value="أمينة"' in response.content.decode()


def test_a_duplicate_identity_number_is_refused_in_the_page(reception, chain):
    number = identity_number(BIRTH_DATE)
    assert (
        reception.post("/persons/new/", registration(chain, national_identity_number=number)).status_code
        == 302
    )
    before = counts()
    response = reception.post(
        "/persons/new/", registration(chain, given_name="Other", national_identity_number=number), **EN
    )
    assert_refused_in_page(response, "national_identity_number", "already registered")
    assert counts() == before


def test_a_duplicate_duf_number_is_refused_in_the_page(reception, chain):
    duf = duf_number()
    assert reception.post("/persons/new/", registration(chain, duf_number=duf)).status_code == 302
    before = counts()
    response = reception.post("/persons/new/", registration(chain, given_name="Other", duf_number=duf), **EN)
    assert_refused_in_page(response, "duf_number", "already registered")
    assert counts() == before


def test_right_to_left_names_are_accepted_in_the_page(reception, chain):
    response = reception.post("/persons/new/", registration(chain, given_name="أمينة", family_name="حداد"))
    assert response.status_code == 302
    page = reception.get(response["Location"]).content.decode()
    assert "أمينة حداد" in page


# --- editing ---------------------------------------------------------------------------------------


def _edit_data(person, **overrides) -> dict:
    data = {
        "given_name": person.given_name,
        "family_name": person.family_name,
        "birth_date": person.birth_date.isoformat(),
        "sex": person.sex,
        "immigrant_category": person.immigrant_category,
        "nationalities": [str(c.code) for c in person.nationalities],
        "preferred_language": "ar",
        "phone": person.phone,
        "national_identity_number": person.national_identity_number or "",
    }
    data.update(overrides)
    return data


def test_a_good_edit_leads_back_to_the_person_page(client, users, arrive):
    person = arrive(Phase.SETTLED)
    client.force_login(users[Role.MUNICIPAL_SETTLEMENT_OFFICER])
    response = client.post(f"/persons/{person.id}/edit/", _edit_data(person, phone="+47 900 00 000"))
    assert response.status_code == 302
    assert response["Location"] == f"/persons/{person.id}/"
    person.refresh_from_db()
    assert person.phone == "+47 900 00 000"


def test_a_bad_edit_is_refused_in_the_page_and_changes_nothing(client, users, arrive):
    person = arrive(Phase.SETTLED, phone="+47 1")
    client.force_login(users[Role.MUNICIPAL_SETTLEMENT_OFFICER])
    bad = _edit_data(
        person, phone="+47 2", national_identity_number=with_bad_checksum(identity_number(BIRTH_DATE))
    )
    response = client.post(f"/persons/{person.id}/edit/", bad, **EN)
    assert_refused_in_page(response, "national_identity_number", "not a valid national identity number")
    person.refresh_from_db()
    assert person.phone == "+47 1"


# --- transitions -----------------------------------------------------------------------------------


def test_a_good_transition_leads_back_to_the_person_page(client, users, arrive, chain):
    person = arrive(Phase.READY_FOR_SETTLEMENT)
    client.force_login(users[Role.RECEPTION_STAFF])
    response = client.post(
        f"/persons/{person.id}/transition/",
        {"phase": "settled", "date": _today().isoformat(), "municipality_number": "5503"},
    )
    assert response.status_code == 302
    assert response["Location"] == f"/persons/{person.id}/"
    person.refresh_from_db()
    assert (person.current_phase, person.responsible_organisation) == (Phase.SETTLED, chain.harstad)


BAD_TRANSITIONS = [
    pytest.param(
        Phase.RECEPTION,
        {"phase": "settled", "municipality_number": "5503"},
        "phase",
        "does not follow from the current phase",
        id="settled-before-permit",
    ),
    pytest.param(
        Phase.READY_FOR_SETTLEMENT,
        {"phase": "settled", "municipality_number": "9999"},
        "municipality_number",
        "no municipality with number 9999",
        id="unknown-municipality",
    ),
    pytest.param(
        Phase.RECEPTION,
        {"phase": "permit_granted", "date": _future()},
        "date",
        "cannot be in the future",
        id="future",
    ),
]


@pytest.mark.parametrize(("phase", "data", "field", "english"), BAD_TRANSITIONS)
def test_bad_transition_is_refused_in_the_page_and_saves_nothing(
    client, users, arrive, phase, data, field, english
):
    person = arrive(phase)
    client.force_login(users[Role.RECEPTION_STAFF])
    events = PhaseEvent.objects.count()
    response = client.post(f"/persons/{person.id}/transition/", {"date": _today().isoformat(), **data}, **EN)
    assert_refused_in_page(response, field, english)
    assert PhaseEvent.objects.count() == events
    person.refresh_from_db()
    assert person.current_phase == phase


# --- the person page -------------------------------------------------------------------------------


def test_the_person_page_shows_the_timeline_in_order(client, users, arrive):
    person = arrive(Phase.IN_PROGRAMME)
    client.force_login(users[Role.MUNICIPAL_SETTLEMENT_OFFICER])
    body = client.get(f"/persons/{person.id}/", **EN).content.decode()
    timeline = body[body.index('id="timeline-heading"') :]
    dates = re.findall(r'<time datetime="(\d{4}-\d{2}-\d{2})"', timeline)
    assert dates == [days_ago(n).isoformat() for n in (400, 399, 300, 250, 200, 150)]
    titles = [t.strip() for t in re.findall(r'class="bro-timeline__title">([^<]*)<', timeline)]
    assert titles == [
        "Arrival",
        "Reception",
        "Permit granted",
        "Ready for settlement",
        "Settled",
        "In programme",
    ]


def test_the_person_page_shows_the_household(client, users, arrive, chain):
    person = arrive(Phase.SETTLED, given_name="Amina", family_name="Haddad")
    officer = services.Actor(users[Role.MUNICIPAL_SETTLEMENT_OFFICER])
    child = services.register_person(
        officer,
        person_input(
            given_name="Yusuf", birth_date=datetime.date(2016, 2, 2), immigrant_category="family_reunified"
        ),
        organisation=chain.harstad,
        initial_phase=Phase.PERMIT_GRANTED,
        phase_date=days_ago(5),
        family_of=person,
        relation="child",
    )
    client.force_login(users[Role.MUNICIPAL_SETTLEMENT_OFFICER])
    body = client.get(f"/persons/{person.id}/", **EN).content.decode()
    household = body[body.index('id="household-heading"') :]
    assert "Yusuf Haddad" in household
    assert f'href="/persons/{child.id}/"' in household
    assert "Child" in household
    assert "Principal applicant" in household


def test_the_person_page_hides_household_members_the_user_may_not_see(client, users, arrive, chain):
    person = arrive(Phase.SETTLED, settle_in=chain.tromso, given_name="Amina", family_name="Haddad")
    # Harstad reception staff read Amina as history; her new child, registered in Tromsø, is not theirs.
    tromso_officer = services.Actor(
        make_user("tromso-officer", chain.tromso, Role.MUNICIPAL_SETTLEMENT_OFFICER)
    )
    services.register_person(
        tromso_officer,
        person_input(
            given_name="Yusuf", birth_date=datetime.date(2019, 2, 2), immigrant_category="family_reunified"
        ),
        organisation=chain.tromso,
        initial_phase=Phase.PERMIT_GRANTED,
        phase_date=days_ago(5),
        family_of=person,
        relation="child",
    )
    client.force_login(users[Role.RECEPTION_STAFF])
    body = client.get(f"/persons/{person.id}/", **EN).content.decode()
    assert "Amina Haddad" in body
    assert "Yusuf" not in body
    assert "A household member you do not have access to" in body


# --- the list --------------------------------------------------------------------------------------


@pytest.fixture
def thirty_persons(users, chain):
    """30 arrivals at the Harstad centre, five of whom have moved on to reception, each with an identity number."""
    staff = services.Actor(users[Role.RECEPTION_STAFF])
    persons = []
    for i in range(30):
        born = datetime.date(1970 + i, 1 + i % 12, 1 + i % 28)
        person = services.register_person(
            staff,
            person_input(
                given_name=f"Given{i:02d}",
                family_name=f"Listesen{i:02d}",
                birth_date=born,
                national_identity_number=identity_number(born),
            ),
            organisation=chain.centre_harstad,
            initial_phase=Phase.ARRIVAL,
            phase_date=days_ago(10),
        )
        if i % 6 == 0:
            services.record_transition(
                staff, person, phase=Phase.RECEPTION, on=days_ago(9), organisation=chain.centre_harstad
            )
        persons.append(person)
    return persons


def _listed(response) -> list[str]:
    return PERSON_LINK.findall(response.content.decode())


def test_the_list_paginates_by_25(reception, thirty_persons):
    first = reception.get("/persons/")
    second = reception.get("/persons/", {"page": 2})
    assert first.status_code == second.status_code == 200
    page_one, page_two = _listed(first), _listed(second)
    assert len(page_one) == 25
    assert len(page_two) == 5
    assert set(page_one) | set(page_two) == {str(p.id) for p in thirty_persons}
    assert "?page=2" in first.content.decode()


def test_the_list_filters_by_phase(reception, thirty_persons):
    response = reception.get("/persons/", {"phase": "reception"})
    wanted = {str(p.id) for i, p in enumerate(thirty_persons) if i % 6 == 0}
    assert set(_listed(response)) == wanted


def test_the_list_searches_by_name(reception, thirty_persons):
    response = reception.get("/persons/", {"q": "listesen07"})
    assert _listed(response) == [str(thirty_persons[7].id)]
    response = reception.get("/persons/", {"q": "Given12 Listesen12"})
    assert _listed(response) == [str(thirty_persons[12].id)]


def test_the_list_never_shows_identity_numbers(reception, thirty_persons):
    numbers = [p.national_identity_number for p in thirty_persons]
    for params in ({}, {"page": 2}, {"q": "Listesen"}, {"phase": "arrival"}):
        body = reception.get("/persons/", params).content.decode()
        assert not [n for n in numbers if n in body], params
        assert not [n for n in numbers if f"{n[:6]} {n[6:]}" in body], params


def test_htmx_requests_get_only_the_table(reception, thirty_persons):
    response = reception.get("/persons/", {"q": "listesen07"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body
    assert 'role="search"' not in body
    assert "<table" in body
    assert _listed(response) == [str(thirty_persons[7].id)]
    full = reception.get("/persons/", {"q": "listesen07"}).content.decode()
    assert "<html" in full
