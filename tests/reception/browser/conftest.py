"""tests/browser's fixtures (live server, the scenario, browser contexts) for the reception browser tests.

The browser itself is module-scoped here rather than session-scoped: Playwright's sync API allows one
running instance per thread, and a second session-scoped copy of tests/browser's fixture (pytest makes
one per conftest that imports it) would collide with the next app's copy. A shared session-scoped
fixture in tests/conftest.py would be the better home for all of them.
"""

import pytest

from tests.browser.conftest import (  # noqa: F401 - fixtures used by this folder's tests
    CHROMIUM_ARGS,
    _restore_reference_data,
    chromium_path,
    new_context,
    reference_data,
    scenario,
)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    executable = chromium_path()
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            yield instance
        finally:
            instance.close()
