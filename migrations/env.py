"""Alembic environment: the same settings and engine as the application.

The URL comes from ``config.attributes["url"]`` when a caller (the CLI, the tests)
passes one, else from ``twitter.settings.Settings``.
"""

from __future__ import annotations

from alembic import context

from twitter.adapters.persistence.database import build_engine
from twitter.adapters.persistence.migrations import compared_on, is_schema_table
from twitter.adapters.persistence.tables import metadata
from twitter.settings import Settings

config = context.config
target_metadata = metadata


def _url() -> str:
    url = config.attributes.get("url")
    if url:
        return str(url)
    return Settings().database_url


def run_migrations_offline() -> None:
    context.configure(
        url=_url(), target_metadata=target_metadata, literal_binds=True, render_as_batch=True
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = build_engine(_url())
    try:
        with engine.connect() as connection:
            _run(connection)
    finally:
        engine.dispose()


def _run(connection: object) -> None:
    context.configure(
        connection=connection,  # type: ignore[arg-type]
        target_metadata=target_metadata,
        render_as_batch=True,  # SQLite alters tables by copying them
        compare_server_default=True,
        include_name=is_schema_table,
        include_object=compared_on(connection.dialect.name),  # type: ignore[attr-defined]
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
