"""Match services: bad input changes nothing, and writes are logged with the person."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from bro.core.models import AuditEntry
from bro.core.roles import Role
from bro.volunteering.matches import services
from bro.volunteering.matches.models import CheckIn, Match, MatchConsent
from bro.volunteering.models import Onboarding
from tests.conftest import days_ago

pytestmark = pytest.mark.django_db


def test_a_request_without_a_need_is_refused_and_nothing_is_saved(family, caseworker, chain):
    with pytest.raises(ValidationError) as refused:
        services.request_match(caseworker, family, organisation=chain.harstad, kind="nonsense", need="  ")
    assert set(refused.value.message_dict) == {"need", "kind", "organisation"}
    assert Match.objects.count() == 0


def test_a_second_consent_is_refused_until_the_first_is_withdrawn(family, make_match, caseworker):
    match = make_match(family)
    services.record_consent(caseworker, match, given_on=days_ago(1))
    with pytest.raises(ValidationError):
        services.record_consent(caseworker, match, given_on=days_ago(0), extra_fields=["phone"])
    assert MatchConsent.objects.count() == 1
    entry = AuditEntry.objects.filter(person_id=family.pk, action="grant").get()
    assert entry.user == caseworker.user


def test_a_check_in_before_the_start_shows_an_error_on_the_page_and_saves_nothing(
    client, users, family, volunteer, make_match, caseworker, coordinator
):
    Onboarding.objects.filter(volunteer=volunteer).update(police_certificate_on=days_ago(30))
    match = make_match(family)
    services.record_consent(caseworker, match, given_on=days_ago(20))
    services.assign_volunteer(coordinator, match, volunteer)
    services.start_match(coordinator, match, starts_on=days_ago(5))
    client.force_login(users[Role.VOLUNTEER])
    response = client.post(
        reverse("matches:match_check_in", args=[match.pk]),
        {"day": days_ago(6).isoformat(), "hours": "2"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert CheckIn.objects.count() == 0
    assert "A check-in cannot be dated before the match started." in response.content.decode()


def test_the_volunteer_cannot_log_check_ins_once_consent_is_withdrawn(
    family, volunteer, make_match, caseworker, coordinator
):
    Onboarding.objects.filter(volunteer=volunteer).update(police_certificate_on=days_ago(30))
    match = make_match(family)
    services.record_consent(caseworker, match, given_on=days_ago(20))
    services.assign_volunteer(coordinator, match, volunteer)
    services.start_match(coordinator, match, starts_on=days_ago(5))
    services.withdraw_consent(caseworker, match)
    with pytest.raises(ValidationError):
        services.log_check_in(services.Actor(volunteer.user), match, day=days_ago(1), hours=2)
    assert CheckIn.objects.count() == 0
