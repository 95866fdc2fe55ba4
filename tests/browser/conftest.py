"""Browser tests: Debian's Chromium driven by Playwright against pytest-django's live server.

Playwright cannot download its own browsers here, so we launch the system Chromium
(``/usr/bin/chromium``, or ``$BRO_CHROMIUM``). ``make test`` installs it first through
``scripts/ensure-chromium.sh``; if it is still missing these tests fail rather than skip, so a
missing browser can never pass as "accessible".
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.db import connections

from bro.core.roles import Role
from bro.people import services
from bro.people.phases import AccessBasis, FinishOutcome, Phase, Relation
from tests.conftest import PASSWORD, days_ago, person_input

# Playwright's sync API runs an asyncio event loop in this thread; Django refuses ORM calls from
# a thread with a running loop unless told that this is deliberate.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(items):
    here = Path(__file__).parent
    for item in items:
        if here in item.path.parents:
            item.add_marker(pytest.mark.browser)


def chromium_path() -> str:
    configured = os.environ.get("BRO_CHROMIUM")
    candidates = [configured] if configured else ["/usr/bin/chromium", "/usr/bin/chromium-browser"]
    for candidate in candidates:
        found = shutil.which(candidate) if candidate else None
        if found:
            return found
    pytest.fail(
        f"Chromium not found (looked for {', '.join(c for c in candidates if c)}). The browser tests need "
        "Debian's Chromium: run scripts/ensure-chromium.sh (part of `make test`) or `apt-get install "
        "chromium`, or point BRO_CHROMIUM at a Chromium executable.",
        pytrace=False,
    )


@pytest.fixture(scope="module")
def browser():
    """One Chromium per test module. Playwright's sync API allows one running instance per thread, and
    other folders import this fixture (pytest then makes a copy per module): module scope lets each copy
    close before the next one starts."""
    from playwright.sync_api import sync_playwright

    executable = chromium_path()
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            yield instance
        finally:
            instance.close()


@pytest.fixture
def new_context(browser, live_server):
    """Open browser contexts (one per user) on the live server; all are closed after the test."""
    opened = []

    def _new_context(**options):
        options.setdefault("base_url", live_server.url)
        options.setdefault("locale", "nb-NO")
        options.setdefault("viewport", {"width": 1280, "height": 900})
        context = browser.new_context(**options)
        context.set_default_timeout(15_000)
        opened.append(context)
        return context

    yield _new_context
    for context in opened:
        context.close()


def log_in(page, username: str, password: str = PASSWORD) -> None:
    """Log in through the real login form."""
    page.goto("/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert "/login/" not in page.url, f"login as {username} failed: still on {page.url}"


@dataclass
class Scenario:
    chain: object
    users: dict
    persons: dict


def _load_reference_data() -> None:
    """The municipality registry that migration 0002 loads, if a transactional flush emptied it."""
    from bro.core.models import Municipality
    from bro.core.municipalities import load_municipalities

    if not Municipality.objects.exists():
        load_municipalities(Municipality)


@pytest.fixture(scope="module", autouse=True)
def _restore_reference_data(django_db_setup, django_db_blocker):
    """Leave the municipalities in place for whatever runs after this module.

    Transactional tests (live_server needs them) empty every table when they end. Django's
    ``serialized_rollback`` cannot help here: Playwright's sync API runs an event loop, and Django's
    connection objects are context-local, so the snapshot taken at database setup is not on the
    connection the tests see. Loading the registry again is cheap and idempotent.
    """
    yield
    with django_db_blocker.unblock():
        _load_reference_data()
        # The connection used here belongs to Playwright's event-loop context; close it, or PostgreSQL
        # refuses to drop the test database at the end ("being accessed by other users").
        connections.close_all()


@pytest.fixture
def reference_data(transactional_db) -> None:
    _load_reference_data()


@pytest.fixture
def scenario(reference_data, live_server, chain, users, arrive) -> Scenario:
    """The test chain with persons in several phases, so lists, person pages and forms have content.

    - Yusuf Ali: the whole way to the introduction programme in Harstad, with a child in his household
      and shared access for the adult-education centre and the health service.
    - Amina Haddad: at Harstad reception centre.
    - Omar Nasser: ready for settlement (the directorate is responsible).
    - Farid Rahimi: finished the programme, with an outcome and a note.
    """
    officer = services.Actor(users[Role.MUNICIPAL_SETTLEMENT_OFFICER])
    yusuf = arrive(
        Phase.IN_PROGRAMME,
        given_name="Yusuf",
        family_name="Ali",
        nationalities=["SO"],
        languages=[
            services.LanguageInput("so", is_preferred=True, needs_interpreter=True),
            services.LanguageInput("ar"),
        ],
        phone="+47 912 34 567",
        address="Storgata 1, 9405 Harstad",
    )
    child = services.register_person(
        officer,
        person_input(
            given_name="Hana",
            family_name="Ali",
            birth_date=days_ago(9 * 365),
            immigrant_category="family_reunified",
            nationalities=["SO"],
            languages=[services.LanguageInput("so", is_preferred=True)],
        ),
        organisation=chain.harstad,
        initial_phase=Phase.PERMIT_GRANTED,
        phase_date=days_ago(60),
        family_of=yusuf,
        relation=Relation.CHILD,
    )
    for organisation in (chain.adult_education, chain.health):
        services.grant_shared_access(
            officer,
            yusuf,
            organisation=organisation,
            basis=AccessBasis.CONSENT,
            consent_date=days_ago(100),
            purpose="Introduction programme",
        )
    amina = arrive(Phase.RECEPTION)
    omar = arrive(Phase.READY_FOR_SETTLEMENT, given_name="Omar", family_name="Nasser", sex="male")
    farid = arrive(Phase.IN_PROGRAMME, given_name="Farid", family_name="Rahimi", sex="male")
    services.record_transition(
        officer,
        farid,
        phase=Phase.FINISHED,
        on=days_ago(10),
        outcome=FinishOutcome.WORK,
        note="Permanent job as an electrician at a local firm; the programme ended early.",
    )
    return Scenario(
        chain=chain,
        users=users,
        persons={"yusuf": yusuf, "hana": child, "amina": amina, "omar": omar, "farid": farid},
    )
