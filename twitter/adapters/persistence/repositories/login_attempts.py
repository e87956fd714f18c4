"""The login attempts' repository: counts per key in fixed time windows."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import and_, case, delete, literal, or_, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from twitter.adapters.persistence.tables import UtcDateTime, login_attempts


class SqlAlchemyLoginAttemptRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def count(self, key: str, now: datetime, window: timedelta) -> tuple[int, datetime]:
        table = login_attempts
        moment = literal(now, UtcDateTime())
        ended = table.c.window_started_at <= literal(now - window, UtcDateTime())
        dialect = self._session.get_bind().dialect.name
        insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
        statement = (
            insert(table)
            .values(key=key, attempts=1, window_started_at=now)
            .on_conflict_do_update(
                index_elements=[table.c.key],
                set_={
                    "attempts": case((ended, 1), else_=table.c.attempts + 1),
                    "window_started_at": case((ended, moment), else_=table.c.window_started_at),
                },
            )
            .returning(table.c.attempts, table.c.window_started_at)
        )
        attempts, started_at = self._session.execute(statement).one()
        return attempts, started_at

    def peek(self, key: str) -> tuple[int, datetime] | None:
        table = login_attempts
        statement = select(table.c.attempts, table.c.window_started_at).where(table.c.key == key)
        row = self._session.execute(statement).one_or_none()
        return None if row is None else (row[0], row[1])

    def refund(self, key: str) -> None:
        self._session.execute(
            update(login_attempts)
            .where(login_attempts.c.key == key, login_attempts.c.attempts > 0)
            .values(attempts=login_attempts.c.attempts - 1)
        )

    def forget(self, key: str) -> None:
        self._session.execute(delete(login_attempts).where(login_attempts.c.key == key))

    def prune(self, ended_by: datetime, prefixes: tuple[str, ...] = ()) -> None:
        # Rows another attempt holds are skipped, not waited for: pruning never blocks
        # a login, and two prunes never lock the same rows in different orders.
        ended = login_attempts.c.window_started_at < ended_by
        if prefixes:
            ended = and_(ended, or_(*(login_attempts.c.key.startswith(p) for p in prefixes)))
        stale = select(login_attempts.c.key).where(ended).with_for_update(skip_locked=True)
        self._session.execute(delete(login_attempts).where(login_attempts.c.key.in_(stale)))
