"""axe-core (WCAG 2.1 A/AA) and reflow at 320 px on every reception page and form, including the forms
after an invalid submission and a notification, in Chromium (tests/browser's fixtures and crawler).

The menu crawl in tests/browser visits the pages the menu links to; this goes one click deeper: the
forms, the training record, the notifications page with a notification in it, and English."""

import datetime

import pytest
from django.utils import timezone

from bro.core.roles import Role
from bro.people.services import Actor
from bro.reception import services
from tests.browser.conftest import log_in
from tests.browser.test_accessibility import AxeTally, Crawler

pytestmark = pytest.mark.browser


def test_reception_pages_and_forms_pass_axe(scenario, new_context, report_line):
    chain, users, amina = scenario.chain, scenario.users, scenario.persons["amina"]
    staff = Actor(users[Role.RECEPTION_STAFF])
    today = timezone.localdate()
    services.record_centre_capacity(
        staff, chain.centre_harstad, valid_from=today - datetime.timedelta(days=90), places=2
    )
    services.record_occupancy_change(
        staff, chain.centre_harstad, kind="arrivals", effective_date=today + datetime.timedelta(days=5),
        counts={"age_0_5": 6, "age_6_15": 11, "age_16_17": 3, "age_18_plus": 27},
    )  # fmt: skip
    year, week, _ = (today - datetime.timedelta(days=7)).isocalendar()
    services.record_training_week(
        staff, amina, iso_year=year, iso_week=week, hours_offered=12, hours_attended=9
    )
    tally = AxeTally()
    problems = []

    page = new_context().new_page()
    crawler = Crawler(page, "reception", tally)
    log_in(page, users[Role.RECEPTION_STAFF].username)
    centre = f"/reception/centres/{chain.centre_harstad.id}/"
    crawler.visit(centre, "centre")
    crawler.visit(f"{centre}changes/", "occupancy change form")
    crawler.submit_invalid("occupancy change, invalid", fill={"#id_effective_date": "2000-01-01"})
    crawler.visit(f"{centre}capacity/", "capacity form")
    crawler.submit_invalid("capacity, invalid", fill={"#id_places": "-4"})
    crawler.visit(f"/reception/persons/{amina.id}/training/", "training record")
    crawler.submit_invalid(
        "training week, invalid", fill={"#id_hours_offered": "5", "#id_hours_attended": "9"}
    )
    problems.append(crawler.report())

    page = new_context().new_page()
    crawler = Crawler(page, "harstad", tally)
    log_in(page, users[Role.MUNICIPAL_SETTLEMENT_OFFICER].username)
    crawler.visit("/notifications/", "notifications")
    crawler.visit(f"/reception/host/{chain.harstad.id}/", "host municipality")
    crawler.visit(f"/reception/host/{chain.harstad.id}/services/", "service capacity form")
    crawler.submit_invalid("service capacity, invalid", fill={"#id_capacity": "-1"})
    crawler.switch_language("en")
    crawler.visit(f"/reception/host/{chain.harstad.id}/?en", "host municipality (English)")
    problems.append(crawler.report())

    page = new_context().new_page()
    crawler = Crawler(page, "imdi", tally)
    log_in(page, users[Role.NATIONAL_SETTLEMENT_OFFICER].username)
    crawler.visit("/reception/", "all centres")
    problems.append(crawler.report())

    report_line(f"reception axe: {len(tally.pages)} pages checked, {len(tally.violations)} violations")
    report = "\n".join(p for p in problems if p)
    assert not report, "\n" + report
