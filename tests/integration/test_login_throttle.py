"""Brute force on POST /token is slowed: attempts are counted per client address, per
client on a login and per login in the database, so that every worker process shares
the count; a client already refused spends nothing of an account's allowance."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx2
import pytest
from sqlalchemy import Engine, text

from tests.integration.api import PASSWORD, Api
from tests.integration.conftest import api_with
from tests.integration.live_server import LiveServer, live_server, serve
from tests.integration.test_races import Job, race, report
from twitter.container import Container

PER_ACCOUNT = 3
PER_CLIENT = 8
WINDOW_SECONDS = 600


@pytest.fixture
def api(database_url: str) -> Iterator[Api]:
    with api_with(
        database_url,
        login_attempts_per_account=PER_ACCOUNT,
        login_attempts_per_client=PER_CLIENT,
        login_window_seconds=WINDOW_SECONDS,
    ) as api:
        yield api


def test_past_the_limit_logins_answer_429_with_retry_after(api: Api) -> None:
    api.register("ada@example.com")
    for _ in range(PER_ACCOUNT):
        assert api.token("ada@example.com", "wrong password").status_code == 401

    refused = api.token("ada@example.com")  # the right password, too late

    assert refused.status_code == 429, refused.text
    assert refused.headers["Retry-After"] == str(WINDOW_SECONDS)
    assert refused.json() == {
        "detail": f"Too many login attempts; try again in {WINDOW_SECONDS} seconds"
    }


def test_an_unknown_email_is_throttled_like_a_known_one(api: Api) -> None:
    api.register("ada@example.com")
    known = [api.token("ada@example.com", "wrong password").status_code for _ in range(4)]
    unknown = [api.token("nobody@example.com", "wrong password").status_code for _ in range(4)]
    assert known == unknown == [401, 401, 401, 429]


def test_one_client_spraying_logins_is_throttled_but_its_good_logins_are_free(api: Api) -> None:
    for _ in range(10):
        api.signup()  # each signup logs in successfully: it uses up nothing
    statuses = [api.token(f"guess{n}@example.com", "wrong password").status_code for n in range(10)]
    assert statuses == [401] * PER_CLIENT + [429] * 2


def test_the_count_lives_in_the_database_and_names_no_email(api: Api, engine: Engine) -> None:
    api.token("ada@example.com", "wrong password")
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT key, attempts FROM login_attempts")).all()
    # the client, the client on this login, the login
    assert sorted(key.split(":")[0] for key, _ in rows) == ["account", "client", "pair"]
    assert [attempts for _, attempts in rows] == [1, 1, 1]
    assert not any("ada" in key or "testclient" in key for key, _ in rows)


@pytest.fixture
def engine(api: Api) -> Engine:
    container: Container = api.client.app.state.container  # type: ignore[attr-defined]
    engine: Engine = container.engine()
    return engine


# Over real sockets, behind a trusted proxy: X-Forwarded-For names the client

FORWARDED_LIMITS = {
    "login_attempts_per_client": 5,
    "login_attempts_per_account_and_client": 2,
    "login_attempts_per_account": 6,
    "login_window_seconds": WINDOW_SECONDS,
}


@pytest.fixture
def proxied(database_url: str, tmp_path: Path) -> Iterator[LiveServer]:
    """``twitter serve --forwarded-allow-ips 127.0.0.1``: the tests are its proxy."""
    with serve(
        database_url, tmp_path, settings=FORWARDED_LIMITS, forwarded_allow_ips="127.0.0.1"
    ) as server:
        yield server


def sign_up(http: httpx2.Client, email: str) -> None:
    created = http.post("/users/", json={"email": email, "password": PASSWORD})
    assert created.status_code == 201, created.text


def log_in(
    http: httpx2.Client, login: str, password: str = "wrong password", *, by: str
) -> httpx2.Response:
    return http.post(
        "/token",
        data={"username": login, "password": password},
        headers={"X-Forwarded-For": by},
    )


def test_an_address_refused_for_its_own_attempts_cannot_lock_out_an_account(
    proxied: LiveServer,
) -> None:
    """Issue #10: a blocked address kept naming one account until its owner got 429."""
    attacker = "203.0.113.7"
    with proxied.client() as http:
        sign_up(http, "ada@example.com")
        guesses = [log_in(http, f"guess{n}@example.com", by=attacker) for n in range(5)]
        naming_ada = [log_in(http, "ada@example.com", by=attacker) for _ in range(11)]
        owner = log_in(http, "ada@example.com", PASSWORD, by="198.51.100.20")

    assert [r.status_code for r in guesses] == [401] * 5
    assert [r.status_code for r in naming_ada] == [429] * 11
    assert owner.status_code == 200, owner.text


def test_many_addresses_failing_on_one_account_lock_it_for_everyone(
    proxied: LiveServer,
) -> None:
    attackers = [f"198.51.100.{n}" for n in range(1, 5)]
    with proxied.client() as http:
        sign_up(http, "grace@example.com")
        statuses = {
            address: [log_in(http, "grace@example.com", by=address).status_code for _ in range(3)]
            for address in attackers
        }
        owner = log_in(http, "grace@example.com", PASSWORD, by="192.0.2.99")

    # Two failures per address, then that address alone is refused; after six failures
    # in all, the account is refused to every address, its owner's included.
    assert list(statuses.values()) == [[401, 401, 429]] * 3 + [[429, 429, 429]]
    assert owner.status_code == 429, owner.text
    assert 0 < int(owner.headers["Retry-After"]) <= WINDOW_SECONDS


def test_the_addresses_of_one_ipv6_64_share_one_allowance(proxied: LiveServer) -> None:
    with proxied.client() as http:
        one_network = [
            log_in(http, f"user{n}@example.com", by=f"2001:db8:1:2::{n:x}").status_code
            for n in range(1, 7)
        ]
        next_network = log_in(http, "user9@example.com", by="2001:db8:1:3::1")
        mapped = [  # ::ffff:192.0.2.9 is 192.0.2.9 spoken over IPv6
            log_in(http, f"mapped{n}@example.com", by=f"{'::ffff:' * (n % 2)}192.0.2.9")
            for n in range(6)
        ]

    assert one_network == [401] * 5 + [429]
    assert next_network.status_code == 401
    assert [r.status_code for r in mapped] == [401] * 5 + [429]


@pytest.mark.parametrize("named_by", ["flag", "variable"])
def test_a_forwarded_address_from_a_peer_that_is_not_the_proxy_is_ignored(
    database_url: str, tmp_path: Path, named_by: str
) -> None:
    """The proxy is another host (``--forwarded-allow-ips`` or ``FORWARDED_ALLOW_IPS``
    says so): our X-Forwarded-For is ignored, every attempt counts against 127.0.0.1."""
    proxy = "192.0.2.1"
    how: dict[str, Any] = (
        {"forwarded_allow_ips": proxy}
        if named_by == "flag"
        else {"environment": {"FORWARDED_ALLOW_IPS": proxy}}
    )
    with (
        serve(database_url, tmp_path, settings=FORWARDED_LIMITS, **how) as server,
        server.client() as http,
    ):
        spoofed = [
            log_in(http, f"user{n}@example.com", by=f"203.0.113.{n}").status_code for n in range(6)
        ]
    assert spoofed == [401] * 5 + [429]


# Two worker processes, one database: the counts are exact under a burst


@pytest.mark.parametrize(
    ("limit", "addresses", "logins"),
    [
        pytest.param("per_account", 20, 1, id="one-account-from-20-addresses"),
        pytest.param("per_account_and_client", 1, 1, id="one-account-from-one-address"),
        pytest.param("per_client", 1, 20, id="20-accounts-from-one-address"),
    ],
)
def test_two_worker_processes_share_one_count(
    request: pytest.FixtureRequest, tmp_path: Path, limit: str, addresses: int, logins: int
) -> None:
    """20 wrong logins at once, spread over two workers: exactly the limit get to try,
    whichever of the three limits it is."""
    settings: dict[str, object] = {
        "login_attempts_per_account": 1000,
        "login_attempts_per_account_and_client": 1000,
        "login_attempts_per_client": 1000,
        "login_window_seconds": WINDOW_SECONDS,
    }
    settings[f"login_attempts_{limit}"] = 5
    with live_server(
        request, tmp_path, workers=2, settings=settings, forwarded_allow_ips="127.0.0.1"
    ) as server:
        with server.client() as client:
            sign_up(client, "user0@example.com")

        def wrong_login(n: int) -> Job:
            login, address = f"user{n % logins}@example.com", f"198.51.100.{n % addresses}"
            return lambda client: [log_in(client, login, "wrong!!!", by=address)]

        tally = report(f"login burst, {limit}", race(server, [wrong_login(n) for n in range(20)]))

        assert tally.statuses == {401: 5, 429: 15}
        with server.client() as client:
            late = log_in(client, "user0@example.com", PASSWORD, by="198.51.100.0")
        assert late.status_code == 429
        assert 0 < int(late.headers["Retry-After"]) <= WINDOW_SECONDS


def test_logins_crossing_accounts_and_addresses_at_once_never_deadlock(
    request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    """Each attempt locks a client's, a pair's and an account's row, and a success
    clears them: 40 at once over two workers, 4 accounts x 5 addresses, half of them
    right, every one answered (a deadlock would be a 503)."""
    accounts, addresses = [f"user{n}@example.com" for n in range(4)], range(5)
    with live_server(
        request, tmp_path, workers=2, settings={}, forwarded_allow_ips="127.0.0.1"
    ) as server:
        with server.client() as client:
            for email in accounts:
                sign_up(client, email)

        def attempt(login: str, address: int, password: str) -> Job:
            return lambda client: [log_in(client, login, password, by=f"198.51.100.{address}")]

        jobs = [
            attempt(login, address, password)
            for login in accounts
            for address in addresses
            for password in (PASSWORD, "wrong!!!")
        ]
        tally = report("logins crossing accounts and addresses", race(server, jobs))

    assert tally.statuses == {200: 20, 401: 20}
