"""Acceptance 1 of issue 6: a centre publishes a need, a new volunteer signs up, completes onboarding except
the police certificate, is offered adult activities but not one with children, gets the certificate, is
matched to a family who consents, logs check-ins and hours, and the match ends with feedback from both."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext

from bro.core.municipalities import municipality_by_number
from bro.core.roles import Role
from bro.people import services as people_services
from bro.volunteering import rules as onboarding_rules
from bro.volunteering.matches import selectors, services
from bro.volunteering.matches.models import Match
from bro.volunteering.models import Need
from bro.volunteering.services import needs, volunteers
from tests.conftest import days_ago

pytestmark = pytest.mark.django_db


def test_from_published_need_to_ended_match_with_feedback_from_both(
    chain, users, family, caseworker, coordinator, client
):
    harstad = municipality_by_number("5503")
    # The centre publishes a need without personal data.
    need = needs.publish_need(
        people_services.Actor(users[Role.RECEPTION_STAFF]),
        chain.centre_harstad,
        title="Friend family for a family of two in Harstad, Arabic or English",
        description="A mother and her son who would like to get to know the town.",
        kind="friend_family",
        municipality=harstad,
        languages=["ar", "en"],
        involves_children=True,
    )
    assert need.status == Need.Status.OPEN and need in Need.objects.filter(is_public=True)

    # A new volunteer signs up on her own, naming no organisation; the volunteer centre takes her on and
    # records every step but the police certificate.
    kari, _offers = volunteers.sign_up(
        volunteers.VolunteerInput(
            given_name="Kari",
            family_name="Nordmann",
            email="kari@example.no",
            municipality="5503",
            languages=["ar", "nb"],
            interests=["friend_family"],
            availability=["weekend"],
        ),
        "a long and private passphrase",
    )
    onboarding = volunteers.start_onboarding(coordinator.user, kari, chain.volunteer_centre)
    volunteers.record_onboarding_steps(
        coordinator.user,
        onboarding,
        information_meeting_on=days_ago(20),
        training_on=days_ago(15),
        commitment_signed_on=days_ago(15),
    )

    # She may start at once on an adult activity, not on one with children (DOMAIN §9).
    common = {"phase": "settled", "target_sex": "any", "municipality": harstad, "starts_on": days_ago(30)}
    cafe = needs.record_activity(
        coordinator,
        chain.volunteer_centre,
        name="Språkkafé",
        kind="language_cafe",
        needs_information_meeting=True,
        **common,
    )
    homework = needs.record_activity(
        coordinator,
        chain.volunteer_centre,
        name="Leksehjelp",
        kind="homework_help",
        involves_children=True,
        **common,
    )
    open_to_her = {
        row.activity: row.missing for row in volunteers.activities_open_to(kari, chain.volunteer_centre)
    }
    assert open_to_her == {cafe: (), homework: (onboarding_rules.POLICE_CERTIFICATE,)}
    volunteers.add_to_activity(coordinator.user, kari, cafe)
    with pytest.raises(ValidationError):
        volunteers.add_to_activity(coordinator.user, kari, homework)
    assert list(kari.activities.all()) == [cafe]

    # The family's programme adviser asks the centre for a friend family; the son makes it a match with children.
    match = services.request_match(
        caseworker,
        family,
        organisation=chain.volunteer_centre,
        kind="friend_family",
        need="A friend family to show the town and practise Norwegian",
        with_household=True,
        agreed_months=6,
    )
    assert match.status == Match.Status.REQUESTED and match.involves_children

    # Without the certificate Kari is proposed only as "after onboarding", and cannot be chosen.
    ready, waiting = selectors.proposals(coordinator.user, match, days_ago(0))
    assert ready == [] and [p.volunteer for p in waiting] == [kari]
    assert waiting[0].missing == [str(gettext("police certificate"))]
    with pytest.raises(ValidationError) as refused:
        services.assign_volunteer(coordinator, match, kari)
    assert str(gettext("police certificate")) in str(refused.value)

    # She gets the certificate; now she is proposed with reasons and chosen.
    volunteers.record_onboarding_steps(coordinator.user, onboarding, police_certificate_on=days_ago(11))
    ready, waiting = selectors.proposals(coordinator.user, match, days_ago(0))
    assert [p.volunteer for p in ready] == [kari] and waiting == []
    assert str(gettext("Lives in the municipality")) in ready[0].reasons
    services.assign_volunteer(coordinator, match, kari)

    # The match cannot start before the family consents; Kari sees only that it awaits consent.
    with pytest.raises(ValidationError):
        services.start_match(coordinator, match, starts_on=days_ago(10))
    client.force_login(kari.user)
    page = client.get(reverse("matches:match_detail", args=[match.pk])).content.decode()
    assert "Amina" not in page and "awaiting-consent" in page

    services.record_consent(caseworker, match, given_on=days_ago(12), extra_fields=["household_size"])
    services.start_match(coordinator, match, starts_on=days_ago(10))
    page = client.get(reverse("matches:match_detail", args=[match.pk])).content.decode()
    assert "Amina" in page and "<dd>ar</dd>" in page and "Haddad" not in page and "Storgata" not in page

    # Kari logs check-ins through her page; the hours add up.
    url = reverse("matches:match_check_in", args=[match.pk])
    for ago, hours in ((9, "2.5"), (2, "3")):
        response = client.post(
            url, {"day": days_ago(ago).isoformat(), "hours": hours, "note": "Walk in town"}
        )
        assert response.status_code == 302
    assert selectors.match_detail(kari.user, match.pk).hours == Decimal("5.5")

    # The coordinator ends the match with the family's feedback; Kari adds hers.
    services.end_match(coordinator, match, ends_on=days_ago(1), refugee_feedback="We made friends.")
    response = client.post(
        reverse("matches:match_volunteer_feedback", args=[match.pk]), {"volunteer-feedback": "Lovely family."}
    )
    assert response.status_code == 302
    match.refresh_from_db()
    assert match.status == Match.Status.ENDED and match.ends_on == days_ago(1)
    assert match.refugee_feedback == "We made friends." and match.volunteer_feedback == "Lovely family."
