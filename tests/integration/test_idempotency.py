"""Idempotency-Key on creates: a repeat gets the first answer and creates nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from tests.integration.api import PASSWORD, Account, Api
from tests.integration.live_server import live_server
from tests.integration.test_races import Job, race, report
from twitter.adapters.persistence.database import build_engine
from twitter.adapters.persistence.tables import tweets, users


def _post(account: Account, path: str, body: dict[str, Any], key: str | None = "key-1") -> Any:
    headers = {**account.headers, **({"Idempotency-Key": key} if key else {})}
    return account.api.client.post(path, json=body, headers=headers)


def test_a_repeated_tweet_answers_the_first_answer_and_posts_once(api: Api) -> None:
    ada = api.signup()

    first = _post(ada, "/tweets/", {"text": "once"})
    again = _post(ada, "/tweets/", {"text": "once"})

    assert first.status_code == again.status_code == 201
    assert again.content == first.content
    assert again.headers["idempotent-replayed"] == "true"
    assert "idempotent-replayed" not in first.headers
    assert [t["text"] for t in api.get_ok(f"/users/{ada.id}/tweets/")] == ["once"]
    assert _post(ada, "/tweets/", {"text": "once"}, key="key-2").json()["id"] != first.json()["id"]


def test_every_create_is_made_once(api: Api) -> None:
    ada, bob = api.signup(), api.signup()
    tweet = bob.tweet("bob's")
    creates = [
        (f"/users/{ada.id}/likes/", {"tweet_id": tweet["id"]}),
        (f"/users/{ada.id}/retweets", {"tweet_id": tweet["id"]}),
        (f"/users/{ada.id}/following", {"target_user_id": bob.id}),
        (f"/users/{ada.id}/bookmarks", {"tweet_id": tweet["id"]}),
        (f"/users/{ada.id}/tweets/", {"text": "mine"}),
    ]
    for n, (path, body) in enumerate(creates):
        first = _post(ada, path, body, key=f"create-{n}")
        again = _post(ada, path, body, key=f"create-{n}")
        assert first.status_code == 201, (path, first.text)
        assert (again.status_code, again.content) == (201, first.content), path

    assert api.get_ok(f"/tweets/{tweet['id']}")["like_count"] == 1
    assert len(api.get_ok(f"/users/{ada.id}/tweets/")) == 2  # the retweet and "mine"
    assert len(api.get_ok(f"/users/{bob.id}/followers")) == 1


def test_a_repeated_sign_up_creates_one_account(api: Api) -> None:
    body = {"email": "once@example.com", "password": PASSWORD, "username": "once"}
    headers = {"Idempotency-Key": "signup-1"}

    first = api.client.post("/users/", json=body, headers=headers)
    again = api.client.post("/users/", json=body, headers=headers)

    assert first.status_code == again.status_code == 201
    assert again.content == first.content
    assert api.client.post("/users/", json=body).status_code == 400  # without it: taken


def test_a_refusal_is_kept_too(api: Api) -> None:
    ada, bob = api.signup(), api.signup()
    tweet = bob.tweet()
    assert ada.like(tweet["id"]).status_code == 201

    first = _post(ada, f"/users/{ada.id}/likes/", {"tweet_id": tweet["id"]})
    assert ada.unlike(tweet["id"]).status_code == 204
    again = _post(ada, f"/users/{ada.id}/likes/", {"tweet_id": tweet["id"]})

    assert first.status_code == again.status_code == 400
    assert again.json() == {"detail": "Tweet already liked"}
    assert api.get_ok(f"/tweets/{tweet['id']}")["like_count"] == 0  # nothing done again


def test_the_key_with_another_request_is_422_and_does_nothing(api: Api) -> None:
    ada = api.signup()
    assert _post(ada, "/tweets/", {"text": "first"}).status_code == 201

    other = _post(ada, "/tweets/", {"text": "second"})

    assert other.status_code == 422
    assert other.json() == {"detail": "This Idempotency-Key was used for a different request"}
    assert [t["text"] for t in api.get_ok(f"/users/{ada.id}/tweets/")] == ["first"]


def test_callers_keys_never_collide(api: Api) -> None:
    ada, bob = api.signup(), api.signup()

    assert _post(ada, "/tweets/", {"text": "same"}).status_code == 201
    bobs = _post(bob, "/tweets/", {"text": "same"})

    assert bobs.status_code == 201 and bobs.json()["owner_id"] == bob.id
    assert "idempotent-replayed" not in bobs.headers


@pytest.mark.parametrize("key", ["", "a b", "x" * 256, "caf\u00e9"])
def test_a_malformed_key_is_422(api: Api, key: str) -> None:
    ada = api.signup()
    headers: dict[str, Any] = {**ada.headers, "Idempotency-Key": key.encode()}

    response = api.client.post("/tweets/", json={"text": "x"}, headers=headers)

    assert response.status_code == 422, response.text
    assert response.json()["detail"][0]["loc"] == ["header", "Idempotency-Key"]
    assert api.get_ok(f"/users/{ada.id}/tweets/") == []


def test_a_bad_token_with_a_key_is_401_and_keeps_nothing(api: Api) -> None:
    headers = {"Authorization": "Bearer nonsense", "Idempotency-Key": "k"}
    response = api.client.post("/tweets/", json={"text": "x"}, headers=headers)
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"


def test_the_key_means_nothing_to_reads_and_logins(api: Api) -> None:
    ada = api.signup()
    headers = {**ada.headers, "Idempotency-Key": "read"}
    assert api.client.get("/users/me", headers=headers).status_code == 200
    login = {"username": ada.user["email"], "password": PASSWORD}
    tokens = [
        api.client.post("/token", data=login, headers={"Idempotency-Key": "t"}).json()
        for _ in range(2)
    ]
    assert tokens[0] != tokens[1]


@pytest.mark.postgres
def test_ten_repeats_at_once_over_two_workers_post_one_tweet(
    request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    with live_server(request, tmp_path, workers=2) as server:
        with server.client() as http:
            created = http.post("/users/", json={"email": "a@example.com", "password": PASSWORD})
            assert created.status_code == 201, created.text
            login = {"username": "a@example.com", "password": PASSWORD}
            token = http.post("/token", data=login).json()["access_token"]
        headers = {"Authorization": f"Bearer {token}", "Idempotency-Key": "at-once"}

        def repeat(client: Any) -> list[Any]:
            return [client.post("/tweets/", json={"text": "only once"}, headers=headers)]

        jobs: list[Job] = [repeat] * 10
        fired = race(server, jobs)
        tally = report("idempotent repeats", fired)

        assert tally.statuses == {201: 10}
        assert len({response.content for response in fired.responses}) == 1
        engine = build_engine(server.database_url)
        with engine.connect() as connection:
            assert connection.scalar(select(func.count()).select_from(tweets)) == 1
            assert connection.scalar(select(func.count()).select_from(users)) == 1
        engine.dispose()
