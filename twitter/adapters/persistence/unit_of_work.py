"""The SQLAlchemy unit of work: one session, one transaction."""

from __future__ import annotations

from types import TracebackType
from typing import Self

from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from twitter.adapters.persistence.database import ReadOnlyUnitOfWork
from twitter.adapters.persistence.repositories import (
    SqlAlchemyAuthorizationCodeRepository,
    SqlAlchemyBlockRepository,
    SqlAlchemyBookmarkRepository,
    SqlAlchemyFollowRepository,
    SqlAlchemyIdempotencyKeyRepository,
    SqlAlchemyLikeRepository,
    SqlAlchemyLoginAttemptRepository,
    SqlAlchemyMuteRepository,
    SqlAlchemyNotificationRepository,
    SqlAlchemyOAuthAppRepository,
    SqlAlchemyRevokedTokenRepository,
    SqlAlchemyTweetRepository,
    SqlAlchemyUserRepository,
)
from twitter.adapters.persistence.write_positions import note_write
from twitter.application.errors import StorageUnavailable


class SqlAlchemyUnitOfWork:
    """``read_only``: for use cases that only read (sessions from
    ``build_reading_session_factory``); anything that would write raises instead.
    ``note_write_positions``: with read replicas, each commit also notes how far the
    writer's write went (``write_positions.note_write``)."""

    def __init__(
        self,
        session_factory: sessionmaker[Session],
        *,
        read_only: bool = False,
        note_write_positions: bool = False,
    ) -> None:
        self._session_factory = session_factory
        self._read_only = read_only
        self._note_write_positions = note_write_positions

    def __enter__(self) -> Self:
        self._session = self._session_factory()
        self.users = SqlAlchemyUserRepository(self._session, read_only=self._read_only)
        self.tweets = SqlAlchemyTweetRepository(self._session, read_only=self._read_only)
        self.likes = SqlAlchemyLikeRepository(self._session)
        self.follows = SqlAlchemyFollowRepository(self._session)
        self.notifications = SqlAlchemyNotificationRepository(self._session)
        self.blocks = SqlAlchemyBlockRepository(self._session)
        self.mutes = SqlAlchemyMuteRepository(self._session)
        self.bookmarks = SqlAlchemyBookmarkRepository(self._session)
        self.login_attempts = SqlAlchemyLoginAttemptRepository(self._session)
        self.revoked_tokens = SqlAlchemyRevokedTokenRepository(self._session)
        self.idempotency_keys = SqlAlchemyIdempotencyKeyRepository(self._session)
        self.oauth_apps = SqlAlchemyOAuthAppRepository(self._session)
        self.authorization_codes = SqlAlchemyAuthorizationCodeRepository(self._session)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            # close() ends the transaction, rolling back anything uncommitted, and
            # detaches the entities without expiring them (rollback() would).
            self._session.close()
        except DBAPIError:
            if exc is None:
                raise
        if _is_unreachable(exc):
            raise StorageUnavailable("The database is unavailable") from exc

    def commit(self) -> None:
        if self._read_only:
            raise ReadOnlyUnitOfWork("this unit of work only reads; it has nothing to commit")
        self._session.commit()
        if self._note_write_positions:
            note_write(self._session)

    def rollback(self) -> None:
        self._session.rollback()


def _is_unreachable(error: BaseException | None) -> bool:
    """A lost or refused connection, as opposed to a bug or a broken constraint."""
    return isinstance(error, OperationalError) or (
        isinstance(error, DBAPIError) and error.connection_invalidated
    )
