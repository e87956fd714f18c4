"""Engines and sessions, tuned per database."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, make_url
from sqlalchemy.engine.interfaces import DBAPIConnection
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import ConnectionPoolEntry, StaticPool

from twitter.settings import default


def build_engine(
    url: str,
    *,
    pool_size: int = default("db_pool_size"),
    max_overflow: int = 0,
    pool_timeout: float = default("db_pool_timeout_seconds"),
    connect_timeout: int = default("db_connect_timeout_seconds"),
    statement_timeout_ms: int = default("db_statement_timeout_ms"),
    sqlite_busy_timeout_ms: int = 10_000,
    isolation_level: str | None = None,
) -> Engine:
    """An engine with the settings each database needs to be safe under concurrency.

    SQLite: WAL journal, foreign keys on, a busy timeout, and every transaction
    opened with BEGIN IMMEDIATE so that two writers queue instead of failing.
    PostgreSQL: a sized pool, a ping for connections that idled (to survive
    restarts), a connect timeout and a statement timeout, no JIT.
    """
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        in_memory = parsed.database in (None, "", ":memory:")
        if not in_memory and not parsed.query.get("uri"):
            _create_private_file(Path(str(parsed.database)))
        return _sqlite_engine(url, in_memory=in_memory, busy_timeout_ms=sqlite_busy_timeout_ms)
    connect_args: dict[str, Any] = {}
    if parsed.get_backend_name() == "postgresql":
        connect_args["connect_timeout"] = connect_timeout
        # JIT compilation pays off for long analytic queries; on these short ones
        # PostgreSQL misjudges it and spends hundreds of milliseconds compiling.
        # A statement that runs past the timeout is cancelled: the request answers
        # 503 instead of holding its connection and thread indefinitely.
        connect_args["options"] = f"-c jit=off -c statement_timeout={int(statement_timeout_ms)}"
    engine = create_engine(
        url,
        pool_size=pool_size,
        max_overflow=max_overflow,
        pool_timeout=pool_timeout,
        connect_args=connect_args,
        **({"isolation_level": isolation_level} if isolation_level else {}),
    )
    _ping_after_idle(engine)
    return engine


def _create_private_file(path: Path) -> None:
    """Create the SQLite file readable by its owner alone, if it does not exist yet.

    It holds password hashes. SQLite gives the -wal and -shm files it makes later the
    database file's own permissions; an existing file keeps the ones it has.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))


def engine_lifetime(url: str, **options: Any) -> Iterator[Engine]:
    """An engine for as long as the application runs; its connections closed at the end."""
    engine = build_engine(url, **options)
    try:
        yield engine
    finally:
        engine.dispose()


def _ping_after_idle(engine: Engine, idle_seconds: float = 1.0) -> None:
    """Pre-ping a pooled connection only when it has sat unused for a while.

    A connection that served a request a moment ago is alive; pinging it would add
    a round trip to every request. One that idled may have outlived a database
    restart: it is checked, and a dead one is replaced before anyone uses it.
    (A restart under load fails the requests in flight; the pool then renews
    every connection it holds.)
    """

    @event.listens_for(engine, "checkin")
    def _on_checkin(_: DBAPIConnection | None, record: ConnectionPoolEntry) -> None:
        record.info["returned_at"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _on_checkout(
        dbapi_connection: DBAPIConnection, record: ConnectionPoolEntry, _: object
    ) -> None:
        returned_at = record.info.get("returned_at")
        if returned_at is not None and time.monotonic() - returned_at < idle_seconds:
            return
        try:
            cursor = dbapi_connection.cursor()
            cursor.execute("SELECT 1")
            cursor.close()
        except Exception as error:
            raise DisconnectionError("stale pooled connection") from error


def _sqlite_engine(url: str, *, in_memory: bool, busy_timeout_ms: int) -> Engine:
    engine = create_engine(
        url,
        connect_args={"check_same_thread": False, "timeout": busy_timeout_ms / 1000},
        # One shared connection keeps an in-memory database alive and whole.
        poolclass=StaticPool if in_memory else None,
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: DBAPIConnection, _: ConnectionPoolEntry) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        if not in_memory:
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        if connection.get_execution_options().get("isolation_level") != "AUTOCOMMIT":
            connection.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def build_session_factory(engine: Engine) -> sessionmaker[Session]:
    # Use cases return entities after their unit of work has closed: keep them loaded.
    return sessionmaker(bind=engine, expire_on_commit=False, autoflush=False)


def reading_engine_lifetime(engine: Engine, **options: Any) -> Iterator[Engine]:
    """An engine for use cases that only read: each statement commits by itself.

    Without a transaction to open and roll back, a point read is one round trip
    instead of three (BEGIN, SELECT, ROLLBACK). Under READ COMMITTED each statement
    saw its own snapshot anyway, so a reading use case observes nothing new.
    On PostgreSQL it is a pool of its own whose connections stay in autocommit:
    switching a shared connection in and out of it costs two calls per checkout.
    SQLite switches for free, and an in-memory database must stay one connection.
    """
    if engine.dialect.name == "sqlite":
        yield engine.execution_options(isolation_level="AUTOCOMMIT")
        return
    reading = build_engine(
        engine.url.render_as_string(hide_password=False), isolation_level="AUTOCOMMIT", **options
    )
    try:
        yield reading
    finally:
        reading.dispose()


def build_reading_session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions on ``reading_engine_lifetime``'s engine that refuse to flush."""
    factory = sessionmaker(bind=engine, expire_on_commit=False, autoflush=False)
    event.listen(factory, "before_flush", _refuse_writes)
    return factory


class ReadOnlyUnitOfWork(RuntimeError):
    """A use case wired to read only tried to write: a wiring mistake, not bad input."""


def _refuse_writes(*_: object) -> None:
    raise ReadOnlyUnitOfWork("this unit of work only reads; give the use case a writing one")
