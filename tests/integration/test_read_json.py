"""The JSON of every reading route stays byte for byte what it was recorded as: same
fields, same order, same number and time formats, same Link headers, same errors.

``golden/read_routes.json`` was first recorded from the routes as they were before
the read port (the response models serialising entities), and again when tweets and
users gained the fields of the conversations (issue #12). The scenario runs on a
clock that ticks by a fixed step, so times and ids are the same on every run and
every database. To record it
again, on purpose: ``TWITTER_RECORD_GOLDEN=1 pytest tests/integration/test_read_json.py``.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from dependency_injector import providers
from fastapi.testclient import TestClient

from tests.integration.api import Api
from tests.integration.conftest import test_settings
from twitter.adapters.clock import SystemClock
from twitter.adapters.security import JwtTokenService
from twitter.container import Container
from twitter.main import create_app

GOLDEN = Path(__file__).parent / "golden" / "read_routes.json"


class SteppingClock:
    """Each reading is a fixed step after the last: some with microseconds, some without."""

    def __init__(self) -> None:
        self._now = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
        self._steps = 0

    def now(self) -> datetime:
        self._steps += 1
        self._now += timedelta(seconds=61, microseconds=0 if self._steps % 3 else 250_001)
        return self._now


@pytest.fixture
def api(database_url: str) -> Iterator[Api]:
    container = Container()
    container.settings.override(providers.Object(test_settings(database_url)))
    container.clock.override(providers.Singleton(SteppingClock))
    # Tokens keep the wall clock: their signatures are checked against it.
    container.token_service.override(
        providers.Singleton(
            JwtTokenService,
            secret=container.secret,
            lifetime=timedelta(hours=1),
            now=SystemClock().now,
        )
    )
    # So does the write limit: its readings would shift the scenario's instants.
    for limiter in (container.count_write, container.peek_writes):
        limiter.add_kwargs(clock=SystemClock())
    with TestClient(create_app(container)) as client:
        yield Api(client)
    container.shutdown_resources()


def _scenario(api: Api) -> dict[str, str]:
    """Writes a small, varied world; answers the bearer headers by name."""
    ada = api.signup("ada@example.com", username="ada")
    bob = api.signup("Bob.Builder@Example.com")
    cy = api.signup("cy@example.com", username="Cy_Young")
    texts = [
        "hello, world",
        'quotes " and \\ backslashes, <b>tags</b> & ampersands',
        "naïve café, 日本語, emoji 🎉, line\u2028separator",
        "fourth",
        "to be deleted",
    ]
    tweets = [
        account.tweet(text) for account, text in zip([ada, bob, cy, ada, bob], texts, strict=True)
    ]
    assert bob.delete_tweet(tweets[4]["id"]).status_code == 204
    for account, tweet in [(ada, 1), (bob, 0), (cy, 0), (cy, 2), (bob, 3), (ada, 3)]:
        assert account.like(tweets[tweet]["id"]).status_code == 201
    assert ada.unlike(tweets[3]["id"]).status_code == 204
    for account, target in [(ada, bob), (ada, cy), (cy, ada), (bob, cy)]:
        assert account.follow(target.id).status_code == 201
    assert bob.unfollow(cy.id).status_code == 204
    answer = cy.reply(tweets[0]["id"], "@ada #Hello there, @nobody")
    ada.reply(answer["id"], "hi back #hello")
    assert bob.retweet(tweets[0]["id"]).status_code == 201
    bob.quote(tweets[2]["id"], "look at this, @Cy_Young")
    edited = api.client.patch(
        "/users/me", json={"display_name": "Ada <L>", "bio": "Engines"}, headers=ada.headers
    )
    assert edited.status_code == 200
    return {"ada": ada.headers["Authorization"], "bob": bob.headers["Authorization"]}


READS: list[tuple[str, str | None]] = [
    ("/tweets/1/context", None),
    ("/tweets/7/context", None),
    ("/tweets/999/context", None),
    ("/tweets/1/retweeted_by", None),
    ("/tweets/3/quote_tweets", None),
    ("/tweets/999/quote_tweets", None),
    ("/tags/hello/tweets", None),
    ("/tags/HELLO/tweets?limit=1", None),
    ("/users/1/mentions", None),
    ("/users/999/mentions", None),
    ("/users/1/notifications", "ada"),
    ("/users/1/notifications?unread=true&limit=2", "ada"),
    ("/users/1/notifications", "bob"),
    ("/users/", None),
    ("/users", None),
    ("/users/?limit=1", None),
    ("/users/?limit=1&since_id=1", None),
    ("/users/?skip=1&limit=1", None),
    ("/users/me", "ada"),
    ("/users/me", None),
    ("/users/by/username/ADA", None),
    ("/users/by/username/bob_builder", None),
    ("/users/by/username/nobody", None),
    ("/users/1", None),
    ("/users/3", "bob"),
    ("/users/999", None),
    ("/users/abc", None),
    ("/tweets/", None),
    ("/tweets/?limit=2", None),
    ("/tweets/?limit=2&max_id=3", None),
    ("/tweets/?limit=2&skip=1", None),
    ("/tweets/?since_id=2", None),
    ("/tweets/?limit=0", None),
    ("/tweets/1", None),
    ("/tweets/3", "ada"),
    ("/tweets/5", None),
    ("/tweets/99999999999999999999", None),
    ("/users/1/tweets/", None),
    ("/users/1/tweets/?limit=1", None),
    ("/users/3/tweets", None),
    ("/users/999/tweets/", None),
    ("/users/1/timeline", "ada"),
    ("/users/1/timeline?limit=2", "ada"),
    ("/users/2/timeline", "bob"),
    ("/users/2/timeline", "ada"),
    ("/users/1/timeline", None),
    ("/users/1/likes/", None),
    ("/users/3/likes/?limit=1", None),
    ("/users/999/likes/", None),
    ("/users/3/liked_tweets/", None),
    ("/users/3/liked_tweets/?limit=1", None),
    ("/users/999/liked_tweets/", None),
    ("/tweets/1/liking_users", None),
    ("/tweets/1/liking_users?limit=1", None),
    ("/tweets/5/liking_users", None),
    ("/users/1/following", None),
    ("/users/1/following?limit=1", None),
    ("/users/3/followers", None),
    ("/users/2/followers", None),
    ("/users/999/followers", None),
    ("/users/999/following", None),
]


def _answers(api: Api, tokens: dict[str, str]) -> dict[str, Any]:
    answers: dict[str, Any] = {}
    for url, who in READS:
        headers = {"Authorization": tokens[who]} if who else {}
        response = api.client.get(url, headers=headers)
        link = response.headers.get("link")
        answers[f"{who or 'anonymous'} GET {url}"] = {
            "status": response.status_code,
            "content-type": response.headers.get("content-type"),
            "link": link.replace(str(api.client.base_url), "") if link else None,
            "body": response.text,
        }
    return answers


def test_every_reading_route_answers_the_json_it_always_has(api: Api) -> None:
    answers = _answers(api, _scenario(api))
    if os.environ.get("TWITTER_RECORD_GOLDEN"):
        GOLDEN.parent.mkdir(exist_ok=True)
        GOLDEN.write_text(json.dumps(answers, indent=1, ensure_ascii=False) + "\n")
    recorded = json.loads(GOLDEN.read_text())
    assert answers.keys() == recorded.keys()
    for request, answer in answers.items():
        assert answer == recorded[request], request
