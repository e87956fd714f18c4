"""Two people hold a short conversation in a real browser: a reply, a reply to the
reply, the thread, a retweet, a quote, and the notifications arriving and being read.
Bob browses without JavaScript: every step is a plain form."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Browser, BrowserContext, expect

from tests.conftest import needs_browser
from tests.e2e.test_browser import _tweet_id, person

pytestmark = needs_browser


def test_a_conversation_with_replies_retweet_quote_and_notifications(
    browser: Browser, contexts: list[BrowserContext], base_url: str, screenshots: Path
) -> None:
    ada = person(browser, contexts, base_url, "ada")
    ada.sign_up()
    bob = person(browser, contexts, base_url, "bob", javascript=False)
    bob.sign_up()
    opening = f"Who is coming to #PyCon this year? @{bob.username}"
    ada.post(opening)
    root_id = _tweet_id(ada.page, opening)

    # Bob opens the thread and replies there.
    bob.go(f"/web/tweets/{root_id}")
    bob.page.get_by_label(f"Reply to @{ada.username}").fill("Me! <b>not bold</b>")
    bob.page.get_by_role("button", name="Reply", exact=True).click()
    expect(bob.page).to_have_url(re.compile(rf"/web/tweets/{root_id}#tweet-\d+$"))
    replies = bob.page.locator("ol.replies")
    expect(replies.locator("article.tweet", has_text="Me! <b>not bold</b>")).to_be_visible()
    assert bob.page.locator("ol.replies b").count() == 0  # shown escaped

    # Ada sees the badge, then replies to Bob's reply from its own thread page.
    ada.go("/web/home")
    expect(ada.page.locator("[data-unread]")).to_contain_text("1")
    reply_id = bob.page.locator("ol.replies article.tweet").first.get_attribute("id")
    assert reply_id is not None
    ada.go(f"/web/tweets/{reply_id.removeprefix('tweet-')}")
    ada.page.get_by_label(f"Reply to @{bob.username}").fill("Great, see you there")
    ada.page.get_by_role("button", name="Reply", exact=True).click()

    # The whole thread, from the first tweet: the reply to the reply is indented.
    bob.go(f"/web/tweets/{root_id}")
    expect(bob.page.locator("ol.replies > li.depth-1")).to_have_count(1)
    expect(bob.page.locator("ol.replies > li.depth-2")).to_have_text(
        re.compile("Great, see you there")
    )
    hashtag = bob.page.locator("div.focus a.hashtag")
    expect(hashtag).to_have_attribute("href", "/web/tags/PyCon")
    expect(bob.page.locator("div.focus a.mention")).to_have_attribute(
        "href", f"/web/u/{bob.username}"
    )
    bob.page.screenshot(path=str(screenshots / "thread.png"), full_page=True)

    # Bob retweets the first tweet (a full-page post), then quotes it.
    focus = bob.page.locator("div.focus")
    focus.get_by_role("button", name="Retweet").click()
    expect(bob.page.locator("div.focus").get_by_role("button", name="Undo retweet")).to_be_visible()
    expect(bob.page.locator("div.focus [data-retweet-count]")).to_have_text("1")
    bob.page.locator("div.focus").get_by_role("link", name="Quote").click()
    bob.page.get_by_label("Your comment").fill("Everyone should go to #pycon")
    bob.page.get_by_role("button", name="Post quote").click()
    expect(bob.page.locator("p.reference a")).to_have_attribute("href", f"/web/tweets/{root_id}")

    # Bob's profile shows his retweet as an entry of its own.
    ada.go(f"/web/u/{bob.username}")
    expect(ada.page.locator("p.retweeted-by").first).to_contain_text("retweeted")

    # The notifications arrive, newest first, and are marked read.
    ada.go("/web/notifications")
    items = ada.page.locator("li.notification")
    expect(items).to_have_count(3)
    expect(items.nth(0)).to_contain_text("quoted your tweet")
    expect(items.nth(1)).to_contain_text("retweeted your tweet")
    expect(items.nth(2)).to_contain_text("replied to you")
    expect(ada.page.locator("[data-unread]")).to_contain_text("3")
    ada.page.screenshot(path=str(screenshots / "notifications.png"), full_page=True)
    ada.page.get_by_role("button", name="Mark all read").click()
    expect(ada.page.locator("li.notification.unread")).to_have_count(0)
    expect(ada.page.locator("[data-unread]")).to_have_count(0)

    # Bob heard of the mention and of Ada's reply to him.
    bob.go("/web/notifications")
    expect(bob.page.locator("li.notification")).to_have_count(2)
    expect(bob.page.locator("li.notification").nth(0)).to_contain_text("replied to you")
    expect(bob.page.locator("li.notification").nth(1)).to_contain_text("mentioned you")

    # Profiles show a display name, chosen on the settings page.
    bob.go("/web/settings")
    bob.page.get_by_label("Display name").fill("Bob the Builder")
    bob.page.get_by_label("Bio").fill("I <3 conferences")
    bob.page.get_by_role("button", name="Save").click()
    expect(bob.page.get_by_role("status")).to_have_text("Saved.")
    bob.go(f"/web/u/{bob.username}")
    expect(bob.page.locator("#profile-heading")).to_contain_text("Bob the Builder")
    expect(bob.page.locator("p.bio")).to_have_text("I <3 conferences")
