"""Reading, posting and deleting tweets over HTTP, and the rules on their text."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.integration.api import TWEET_FIELDS, Api

TWEET_KEYS = set(TWEET_FIELDS)


def test_get_tweet_answers_the_tweet(api: Api) -> None:
    author, fan = api.signup(), api.signup()
    tweet = author.tweet("read me")
    assert fan.like(tweet["id"]).status_code == 201

    response = api.client.get(f"/tweets/{tweet['id']}")

    assert response.status_code == 200
    body = response.json()
    assert set(body) == TWEET_KEYS
    assert body == {**tweet, "like_count": 1}
    assert body["owner_id"] == author.id
    assert body["created_at"].endswith(("Z", "+00:00"))


def test_get_unknown_tweet_is_404(api: Api) -> None:
    api.signup().tweet()

    for tweet_id in (999, 0, -1, 2**63 - 1, 2**63, 2**64):
        response = api.client.get(f"/tweets/{tweet_id}")
        assert response.status_code == 404, (tweet_id, response.text)
        assert response.json() == {"detail": "Tweet not found"}


def test_get_tweet_with_a_non_integer_id_is_422(api: Api) -> None:
    response = api.client.get("/tweets/abc")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["path", "tweet_id"]


def test_post_tweets_posts_as_the_tokens_user(api: Api) -> None:
    author = api.signup()
    api.signup()

    response = api.client.post(
        "/tweets/", json={"text": "v2 style", "owner_id": 999}, headers=author.headers
    )

    assert response.status_code == 201, response.text
    tweet = response.json()
    assert set(tweet) == TWEET_KEYS
    assert (tweet["text"], tweet["owner_id"], tweet["like_count"]) == ("v2 style", author.id, 0)
    assert api.get_ok(f"/tweets/{tweet['id']}") == tweet
    assert api.get_ok(f"/users/{author.id}/tweets/") == [tweet]


def test_post_tweets_without_trailing_slash(api: Api) -> None:
    author = api.signup()
    response = api.client.post(
        "/tweets", json={"text": "bare"}, headers=author.headers, follow_redirects=False
    )
    assert response.status_code == 201, response.text


def test_post_tweets_without_a_valid_token_is_401(api: Api) -> None:
    api.signup()
    for headers in ({}, {"Authorization": "Bearer nope"}, {"Authorization": "Basic eDp5"}):
        response = api.client.post("/tweets/", json={"text": "anon"}, headers=headers)
        assert response.status_code == 401, (headers, response.text)
        assert response.headers["www-authenticate"] == "Bearer"
    assert api.get_ok("/tweets/") == []


def test_posting_on_another_users_account_is_403(api: Api) -> None:
    victim, intruder = api.signup(), api.signup()

    response = api.client.post(
        f"/users/{victim.id}/tweets/", json={"text": "impostor"}, headers=intruder.headers
    )

    assert response.status_code == 403
    assert api.get_ok("/tweets/") == []


def test_owner_deletes_a_tweet_and_its_likes_go_with_it(api: Api) -> None:
    author, fan = api.signup(), api.signup()
    doomed = author.tweet("doomed")
    kept = author.tweet("kept")
    assert fan.like(doomed["id"]).status_code == 201
    assert fan.like(kept["id"]).status_code == 201

    response = author.delete_tweet(doomed["id"])

    assert response.status_code == 204
    assert response.content == b""
    assert api.client.get(f"/tweets/{doomed['id']}").status_code == 404
    assert api.client.get(f"/tweets/{doomed['id']}/liking_users").status_code == 404
    assert [t["id"] for t in api.get_ok("/tweets/")] == [kept["id"]]
    assert [t["id"] for t in api.get_ok(f"/users/{author.id}/tweets/")] == [kept["id"]]
    assert [like["tweet_id"] for like in api.get_ok(f"/users/{fan.id}/likes/")] == [kept["id"]]
    assert [t["id"] for t in api.get_ok(f"/users/{fan.id}/liked_tweets/")] == [kept["id"]]
    assert api.get_ok(f"/tweets/{kept['id']}")["like_count"] == 1
    # The like went with the tweet: nothing left to unlike.
    assert fan.unlike(doomed["id"]).status_code == 404


def test_deleting_a_tweet_twice_is_404_the_second_time(api: Api) -> None:
    author = api.signup()
    tweet = author.tweet()
    assert author.delete_tweet(tweet["id"]).status_code == 204

    again = author.delete_tweet(tweet["id"])

    assert again.status_code == 404
    assert again.json() == {"detail": "Tweet not found"}


def test_deleting_another_users_tweet_is_403(api: Api) -> None:
    author, intruder = api.signup(), api.signup()
    tweet = author.tweet()

    response = intruder.delete_tweet(tweet["id"])

    assert response.status_code == 403
    assert response.json() == {"detail": "You can only delete your own tweets"}
    assert api.get_ok(f"/tweets/{tweet['id']}") == tweet


def test_deleting_an_unknown_tweet_is_404(api: Api) -> None:
    author = api.signup()
    for tweet_id in (999, 2**63 - 1, 2**64):
        response = author.delete_tweet(tweet_id)
        assert response.status_code == 404, (tweet_id, response.text)
        assert response.json() == {"detail": "Tweet not found"}


def test_deleting_a_tweet_without_a_token_is_401(api: Api) -> None:
    author = api.signup()
    tweet = author.tweet()

    response = api.client.delete(f"/tweets/{tweet['id']}")

    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    assert api.get_ok(f"/tweets/{tweet['id']}") == tweet


ROUTES = ["/tweets/", "/users/{id}/tweets/"]


class Poster:
    """Posts raw texts on one route as one account. The body is ASCII JSON, so that a lone
    surrogate goes as a ``\\ud800`` escape, as a client in another language might send it."""

    def __init__(self, api: Api, route: str) -> None:
        self.api = api
        self.account = api.signup()
        self.url = route.format(id=self.account.id)

    def __call__(self, text: object) -> tuple[int, Any]:
        response = self.api.client.post(
            self.url,
            content=json.dumps({"text": text}).encode(),
            headers={**self.account.headers, "Content-Type": "application/json"},
        )
        return response.status_code, response.json()


@pytest.fixture(params=ROUTES)
def post(api: Api, request: pytest.FixtureRequest) -> Poster:
    return Poster(api, request.param)


def test_text_of_281_characters_is_422(api: Api, post: Poster) -> None:
    status, body = post("a" * 281)
    assert status == 422
    assert body["detail"][0]["loc"] == ["body", "text"]
    assert api.get_ok("/tweets/") == []


def test_text_of_280_characters_is_accepted(post: Poster) -> None:
    status, body = post("a" * 280)
    assert status == 201
    assert body["text"] == "a" * 280


def test_empty_or_white_space_only_text_is_422(api: Api, post: Poster) -> None:
    for text in ("", " ", "   \t\n  ", "\u3000\u2003", "\r\n"):
        status, body = post(text)
        assert status == 422, (text, body)
        assert body["detail"][0]["loc"] == ["body", "text"]
    assert api.get_ok("/tweets/") == []


def test_280_emoji_are_280_characters(api: Api, post: Poster) -> None:
    text = "\U0001f600" * 280
    status, body = post(text)
    assert status == 201, body
    assert body["text"] == text
    assert api.get_ok(f"/tweets/{body['id']}")["text"] == text


def test_281_emoji_are_too_many(post: Poster) -> None:
    status, _ = post("\U0001f600" * 281)
    assert status == 422


def test_surrounding_white_space_is_trimmed_before_counting(api: Api, post: Poster) -> None:
    status, body = post("  \n" + "b" * 280 + "\t  ")
    assert status == 201, body
    assert body["text"] == "b" * 280
    assert api.get_ok(f"/tweets/{body['id']}")["text"] == "b" * 280


def test_inner_white_space_is_kept(post: Poster) -> None:
    status, body = post("  two  words\nand a line  ")
    assert status == 201
    assert body["text"] == "two  words\nand a line"


def test_text_that_is_not_storable_text_is_422(api: Api, post: Poster) -> None:
    for text in (None, 42, ["a"], {"text": "a"}, "nul\x00byte", "\ud800"):
        status, body = post(text)
        assert status == 422, (text, body)
    assert api.get_ok("/tweets/") == []


def test_body_without_text_is_422(api: Api, post: Poster) -> None:
    response = api.client.post(post.url, json={}, headers=post.account.headers)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "text"]
