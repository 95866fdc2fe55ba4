"""The settlement pages that are not in the main menu (forms, proposals, the interview) in Debian's
Chromium: each passes axe-core (WCAG 2.1 A/AA) at desktop width and at 320 CSS pixels, also after an
invalid submission. The menu pages are checked for every role by tests/browser/test_accessibility.py.
Uses the fixtures of tests/browser/conftest.py.
"""

from __future__ import annotations

import pytest
from django.utils import timezone

from bro.core.roles import Role
from bro.people.phases import Phase
from bro.settlement import services
from tests.browser.conftest import (  # noqa: F401 - fixtures used by name
    _restore_reference_data,
    browser,
    log_in,
    new_context,
    reference_data,
)
from tests.browser.test_accessibility import AxeTally, Crawler

pytestmark = pytest.mark.browser


@pytest.fixture
def cycle(reference_data, live_server, chain, users, arrive):  # noqa: F811 - the imported fixture
    imdi = services.Actor(users[Role.NATIONAL_SETTLEMENT_OFFICER])
    harstad = services.Actor(users[Role.MUNICIPAL_SETTLEMENT_OFFICER])
    today = timezone.localdate()
    services.send_request(
        imdi, year=today.year, municipality=chain.harstad, persons=20, unaccompanied_minors=6, sent_on=today
    )
    services.send_request(
        imdi, year=today.year, municipality=chain.harstad, persons=22, unaccompanied_minors=6, sent_on=today
    )
    services.record_decision(
        harstad,
        municipality=chain.harstad,
        year=today.year,
        persons=1,
        unaccompanied_minors=0,
        decided_on=today,
        body="council",
    )
    for name in ("Første", "Andre"):
        proposal = services.propose(
            imdi, arrive(Phase.READY_FOR_SETTLEMENT, given_name=name), municipality=chain.harstad
        )
        services.answer_proposal(harstad, proposal, accept=True)
        services.settle(harstad, proposal, on=today)
    pending = services.propose(
        imdi, arrive(Phase.READY_FOR_SETTLEMENT, given_name="Venter"), municipality=chain.harstad
    )
    accepted = services.propose(
        imdi, arrive(Phase.READY_FOR_SETTLEMENT, given_name="Godtatt"), municipality=chain.harstad
    )
    services.answer_proposal(harstad, accepted, accept=True)
    ready = arrive(Phase.READY_FOR_SETTLEMENT, given_name="Klar")
    permit = arrive(Phase.PERMIT_GRANTED, given_name="Tillatelse")
    return {"pending": pending, "accepted": accepted, "ready": ready, "permit": permit, "users": users}


def test_the_settlement_forms_and_pages_pass_axe(cycle, new_context, report_line):  # noqa: F811 - the imported fixture
    tally = AxeTally()
    users = cycle["users"]

    page = new_context().new_page()
    crawler = Crawler(page, "imdi", tally)
    log_in(page, users[Role.NATIONAL_SETTLEMENT_OFFICER].username)
    crawler.visit("/settlement/overview/", "directorate overview")
    crawler.switch_language("en")
    crawler.check("directorate overview (English)")
    crawler.switch_language("nb")
    if crawler.visit("/settlement/need/", "national need"):
        crawler.submit_invalid("national need, invalid", fill={"#id_persons": "-5"})
    if crawler.visit("/settlement/requests/new/", "request"):
        crawler.submit_invalid("request, invalid", fill={"#id_municipality_number": "0000"})
    crawler.visit("/settlement/ready/", "ready list")
    if crawler.visit(f"/settlement/ready/{cycle['ready'].pk}/propose/", "propose"):
        crawler.submit_invalid("propose, invalid", fill={"#id_municipality_number": "12"})
    if crawler.visit(f"/settlement/proposals/{cycle['accepted'].pk}/", "accepted proposal (refusal form)"):
        crawler.submit_invalid("refusal, invalid", fill={"#id_refusal-refused_on": ""})
    crawler.visit("/settlement/waiting/?all=1", "waiting list, everyone")

    page = new_context().new_page()
    officer = Crawler(page, "harstad", tally)
    log_in(page, users[Role.MUNICIPAL_SETTLEMENT_OFFICER].username)
    officer.visit("/settlement/municipality/", "municipality overview")
    if officer.visit("/settlement/decisions/new/", "council decision"):
        officer.submit_invalid("council decision, invalid", fill={"#id_decided_on": "2999-01-01"})
    if officer.visit(f"/settlement/proposals/{cycle['pending'].pk}/", "pending proposal (answer form)"):
        page.select_option("#id_answer", "decline")
        officer.submit_invalid("answer, declined without reason")
    if officer.visit(f"/settlement/proposals/{cycle['accepted'].pk}/", "accepted proposal (settle form)"):
        officer.submit_invalid("settle, invalid", fill={"#id_date": ""})

    page = new_context().new_page()
    staff = Crawler(page, "reception", tally)
    log_in(page, users[Role.RECEPTION_STAFF].username)
    staff.visit("/settlement/waiting/", "waiting list")
    if staff.visit(f"/settlement/interviews/{cycle['permit'].pk}/", "interview"):
        staff.submit_invalid("interview, health needs without consent", fill={"#id_health_needs": "Astma"})

    report = "\n".join(r for r in (crawler.report(), officer.report(), staff.report()) if r)
    report_line(f"settlement axe: {len(tally.pages)} pages checked, {len(tally.violations)} violations")
    assert len(tally.pages) >= 20
    assert not report, "\n" + report
