"""Alembic, driven from code: upgrade, downgrade, and where a database stands."""

from __future__ import annotations

from importlib.resources import files

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

# The repository's top-level ``migrations/``, shipped in the package (see pyproject.toml):
# found the same way in an editable install and in an installed wheel.
SCRIPTS = "twitter._migrations"


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
