"""tests/browser's fixtures (live server, the scenario, browser contexts) for the reception browser tests."""

from tests.browser.conftest import (  # noqa: F401 - fixtures used by this folder's tests
    _restore_reference_data,
    browser,
    chromium_path,
    new_context,
    reference_data,
    scenario,
)
