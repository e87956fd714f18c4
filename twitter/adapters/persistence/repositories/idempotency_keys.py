"""The idempotency keys' repository: one row per caller and key, claimed by INSERT."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select, tuple_, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from twitter.adapters.persistence.tables import idempotency_keys
from twitter.application.ports import StoredAnswer

_KEYS = idempotency_keys


class SqlAlchemyIdempotencyKeyRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def reserve(self, caller: str, key: str, fingerprint: str, now: datetime) -> bool:
        # ON CONFLICT DO NOTHING: a concurrent claim of the same key waits for the
        # first one's transaction and then inserts nothing, instead of failing.
        dialect = self._session.get_bind().dialect.name
        insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
        statement = (
            insert(_KEYS)
            .values(caller=caller, key=key, fingerprint=fingerprint, created_at=now)
            .on_conflict_do_nothing(index_elements=[_KEYS.c.caller, _KEYS.c.key])
            .returning(_KEYS.c.caller)
        )
        return self._session.execute(statement).first() is not None

    def find(self, caller: str, key: str) -> StoredAnswer | None:
        statement = select(
            _KEYS.c.fingerprint,
            _KEYS.c.created_at,
            _KEYS.c.status,
            _KEYS.c.content_type,
            _KEYS.c.body,
        ).where(_KEYS.c.caller == caller, _KEYS.c.key == key)
        row = self._session.execute(statement).one_or_none()
        return None if row is None else StoredAnswer(*row)

    def complete(
        self, caller: str, key: str, status: int, content_type: str | None, body: bytes
    ) -> None:
        self._session.execute(
            update(_KEYS)
            .where(_KEYS.c.caller == caller, _KEYS.c.key == key)
            .values(status=status, content_type=content_type, body=body)
        )

    def release(self, caller: str, key: str) -> None:
        self._session.execute(delete(_KEYS).where(_KEYS.c.caller == caller, _KEYS.c.key == key))

    def prune(self, created_before: datetime) -> None:
        # As for login attempts: rows another transaction holds are skipped, not waited for.
        stale = (
            select(_KEYS.c.caller, _KEYS.c.key)
            .where(_KEYS.c.created_at < created_before)
            .with_for_update(skip_locked=True)
        )
        self._session.execute(delete(_KEYS).where(tuple_(_KEYS.c.caller, _KEYS.c.key).in_(stale)))
