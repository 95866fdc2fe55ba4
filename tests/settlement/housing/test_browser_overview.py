"""The public self-settlement overview in Debian's Chromium, anonymously: it lists every municipality
that has published terms and passes axe-core (WCAG 2.1 A/AA) in bokmål and English, at desktop width
and at 320 CSS pixels (reflow); and the officer's and reception staff's housing pages, also after invalid
input. Uses the fixtures of tests/browser/conftest.py, with a module-scoped browser.
"""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

from bro.core.models import Organisation
from bro.core.municipalities import municipality_by_number
from bro.core.roles import OrganisationKind
from bro.settlement.housing.models import SelfSettlementTerms, TargetGroup
from tests.browser.conftest import (  # noqa: F401 - fixtures used by name
    _restore_reference_data,
    browser,
    chromium_path,
    new_context,
    reference_data,
)
from tests.browser.test_accessibility import AXE_OPTIONS, OVERFLOW_SCRIPT
from tests.conftest import days_ago

pytestmark = pytest.mark.browser


MUNICIPALITIES = {
    "5503": (
        "Harstad kommune",
        True,
        "Kontrakten må gjelde i minst tre år.",
        "The contract must run for three years.",
    ),
    "5501": ("Tromsø kommune", True, "Kontakt flyktningtjenesten før du signerer.", ""),
    "1804": ("Bodø kommune", False, "Vi bosetter bare etter anmodning fra IMDi.", ""),
}


@pytest.fixture
def published(reference_data, live_server):  # noqa: F811 - the imported fixture
    for number, (name, allows, nb, en) in MUNICIPALITIES.items():
        organisation = Organisation.objects.create(
            kind=OrganisationKind.MUNICIPALITY,
            name=name,
            municipality=municipality_by_number(number),
            is_settlement_municipality=True,
        )
        SelfSettlementTerms.objects.create(
            municipality=organisation,
            allows=allows,
            target_groups=[TargetGroup.FAMILIES, TargetGroup.OWN_NETWORK] if allows else [],
            must_find_new_housing_if_moving=allows,
            deposit_help=allows,
            other_terms_nb=nb,
            other_terms_en=en,
            contact_name="Flyktningtjenesten",
            contact_phone="+47 770 00 000",
            contact_email="bosetting@example.org",
            published=True,
            updated_on=days_ago(5),
        )
    hidden = Organisation.objects.create(
        kind=OrganisationKind.MUNICIPALITY, name="Narvik kommune", municipality=municipality_by_number("1806")
    )
    SelfSettlementTerms.objects.create(
        municipality=hidden, allows=True, published=False, updated_on=days_ago(1)
    )


def _violations(page) -> list[str]:
    found = []
    desktop = page.viewport_size
    for width in (desktop["width"], 320):
        page.set_viewport_size({"width": width, "height": desktop["height"]})
        results = Axe().run(page, options=AXE_OPTIONS).response
        for v in results["violations"]:
            targets = ", ".join(" ".join(map(str, n["target"])) for n in v["nodes"][:5])
            found.append(f"@{width}px {v['id']} ({v.get('impact')}): {v['help']} — {targets}")
        overflow = page.evaluate(OVERFLOW_SCRIPT)
        if overflow and width == 320:
            found.append(f"@320px reflow: {overflow[:5]}")
    page.set_viewport_size(desktop)
    return found


def test_the_public_overview_passes_axe_anonymously_in_bokmal_and_english(
    published,
    new_context,  # noqa: F811 - the imported fixture
    report_line,
):
    page = new_context().new_page()
    response = page.goto("/housing/self-settlement/")
    assert response.status == 200 and "/login/" not in page.url
    assert page.locator("html").get_attribute("lang") == "nb"
    assert page.locator("nav.bro-nav").count() == 0  # no menu for anonymous visitors
    rows = page.locator("tbody tr[data-municipality]")
    assert sorted(rows.nth(i).get_attribute("data-municipality") for i in range(rows.count())) == sorted(
        MUNICIPALITIES
    )
    assert "Narvik" not in page.content()
    violations = _violations(page)

    page.select_option("#allows", "yes")
    with page.expect_navigation():
        page.click("main form[role=search] button[type=submit]")
    assert page.locator("tbody tr[data-municipality]").count() == 2
    violations += _violations(page)

    with page.expect_navigation():
        page.click("header button[name=language][value=en]")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_text("The contract must run for three years.").count() == 1
    assert page.locator('[lang="nb"]', has_text="Kontakt flyktningtjenesten").count() == 1
    violations += _violations(page)
    report_line("axe: public self-settlement overview checked in bokmål and English (6 checks)")
    assert not violations, "\n".join(violations)


def test_the_housing_and_request_pages_pass_axe_with_and_without_errors(
    reference_data,  # noqa: F811 - the imported fixture
    live_server,
    new_context,  # noqa: F811 - the imported fixture
    chain,
    users,
    officers,
    published_terms,
    family,
    report_line,
):
    from bro.people.phases import Phase
    from bro.settlement.housing import services
    from tests.browser.conftest import log_in

    from .conftest import request_input, unit_input

    settled = family(Phase.SETTLED, size=3, family_name="Bosettsen")
    ready = family(size=2, family_name="Klarsen")
    family(Phase.SETTLED, size=3, family_name="Trangsen")
    request = services.submit_request(officers["reception"], ready, chain.harstad, request_input())
    small = services.create_unit(
        officers["harstad"], chain.harstad, unit_input(size_m2=28, rooms=1, bedrooms=0)
    )
    big = services.create_unit(officers["harstad"], chain.harstad, unit_input(address="Storgata 3"))
    services.allocate_unit(officers["harstad"], big, settled, from_date=days_ago(10))
    services.grant_support(
        officers["harstad"], settled, granted_on=days_ago(5), amount=30000, purpose="Møbler"
    )
    services.record_guidance(officers["harstad"], settled, date=days_ago(2), kind="home_visit", note="Strøm")

    page = new_context().new_page()
    violations, checked = [], 0

    def check(url=None, submit=None, fill=None, label=""):
        nonlocal violations, checked
        if url:
            assert page.goto(url).status in (200,), url
        for selector, value in (fill or {}).items():
            page.fill(selector, value)
        if submit:
            with page.expect_navigation():
                page.click(submit)
            assert page.locator("[data-testid=error-summary]").count() >= 1, label
        checked += 1
        violations += [f"{label}: {v}" for v in _violations(page)]

    log_in(page, "harstad")
    check(f"/housing/units/{small.id}/allocate/", label="allocate form")
    page.select_option("#id_household", index=1)
    check(submit="main form[method=post] button[type=submit]", label="allocate form, unit too small")
    assert "Boligen er for liten for husstanden" in page.content()
    check("/housing/units/new/", label="unit form")
    check(submit="main form[method=post] button[type=submit]", label="unit form, empty")
    check(f"/housing/households/{settled.id}/", label="household page")
    check(
        submit="form[action$='/support/'] button[type=submit]",
        fill={"#id_support-amount": "0"},
        label="household page, bad support",
    )
    check(f"/housing/requests/{request.id}/", label="request detail with decision form")
    check(submit="form[action$='/decide/'] button[type=submit]", label="decision without a choice")
    check("/housing/terms/", label="terms form")
    check(
        submit="main form[method=post] button[type=submit]",
        fill={"#id_contact_email": "not-an-email"},
        label="terms form, bad email",
    )

    page = new_context().new_page()
    log_in(page, users["reception_staff"].username)
    check("/housing/requests/new/", label="request form")
    check(submit="main form[method=post] button[type=submit]", label="request form, empty")
    check("/housing/requests/", label="request list")

    report_line(f"axe: {checked} housing pages checked as the officer and reception staff")
    assert not violations, "\n".join(violations)
