"""The public volunteer sign-up: anyone signs up without a login and gets one; bad input changes nothing;
the page speaks bokmål by default and English through the language switch; the volunteer's own page."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy

from bro.core.models import AuditEntry, Membership, User
from bro.core.roles import Role
from bro.volunteering.models import Need, NeedAssignment, Onboarding, Volunteer
from bro.volunteering.services.volunteers import ERRORS
from tests.browser.conftest import (  # noqa: F401 - fixtures used by name
    _restore_reference_data,
    browser,
    chromium_path,
    new_context,
    reference_data,
)
from tests.conftest import days_ago

PASSWORD = "a-long-volunteer-passphrase"
UNKNOWN = ERRORS["unknown_municipality"]


def nb(text) -> str:
    """The bokmål text as the page renders it (the catalogue's, or the English until it is merged)."""
    with translation.override("nb"):
        return str(text)


def form_data(**overrides) -> dict:
    data = {
        "given_name": "Nora",
        "family_name": "Berg",
        "email": "nora.berg@example.no",
        "phone": "+47 900 00 000",
        "sex": "female",
        "birth_year": "1990",
        "languages": ["nb", "ar"],
        "skills": ["homework", "driving"],
        "interests": ["homework_help"],
        "municipality": "5503",
        "travel_municipalities": "Tromsø",
        "availability": ["weekday_evening", "weekend"],
        "available_until": "",
        "has_refugee_background": "on",
        "organisation": "",
        "password1": PASSWORD,
        "password2": PASSWORD,
    }
    data.update(overrides)
    return data


def _counts():
    return (
        Volunteer.objects.count(),
        User.objects.count(),
        Onboarding.objects.count(),
        AuditEntry.objects.count(),
    )


def test_anyone_signs_up_without_login_and_lands_logged_in_on_their_own_page(client, chain):
    response = client.post(reverse("volunteering:signup"), form_data())
    assert response.status_code == 302 and response.url == reverse("volunteering:me")
    volunteer = Volunteer.objects.get()
    assert volunteer.email == "nora.berg@example.no"
    assert volunteer.municipality.number == "5503"
    assert [m.number for m in volunteer.travel_municipalities.all()] == ["5501"]
    assert volunteer.languages == ["nb", "ar"] and volunteer.has_refugee_background
    user = volunteer.user
    assert user.username == "nora.berg@example.no" and user.check_password(PASSWORD)
    assert not Membership.objects.filter(user=user).exists()  # no organisation has taken them on yet
    page = client.get(reverse("volunteering:me"))
    assert page.status_code == 200
    assert "Nora Berg" in page.content.decode()
    entry = AuditEntry.objects.get(object_id=str(volunteer.pk), action="create")
    assert entry.person_id is None
    assert "nora.berg@example.no" not in str(entry.changes) + entry.summary
    assert "+47 900 00 000" not in str(entry.changes)


def test_a_sign_up_naming_an_organisation_starts_onboarding_and_the_volunteer_role_there(client, chain):
    response = client.post(
        reverse("volunteering:signup"), form_data(organisation=str(chain.volunteer_org.pk))
    )
    assert response.status_code == 302
    volunteer = Volunteer.objects.get()
    assert Onboarding.objects.filter(volunteer=volunteer, organisation=chain.volunteer_org).exists()
    assert Membership.objects.filter(
        user=volunteer.user, organisation=chain.volunteer_org, role=Role.VOLUNTEER
    ).exists()


def test_right_to_left_names_are_accepted_and_shown(client, chain):
    client.post(reverse("volunteering:signup"), form_data(given_name="فاطمة", family_name="الحسن"))
    volunteer = Volunteer.objects.get()
    assert volunteer.given_name == "فاطمة"
    assert "فاطمة" in client.get(reverse("volunteering:me")).content.decode()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"municipality": "9999"}, "municipality", UNKNOWN),
        ({"municipality": "Atlantis"}, "municipality", UNKNOWN),
        ({"travel_municipalities": "5503, 9998"}, "travel_municipalities", UNKNOWN),
        ({"given_name": "  "}, "given_name", ""),
        ({"languages": []}, "languages", ""),
        ({"availability": []}, "availability", ""),
        ({"available_until": str(days_ago(1))}, "available_until", ERRORS["date_in_past"]),
        ({"birth_year": "1800"}, "birth_year", ""),
        ({"password1": "short", "password2": "short"}, "password1", ""),
        ({"password2": "something-else-entirely"}, "password2", ""),
    ],
)
def test_bad_input_is_refused_with_a_message_and_changes_nothing(client, chain, overrides, field, message):
    before = _counts()
    response = client.post(reverse("volunteering:signup"), form_data(**overrides))
    assert response.status_code == 200
    form = response.context["form"]
    assert field in form.errors, form.errors
    if message:
        assert nb(message) in response.content.decode()
    assert _counts() == before


def test_a_duplicate_email_is_refused_whatever_its_case_and_nothing_is_saved(client, chain, make_volunteer):
    make_volunteer(email="nora.berg@example.no")
    before = _counts()
    response = client.post(reverse("volunteering:signup"), form_data(email="Nora.Berg@Example.NO"))
    assert "email" in response.context["form"].errors
    assert nb(ERRORS["email_taken"]) in response.content.decode()
    assert _counts() == before


def test_the_sign_up_page_is_bokmal_by_default_and_english_after_the_switch(client, chain):
    page = client.get(reverse("volunteering:signup")).content.decode()
    assert 'lang="nb"' in page and "Hopp til hovedinnhold" in page and "csrfmiddlewaretoken" in page
    assert nb(gettext_lazy("Become a volunteer")) in page
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("volunteering:signup")).content.decode()
    assert 'lang="en"' in page and "Become a volunteer" in page
    response = client.post(reverse("volunteering:signup"), form_data(municipality="9999"))
    assert "We do not know that municipality" in response.content.decode()


def test_the_public_footer_links_to_the_sign_up(client, chain):
    page = client.get(reverse("housing:overview")).content.decode()
    assert reverse("volunteering:signup") in page


def test_a_volunteer_changes_their_own_details_but_not_to_a_taken_email(client, chain, make_volunteer):
    client.post(reverse("volunteering:signup"), form_data())
    volunteer = Volunteer.objects.get()
    make_volunteer(email="taken@example.no")
    data = form_data(email="taken@example.no", phone="123")
    data.pop("password1"), data.pop("password2"), data.pop("organisation")
    response = client.post(reverse("volunteering:me_edit"), data)
    assert "email" in response.context["form"].errors
    volunteer.refresh_from_db()
    assert volunteer.phone == "+47 900 00 000"
    data["email"] = "nora@example.no"
    response = client.post(reverse("volunteering:me_edit"), data)
    assert response.status_code == 302
    volunteer.refresh_from_db()
    volunteer.user.refresh_from_db()
    assert volunteer.phone == "123" and volunteer.user.username == "nora@example.no"


def test_the_own_page_needs_a_sign_up(client, users):
    client.force_login(users[Role.MUNICIPAL_SETTLEMENT_OFFICER])
    assert client.get(reverse("volunteering:me")).status_code == 404


def test_a_volunteer_accepts_an_offered_need_and_cannot_answer_anothers(client, chain, make_volunteer, users):
    client.post(reverse("volunteering:signup"), form_data())
    volunteer = Volunteer.objects.get(email="nora.berg@example.no")
    need = Need.objects.create(
        organisation=chain.harstad,
        title="Leksehjelp for 8 elever",
        kind="homework_help",
        municipality=chain.harstad.municipality,
        published_on=days_ago(2),
    )
    mine = NeedAssignment.objects.create(need=need, volunteer=volunteer)
    other = NeedAssignment.objects.create(need=need, volunteer=make_volunteer())
    page = client.get(reverse("volunteering:me")).content.decode()
    assert "Leksehjelp for 8 elever" in page
    client.post(reverse("volunteering:answer_offer", args=[mine.pk]), {"answer": "accept"})
    mine.refresh_from_db()
    assert mine.status == "accepted"
    assert (
        client.post(reverse("volunteering:answer_offer", args=[other.pk]), {"answer": "accept"}).status_code
        == 404
    )
    other.refresh_from_db()
    assert other.status == "offered"
    client.post(reverse("volunteering:answer_offer", args=[mine.pk]), {"answer": "decline"})
    mine.refresh_from_db()
    assert mine.status == "accepted"  # answered once; a second answer changes nothing


@pytest.mark.browser
def test_the_public_sign_up_passes_axe_in_bokmal_and_english_also_with_errors(
    reference_data,  # noqa: F811 - the imported fixture
    live_server,
    new_context,  # noqa: F811 - the imported fixture
    chain,
    report_line,
):
    from tests.settlement.housing.test_browser_overview import _violations

    page = new_context().new_page()
    response = page.goto(reverse("volunteering:signup"))
    assert response.status == 200 and "/login/" not in page.url
    assert page.locator("html").get_attribute("lang") == "nb"
    violations = _violations(page)
    page.fill("#id_given_name", "فاطمة")
    page.fill("#id_municipality", "9999")
    with page.expect_navigation():
        page.click("main form[method=post] button[type=submit]")
    assert page.locator("[data-testid=error-summary]").count() == 1
    violations += _violations(page)
    with page.expect_navigation():
        page.click("header button[name=language][value=en]")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", name="Become a volunteer").count() == 1
    violations += _violations(page)
    assert not Volunteer.objects.exists()
    report_line("axe: public volunteer sign-up checked in bokmål and English, also with errors (6 checks)")
    assert not violations, "\n".join(violations)
