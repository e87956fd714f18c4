"""Idempotency keys: one claim per caller and key, the first answer kept an hour."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.unit.support import FakeClock
from twitter.adapters.memory import MemoryUnitOfWork
from twitter.application.errors import IdempotencyKeyReused
from twitter.application.idempotency import IdempotencyKeys, Pending, Proceed, Replay
from twitter.domain.errors import InvalidInput


@pytest.fixture
def keys(uow: MemoryUnitOfWork, clock: FakeClock) -> IdempotencyKeys:
    return IdempotencyKeys(uow, clock)


def test_the_first_request_proceeds_a_repeat_waits_then_gets_its_answer(
    keys: IdempotencyKeys,
) -> None:
    assert keys.begin("user:1", "k1", "post tweet") == Proceed()
    assert keys.begin("user:1", "k1", "post tweet") == Pending()

    keys.finish("user:1", "k1", 201, "application/json", b'{"id": 7}')

    replay = keys.begin("user:1", "k1", "post tweet")
    assert isinstance(replay, Replay)
    answer = replay.answer
    assert (answer.status, answer.content_type, answer.body) == (
        201,
        "application/json",
        b'{"id": 7}',
    )


def test_callers_never_share_a_key(keys: IdempotencyKeys) -> None:
    assert keys.begin("user:1", "same", "a") == Proceed()
    assert keys.begin("user:2", "same", "b") == Proceed()
    assert keys.begin("anonymous:x", "same", "c") == Proceed()


def test_the_key_with_another_request_is_refused(keys: IdempotencyKeys) -> None:
    keys.begin("user:1", "k", "post tweet")
    keys.finish("user:1", "k", 201, None, b"")

    with pytest.raises(IdempotencyKeyReused) as refused:
        keys.begin("user:1", "k", "like tweet")
    assert refused.value.message == "This Idempotency-Key was used for a different request"


def test_an_abandoned_claim_lets_the_next_repeat_try_again(keys: IdempotencyKeys) -> None:
    keys.begin("user:1", "k", "post")
    keys.abandon("user:1", "k")

    assert keys.begin("user:1", "k", "post") == Proceed()


def test_answers_are_forgotten_after_an_hour(
    keys: IdempotencyKeys, uow: MemoryUnitOfWork, clock: FakeClock
) -> None:
    keys.begin("user:1", "old", "post")
    keys.finish("user:1", "old", 201, None, b"first")
    keys.begin("user:1", "unasked", "post")
    clock.advance(timedelta(minutes=59))
    assert isinstance(keys.begin("user:1", "old", "post"), Replay)

    clock.advance(timedelta(minutes=2))
    assert keys.begin("user:1", "old", "post") == Proceed()  # expired: a new request

    with uow:
        assert uow.idempotency_keys.find("user:1", "unasked") is None  # pruned by the claim


@pytest.mark.parametrize("key", ["", " ", "a b", "é", "x" * 256, "tab\t", "\x00"])
def test_a_key_a_header_cannot_carry_is_refused(keys: IdempotencyKeys, key: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        keys.begin("user:1", key, "post")
    assert refused.value.field == "Idempotency-Key"
