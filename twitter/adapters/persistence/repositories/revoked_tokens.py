"""The revoked tokens' repository."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from twitter.adapters.persistence.tables import revoked_tokens


class SqlAlchemyRevokedTokenRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, token_id: str, expires_at: datetime) -> None:
        dialect = self._session.get_bind().dialect.name
        insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
        statement = insert(revoked_tokens).values(token_id=token_id, expires_at=expires_at)
        self._session.execute(statement.on_conflict_do_nothing(index_elements=["token_id"]))

    def prune(self, expired_by: datetime) -> None:
        self._session.execute(
            delete(revoked_tokens).where(revoked_tokens.c.expires_at <= expired_by)
        )
