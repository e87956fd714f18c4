"""Search, bookmarks, blocks and mutes over HTTP, on SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import pytest

from tests.integration.api import Account, Api


def _texts(tweets: list[dict[str, Any]]) -> list[str]:
    return [tweet["text"] for tweet in tweets]


def _names(users: list[dict[str, Any]]) -> list[str]:
    return [user["username"] for user in users]


def _search(api: Api, q: str, viewer: Account | None = None, **params: Any) -> list[str]:
    query = "&".join([f"q={quote(q)}", *(f"{k}={v}" for k, v in params.items())])
    response = api.client.get(f"/search/tweets?{query}", headers=viewer.headers if viewer else None)
    assert response.status_code == 200, response.text
    return _texts(response.json())


# -- search ----------------------------------------------------------------------------


def test_search_matches_every_word_in_any_case_and_accent_newest_first(api: Api) -> None:
    ada = api.signup()
    ada.tweet("Un CAFÉ au lait, s'il vous plaît")
    ada.tweet("coffee and a cafe")
    ada.tweet("lait only")
    retweeted = ada.tweet("cafe noir")
    bob = api.signup()
    assert bob.retweet(retweeted["id"]).status_code == 201

    assert _search(api, "cafe") == [
        "cafe noir",
        "coffee and a cafe",
        "Un CAFÉ au lait, s'il vous plaît",
    ]
    assert _search(api, "Café LAIT") == ["Un CAFÉ au lait, s'il vous plaît"]
    assert _search(api, "plait vous") == ["Un CAFÉ au lait, s'il vous plaît"]
    assert _search(api, "caf") == []  # words, not prefixes
    assert _search(api, "tea") == []


def test_search_pages_with_cursors(api: Api) -> None:
    ada = api.signup()
    for n in range(5):
        ada.tweet(f"needle {n}")
    ada.tweet("haystack")

    pages = api.walk("/search/tweets?q=needle&limit=2")

    assert [_texts(page.json()) for page in pages] == [
        ["needle 4", "needle 3"],
        ["needle 2", "needle 1"],
        ["needle 0"],
    ]


@pytest.mark.parametrize(
    "q",
    [
        "'",
        '"',
        '"unbalanced',
        "a & b",
        "a | b",
        "!a",
        "(a",
        "a)",
        "\\",
        "\\\\x",
        "%",
        "_",
        "%_%",
        "a:*",
        "NEAR(a b)",
        "a AND b OR c NOT d",
        "* ^ $",
        "🎉 word",
        "日本語",
        "x" * 500,
        "'; DROP TABLE tweets; --",
        "a-b",
        "-a",
        "+a",
        "{a}",
        "a\tb",
    ],
)
def test_any_search_string_answers_200_or_422_never_500(api: Api, q: str) -> None:
    ada = api.signup()
    ada.tweet("a b c word 日本語")

    response = api.client.get("/search/tweets", params={"q": q})

    assert response.status_code in (200, 422), response.text
    if response.status_code == 422:
        assert response.json()["detail"][0]["loc"] == ["query", "q"]
    users = api.client.get("/search/users", params={"q": q})
    assert users.status_code in (200, 422), users.text


@pytest.mark.parametrize(
    ("q", "message"),
    [
        ("", "q must contain at least one word (letters or digits)"),
        ("!!! ???", "q must contain at least one word (letters or digits)"),
        ("a\x00b", "q must not contain NUL characters"),
        ("x" * 501, "q must be at most 500 characters"),
        (" ".join(f"w{n}" for n in range(17)), "q must contain at most 16 different words"),
    ],
)
def test_a_search_without_usable_words_is_422_naming_q(api: Api, q: str, message: str) -> None:
    response = api.client.get("/search/tweets", params={"q": q})

    assert response.status_code == 422, response.text
    [issue] = response.json()["detail"]
    assert issue["loc"] == ["query", "q"] and issue["msg"] == message


def test_a_search_with_words_found_nowhere_is_an_empty_page(api: Api) -> None:
    assert _search(api, "zebra") == []
    assert api.client.get("/search/tweets").status_code == 422  # q is required


def test_people_search_by_prefix_shortest_first(api: Api) -> None:
    for name in ("alexandra", "Alex", "alexa", "bob", "al_x"):
        api.signup(username=name)

    assert _names(api.get_ok("/search/users?q=al")) == ["al_x", "Alex", "alexa", "alexandra"]
    assert _names(api.get_ok("/search/users?q=%40ALEXA")) == ["alexa", "alexandra"]
    assert _names(api.get_ok("/search/users?q=al&limit=1")) == ["al_x"]
    assert api.get_ok("/search/users?q=a%25") == []
    assert api.get_ok("/search/users?q=zz") == []
    assert set(api.get_ok("/search/users?q=bob")[0]) == {
        "id",
        "username",
        "created_at",
        "display_name",
        "bio",
    }  # never the email
    assert api.client.get("/search/users?q=").status_code == 422
    assert api.client.get("/search/users?q=al&limit=0").status_code == 422


def test_deleted_tweets_leave_search(api: Api) -> None:
    ada = api.signup()
    tweet = ada.tweet("ephemeral words")
    assert ada.delete_tweet(tweet["id"]).status_code == 204

    assert _search(api, "ephemeral") == []


def test_a_bad_token_on_search_is_401(api: Api) -> None:
    response = api.client.get("/search/tweets?q=x", headers={"Authorization": "Bearer nonsense"})
    assert response.status_code == 401


# -- bookmarks -------------------------------------------------------------------------


def test_bookmarks_are_private_newest_first_and_notify_nobody(api: Api) -> None:
    ada, bob = api.signup(), api.signup()
    first, second = bob.tweet("first"), bob.tweet("second")

    created = ada.bookmark(second["id"])
    assert created.status_code == 201, created.text
    assert created.json()["tweet_id"] == second["id"] and created.json()["owner_id"] == ada.id
    assert ada.bookmark(first["id"]).status_code == 201

    assert _texts(api.get_ok(f"/users/{ada.id}/bookmarks", ada.headers)) == ["first", "second"]
    assert bob.notifications() == []
    assert bob.get(f"/users/{ada.id}/bookmarks").status_code == 403
    assert api.client.get(f"/users/{ada.id}/bookmarks").status_code == 401


def test_bookmark_refusals(api: Api) -> None:
    ada, bob = api.signup(), api.signup()
    tweet = bob.tweet()
    assert ada.bookmark(tweet["id"]).status_code == 201

    again = ada.bookmark(tweet["id"])
    assert (again.status_code, again.json()) == (400, {"detail": "Tweet already bookmarked"})
    missing = ada.bookmark(10**9)
    assert (missing.status_code, missing.json()) == (404, {"detail": "Tweet not found"})
    as_other = bob.api.client.post(
        f"/users/{ada.id}/bookmarks", json={"tweet_id": tweet["id"]}, headers=bob.headers
    )
    assert as_other.status_code == 403
    assert ada.bookmark("x").status_code == 422  # type: ignore[arg-type]

    assert ada.unbookmark(tweet["id"]).status_code == 204
    gone = ada.unbookmark(tweet["id"])
    assert (gone.status_code, gone.json()) == (404, {"detail": "Tweet not bookmarked"})
    assert api.get_ok(f"/users/{ada.id}/bookmarks", ada.headers) == []


def test_bookmarking_a_retweet_keeps_its_original_and_a_deleted_tweet_leaves(api: Api) -> None:
    ada, bob = api.signup(), api.signup()
    original = bob.tweet("the original")
    retweet = ada.retweet(original["id"]).json()

    assert ada.bookmark(retweet["id"]).status_code == 201
    assert _texts(api.get_ok(f"/users/{ada.id}/bookmarks", ada.headers)) == ["the original"]

    assert bob.delete_tweet(original["id"]).status_code == 204
    assert api.get_ok(f"/users/{ada.id}/bookmarks", ada.headers) == []


# -- blocks ----------------------------------------------------------------------------


def test_a_block_ends_the_follows_both_ways_and_shuts_the_blocked_out(api: Api) -> None:
    ada, bob = api.signup(), api.signup()
    ada_tweet = ada.tweet("ada writes")
    assert ada.follow(bob.id).status_code == 201
    assert bob.follow(ada.id).status_code == 201

    created = ada.block(bob.id)

    assert created.status_code == 201, created.text
    assert (created.json()["blocker_id"], created.json()["blocked_id"]) == (ada.id, bob.id)
    assert api.get_ok(f"/users/{ada.id}/following") == []
    assert api.get_ok(f"/users/{ada.id}/followers") == []
    for refused in (
        bob.follow(ada.id),
        bob.like(ada_tweet["id"]),
        bob.retweet(ada_tweet["id"]),
        bob.post("a reply", reply={"in_reply_to_tweet_id": ada_tweet["id"]}),
        bob.post("a quote", quote_tweet_id=ada_tweet["id"]),
    ):
        assert (refused.status_code, refused.json()) == (403, {"detail": "You are blocked"})
    refused = ada.follow(bob.id)
    assert refused.status_code == 403
    assert refused.json() == {"detail": "You have blocked this user; unblock them first"}
    assert [u["id"] for u in api.get_ok(f"/users/{ada.id}/blocking", ada.headers)] == [bob.id]


def test_the_blocker_stops_seeing_the_blocked(api: Api) -> None:
    ada, bob, cat = api.signup(), api.signup(), api.signup()
    ada_tweet = ada.tweet("ada writes")
    bob.tweet(f"hello @{ada.user['username']} zebra")
    assert bob.like(ada_tweet["id"]).status_code == 201
    assert ada.follow(cat.id).status_code == 201
    bob_tweet = bob.tweet("bob zebra")
    assert cat.retweet(bob_tweet["id"]).status_code == 201
    assert ada.notifications() != []

    assert ada.block(bob.id).status_code == 201

    assert ada.notifications() == []
    assert _search(api, "zebra", ada) == []
    assert _search(api, "zebra") == ["bob zebra", f"hello @{ada.user['username']} zebra"]
    timeline = api.get_ok(f"/users/{ada.id}/timeline", ada.headers)
    assert [t["id"] for t in timeline] == [ada_tweet["id"]]  # cat's retweet of bob is gone
    bob.tweet(f"again @{ada.user['username']}")
    assert ada.notifications() == []  # their mentions notify nobody


def test_block_refusals_and_unblock(api: Api) -> None:
    ada, bob = api.signup(), api.signup()

    myself = ada.block(ada.id)
    assert (myself.status_code, myself.json()) == (400, {"detail": "Users cannot block themselves"})
    assert ada.block(10**9).status_code == 404
    assert ada.block(bob.id).status_code == 201
    again = ada.block(bob.id)
    assert (again.status_code, again.json()) == (400, {"detail": "Already blocking this user"})
    as_other = api.client.post(
        f"/users/{ada.id}/blocking", json={"target_user_id": bob.id}, headers=bob.headers
    )
    assert as_other.status_code == 403
    assert bob.get(f"/users/{ada.id}/blocking").status_code == 403
    assert api.client.get(f"/users/{ada.id}/blocking").status_code == 401

    assert ada.unblock(bob.id).status_code == 204
    gone = ada.unblock(bob.id)
    assert (gone.status_code, gone.json()) == (404, {"detail": "Not blocking this user"})
    assert bob.follow(ada.id).status_code == 201  # unblocked: allowed again
    assert api.get_ok(f"/users/{ada.id}/blocking", ada.headers) == []


# -- mutes -----------------------------------------------------------------------------


def test_a_mute_empties_the_timeline_and_notifications_of_that_user_only(api: Api) -> None:
    ada, bob, cat = api.signup(), api.signup(), api.signup()
    assert ada.follow(bob.id).status_code == 201
    assert ada.follow(cat.id).status_code == 201
    bob_tweet = bob.tweet("bob says")
    assert cat.retweet(bob_tweet["id"]).status_code == 201
    cat_tweet = cat.tweet("cat says")
    bob.tweet(f"hi @{ada.user['username']}")

    created = ada.mute(bob.id)

    assert created.status_code == 201, created.text
    assert (created.json()["muter_id"], created.json()["muted_id"]) == (ada.id, bob.id)
    timeline = api.get_ok(f"/users/{ada.id}/timeline", ada.headers)
    assert [t["id"] for t in timeline] == [cat_tweet["id"]]
    assert ada.notifications() == []
    # Nothing else changes, and bob cannot tell.
    assert [u["id"] for u in api.get_ok(f"/users/{ada.id}/following")] == [cat.id, bob.id]
    assert bob.like(ada.tweet()["id"]).status_code == 201
    assert bob.get(f"/users/{ada.id}/muting").status_code == 403
    assert [u["id"] for u in api.get_ok(f"/users/{ada.id}/muting", ada.headers)] == [bob.id]

    assert ada.unmute(bob.id).status_code == 204
    assert len(api.get_ok(f"/users/{ada.id}/timeline", ada.headers)) == 5
    assert len(ada.notifications()) == 2


def test_mute_refusals(api: Api) -> None:
    ada, bob = api.signup(), api.signup()

    myself = ada.mute(ada.id)
    assert (myself.status_code, myself.json()) == (400, {"detail": "Users cannot mute themselves"})
    assert ada.mute(10**9).status_code == 404
    assert ada.mute(bob.id).status_code == 201
    again = ada.mute(bob.id)
    assert (again.status_code, again.json()) == (400, {"detail": "Already muting this user"})
    assert ada.unmute(bob.id).status_code == 204
    gone = ada.unmute(bob.id)
    assert (gone.status_code, gone.json()) == (404, {"detail": "Not muting this user"})
    assert ada._target("muting", "x").status_code == 422  # type: ignore[arg-type]
