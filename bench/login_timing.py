#!/usr/bin/env python3
"""How long a failed login takes, for an unknown login and for a wrong password.

The two must be indistinguishable to a client: both spend one Argon2 verification
(the unknown login on a decoy hash) with the real parameters. This measures the use
case in process (no network noise) and prints medians; nothing here asserts.

    python bench/login_timing.py [--rounds 40]
"""

from __future__ import annotations

import argparse
import statistics
import time
from datetime import timedelta

from twitter.adapters.clock import SystemClock
from twitter.adapters.memory import MemoryUnitOfWork
from twitter.adapters.security import Argon2PasswordHasher, JwtTokenService
from twitter.application import commands, use_cases
from twitter.application.throttling import LoginThrottle
from twitter.domain.errors import InvalidCredentials


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=40)
    args = parser.parse_args()

    uow, clock, hasher = MemoryUnitOfWork(), SystemClock(), Argon2PasswordHasher()
    tokens = JwtTokenService(secret="t" * 48, lifetime=timedelta(hours=1), now=clock.now)
    use_cases.RegisterUser(uow, hasher, clock)(
        commands.Registration(email="ada@example.com", password="correct horse")
    )
    unlimited = LoginThrottle(per_account=10**9, per_client=10**9, per_account_and_client=10**9)
    authenticate = use_cases.Authenticate(uow, hasher, tokens, clock, unlimited)

    def failed_login_ms(login: str) -> float:
        start = time.perf_counter()
        try:
            authenticate(commands.LoginAttempt(login=login, password="wrong password"))
        except InvalidCredentials:
            return (time.perf_counter() - start) * 1000
        raise AssertionError("the login should have failed")

    cases = {"unknown email": "nobody@example.com", "wrong password": "ada@example.com"}
    timings: dict[str, list[float]] = {name: [] for name in cases}
    for _ in range(args.rounds):  # interleaved, so that drift hits both alike
        for name, login in cases.items():
            timings[name].append(failed_login_ms(login))
    for name, values in timings.items():
        quartiles = statistics.quantiles(values, n=4)
        print(
            f"{name:15} median {statistics.median(values):6.2f} ms   "
            f"quartiles {quartiles[0]:6.2f} .. {quartiles[2]:6.2f} ms   ({len(values)} logins)"
        )
    ratio = statistics.median(timings["unknown email"]) / statistics.median(
        timings["wrong password"]
    )
    print(f"unknown / wrong password: {ratio:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
