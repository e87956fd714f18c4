"""Replies, retweets, quotes, threads, hashtags and mentions over HTTP, on SQLite and
PostgreSQL: shapes, statuses, ordering and Link headers."""

from __future__ import annotations

from typing import Any

import pytest

from tests.integration.api import TWEET_FIELDS, Api, next_link


def _ids(items: list[dict[str, Any]]) -> list[int]:
    return [item["id"] for item in items]


def _counts(api: Api, tweet_id: int) -> tuple[int, int, int, int]:
    tweet = api.get_ok(f"/tweets/{tweet_id}")
    return tweet["reply_count"], tweet["retweet_count"], tweet["quote_count"], tweet["like_count"]


def test_every_tweet_carries_the_new_fields_in_order_on_writes_and_reads(api: Api) -> None:
    ada = api.signup(username="ada")
    written = ada.tweet("plain")
    assert list(written) == TWEET_FIELDS
    assert written["conversation_id"] == written["id"]
    assert written["in_reply_to_user_id"] is None
    assert written["referenced_tweets"] == []
    assert written["entities"] == {"hashtags": [], "mentions": []}
    for url in ("/tweets/", f"/users/{ada.id}/tweets/", f"/users/{ada.id}/timeline"):
        listed = api.get_ok(url, headers=ada.headers)
        assert listed == [written], url
    assert api.get_ok(f"/tweets/{written['id']}") == written


def test_a_reply_answers_201_in_its_parents_conversation(api: Api) -> None:
    ada, bob = api.signup(), api.signup()
    root = ada.tweet("root")
    first = bob.reply(root["id"])
    second = ada.reply(first["id"])
    assert second["conversation_id"] == root["id"]
    assert second["in_reply_to_user_id"] == bob.id
    assert second["referenced_tweets"] == [{"type": "replied_to", "id": first["id"]}]
    assert _counts(api, root["id"]) == (1, 0, 0, 0)
    seed_route = api.client.post(
        f"/users/{bob.id}/tweets/",
        json={"text": "via the seed's route", "reply": {"in_reply_to_tweet_id": root["id"]}},
        headers=bob.headers,
    )
    assert seed_route.status_code == 201, seed_route.text
    assert seed_route.json()["conversation_id"] == root["id"]
    assert _counts(api, root["id"]) == (2, 0, 0, 0)


@pytest.mark.parametrize(
    "body",
    [
        {"reply": {"in_reply_to_tweet_id": 999}},
        {"quote_tweet_id": 999},
        {"quote_tweet_id": 2**63},
        {"reply": {"in_reply_to_tweet_id": -1}},
    ],
)
def test_replying_to_or_quoting_a_missing_tweet_is_404(api: Api, body: dict[str, Any]) -> None:
    ada = api.signup()
    response = ada.post("hi", **body)
    assert response.status_code == 404, response.text
    assert response.json() == {"detail": "Tweet not found"}
    assert api.get_ok("/tweets/") == []


@pytest.mark.parametrize(
    "body",
    [
        {"reply": {}},
        {"reply": {"in_reply_to_tweet_id": "x"}},
        {"reply": 5},
        {"quote_tweet_id": "one"},
    ],
)
def test_a_malformed_reference_is_422(api: Api, body: dict[str, Any]) -> None:
    response = api.signup().post("hi", **body)
    assert response.status_code == 422, response.text


def test_retweets_answer_201_once_and_404_for_nothing(api: Api) -> None:
    ada, bob, cy = api.signup(), api.signup(), api.signup()
    original = ada.tweet("share me #now")
    response = bob.retweet(original["id"])
    assert response.status_code == 201, response.text
    shared = response.json()
    assert list(shared) == TWEET_FIELDS
    assert (shared["owner_id"], shared["text"]) == (bob.id, original["text"])
    assert shared["referenced_tweets"] == [{"type": "retweeted", "id": original["id"]}]
    assert shared["entities"] == original["entities"]

    again = bob.retweet(original["id"])
    assert again.status_code == 400 and again.json() == {"detail": "Tweet already retweeted"}
    assert bob.retweet(shared["id"]).status_code == 400  # a retweet's original
    of_retweet = cy.retweet(shared["id"])
    assert of_retweet.status_code == 201
    assert of_retweet.json()["referenced_tweets"][0]["id"] == original["id"]
    assert bob.retweet(999).status_code == 404
    assert _counts(api, original["id"]) == (0, 2, 0, 0)
    retweeters = api.get_ok(f"/tweets/{original['id']}/retweeted_by")
    assert _ids(retweeters) == [cy.id, bob.id]


def test_undoing_a_retweet_answers_204_then_404(api: Api) -> None:
    ada, bob = api.signup(), api.signup()
    original = ada.tweet()
    shared = bob.retweet(original["id"]).json()
    response = bob.undo_retweet(original["id"])
    assert response.status_code == 204 and response.content == b""
    assert bob.undo_retweet(original["id"]).status_code == 404
    assert api.client.get(f"/tweets/{shared['id']}").status_code == 404
    assert _counts(api, original["id"]) == (0, 0, 0, 0)


def test_retweeting_for_someone_else_is_403_and_without_a_token_401(api: Api) -> None:
    ada, bob = api.signup(), api.signup()
    tweet = ada.tweet()
    forged = api.client.post(
        f"/users/{bob.id}/retweets", json={"tweet_id": tweet["id"]}, headers=ada.headers
    )
    assert forged.status_code == 403
    anonymous = api.client.post(f"/users/{bob.id}/retweets", json={"tweet_id": tweet["id"]})
    assert anonymous.status_code == 401
    assert api.client.delete(f"/users/{bob.id}/retweets/{tweet['id']}").status_code == 401


def test_timelines_and_lists_include_retweets_as_their_own_entries(api: Api) -> None:
    ada, bob, cy = api.signup(), api.signup(), api.signup()
    original = ada.tweet()
    shared = bob.retweet(original["id"]).json()
    assert cy.follow(bob.id).status_code == 201
    assert _ids(api.get_ok(f"/users/{cy.id}/timeline", headers=cy.headers)) == [shared["id"]]
    assert _ids(api.get_ok("/tweets/")) == [shared["id"], original["id"]]
    assert _ids(api.get_ok(f"/users/{bob.id}/tweets/")) == [shared["id"]]


def test_quotes_are_listed_under_the_quoted_tweet_and_dangle_once_it_is_gone(api: Api) -> None:
    ada, bob = api.signup(), api.signup()
    original = ada.tweet()
    first, second = bob.quote(original["id"]), ada.quote(original["id"])
    assert first["referenced_tweets"] == [{"type": "quoted", "id": original["id"]}]
    assert _counts(api, original["id"]) == (0, 0, 2, 0)
    quotes = api.get_ok(f"/tweets/{original['id']}/quote_tweets")
    assert _ids(quotes) == [second["id"], first["id"]]
    assert ada.delete_tweet(original["id"]).status_code == 204
    kept = api.get_ok(f"/tweets/{first['id']}")
    assert kept["referenced_tweets"] == [{"type": "quoted", "id": original["id"]}]
    assert api.client.get(f"/tweets/{original['id']}").status_code == 404
    assert api.client.get(f"/tweets/{original['id']}/quote_tweets").status_code == 404


def test_the_context_has_the_ancestors_and_the_descendants_depth_first(api: Api) -> None:
    ada, bob = api.signup(), api.signup()
    root = ada.tweet("root")
    a = bob.reply(root["id"], "a")
    a1 = ada.reply(a["id"], "a1")
    b = ada.reply(root["id"], "b")
    a2 = bob.reply(a["id"], "a2")
    around_a = api.get_ok(f"/tweets/{a['id']}/context")
    assert list(around_a) == ["ancestors", "descendants"]
    assert _ids(around_a["ancestors"]) == [root["id"]]
    assert _ids(around_a["descendants"]) == [a1["id"], a2["id"]]
    assert list(around_a["ancestors"][0]) == TWEET_FIELDS
    around_root = api.get_ok(f"/tweets/{root['id']}/context")
    assert around_root["ancestors"] == []
    assert _ids(around_root["descendants"]) == [a["id"], a1["id"], a2["id"], b["id"]]
    assert api.client.get("/tweets/999/context").status_code == 404
    assert api.client.get("/tweets/x/context").status_code == 422


def test_deleting_a_tweet_keeps_its_replies_and_uncounts_it(api: Api) -> None:
    ada, bob = api.signup(), api.signup()
    root = ada.tweet()
    middle = bob.reply(root["id"])
    leaf = ada.reply(middle["id"])
    assert bob.delete_tweet(middle["id"]).status_code == 204
    kept = api.get_ok(f"/tweets/{leaf['id']}")
    assert kept["referenced_tweets"] == [] and kept["conversation_id"] == root["id"]
    assert _counts(api, root["id"]) == (0, 0, 0, 0)
    assert api.get_ok(f"/tweets/{leaf['id']}/context")["ancestors"] == []


def test_deleting_an_account_keeps_every_counter_elsewhere_true(api: Api) -> None:
    ada, bob = api.signup(), api.signup()
    original = ada.tweet()
    bob.reply(original["id"])
    bob.quote(original["id"])
    assert bob.retweet(original["id"]).status_code == 201
    assert bob.like(original["id"]).status_code == 201
    assert _counts(api, original["id"]) == (1, 1, 1, 1)
    assert bob.delete_account().status_code == 204
    assert _counts(api, original["id"]) == (0, 0, 0, 0)


def test_entities_have_offsets_and_tag_and_mention_lists_find_them(api: Api) -> None:
    ada, bob = api.signup(username="Ada"), api.signup(username="bob")
    tweet = ada.tweet("Hi @BOB and @nobody: #Python, not #16")
    assert tweet["entities"] == {
        "hashtags": [{"start": 21, "end": 28, "tag": "Python"}],
        "mentions": [{"start": 3, "end": 7, "username": "BOB", "id": bob.id}],
    }
    other = bob.tweet("#python again")
    for tag in ("python", "PYTHON", "%23Python"):
        assert _ids(api.get_ok(f"/tags/{tag}/tweets")) == [other["id"], tweet["id"]], tag
    assert api.get_ok("/tags/nothing/tweets") == []
    assert _ids(api.get_ok(f"/users/{bob.id}/mentions")) == [tweet["id"]]
    assert api.client.get("/users/999/mentions").status_code == 404


def test_the_new_lists_page_with_link_headers(api: Api) -> None:
    ada = api.signup(username="ada")
    original = ada.tweet("#paged")
    fans = [api.signup() for _ in range(3)]
    for fan in fans:
        assert fan.retweet(original["id"]).status_code == 201
        fan.quote(original["id"], "#paged @ada")
        fan.reply(original["id"], "reply")
    for url in (
        f"/tweets/{original['id']}/retweeted_by",
        f"/tweets/{original['id']}/quote_tweets",
        "/tags/paged/tweets",
        f"/users/{ada.id}/mentions",
        f"/users/{ada.id}/notifications",
    ):
        whole = api.get_ok(url, headers=ada.headers)
        pages = api.walk(f"{url}?limit=2", headers=ada.headers)
        assert len(pages) == (len(whole) + 1) // 2, url
        assert [item for page in pages for item in page.json()] == whole, url
        assert "max_id=" in (next_link(pages[0]) or ""), url


def test_the_profile_has_a_display_name_and_bio_edited_with_patch(api: Api) -> None:
    ada = api.signup(username="ada")
    assert (ada.user["display_name"], ada.user["bio"]) == ("ada", "")
    response = api.client.patch(
        "/users/me", json={"display_name": "Ada <b>L</b>", "bio": "Engines"}, headers=ada.headers
    )
    assert response.status_code == 200, response.text
    assert response.json()["email"] == ada.user["email"]
    assert (response.json()["display_name"], response.json()["bio"]) == ("Ada <b>L</b>", "Engines")
    user = api.get_ok(f"/users/{ada.id}")
    assert list(user) == ["id", "username", "created_at", "display_name", "bio"]
    assert user["display_name"] == "Ada <b>L</b>"
    partial = api.client.patch("/users/me", json={"bio": "only this"}, headers=ada.headers)
    assert partial.json()["display_name"] == "Ada <b>L</b>"
    assert api.client.patch("/users/me", json={"bio": "x"}).status_code == 401


@pytest.mark.parametrize(
    "body", [{"display_name": "x" * 51}, {"bio": "x" * 161}, {"bio": 5}, {"display_name": "a\nb"}]
)
def test_bad_profile_text_is_422_and_changes_nothing(api: Api, body: dict[str, Any]) -> None:
    ada = api.signup(username="ada")
    response = api.client.patch("/users/me", json=body, headers=ada.headers)
    assert response.status_code == 422, response.text
    assert api.get_ok(f"/users/{ada.id}")["display_name"] == "ada"
