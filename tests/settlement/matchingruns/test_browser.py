"""Issue 4, acceptance 4, in Debian's Chromium on the demo data: a national officer starts a matching
run, sees its progress, then the proposals with their explanations; bulk approval creates proposals in
the settlement flow that the municipality concerned sees. Every page passes axe-core (WCAG 2.1 A/AA)."""

# ruff: noqa: F811 - the browser fixtures are imported by name and used as parameters

from __future__ import annotations

import re

import pytest

from bro.core.models import Job, JobStatus
from bro.demo import generator
from bro.settlement.matchingruns.models import MatchingProposalStatus, MatchingRun
from bro.settlement.models import SettlementProposal
from tests.browser.conftest import (  # noqa: F401 - fixtures used by name
    _restore_reference_data,
    browser,
    log_in,
    new_context,
    reference_data,
)
from tests.browser.test_accessibility import AxeTally, Crawler

pytestmark = pytest.mark.browser


def test_a_matching_run_on_the_demo_data_from_start_to_approval(
    reference_data, new_context, settings, report_line
):
    settings.BRO_JOBS_RUNNER = "thread"  # the product's default: the job runs beside the web request
    generator.build(persons=600)
    tally = AxeTally()
    page = new_context().new_page()
    crawler = Crawler(page, "imdi", tally)
    log_in(page, "imdi", generator.DEMO_PASSWORD)
    crawler.visit("/settlement/matching/", "matching runs")
    page.select_option("#id_time_limit", "10")
    page.click("main form button[type=submit]")
    # The job page shows a progress bar, then moves on to the result by itself.
    page.wait_for_url(re.compile(r"/jobs/[0-9a-f-]+/"))
    assert page.locator("progress#job-bar").count() == 1
    page.wait_for_url(re.compile(r"/settlement/matching/[0-9a-f-]+/$"), timeout=120_000)
    run = MatchingRun.objects.get()
    assert Job.objects.get(pk=run.job_id).status == JobStatus.DONE
    assert run.households > 0 and run.assigned > 0 and run.gap_pct <= 0.1
    crawler.check("matching run result")

    rows = page.locator("table tbody tr")
    assert rows.count() == min(run.assigned, 50)
    first = rows.first
    assert first.locator("td:nth-child(3)").inner_text().strip()  # proposed municipality
    assert re.match(r"\d+,\d\d", first.locator("td:nth-child(4)").inner_text().strip())  # predicted, bokmål
    if run.proposals.exclude(ruled_out=[]).exists():
        details = page.locator("td details").first
        details.locator("summary").click()
        assert details.locator("li").count() >= 1

    # Bulk approval: every open proposal of the run.
    page.click("button[name=action][value=all]")
    page.wait_for_load_state()
    assert "ble sendt til kommunene" in page.locator(".ds-alert").first.inner_text()
    crawler.check("matching run after approval")
    approved = run.proposals.filter(status=MatchingProposalStatus.APPROVED)
    assert (
        approved.count() + run.proposals.filter(status=MatchingProposalStatus.NOT_POSSIBLE).count()
        == run.assigned
    )
    assert (
        SettlementProposal.objects.filter(matching_proposal__run=run, status="pending").count()
        == approved.count()
    )

    # Harstad sees the ones proposed to Harstad, if any, among its proposals awaiting an answer.
    for_harstad = approved.filter(municipality__name="Harstad kommune").select_related("person")
    if for_harstad.exists():
        officer = new_context().new_page()
        log_in(officer, "harstad", generator.DEMO_PASSWORD)
        officer.goto("/settlement/municipality/")
        text = officer.locator("main").inner_text()
        for proposal in for_harstad[:5]:
            assert proposal.person.family_name in text
    report_line(f"matching axe: {len(tally.pages)} pages checked, {len(tally.violations)} violations")
    report = crawler.report()
    assert not report, "\n" + report
