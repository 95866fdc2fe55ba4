"""Surge mode (003:L1033): a municipality declares a surge; the public sign-up shows its message and offers
newcomers the open needs that fit them; the coordinator sees the queue and assigns in bulk; the surge ends."""

from __future__ import annotations

import pytest
from django.urls import reverse

from bro.core.municipalities import municipality_by_number
from bro.core.roles import Role
from bro.volunteering.models import Need, NeedAssignment, Surge, Volunteer
from bro.volunteering.selectors.volunteers import need_score
from bro.volunteering.services import volunteers as services
from tests.conftest import days_ago

from .test_signup import form_data

MESSAGE = "Mange nye flyktninger kommer til Harstad denne uka."


@pytest.fixture
def officer(users):
    return users[Role.MUNICIPAL_SETTLEMENT_OFFICER]  # Harstad kommune publishes needs


@pytest.fixture
def needs(chain):
    def make(title, municipality=None, **extra):
        return Need.objects.create(
            organisation=chain.harstad,
            title=title,
            kind=extra.pop("kind", "refugee_guide"),
            municipality=municipality or chain.harstad.municipality,
            published_on=days_ago(1),
            **extra,
        )

    return {
        "drivers": make("Sjåfører til fotballtrening", kind="transport", skills=["driving"]),
        "homework": make("Leksehjelp for 8 elever", kind="homework_help", skills=["homework"]),
        "arabic": make("Flyktningguide, arabisk", languages=["ar"]),
        "tigrinya": make("Flyktningguide, tigrinja", languages=["ti"]),
        "hidden": make("Intern vakt", is_public=False, skills=["driving"]),
        "tromso": make(
            "Leksehjelp i Tromsø", municipality=municipality_by_number("5501"), skills=["homework"]
        ),
    }


def test_need_score_prefers_shared_skills_and_leaves_out_needs_in_other_languages():
    assert need_score(["driving"], ["nb"], [], ["driving"], [], "transport") > need_score(
        ["driving"], ["nb"], [], [], [], "transport"
    )
    assert need_score(["driving"], ["nb"], [], [], ["ti"], "refugee_guide") == 0
    assert need_score(["driving"], ["nb"], [], ["homework"], [], "homework_help") == 0


def test_a_declared_surge_shows_on_the_sign_up_page_and_routes_the_newcomer(client, chain, officer, needs):
    services.declare_surge(officer, chain.harstad, message=MESSAGE)
    page = client.get(reverse("volunteering:signup")).content.decode()
    assert MESSAGE in page and 'data-testid="surge-message"' in page

    response = client.post(
        reverse("volunteering:signup"), form_data(skills=["driving"], interests=[], languages=["nb", "ar"])
    )
    assert response.status_code == 302
    volunteer = Volunteer.objects.get()
    offered = set(NeedAssignment.objects.filter(volunteer=volunteer).values_list("need__title", flat=True))
    # The best fits among open public Harstad needs: driving and Arabic; never another language, a hidden
    # need, or a municipality without a surge.
    assert offered == {"Sjåfører til fotballtrening", "Flyktningguide, arabisk"}
    page = client.get(reverse("volunteering:me")).content.decode()
    assert "Sjåfører til fotballtrening" in page


def test_without_a_surge_nobody_is_routed(client, chain, needs):
    client.post(reverse("volunteering:signup"), form_data(skills=["driving"]))
    assert not NeedAssignment.objects.exists()
    assert 'data-testid="surge-message"' not in client.get(reverse("volunteering:signup")).content.decode()


def test_the_coordinator_assigns_in_bulk_in_one_transaction(
    client, chain, officer, users, needs, make_volunteer
):
    services.declare_surge(officer, chain.harstad, message=MESSAGE)
    a, b = make_volunteer(given_name="Ada"), make_volunteer(given_name="Bo")
    coordinator = users[Role.VOLUNTEER_COORDINATOR]  # Harstad frivilligsentral routes the newcomers
    client.force_login(coordinator)
    page = client.get(reverse("volunteering:surge_queue")).content.decode()
    assert f'data-volunteer="{a.pk}"' in page and f'data-need="{needs["homework"].pk}"' in page
    assert f'data-need="{needs["tromso"].pk}"' not in page

    url = reverse("volunteering:surge_queue")
    chosen = {
        "volunteer": [str(a.pk), str(b.pk)],
        "need": [str(needs["homework"].pk), str(needs["drivers"].pk)],
    }
    assert client.post(url, chosen).status_code == 302
    assert NeedAssignment.objects.count() == 4
    assert set(NeedAssignment.objects.values_list("assigned_by", flat=True)) == {coordinator.pk}

    # One need outside the surge refuses the whole lot.
    refused = client.post(
        url, {"volunteer": [str(a.pk)], "need": [str(needs["arabic"].pk), str(needs["tromso"].pk)]}
    )
    assert refused.status_code == 400 and 'data-testid="error-summary"' in refused.content.decode()
    assert NeedAssignment.objects.count() == 4
    assert client.post(url, {"volunteer": [str(a.pk)]}).status_code == 400


def test_a_coordinator_without_a_surge_in_their_area_cannot_assign(
    client, chain, users, needs, make_volunteer
):
    volunteer = make_volunteer()
    client.force_login(users[Role.VOLUNTEER_COORDINATOR])
    response = client.post(
        reverse("volunteering:surge_queue"),
        {"volunteer": [str(volunteer.pk)], "need": [str(needs["drivers"].pk)]},
    )
    assert response.status_code == 403
    assert not NeedAssignment.objects.exists()


def test_ending_the_surge_removes_the_message_and_only_the_declarer_may_end_it(
    client, chain, officer, users, needs
):
    surge = services.declare_surge(officer, chain.harstad, message=MESSAGE)
    client.force_login(users[Role.VOLUNTEER_COORDINATOR])
    assert client.post(reverse("volunteering:surge_end", args=[surge.pk])).status_code == 403
    client.force_login(officer)
    page = client.get(reverse("volunteering:surge_queue")).content.decode()
    assert reverse("volunteering:surge_end", args=[surge.pk]) in page
    client.post(reverse("volunteering:surge_end", args=[surge.pk]))
    surge.refresh_from_db()
    assert surge.ended_on is not None
    client.logout()
    assert MESSAGE not in client.get(reverse("volunteering:signup")).content.decode()


def test_declaring_through_the_page_and_refusing_a_second_active_surge(client, chain, officer):
    client.force_login(officer)
    url = reverse("volunteering:surge_declare")
    assert client.post(url, {"organisation": str(chain.harstad.pk), "message": MESSAGE}).status_code == 302
    assert client.post(url, {"organisation": str(chain.harstad.pk), "message": "igjen"}).status_code == 400
    assert client.post(url, {"organisation": str(chain.harstad.pk), "message": " "}).status_code == 400
    assert Surge.objects.count() == 1


def test_a_volunteer_cannot_declare_a_surge(client, chain, users):
    client.force_login(users[Role.VOLUNTEER])
    assert client.post(reverse("volunteering:surge_declare"), {"message": MESSAGE}).status_code == 403
    assert client.get(reverse("volunteering:surge_queue")).status_code == 403
    assert not Surge.objects.exists()
