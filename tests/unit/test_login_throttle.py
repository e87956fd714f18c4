"""The login throttle: attempts per client, per client on a login and per login, counted
before any password check."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from types import SimpleNamespace
from typing import Any

import pytest

from tests.unit.support import PASSWORD, FakeClock, RegisterFn, SpyHasher, cheap_hasher
from twitter.adapters.memory import MemoryDatabase, MemoryUnitOfWork
from twitter.adapters.security import JwtTokenService
from twitter.application import commands, use_cases
from twitter.application.throttling import LoginThrottle, client_group
from twitter.domain.errors import InvalidCredentials, TooManyAttempts

THROTTLE = LoginThrottle(per_account=3, per_client=5, window=timedelta(minutes=15))


@pytest.fixture
def spy() -> SpyHasher:
    return SpyHasher(cheap_hasher())


AuthenticateWith = Callable[[LoginThrottle], use_cases.Authenticate]


@pytest.fixture
def authenticate_with(
    uow: MemoryUnitOfWork, spy: SpyHasher, tokens: JwtTokenService, clock: FakeClock
) -> AuthenticateWith:
    return lambda throttle: use_cases.Authenticate(uow, spy, tokens, clock, throttle)


@pytest.fixture
def authenticate(authenticate_with: AuthenticateWith) -> use_cases.Authenticate:
    return authenticate_with(THROTTLE)


def attempt(
    authenticate: use_cases.Authenticate,
    login: str,
    password: str = "wrong password",
    client: str | None = "203.0.113.7",
) -> str | Exception:
    try:
        return authenticate(commands.LoginAttempt(login=login, password=password, client=client))
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


# One noisy client against many clients: the order keys are counted in


def test_a_client_refused_for_its_own_attempts_spends_nothing_of_an_accounts_allowance(
    register: RegisterFn, authenticate: use_cases.Authenticate
) -> None:
    """The attack of issue #10: a client already over its limit kept naming one login."""
    register("ada@example.com")
    for n in range(5):
        attempt(authenticate, f"guess{n}@example.com")  # the client's whole allowance
    refused = [attempt(authenticate, "ada@example.com") for _ in range(11)]
    assert all(isinstance(outcome, TooManyAttempts) for outcome in refused)

    elsewhere = attempt(authenticate, "ada@example.com", PASSWORD, client="198.51.100.1")

    assert isinstance(elsewhere, str)


SPREAD = LoginThrottle(
    per_account=5, per_client=50, per_account_and_client=2, window=timedelta(minutes=15)
)


@pytest.fixture
def spread_authenticate(authenticate_with: AuthenticateWith) -> use_cases.Authenticate:
    return authenticate_with(SPREAD)


def test_one_client_failing_on_an_account_locks_only_itself_out_of_it(
    register: RegisterFn, spread_authenticate: use_cases.Authenticate, spy: SpyHasher
) -> None:
    register("ada@example.com")
    outcomes = [type(attempt(spread_authenticate, "ada@example.com")) for _ in range(12)]
    assert outcomes == [InvalidCredentials] * 2 + [TooManyAttempts] * 10
    assert len(spy.verified) + len(spy.burnt) == 2  # the refused ones were never hashed

    # 2 of the account's 5 spent: the owner, elsewhere, still gets in.
    elsewhere = attempt(spread_authenticate, "ada@example.com", PASSWORD, client="198.51.100.1")
    assert isinstance(elsewhere, str)


def test_many_clients_together_lock_the_account_for_everyone(
    register: RegisterFn, spread_authenticate: use_cases.Authenticate
) -> None:
    register("ada@example.com")
    outcomes = [
        type(attempt(spread_authenticate, "ada@example.com", client=f"203.0.113.{n}"))
        for n in range(7)
    ]
    assert outcomes == [InvalidCredentials] * 5 + [TooManyAttempts] * 2

    owner = attempt(spread_authenticate, "ada@example.com", PASSWORD, client="198.51.100.1")
    assert isinstance(owner, TooManyAttempts)  # the price of stopping a spread guesser


def test_a_success_clears_the_clients_count_on_that_account(
    register: RegisterFn, spread_authenticate: use_cases.Authenticate
) -> None:
    register("ada@example.com")
    assert isinstance(attempt(spread_authenticate, "ada@example.com"), InvalidCredentials)
    assert isinstance(attempt(spread_authenticate, "ada@example.com", PASSWORD), str)
    outcomes = [type(attempt(spread_authenticate, "ada@example.com")) for _ in range(3)]
    assert outcomes == [InvalidCredentials] * 2 + [TooManyAttempts]


def test_addresses_of_one_ipv6_64_are_one_client(authenticate: use_cases.Authenticate) -> None:
    outcomes = [
        type(attempt(authenticate, f"user{n}@example.com", client=f"2001:db8:1:2::{n:x}"))
        for n in range(1, 7)
    ]
    assert outcomes == [InvalidCredentials] * 5 + [TooManyAttempts]
    next_network = attempt(authenticate, "user9@example.com", client="2001:db8:1:3::1")
    assert isinstance(next_network, InvalidCredentials)


@pytest.mark.parametrize(
    ("address", "group"),
    [
        ("192.0.2.1", "192.0.2.1"),
        ("2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"),
        ("2001:DB8:1:2::ffff", "2001:db8:1:2::/64"),
        ("2001:db8:1:3::1", "2001:db8:1:3::/64"),
        ("::1", "::/64"),
        ("fe80::1%eth0", "fe80::/64"),
        ("::ffff:192.0.2.1", "192.0.2.1"),
        ("::ffff:c000:201", "192.0.2.1"),
        ("testclient", "testclient"),
        ("192.0.2.1:8080", "192.0.2.1:8080"),
        ("", ""),
    ],
)
def test_client_group(address: str, group: str) -> None:
    assert client_group(address) == group


def test_every_transaction_takes_client_pair_and_account_rows_in_that_order(
    register: RegisterFn,
    database: MemoryDatabase,
    spy: SpyHasher,
    tokens: JwtTokenService,
    clock: FakeClock,
) -> None:
    """One global lock order (client < pair < account), in the counting and in the
    clearing after a success: concurrent logins on a database server cannot deadlock."""
    register("ada@example.com")
    uow = RecordingUnitOfWork(database)
    authenticate = use_cases.Authenticate(uow, spy, tokens, clock, SPREAD)
    attempt(authenticate, "ada@example.com")
    attempt(authenticate, "ada@example.com", PASSWORD)
    for _ in range(3):
        attempt(authenticate, "ada@example.com")

    kinds = [kind for transaction in uow.transactions for kind in transaction]
    assert set(kinds) == {"client", "pair", "account"}
    order = ["client", "pair", "account"]
    for transaction in uow.transactions:
        assert transaction == sorted(transaction, key=order.index), uow.transactions
    assert ["client", "pair", "account"] in uow.transactions  # counted, and cleared
    assert ["client", "pair"] in uow.transactions  # refused by the pair: no account


class RecordingUnitOfWork(MemoryUnitOfWork):
    """Notes the kind of key (client, pair, account) of each login attempt row touched,
    one list per transaction."""

    def __init__(self, database: MemoryDatabase) -> None:
        self.transactions: list[list[str]] = []
        super().__init__(database)

    def __enter__(self) -> RecordingUnitOfWork:
        self.transactions.append([])
        return super().__enter__()

    def _begin(self) -> None:
        super()._begin()
        inner = self.login_attempts

        def recorded(name: str) -> Callable[..., Any]:
            def call(key: str, *args: Any) -> Any:
                self.transactions[-1].append(key.split(":", 1)[0])
                return getattr(inner, name)(key, *args)

            return call

        self.login_attempts = SimpleNamespace(  # type: ignore[assignment]
            count=recorded("count"),
            refund=recorded("refund"),
            forget=recorded("forget"),
            prune=inner.prune,
        )
