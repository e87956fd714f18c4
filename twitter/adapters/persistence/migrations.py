"""Alembic, driven from code: upgrade, downgrade, and where a database stands."""

from __future__ import annotations

from collections.abc import Callable
from importlib.resources import files

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

# The repository's top-level ``migrations/``, shipped in the package (see pyproject.toml):
# found the same way in an editable install and in an installed wheel.
SCRIPTS = "twitter._migrations"


SEARCH_INDEX_TABLE = "tweets_search"
POSTGRESQL_ONLY_INDEXES = frozenset({"ix_tweets_search", "ix_users_username_prefix"})
UNCOMPARABLE_INDEX = "ix_users_username_prefix"
"""Alembic reflects its expression without the collation that is its point (``C``),
so it would always differ: its definition is checked on its own."""


def is_schema_table(name: str | None, type_: str, _parents: object = None) -> bool:
    """Whether Alembic compares this object with ``tables.py``: every table but the
    SQLite search index (an FTS5 table and the tables it keeps its index in), which
    ``tables.py`` creates as DDL, not as a ``Table``."""
    return not (type_ == "table" and name is not None and name.startswith(SEARCH_INDEX_TABLE))


def compared_on(dialect: str) -> Callable[[object, str | None, str, bool, object], bool]:
    """Alembic's ``include_object`` for a database of ``dialect``: the indexes made on
    PostgreSQL only are not looked for anywhere else, nor ``UNCOMPARABLE_INDEX``."""

    def include(
        _object: object, name: str | None, type_: str, _reflected: bool, _to: object
    ) -> bool:
        if type_ == "index" and name == UNCOMPARABLE_INDEX:
            return False
        if type_ == "index" and name in POSTGRESQL_ONLY_INDEXES:
            return dialect == "postgresql"
        return is_schema_table(name, type_)

    return include


def alembic_config(url: str) -> Config:
    """Independent of the current folder and of alembic.ini (which is for Alembic's CLI)."""
    config = Config()
    config.set_main_option("script_location", str(files(SCRIPTS)))
    config.set_main_option("path_separator", "os")
    config.attributes["url"] = url
    return config


def upgrade(url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(url), revision)


def downgrade(url: str, revision: str) -> None:
    command.downgrade(alembic_config(url), revision)


def head_revision(url: str) -> str | None:
    return ScriptDirectory.from_config(alembic_config(url)).get_current_head()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()
