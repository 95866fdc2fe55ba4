"""Onboarding per organisation (003:L2309): a coordinator records dated steps; a volunteer starts at once on
activities that need none; an activity with children needs the police certificate; coordinators elsewhere
neither see nor record."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from bro.core.models import AuditEntry, Membership
from bro.core.roles import OrganisationKind, Role
from bro.volunteering.models import Activity, Onboarding
from bro.volunteering.services import volunteers as services
from tests.conftest import days_ago, make_org, make_user


@pytest.fixture
def coordinator(users):
    return users[Role.VOLUNTEER_COORDINATOR]  # Harstad frivilligsentral


@pytest.fixture
def tromso_coordinator(chain):
    org = make_org(OrganisationKind.VOLUNTEER_ORGANISATION, "Tromsø frivillige", "5501")
    return make_user("tromso-coordinator", org, Role.VOLUNTEER_COORDINATOR)


@pytest.fixture
def activities(chain):
    def make(name, **extra):
        return Activity.objects.create(
            organisation=chain.volunteer_centre,
            name=name,
            kind=extra.pop("kind", "language_cafe"),
            municipality=chain.volunteer_centre.municipality,
            starts_on=days_ago(100),
            **extra,
        )

    return {
        "cafe": make("Språkkafé"),
        "guide": make(
            "Flyktningguide", kind="refugee_guide", needs_information_meeting=True, needs_training=True
        ),
        "homework": make(
            "Leksehjelp", kind="homework_help", involves_children=True, needs_information_meeting=True
        ),
        "ended": make("Sommerleir", kind="outdoor", ends_on=days_ago(10)),
    }


def _by_name(rows):
    return {row.activity.name: row for row in rows}


def test_a_volunteer_starts_at_once_where_no_step_is_needed(chain, make_volunteer, activities):
    volunteer = make_volunteer(user=make_user("kari", chain.volunteer_org, Role.VOLUNTEER))
    rows = _by_name(services.activities_open_to(volunteer, chain.volunteer_centre, days_ago(0)))
    assert rows["Språkkafé"].can_start
    assert rows["Flyktningguide"].missing == ("information_meeting", "training")
    assert rows["Leksehjelp"].missing == ("information_meeting", "police_certificate")
    assert "Sommerleir" not in rows  # ended activities are not offered


def test_adult_activities_are_offered_but_not_one_with_children_until_the_certificate(
    client, chain, coordinator, make_volunteer, activities
):
    volunteer = make_volunteer()
    services.start_onboarding(coordinator, volunteer, chain.volunteer_centre)
    onboarding = Onboarding.objects.get(volunteer=volunteer)
    client.force_login(coordinator)
    url = reverse("volunteering:onboarding_steps", args=[volunteer.pk, chain.volunteer_centre.pk])
    prefix = f"steps-{chain.volunteer_centre.pk}"
    response = client.post(
        url,
        {
            f"{prefix}-information_meeting_on": str(days_ago(7)),
            f"{prefix}-training_on": str(days_ago(3)),
            f"{prefix}-commitment_signed_on": str(days_ago(3)),
        },
    )
    assert response.status_code == 302
    onboarding.refresh_from_db()
    assert onboarding.training_on == days_ago(3) and onboarding.police_certificate_on is None

    page = client.get(reverse("volunteering:volunteer_detail", args=[volunteer.pk])).content.decode()
    assert 'data-activity="Flyktningguide"' in page
    add = reverse("volunteering:activity_add", args=[volunteer.pk])
    assert client.post(add, {"activity": str(activities["guide"].pk)}).status_code == 302
    refused = client.post(add, {"activity": str(activities["homework"].pk)})
    assert refused.status_code == 400
    assert str(services.STEP_LABELS["police_certificate"]) in refused.content.decode()
    assert set(volunteer.activities.values_list("name", flat=True)) == {"Flyktningguide"}

    client.post(
        url,
        {
            f"{prefix}-police_certificate_on": str(days_ago(0)),
            **{
                f"{prefix}-information_meeting_on": str(days_ago(7)),
                f"{prefix}-training_on": str(days_ago(3)),
                f"{prefix}-commitment_signed_on": str(days_ago(3)),
            },
        },
    )
    assert client.post(add, {"activity": str(activities["homework"].pk)}).status_code == 302
    assert set(volunteer.activities.values_list("name", flat=True)) == {"Flyktningguide", "Leksehjelp"}


def test_the_volunteers_own_page_shows_can_start_now_or_the_missing_steps(
    client, chain, coordinator, make_volunteer, activities
):
    user = make_user("kari", chain.volunteer_org, Role.VOLUNTEER)
    volunteer = make_volunteer(user=user)
    services.start_onboarding(coordinator, volunteer, chain.volunteer_centre)
    client.force_login(user)
    page = client.get(reverse("volunteering:me")).content.decode()
    cafe = page.split('data-activity="Språkkafé"')[1].split("</tr>")[0]
    homework = page.split('data-activity="Leksehjelp"')[1].split("</tr>")[0]
    assert 'data-state="can-start"' in cafe
    assert 'data-state="missing"' in homework and str(services.STEP_LABELS["police_certificate"]) in homework


def test_a_future_step_date_is_refused_and_changes_nothing(chain, coordinator, make_volunteer):
    volunteer = make_volunteer()
    onboarding = services.start_onboarding(coordinator, volunteer, chain.volunteer_centre)
    with pytest.raises(ValidationError) as caught:
        services.record_onboarding_steps(coordinator, onboarding, training_on=days_ago(-1))
    assert "training_on" in caught.value.message_dict
    onboarding.refresh_from_db()
    assert onboarding.training_on is None


def test_starting_onboarding_in_a_volunteer_centre_gives_the_volunteer_role_there(
    chain, coordinator, make_volunteer
):
    volunteer = make_volunteer(user=make_user("kari", chain.volunteer_org, Role.VOLUNTEER))
    services.start_onboarding(coordinator, volunteer, chain.volunteer_centre)
    services.start_onboarding(coordinator, volunteer, chain.volunteer_centre)  # again: nothing new
    assert Onboarding.objects.filter(volunteer=volunteer).count() == 1
    assert Membership.objects.filter(
        user=volunteer.user, organisation=chain.volunteer_centre, role=Role.VOLUNTEER
    ).exists()
    assert AuditEntry.objects.filter(object_type="volunteering.onboarding", action="create").count() == 1


def test_the_coordinator_lists_volunteers_near_them_and_not_elsewhere(
    client, chain, coordinator, make_volunteer, harstad_municipality
):
    from bro.core.municipalities import municipality_by_number

    near = make_volunteer(given_name="Near")
    bodo = municipality_by_number("1804")
    travels = make_volunteer(given_name="Traveller", municipality=bodo)
    travels.travel_municipalities.add(harstad_municipality)
    far = make_volunteer(given_name="Faraway", municipality=bodo)
    client.force_login(coordinator)
    page = client.get(reverse("volunteering:volunteer_list")).content.decode()
    assert str(near.pk) in page and str(travels.pk) in page and str(far.pk) not in page
    assert client.get(reverse("volunteering:volunteer_detail", args=[far.pk])).status_code == 404
    assert AuditEntry.objects.filter(action="list", object_type="volunteering.volunteer").exists()


def test_a_coordinator_elsewhere_can_neither_see_nor_record(
    client, chain, coordinator, tromso_coordinator, make_volunteer, activities
):
    volunteer = make_volunteer()
    onboarding = services.start_onboarding(coordinator, volunteer, chain.volunteer_centre)
    client.force_login(tromso_coordinator)
    assert str(volunteer.pk) not in client.get(reverse("volunteering:volunteer_list")).content.decode()
    assert client.get(reverse("volunteering:volunteer_detail", args=[volunteer.pk])).status_code == 404
    url = reverse("volunteering:onboarding_steps", args=[volunteer.pk, chain.volunteer_centre.pk])
    prefix = f"steps-{chain.volunteer_centre.pk}"
    assert client.post(url, {f"{prefix}-training_on": str(days_ago(1))}).status_code == 404
    with pytest.raises(PermissionDenied):
        services.record_onboarding_steps(tromso_coordinator, onboarding, training_on=days_ago(1))
    with pytest.raises(PermissionDenied):
        services.add_to_activity(tromso_coordinator, volunteer, activities["cafe"])
    onboarding.refresh_from_db()
    assert onboarding.training_on is None and not volunteer.activities.exists()


@pytest.mark.parametrize("role", [Role.VOLUNTEER, Role.MUNICIPAL_SETTLEMENT_OFFICER, Role.LEADERSHIP])
def test_only_coordinators_reach_the_volunteer_list(client, users, role):
    client.force_login(users[role])
    assert client.get(reverse("volunteering:volunteer_list")).status_code == 403
