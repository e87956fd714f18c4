"""The seeded PostgreSQL databases bench/run.py measures on: what they hold, a quiet
moment between scenarios, and a copy of one in the yardstick's own schema."""

from __future__ import annotations

import os
import subprocess
import tempfile
import time
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

import psycopg2


@dataclass
class Dataset:
    name: str
    url: str
    users: int = 0
    tweets: int = 0
    max_tweet_id: int = 0
    heavy_user: int = 0
    heavy_follows: int = 0
    first_user: int = 1


def psycopg_dsn(url: str) -> str:
    return url.replace("postgresql+psycopg2://", "postgresql://", 1)


def describe(d: Dataset) -> Dataset:
    with psycopg2.connect(psycopg_dsn(d.url)) as conn, conn.cursor() as cur:
        cur.execute("SELECT count(*), coalesce(min(id), 1) FROM users")
        d.users, d.first_user = cur.fetchone()
        cur.execute("SELECT count(*), coalesce(max(id), 0) FROM tweets")
        d.tweets, d.max_tweet_id = cur.fetchone()
        cur.execute(
            "SELECT follower_id, count(*) FROM follows GROUP BY follower_id "
            "ORDER BY count(*) DESC LIMIT 1"
        )
        d.heavy_user, d.heavy_follows = cur.fetchone() or (d.first_user, 0)
    return d


def settle(datasets: list[Dataset], limit: float = 120.0) -> None:
    """Wait until no query from a previous scenario still runs (the yardstick's slow
    ones outlive wrk's connections), so that each scenario starts on a quiet database."""
    deadline = time.monotonic() + limit
    # Not ``with conn``: since psycopg2 2.9 it opens a transaction even in autocommit,
    # and pg_stat_activity then answers the same snapshot for the whole transaction.
    conn = psycopg2.connect(psycopg_dsn(datasets[0].url))
    conn.autocommit = True
    try:
        with conn.cursor() as cur:
            while time.monotonic() < deadline:
                cur.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE state = 'active' "
                    "AND pid <> pg_backend_pid() AND backend_type = 'client backend'"
                )
                if cur.fetchone()[0] == 0:
                    return
                time.sleep(0.5)
    finally:
        conn.close()


class SessionCount:
    """How many sessions PostgreSQL has opened on a database so far
    (``pg_stat_database.sessions``), read over one connection kept for it."""

    def __init__(self, d: Dataset) -> None:
        self._conn = psycopg2.connect(psycopg_dsn(d.url))
        self._conn.autocommit = True

    def __call__(self) -> int:
        # Backends report their statistics at most once a second: wait for the last.
        time.sleep(1.1)
        with self._conn.cursor() as cur:
            cur.execute("SELECT pg_stat_clear_snapshot()")
            cur.execute("SELECT sessions FROM pg_stat_database WHERE datname = current_database()")
            return int(cur.fetchone()[0])

    def close(self) -> None:
        self._conn.close()


def copy_for_yardstick(d: Dataset, yardstick: Path, alembic: Path) -> str:
    """The URL of a copy of the dataset in the yardstick's own schema, in a database of
    its own, migrated with the yardstick's ``alembic``; a copy already complete is kept."""
    parsed = urllib.parse.urlsplit(d.url)
    name = parsed.path.lstrip("/") + "_yardstick"
    url = urllib.parse.urlunsplit(parsed._replace(path="/" + name))
    admin = psycopg2.connect(psycopg_dsn(d.url))
    admin.autocommit = True
    with admin.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,))
        exists = cur.fetchone() is not None
    admin.close()
    if exists:
        with psycopg2.connect(psycopg_dsn(url)) as conn, conn.cursor() as cur:
            cur.execute("SELECT count(*) FROM tweets")
            if cur.fetchone()[0] == d.tweets:
                return url
    admin = psycopg2.connect(psycopg_dsn(d.url))
    admin.autocommit = True
    with admin.cursor() as cur:
        cur.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cur.execute(f'CREATE DATABASE "{name}"')
    admin.close()
    subprocess.run(
        [str(alembic), "upgrade", "head"],
        cwd=yardstick,
        env={**os.environ, "POSTGRES_DATABASE_URL": url},
        check=True,
        capture_output=True,
    )
    copies = [
        (
            "users",
            "SELECT id, email, hashed_password FROM users",
            "users (id, email, hashed_password)",
        ),
        (
            "tweets",
            "SELECT id, text, owner_id, like_count FROM tweets",
            "tweets (id, text, owner_id, like_count)",
        ),
        ("likes", "SELECT id, owner_id, tweet_id FROM likes", "likes (id, owner_id, tweet_id)"),
    ]
    with (
        psycopg2.connect(psycopg_dsn(d.url)) as source,
        psycopg2.connect(psycopg_dsn(url)) as target,
    ):
        with target.cursor() as out:
            out.execute("TRUNCATE likes, tweets, users RESTART IDENTITY CASCADE")
        for table, query, columns in copies:
            with tempfile.TemporaryFile("w+") as buffer:
                with source.cursor() as cur:
                    cur.copy_expert(f"COPY ({query}) TO STDOUT", buffer)
                buffer.seek(0)
                with target.cursor() as out:
                    out.copy_expert(f"COPY {columns} FROM STDIN", buffer)
                    out.execute(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                        f"(SELECT coalesce(max(id), 1) FROM {table}))"
                    )
        with target.cursor() as out:
            out.execute("ANALYZE")
    return url
