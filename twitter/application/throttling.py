"""How many login attempts a client, a client on one account, and an account get, and
the keys they are counted by; which client addresses count as one client."""

from __future__ import annotations

import hashlib
import ipaddress
from dataclasses import dataclass
from datetime import timedelta
from typing import NamedTuple


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
