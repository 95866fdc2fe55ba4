"""The civil-society demo (bro/volunteering/demo.py) on a demo build: the overlap and gaps put there on purpose
(issue 6, acceptance 2), the ineligible young organisation (acceptance 3), the demo volunteer's own record and
matches, and a reset that leaves no volunteering row behind.

The demo is built once for the module and removed afterwards; each test runs in its own transaction on it.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone

from bro.core.models import AuditEntry, Organisation, User
from bro.demo import generator
from bro.volunteering import demo as volunteering_demo
from bro.volunteering import overview, rules
from bro.volunteering.grants.models import ApplicationStatus, GrantApplication
from bro.volunteering.matches import selectors as match_selectors
from bro.volunteering.matches.models import CheckIn, Match
from bro.volunteering.models import Activity, Need, Onboarding, Volunteer

TODAY = timezone.localdate()
SEED = 2026
PERSONS = 1500  # enough adults settled in Harstad for the matches; quicker than the full 3,000
APPS = ("volunteering", "volunteering_matches", "volunteering_grants")
NOT_IN_THE_DEMO = {"volunteering_grants.GrantAttachment"}  # uploaded files: none in the demo


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        generator.build(seed=SEED, persons=PERSONS, today=TODAY)
    yield
    with django_db_blocker.unblock():
        generator.reset()


@pytest.fixture
def harstad(demo, db) -> Organisation:
    return Organisation.objects.get(generator.demo_ids(), kind="municipality", municipality__number="5503")


def volunteering_counts() -> dict[str, int]:
    return {
        f"{label}.{m.__name__}": m.objects.count()
        for label in APPS
        for m in apps.get_app_config(label).get_models()
    }


def harstad_analysis(harstad: Organisation) -> overview.Analysis:
    m = harstad.municipality_id
    return overview.analyse(
        Activity.objects.filter(municipality_id=m).select_related("organisation"),
        Organisation.objects.filter(kind="reception_centre", municipality_id=m),
        Need.objects.filter(municipality_id=m, status=Need.Status.OPEN),
        Volunteer.objects.filter(municipality_id=m),
        on=TODAY,
    )


def test_the_demo_writes_no_audit_entries(demo, db):
    assert Volunteer.objects.exists() and Match.objects.exists()
    assert not AuditEntry.objects.exists()


def test_the_overview_of_harstad_finds_the_language_cafe_overlap_and_the_gaps_put_there(harstad):
    analysis = harstad_analysis(harstad)
    assert [(o.kind, o.target_sex, o.phase, o.organisation_names) for o in analysis.overlaps] == [
        ("language_cafe", "any", "settled", ("Harstad frivilligsentral", "Røde Kors Harstad"))
    ]
    assert [c.name for c in analysis.centres_without_activity] == ["Harstad mottak"]
    gaps = analysis.gaps_by_municipality[harstad.municipality_id]
    assert gaps.work_oriented == 1 and gaps.activities >= 11
    assert gaps.few_work_oriented and gaps.few_offers_for_men and gaps.few_male_volunteers
    assert gaps.men_only == 0 < gaps.women_only
    assert [n.title for n in analysis.needs_without_answer] == ["Språktrening for beboere på mottaket"]
    # The ended summer activity is not counted; hours by organisation add up what runs.
    assert "Sommeraktiviteter" not in {a.name for a in analysis.activities}
    hours = {name: h for name, h, _p, _n in analysis.hours_by_organisation}
    assert hours["Røde Kors Harstad"] == Decimal("1110")


def test_tromso_mottak_has_an_activity_so_only_harstad_mottak_is_a_gap(demo, db):
    tromso = Organisation.objects.get(generator.demo_ids(), name="Tromsø mottak")
    assert Activity.objects.filter(reception_centre=tromso).exists()
    assert not Activity.objects.filter(reception_centre__name="Harstad mottak").exists()


def test_the_overview_page_shows_harstad_the_overlap_and_the_gaps(harstad, client):
    client.force_login(User.objects.get(username="harstad"))
    response = client.get(reverse("volunteering:overview"))
    assert response.status_code == 200
    html = response.content.decode()
    overlaps = html.split('data-testid="overlaps"')[1].split("</ul>")[0]
    assert "Harstad frivilligsentral, Røde Kors Harstad" in overlaps
    centres = html.split('data-testid="centres-without-activity"')[1].split("</ul>")[0]
    assert "Harstad mottak" in centres
    assert "Språktrening for beboere på mottaket" in html
    for tag in ("Få tilbud for menn", "Få mannlige frivillige", "Få arbeidsrettede tilbud"):
        assert tag in html, tag


def test_the_demo_volunteer_sees_their_own_matches_and_nothing_else(demo, db, client):
    user = User.objects.get(username="volunteer")
    own = Volunteer.objects.get(user=user)
    rows = match_selectors.match_rows(user)
    assert len(rows) == 2
    assert {r.match.volunteer_id for r in rows} == {own.pk}
    assert {r.match.status for r in rows} == {"active", "ended"}
    active = next(r for r in rows if r.match.status == "active")
    assert active.person.fields == ("given_name", "languages", "need")
    assert active.person.given_name == active.match.person.given_name
    assert (
        active.person.family_name == "" and active.person.phone == "" and active.person.household_size is None
    )
    assert CheckIn.objects.filter(match=active.match).exists()

    client.force_login(user)
    assert client.get(reverse("volunteering:me")).status_code == 200
    assert client.get(reverse("matches:match_detail", args=[active.match.pk])).status_code == 200
    other = Match.objects.exclude(volunteer=own).first()
    assert client.get(reverse("matches:match_detail", args=[other.pk])).status_code in (403, 404)
    assert client.get(reverse("volunteering:volunteer_list")).status_code == 403
    assert client.get(reverse("volunteering:overview")).status_code == 403


def test_the_demo_volunteer_may_start_adult_activities_but_not_those_with_children(demo, db):
    own = Volunteer.objects.get(user__username="volunteer")
    onboarding = Onboarding.objects.get(volunteer=own)
    progress = rules.Progress(
        information_meeting=onboarding.information_meeting_on,
        training=onboarding.training_on,
        police_certificate=onboarding.police_certificate_on,
        commitment=onboarding.commitment_signed_on,
    )
    guide = Activity.objects.get(name="Flyktningguide")
    homework = Activity.objects.get(name="Leksehjelp på Kanebogen skole")

    def needs(a):
        return rules.Requirements(
            information_meeting=a.needs_information_meeting,
            training=a.needs_training,
            involves_children=a.involves_children,
            commitment=a.needs_commitment,
        )

    assert rules.may_start(needs(guide), progress, TODAY)
    assert rules.missing_steps(needs(homework), progress, TODAY) == (rules.POLICE_CERTIFICATE,)
    assert not homework.volunteers.filter(pk=own.pk).exists()


def test_only_onboarded_volunteers_take_part_in_activities(demo, db):
    for activity in Activity.objects.prefetch_related("volunteers"):
        for volunteer in activity.volunteers.all():
            o = Onboarding.objects.get(volunteer=volunteer, organisation=activity.organisation_id)
            progress = rules.Progress(
                o.information_meeting_on, o.training_on, o.police_certificate_on, o.commitment_signed_on
            )
            requirements = rules.Requirements(
                activity.needs_information_meeting,
                activity.needs_training,
                activity.involves_children,
                activity.needs_commitment,
            )
            assert rules.may_start(requirements, progress, TODAY), (activity.name, str(volunteer))
    # Some volunteers are still waiting for the police certificate.
    assert Onboarding.objects.filter(information_meeting_on__isnull=False, police_certificate_on__isnull=True)


def test_matches_cover_consent_awaiting_and_ended_with_feedback(demo, db):
    matches = list(Match.objects.prefetch_related("consents"))
    assert len(matches) == 6
    awaiting = [m for m in matches if not m.consents.exists()]
    assert len(awaiting) == 1 and awaiting[0].status == "requested"
    ended = [m for m in matches if m.status == "ended"]
    assert ended and all(m.volunteer_feedback and m.refugee_feedback and m.ends_on for m in ended)
    assert all(m.person.responsible_organisation.name == "Harstad kommune" for m in matches)


def test_the_organisation_registered_a_year_ago_is_flagged_ineligible_for_the_two_year_rule(demo, db):
    young = GrantApplication.objects.get(organisation__name="Afghansk kulturforening Harstad")
    assert young.scheme.minimum_age_years == 2
    assert young.eligible is False and young.status == ApplicationStatus.SUBMITTED
    failed = [r for r in young.eligibility if not r["passed"]]
    assert [(r["rule"], r["code"], r["params"]["years"]) for r in failed] == [
        ("organisation_age", "too_young", 1)
    ]
    approved = GrantApplication.objects.get(organisation__name="Harstad frivilligsentral")
    assert approved.eligible and approved.status == ApplicationStatus.REPORTED
    assert approved.report.volunteer_hours == sum(a.volunteer_hours for a in approved.activities.all())
    assert GrantApplication.objects.filter(status=ApplicationStatus.SUBMITTED, eligible=True).exists()


def test_reset_removes_every_volunteering_row(demo, db):
    built = {k: n for k, n in volunteering_counts().items() if k not in NOT_IN_THE_DEMO}
    assert all(built.values()), built
    volunteering_demo.reset(log=lambda message: None)
    assert set(volunteering_counts().values()) == {0}, volunteering_counts()
    assert not Organisation.objects.filter(name__in=volunteering_demo.EXTRA_NAMES).exists()
    assert Organisation.objects.filter(name="Røde Kors Harstad").exists()  # the generator's own stays


def test_the_same_seed_builds_the_same_volunteering_rows(demo, db):
    def snapshot():
        return (
            list(Volunteer.objects.order_by("pk").values_list("pk", "email", "sex", "created_at")),
            list(Activity.objects.order_by("pk").values_list("pk", "name", "volunteer_hours")),
            list(Match.objects.order_by("pk").values_list("pk", "person_id", "status", "starts_on")),
            list(CheckIn.objects.order_by("pk").values_list("pk", "date", "hours")),
        )

    first = snapshot()
    volunteering_demo.reset(log=lambda message: None)
    volunteering_demo.build(seed=SEED, today=TODAY, log=lambda message: None)
    assert snapshot() == first
