"""Whether the database answers, and whether its schema is the one this code needs."""

from __future__ import annotations

from sqlalchemy import Engine, text
from sqlalchemy.exc import SQLAlchemyError

from twitter.adapters.persistence import migrations


class SqlAlchemyHealthProbe:
    def __init__(self, engine: Engine, url: str) -> None:
        self._engine = engine
        self._url = url
        self._head: str | None = None

    def database_ok(self) -> bool:
        try:
            with self._engine.connect() as connection:
                connection.execute(text("SELECT 1"))
        except SQLAlchemyError:
            return False
        return True

    def schema_current(self) -> bool | None:
        if self._head is None:  # read once: the migrations a process has do not change
            self._head = migrations.head_revision(self._url)
        try:
            return migrations.current_revision(self._engine) == self._head
        except SQLAlchemyError:
            return None
