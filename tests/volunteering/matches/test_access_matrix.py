"""Who sees and does what with matches: every matches page and endpoint × every role, a second volunteer,
a coordinator of another organisation and an anonymous visitor.

The expectations come from the rules in bro/volunteering/matches/permissions.py, written out here by hand:
the match's own volunteer, the coordinators of its organisation (Harstad frivilligsentral) and caseworkers who
may read the person (Harstad's settlement officer and programme adviser, responsible now and so writing;
Harstad mottak's staff and the directorate's settlement officer, responsible before — in reception and while
ready for settlement — and so reading only) see it; nobody else. Acceptance 4 of issue 6:
a volunteer sees exactly the consented fields of the refugee.
"""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from bro.core.roles import Role
from bro.volunteering.matches import services
from bro.volunteering.matches.models import CheckIn
from bro.volunteering.models import Onboarding
from tests.conftest import days_ago, make_user

pytestmark = pytest.mark.django_db

R = Role
OWN = "own volunteer"
OTHER_VOLUNTEER = "second volunteer"
COORDINATOR_ELSEWHERE = "coordinator elsewhere"
ANONYMOUS = "anonymous"
VIEWERS = [*Role.values, OTHER_VOLUNTEER, COORDINATOR_ELSEWHERE, ANONYMOUS]

COORDINATOR = {R.VOLUNTEER_COORDINATOR}
CASEWORKERS_WRITE = {R.MUNICIPAL_SETTLEMENT_OFFICER, R.PROGRAMME_ADVISER}
CASEWORKERS_READ = CASEWORKERS_WRITE | {R.RECEPTION_STAFF, R.NATIONAL_SETTLEMENT_OFFICER}
OWN_VOLUNTEER = {R.VOLUNTEER}
SEE_MATCH = OWN_VOLUNTEER | COORDINATOR | CASEWORKERS_READ
# Who may open the list at all: volunteers with a sign-up, coordinators, roles that read case files.
LIST_OPENERS = SEE_MATCH | {
    OTHER_VOLUNTEER,
    COORDINATOR_ELSEWHERE,
    R.TEACHER,
    R.HEALTH_NURSE,
}

# endpoint → (state the match is put in, HTTP method, who may, the status of a success)
ENDPOINTS = {
    "match_list": ("active", "get", LIST_OPENERS, 200),
    "match_detail": ("active", "get", SEE_MATCH, 200),
    "match_request": ("none", "get", CASEWORKERS_WRITE, 200),
    "match_request_post": ("none", "post", CASEWORKERS_WRITE, 302),
    "match_consent": ("requested", "post", CASEWORKERS_WRITE, 302),
    "match_withdraw": ("consented", "post", CASEWORKERS_WRITE, 302),
    "match_assign": ("requested", "post", COORDINATOR, 302),
    "match_start": ("proposed", "post", COORDINATOR, 302),
    "match_check_in": ("active", "post", OWN_VOLUNTEER, 302),
    "match_end": ("active", "post", COORDINATOR, 302),
    "match_volunteer_feedback": ("active", "post", OWN_VOLUNTEER, 302),
    "match_refugee_feedback": ("active", "post", COORDINATOR | CASEWORKERS_WRITE, 302),
}


@pytest.fixture
def viewers(chain, users, make_volunteer):
    found = dict(users)
    other = make_user("volunteer2", chain.volunteer_org, R.VOLUNTEER)
    make_volunteer(user=other, given_name="Ola")
    found[OTHER_VOLUNTEER] = other
    found[COORDINATOR_ELSEWHERE] = make_user("coordinator2", chain.volunteer_org, R.VOLUNTEER_COORDINATOR)
    found[ANONYMOUS] = None
    return found


def _match_in(state, family, volunteer, make_match, caseworker, coordinator):
    if state == "none":
        return None
    Onboarding.objects.filter(volunteer=volunteer).update(police_certificate_on=days_ago(30))
    match = make_match(family)
    if state == "requested":
        return match
    services.record_consent(caseworker, match, given_on=days_ago(20))
    if state == "consented":
        return match
    services.assign_volunteer(coordinator, match, volunteer)
    if state == "proposed":
        return match
    services.start_match(coordinator, match, starts_on=days_ago(10))
    return match


def _request(client, endpoint, method, family, match, volunteer, chain):
    today = days_ago(0).isoformat()
    if endpoint == "match_list":
        return client.get(reverse("matches:match_list"))
    if endpoint.startswith("match_request"):
        url = reverse("matches:match_request", args=[family.pk])
        if method == "get":
            return client.get(url)
        return client.post(
            url,
            {
                "organisation": chain.volunteer_centre.pk,
                "kind": "refugee_guide",
                "need": "Show the way to the library",
                "agreed_months": 6,
            },
        )
    url = reverse(f"matches:{endpoint}", args=[match.pk])
    data = {
        "match_consent": {"given_on": today},
        "match_withdraw": {},
        "match_assign": {"volunteer": volunteer.pk},
        "match_start": {"starts_on": today},
        "match_check_in": {"day": today, "hours": "2"},
        "match_end": {"ends_on": today},
        "match_volunteer_feedback": {"volunteer-feedback": "Good"},
        "match_refugee_feedback": {"refugee-feedback": "Good"},
    }.get(endpoint)
    return client.get(url) if method == "get" else client.post(url, data)


@pytest.mark.parametrize("viewer", VIEWERS)
@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_every_matches_endpoint_for_every_viewer(
    endpoint,
    viewer,
    client,
    chain,
    viewers,
    family,
    volunteer,
    make_match,
    caseworker,
    coordinator,
    report_line,
):
    state, method, allowed, success = ENDPOINTS[endpoint]
    match = _match_in(state, family, volunteer, make_match, caseworker, coordinator)
    user = viewers[viewer]
    if user is not None:
        client.force_login(user)
    response = _request(client, endpoint, method, family, match, volunteer, chain)
    if user is None:
        assert response.status_code == 302 and "/login" in response["Location"]
    elif viewer in allowed:
        assert response.status_code == success, response.content.decode()[:2000]
    else:
        assert response.status_code == 403
    if endpoint == "match_list" and viewer in allowed:
        detail = reverse("matches:match_detail", args=[match.pk])
        assert (detail in response.content.decode()) == (viewer in SEE_MATCH)


def test_matrix_covers_every_matches_url():
    from bro.volunteering.matches.urls import urlpatterns

    names = {p.name for p in urlpatterns}
    assert names == {e.removesuffix("_post") for e in ENDPOINTS}


NOT_SHARED = ("Haddad", "1990-05-17", "17.05.1990", "Storgata", "+4799999999", "amina@example.no")


@pytest.mark.parametrize("viewer", [R.VOLUNTEER, R.VOLUNTEER_COORDINATOR])
def test_volunteer_and_coordinator_see_first_name_languages_and_need_only(
    viewer, client, users, family, volunteer, make_match, caseworker, coordinator
):
    match = _match_in("active", family, volunteer, make_match, caseworker, coordinator)
    client.force_login(users[viewer])
    for url in (reverse("matches:match_detail", args=[match.pk]), reverse("matches:match_list")):
        page = client.get(url).content.decode()
        assert "Amina" in page
        for secret in NOT_SHARED:
            assert secret not in page, secret
    page = client.get(reverse("matches:match_detail", args=[match.pk])).content.decode()
    assert "<dd>ar</dd>" in page and "show the town" in page


def test_phone_is_shown_only_when_ticked_and_withdrawal_hides_everything(
    client, users, family, volunteer, make_match, caseworker, coordinator
):
    match = _match_in("active", family, volunteer, make_match, caseworker, coordinator)
    services.withdraw_consent(caseworker, match)
    services.record_consent(caseworker, match, given_on=days_ago(1), extra_fields=["phone"])
    client.force_login(users[R.VOLUNTEER])
    url = reverse("matches:match_detail", args=[match.pk])
    page = client.get(url).content.decode()
    assert "+4799999999" in page and "amina@example.no" not in page and "Haddad" not in page

    services.withdraw_consent(caseworker, match)
    page = client.get(url).content.decode()
    assert "Amina" not in page and "+4799999999" not in page and "show the town" not in page
    assert "awaiting-consent" in page
    listing = client.get(reverse("matches:match_list")).content.decode()
    assert "Amina" not in listing


def test_caseworker_sees_the_match_from_the_persons_page(client, settings, users, family, make_match):
    if (
        "bro.volunteering.matches.links" not in settings.BRO_PERSON_LINK_MODULES
    ):  # until the lead registers it
        settings.BRO_PERSON_LINK_MODULES = [
            *settings.BRO_PERSON_LINK_MODULES,
            "bro.volunteering.matches.links",
        ]
    match = make_match(family)
    client.force_login(users[R.PROGRAMME_ADVISER])
    page = client.get(reverse("people:person_detail", args=[family.pk])).content.decode()
    assert reverse("matches:match_detail", args=[match.pk]) in page
    assert reverse("matches:match_request", args=[family.pk]) in page


# --- the API (/api/volunteering/matches): the same rules; a match the user may not see answers 404 -----

# (method, path template) → (state, who may, the status of a success, the status of a refusal; None: 403 to
# those who see the match, 404 to the others)
API_ENDPOINTS = {
    ("GET", "/matches"): ("active", LIST_OPENERS, 200, 403),
    ("GET", "/matches/{match_id}"): ("active", SEE_MATCH, 200, 404),
    ("POST", "/matches/{match_id}/check-ins"): ("active", OWN_VOLUNTEER, 201, None),
}
API_BODIES = {"/matches/{match_id}/check-ins": {"day": days_ago(0).isoformat(), "hours": "2", "note": "Kino"}}


def _api_url(path: str, match) -> str:
    return "/api/volunteering" + path.replace("{match_id}", str(match.pk))


@pytest.mark.parametrize("viewer", VIEWERS)
@pytest.mark.parametrize("operation", API_ENDPOINTS, ids=lambda op: f"{op[0]} {op[1]}")
def test_every_matches_api_operation_for_every_viewer(
    operation, viewer, client, viewers, family, volunteer, make_match, caseworker, coordinator
):
    state, allowed, success, refused = API_ENDPOINTS[operation]
    match = _match_in(state, family, volunteer, make_match, caseworker, coordinator)
    user = viewers[viewer]
    if user is not None:
        client.force_login(user)
    body = API_BODIES.get(operation[1])
    before = CheckIn.objects.count()
    url = _api_url(operation[1], match)
    if body is None:
        response = client.generic(operation[0], url)
    else:
        response = client.post(url, json.dumps(body), content_type="application/json")
    if refused is None:
        refused = 403 if viewer in SEE_MATCH else 404
    expected = 401 if user is None else success if viewer in allowed else refused
    assert CheckIn.objects.count() == before + (expected == 201)
    assert response.status_code == expected, response.content.decode()[:2000]
    if response.status_code == 200:
        text = response.content.decode()
        assert (str(match.pk) in text) == (viewer in SEE_MATCH)
        for secret in NOT_SHARED if viewer not in CASEWORKERS_READ else ():
            assert secret not in text, secret


def test_matrix_covers_every_matches_api_operation():
    from bro.api import api

    operations = {
        (method.upper(), path.removeprefix("/api/volunteering"))
        for path, found in api.get_openapi_schema()["paths"].items()
        if path.startswith("/api/volunteering/matches")
        for method in found
    }
    assert operations == set(API_ENDPOINTS)


def test_through_the_api_the_volunteer_sees_only_what_was_consented_and_nothing_after_withdrawal(
    client, users, family, volunteer, make_match, caseworker, coordinator
):
    match = _match_in("active", family, volunteer, make_match, caseworker, coordinator)
    client.force_login(users[R.VOLUNTEER])
    url = _api_url("/matches/{match_id}", match)
    person = client.get(url).json()["person"]
    assert person["given_name"] == "Amina" and person["languages"] == ["ar"]
    assert person["family_name"] == "" and person["phone"] == "" and person["email"] == ""
    assert sorted(person["fields"]) == ["given_name", "languages", "need"]

    services.withdraw_consent(caseworker, match)
    person = client.get(url).json()["person"]
    assert person["awaiting_consent"] and person["given_name"] == "" and person["languages"] == []
    assert [row["person"]["given_name"] for row in client.get("/api/volunteering/matches").json()] == [""]


def test_a_check_in_through_the_api_outside_the_match_or_after_withdrawal_is_refused_and_saves_nothing(
    client, users, family, volunteer, make_match, caseworker, coordinator
):
    match = _match_in("active", family, volunteer, make_match, caseworker, coordinator)
    client.force_login(users[R.VOLUNTEER])
    url = _api_url("/matches/{match_id}/check-ins", match)

    def post(body):
        return client.post(url, json.dumps(body), content_type="application/json")

    before_start = post({"day": days_ago(30).isoformat(), "hours": "2"})
    assert before_start.status_code == 422 and before_start.json()["detail"][0]["field"] == "day"
    assert post({"day": days_ago(1).isoformat(), "hours": "0"}).status_code == 422
    services.withdraw_consent(caseworker, match)
    assert post({"day": days_ago(1).isoformat(), "hours": "2"}).status_code == 422
    assert not CheckIn.objects.filter(match=match).exists()
