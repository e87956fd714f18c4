"""Fixtures every test directory shares: one Playwright driver and one Chromium for the
whole run. Playwright's sync driver owns an event loop while it is open, so a second
driver in the same process fails; the end-to-end pages and the Mastodon consent-page
test both take this one."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Playwright, sync_playwright

BROWSER_PATH = os.environ.get("TWITTER_TEST_BROWSER")

needs_browser = pytest.mark.skipif(
    not BROWSER_PATH,
    reason="TWITTER_TEST_BROWSER is not set (the path of a Chromium, e.g. /usr/bin/chromium)",
)


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    assert BROWSER_PATH is not None
    browser = playwright.chromium.launch(executable_path=BROWSER_PATH)
    yield browser
    browser.close()
