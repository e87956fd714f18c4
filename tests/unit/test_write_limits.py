"""Each user's writes are counted per window; past the limit they wait."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.awaiting import run_to_end
from tests.unit.support import FakeClock, memory_reads
from twitter.adapters.memory import MemoryUnitOfWork
from twitter.application.throttling import RateLimitStatus, WriteLimit
from twitter.application.use_cases import CountWrite, PeekWrites
from twitter.domain.errors import TooManyWrites

LIMIT = WriteLimit(per_user=3, window=timedelta(minutes=5))


def test_writes_count_down_and_the_one_past_the_limit_waits_for_the_window(
    uow: MemoryUnitOfWork, clock: FakeClock
) -> None:
    count, peeking = CountWrite(uow, clock, LIMIT), PeekWrites(memory_reads(uow), clock, LIMIT)

    def peek(user_id: int) -> RateLimitStatus:
        return run_to_end(peeking(user_id))

    resets_at = clock.now() + LIMIT.window

    assert peek(1) == RateLimitStatus(limit=3, remaining=3, resets_at=resets_at)
    assert [count(1).remaining for _ in range(3)] == [2, 1, 0]
    assert peek(1) == RateLimitStatus(limit=3, remaining=0, resets_at=resets_at)
    clock.advance(timedelta(minutes=1))
    with pytest.raises(TooManyWrites) as refused:
        count(1)
    assert refused.value.retry_after_seconds == 240
    assert refused.value.message == "Too many writes; try again in 240 seconds"
    assert peek(1).remaining == 0  # a refusal never shows a negative allowance

    assert count(2).remaining == 2  # each user has an allowance of their own

    clock.advance(timedelta(minutes=4))
    assert peek(1) == RateLimitStatus(3, 3, clock.now() + LIMIT.window)
    assert count(1) == RateLimitStatus(3, 2, clock.now() + LIMIT.window)


def test_a_new_window_drops_the_ended_ones_of_every_user(
    uow: MemoryUnitOfWork, clock: FakeClock
) -> None:
    count = CountWrite(uow, clock, LIMIT)
    count(1)
    count(2)
    clock.advance(timedelta(minutes=6))

    count(3)

    with uow:
        assert uow.login_attempts.peek(LIMIT.key(1)) is None
        assert uow.login_attempts.peek(LIMIT.key(2)) is None
        assert uow.login_attempts.peek(LIMIT.key(3)) == (1, clock.now())


def test_the_defaults_are_far_beyond_what_a_person_does() -> None:
    assert WriteLimit().per_user == 300 and WriteLimit().window == timedelta(minutes=5)
