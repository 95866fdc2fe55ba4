"""The public needs page in Debian's Chromium, anonymously: open public needs only, filters, and axe-core
(WCAG 2.1 A/AA) in bokmål and English at desktop width and at 320 CSS pixels (reflow)."""

from __future__ import annotations

import pytest

from bro.core.municipalities import municipality_by_number
from bro.core.roles import Role
from bro.people.services import Actor
from bro.volunteering.services import needs as services
from tests.browser.conftest import (  # noqa: F401 - fixtures used by name
    _restore_reference_data,
    browser,
    chromium_path,
    new_context,
    reference_data,
)
from tests.settlement.housing.test_browser_overview import _violations

pytestmark = pytest.mark.browser


@pytest.fixture
def needs(reference_data, live_server, chain, users):  # noqa: F811 - the imported fixture
    officer = Actor(users[Role.MUNICIPAL_SETTLEMENT_OFFICER])
    harstad = municipality_by_number("5503")
    published = [
        services.publish_need(
            officer,
            chain.harstad,
            title="Flyktningguide for familie på fem",
            description="Arabisk eller engelsk. Første møte på biblioteket.",
            kind="refugee_guide",
            municipality=harstad,
            languages=["ar", "en"],
        ),
        services.publish_need(
            officer,
            chain.harstad,
            title="Leksehjelp for 8 elever",
            description="Tirsdager 17–19.",
            kind="homework_help",
            municipality=harstad,
            skills=["homework"],
            volunteers_wanted=3,
            involves_children=True,
        ),
    ]
    services.publish_need(
        officer,
        chain.harstad,
        title="Intern",
        description="",
        kind="transport",
        municipality=harstad,
        is_public=False,
    )
    return published


def test_the_public_needs_page_passes_axe_anonymously_in_bokmal_and_english(
    needs,
    new_context,  # noqa: F811 - the imported fixture
    report_line,
):
    page = new_context().new_page()
    response = page.goto("/volunteering/needs/public/")
    assert response.status == 200 and "/login/" not in page.url
    assert page.locator("html").get_attribute("lang") == "nb"
    rows = page.locator("tbody tr[data-need]")
    assert sorted(rows.nth(i).get_attribute("data-need") for i in range(rows.count())) == sorted(
        str(n.id) for n in needs
    )
    assert "Intern" not in page.locator("main").inner_text()
    violations = _violations(page)

    page.select_option("#kind", "homework_help")
    with page.expect_navigation():
        page.click("main form[role=search] button[type=submit]")
    assert page.locator("tbody tr[data-need]").count() == 1
    violations += _violations(page)

    with page.expect_navigation():
        page.click("header button[name=language][value=en]")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", name="Volunteers wanted").count() == 1
    violations += _violations(page)
    report_line("axe: public needs page checked in bokmål and English (6 checks)")
    assert not violations, "\n".join(violations)
