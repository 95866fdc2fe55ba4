"""The audit trail: every read and write of a person is logged with who, for which organisation, how
(web or API) and what changed; identity numbers never reach the log; the person page shows who has
looked to those responsible; administrators search the log, each within the organisations they run.
"""

from __future__ import annotations

import datetime
import json

import pytest
from django.utils import timezone

from bro.core.audit import MASK
from bro.core.models import AuditAction, AuditEntry
from bro.core.roles import Role
from bro.people import services
from bro.people.models import Person
from bro.people.phases import AccessBasis, Phase
from tests.conftest import make_user
from tests.people.numbers import identity_number

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def _entries(**filters):
    return list(AuditEntry.objects.filter(**filters).order_by("at", "id"))


def _whole_log_as_text() -> str:
    return json.dumps(list(AuditEntry.objects.values()), default=str, ensure_ascii=False)


def _edit_data(person, **overrides) -> dict:
    data = {
        "given_name": person.given_name,
        "family_name": person.family_name,
        "birth_date": person.birth_date.isoformat(),
        "sex": person.sex,
        "immigrant_category": person.immigrant_category,
        "nationalities": [str(c.code) for c in person.nationalities],
        "preferred_language": "ar",
        "needs_interpreter": "on",
        "phone": person.phone,
        "national_identity_number": person.national_identity_number or "",
    }
    data.update(overrides)
    return data


# --- reads -----------------------------------------------------------------------------------------


def test_reading_a_person_page_is_logged_with_the_organisation_that_gave_access(client, users, arrive, chain):
    person = arrive(Phase.SETTLED)
    officer = users[Role.MUNICIPAL_SETTLEMENT_OFFICER]
    client.force_login(officer)
    assert client.get(f"/persons/{person.id}/").status_code == 200
    [entry] = _entries(action=AuditAction.READ, person_id=person.id)
    assert (entry.user, entry.username, entry.organisation) == (officer, "harstad", chain.harstad)
    assert entry.channel == "web"
    assert entry.object_type == "people.person"
    assert entry.object_id == str(person.id)


def test_reading_through_the_api_is_logged_as_the_api_channel(client, users, arrive, chain):
    person = arrive(Phase.RECEPTION)
    client.force_login(users[Role.RECEPTION_STAFF])
    assert client.get(f"/api/persons/{person.id}").status_code == 200
    [entry] = _entries(action=AuditAction.READ, person_id=person.id)
    assert (entry.channel, entry.organisation) == ("api", chain.centre_harstad)


@pytest.mark.parametrize(
    ("role", "organisation", "reason"),
    [
        (Role.RECEPTION_STAFF, "centre_harstad", "history"),
        (Role.TEACHER, "adult_education", "shared"),
    ],
)
def test_read_only_access_is_logged_with_its_reason(client, users, arrive, chain, role, organisation, reason):
    person = arrive(Phase.IN_PROGRAMME)
    services.grant_shared_access(
        services.Actor(users[Role.MUNICIPAL_SETTLEMENT_OFFICER]),
        person,
        organisation=chain.adult_education,
        basis=AccessBasis.LEGAL_BASIS,
        legal_basis="Integreringsloven § 40",
        purpose="Norwegian training",
    )
    client.force_login(users[role])
    assert client.get(f"/persons/{person.id}/").status_code == 200
    [entry] = _entries(action=AuditAction.READ, person_id=person.id)
    assert entry.organisation == getattr(chain, organisation)
    assert entry.summary == reason


def test_a_refused_read_is_not_logged_as_a_read(client, users, arrive):
    person = arrive(Phase.RECEPTION)
    client.force_login(users[Role.TEACHER])
    assert client.get(f"/persons/{person.id}/").status_code == 404
    assert _entries(action=AuditAction.READ, person_id=person.id) == []


@pytest.mark.parametrize(("path", "channel"), [("/persons/", "web"), ("/api/persons", "api")])
def test_lists_are_logged(client, users, arrive, path, channel):
    arrive(Phase.RECEPTION)
    user = users[Role.RECEPTION_STAFF]
    client.force_login(user)
    assert client.get(path).status_code == 200
    [entry] = _entries(action=AuditAction.LIST)
    assert (entry.user, entry.channel, entry.object_type) == (user, channel, "people.person")
    assert "1 persons" in entry.summary


# --- writes ----------------------------------------------------------------------------------------


def test_a_change_is_logged_with_old_and_new_values(client, users, arrive, chain):
    person = arrive(Phase.SETTLED, phone="+47 111 11 111")
    officer = users[Role.MUNICIPAL_SETTLEMENT_OFFICER]
    client.force_login(officer)
    response = client.post(f"/persons/{person.id}/edit/", _edit_data(person, phone="+47 222 22 222"))
    assert response.status_code == 302
    [entry] = _entries(action=AuditAction.UPDATE, person_id=person.id)
    assert entry.changes == {"phone": ["+47 111 11 111", "+47 222 22 222"]}
    assert (entry.user, entry.organisation, entry.channel) == (officer, chain.harstad, "web")


def test_a_transition_is_logged_with_the_phase_change(client, users, arrive, chain):
    person = arrive(Phase.SETTLED)
    client.force_login(users[Role.MUNICIPAL_SETTLEMENT_OFFICER])
    today = timezone.localdate().isoformat()
    response = client.post(
        f"/api/persons/{person.id}/transitions",
        json.dumps({"phase": "in_programme", "date": today}),
        content_type="application/json",
    )
    assert response.status_code == 201
    [entry] = _entries(
        action=AuditAction.TRANSITION, person_id=person.id, user=users[Role.MUNICIPAL_SETTLEMENT_OFFICER]
    )
    assert entry.changes["phase"] == ["settled", "in_programme"]
    assert (entry.channel, entry.organisation) == ("api", chain.harstad)


def test_identity_numbers_never_reach_the_log(client, users, chain):
    born = datetime.date(1990, 5, 17)
    first, second, third = identity_number(born), identity_number(born), identity_number(born)
    client.force_login(users[Role.RECEPTION_STAFF])
    response = client.post(
        "/persons/new/",
        {
            "organisation": str(chain.centre_harstad.id),
            "initial_phase": "arrival",
            "phase_date": timezone.localdate().isoformat(),
            "given_name": "Amina",
            "family_name": "Haddad",
            "birth_date": born.isoformat(),
            "sex": "female",
            "immigrant_category": "asylum_seeker",
            "national_identity_number": first,
        },
    )
    assert response.status_code == 302
    person = Person.objects.get(pk=response["Location"].split("/")[2])
    response = client.post(f"/persons/{person.id}/edit/", _edit_data(person, national_identity_number=second))
    assert response.status_code == 302
    payload = {
        **{k: v for k, v in _edit_data(person).items() if k not in {"preferred_language"}},
        "national_identity_number": third,
    }
    response = client.put(f"/api/persons/{person.id}", json.dumps(payload), content_type="application/json")
    assert response.status_code == 200
    person.refresh_from_db()
    assert person.national_identity_number == third

    updates = _entries(action=AuditAction.UPDATE, person_id=person.id)
    assert [e.changes["national_identity_number"] for e in updates] == [[MASK, MASK], [MASK, MASK]]
    [created] = _entries(action=AuditAction.CREATE, person_id=person.id)
    assert created.changes["national_identity_number"] == [None, MASK]
    log = _whole_log_as_text()
    for number in (first, second, third):
        assert number not in log
        assert f"{number[:6]} {number[6:]}" not in log

    client.force_login(users[Role.ADMINISTRATOR])
    page = client.get("/admin/audit/", {"person": str(person.id)}).content.decode()
    assert not [n for n in (first, second, third) if n in page]


# --- who has looked ----------------------------------------------------------------------------------


def test_the_person_page_shows_who_has_looked_to_those_responsible_only(client, users, arrive, chain):
    person = arrive(Phase.SETTLED)
    snoop = make_user("nurse-looked", chain.harstad, Role.HEALTH_NURSE)
    client.force_login(snoop)
    assert client.get(f"/persons/{person.id}/").status_code == 200

    client.force_login(users[Role.MUNICIPAL_SETTLEMENT_OFFICER])
    responsible = client.get(f"/persons/{person.id}/", **EN)
    assert "nurse-looked" in responsible.content.decode()
    assert "nurse-looked" in [e.username for e in responsible.context["access_log"]]

    # Reception staff of the centre the person has left: read-only history, no access log.
    client.force_login(users[Role.RECEPTION_STAFF])
    history = client.get(f"/persons/{person.id}/", **EN)
    assert history.status_code == 200
    assert history.context["access"].reason == "history"
    assert "nurse-looked" not in history.content.decode()
    assert history.context["access_log"] == []


# --- the audit log page ------------------------------------------------------------------------------


@pytest.fixture
def logged_activity(client, users, arrive, chain):
    """Reads by two users on two persons, one read backdated ten days; returns the persons."""
    settled = arrive(Phase.SETTLED, family_name="Settledsen")
    resident = arrive(Phase.RECEPTION, family_name="Residentsen")
    client.force_login(users[Role.MUNICIPAL_SETTLEMENT_OFFICER])
    client.get(f"/persons/{settled.id}/")
    client.get(f"/persons/{resident.id}/")
    client.force_login(users[Role.RECEPTION_STAFF])
    client.get(f"/persons/{resident.id}/")
    old = AuditEntry.objects.filter(action=AuditAction.READ, username="reception").get()
    AuditEntry.objects.filter(pk=old.pk).update(at=timezone.now() - datetime.timedelta(days=10))
    client.logout()
    return settled, resident


def _search(client, **params) -> list[AuditEntry]:
    response = client.get("/admin/audit/", params)
    assert response.status_code == 200
    return list(response.context["page"].object_list)


def test_administrators_search_the_log_by_username_action_person_and_date(client, users, logged_activity):
    settled, resident = logged_activity
    client.force_login(users[Role.ADMINISTRATOR])

    by_user = _search(client, username="reception")
    assert by_user and {e.username for e in by_user} == {"reception"}

    reads = _search(client, action="read")
    assert len(reads) == 3 and {e.action for e in reads} == {"read"}

    about_resident = _search(client, person=str(resident.id))
    assert about_resident and {e.person_id for e in about_resident} == {resident.id}
    assert {e.action for e in about_resident} >= {"create", "transition", "read"}

    reads_of_resident = _search(client, person=str(resident.id), action="read")
    assert sorted(e.username for e in reads_of_resident) == ["harstad", "reception"]

    today = timezone.localdate()
    recent_reads = _search(client, action="read", date_from=(today - datetime.timedelta(days=1)).isoformat())
    assert sorted(e.username for e in recent_reads) == ["harstad", "harstad"]
    old_reads = _search(client, action="read", date_to=(today - datetime.timedelta(days=5)).isoformat())
    assert [e.username for e in old_reads] == ["reception"]


def test_the_audit_log_page_shows_the_entries(client, users, logged_activity):
    settled, _resident = logged_activity
    client.force_login(users[Role.ADMINISTRATOR])
    body = client.get("/admin/audit/", {"person": str(settled.id), "action": "read"}).content.decode()
    assert str(settled.id) in body
    assert "harstad" in body
    # Object types and access reasons are shown in words, in bokmål by default, not as code tokens.
    assert "people.person" not in body and "ansvarlig nå" in body


@pytest.mark.parametrize("role", [r for r in Role.values if r != Role.ADMINISTRATOR])
def test_non_administrators_may_not_see_the_audit_log(client, users, role):
    client.force_login(users[role])
    assert client.get("/admin/audit/").status_code == 403


def test_anonymous_users_are_sent_to_log_in_for_the_audit_log(client, db):
    response = client.get("/admin/audit/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_a_local_administrator_sees_only_entries_of_their_organisations(
    client, users, chain, logged_activity
):
    local_admin = make_user("harstad-admin", chain.harstad, Role.ADMINISTRATOR)
    client.force_login(local_admin)
    entries = _search(client)
    assert entries, "the Harstad administrator sees Harstad's entries"
    assert {e.organisation_id for e in entries} == {chain.harstad.id}
    # The reception centre's own reads and writes are not Harstad municipality's to see.
    assert _search(client, username="reception") == []
    assert AuditEntry.objects.filter(organisation=chain.centre_harstad).exists()
