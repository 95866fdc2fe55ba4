"""WCAG 2.1 A/AA: axe-core on every page reachable from the main menu, for every role.

For each role we log in through the login form, follow every link in the main menu, and go one
click deeper where it matters: a person's page (also in English), the person and transition
forms, the registration form, the administration pages, and every form once more after an
invalid submission so the error summary and the field errors are checked too. The login page,
a failed login and the two-factor page are checked separately.

Every page is checked at desktop width and again at 320 CSS pixels, where WCAG 1.4.10 (reflow)
applies: tables then scroll inside their own focusable region, and the page itself must not
scroll sideways (checked with a small script; axe-core has no reflow rule). Any violation fails
the test with the page, rule, impact and target selectors; ``BRO_AXE_LIST=1`` lists every page
checked after the summary line.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse

from bro.core.roles import Role

from .conftest import log_in

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}

PHONE_WIDTH = 320
# Elements wider than the viewport, outside a scrolling table wrapper (empty when the page reflows).
OVERFLOW_SCRIPT = """() => {
    const width = document.documentElement.clientWidth;
    if (document.documentElement.scrollWidth <= width) return [];
    const wide = [];
    for (const el of document.body.querySelectorAll('*')) {
        if (el.closest('.bro-table-wrap')) continue;
        const box = el.getBoundingClientRect();
        if (box.width && (box.right > width + 1 || box.left < -1)) {
            wide.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
                      (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).join('.') : '') +
                      ` (${Math.round(box.left)}–${Math.round(box.right)}px)`);
        }
    }
    return wide.length ? wide : ['html (scrollWidth ' + document.documentElement.scrollWidth + 'px)'];
}"""

# The richest person in the scenario (long timeline, household, shared access): open them when listed.
PREFERRED_PERSON = "Ali, Yusuf"
PREFERRED_USER = "harstad"


@dataclass
class Violation:
    who: str
    page: str
    url: str
    rule: str
    impact: str
    help: str
    targets: list[str]

    def __str__(self) -> str:
        targets = "\n".join(f"        {t}" for t in self.targets[:8])
        more = f"\n        … and {len(self.targets) - 8} more" if len(self.targets) > 8 else ""
        return (
            f"  [{self.who}] {self.page} — {self.url}\n"
            f"    {self.rule} ({self.impact}): {self.help}\n{targets}{more}"
        )


@dataclass
class AxeTally:
    """Every page checked and every violation found in this module, for the summary line."""

    pages: list[tuple[str, str, str]] = field(default_factory=list)
    violations: list[Violation] = field(default_factory=list)


@pytest.fixture(scope="module")
def tally(report_line):
    result = AxeTally()
    yield result
    line = f"axe: {len(result.pages)} pages checked, {len(result.violations)} violations"
    if os.environ.get("BRO_AXE_LIST"):
        line += "".join(f"\n  {who:30} {label:45} {url}" for who, label, url in result.pages)
    report_line(line)


class Crawler:
    """One logged-in (or anonymous) browser page that runs axe-core where it is told to."""

    axe = Axe()

    def __init__(self, page, who: str, tally: AxeTally):
        self.page = page
        self.who = who
        self.tally = tally
        self.found: list[Violation] = []
        self.problems: list[str] = []
        self.checked: set[str] = set()  # URLs already checked by visit(): menu pages, mostly

    def _path(self) -> str:
        url = urlsplit(self.page.url)
        return url.path + (f"?{url.query}" if url.query else "")

    def check(self, label: str) -> None:
        """Run axe-core on the page as it is now, at desktop width and at 320 CSS pixels (reflow)."""
        self.page.wait_for_load_state("load")
        url = self._path()
        self.tally.pages.append((self.who, label, url))
        desktop = self.page.viewport_size
        try:
            for width in (desktop["width"], PHONE_WIDTH):
                if width != self.page.viewport_size["width"]:
                    self.page.set_viewport_size({"width": width, "height": desktop["height"]})
                where = label if width == desktop["width"] else f"{label} @{width}px"
                self._axe(where, url)
            # WCAG 1.4.10: at 320 px nothing but a data table (in its own scrolling region) may
            # need sideways scrolling.
            overflow = self.page.evaluate(OVERFLOW_SCRIPT)
            if overflow:
                self._add(
                    Violation(
                        self.who,
                        f"{label} @{PHONE_WIDTH}px",
                        url,
                        "reflow (1.4.10)",
                        "serious",
                        "The page scrolls sideways at 320 px",
                        overflow,
                    )
                )
        finally:
            self.page.set_viewport_size(desktop)

    def _axe(self, label: str, url: str) -> None:
        results = self.axe.run(self.page, options=AXE_OPTIONS).response
        for v in results["violations"]:
            targets = [" ".join(map(str, node["target"])) for node in v["nodes"]]
            self._add(Violation(self.who, label, url, v["id"], v.get("impact") or "?", v["help"], targets))

    def _add(self, violation: Violation) -> None:
        self.found.append(violation)
        self.tally.violations.append(violation)

    def _expect(self, response, label: str, statuses: tuple[int, ...]) -> bool:
        status = response.status if response is not None else None
        if status not in statuses:
            self.problems.append(
                f"  [{self.who}] {label}: HTTP {status} at {self._path()} (wanted {statuses})"
            )
            return False
        return True

    def visit(self, url: str, label: str, statuses: tuple[int, ...] = (200,)) -> bool:
        """Open ``url`` and check it (once per crawl); False when it did not load as expected."""
        ok = self._expect(self.page.goto(url), label, statuses)
        if ok and url not in self.checked:
            self.checked.add(url)
            self.check(label)
        return ok

    def follow(self, link, label: str) -> bool:
        """Click a link (a real click, as a user would) and check the page it opens."""
        with self.page.expect_navigation() as navigation:
            link.click()
        ok = self._expect(navigation.value, label, (200,))
        if ok:
            self.check(label)
        return ok

    def submit_invalid(self, label: str, clear: tuple[str, ...] = (), fill: dict | None = None) -> None:
        """Empty (or spoil) some fields of the page's main form, submit it, check the error page."""
        for selector in clear:
            self.page.fill(selector, "")
        for selector, value in (fill or {}).items():
            self.page.fill(selector, value)
        with self.page.expect_navigation() as navigation:
            self.page.click("main form[method=post][novalidate] button[type=submit]")
        if self._expect(navigation.value, label, (200, 400)):
            summary = self.page.locator("[data-testid=error-summary]")
            if summary.count() == 0:
                self.problems.append(f"  [{self.who}] {label}: no error summary at {self._path()}")
            self.check(label)

    def menu(self) -> list[tuple[str, str]]:
        links = self.page.locator("header nav[aria-label] a")
        return [(links.nth(i).get_attribute("href"), links.nth(i).inner_text()) for i in range(links.count())]

    def switch_language(self, code: str) -> None:
        with self.page.expect_navigation():
            self.page.click(f"header button[name=language][value={code}]")
        assert self.page.locator("html").get_attribute("lang") == code

    def report(self) -> str:
        lines = []
        if self.found:
            lines.append(f"{len(self.found)} WCAG 2.1 A/AA violation(s) for {self.who}:")
            lines.extend(str(v) for v in self.found)
        if self.problems:
            lines.append("Pages that did not load as expected:")
            lines.extend(self.problems)
        return "\n".join(lines)


def _pick(links, preferred: str):
    for i in range(links.count()):
        if preferred in links.nth(i).inner_text():
            return links.nth(i)
    return links.first


def _person_pages(crawler: Crawler) -> None:
    page = crawler.page
    links = page.locator("#person-results tbody a")
    if links.count() == 0:
        # Shared-access readers (teacher, nurse) find their persons under "include earlier".
        crawler.visit(reverse("people:person_list") + "?history=1", "person list, earlier persons included")
        links = page.locator("#person-results tbody a")
    if links.count() == 0:
        crawler.problems.append(f"  [{crawler.who}] the person list is empty: no person page to check")
        return
    if not crawler.follow(_pick(links, PREFERRED_PERSON), "person page"):
        return

    log = page.locator("main details.ds-details")
    if log.count():
        log.locator("summary").click()
        crawler.check("person page, access log opened")

    crawler.switch_language("en")
    crawler.check("person page (English)")
    crawler.switch_language("nb")

    edit = page.locator("main a[href$='/edit/']")
    transition = page.locator("main a[href$='/transition/']")
    family = page.locator("main a[href*='family_of=']")
    edit_url = edit.first.get_attribute("href") if edit.count() else None
    transition_url = transition.first.get_attribute("href") if transition.count() else None
    family_url = family.first.get_attribute("href") if family.count() else None

    if edit_url and crawler.visit(edit_url, "person edit form"):
        crawler.submit_invalid(
            "person edit form, invalid", clear=("#id_given_name",), fill={"#id_email": "not-an-email"}
        )
    if transition_url and crawler.visit(transition_url, "transition form"):
        crawler.submit_invalid("transition form, invalid", clear=("#id_date",))
    if family_url and crawler.visit(family_url, "register a family member"):
        crawler.submit_invalid("register a family member, invalid")


def _admin_pages(crawler: Crawler) -> None:
    page = crawler.page
    if crawler.visit(reverse("core:organisation_list"), "organisation list"):
        org = page.locator("main tbody a").first
        if crawler.follow(org, "organisation edit"):
            crawler.submit_invalid("organisation edit, invalid", clear=("#id_name",))
    if crawler.visit(reverse("core:organisation_create"), "new organisation"):
        crawler.submit_invalid("new organisation, invalid")
    if crawler.visit(reverse("core:user_list"), "user list") and crawler.follow(
        _pick(page.locator("main tbody a"), PREFERRED_USER), "user edit"
    ):
        crawler.submit_invalid("user edit (add a role), invalid")
    if crawler.visit(reverse("core:user_create"), "new user"):
        crawler.submit_invalid("new user, invalid", fill={"#id_email": "not-an-email"})
    crawler.visit(reverse("core:audit_log") + "?person=not-a-uuid&date_from=x", "audit log, invalid filter")


@pytest.mark.parametrize("role", list(Role), ids=[r.value for r in Role])
def test_every_page_from_the_menu_passes_axe(role, scenario, new_context, tally):
    page = new_context().new_page()
    crawler = Crawler(page, role.value, tally)
    log_in(page, scenario.users[role].username)

    menu = crawler.menu()
    assert menu, f"{role.value}: no main menu after login"
    hrefs = [href for href, _ in menu]
    for href, label in menu:
        crawler.visit(href, f"menu: {label}")

    if reverse("people:person_list") in hrefs:
        crawler.visit(reverse("people:person_list"), "person list")
        _person_pages(crawler)
    if reverse("people:person_create") in hrefs:
        crawler.visit(reverse("people:person_create"), "register person")
        crawler.submit_invalid("register person, invalid", fill={"#id_birth_date": ""})
    if reverse("core:organisation_list") in hrefs:
        _admin_pages(crawler)

    report = crawler.report()
    assert not report, "\n" + report


def test_login_and_two_factor_pages_pass_axe(scenario, new_context, tally):
    page = new_context().new_page()
    crawler = Crawler(page, "anonymous", tally)
    crawler.visit(reverse("core:login"), "login")
    crawler.submit_invalid("login, failed", fill={"#id_username": "nobody", "#id_password": "wrong password"})
    crawler.switch_language("en")
    crawler.check("login (English)")
    crawler.switch_language("nb")

    log_in(page, scenario.users[Role.VOLUNTEER].username)
    crawler.who = "volunteer"
    if crawler.visit(reverse("core:two_factor"), "two-factor setup"):
        crawler.submit_invalid("two-factor setup, wrong code", fill={"#id_token": "12"})

    report = crawler.report()
    assert not report, "\n" + report


def test_pages_are_styled_by_designsystemet(scenario, new_context):
    """A broken static setup (404 on the CSS, wrong STATIC_URL) must not pass as 'no violations'."""
    page = new_context().new_page()
    stylesheets = []
    page.on("response", lambda r: stylesheets.append((r.url, r.status)) if r.url.endswith(".css") else None)
    page.goto(reverse("core:login"))
    page.wait_for_load_state("load")

    names = sorted(url.rsplit("/", 1)[-1] for url, _ in stylesheets)
    assert names == ["bro.css", "index.css", "theme.css"], stylesheets
    assert all(status == 200 for _, status in stylesheets), stylesheets

    style = page.evaluate(
        """() => {
            const button = document.querySelector('main .ds-button');
            const s = getComputedStyle(button);
            const root = getComputedStyle(document.documentElement);
            return {
                accent: root.getPropertyValue('--ds-color-accent-base-default').trim(),
                background: s.backgroundColor,
                color: s.color,
                radius: s.borderTopLeftRadius,
                display: s.display,
                bodyDisplay: getComputedStyle(document.body).display,
                font: root.fontFamily,
            };
        }"""
    )
    # theme.css defines the Digdir accent; index.css paints the primary button with it.
    assert style["accent"].lower() == "#0062ba", style
    assert style["background"] == "rgb(0, 98, 186)", style
    assert style["color"] == "rgb(255, 255, 255)", style
    assert style["radius"] not in ("", "0px"), style
    assert style["display"] in ("flex", "inline-flex"), style
    # bro.css: the sticky-footer body layout and the font stack.
    assert style["bodyDisplay"] == "flex", style
    assert "system-ui" in style["font"], style
