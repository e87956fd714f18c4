"""The service through a real pgbouncer in transaction pooling mode (the example
config, ``deploy/pgbouncer.ini``, with a server pool of two): a two-worker server
whose every pool (sixty client connections) shares those two server connections.

Sign-ups, tweets, follows, likes (a race keeps ``like_count`` exact), timelines,
search (``SET LOCAL`` in a transaction) and pagination all work, with no 5xx; the
statement timeout the clients can no longer send at startup is still in force on
every server connection (``connect_query``); and asyncpg's unnamed statements,
parsed and bound by many clients over one server connection, never cross.
"""

from __future__ import annotations

import asyncio
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx2
import psycopg2  # type: ignore[import-untyped]
import psycopg2.errors  # type: ignore[import-untyped]
import pytest
from sqlalchemy import make_url

from deploy.stack import Pgbouncer, running_pgbouncer, server_side_settings
from tests.awaiting import run_to_end
from tests.integration.api import PASSWORD
from tests.integration.conftest import POSTGRES_URL, empty_database_at_head
from tests.integration.live_server import LiveServer, serve
from twitter.adapters.reads.postgres import AsyncpgReads

pytestmark = pytest.mark.skipif(
    POSTGRES_URL is None, reason="pgbouncer is tested with PostgreSQL (TWITTER_TEST_POSTGRES_URL)"
)

Shape = Callable[[int], tuple[object, ...]]
STATEMENT_TIMEOUT_MS = 4_000
SERVER_CONNECTIONS = 2


def _target(url: str, timeout_ms: int) -> str:
    parsed = make_url(url)
    return (
        f"host={parsed.host or '127.0.0.1'} port={parsed.port or 5432} "
        f"dbname={parsed.database} user={parsed.username or 'postgres'} "
        + server_side_settings(timeout_ms)
    )


@pytest.fixture(scope="module")
def bouncer(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Pgbouncer]:
    """pgbouncer on the test database (as ``twitter``) and, as ``quick``, the same
    database with a 200 ms statement timeout; two server connections each at most."""
    assert POSTGRES_URL is not None
    databases = {
        "twitter": _target(POSTGRES_URL, STATEMENT_TIMEOUT_MS),
        "quick": _target(POSTGRES_URL, 200),
    }
    settings = {"default_pool_size": SERVER_CONNECTIONS, "reserve_pool_size": 0}
    with running_pgbouncer(
        tmp_path_factory.mktemp("pgbouncer"), databases, settings=settings
    ) as started:
        yield started


@pytest.fixture
def server(
    request: pytest.FixtureRequest, tmp_path: Path, bouncer: Pgbouncer
) -> Iterator[LiveServer]:
    empty_database_at_head("postgresql", request, tmp_path)  # the schema, empty tables
    settings = {"db_statement_cache_size": 0, "db_statement_timeout_ms": STATEMENT_TIMEOUT_MS}
    with serve(bouncer.url("twitter"), tmp_path, workers=2, settings=settings) as live:
        yield live


def _server_connections(bouncer: Pgbouncer, database: str = "twitter") -> int:
    return sum(1 for row in bouncer.admin("SHOW SERVERS") if row["database"] == database)


def _signup(http: httpx2.Client, name: str) -> tuple[int, dict[str, str]]:
    created = http.post("/users/", json={"email": f"{name}@example.com", "password": PASSWORD})
    assert created.status_code == 201, created.text
    token = http.post("/token", data={"username": f"{name}@example.com", "password": PASSWORD})
    assert token.status_code == 200, token.text
    return created.json()["id"], {"Authorization": f"Bearer {token.json()['access_token']}"}


def test_the_service_works_through_a_pool_of_two_server_connections(
    server: LiveServer, bouncer: Pgbouncer
) -> None:
    statuses: list[int] = []
    lock = threading.Lock()

    def record(response: httpx2.Response) -> httpx2.Response:
        with lock:
            statuses.append(response.status_code)
        return response

    run = uuid.uuid4().hex[:8]
    users = 20
    # Sign-ups and logins from eight clients at once.
    with ThreadPoolExecutor(8) as pool:

        def signup(number: int) -> tuple[int, dict[str, str]]:
            with server.client() as http:
                return _signup(http, f"u{number}-{run}")

        accounts = list(pool.map(signup, range(users)))
    (author, author_headers), *fans = accounts

    with server.client(event_hooks={"response": [record]}) as http:
        posted = [
            http.post("/tweets/", json={"text": f"needle number {n}"}, headers=author_headers)
            for n in range(7)
        ]
        assert [each.status_code for each in posted] == [201] * 7
        target = posted[0].json()["id"]

    # Every fan follows the author and likes one tweet, all at once over both workers.
    barrier = threading.Barrier(len(fans))

    def follow_and_like(account: tuple[int, dict[str, str]]) -> None:
        fan, headers = account
        with server.client(event_hooks={"response": [record]}) as http:
            barrier.wait(timeout=10)
            http.post(f"/users/{fan}/following", json={"target_user_id": author}, headers=headers)
            http.post(f"/users/{fan}/likes/", json={"tweet_id": target}, headers=headers)

    with ThreadPoolExecutor(len(fans)) as pool:
        list(pool.map(follow_and_like, fans))

    with server.client(event_hooks={"response": [record]}) as http:
        tweet = http.get(f"/tweets/{target}").json()
        assert tweet["like_count"] == len(fans)
        likers = http.get(f"/tweets/{target}/liking_users").json()
        assert len(likers) == len(fans)
        fan, fan_headers = fans[0]
        timeline = http.get(f"/users/{fan}/timeline", headers=fan_headers).json()
        assert [each["id"] for each in timeline] == [each.json()["id"] for each in posted][::-1]
        # Pagination: three pages of three, two and ... each found by its Link header.
        pages, url = [], f"/users/{author}/tweets/?limit=3"
        while url:
            page = http.get(url)
            pages.append([each["id"] for each in page.json()])
            url = page.links.get("next", {}).get("url", "")
        assert [i for page in pages for i in page] == [each.json()["id"] for each in posted][::-1]
        assert [len(page) for page in pages][:2] == [3, 3]
        found = http.get("/search/tweets", params={"q": "needle", "limit": 4})
        assert len(found.json()) == 4 and found.links.get("next")
        assert http.get("/search/users", params={"q": "u"}).status_code == 200
        followers = http.get(f"/users/{author}/followers", params={"limit": 100}).json()
        assert len(followers) == len(fans)

    # A read load of sixteen clients: many asyncpg connections, two server ones.
    def read_for(seconds: float, number: int) -> None:
        fan, headers = fans[number]
        deadline = time.monotonic() + seconds
        with server.client(event_hooks={"response": [record]}) as http:
            while time.monotonic() < deadline:
                assert len(http.get("/tweets/", params={"limit": 5}).json()) == 5
                assert http.get(f"/users/{fan}/timeline", headers=headers).json()
                assert http.get("/search/tweets", params={"q": "needle"}).json()
                assert http.get(f"/users/{author}").json()["id"] == author

    with ThreadPoolExecutor(16) as pool:
        list(pool.map(lambda number: read_for(2.0, number), range(16)))

    assert len(statuses) > 150
    assert {status for status in statuses if status >= 500} == set()
    assert "Traceback" not in server.log()
    assert _server_connections(bouncer) <= SERVER_CONNECTIONS


def test_the_statement_timeout_holds_on_every_server_connection(bouncer: Pgbouncer) -> None:
    # Clients ask for another at startup, as the service's drivers do: pgbouncer drops
    # it (ignore_startup_parameters) and connect_query has set the configured one.
    connections = [
        psycopg2.connect(
            host="127.0.0.1",
            port=bouncer.port,
            user="postgres",
            dbname=database,
            options="-c jit=on -c statement_timeout=0",
        )
        for database in ("twitter", "twitter", "quick")
    ]
    try:
        first, second, quick = (connection.cursor() for connection in connections)
        # Two transactions open at once: both server connections of the pool.
        first.execute("SHOW statement_timeout")
        second.execute("SHOW statement_timeout")
        assert first.fetchall() == second.fetchall() == [("4s",)]
        first.execute("SHOW jit")
        assert first.fetchall() == [("off",)]
        for cursor in (first, second):
            cursor.connection.rollback()
        started = time.monotonic()
        with pytest.raises(psycopg2.errors.QueryCanceled):
            quick.execute("SELECT pg_sleep(5)")
        assert time.monotonic() - started < 2
    finally:
        for connection in connections:
            connection.close()


def test_unnamed_statements_of_many_clients_never_cross_on_shared_server_connections(
    tmp_path: Path,
) -> None:
    """Sixteen asyncpg connections, two server connections: each parses its statement
    and binds it before pgbouncer may hand the server to another (no Sync between
    them). Were they split, another client's Parse would replace the unnamed
    statement (an error, or another statement's rows), or the Bind land on a server
    that never saw the Parse. (With the statement cache on, asyncpg's named
    statements fail here at once: "prepared statement ... does not exist".)"""
    assert POSTGRES_URL is not None
    with running_pgbouncer(
        tmp_path,
        {"twitter": _target(POSTGRES_URL, STATEMENT_TIMEOUT_MS)},
        settings={"default_pool_size": SERVER_CONNECTIONS, "reserve_pool_size": 0},
    ) as two:
        reads = AsyncpgReads(
            two.url("twitter"), pool_size=16, statement_cache_size=0, statement_timeout_ms=5_000
        )
        # (SQL, its arguments for n, the row it answers for n). The client asks for a
        # 5 s timeout, which pgbouncer drops: the server connections have 4 s.
        shapes: list[tuple[str, Shape, Shape]] = [
            ("SELECT $1::bigint * 2, $2::text", lambda n: (n, f"t{n}"), lambda n: (2 * n, f"t{n}")),
            ("SELECT $1::text || 'x'", lambda n: (str(n),), lambda n: (f"{n}x",)),
            (
                "SELECT $1::int + $2::int + $3::int, current_setting('statement_timeout')",
                lambda n: (n, 1, 2),
                lambda n: (n + 3, "4s"),
            ),
        ]

        async def one_read(n: int) -> tuple[Any, ...]:
            sql, args, _ = shapes[n % len(shapes)]
            row = await reads.fetchrow_here(sql, *args(n))
            assert row is not None
            return tuple(row)

        async def load() -> list[tuple[Any, ...]]:
            try:
                return await asyncio.gather(*(one_read(n) for n in range(1_500)))
            finally:
                await reads.aclose()

        results = run_to_end(load())
        assert _server_connections(two) <= SERVER_CONNECTIONS

    assert results == [shapes[n % len(shapes)][2](n) for n in range(1_500)]
