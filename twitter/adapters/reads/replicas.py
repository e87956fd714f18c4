"""Reads on PostgreSQL streaming replicas, and which replica may serve a read.

Each process checks every replica at most once a ``check_every_seconds`` (on the
first read after that long; no background task): how far it has replayed the
primary's write-ahead log and how long ago the last transaction it replayed was
committed, when it is behind. A replica that cannot be reached, has stopped being a
replica, or lags more than ``max_lag_seconds`` takes no reads until a later check
finds it well again. The reads of a user who has written (see
``twitter.application.consistency``) go only to a replica that has replayed their
latest write, else to the primary.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from twitter.application.consistency import current_reader
from twitter.application.errors import StorageUnavailable

if TYPE_CHECKING:
    from twitter.adapters.reads.postgres import AsyncpgReads

logger = logging.getLogger("twitter.replicas")

_PRIMARY_POSITION = "SELECT (pg_current_wal_lsn() - '0/0'::pg_lsn)::bigint"
_REPLICA_POSITION = (
    "SELECT pg_is_in_recovery(), (pg_last_wal_replay_lsn() - '0/0'::pg_lsn)::bigint,"
    " extract(epoch FROM now() - pg_last_xact_replay_timestamp())::float8"
)
_WRITE_POSITION = "SELECT wal_position FROM write_positions WHERE user_id = $1"
CHECK_TIMEOUT_SECONDS = 2.0


@dataclass
class ReplicaState:
    reads: AsyncpgReads
    usable: bool = False
    replayed: int = 0
    """The WAL position it had replayed when last checked (it only grows)."""
    lag_seconds: float = math.inf
    checked_at: float = -math.inf
    max_lag_seconds: float = math.inf

    @property
    def lag_if_usable(self) -> float | None:
        return (
            self.lag_seconds if self.usable and self.lag_seconds <= self.max_lag_seconds else None
        )


class Replicas:
    def __init__(
        self,
        replicas: Sequence[AsyncpgReads],
        *,
        max_lag_seconds: float,
        check_every_seconds: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.states = [ReplicaState(each, max_lag_seconds=max_lag_seconds) for each in replicas]
        self._every = check_every_seconds
        self._clock = clock
        self._checking = asyncio.Lock()
        self._turn = itertools.count()

    async def choose(self, primary: AsyncpgReads) -> AsyncpgReads | None:
        """A replica for the current read, or None: read on the primary."""
        await self._check_if_due(primary)
        usable = [s for s in self.states if s.lag_if_usable is not None]
        if not usable:
            return None
        needed = await self._reader_position(primary)
        if needed is not None:
            usable = [s for s in usable if s.replayed >= needed]
            if not usable:
                return None
        return usable[next(self._turn) % len(usable)].reads

    def lost(self, replica: AsyncpgReads, error: BaseException) -> None:
        """A read on ``replica`` failed: no more reads there until a check finds it well."""
        for state in self.states:
            if state.reads is replica and state.usable:
                logger.warning("replica left out after a failed read: %r", error)
                state.usable, state.checked_at = False, self._clock()

    async def aclose(self) -> None:
        for state in self.states:
            await state.reads.aclose()

    async def _reader_position(self, primary: AsyncpgReads) -> int | None:
        reader = current_reader()
        if reader is None:
            return None
        if not reader.looked_up:
            row = await primary.fetchrow_here(_WRITE_POSITION, reader.user_id)
            reader.last_write, reader.looked_up = (None if row is None else row[0]), True
        return reader.last_write

    async def _check_if_due(self, primary: AsyncpgReads) -> None:
        now = self._clock()
        due = [s for s in self.states if now - s.checked_at >= self._every]
        if not due or self._checking.locked():
            return  # another read is checking: this one goes by what is known
        async with self._checking:
            try:
                row = await primary.fetchrow_here(_PRIMARY_POSITION)
            except StorageUnavailable:
                return  # the primary's own trouble: the read will meet it there
            position = 0 if row is None else int(row[0])
            await asyncio.gather(*(self._check(state, position) for state in due))

    async def _check(self, state: ReplicaState, primary_position: int) -> None:
        was_usable = state.usable
        try:
            row = await asyncio.wait_for(
                state.reads.fetchrow_here(_REPLICA_POSITION), CHECK_TIMEOUT_SECONDS
            )
        except Exception as error:  # unreachable, too slow, a broken connection: left out
            state.usable = False
            if was_usable:
                logger.warning("replica unreachable, left out: %r", error)
        else:
            assert row is not None  # a SELECT without FROM has its one row
            in_recovery, replayed, replay_age = row
            state.usable = bool(in_recovery) and replayed is not None
            state.replayed = max(state.replayed, replayed or 0)
            behind = state.replayed < primary_position
            state.lag_seconds = (replay_age or 0.0) if behind else 0.0
            if state.usable and not was_usable:
                logger.info("replica taken in (lag %.1f s)", state.lag_seconds)
        state.checked_at = self._clock()
