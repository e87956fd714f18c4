"""Counting each user's writes, and telling them where they stand."""

from __future__ import annotations

import math

from twitter.application.ports import Clock, UnitOfWork
from twitter.application.queries import Reads
from twitter.application.throttling import RateLimitStatus, WriteLimit
from twitter.domain.errors import TooManyWrites


class CountWrite:
    """Count one write by a user, in its own transaction, before the write itself;
    TooManyWrites past the limit (the refused write is counted too: a client that
    keeps hammering stays refused until the window ends). Every worker counts in the
    same table, so the limit holds however many serve the database."""

    def __init__(self, uow: UnitOfWork, clock: Clock, limit: WriteLimit | None = None) -> None:
        self._uow = uow
        self._clock = clock
        self._limit = limit or WriteLimit()

    def __call__(self, user_id: int) -> RateLimitStatus:
        limit, now = self._limit, self._clock.now()
        with self._uow as uow:
            writes, started_at = uow.login_attempts.count(limit.key(user_id), now, limit.window)
            if writes == 1:  # a new window: the time to drop the users' ended ones
                uow.login_attempts.prune(now - limit.window, limit.key_prefixes)
            uow.commit()
        resets_at = started_at + limit.window
        if writes > limit.per_user:
            raise TooManyWrites(max(1, math.ceil((resets_at - now).total_seconds())))
        return RateLimitStatus(limit.per_user, limit.per_user - writes, resets_at)


class PeekWrites:
    """Where a user stands, counting nothing (what a read answers with): through the
    read port, so a read makes no hop to a thread for it."""

    def __init__(self, reads: Reads, clock: Clock, limit: WriteLimit | None = None) -> None:
        self._reads = reads
        self._clock = clock
        self._limit = limit or WriteLimit()

    async def __call__(self, user_id: int) -> RateLimitStatus:
        limit, now = self._limit, self._clock.now()
        counted = await self._reads.counted(limit.key(user_id))
        if counted is None or counted[1] <= now - limit.window:
            return RateLimitStatus(limit.per_user, limit.per_user, now + limit.window)
        writes, started_at = counted
        remaining = max(0, limit.per_user - writes)
        return RateLimitStatus(limit.per_user, remaining, started_at + limit.window)
