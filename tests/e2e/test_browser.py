"""The web pages in a real browser: two people, their tweets, likes and follows; the same
with JavaScript off; escaping, CSRF and a phone-sized screen."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Dialog, Page, expect

from tests.conftest import needs_browser

pytestmark = needs_browser

PASSWORD = "correct horse battery"
PHONE = {"width": 390, "height": 844}
_numbers = itertools.count(1)


def unique(name: str) -> str:
    return f"{name}{next(_numbers)}"


class Person:
    """One person in a browser context of their own."""

    def __init__(self, page: Page, base_url: str, username: str) -> None:
        self.page = page
        self.base_url = base_url
        self.username = username

    def go(self, path: str) -> None:
        self.page.goto(self.base_url + path)

    def sign_up(self) -> None:
        self.go("/web/signup")
        self.page.get_by_label("Email").fill(f"{self.username}@example.com")
        self.page.get_by_label("Username").fill(self.username)
        self.page.get_by_label("Password").fill(PASSWORD)
        self.page.get_by_role("button", name="Sign up").click()
        expect(self.page).to_have_url(re.compile(r"/web/home$"))

    def post(self, text: str) -> None:
        self.go("/web/home")
        self.page.get_by_label("What is happening?").fill(text)
        self.page.get_by_role("button", name="Post").click()
        expect(self.page).to_have_url(re.compile(r"/web/home$"))
        expect(self.tweet(text)).to_be_visible()

    def tweet(self, text: str) -> object:
        return self.page.locator("article.tweet", has_text=text)

    def like_count(self, text: str) -> object:
        return self.page.locator("article.tweet", has_text=text).locator("[data-like-count]")


def person(
    browser: Browser,
    contexts: list[BrowserContext],
    base_url: str,
    name: str,
    *,
    javascript: bool = True,
    viewport: dict[str, int] | None = None,
) -> Person:
    context = browser.new_context(
        java_script_enabled=javascript, viewport=viewport or {"width": 1000, "height": 900}
    )
    contexts.append(context)
    page = context.new_page()
    page.on("dialog", _no_dialog)
    return Person(page, base_url, unique(name))


def _no_dialog(dialog: Dialog) -> None:
    message = dialog.message
    dialog.dismiss()
    pytest.fail(f"a page opened a dialog (script ran): {message!r}")


def _mark_document(page: Page) -> None:
    """A mark that a full navigation or reload would wipe out."""
    page.evaluate("window.__stillHere = true")


def _document_kept(page: Page) -> bool:
    return bool(page.evaluate("window.__stillHere === true"))


def test_two_people_tweet_follow_like_unlike_and_delete_in_place(
    browser: Browser, contexts: list[BrowserContext], base_url: str, screenshots: Path
) -> None:
    ada = person(browser, contexts, base_url, "ada")
    ada.sign_up()
    text = "Hello from Ada, the first tweet of the end-to-end test"
    ada.post("Warming up: a first tweet")
    ada.post(text)

    bob = person(browser, contexts, base_url, "bob")
    bob.sign_up()
    bob.post("Bob here. Reading everyone's tweets")
    bob.go(f"/web/u/{ada.username}")
    profile_url = bob.page.url
    _mark_document(bob.page)

    followers = bob.page.locator('[data-stat="followers"]')
    expect(followers).to_have_text("0")
    bob.page.get_by_role("button", name="Follow").click()
    expect(bob.page.get_by_role("button", name="Unfollow")).to_be_visible()
    expect(followers).to_have_text("1")  # the count follows the button, in place

    tweet = bob.page.locator("article.tweet", has_text=text)
    tweet.get_by_role("button", name="Like").click()
    expect(tweet.get_by_role("button", name="Unlike")).to_be_visible()
    expect(tweet.locator("[data-like-count]")).to_have_text("1")
    assert bob.page.url == profile_url
    assert _document_kept(bob.page), "liking and following reloaded the page"

    bob.go("/web/home")
    expect(bob.tweet(text)).to_be_visible()  # Bob follows Ada: her tweets are on his home
    bob.page.screenshot(path=str(screenshots / "home.png"), full_page=True)

    ada.go(f"/web/u/{ada.username}")
    expect(ada.like_count(text)).to_have_text("1")
    expect(ada.page.locator('[data-stat="followers"]')).to_have_text("1")
    ada.page.screenshot(path=str(screenshots / "profile.png"), full_page=True)

    bob.go(f"/web/tweets/{_tweet_id(ada.page, text)}")
    expect(bob.page.get_by_role("link", name=f"@{bob.username}").last).to_be_visible()
    _mark_document(bob.page)
    bob.page.get_by_role("button", name="Unlike").click()
    expect(bob.page.get_by_role("button", name="Like")).to_be_visible()
    expect(bob.page.locator("[data-like-count]")).to_have_text("0")
    assert _document_kept(bob.page)

    ada.page.reload()
    expect(ada.like_count(text)).to_have_text("0")
    ada.tweet(text).get_by_role("button", name="Delete").click()  # type: ignore[attr-defined]
    expect(ada.page).to_have_url(re.compile(rf"/web/u/{ada.username}$"))
    expect(ada.tweet(text)).to_have_count(0)  # type: ignore[arg-type]
    expect(ada.page.locator('[data-stat="tweets"]')).to_have_text("1")


def _tweet_id(page: Page, text: str) -> str:
    href = page.locator("article.tweet", has_text=text).locator("a.when").get_attribute("href")
    assert href is not None
    return href.rsplit("/", 1)[1]


def test_without_javascript_every_form_works_with_full_page_posts(
    browser: Browser, contexts: list[BrowserContext], base_url: str
) -> None:
    cleo = person(browser, contexts, base_url, "cleo", javascript=False)
    cleo.sign_up()
    text = "Written without any JavaScript"
    cleo.post(text)

    dan = person(browser, contexts, base_url, "dan", javascript=False)
    dan.sign_up()
    dan.go(f"/web/u/{cleo.username}")
    dan.page.get_by_role("button", name="Follow").click()
    expect(dan.page).to_have_url(re.compile(rf"/web/u/{cleo.username}$"))
    expect(dan.page.get_by_role("button", name="Unfollow")).to_be_visible()
    expect(dan.page.locator('[data-stat="followers"]')).to_have_text("1")

    dan.go("/web/home")
    tweet = dan.page.locator("article.tweet", has_text=text)
    tweet.get_by_role("button", name="Like").click()
    expect(dan.page).to_have_url(re.compile(r"/web/home$"))
    expect(dan.like_count(text)).to_have_text("1")

    cleo.go(f"/web/u/{cleo.username}")
    expect(cleo.like_count(text)).to_have_text("1")

    dan.page.locator("article.tweet", has_text=text).get_by_role("button", name="Unlike").click()
    expect(dan.like_count(text)).to_have_text("0")
    dan.page.get_by_role("button", name="Log out").click()
    expect(dan.page.get_by_role("link", name="Log in")).to_be_visible()

    cleo.page.reload()
    expect(cleo.like_count(text)).to_have_text("0")
    cleo.page.locator("article.tweet", has_text=text).get_by_role("button", name="Delete").click()
    expect(cleo.tweet(text)).to_have_count(0)  # type: ignore[arg-type]


def test_a_script_in_a_tweet_shows_as_text(
    browser: Browser, contexts: list[BrowserContext], base_url: str
) -> None:
    eve = person(browser, contexts, base_url, "eve")
    eve.sign_up()
    attack = "<script>alert(1)</script><img src=x onerror=alert(2)>"
    eve.post(attack)
    for path in ("/web/", "/web/home", f"/web/u/{eve.username}"):
        eve.go(path)
        expect(eve.page.locator("p.text", has_text=attack)).to_have_text(attack)
    eve.go(f"/web/tweets/{_tweet_id(eve.page, attack)}")
    expect(eve.page.locator("p.text")).to_have_text(attack)
    assert eve.page.locator("article img").count() == 0


def test_a_post_without_the_csrf_token_is_refused(
    browser: Browser, contexts: list[BrowserContext], base_url: str
) -> None:
    fay = person(browser, contexts, base_url, "fay")
    fay.sign_up()  # the session cookie is there: only the token is missing
    forged = fay.page.request.post(f"{base_url}/web/tweets", form={"text": "forged tweet"})
    assert forged.status == 403
    assert "text/html" in forged.headers["content-type"]
    fay.go("/web/home")
    expect(fay.page.get_by_text("forged tweet")).to_have_count(0)


def test_pages_fit_a_phone_screen(
    browser: Browser, contexts: list[BrowserContext], base_url: str
) -> None:
    gus = person(browser, contexts, base_url, "gus", viewport=PHONE)
    gus.sign_up()
    gus.post("A long word that must wrap: " + "x" * 120)
    tweet_id = _tweet_id(gus.page, "A long word")
    for path in (
        "/web/",
        "/web/home",
        f"/web/u/{gus.username}",
        f"/web/tweets/{tweet_id}",
        "/web/login",
        "/web/signup",
    ):
        gus.go(path)
        fits = gus.page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        assert fits, f"{path} scrolls sideways on a phone"
