"""Finding people and tweets, then shutting someone out, in a real browser: search
finds a person and a tweet, a mute empties the home timeline of that person, and a
block takes effect at once on both sides. Bob browses without JavaScript."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Browser, BrowserContext, expect

from tests.conftest import needs_browser
from tests.e2e.test_browser import person

pytestmark = needs_browser


def test_search_then_mute_then_block(
    browser: Browser, contexts: list[BrowserContext], base_url: str, screenshots: Path
) -> None:
    ada = person(browser, contexts, base_url, "ada")
    ada.sign_up()
    ada.post("Baking again this weekend")
    bob = person(browser, contexts, base_url, "bob", javascript=False)
    bob.sign_up()
    bob.post("Fresh #sourdough, crème fraîche on the side")

    # Ada finds Bob's tweet by its words, whatever their case and accents ...
    ada.go("/web/home")
    ada.page.get_by_label("Search tweets and people").fill("SOURDOUGH creme")
    ada.page.get_by_role("button", name="Search", exact=True).click()
    expect(ada.page).to_have_url(re.compile(r"/web/search\?q=SOURDOUGH\+creme$"))
    expect(ada.tweet("Fresh #sourdough")).to_be_visible()
    # ... and Bob himself by the start of his username.
    ada.page.get_by_label("Words or the start of a username").fill("@" + bob.username[:4])
    ada.page.get_by_role("button", name="Search", exact=True).last.click()
    ada.page.get_by_role("link", name=f"@{bob.username}").click()
    expect(ada.page).to_have_url(re.compile(rf"/web/u/{bob.username}$"))
    ada.page.get_by_role("button", name="Follow", exact=True).click()
    ada.page.screenshot(path=str(screenshots / "search-then-follow.png"), full_page=True)

    # A mute takes Bob out of Ada's home timeline, and nothing tells him.
    ada.go("/web/home")
    expect(ada.tweet("Fresh #sourdough")).to_be_visible()
    ada.go(f"/web/u/{bob.username}")
    ada.page.get_by_role("button", name="Mute", exact=True).click()
    expect(ada.page.get_by_role("button", name="Unmute", exact=True)).to_be_visible()
    ada.go("/web/home")
    expect(ada.tweet("Baking again")).to_be_visible()
    expect(ada.tweet("Fresh #sourdough")).to_have_count(0)
    bob.go(f"/web/u/{ada.username}")
    expect(bob.page.get_by_role("button", name="Follow", exact=True)).to_be_visible()
    bob.page.get_by_role("button", name="Follow", exact=True).click()
    expect(bob.page.get_by_role("button", name="Unfollow", exact=True)).to_be_visible()

    # A block: at once, neither follows the other, and Bob is refused.
    ada.go(f"/web/u/{bob.username}")
    ada.page.get_by_role("button", name="Block", exact=True).click()
    expect(ada.page.locator(".notice")).to_contain_text(f"You block @{bob.username}")
    expect(ada.page.locator('[data-stat="followers"]')).to_have_text("0")
    expect(ada.page.locator('[data-stat="following"]')).to_have_text("0")
    bob.go(f"/web/u/{ada.username}")
    expect(bob.page.locator(".notice")).to_contain_text(f"@{ada.username} has blocked you")
    expect(bob.page.get_by_role("button", name="Follow", exact=True)).to_have_count(0)
    bob.tweet("Baking again").get_by_role("button", name="Like", exact=True).click()
    expect(bob.page.get_by_text("You are blocked")).to_be_visible()
    bob.page.screenshot(path=str(screenshots / "blocked.png"), full_page=True)
    # Ada's search no longer shows Bob's tweets.
    ada.go("/web/search?q=sourdough")
    expect(ada.tweet("Fresh #sourdough")).to_have_count(0)
