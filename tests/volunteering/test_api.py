"""The volunteering API (/api/volunteering/) through the same selectors and permissions as the pages: public
needs without login, the overview's overlap and gaps, a scheme's eligibility with reasons (acceptance 3 of
issue 6), reads that are logged, and input the spec refuses (422) without a trace in the data."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.test import Client

from bro.core.models import AuditAction, AuditEntry
from bro.core.municipalities import municipality_by_number
from bro.core.roles import Role
from bro.people.services import Actor
from bro.volunteering.grants import services as grant_services
from bro.volunteering.models import Activity, Need, NeedResponse
from bro.volunteering.services import needs as need_services
from bro.volunteering.services import volunteers as volunteer_services
from tests.conftest import days_ago
from tests.volunteering.grants.test_grants import years_ago

pytestmark = pytest.mark.django_db

API = "/api/volunteering"


@pytest.fixture
def needs(chain, users):
    officer = Actor(users[Role.MUNICIPAL_SETTLEMENT_OFFICER])
    harstad = municipality_by_number("5503")
    shown = need_services.publish_need(
        officer,
        chain.harstad,
        title="Leksehjelp for 8 elever",
        description="",
        kind="homework_help",
        municipality=harstad,
    )
    hidden = need_services.publish_need(
        officer,
        chain.harstad,
        title="Drivers for partners only",
        description="",
        kind="transport",
        municipality=harstad,
        is_public=False,
    )
    closed = need_services.publish_need(
        officer,
        chain.harstad,
        title="Closed guide need",
        description="",
        kind="refugee_guide",
        municipality=harstad,
    )
    Need.objects.filter(pk=closed.pk).update(status=Need.Status.CLOSED)
    return shown, hidden, closed


def test_open_public_needs_are_read_without_login_and_nothing_else_is(needs):
    shown, _hidden, _closed = needs
    anonymous = Client()
    response = anonymous.get(f"{API}/public/needs")
    assert response.status_code == 200
    assert [n["id"] for n in response.json()] == [str(shown.pk)]
    assert "organisation" not in response.json()[0]  # who published is for staff
    assert anonymous.get(f"{API}/needs").status_code == 401
    assert anonymous.get(f"{API}/overview").status_code == 401


def test_public_needs_filter_by_kind_and_refuse_an_unknown_kind_with_422(needs):
    anonymous = Client()
    assert anonymous.get(f"{API}/public/needs", {"kind": "transport"}).json() == []
    assert len(anonymous.get(f"{API}/public/needs", {"kind": "homework_help"}).json()) == 1
    refused = anonymous.get(f"{API}/public/needs", {"kind": "flying"})
    assert refused.status_code == 422
    assert [e["field"] for e in refused.json()["detail"]] == ["kind"]


def test_staff_see_every_need_with_answers_and_whether_they_may_change_it(client, users, chain, needs):
    shown, hidden, _closed = needs
    need_services.answer_need(
        Actor(users[Role.VOLUNTEER_COORDINATOR]), shown, chain.volunteer_centre, message="To på tirsdager"
    )
    client.force_login(users[Role.MUNICIPAL_SETTLEMENT_OFFICER])
    listed = client.get(f"{API}/needs", {"status": "open"}).json()
    assert {n["id"] for n in listed} == {str(shown.pk), str(hidden.pk)}
    detail = client.get(f"{API}/needs/{shown.pk}").json()
    assert detail["can_manage"] is True and detail["answer_count"] == 1
    assert [a["organisation_id"] for a in detail["answers"]] == [str(chain.volunteer_centre.pk)]
    client.force_login(users[Role.VOLUNTEER_COORDINATOR])
    assert client.get(f"{API}/needs/{shown.pk}").json()["can_manage"] is False
    client.force_login(users[Role.VOLUNTEER])
    assert client.get(f"{API}/needs/{shown.pk}").status_code == 403


def _activity(org, name, kind="language_cafe", sex="any", hours="0"):
    return Activity.objects.create(
        organisation=org,
        name=name,
        kind=kind,
        target_sex=sex,
        phase="settled",
        municipality=municipality_by_number("5503"),
        starts_on=days_ago(30),
        volunteer_hours=Decimal(hours),
    )


def test_the_overview_shows_the_overlap_the_gaps_and_hours_by_organisation_and_is_logged(
    client, users, chain
):
    cafe = _activity(chain.volunteer_centre, "Språkkafé på biblioteket", hours="40")
    other_cafe = _activity(chain.volunteer_org, "Røde Kors språkkafé", hours="25.5")
    _activity(chain.volunteer_org, "Kvinnegruppe", kind="womens_group", sex="women")
    client.force_login(users[Role.MUNICIPAL_SETTLEMENT_OFFICER])
    before = AuditEntry.objects.filter(action=AuditAction.LIST, object_type="volunteering.overview").count()
    response = client.get(f"{API}/overview")
    assert response.status_code == 200
    body = response.json()
    (overlap,) = body["overlaps"]
    assert set(overlap["activity_ids"]) == {str(cafe.pk), str(other_cafe.pk)}
    assert overlap["kind"] == "language_cafe"
    assert str(chain.centre_harstad.pk) in [c["id"] for c in body["centres_without_activity"]]
    (harstad,) = body["gaps"]
    assert harstad["few_work_oriented"] is True
    hours = {h["organisation"]: Decimal(str(h["volunteer_hours"])) for h in body["hours_by_organisation"]}
    assert hours[chain.volunteer_centre.name] == Decimal("40")
    assert hours[chain.volunteer_org.name] == Decimal("25.5")
    after = AuditEntry.objects.filter(action=AuditAction.LIST, object_type="volunteering.overview").count()
    assert after == before + 1


def test_a_volunteer_gets_no_overview_and_only_their_own_activities(client, users, chain, make_volunteer):
    volunteer = make_volunteer(user=users[Role.VOLUNTEER])
    own = _activity(chain.volunteer_org, "Turgruppe")
    own.volunteers.add(volunteer)
    other = _activity(chain.volunteer_centre, "Leksehjelp")
    client.force_login(users[Role.VOLUNTEER])
    assert client.get(f"{API}/overview").status_code == 403
    assert [a["id"] for a in client.get(f"{API}/activities").json()] == [str(own.pk)]
    assert client.get(f"{API}/activities/{own.pk}").status_code == 200
    assert client.get(f"{API}/activities/{other.pk}").status_code == 404


def test_acceptance_3_through_the_api_an_organisation_a_year_old_is_ineligible_for_a_two_year_scheme(
    client, users, chain
):
    scheme = grant_services.save_scheme(
        Actor(users[Role.ADMINISTRATOR]),
        chain.directorate,
        name="Tilskudd til innvandrerorganisasjoner",
        yearly_budget=Decimal("2000000"),
        minimum_age_years=2,
        rolling=True,
    )
    coordinator = users[Role.VOLUNTEER_COORDINATOR]
    grant_services.save_profile(
        Actor(coordinator),
        chain.volunteer_centre,
        kind="volunteer_centre",
        organisation_number="974760673",
        founded_on=years_ago(1),
        paying_members=40,
    )
    client.force_login(coordinator)
    assert str(scheme.pk) in [s["id"] for s in client.get(f"{API}/grants/schemes").json()]
    detail = client.get(f"{API}/grants/schemes/{scheme.pk}", HTTP_ACCEPT_LANGUAGE="en").json()
    assert detail["minimum_age_years"] == 2
    (own,) = [e for e in detail["eligibility"] if e["organisation_id"] == str(chain.volunteer_centre.pk)]
    assert own["eligible"] is False
    failed = [c for c in own["checks"] if not c["passed"]]
    assert [c["rule"] for c in failed] == ["organisation_age"]
    assert failed[0]["reason"].endswith("1 year old; the scheme requires 2 years.")
    client.force_login(users[Role.VOLUNTEER])
    assert client.get(f"{API}/grants/schemes/{scheme.pk}").status_code == 404


def test_an_unknown_or_malformed_id_answers_404_or_422_and_changes_nothing(client, users):
    client.force_login(users[Role.MUNICIPAL_SETTLEMENT_OFFICER])
    before = AuditEntry.objects.exclude(action__in=[AuditAction.READ, AuditAction.LIST]).count()
    for path in ("needs", "activities", "matches", "grants/schemes"):
        assert client.get(f"{API}/{path}/00000000-0000-0000-0000-000000000000").status_code == 404
        assert client.get(f"{API}/{path}/not-a-uuid").status_code == 422
    assert AuditEntry.objects.exclude(action__in=[AuditAction.READ, AuditAction.LIST]).count() == before


def _post(client, url, body, **extra):
    return client.post(url, json.dumps(body), content_type="application/json", **extra)


def test_the_publisher_closes_a_need_and_an_unknown_status_changes_nothing(client, users, needs):
    shown, _hidden, _closed = needs
    client.force_login(users[Role.MUNICIPAL_SETTLEMENT_OFFICER])
    refused = _post(client, f"{API}/needs/{shown.pk}/status", {"status": "gone"})
    assert refused.status_code == 422 and [e["field"] for e in refused.json()["detail"]] == ["status"]
    assert Need.objects.get(pk=shown.pk).status == Need.Status.OPEN
    closed = _post(client, f"{API}/needs/{shown.pk}/status", {"status": "closed"})
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    assert Need.objects.get(pk=shown.pk).status == Need.Status.CLOSED
    assert AuditEntry.objects.filter(object_id=str(shown.pk), action=AuditAction.UPDATE).exists()


def test_an_answer_with_a_phone_number_or_for_someone_elses_organisation_is_refused_and_saves_nothing(
    client, users, chain, needs
):
    shown, _hidden, closed = needs
    client.force_login(users[Role.VOLUNTEER_COORDINATOR])
    url = f"{API}/needs/{shown.pk}/answers"
    own = str(chain.volunteer_centre.pk)
    cases = [
        ({"organisation_id": own, "message": "Ring 912 34 567"}, "message", "Remove the phone number"),
        ({"organisation_id": str(chain.volunteer_org.pk), "message": "Vi kan"}, "organisation_id", "Choose"),
    ]
    for body, field, wording in cases:
        refused = _post(client, url, body, HTTP_ACCEPT_LANGUAGE="en")
        assert refused.status_code == 422, refused.content
        (error,) = refused.json()["detail"]
        assert error["field"] == field and error["message"].startswith(wording)
    not_open = _post(
        client, f"{API}/needs/{closed.pk}/answers", {"organisation_id": own, "message": "Vi kan"}
    )
    assert not_open.status_code == 422
    assert not NeedResponse.objects.exists()
    answered = _post(client, url, {"organisation_id": own, "message": "To på tirsdager"})
    assert answered.status_code == 201 and answered.json()["organisation_id"] == own
    assert NeedResponse.objects.get().message == "To på tirsdager"


def test_my_volunteering_shows_what_each_activity_still_needs_and_is_404_without_a_sign_up(
    client, users, chain, make_volunteer
):
    volunteer = make_volunteer(user=users[Role.VOLUNTEER], family_name="Haugland")
    coordinator = users[Role.VOLUNTEER_COORDINATOR]
    onboarding = volunteer_services.start_onboarding(coordinator, volunteer, chain.volunteer_centre)
    volunteer_services.record_onboarding_steps(
        coordinator, onboarding, information_meeting_on=days_ago(5), commitment_signed_on=days_ago(5)
    )
    adults = _activity(chain.volunteer_centre, "Språkkafé for voksne")
    children = _activity(chain.volunteer_centre, "Leksehjelp for barn")
    Activity.objects.filter(pk=children.pk).update(involves_children=True)
    client.force_login(users[Role.VOLUNTEER])
    me = client.get(f"{API}/me")
    assert me.status_code == 200
    assert me.json()["family_name"] == "Haugland"
    (centre,) = me.json()["onboardings"]
    missing = {a["id"]: a["missing_steps"] for a in centre["activities"]}
    assert missing == {str(adults.pk): [], str(children.pk): ["police_certificate"]}
    assert AuditEntry.objects.filter(object_id=str(volunteer.pk), action=AuditAction.READ).exists()
    client.force_login(coordinator)
    assert client.get(f"{API}/me").status_code == 404
