"""Issue 6 in Debian's Chromium on the demo: the coordinator walks the staff pages of civil society (volunteers,
needs, activities, matches, grants and a profile), "harstad" the overview with its map and the needs, and the
demo volunteer their own page and match. Every page passes axe-core (WCAG 2.1 A/AA) at desktop width and at
320 px (reflow)."""

# ruff: noqa: F811 - the browser fixtures are imported by name and used as parameters

from __future__ import annotations

import pytest
from django.urls import reverse

from bro.demo import generator
from bro.volunteering.grants.models import GrantApplication, GrantScheme
from bro.volunteering.matches.models import Match
from bro.volunteering.models import Activity, Need, Volunteer
from tests.browser.conftest import (  # noqa: F401 - fixtures used by name
    _restore_reference_data,
    browser,
    log_in,
    new_context,
    reference_data,
)
from tests.browser.test_accessibility import AxeTally, Crawler

pytestmark = pytest.mark.browser

PERSONS = 1500  # enough adults settled in Harstad for the demo's matches


def _fail_on(crawlers: list[Crawler], tally: AxeTally) -> None:
    problems = [p for c in crawlers for p in c.problems] + [str(v) for v in tally.violations]
    assert not problems, "\n" + "\n".join(problems)


def test_staff_and_the_volunteer_walk_the_civil_society_pages_on_the_demo(
    reference_data, new_context, report_line
):
    generator.build(persons=PERSONS)
    tally = AxeTally()

    # The coordinator at Harstad frivilligsentral.
    page = new_context().new_page()
    coordinator = Crawler(page, "coordinator", tally)
    log_in(page, "coordinator", generator.DEMO_PASSWORD)
    centre_volunteer = Volunteer.objects.filter(
        onboardings__organisation__name="Harstad frivilligsentral"
    ).first()
    need = Need.objects.get(title="Flyktningguide for en familie på fem i Harstad")
    activity = Activity.objects.get(name="Språkkafé på biblioteket")
    match = Match.objects.filter(organisation__name="Harstad frivilligsentral", status="active").first()
    scheme = GrantScheme.objects.get(administrator__name="Harstad kommune")
    application = GrantApplication.objects.get(organisation__name="Harstad frivilligsentral")
    for url, label in [
        (reverse("volunteering:volunteer_list"), "volunteers"),
        (reverse("volunteering:volunteer_detail", args=[centre_volunteer.pk]), "volunteer"),
        (reverse("volunteering:need_list"), "needs"),
        (reverse("volunteering:need_detail", args=[need.pk]), "need"),
        (reverse("volunteering:activity_list"), "activities"),
        (reverse("volunteering:activity_detail", args=[activity.pk]), "activity"),
        (reverse("volunteering:surge_queue"), "surge queue"),
        (reverse("matches:match_list"), "matches"),
        (reverse("matches:match_detail", args=[match.pk]), "match"),
        (reverse("grants:scheme_list"), "grant schemes"),
        (reverse("grants:scheme_detail", args=[scheme.pk]), "grant scheme"),
        (reverse("grants:application_detail", args=[application.pk]), "grant application"),
        (reverse("grants:profile", args=[application.organisation_id]), "civil-society profile"),
        (reverse("grants:agreement_list"), "agreements"),
    ]:
        coordinator.visit(url, label)
    assert page.locator("main").get_by_text(application.organisation.name).count() >= 1

    # The municipality's settlement officer: the overview with the map, and the needs.
    officer_page = new_context().new_page()
    officer = Crawler(officer_page, "harstad", tally)
    log_in(officer_page, "harstad", generator.DEMO_PASSWORD)
    officer.visit(reverse("volunteering:overview"), "overview")
    assert officer_page.locator("main svg").count() >= 1
    assert officer_page.locator("[data-testid=overlaps]").get_by_text("Røde Kors Harstad").count() == 1
    assert (
        officer_page.locator("[data-testid=centres-without-activity]").get_by_text("Harstad mottak").count()
    )
    officer.visit(reverse("volunteering:need_list"), "needs (municipality)")
    officer.visit(reverse("volunteering:need_detail", args=[need.pk]), "need (municipality)")

    # The demo volunteer: My volunteering and their own active match, nobody else's.
    own_page = new_context().new_page()
    volunteer = Crawler(own_page, "volunteer", tally)
    log_in(own_page, "volunteer", generator.DEMO_PASSWORD)
    own = Match.objects.get(volunteer__user__username="volunteer", status="active")
    volunteer.visit(reverse("volunteering:me"), "my volunteering")
    volunteer.visit(reverse("matches:match_list"), "my matches")
    volunteer.visit(reverse("matches:match_detail", args=[own.pk]), "my match")
    assert own.person.family_name not in own_page.locator("main").inner_text()
    volunteer.visit(
        reverse("matches:match_detail", args=[match.pk]), "someone else's match", statuses=(403, 404)
    )

    report_line(f"volunteering demo walk: {len(tally.pages)} pages, {len(tally.violations)} axe violations")
    _fail_on([coordinator, officer, volunteer], tally)
