"""The browser the e2e tests drive turns off what Playwright turns off, and RenderDocument.

Chromium keeps the last --disable-features of its command line only; conftest.py's list
repeats Playwright's, and starts the browser again when a newer Playwright adds to it."""

import os

import pytest

from tests.e2e.conftest import OUR_DISABLED_FEATURES, launched_disabled_features

pytestmark = pytest.mark.browser


@pytest.mark.skipif(not os.path.isdir("/proc"), reason="reads the command line from /proc")
def test_the_browser_keeps_playwrights_disabled_features_and_ours(browser):
    lists = launched_disabled_features()
    assert len(lists) >= 2, lists  # Playwright's, then ours
    kept = lists[-1]  # the one Chromium applies
    assert set().union(*lists[:-1]) <= kept, set().union(*lists[:-1]) - kept
    assert kept >= OUR_DISABLED_FEATURES
    context = browser.new_context()
    assert context.new_page().evaluate("navigator.userAgent").startswith("Mozilla")
    context.close()
