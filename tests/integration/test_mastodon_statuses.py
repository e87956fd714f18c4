"""Statuses and timelines on the Mastodon API: the entity, the writes it refuses,
deletion's answer, and Mastodon's pagination."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.integration.api import Account, Api
from tests.integration.conftest import StatementCounter
from tests.integration.test_mastodon_login import _token


def _post(api: Api, headers: dict[str, str], **form: str) -> Any:
    return api.client.post("/api/v1/statuses", data=form, headers=headers)


def test_a_status_is_posted_and_shown_as_mastodon_shows_it(api: Api) -> None:
    ada, bob = api.signup(username="ada"), api.signup(username="bob")
    headers = _token(api, ada)
    bob.tweet("first")

    posted = _post(api, headers, status="Hi @bob, see #Python <world> & more\nbye")

    assert posted.status_code == 200, posted.text
    status = posted.json()
    assert isinstance(status["id"], str) and status["visibility"] == "public"
    assert status["account"]["id"] == str(ada.id) and status["account"]["statuses_count"] == 1
    assert status["content"] == (
        '<p>Hi <span class="h-card"><a href="http://testserver/web/u/bob" class="u-url mention">'
        "@<span>bob</span></a></span>, see "
        '<a href="http://testserver/web/tags/Python" class="mention hashtag" rel="tag">'
        "#<span>Python</span></a> &lt;world&gt; &amp; more<br>bye</p>"
    )
    assert status["mentions"] == [
        {"id": str(bob.id), "username": "bob", "acct": "bob", "url": "http://testserver/web/u/bob"}
    ]
    assert [tag["name"] for tag in status["tags"]] == ["python"]
    assert "scheduled_at" not in status and status["reblog"] is None
    fetched = api.get_ok(f"/api/v1/statuses/{status['id']}")
    assert fetched == status


def test_a_reply_and_a_reblog(api: Api) -> None:
    ada, bob = api.signup(), api.signup()
    root = bob.tweet("root")
    headers = _token(api, ada)

    reply = _post(api, headers, status="a reply", in_reply_to_id=str(root["id"])).json()
    assert (reply["in_reply_to_id"], reply["in_reply_to_account_id"]) == (
        str(root["id"]),
        str(bob.id),
    )
    assert ada.retweet(root["id"]).status_code == 201
    [shared, mine] = api.client.get("/api/v1/timelines/home", headers=headers).json()[:2]
    assert shared["reblog"]["id"] == str(root["id"]) and shared["content"] == ""
    assert shared["reblog"]["reblogged"] is True and mine["id"] == reply["id"]


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"status": "x", "media_ids[]": "1"}, "Media attachments are not supported here"),
        ({"status": "x", "visibility": "private"}, "Only public statuses are supported here"),
        ({"status": "x", "poll[options][]": "a"}, "Polls are not supported here"),
        ({"status": "x", "spoiler_text": "cw"}, "Content warnings are not supported here"),
        ({"status": "x", "sensitive": "true"}, "Sensitive marks are not supported here"),
        ({"status": ""}, "text must be 1..280 characters"),
        ({"status": "x" * 281}, "text must be 1..280 characters"),
    ],
)
def test_what_cannot_be_honoured_is_refused_with_a_reason(
    api: Api, form: dict[str, str], message: str
) -> None:
    ada = api.signup()

    refused = _post(api, _token(api, ada), **form)

    assert refused.status_code == 422, refused.text
    assert refused.json()["error"].startswith(message)
    assert api.get_ok(f"/users/{ada.id}/tweets/") == []


def test_uploads_edits_and_votes_are_refused_with_a_reason_and_change_nothing(api: Api) -> None:
    ada = api.signup()
    headers = _token(api, ada)
    tweet = ada.tweet("as it was")

    upload = api.client.post("/api/v2/media", files={"file": ("a.png", b"png")}, headers=headers)
    edit = api.client.put(
        f"/api/v1/statuses/{tweet['id']}", data={"status": "edited"}, headers=headers
    )
    vote = api.client.post("/api/v1/polls/1/votes", data={"choices[]": "0"}, headers=headers)
    anonymous = api.client.post("/api/v1/media", files={"file": ("a.png", b"png")})

    assert (upload.status_code, upload.json()["error"]) == (
        422,
        "Media attachments are not supported here",
    )
    assert (edit.status_code, edit.json()["error"]) == (
        422,
        "Editing statuses is not supported here",
    )
    assert (vote.status_code, vote.json()["error"]) == (422, "Polls are not supported here")
    assert anonymous.status_code == 401 and set(anonymous.json()) == {"error"}
    assert api.get_ok(f"/tweets/{tweet['id']}")["text"] == "as it was"


def test_deleting_answers_200_with_the_status_and_its_text(api: Api) -> None:
    ada, bob = api.signup(), api.signup()
    headers = _token(api, ada)
    status = _post(api, headers, status="soon gone").json()

    deleted = api.client.delete(f"/api/v1/statuses/{status['id']}", headers=headers)

    assert deleted.status_code == 200
    assert deleted.json()["text"] == "soon gone" and deleted.json()["id"] == status["id"]
    assert api.client.get(f"/api/v1/statuses/{status['id']}").status_code == 404
    theirs = bob.tweet("not yours")
    refused = api.client.delete(f"/api/v1/statuses/{theirs['id']}", headers=headers)
    assert refused.status_code == 403 and set(refused.json()) == {"error"}


def _link(response: Any) -> list[tuple[str, str]]:
    return re.findall(r'<([^>]+)>; rel="(\w+)"', response.headers.get("link", ""))


def test_timelines_page_as_mastodon_clamping_the_limit_with_next_then_prev(api: Api) -> None:
    ada = api.signup()
    headers = _token(api, ada)
    ids = [ada.tweet(f"t{n}")["id"] for n in range(45)]

    first = api.client.get("/api/v1/timelines/home?limit=1000", headers=headers)

    assert len(first.json()) == 40  # clamped, not refused
    links = _link(first)
    assert [rel for _, rel in links] == ["next", "prev"]
    assert first.headers["link"].startswith("<") and '>; rel="next", <' in first.headers["link"]
    assert links[0][0].endswith(f"limit=1000&max_id={ids[5]}")
    assert links[1][0].endswith(f"limit=1000&min_id={ids[44]}")
    rest = api.client.get(links[0][0].removeprefix("http://testserver"), headers=headers)
    assert [int(s["id"]) for s in rest.json()] == ids[:5][::-1]
    assert [rel for _, rel in _link(rest)] == ["prev"]  # the last page: no next
    assert len(api.client.get("/api/v1/timelines/home?limit=abc", headers=headers).json()) == 20
    newer = api.client.get(f"/api/v1/timelines/public?since_id={ids[42]}").json()
    assert [int(s["id"]) for s in newer] == [ids[44], ids[43]]
    assert api.get_ok("/api/v1/timelines/public?remote=true") == []
    assert [s["content"] for s in api.get_ok("/api/v1/timelines/tag/none")] == []


def test_a_page_of_statuses_costs_what_one_costs(
    api: Api, count_statements: StatementCounter
) -> None:
    authors: list[Account] = [api.signup() for _ in range(5)]
    for author in authors:
        author.tweet("hello")

    def statements(limit: int) -> int:
        count_statements.statements.clear()
        with count_statements:
            response = api.client.get(f"/api/v1/timelines/public?limit={limit}")
        assert response.status_code == 200 and len(response.json()) == limit
        return count_statements.count

    statements(1)  # warm up
    assert statements(1) == statements(5)


def test_favourite_reblog_and_bookmark_answer_the_status_and_repeat_safely(api: Api) -> None:
    ada, bob = api.signup(), api.signup()
    tweet = bob.tweet("worth it")
    headers = _token(api, ada)

    def act(name: str) -> Any:
        response = api.client.post(f"/api/v1/statuses/{tweet['id']}/{name}", headers=headers)
        assert response.status_code == 200, response.text
        return response.json()

    liked = act("favourite")
    assert (liked["favourited"], liked["favourites_count"]) == (True, 1)
    assert act("favourite")["favourites_count"] == 1  # a repeat: the same
    reblog = act("reblog")
    assert reblog["reblog"]["id"] == str(tweet["id"]) and reblog["reblog"]["reblogged"] is True
    assert act("reblog")["reblogged"] is True  # again: the status, shared already
    assert act("bookmark")["bookmarked"] is True
    assert act("unbookmark")["bookmarked"] is False
    assert act("unreblog")["reblogs_count"] == 0
    assert act("unfavourite")["favourited"] is False
    assert act("unfavourite")["favourites_count"] == 0  # not liked: fine
    assert api.get_ok(f"/tweets/{tweet['id']}")["like_count"] == 0
    missing = api.client.post("/api/v1/statuses/999/favourite", headers=headers)
    assert (missing.status_code, missing.json()) == (404, {"error": "Tweet not found"})


def test_context_is_the_thread_above_and_below(api: Api) -> None:
    ada, bob = api.signup(), api.signup()
    root = ada.tweet("root")
    middle = bob.reply(root["id"], "middle")
    leaf = ada.reply(middle["id"], "leaf")

    thread = api.get_ok(f"/api/v1/statuses/{middle['id']}/context")

    assert [s["id"] for s in thread["ancestors"]] == [str(root["id"])]
    assert [s["id"] for s in thread["descendants"]] == [str(leaf["id"])]
    assert thread["descendants"][0]["in_reply_to_id"] == str(middle["id"])


def test_lists_of_statuses_and_accounts_page_on_their_keys(api: Api) -> None:
    ada, bob, cat = api.signup(), api.signup(), api.signup()
    headers = _token(api, ada)
    tweets = [bob.tweet(f"b{n}") for n in range(3)]
    for tweet in tweets:
        api.client.post(f"/api/v1/statuses/{tweet['id']}/favourite", headers=headers)
        api.client.post(f"/api/v1/statuses/{tweet['id']}/bookmark", headers=headers)
    for account in (bob, cat):
        api.client.post(f"/api/v1/accounts/{account.id}/follow", headers=headers)
    cat.reply(tweets[0]["id"], "a reply")
    assert cat.retweet(tweets[1]["id"]).status_code == 201

    favourites = api.client.get("/api/v1/favourites?limit=2", headers=headers)
    assert [s["content"] for s in favourites.json()] == ["<p>b2</p>", "<p>b1</p>"]
    [(next_url, rel)] = _link(favourites)  # keyed by the like: next only
    assert rel == "next" and "max_id=" in next_url
    rest = api.client.get(next_url.removeprefix("http://testserver"), headers=headers).json()
    assert [s["content"] for s in rest] == ["<p>b0</p>"]
    assert len(api.client.get("/api/v1/bookmarks", headers=headers).json()) == 3
    following = api.get_ok(f"/api/v1/accounts/{ada.id}/following")
    assert [a["id"] for a in following] == [str(cat.id), str(bob.id)]
    assert following[1]["statuses_count"] == 3 and following[1]["followers_count"] == 1
    assert [a["id"] for a in api.get_ok(f"/api/v1/accounts/{bob.id}/followers")] == [str(ada.id)]
    likers = api.get_ok(f"/api/v1/statuses/{tweets[0]['id']}/favourited_by")
    assert [a["id"] for a in likers] == [str(ada.id)]
    sharers = api.get_ok(f"/api/v1/statuses/{tweets[1]['id']}/reblogged_by")
    assert [a["id"] for a in sharers] == [str(cat.id)]
    everything = api.get_ok(f"/api/v1/accounts/{cat.id}/statuses")
    assert len(everything) == 2
    assert (
        api.get_ok(f"/api/v1/accounts/{cat.id}/statuses?exclude_reblogs=true&exclude_replies=1")
        == []
    )
    assert api.get_ok(f"/api/v1/accounts/{cat.id}/statuses?pinned=true") == []
    api.client.post(f"/api/v1/accounts/{cat.id}/mute", headers=headers)
    api.client.post(f"/api/v1/accounts/{bob.id}/block", headers=headers)
    assert [a["id"] for a in api.client.get("/api/v1/mutes", headers=headers).json()] == [
        str(cat.id)
    ]
    assert [a["id"] for a in api.client.get("/api/v1/blocks", headers=headers).json()] == [
        str(bob.id)
    ]


def test_search_v2_finds_accounts_by_prefix_and_statuses_by_words(api: Api) -> None:
    ada = api.signup(username="ada_lovelace")
    ada.tweet("The Analytical Engine weaves algebraic patterns")
    headers = _token(api, ada)

    both = api.client.get("/api/v2/search?q=@ada_love", headers=headers).json()
    words = api.get_ok("/api/v2/search?q=ENGINE+patterns&type=statuses")

    assert [a["username"] for a in both["accounts"]] == ["ada_lovelace"]
    assert both["statuses"] == [] and both["hashtags"] == []
    assert [s["account"]["username"] for s in words["statuses"]] == ["ada_lovelace"]
    assert words["accounts"] == []
    assert api.get_ok("/api/v2/search?q=%21%21") == {"accounts": [], "statuses": [], "hashtags": []}
    bad = api.client.get("/api/v2/search?q=x&type=places")
    assert bad.status_code == 422 and set(bad.json()) == {"error"}


def test_notifications_with_their_accounts_and_statuses(
    api: Api, count_statements: StatementCounter
) -> None:
    ada, bob = api.signup(username="ada"), api.signup()
    headers = _token(api, ada)
    tweet = ada.tweet("mine")
    assert bob.like(tweet["id"]).status_code == 201
    assert bob.follow(ada.id).status_code == 201
    reply = bob.reply(tweet["id"], "@ada a reply")
    assert bob.retweet(tweet["id"]).status_code == 201

    listed = api.client.get("/api/v1/notifications", headers=headers).json()

    assert [n["type"] for n in listed] == ["reblog", "mention", "follow", "favourite"]
    assert all(n["account"]["id"] == str(bob.id) for n in listed)
    assert listed[0]["status"]["id"] == str(tweet["id"]) and listed[2]["status"] is None
    assert listed[1]["status"]["id"] == str(reply["id"])
    only = api.client.get("/api/v1/notifications?types[]=favourite", headers=headers).json()
    assert [n["type"] for n in only] == ["favourite"]
    without = "/api/v1/notifications?exclude_types[]=mention&exclude_types[]=reblog"
    assert [n["type"] for n in api.client.get(without, headers=headers).json()] == [
        "follow",
        "favourite",
    ]
    one = api.client.get(f"/api/v1/notifications/{listed[2]['id']}", headers=headers)
    assert one.json() == listed[2]
    missing = api.client.get("/api/v1/notifications/999999", headers=headers)
    assert (missing.status_code, missing.json()) == (404, {"error": "Notification not found"})
    paged = api.client.get("/api/v1/notifications?limit=2", headers=headers)
    assert [rel for _, rel in _link(paged)] == ["next", "prev"]

    def statements(limit: int) -> int:
        count_statements.statements.clear()
        with count_statements:
            api.client.get(f"/api/v1/notifications?limit={limit}", headers=headers)
        return count_statements.count

    statements(1)
    assert statements(1) == statements(4)


def test_notifications_are_dismissed_one_by_one_or_cleared_with_a_write_token(api: Api) -> None:
    ada, bob = api.signup(username="ada"), api.signup()
    headers, reading = _token(api, ada), _token(api, ada, scopes="read")
    tweet = ada.tweet("mine")
    assert bob.like(tweet["id"]).status_code == 201
    assert bob.follow(ada.id).status_code == 201
    bob.reply(tweet["id"], "@ada a reply")
    reply, follow, like = api.client.get("/api/v1/notifications", headers=headers).json()

    refused = api.client.post(f"/api/v1/notifications/{reply['id']}/dismiss", headers=reading)
    dismissed = api.client.post(f"/api/v1/notifications/{reply['id']}/dismiss", headers=headers)
    again = api.client.post(f"/api/v1/notifications/{reply['id']}/dismiss", headers=headers)
    by_form = api.client.post(
        "/api/v1/notifications/dismiss", data={"id": follow["id"]}, headers=headers
    )
    bob_headers = _token(api, bob)
    not_bobs = api.client.post(f"/api/v1/notifications/{like['id']}/dismiss", headers=bob_headers)
    left = api.client.get("/api/v1/notifications", headers=headers).json()
    cleared = api.client.post("/api/v1/notifications/clear", headers=headers)

    assert refused.status_code == 403 and set(refused.json()) == {"error"}
    assert (dismissed.status_code, dismissed.json()) == (200, {})
    assert again.status_code == 404 and set(again.json()) == {"error"}
    assert by_form.status_code == 200 and not_bobs.status_code == 404
    assert [n["id"] for n in left] == [like["id"]]
    assert (cleared.status_code, cleared.json()) == (200, {})
    assert api.client.get("/api/v1/notifications", headers=headers).json() == []
    for junk in ("abc", "0", "99999999999999999999999"):
        path = f"/api/v1/notifications/{junk}/dismiss"
        assert api.client.post(path, headers=headers).status_code == 404
    assert api.client.post("/api/v1/notifications/dismiss", headers=headers).status_code == 404
