"""The API's docs in a browser that can reach no other host: Swagger UI renders from the
package's own files under its Content-Security-Policy, and its **Authorize** button gets
a token from ``POST /token``."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from urllib.parse import urlsplit

import httpx2
import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, Route, expect

from tests.conftest import needs_browser

pytestmark = needs_browser


@pytest.fixture
def offline_page(browser: Browser, base_url: str) -> Iterator[tuple[Page, list[str]]]:
    """A page whose requests to any other host fail, and the problems its console logged."""
    own_host = urlsplit(base_url).netloc
    context = browser.new_context()
    problems: list[str] = []
    elsewhere: list[str] = []

    def only_own_host(route: Route) -> None:
        if urlsplit(route.request.url).netloc == own_host:
            route.continue_()
        else:
            elsewhere.append(route.request.url)
            route.abort()

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            problems.append(message.text)

    context.route("**/*", only_own_host)
    page = context.new_page()
    page.on("console", on_console)
    yield page, problems
    context.close()
    assert elsewhere == []


def test_swagger_ui_renders_offline_and_authorizes_with_a_password(
    offline_page: tuple[Page, list[str]], base_url: str
) -> None:
    page, problems = offline_page
    username, password = f"docs{uuid.uuid4().hex[:8]}", "correct horse battery"
    created = httpx2.post(
        f"{base_url}/users/",
        json={"username": username, "email": f"{username}@example.com", "password": password},
    )
    assert created.status_code == 201, created.text

    page.goto(f"{base_url}/docs")
    expect(page.locator(".opblock-summary-path", has_text="/tweets/").first).to_be_visible()
    page.get_by_role("button", name="Authorize").first.click()
    dialog = page.locator(".dialog-ux")
    dialog.locator("#oauth_username").fill(username)
    dialog.locator("#oauth_password").fill(password)
    dialog.get_by_role("button", name="Apply given OAuth2 credentials").click()
    expect(dialog.locator("button", has_text="Logout")).to_be_visible()  # got a token
    assert problems == []
