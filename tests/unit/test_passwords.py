"""Argon2PasswordHasher: Argon2id hashes, verification and rehash detection."""

from __future__ import annotations

import threading

import pytest

from tests.unit.support import PASSWORD, cheap_hasher
from twitter.adapters.security import Argon2PasswordHasher


def test_default_parameters_are_owasps_argon2id_minimum() -> None:
    hasher = Argon2PasswordHasher()
    first, second = hasher.hash(PASSWORD), hasher.hash(PASSWORD)
    assert first.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
    assert first != second  # a fresh salt each time
    assert hasher.verify(first, PASSWORD)
    assert hasher.verify(second, PASSWORD)


def test_the_right_password_verifies() -> None:
    hasher = cheap_hasher()
    assert hasher.verify(hasher.hash(PASSWORD), PASSWORD)


def test_a_wrong_password_does_not_verify() -> None:
    hasher = cheap_hasher()
    assert not hasher.verify(hasher.hash(PASSWORD), PASSWORD + "!")


def test_a_malformed_hash_does_not_verify() -> None:
    assert not cheap_hasher().verify("not a hash", PASSWORD)


def test_a_hash_made_with_other_parameters_needs_rehash() -> None:
    old = cheap_hasher(time_cost=1).hash(PASSWORD)
    assert cheap_hasher(time_cost=2).needs_rehash(old)


def test_a_hash_made_with_the_same_parameters_needs_no_rehash() -> None:
    hasher = cheap_hasher()
    assert not hasher.needs_rehash(hasher.hash(PASSWORD))


def test_with_concurrency_one_two_threads_never_hash_at_the_same_time(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The bound holds across threads: the second hash waits for the first to end."""
    hasher = Argon2PasswordHasher(memory_kib=64, time_cost=1, concurrency=1)
    inner = hasher._hasher
    state = {"running": 0, "most": 0}
    lock = threading.Lock()
    both_started = threading.Barrier(2)
    real_hash = inner.hash

    def instrumented(password: str, **kwargs: object) -> str:
        with lock:
            state["running"] += 1
            state["most"] = max(state["most"], state["running"])
        try:
            for _ in range(50):  # give the other thread every chance to enter
                threading.Event().wait(0.001)
            return real_hash(password)
        finally:
            with lock:
                state["running"] -= 1

    monkeypatch.setattr(
        hasher, "_hasher", type("Instrumented", (), {"hash": staticmethod(instrumented)})
    )

    def sign_up() -> None:
        both_started.wait(timeout=5)
        hasher.hash("correct horse battery")

    threads = [threading.Thread(target=sign_up) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)
    assert state["most"] == 1
