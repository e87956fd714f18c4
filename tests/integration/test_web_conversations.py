"""The conversation pages over HTTP, without JavaScript: replies and threads, retweets
in place, quotes, tag pages, entity links that escape everything, notifications with
their badge, and the profile settings."""

from __future__ import annotations

import re

from tests.integration.conftest import second_client
from tests.integration.web_browser import XSS, Browser, assert_html


def _new_ids(page: str) -> list[int]:
    return [int(found) for found in re.findall(r'id="tweet-(\d+)"', page)]


def test_a_reply_from_the_thread_page_lands_below_it_and_nests(
    web: Browser, other: Browser
) -> None:
    web.sign_up()
    root = web.tweet("the start of it")
    other.sign_up()
    answer = other.post("/web/tweets", {"text": "an answer", "in_reply_to_id": str(root)})
    assert answer.status_code == 303
    assert re.fullmatch(rf"/web/tweets/{root}#tweet-\d+", answer.headers["location"])
    reply_id = int(answer.headers["location"].rsplit("-", 1)[1])
    web.post("/web/tweets", {"text": "an answer to it", "in_reply_to_id": str(reply_id)})
    thread = web.get(f"/web/tweets/{root}")
    assert_html(thread)
    assert '<li class="depth-1">' in thread.text and '<li class="depth-2">' in thread.text
    below = web.get(f"/web/tweets/{reply_id}")
    assert 'aria-label="Earlier in the thread"' in below.text
    assert "the start of it" in below.text.split('<div class="focus">')[0]


def test_a_refused_reply_comes_back_to_the_thread_with_its_text(web: Browser) -> None:
    web.sign_up()
    root = web.tweet("root")
    refused = web.post("/web/tweets", {"text": "x" * 281, "in_reply_to_id": str(root)})
    assert_html(refused, 422)
    assert "x" * 281 in refused.text and "root" in refused.text
    for bad in ("abc", "-1", "9" * 30):
        assert_html(web.post("/web/tweets", {"text": "hi", "in_reply_to_id": bad}), 422)
    assert_html(web.post("/web/tweets", {"text": "hi", "in_reply_to_id": "999"}), 404)


def test_retweet_and_undo_without_javascript_and_in_place(web: Browser, other: Browser) -> None:
    web.sign_up()
    tweet = web.tweet("worth sharing")
    other.sign_up()
    shared = other.post(f"/web/tweets/{tweet}/retweet", {"next": f"/web/u/{other.username}"})
    assert shared.headers["location"] == f"/web/u/{other.username}"
    profile = other.get(f"/web/u/{other.username}").text
    assert "retweeted" in profile and "worth sharing" in profile
    assert f'action="/web/tweets/{tweet}/unretweet"' in profile
    fragment = other.client.post(
        f"/web/tweets/{tweet}/unretweet",
        data={"csrf_token": other.token, "next": "/web/"},
        headers={"X-Requested-With": "fetch"},
    )
    assert fragment.status_code == 200
    assert fragment.text.lstrip().startswith('<form class="retweet"')
    assert "data-retweet-count>0<" in fragment.text
    again = other.post(f"/web/tweets/{tweet}/unretweet")  # already undone: nothing to do
    assert again.status_code == 303


def test_a_quote_is_composed_on_its_own_page(web: Browser, other: Browser) -> None:
    web.sign_up()
    tweet = web.tweet("quote me")
    anonymous = second_client(web.client)
    assert anonymous.get(f"/web/tweets/{tweet}/quote", follow_redirects=False).status_code == 303
    other.sign_up()
    page = other.get(f"/web/tweets/{tweet}/quote")
    assert_html(page)
    assert f'name="quote_tweet_id" value="{tweet}"' in page.text
    posted = other.post("/web/tweets", {"text": "my take", "quote_tweet_id": str(tweet)})
    quote_id = int(posted.headers["location"].rsplit("/", 1)[1])
    shown = other.get(f"/web/tweets/{quote_id}").text
    assert f'<a href="/web/tweets/{tweet}">Quoting a tweet</a>' in shown


def test_entities_are_links_and_everything_else_is_escaped(web: Browser, other: Browser) -> None:
    other.sign_up()
    web.sign_up()
    web.tweet(f"{XSS} #Tag @{other.username} #<b>")
    page = web.get("/web/").text
    assert "<script>" not in page and 'onerror="alert' not in page
    assert '<a class="hashtag" href="/web/tags/Tag">#Tag</a>' in page
    assert f'<a class="mention" href="/web/u/{other.username}">@{other.username}</a>' in page
    tagged = web.get("/web/tags/tag")
    assert_html(tagged)
    assert "#Tag" in tagged.text and "&lt;script&gt;" in tagged.text


def test_notifications_page_badge_and_mark_read(web: Browser, other: Browser) -> None:
    web.sign_up()
    tweet = web.tweet("notice me")
    assert "data-unread" not in web.get("/web/home").text
    other.sign_up()
    other.post(f"/web/tweets/{tweet}/like")
    other.post(f"/web/u/{web.username}/follow")
    home = web.get("/web/home").text
    assert re.search(r"data-unread>2<", home)
    page = web.get("/web/notifications")
    assert_html(page)
    assert "followed you" in page.text and "liked your tweet" in page.text
    assert page.text.count('class="notification unread"') == 2
    newest = re.search(r'name="max_id" value="(\d+)"', page.text)
    assert newest is not None
    web.post("/web/notifications/read", {"max_id": newest.group(1)})
    read = web.get("/web/notifications").text
    assert 'class="notification unread"' not in read and "data-unread" not in read
    assert web.client.get("/web/notifications", follow_redirects=False).status_code == 200
    anonymous = second_client(web.client)
    assert anonymous.get("/web/notifications", follow_redirects=False).status_code == 303


def test_settings_change_the_display_name_and_bio_shown_escaped(
    web: Browser, other: Browser
) -> None:
    web.sign_up()
    web.tweet("by me")
    saved = web.post("/web/settings", {"display_name": XSS[:50], "bio": "I <3 tea"})
    assert saved.headers["location"] == "/web/settings?saved=1"
    other.sign_up()
    for path in (f"/web/u/{web.username}", "/web/"):
        page = other.get(path).text
        assert "<script>" not in page
        assert "&lt;script&gt;" in page, path
    assert "I &lt;3 tea" in other.get(f"/web/u/{web.username}").text
    refused = web.post("/web/settings", {"display_name": "x" * 51, "bio": ""})
    assert_html(refused, 422)
    assert "at most 50" in refused.text
