"""Fixtures every test directory shares: one Playwright driver and one Chromium for the
whole run. Playwright's sync driver owns an event loop while it is open, so a second
driver in the same process fails; the end-to-end pages and the Mastodon consent-page
test both take this one."""

from __future__ import annotations

import gc
import os
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Playwright, sync_playwright

BROWSER_PATH = os.environ.get("TWITTER_TEST_BROWSER")

needs_browser = pytest.mark.skipif(
    not BROWSER_PATH,
    reason="TWITTER_TEST_BROWSER is not set (the path of a Chromium, e.g. /usr/bin/chromium)",
)


def pytest_collection_finish(session: pytest.Session) -> None:
    """What the test modules imported stays for the whole run: take it out of the
    garbage collector's full passes, which the apps that tests make and drop keep
    calling for (without this, those passes took a fifth of the integration tests'
    time)."""
    gc.collect()
    gc.freeze()


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
