"""How many login attempts a client, a client on one account, and an account get, and
how many sign-ups a client gets; the keys they are counted by; which client addresses
count as one client; and the counting itself, shared by both throttles."""

from __future__ import annotations

import hashlib
import ipaddress
import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import ClassVar, NamedTuple, Protocol

from twitter.application.ports import UnitOfWork
from twitter.domain.errors import Throttled


class Allowance(NamedTuple):
    """Attempts counted under ``key``: at most ``limit`` in a window."""

    key: str
    limit: int
    cleared_by_success: bool
    """A successful login drops the whole count; otherwise it takes back only its own."""


@dataclass(frozen=True)
class LoginThrottle:
    """Per ``window``: at most ``per_client`` attempts from one client, ``per_account_and_client``
    from one client on one login, and ``per_account`` on one login from all clients together.

    The keys are counted in that order and an attempt stops at the first key over its
    limit, so a refused client spends nothing of an account's allowance: one noisy
    client locks itself out of the account, only many clients together lock the
    account (``per_account`` is what stops a guesser spread over many addresses). A
    successful login takes its attempt back from the client and clears the other two.
    Counting the login as typed, known or not, keeps the throttle from telling which
    accounts exist."""

    per_account: int = 50
    per_client: int = 100
    per_account_and_client: int = 5
    window: timedelta = timedelta(minutes=15)

    key_prefixes: ClassVar[tuple[str, ...]] = ("client:", "pair:", "account:")
    """The keys this throttle counts under (and prunes by its window)."""

    def allowances(self, login: str, client: str | None) -> list[Allowance]:
        """What an attempt is counted under, in counting order.

        The order is also the lock order (every transaction takes a client's row before
        a pair's before an account's, one of each at most), so concurrent attempts
        cannot deadlock."""
        account = Allowance(account_key(login), self.per_account, cleared_by_success=True)
        if client is None:
            return [account]
        return [
            Allowance(client_key(client), self.per_client, cleared_by_success=False),
            Allowance(
                pair_key(login, client), self.per_account_and_client, cleared_by_success=True
            ),
            account,
        ]


@dataclass(frozen=True)
class SignUpThrottle:
    """Per ``window``: at most ``per_client`` sign-ups from one client. A sign-up from
    no client (a Python caller) is not limited."""

    per_client: int = 20
    window: timedelta = timedelta(hours=1)

    key_prefixes: ClassVar[tuple[str, ...]] = ("signup:",)

    def allowances(self, client: str | None) -> list[Allowance]:
        if client is None:
            return []
        return [Allowance(signup_key(client), self.per_client, cleared_by_success=False)]


@dataclass(frozen=True)
class WriteLimit:
    """Per ``window``: at most ``per_user`` writes (creates, changes, deletions) by one
    user, whichever adapter they come through."""

    per_user: int = 300
    window: timedelta = timedelta(minutes=5)

    key_prefixes: ClassVar[tuple[str, ...]] = ("writes:",)

    def key(self, user_id: int) -> str:
        return f"writes:{user_id}"


@dataclass(frozen=True)
class RateLimitStatus:
    """Where a user stands in their window: what answers show as ``X-RateLimit-*``."""

    limit: int
    remaining: int
    resets_at: datetime


class Throttle(Protocol):
    """A throttle's window, and the prefixes of the keys it counts under."""

    @property
    def window(self) -> timedelta: ...

    @property
    def key_prefixes(self) -> tuple[str, ...]: ...


def count_attempt(
    uow: UnitOfWork,
    now: datetime,
    throttle: Throttle,
    allowances: list[Allowance],
    refused: Callable[[int], Throttled],
) -> None:
    """Count one attempt under each key in turn (in its own transaction, so that
    concurrent attempts see it) up to the first key over its limit; then raise
    ``refused(seconds to wait)``: the keys after it are not counted. Ended windows of
    the throttle's own keys are pruned on the way."""
    if not allowances:
        return
    window = throttle.window
    blocked_until: datetime | None = None
    with uow:
        for key, limit, _ in allowances:
            attempts, started_at = uow.login_attempts.count(key, now, window)
            if attempts > limit:
                blocked_until = started_at + window
                break
        uow.login_attempts.prune(now - window, throttle.key_prefixes)
        uow.commit()
    if blocked_until is not None:
        wait = (blocked_until - now).total_seconds()
        raise refused(max(1, math.ceil(wait)))


def signup_key(client: str) -> str:
    return "signup:" + _digest(client_group(client))


def account_key(login: str) -> str:
    return "account:" + _digest(_normalised_login(login))


def client_key(client: str) -> str:
    return "client:" + _digest(client_group(client))


def pair_key(login: str, client: str) -> str:
    return "pair:" + _digest(f"{_normalised_login(login)}\n{client_group(client)}")


def client_group(address: str) -> str:
    """The addresses one client is assumed to hold, as one string: an IPv4 address on
    its own, an IPv6 address by its /64 (the least a network hands one subscriber, so
    an attacker holding one can use any address in it), an IPv4-mapped IPv6 address
    (``::ffff:192.0.2.1``) as its IPv4 address, anything else as given."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if isinstance(ip, ipaddress.IPv4Address):
        return str(ip)
    if ip.ipv4_mapped is not None:
        return str(ip.ipv4_mapped)
    prefix = int(ip) >> 64 << 64  # also drops a zone id (fe80::1%eth0)
    return str(ipaddress.IPv6Network((prefix, 64)))


def _normalised_login(login: str) -> str:
    return login.strip().casefold()


def _digest(value: str) -> str:
    """A fixed-length key that stores no address or email as typed."""
    return hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()
