"""Search, bookmarks, blocks and mutes in the pages, without JavaScript."""

from __future__ import annotations

from tests.integration.web_browser import XSS, Browser, assert_html


def test_the_search_box_finds_people_and_tweets(web: Browser, other: Browser) -> None:
    web.sign_up("searcher")
    other.sign_up("sought_one")
    other.tweet("Crème brûlée for everyone")
    other.tweet("nothing to see")

    page = web.get("/web/search?q=CREME+brulee")
    assert_html(page)
    assert "Crème brûlée for everyone" in page.text and "nothing to see" not in page.text
    people = web.get("/web/search?q=%40sought").text
    assert 'href="/web/u/sought_one"' in people.split('id="tweets-heading"')[0]
    assert 'role="search"' in web.get("/web/").text  # the box is on every page


def test_a_search_without_words_says_why(web: Browser) -> None:
    refused = web.get("/web/search?q=%21%21%21")
    assert_html(refused, 422)
    assert "A search must contain at least one word" in refused.text
    assert_html(web.get("/web/search"))  # an empty box: just the form
    assert_html(web.get("/web/search?q=" + "x" * 501), 422)
    escaped = web.get("/web/search", params={"q": XSS})
    assert XSS not in escaped.text


def test_bookmarks_from_a_tweet_to_the_bookmarks_page(web: Browser, other: Browser) -> None:
    other.sign_up()
    tweet = other.tweet("keep this one")
    web.sign_up()
    assert web.get("/web/bookmarks").text.count("No bookmarks yet") == 1

    kept = web.post(f"/web/tweets/{tweet}/bookmark", {"next": "/web/bookmarks"})

    assert kept.headers["location"] == "/web/bookmarks"
    page = web.get("/web/bookmarks").text
    assert "keep this one" in page and f'action="/web/tweets/{tweet}/unbookmark"' in page
    web.post(f"/web/tweets/{tweet}/bookmark")  # a second click changes nothing
    web.post(f"/web/tweets/{tweet}/unbookmark")
    assert "keep this one" not in web.get("/web/bookmarks").text
    other.post("/web/logout")
    logged_out = other.client.get("/web/bookmarks", follow_redirects=False)
    assert logged_out.status_code == 303
    assert logged_out.headers["location"] == "/web/login?next=/web/bookmarks"


def test_a_block_shows_on_both_profiles_and_refuses_the_blocked(
    web: Browser, other: Browser
) -> None:
    web.sign_up("blocker")
    tweet = web.tweet("from the blocker")
    other.sign_up("blocked")
    other.post("/web/u/blocker/follow")

    web.post("/web/u/blocked/block")

    mine = web.get("/web/u/blocked").text
    assert "You block @blocked" in mine and 'action="/web/u/blocked/unblock"' in mine
    theirs = other.get("/web/u/blocker").text
    assert "@blocker has blocked you" in theirs
    assert 'action="/web/u/blocker/follow"' not in theirs
    refused = other.post(f"/web/tweets/{tweet}/like")
    assert_html(refused, 403)
    assert "You are blocked" in refused.text
    assert_html(other.post("/web/u/blocker/follow"), 403)

    web.post("/web/u/blocked/unblock")
    assert 'action="/web/u/blocker/follow"' in other.get("/web/u/blocker").text


def test_a_mute_empties_the_home_timeline_of_that_person(web: Browser, other: Browser) -> None:
    other.sign_up("noisy")
    other.tweet("so much noise")
    web.sign_up()
    web.post("/web/u/noisy/follow")
    assert "so much noise" in web.get("/web/home").text

    web.post("/web/u/noisy/mute")

    assert "so much noise" not in web.get("/web/home").text
    assert 'action="/web/u/noisy/unmute"' in web.get("/web/u/noisy").text
    assert "has blocked you" not in other.get(f"/web/u/{web.username}").text  # cannot tell
    web.post("/web/u/noisy/unmute")
    assert "so much noise" in web.get("/web/home").text
