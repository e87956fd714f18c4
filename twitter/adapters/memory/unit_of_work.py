"""A unit of work over an in-memory database.

Each unit of work holds the database's lock from ``with`` to its end and works on
a private copy of the state, which ``commit()`` publishes. Transactions are thus
serial and all-or-nothing, like the real store's.
"""

from __future__ import annotations

import copy
import threading
from types import TracebackType
from typing import Self

from twitter.adapters.memory.repositories import (
    MemoryAuthorizationCodeRepository,
    MemoryBlockRepository,
    MemoryBookmarkRepository,
    MemoryFollowRepository,
    MemoryIdempotencyKeyRepository,
    MemoryLikeRepository,
    MemoryLoginAttemptRepository,
    MemoryMuteRepository,
    MemoryNotificationRepository,
    MemoryOAuthAppRepository,
    MemoryRevokedTokenRepository,
    MemoryTweetRepository,
    MemoryUserRepository,
)
from twitter.adapters.memory.state import MemoryState


class MemoryDatabase:
    """The committed state, shared by every unit of work made on it."""

    def __init__(self) -> None:
        self.state = MemoryState()
        self.lock = threading.RLock()


class MemoryUnitOfWork:
    def __init__(self, database: MemoryDatabase | None = None) -> None:
        self.database = database or MemoryDatabase()
        self.committed = False

    def __enter__(self) -> Self:
        self.database.lock.acquire()
        self._begin()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            self.rollback()
        finally:
            self.database.lock.release()

    def _begin(self) -> None:
        self._state = copy.deepcopy(self.database.state)
        self.users = MemoryUserRepository(self._state)
        self.tweets = MemoryTweetRepository(self._state)
        self.likes = MemoryLikeRepository(self._state)
        self.follows = MemoryFollowRepository(self._state)
        self.notifications = MemoryNotificationRepository(self._state)
        self.blocks = MemoryBlockRepository(self._state)
        self.mutes = MemoryMuteRepository(self._state)
        self.bookmarks = MemoryBookmarkRepository(self._state)
        self.login_attempts = MemoryLoginAttemptRepository(self._state)
        self.revoked_tokens = MemoryRevokedTokenRepository(self._state)
        self.idempotency_keys = MemoryIdempotencyKeyRepository(self._state)
        self.oauth_apps = MemoryOAuthAppRepository(self._state)
        self.authorization_codes = MemoryAuthorizationCodeRepository(self._state)

    def commit(self) -> None:
        self.database.state = copy.deepcopy(self._state)
        self.committed = True

    def rollback(self) -> None:
        self._begin()
