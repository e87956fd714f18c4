"""The login throttle: attempts per login and per client, counted before any password check."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.unit.support import PASSWORD, FakeClock, RegisterFn, SpyHasher, cheap_hasher
from twitter.adapters.memory import MemoryUnitOfWork
from twitter.adapters.security import JwtTokenService
from twitter.application import commands, use_cases
from twitter.application.throttling import LoginThrottle
from twitter.domain.errors import InvalidCredentials, TooManyAttempts

THROTTLE = LoginThrottle(per_account=3, per_client=5, window=timedelta(minutes=15))


@pytest.fixture
def spy() -> SpyHasher:
    return SpyHasher(cheap_hasher())


@pytest.fixture
def authenticate(
    uow: MemoryUnitOfWork, spy: SpyHasher, tokens: JwtTokenService, clock: FakeClock
) -> use_cases.Authenticate:
    return use_cases.Authenticate(uow, spy, tokens, clock, THROTTLE)


def attempt(
    authenticate: use_cases.Authenticate,
    login: str,
    password: str = "wrong password",
    client: str | None = "203.0.113.7",
) -> str | Exception:
    try:
        return authenticate(commands.Authenticate(login=login, password=password, client=client))
    except (InvalidCredentials, TooManyAttempts) as error:
        return error


def test_past_the_limit_a_login_is_refused_even_with_the_right_password(
    register: RegisterFn, authenticate: use_cases.Authenticate, spy: SpyHasher
) -> None:
    register("ada@example.com")
    for _ in range(3):
        assert isinstance(attempt(authenticate, "ada@example.com"), InvalidCredentials)
    checked = len(spy.verified)

    refused = attempt(authenticate, "ada@example.com", PASSWORD)

    assert isinstance(refused, TooManyAttempts)
    assert refused.retry_after_seconds == 15 * 60
    assert len(spy.verified) == checked  # refused before any hashing


def test_the_wait_is_what_remains_of_the_window_and_then_logins_work(
    register: RegisterFn, authenticate: use_cases.Authenticate, clock: FakeClock
) -> None:
    register("ada@example.com")
    for _ in range(3):
        attempt(authenticate, "ada@example.com")
    clock.advance(timedelta(minutes=10))
    refused = attempt(authenticate, "ada@example.com", PASSWORD)
    assert isinstance(refused, TooManyAttempts)
    assert refused.retry_after_seconds == 5 * 60

    clock.advance(timedelta(minutes=5))
    assert isinstance(attempt(authenticate, "ada@example.com", PASSWORD), str)


def test_the_login_is_counted_in_any_letter_case(
    register: RegisterFn, authenticate: use_cases.Authenticate
) -> None:
    register("ada@example.com")
    for typed in ("ada@example.com", "ADA@example.com", " Ada@Example.COM "):
        attempt(authenticate, typed, client=None)
    assert isinstance(attempt(authenticate, "ada@example.com", PASSWORD), TooManyAttempts)


def test_an_unknown_login_is_throttled_exactly_like_a_known_one(
    register: RegisterFn, authenticate: use_cases.Authenticate
) -> None:
    register("ada@example.com")
    known = [type(attempt(authenticate, "ada@example.com", client=None)) for _ in range(5)]
    unknown = [type(attempt(authenticate, "nobody@example.com", client=None)) for _ in range(5)]
    assert known == unknown == [InvalidCredentials] * 3 + [TooManyAttempts] * 2


def test_a_success_clears_the_logins_count(
    register: RegisterFn, authenticate: use_cases.Authenticate
) -> None:
    register("ada@example.com")
    for _ in range(2):
        attempt(authenticate, "ada@example.com", client=None)
    assert isinstance(attempt(authenticate, "ada@example.com", PASSWORD, client=None), str)
    outcomes = [type(attempt(authenticate, "ada@example.com", client=None)) for _ in range(4)]
    assert outcomes == [InvalidCredentials] * 3 + [TooManyAttempts]


def test_one_client_trying_many_logins_is_throttled(
    authenticate: use_cases.Authenticate,
) -> None:
    outcomes = [type(attempt(authenticate, f"user{n}@example.com")) for n in range(7)]
    assert outcomes == [InvalidCredentials] * 5 + [TooManyAttempts] * 2
    other_client = attempt(authenticate, "user9@example.com", client="198.51.100.1")
    assert isinstance(other_client, InvalidCredentials)


def test_successful_logins_never_use_up_a_clients_allowance(
    register: RegisterFn, authenticate: use_cases.Authenticate
) -> None:
    for n in range(4):
        register(f"user{n}@example.com")
    for _ in range(3):
        for n in range(4):
            assert isinstance(attempt(authenticate, f"user{n}@example.com", PASSWORD), str)
    outcomes = [type(attempt(authenticate, "ada@example.com")) for _ in range(6)]
    assert outcomes == [InvalidCredentials] * 3 + [TooManyAttempts] * 3


def test_a_password_out_of_bounds_counts_as_an_attempt(
    authenticate: use_cases.Authenticate,
) -> None:
    for _ in range(3):
        assert isinstance(attempt(authenticate, "ada@example.com", "short"), InvalidCredentials)
    assert isinstance(attempt(authenticate, "ada@example.com", "short"), TooManyAttempts)


def test_counts_of_ended_windows_are_pruned(
    uow: MemoryUnitOfWork, authenticate: use_cases.Authenticate, clock: FakeClock
) -> None:
    for n in range(3):
        attempt(authenticate, f"user{n}@example.com", client=None)
    clock.advance(timedelta(minutes=16))
    attempt(authenticate, "late@example.com", client=None)
    assert len(uow.database.state.login_attempts) == 1
