"""Needs: who publishes, closes and answers them; personal data refused; the staff and public pages."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from bro.core.models import AuditEntry
from bro.core.municipalities import municipality_by_number
from bro.core.roles import Role
from bro.people.services import Actor
from bro.volunteering.models import Need, NeedResponse
from bro.volunteering.services import needs as services
from tests.conftest import make_user


def publish(user, organisation, **overrides):
    values = {
        "title": "Flyktningguide for familie på fem",
        "description": "Familie på fem i Harstad sentrum. Arabisk eller engelsk.",
        "kind": "refugee_guide",
        "municipality": municipality_by_number("5503"),
        "languages": ["ar", "en"],
        "volunteers_wanted": 2,
    }
    values.update(overrides)
    return services.publish_need(Actor(user), organisation, **values)


@pytest.fixture
def need(chain, users):
    return publish(users[Role.MUNICIPAL_SETTLEMENT_OFFICER], chain.harstad)


def test_municipal_staff_publish_a_need_and_the_write_is_logged(need, users):
    assert need.status == Need.Status.OPEN and need.languages == ["ar", "en"]
    assert AuditEntry.objects.filter(object_id=str(need.id), action="create").exists()


@pytest.mark.parametrize("role", [Role.RECEPTION_STAFF, Role.PROGRAMME_ADVISER])
def test_reception_staff_and_programme_advisers_publish_for_their_organisation(chain, users, role):
    organisation = chain.centre_harstad if role == Role.RECEPTION_STAFF else chain.harstad
    assert publish(users[role], organisation).organisation == organisation


def test_a_volunteer_cannot_publish(chain, users):
    with pytest.raises(PermissionDenied):
        publish(users[Role.VOLUNTEER], chain.volunteer_org)
    with pytest.raises(PermissionDenied):
        publish(users[Role.VOLUNTEER], chain.harstad)
    assert not Need.objects.exists()


def test_nobody_publishes_for_an_organisation_they_do_not_belong_to(chain, users):
    with pytest.raises(PermissionDenied):
        publish(users[Role.MUNICIPAL_SETTLEMENT_OFFICER], chain.tromso)


def test_another_municipalitys_staff_cannot_close_a_harstad_need(chain, need):
    tromso_officer = make_user("tromso", chain.tromso, Role.MUNICIPAL_SETTLEMENT_OFFICER)
    with pytest.raises(PermissionDenied):
        services.set_need_status(Actor(tromso_officer), need, Need.Status.CLOSED)
    need.refresh_from_db()
    assert need.status == Need.Status.OPEN


def test_the_publisher_closes_and_fills_a_need(need, users):
    officer = users[Role.PROGRAMME_ADVISER]  # a colleague in the same municipality
    assert services.set_need_status(Actor(officer), need, Need.Status.FILLED).status == "filled"
    need.refresh_from_db()
    assert need.status == "filled"
    assert AuditEntry.objects.filter(
        object_id=str(need.id), action="update", changes__status=["open", "filled"]
    ).exists()


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Kontakt mor, fnr 15076500565", "identity_number"),
        ("Personnummer 150765 00565 til skolen", "identity_number"),
        ("Ring Fatima på 412 34 567", "phone_number"),
        ("Ring +47 41234567", "phone_number"),
        ("Send til fatima@example.no", "email"),
    ],
)
def test_personal_data_in_a_need_is_refused_with_a_clear_message(chain, users, text, code):
    with pytest.raises(ValidationError) as raised:
        publish(users[Role.MUNICIPAL_SETTLEMENT_OFFICER], chain.harstad, description=text)
    assert raised.value.error_dict["description"][0].code == code
    assert not Need.objects.exists()


@pytest.mark.parametrize(
    "text",
    [
        "Leksehjelp for 8 elever, tirsdager 18–20",
        "Fra 12.03.2025 til 2026",
        "Familie på fem, 3 barn (4, 7 og 12 år)",
    ],
)
def test_ordinary_numbers_are_not_taken_for_personal_data(text):
    assert services.personal_data_codes(text) == []


def test_personal_data_in_the_title_is_refused_too(chain, users):
    with pytest.raises(ValidationError) as raised:
        publish(users[Role.MUNICIPAL_SETTLEMENT_OFFICER], chain.harstad, title="Guide for Ali, 41234567")
    assert "title" in raised.value.error_dict


def test_organisations_answer_once_each_and_answering_again_replaces(chain, users, need):
    coordinator = users[Role.VOLUNTEER_COORDINATOR]
    services.answer_need(Actor(coordinator), need, chain.volunteer_centre, message="To guider fra mars")
    services.answer_need(Actor(coordinator), need, chain.volunteer_centre, message="Tre guider fra mars")
    assert list(NeedResponse.objects.values_list("message", flat=True)) == ["Tre guider fra mars"]


def test_only_volunteer_organisations_coordinators_answer(chain, users, need):
    with pytest.raises(PermissionDenied):
        services.answer_need(
            Actor(users[Role.MUNICIPAL_SETTLEMENT_OFFICER]), need, chain.harstad, message="x"
        )
    with pytest.raises(PermissionDenied):
        services.answer_need(Actor(users[Role.VOLUNTEER]), need, chain.volunteer_org, message="x")
    with pytest.raises(PermissionDenied):  # a coordinator answers for their own organisation only
        services.answer_need(Actor(users[Role.VOLUNTEER_COORDINATOR]), need, chain.volunteer_org, message="x")


def test_a_closed_need_cannot_be_answered(chain, users, need):
    services.set_need_status(Actor(users[Role.MUNICIPAL_SETTLEMENT_OFFICER]), need, Need.Status.CLOSED)
    with pytest.raises(ValidationError):
        services.answer_need(
            Actor(users[Role.VOLUNTEER_COORDINATOR]), need, chain.volunteer_centre, message="Vi kan"
        )


def test_the_publisher_and_other_organisations_see_every_answer(client, chain, users, need):
    services.answer_need(
        Actor(users[Role.VOLUNTEER_COORDINATOR]), need, chain.volunteer_centre, message="Vi har to guider"
    )
    red_cross = make_user("rk-koordinator", chain.volunteer_org, Role.VOLUNTEER_COORDINATOR)
    for user in (users[Role.MUNICIPAL_SETTLEMENT_OFFICER], red_cross):
        client.force_login(user)
        html = client.get(f"/volunteering/needs/{need.id}/").content.decode()
        assert "Vi har to guider" in html and "Harstad frivilligsentral" in html


def test_the_answer_form_saves_and_refuses_an_email(client, chain, users, need):
    client.force_login(users[Role.VOLUNTEER_COORDINATOR])
    url = f"/volunteering/needs/{need.id}/answer/"
    bad = client.post(url, {"organisation": chain.volunteer_centre.pk, "message": "Skriv til ola@example.no"})
    assert bad.status_code == 400 and not NeedResponse.objects.exists()
    good = client.post(url, {"organisation": chain.volunteer_centre.pk, "message": "Vi stiller med to"})
    assert good.status_code == 302 and NeedResponse.objects.get().message == "Vi stiller med to"


def test_the_publish_form_refuses_personal_data_with_a_message_and_saves_nothing(client, chain, users):
    client.force_login(users[Role.MUNICIPAL_SETTLEMENT_OFFICER])
    data = {
        "organisation": chain.harstad.pk,
        "title": "Sjåfør til fotballtrening",
        "description": "Ring 41234567",
        "kind": "transport",
        "municipality": municipality_by_number("5503").pk,
        "volunteers_wanted": 3,
        "is_public": "on",
    }
    response = client.post("/volunteering/needs/new/", data, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400 and not Need.objects.exists()
    assert "Remove the phone number" in response.content.decode()
    data["description"] = "Onsdager kl. 17, fra Kanebogen"
    response = client.post("/volunteering/needs/new/", data)
    assert response.status_code == 302 and Need.objects.get().kind == "transport"


def test_the_staff_list_is_for_publishers_and_coordinators(client, users, need):
    client.force_login(users[Role.VOLUNTEER_COORDINATOR])
    assert need.title in client.get("/volunteering/needs/").content.decode()
    client.force_login(users[Role.VOLUNTEER])
    assert client.get("/volunteering/needs/").status_code == 403
    assert client.get("/volunteering/needs/new/").status_code == 403


def test_the_public_page_lists_open_public_needs_without_login_in_both_languages(client, chain, users, need):
    hidden = publish(
        users[Role.MUNICIPAL_SETTLEMENT_OFFICER], chain.harstad, title="Intern liste", is_public=False
    )
    closed = publish(users[Role.MUNICIPAL_SETTLEMENT_OFFICER], chain.harstad, title="Gammel sak")
    services.set_need_status(Actor(users[Role.MUNICIPAL_SETTLEMENT_OFFICER]), closed, Need.Status.CLOSED)
    response = client.get("/volunteering/needs/public/", HTTP_ACCEPT_LANGUAGE="nb")
    html = response.content.decode()
    assert response.status_code == 200 and need.title in html
    assert hidden.title not in html and closed.title not in html
    assert '<html lang="nb"' in html
    english = client.get("/volunteering/needs/public/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Volunteers wanted" in english and "Refugee guide" in english
    filtered = client.get("/volunteering/needs/public/", {"kind": "homework_help"}).content.decode()
    assert need.title not in filtered
