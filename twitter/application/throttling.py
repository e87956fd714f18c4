"""How many login attempts an account and a client get, and the keys they are counted by."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import timedelta


@dataclass(frozen=True)
class LoginThrottle:
    """At most ``per_account`` attempts on one login and ``per_client`` from one client
    address in each ``window``; a successful login takes its attempt back. Counting the
    login as typed, known or not, keeps the throttle from telling which accounts exist."""

    per_account: int = 10
    per_client: int = 100
    window: timedelta = timedelta(minutes=15)


def account_key(login: str) -> str:
    return "account:" + _digest(login.strip().casefold())


def client_key(client: str) -> str:
    return "client:" + _digest(client)


def _digest(value: str) -> str:
    """A fixed-length key that stores no address or email as typed."""
    return hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()
