"""Per-user limits on writes: the X-RateLimit-* headers, the 429, and one count
shared by every worker."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx2
import pytest

from tests.integration.api import PASSWORD
from tests.integration.conftest import api_with
from tests.integration.live_server import live_server
from tests.integration.test_mastodon_login import _token
from tests.integration.test_races import Job, race, report


def _reset(response: httpx2.Response) -> datetime:
    value = response.headers["x-ratelimit-reset"]
    assert value.endswith("Z"), value
    return datetime.fromisoformat(value)


def test_writes_count_down_until_429_and_reads_still_answer(database_url: str) -> None:
    with api_with(database_url, writes_per_user=3, write_window_seconds=300) as api:
        ada = api.signup()
        before = datetime.now(UTC)

        me = ada.get("/users/me")
        assert me.headers["x-ratelimit-limit"] == "3"
        assert me.headers["x-ratelimit-remaining"] == "3"  # reads count nothing
        assert before < _reset(me) <= datetime.now(UTC) + timedelta(seconds=300)
        remaining = [ada.post(f"tweet {n}").headers["x-ratelimit-remaining"] for n in range(3)]
        assert remaining == ["2", "1", "0"]
        window_end = _reset(ada.get("/users/me"))

        refused = ada.post("one too many")

        assert refused.status_code == 429, refused.text
        assert refused.json()["detail"].startswith("Too many writes; try again in ")
        assert 1 <= int(refused.headers["retry-after"]) <= 300
        assert refused.headers["x-ratelimit-remaining"] == "0"
        assert _reset(refused) == window_end
        assert len(api.get_ok(f"/users/{ada.id}/tweets/")) == 3  # nothing was written
        assert ada.like(1).status_code == 429  # every kind of write
        assert ada.get(f"/users/{ada.id}/timeline").status_code == 200
        # Another user has an allowance of their own; anonymous answers carry none.
        bob = api.signup()
        assert bob.post().headers["x-ratelimit-remaining"] == "2"
        anonymous = api.client.get("/tweets/")
        assert "x-ratelimit-limit" not in anonymous.headers


def test_mastodon_statuses_count_down_alike_and_429_as_mastodon(database_url: str) -> None:
    with api_with(database_url, writes_per_user=2, write_window_seconds=300) as api:
        ada = api.signup()
        headers = _token(api, ada)

        posted = [
            api.client.post("/api/v1/statuses", data={"status": f"n{n}"}, headers=headers)
            for n in range(3)
        ]

        assert [p.headers["x-ratelimit-remaining"] for p in posted] == ["1", "0", "0"]
        assert posted[0].headers["x-ratelimit-limit"] == "2"
        assert posted[2].status_code == 429 and set(posted[2].json()) == {"error"}
        assert len(api.get_ok(f"/users/{ada.id}/tweets/")) == 2


def test_the_headers_are_exposed_to_browsers(database_url: str) -> None:
    with api_with(database_url, cors_origins=["https://app.example"]) as api:
        ada = api.signup()
        response = api.client.get(
            "/users/me", headers={**ada.headers, "Origin": "https://app.example"}
        )
        exposed = response.headers["access-control-expose-headers"].lower()
        assert {"x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset"} <= set(
            exposed.replace(" ", "").split(",")
        )


@pytest.mark.postgres
def test_two_workers_count_one_allowance(request: pytest.FixtureRequest, tmp_path: Path) -> None:
    """Ten writes at once over two workers: each sees the count the others left."""
    settings = {"writes_per_user": 100}
    with live_server(request, tmp_path, workers=2, settings=settings) as server:
        with server.client() as http:
            created = http.post("/users/", json={"email": "a@example.com", "password": PASSWORD})
            assert created.status_code == 201, created.text
            login = {"username": "a@example.com", "password": PASSWORD}
            token = http.post("/token", data=login).json()["access_token"]
        headers = {"Authorization": f"Bearer {token}"}

        def write(n: int) -> Job:
            return lambda client: [client.post("/tweets/", json={"text": f"t{n}"}, headers=headers)]

        tally = report("writes, one user", race(server, [write(n) for n in range(10)]))
        fired = race(server, [write(n) for n in range(10, 20)])
        report("writes, one user, again", fired)

    assert tally.statuses == {201: 10}
    later = sorted(int(r.headers["x-ratelimit-remaining"]) for r in fired.responses)
    assert later == list(range(80, 90))  # every write its own number, over both workers
