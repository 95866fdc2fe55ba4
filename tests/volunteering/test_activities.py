"""Activities: coordinators record and update their organisation's activities; who sees them."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from bro.core.models import AuditEntry
from bro.core.municipalities import municipality_by_number
from bro.core.roles import Role
from bro.people.services import Actor
from bro.volunteering import rules
from bro.volunteering.models import Activity
from bro.volunteering.services import needs as services
from tests.conftest import days_ago


def record(user, organisation, **overrides):
    values = {
        "name": "Leksehjelp på biblioteket",
        "kind": "homework_help",
        "phase": "settled",
        "target_sex": "any",
        "target_age_min": 6,
        "target_age_max": 16,
        "languages": ["ar", "so"],
        "municipality": municipality_by_number("5503"),
        "place": "Harstad bibliotek",
        "schedule": "Tirsdager 17–19",
        "starts_on": days_ago(10),
        "involves_children": True,
        "needs_training": True,
    }
    values.update(overrides)
    return services.record_activity(Actor(user), organisation, **values)


@pytest.fixture
def activity(chain, users):
    return record(users[Role.VOLUNTEER_COORDINATOR], chain.volunteer_centre, partners=[chain.volunteer_org])


def test_a_coordinator_records_an_activity_whose_requirements_drive_onboarding(activity, chain):
    assert activity.organisation == chain.volunteer_centre
    assert list(activity.partners.all()) == [chain.volunteer_org]
    requirements = rules.Requirements(
        information_meeting=activity.needs_information_meeting,
        training=activity.needs_training,
        involves_children=activity.involves_children,
        commitment=activity.needs_commitment,
    )
    assert requirements.steps() == (rules.TRAINING, rules.POLICE_CERTIFICATE)
    assert AuditEntry.objects.filter(object_id=str(activity.id), action="create").exists()


def test_only_the_organisations_coordinators_record_activities(chain, users):
    for role, organisation in (
        (Role.VOLUNTEER, chain.volunteer_org),
        (Role.MUNICIPAL_SETTLEMENT_OFFICER, chain.volunteer_centre),
        (Role.VOLUNTEER_COORDINATOR, chain.volunteer_org),
    ):
        with pytest.raises(PermissionDenied):
            record(users[role], organisation)
    assert not Activity.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"target_age_min": 18, "target_age_max": 10}, "target_age_min"),
        ({"target_age_max": 150}, "target_age_max"),
        ({"ends_on": datetime.date(2000, 1, 1)}, "ends_on"),
        ({"kind": "knitting"}, "kind"),
        ({"target_sex": "both"}, "target_sex"),
    ],
)
def test_bad_activity_input_is_refused_and_nothing_saved(chain, users, overrides, field):
    with pytest.raises(ValidationError) as raised:
        record(users[Role.VOLUNTEER_COORDINATOR], chain.volunteer_centre, **overrides)
    assert field in raised.value.error_dict
    assert not Activity.objects.exists()


def test_a_reception_centre_must_be_a_centre_and_the_organiser_not_its_own_partner(chain, users):
    with pytest.raises(ValidationError) as raised:
        record(
            users[Role.VOLUNTEER_COORDINATOR],
            chain.volunteer_centre,
            reception_centre=chain.harstad,
            partners=[chain.volunteer_centre],
        )
    assert set(raised.value.error_dict) == {"reception_centre", "partners"}


def test_hours_and_participants_are_updated_over_time_and_hours_never_go_down(activity, users):
    actor = Actor(users[Role.VOLUNTEER_COORDINATOR])
    services.record_activity_progress(
        actor, activity, participants_reached=8, volunteer_hours=Decimal("12.5")
    )
    services.record_activity_progress(actor, activity, participants_reached=11, volunteer_hours=Decimal("20"))
    activity.refresh_from_db()
    assert (activity.participants_reached, activity.volunteer_hours) == (11, Decimal("20.0"))
    with pytest.raises(ValidationError) as raised:
        services.record_activity_progress(
            actor, activity, participants_reached=11, volunteer_hours=Decimal("5")
        )
    assert raised.value.error_dict["volunteer_hours"][0].code == "hours_went_down"
    activity.refresh_from_db()
    assert activity.volunteer_hours == Decimal("20.0")


def test_update_changes_the_description_and_logs_old_and_new(activity, users):
    services.update_activity(Actor(users[Role.VOLUNTEER_COORDINATOR]), activity, schedule="Onsdager 17–19")
    activity.refresh_from_db()
    assert activity.schedule == "Onsdager 17–19"
    entry = AuditEntry.objects.get(object_id=str(activity.id), action="update")
    assert entry.changes["schedule"] == ["Tirsdager 17–19", "Onsdager 17–19"]


def test_the_activity_pages_for_coordinator_municipality_and_volunteer(
    client, chain, users, activity, make_volunteer
):
    client.force_login(users[Role.VOLUNTEER_COORDINATOR])
    assert activity.name in client.get("/volunteering/activities/").content.decode()
    page = client.get(f"/volunteering/activities/{activity.id}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Update participants and hours" in page
    response = client.post(
        f"/volunteering/activities/{activity.id}/progress/",
        {"participants_reached": 4, "volunteer_hours": "6.5"},
    )
    assert response.status_code == 302
    bad = client.post(
        f"/volunteering/activities/{activity.id}/progress/",
        {"participants_reached": 4, "volunteer_hours": "1"},
    )
    assert bad.status_code == 400

    client.force_login(users[Role.MUNICIPAL_SETTLEMENT_OFFICER])  # Harstad's overview covers it, read-only
    page = client.get(f"/volunteering/activities/{activity.id}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert activity.name in page and "Update participants and hours" not in page
    assert client.get(f"/volunteering/activities/{activity.id}/edit/").status_code == 403

    volunteer_user = users[Role.VOLUNTEER]
    client.force_login(volunteer_user)
    assert client.get(f"/volunteering/activities/{activity.id}/").status_code == 403
    activity.volunteers.add(make_volunteer(user=volunteer_user))
    assert client.get(f"/volunteering/activities/{activity.id}/").status_code == 200


def test_the_activity_form_records_and_shows_errors(client, chain, users):
    client.force_login(users[Role.VOLUNTEER_COORDINATOR])
    data = {
        "organisation": chain.volunteer_centre.pk,
        "name": "Turgruppe for menn",
        "kind": "outdoor",
        "phase": "programme",
        "target_sex": "men",
        "target_age_min": 30,
        "target_age_max": 20,
        "municipality": municipality_by_number("5503").pk,
        "starts_on": days_ago(1).isoformat(),
        "languages": ["ti"],
    }
    bad = client.post("/volunteering/activities/new/", data, HTTP_ACCEPT_LANGUAGE="en")
    assert bad.status_code == 400 and "The youngest age cannot be above the oldest." in bad.content.decode()
    assert not Activity.objects.exists()
    data["target_age_max"] = 60
    assert client.post("/volunteering/activities/new/", data).status_code == 302
    saved = Activity.objects.get()
    assert (saved.target_sex, saved.languages) == ("men", ["ti"])
