"""Throw-away databases for tests that must start from nothing (migrations, the CLI).

A PostgreSQL one is created beside the database TWITTER_TEST_POSTGRES_URL names
(same server, its name plus a unique suffix) and dropped afterwards, so that tests
running in parallel on the same server never meet.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import create_engine, make_url, text


@contextmanager
def fresh_postgres_database(base_url: str, label: str) -> Iterator[str]:
    """Create an empty database on the server of ``base_url``; yield its URL; drop it."""
    base = make_url(base_url)
    name = f"{base.database}_{label}_{uuid.uuid4().hex[:8]}"
    assert len(name) <= 63, name  # PostgreSQL truncates longer identifiers
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            yield base.set(database=name).render_as_string(hide_password=False)
        finally:
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()
