"""Brute force on POST /token is slowed: attempts are counted per login and per client
address in the database, so that every worker process shares the count."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx2
import pytest
from dependency_injector import providers
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text

from tests.integration.api import PASSWORD, Api
from tests.integration.conftest import test_settings
from tests.integration.live_server import live_server
from tests.integration.test_races import race, report
from twitter.container import Container
from twitter.main import create_app

PER_ACCOUNT = 3
PER_CLIENT = 8
WINDOW_SECONDS = 600


@pytest.fixture
def api(database_url: str) -> Iterator[Api]:
    container = Container()
    container.settings.override(
        providers.Object(
            test_settings(
                database_url,
                login_attempts_per_account=PER_ACCOUNT,
                login_attempts_per_client=PER_CLIENT,
                login_window_seconds=WINDOW_SECONDS,
            )
        )
    )
    with TestClient(create_app(container)) as client:
        yield Api(client)
    container.shutdown_resources()


def test_past_the_limit_logins_answer_429_with_retry_after(api: Api) -> None:
    api.register("ada@example.com")
    for _ in range(PER_ACCOUNT):
        assert api.token("ada@example.com", "wrong password").status_code == 401

    refused = api.token("ada@example.com")  # the right password, too late

    assert refused.status_code == 429, refused.text
    assert refused.headers["Retry-After"] == str(WINDOW_SECONDS)
    assert refused.json() == {
        "detail": f"Too many login attempts; try again in {WINDOW_SECONDS} seconds"
    }


def test_an_unknown_email_is_throttled_like_a_known_one(api: Api) -> None:
    api.register("ada@example.com")
    known = [api.token("ada@example.com", "wrong password").status_code for _ in range(4)]
    unknown = [api.token("nobody@example.com", "wrong password").status_code for _ in range(4)]
    assert known == unknown == [401, 401, 401, 429]


def test_one_client_spraying_logins_is_throttled_but_its_good_logins_are_free(api: Api) -> None:
    for _ in range(10):
        api.signup()  # each signup logs in successfully: it uses up nothing
    statuses = [api.token(f"guess{n}@example.com", "wrong password").status_code for n in range(10)]
    assert statuses == [401] * PER_CLIENT + [429] * 2


def test_the_count_lives_in_the_database_and_names_no_email(api: Api, engine: Engine) -> None:
    api.token("ada@example.com", "wrong password")
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT key, attempts FROM login_attempts")).all()
    # the client, the client on this login, the login
    assert sorted(key.split(":")[0] for key, _ in rows) == ["account", "client", "pair"]
    assert [attempts for _, attempts in rows] == [1, 1, 1]
    assert not any("ada" in key or "testclient" in key for key, _ in rows)


@pytest.fixture
def engine(api: Api) -> Engine:
    container: Container = api.client.app.state.container  # type: ignore[attr-defined]
    engine: Engine = container.engine()
    return engine


def test_two_worker_processes_share_one_count(
    request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    """20 wrong logins at once, spread over two workers: exactly the limit get to try."""
    settings = {
        "login_attempts_per_account": 5,
        "login_attempts_per_client": 1000,
        "login_window_seconds": WINDOW_SECONDS,
    }
    with live_server(request, tmp_path, workers=2, settings=settings) as server:
        with server.client() as client:
            created = client.post(
                "/users/", json={"email": "ada@example.com", "password": PASSWORD}
            )
            assert created.status_code == 201, created.text

        def wrong_login(client: httpx2.Client) -> list[httpx2.Response]:
            return [
                client.post("/token", data={"username": "ada@example.com", "password": "wrong!!!"})
            ]

        tally = report("login burst on one account", race(server, [wrong_login] * 20))

        assert tally.statuses == {401: 5, 429: 15}
        with server.client() as client:
            late = client.post("/token", data={"username": "ada@example.com", "password": PASSWORD})
        assert late.status_code == 429
        assert 0 < int(late.headers["Retry-After"]) <= WINDOW_SECONDS
