"""Profiles, agreements, schemes and applications through the services and pages: acceptance 3 of issue 6
(an organisation registered one year ago is flagged ineligible for a scheme requiring two years, 003:L1770),
who may see and decide what, and bad input that changes nothing."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation

from bro.core.models import AuditEntry
from bro.core.roles import Role
from bro.people.services import Actor
from bro.volunteering.grants import rules, services
from bro.volunteering.grants.models import ApplicationStatus, GrantApplication, GrantAttachment, GrantScheme
from bro.volunteering.models import Activity, CivilSocietyProfile
from tests.conftest import make_user

PDF = b"%PDF-1.7\n%\xe2\xe3\n1 0 obj\n"


def years_ago(n: int) -> datetime.date:
    today = timezone.localdate()
    return (
        today.replace(year=today.year - n)
        if (today.month, today.day) != (2, 29)
        else today.replace(year=today.year - n, day=28)
    )


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def admin(users):
    return users[Role.ADMINISTRATOR]  # administrator in the directorate (IMDi)


@pytest.fixture
def coordinator(users):
    return users[Role.VOLUNTEER_COORDINATOR]  # Harstad frivilligsentral


@pytest.fixture
def other_coordinator(chain):
    return make_user("redcross", chain.volunteer_org, Role.VOLUNTEER_COORDINATOR)


@pytest.fixture
def scheme(chain, admin):
    """IMDi's scheme for immigrant organisations' local activities (003:L1770, cap after 003:L1950)."""
    return services.save_scheme(
        Actor(admin),
        chain.directorate,
        name="Tilskudd til innvandrerorganisasjoner",
        yearly_budget=Decimal("2000000"),
        cap=Decimal("75000"),
        requires_voluntary_register=True,
        minimum_age_years=2,
        minimum_paying_members=20,
        excludes_faith_based=True,
        rolling=True,
    )


@pytest.fixture
def young_centre(chain, coordinator):
    """Harstad frivilligsentral, registered and founded one year ago, 40 paying members."""
    return services.save_profile(
        Actor(coordinator),
        chain.volunteer_centre,
        kind="volunteer_centre",
        organisation_number="974760673",
        in_voluntary_register=True,
        voluntary_register_since=years_ago(1),
        founded_on=years_ago(1),
        paying_members=40,
    )


def apply(user, scheme, organisation, **overrides):
    values = {"amount": Decimal("50000"), "description": "Språkkafé hver torsdag"}
    values.update(overrides)
    return services.submit_application(Actor(user), scheme, organisation, **values)


# --- acceptance 3 ---------------------------------------------------------------------------------------


def test_acceptance_3_an_organisation_registered_a_year_ago_is_flagged_ineligible_with_the_reason(
    chain, coordinator, admin, scheme, young_centre, client
):
    application = apply(coordinator, scheme, chain.volunteer_centre)
    assert application.eligible is False
    failed = [r for r in application.eligibility if not r["passed"]]
    assert [r["rule"] for r in failed] == [rules.ORGANISATION_AGE]
    assert failed[0]["params"]["years"] == 1 and failed[0]["params"]["required"] == 2

    expected = "1 year old; the scheme requires 2 years."
    for user in (coordinator, admin):  # both sides see the flag and the reason
        client.force_login(user)
        page = client.get(f"/volunteering/grants/applications/{application.id}/", HTTP_ACCEPT_LANGUAGE="en")
        text = page.content.decode()
        assert page.status_code == 200
        assert "does not meet every rule" in text
        assert expected in text
    nb = client.get(f"/volunteering/grants/applications/{application.id}/", HTTP_ACCEPT_LANGUAGE="nb")
    assert nb.status_code == 200


def test_the_same_organisation_two_years_later_meets_the_rules(chain, coordinator, scheme, young_centre):
    later = timezone.localdate() + datetime.timedelta(days=366)
    application = apply(coordinator, scheme, chain.volunteer_centre, on=later)
    assert application.eligible is True


def test_the_profile_page_shows_an_informal_group_what_it_is_eligible_for_and_why_not(
    chain, other_coordinator, admin, scheme, client
):
    services.save_scheme(
        Actor(admin), chain.directorate, name="Lavterskel", yearly_budget=Decimal("300000"), rolling=True
    )
    services.save_profile(Actor(other_coordinator), chain.volunteer_org, kind="network")
    client.force_login(other_coordinator)
    text = client.get(
        f"/volunteering/grants/organisations/{chain.volunteer_org.id}/", HTTP_ACCEPT_LANGUAGE="en"
    )
    text = text.content.decode()
    assert "Not registered in the Voluntary Register; the scheme requires it." in text
    assert "The number of paying members is not given; the scheme requires 20." in text
    assert text.count(">Eligible<") == 1 and text.count(">Not eligible<") == 1


# --- profiles -------------------------------------------------------------------------------------------


def test_saving_a_profile_stores_the_organisation_number_and_logs_the_change(
    chain, coordinator, young_centre
):
    chain.volunteer_centre.refresh_from_db()
    assert chain.volunteer_centre.organisation_number == "974760673"
    entry = AuditEntry.objects.filter(object_type="volunteering.civilsocietyprofile").get()
    assert entry.changes["organisation_number"] == [None, "974760673"]


@pytest.mark.parametrize("number", ["974760674", "12345", "abcdefghi"])
def test_an_invalid_organisation_number_changes_nothing(chain, coordinator, number):
    with pytest.raises(ValidationError) as caught:
        services.save_profile(
            Actor(coordinator), chain.volunteer_centre, kind="network", organisation_number=number
        )
    assert "organisation_number" in caught.value.message_dict
    assert not CivilSocietyProfile.objects.exists()
    chain.volunteer_centre.refresh_from_db()
    assert chain.volunteer_centre.organisation_number is None


def test_an_organisation_number_used_by_another_organisation_is_refused(chain, coordinator):
    chain.volunteer_org.organisation_number = "974760673"
    chain.volunteer_org.save()
    with pytest.raises(ValidationError):
        services.save_profile(
            Actor(coordinator), chain.volunteer_centre, kind="network", organisation_number="974 760 673"
        )
    assert not CivilSocietyProfile.objects.exists()


def test_the_profile_page_refuses_a_bad_number_with_a_message_and_saves_nothing(chain, coordinator, client):
    client.force_login(coordinator)
    url = f"/volunteering/grants/organisations/{chain.volunteer_centre.id}/edit/"
    response = client.post(
        url, {"kind": "network", "organisation_number": "123456789"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400
    assert "not a valid organisation number" in response.content.decode()
    assert not CivilSocietyProfile.objects.exists()
    ok = client.post(url, {"kind": "network", "paying_members": "12"})
    assert ok.status_code == 302
    assert CivilSocietyProfile.objects.get().paying_members == 12


def test_only_the_organisations_own_coordinators_edit_its_profile(chain, other_coordinator, users, client):
    with pytest.raises(PermissionDenied):
        services.save_profile(Actor(other_coordinator), chain.volunteer_centre, kind="network")
    client.force_login(other_coordinator)
    url = f"/volunteering/grants/organisations/{chain.volunteer_centre.id}/edit/"
    assert client.post(url, {"kind": "network"}).status_code == 403
    client.force_login(users[Role.VOLUNTEER])
    assert client.get(f"/volunteering/grants/organisations/{chain.volunteer_centre.id}/").status_code == 403
    assert not CivilSocietyProfile.objects.exists()


# --- applications: permissions and bad input ------------------------------------------------------------


def test_another_organisation_cannot_see_or_apply_for_an_application_it_does_not_own(
    chain, coordinator, other_coordinator, scheme, young_centre, client
):
    application = apply(coordinator, scheme, chain.volunteer_centre)
    client.force_login(other_coordinator)
    assert client.get(f"/volunteering/grants/applications/{application.id}/").status_code == 403
    with pytest.raises(PermissionDenied):
        apply(other_coordinator, scheme, chain.volunteer_centre)
    response = client.post(
        f"/volunteering/grants/applications/{application.id}/attachments/",
        {"file": SimpleUploadedFile("x.pdf", PDF, "application/pdf")},
    )
    assert response.status_code == 403
    assert not GrantAttachment.objects.exists()
    scheme_page = client.get(f"/volunteering/grants/schemes/{scheme.id}/").content.decode()
    assert str(application.id) not in scheme_page


def test_a_volunteer_sees_nothing_of_grants(chain, coordinator, users, scheme, young_centre, client):
    application = apply(coordinator, scheme, chain.volunteer_centre)
    client.force_login(users[Role.VOLUNTEER])
    for url in (
        "/volunteering/grants/",
        f"/volunteering/grants/schemes/{scheme.id}/",
        f"/volunteering/grants/applications/{application.id}/",
        "/volunteering/grants/agreements/",
    ):
        assert client.get(url).status_code == 403, url


def test_only_the_schemes_administrator_decides(
    chain, coordinator, admin, users, scheme, young_centre, client
):
    application = apply(coordinator, scheme, chain.volunteer_centre)
    for user in (coordinator, users[Role.MUNICIPAL_SETTLEMENT_OFFICER]):
        with pytest.raises(PermissionDenied):
            services.decide_application(Actor(user), application, approve=True, approved_amount=Decimal("1"))
    client.force_login(coordinator)
    url = f"/volunteering/grants/applications/{application.id}/decide/"
    assert client.post(url, {"decision": "approve", "approved_amount": "1000"}).status_code == 403
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED

    client.force_login(admin)
    bad = client.post(url, {"decision": "reject", "reason": ""}, HTTP_ACCEPT_LANGUAGE="en")
    assert bad.status_code == 400 and "Give the reason for the rejection." in bad.content.decode()
    over = client.post(url, {"decision": "approve", "approved_amount": "50000.01"})
    assert over.status_code == 400
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    assert client.post(url, {"decision": "approve", "approved_amount": "40000"}).status_code == 302
    application.refresh_from_db()
    assert (application.status, application.approved_amount, application.decided_by) == (
        ApplicationStatus.APPROVED,
        Decimal("40000.00"),
        admin,
    )


def test_an_amount_over_the_cap_changes_nothing(chain, coordinator, scheme, young_centre, client):
    with pytest.raises(ValidationError) as caught:
        apply(coordinator, scheme, chain.volunteer_centre, amount=Decimal("75000.01"))
    assert caught.value.message_dict.keys() == {"amount"}
    client.force_login(coordinator)
    response = client.post(
        f"/volunteering/grants/schemes/{scheme.id}/apply/{chain.volunteer_centre.id}/",
        {"amount": "80000", "description": "For mye"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert "more than this scheme gives per application" in response.content.decode()
    assert not GrantApplication.objects.exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("tool.exe", b"MZ\x90\x00", "PDF or Office documents only"),
        ("fake.pdf", b"<html>not a pdf</html>", "does not match its type"),
        ("huge.pdf", PDF + b"0" * (10 * 1024 * 1024), "larger than 10 MB"),
    ],
)
def test_a_bad_attachment_changes_nothing(
    chain, coordinator, scheme, young_centre, media, client, name, content, message
):
    client.force_login(coordinator)
    response = client.post(
        f"/volunteering/grants/schemes/{scheme.id}/apply/{chain.volunteer_centre.id}/",
        {"amount": "1000", "description": "Kafé", "attachment": SimpleUploadedFile(name, content)},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not GrantApplication.objects.exists()
    assert not list(media.rglob("*.*"))


def test_an_application_through_the_page_keeps_budget_activities_and_a_pdf_that_only_parties_download(
    chain, coordinator, other_coordinator, admin, scheme, young_centre, media, client, harstad_municipality
):
    own = Activity.objects.create(
        organisation=chain.volunteer_centre,
        name="Språkkafé",
        kind="language_cafe",
        municipality=harstad_municipality,
        starts_on=years_ago(1),
        participants_reached=30,
        volunteer_hours=Decimal("120.5"),
    )
    client.force_login(coordinator)
    response = client.post(
        f"/volunteering/grants/schemes/{scheme.id}/apply/{chain.volunteer_centre.id}/",
        {
            "amount": "30000",
            "description": "Språkkafé",
            "budget": "Leie av lokale; 12000\nKaffe og mat; 4 500,50",
            "activities": [str(own.id)],
            "attachment": SimpleUploadedFile("budsjett.pdf", PDF, "application/pdf"),
        },
    )
    assert response.status_code == 302
    application = GrantApplication.objects.get()
    assert application.budget_lines == [
        {"item": "Leie av lokale", "amount": "12000.00"},
        {"item": "Kaffe og mat", "amount": "4500.50"},
    ]
    assert list(application.activities.all()) == [own]
    attachment = application.attachments.get()
    assert "budsjett" not in attachment.file.name  # the stored name says nothing
    url = f"/volunteering/grants/applications/{application.id}/attachments/{attachment.id}/"
    assert b"".join(client.get(url).streaming_content) == PDF
    client.force_login(admin)
    assert client.get(url).status_code == 200
    client.force_login(other_coordinator)
    assert client.get(url).status_code == 403


def test_a_bad_budget_line_is_explained_and_nothing_is_saved(
    chain, coordinator, scheme, young_centre, client
):
    client.force_login(coordinator)
    response = client.post(
        f"/volunteering/grants/schemes/{scheme.id}/apply/{chain.volunteer_centre.id}/",
        {"amount": "1000", "description": "Kafé", "budget": "Leie uten beløp"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert "Write each budget line as" in response.content.decode()
    assert not GrantApplication.objects.exists()


def test_an_activity_of_another_organisation_cannot_be_linked(
    chain, coordinator, scheme, young_centre, harstad_municipality
):
    theirs = Activity.objects.create(
        organisation=chain.volunteer_org,
        name="Turgruppe",
        kind="outdoor",
        municipality=harstad_municipality,
        starts_on=years_ago(1),
    )
    with pytest.raises(ValidationError) as caught:
        apply(coordinator, scheme, chain.volunteer_centre, activities=[theirs])
    assert "activities" in caught.value.message_dict
    assert not GrantApplication.objects.exists()


def test_a_closed_round_takes_no_application(chain, coordinator, admin, young_centre):
    past = services.save_scheme(
        Actor(admin),
        chain.directorate,
        name="Runde",
        yearly_budget=Decimal("100000"),
        deadlines=[timezone.localdate() - datetime.timedelta(days=1)],
    )
    with pytest.raises(ValidationError):
        apply(coordinator, past, chain.volunteer_centre)
    assert not GrantApplication.objects.exists()


# --- report ---------------------------------------------------------------------------------------------


def test_the_report_is_prefilled_from_the_linked_activities_and_closes_the_grant(
    chain, coordinator, admin, scheme, young_centre, client, harstad_municipality
):
    cafe = Activity.objects.create(
        organisation=chain.volunteer_centre,
        name="Språkkafé",
        kind="language_cafe",
        municipality=harstad_municipality,
        starts_on=years_ago(1),
        participants_reached=30,
        volunteer_hours=Decimal("120.5"),
    )
    walk = Activity.objects.create(
        organisation=chain.volunteer_centre,
        name="Turgruppe",
        kind="outdoor",
        municipality=harstad_municipality,
        starts_on=years_ago(1),
        participants_reached=12,
        volunteer_hours=Decimal("40"),
    )
    application = apply(coordinator, scheme, chain.volunteer_centre, activities=[cafe, walk])
    client.force_login(coordinator)
    url = f"/volunteering/grants/applications/{application.id}/report/"
    assert client.get(url).status_code == 403  # not approved yet
    services.decide_application(Actor(admin), application, approve=True, approved_amount=Decimal("30000"))
    page = client.get(url)
    assert page.status_code == 200
    form = page.context["form"]
    assert form.initial["participants_reached"] == 42
    assert form.initial["volunteer_hours"] == Decimal("160.5")
    assert form.initial["activities_done"] == "Språkkafé\nTurgruppe"
    bad = client.post(
        url, {"activities_done": "x", "participants_reached": "42", "volunteer_hours": "160.5", "spent": "-1"}
    )
    assert bad.status_code == 400
    done = client.post(
        url,
        {
            "activities_done": "Kafé og tur",
            "participants_reached": "42",
            "volunteer_hours": "160.5",
            "spent": "29500",
        },
    )
    assert done.status_code == 302
    application.refresh_from_db()
    assert application.status == ApplicationStatus.REPORTED
    assert application.report.spent == Decimal("29500.00")


# --- schemes and agreements -----------------------------------------------------------------------------


def test_schemes_are_kept_by_administrators_and_municipal_coordinators_only(
    chain, coordinator, users, client
):
    with pytest.raises(PermissionDenied):
        services.save_scheme(
            Actor(coordinator), chain.harstad, name="X", yearly_budget=Decimal("1"), rolling=True
        )
    municipal = make_user("kommunekoord", chain.harstad, Role.VOLUNTEER_COORDINATOR)
    client.force_login(municipal)
    response = client.post(
        "/volunteering/grants/schemes/new/",
        {
            "administrator": str(chain.harstad.id),
            "name": "Harstad frivilligtilskudd",
            "yearly_budget": "500000",
            "cap": "30000",
            "minimum_age_years": "0",
            "minimum_paying_members": "0",
            "rolling": "on",
            "is_open": "on",
        },
    )
    assert response.status_code == 302
    scheme = GrantScheme.objects.get()
    assert (scheme.administrator, scheme.cap, scheme.rolling) == (chain.harstad, Decimal("30000.00"), True)
    client.force_login(coordinator)
    assert client.get(f"/volunteering/grants/schemes/{scheme.id}/edit/").status_code == 403
    assert client.get("/volunteering/grants/", HTTP_ACCEPT_LANGUAGE="en").status_code == 200


def test_a_scheme_without_rounds_or_rolling_deadline_is_refused(chain, admin):
    with pytest.raises(ValidationError) as caught:
        services.save_scheme(
            Actor(admin), chain.directorate, name="Uten frist", yearly_budget=Decimal("1000")
        )
    assert "deadlines" in caught.value.message_dict
    assert not GrantScheme.objects.exists()


def test_an_agreement_and_its_dialogue_meetings_are_read_by_both_parties_only(
    chain, coordinator, users, client
):
    municipal = make_user("kommunekoord", chain.harstad, Role.VOLUNTEER_COORDINATOR)
    client.force_login(municipal)
    response = client.post(
        "/volunteering/grants/agreements/new/",
        {
            "public_body": str(chain.harstad.id),
            "organisation": str(chain.volunteer_centre.id),
            "kind": "partnership",
            "amount": "150000",
            "starts_on": "2025-01-01",
            "ends_on": "2027-12-31",
        },
    )
    assert response.status_code == 302
    agreement = chain.harstad.agreements_made.get()
    url = f"/volunteering/grants/agreements/{agreement.id}/"
    assert (
        client.post(
            url, {"held_on": "2025-03-01", "participants": "Kommunen, frivilligsentralen"}
        ).status_code
        == 302
    )
    assert agreement.meetings.count() == 1

    client.force_login(coordinator)  # the other party reads but does not record meetings
    assert "Kommunen, frivilligsentralen" in client.get(url).content.decode()
    assert client.post(url, {"held_on": "2025-04-01", "participants": "x"}).status_code == 403
    client.force_login(users[Role.RECEPTION_STAFF])
    assert client.get(url).status_code == 403
    assert agreement.meetings.count() == 1


def test_a_volunteer_organisation_cannot_make_agreements_and_bad_periods_change_nothing(
    chain, coordinator, users
):
    with pytest.raises(ValidationError):
        services.create_agreement(
            Actor(coordinator),
            chain.volunteer_centre,
            organisation=chain.volunteer_org,
            kind="intention",
            starts_on=datetime.date(2025, 1, 1),
        )
    municipal = make_user("kommunekoord", chain.harstad, Role.VOLUNTEER_COORDINATOR)
    with pytest.raises(ValidationError) as caught:
        services.create_agreement(
            Actor(municipal),
            chain.harstad,
            organisation=chain.volunteer_org,
            kind="intention",
            starts_on=datetime.date(2025, 1, 1),
            ends_on=datetime.date(2024, 1, 1),
            amount=Decimal("0"),
        )
    assert set(caught.value.message_dict) == {"ends_on", "amount"}
    assert not chain.harstad.agreements_made.exists()


def test_reason_texts_exist_in_bokmaal():
    with translation.override("nb"):
        from bro.volunteering.grants.messages import reason

        text = reason("too_young", {"required": 2, "years": 1, "since": "2024-06-15"})
    assert "2" in text and "1" in text
