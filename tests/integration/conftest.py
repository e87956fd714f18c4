"""Integration fixtures: every test runs on SQLite and, when TWITTER_TEST_POSTGRES_URL
is set (CI sets it), on PostgreSQL too. The schema is built by Alembic, once per run;
each test starts from empty tables."""

from __future__ import annotations

import functools
import os
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import fastapi.dependencies.models
import pytest
from dependency_injector import providers
from fastapi.testclient import TestClient
from sqlalchemy import Engine, event, text

from tests.integration import web_browser
from tests.integration.api import Api
from twitter.adapters.persistence import migrations
from twitter.adapters.persistence.database import build_engine
from twitter.adapters.reads.postgres import AsyncpgReads
from twitter.container import Container
from twitter.main import create_app
from twitter.settings import Settings

POSTGRES_URL = os.environ.get("TWITTER_TEST_POSTGRES_URL")
TABLES = (
    "notifications",
    "bookmarks",
    "blocks",
    "mutes",
    "tweet_hashtags",
    "tweet_mentions",
    "follows",
    "likes",
    "tweets",
    "users",
    "login_attempts",
    "revoked_tokens",
    "idempotency_keys",
    "authorization_codes",
    "oauth_apps",
    "write_positions",
)
TEST_SECRET = "test-secret-" + "x" * 40
# FastAPI remembers what kind of callable each endpoint and dependency is, in caches
# of 4096 entries each; the docs endpoints fastapi_offline adds are closures over their
# app, so those caches keep alive every app a test made (hundreds of them, millions of
# objects), and the garbage collector's full passes grow to seconds each.
_FASTAPI_CALLABLE_CACHES = [
    value
    for value in vars(fastapi.dependencies.models).values()
    if isinstance(value, functools._lru_cache_wrapper)
]


@pytest.fixture(autouse=True)
def _forget_the_apps_of_earlier_tests() -> Iterator[None]:
    yield
    for cache in _FASTAPI_CALLABLE_CACHES:
        cache.cache_clear()


def _reset_postgres_schema(url: str) -> None:
    engine = build_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file migrated to head once; each test gets a copy."""
    path = tmp_path_factory.mktemp("template") / "template.db"
    migrations.upgrade(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def postgres_migrated() -> str:
    assert POSTGRES_URL is not None
    _reset_postgres_schema(POSTGRES_URL)
    migrations.upgrade(POSTGRES_URL)
    return POSTGRES_URL


@pytest.fixture(scope="session")
def postgres_emptied(postgres_migrated: str) -> Iterator[Callable[[], None]]:
    """Empties every table and restarts every id sequence, in one round trip on a
    connection kept for the run. DELETE, not TRUNCATE: the tables hold a few rows, and
    TRUNCATE's new files and exclusive locks cost 40 to 150 ms a test."""
    engine = build_engine(postgres_migrated, pool_size=1)
    with engine.connect() as connection:
        sequences = connection.execute(
            text(
                "SELECT quote_ident(sequence_name) FROM information_schema.sequences "
                "WHERE sequence_schema = 'public'"
            )
        ).scalars()
        restarts = [f"ALTER SEQUENCE {sequence} RESTART" for sequence in sequences]
    statement = "; ".join([f"DELETE FROM {table}" for table in TABLES] + restarts)

    def empty() -> None:
        with engine.begin() as connection:
            connection.exec_driver_sql(statement)

    yield empty
    engine.dispose()


@pytest.fixture(
    params=[
        "sqlite",
        pytest.param("postgresql", marks=pytest.mark.postgres),
    ]
)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty database at the newest schema."""
    return empty_database_at_head(request.param, request, tmp_path)


def empty_database_at_head(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty ``backend`` ("sqlite" or "postgresql") database at the newest schema;
    for fixtures with parameters of their own, which cannot use ``database_url``."""
    if backend == "sqlite":
        template: Path = request.getfixturevalue("sqlite_template")
        path = tmp_path / "twitter.db"
        shutil.copyfile(template, path)
        return f"sqlite:///{path}"
    if POSTGRES_URL is None:
        pytest.skip("TWITTER_TEST_POSTGRES_URL is not set")
    request.getfixturevalue("postgres_emptied")()
    return POSTGRES_URL


def test_settings(database_url: str, **overrides: Any) -> Settings:
    return Settings(
        database_url=database_url,
        secret_key=TEST_SECRET,
        # Cheap hashing keeps the suite fast; the real parameters are tested on their own.
        argon2_memory_kib=64,
        argon2_time_cost=1,
        # The suite signs up many users from one client; a test of the limit sets it.
        signups_per_client=overrides.pop("signups_per_client", 100_000),
        # The fuzzer writes thousands of times as one user; a test of the limit sets it.
        writes_per_user=overrides.pop("writes_per_user", 100_000),
        # Every connection a pool opens is a new PostgreSQL backend that warms its
        # caches on its first queries: a test's few requests need two, not ten.
        db_pool_size=overrides.pop("db_pool_size", 2),
        **overrides,
    )


test_settings.__test__ = False  # type: ignore[attr-defined]


@contextmanager
def api_with(database_url: str, **overrides: Any) -> Iterator[Api]:
    """The API over a fresh app whose settings differ from the suite's by ``overrides``."""
    container = Container()
    container.settings.override(providers.Object(test_settings(database_url, **overrides)))
    with TestClient(create_app(container)) as client:
        yield Api(client)
    container.shutdown_resources()


@pytest.fixture
def container(database_url: str) -> Iterator[Container]:
    container = Container()
    container.settings.override(providers.Object(test_settings(database_url)))
    yield container
    container.shutdown_resources()
    container.unwire()
    container.reset_singletons()


@pytest.fixture
def engine(container: Container) -> Engine:
    engine: Engine = container.engine()
    return engine


@pytest.fixture
def client(container: Container) -> Iterator[TestClient]:
    with TestClient(create_app(container)) as client:
        yield client


def second_client(client: TestClient, **options: Any) -> TestClient:
    """Another client of the app ``client`` serves: cookies of its own, the same server.

    A TestClient used outside ``with`` runs every request on an event loop of its own,
    as no server does: the read port would open a pool per request (and leave the
    last one to the garbage collector). This one shares ``client``'s loop."""
    other = TestClient(client.app, **options)
    other.portal = client.portal
    return other


@pytest.fixture
def api(client: TestClient) -> Api:
    return Api(client)


class StatementCounter:
    """Counts the SQL statements the engines, and the read port when it has a driver
    of its own (asyncpg), run while active."""

    def __init__(self, *engines: Engine, reads: object = None) -> None:
        # An engine sharing another's pool is a view of it: its statements fire there too.
        pools = {engine.pool: engine for engine in reversed(engines)}
        self.engines = list(pools.values())
        self.reads = reads if isinstance(reads, AsyncpgReads) else None
        self.statements: list[str] = []

    def _record_read(self, statement: str) -> None:
        self.statements.append(statement)

    def _record(self, _conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if statement.strip().upper() not in ("BEGIN", "BEGIN IMMEDIATE", "COMMIT", "ROLLBACK"):
            self.statements.append(statement)

    def __enter__(self) -> StatementCounter:
        for engine in self.engines:
            event.listen(engine, "before_cursor_execute", self._record)
        if self.reads is not None:
            self.reads.on_statement = self._record_read
        return self

    def __exit__(self, *_: object) -> None:
        for engine in self.engines:
            event.remove(engine, "before_cursor_execute", self._record)
        if self.reads is not None:
            self.reads.on_statement = None

    @property
    def count(self) -> int:
        return len(self.statements)


@pytest.fixture
def count_statements(engine: Engine, container: Container) -> StatementCounter:
    """Statements of the writing and the reading engine, and of the read port."""
    return StatementCounter(engine, container.reading_engine(), reads=container.reads())


@pytest.fixture
def web(client: TestClient) -> web_browser.Browser:
    return web_browser.Browser(client)


@pytest.fixture
def other(client: TestClient) -> web_browser.Browser:
    """A second person, with cookies of their own."""
    return web_browser.Browser(second_client(client))
