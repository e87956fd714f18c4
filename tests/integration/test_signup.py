"""Sign-up over real sockets: concurrent sign-ups that derive the same username, the
sign-up throttle shared by every worker process."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import httpx2
import pytest
from fastapi.testclient import TestClient

from tests.integration.api import PASSWORD, Api
from tests.integration.conftest import api_with, second_client
from tests.integration.live_server import serve
from tests.integration.test_races import Job, race, report

USERNAME = re.compile(r"[A-Za-z0-9_]{1,15}")


@pytest.mark.parametrize(
    "workers", [pytest.param(1, id="1-worker"), pytest.param(2, id="2-workers")]
)
def test_twenty_sign_ups_deriving_one_username_at_once_all_succeed(
    database_url: str, tmp_path: Path, workers: int
) -> None:
    """Twenty people whose emails share a local part sign up at the same moment without
    choosing a username: each gets an account and a username of their own."""
    emails = [f"twin.x@d{n}.example.com" for n in range(20)]

    def sign_up(email: str) -> Job:
        return lambda client: [client.post("/users/", json={"email": email, "password": PASSWORD})]

    with serve(database_url, tmp_path, workers=workers) as server:
        fired = race(server, [sign_up(email) for email in emails])
        tally = report("20-sign-ups-one-derived-username", fired)

    assert tally.statuses == {201: 20}, [r.text for r in fired.responses if r.status_code != 201]
    usernames = [r.json()["username"] for r in fired.responses]
    assert len(set(usernames)) == 20, usernames
    assert all(USERNAME.fullmatch(name) for name in usernames), usernames
    assert sorted(r.json()["email"] for r in fired.responses) == sorted(emails)


# The sign-up throttle: per client, counted in the database before any hashing

SIGNUP_LIMIT = 2
SIGNUP_WINDOW_SECONDS = 1800


@pytest.fixture
def api(database_url: str) -> Iterator[Api]:
    with api_with(
        database_url, signups_per_client=SIGNUP_LIMIT, signup_window_seconds=SIGNUP_WINDOW_SECONDS
    ) as api:
        yield api


def test_past_the_limit_sign_ups_from_one_client_answer_429_with_retry_after(api: Api) -> None:
    created = [
        api.client.post("/users/", json={"email": f"u{n}@example.com", "password": PASSWORD})
        for n in range(SIGNUP_LIMIT)
    ]
    assert [r.status_code for r in created] == [201] * SIGNUP_LIMIT

    refused = api.client.post("/users/", json={"email": "late@example.com", "password": PASSWORD})

    assert refused.status_code == 429, refused.text
    assert refused.headers["Retry-After"] == str(SIGNUP_WINDOW_SECONDS)
    wait = SIGNUP_WINDOW_SECONDS
    assert refused.json() == {
        "detail": f"Too many sign-ups from this address; try again in {wait} seconds"
    }
    assert [u["username"] for u in api.get_ok("/users/")] == ["u0", "u1"]
    # Logging in is not a sign-up: its own throttle still lets the accounts in.
    token = api.client.post("/token", data={"username": "u0@example.com", "password": PASSWORD})
    assert token.status_code == 200, token.text


@pytest.mark.parametrize("workers", [pytest.param(2, id="2-workers")])
def test_two_worker_processes_share_one_sign_up_count(
    database_url: str, tmp_path: Path, workers: int
) -> None:
    """20 sign-ups at once from one address, spread over two workers: exactly the limit
    get an account."""
    settings = {"signups_per_client": 5, "signup_window_seconds": SIGNUP_WINDOW_SECONDS}
    with serve(database_url, tmp_path, workers=workers, settings=settings) as server:

        def sign_up(n: int) -> Job:
            return lambda client: [
                client.post(
                    "/users/", json={"email": f"burst{n}@example.com", "password": PASSWORD}
                )
            ]

        fired = race(server, [sign_up(n) for n in range(20)])
        tally = report("sign-up burst, one address", fired)
        with server.client() as client:
            late = client.post("/users/", json={"email": "late@example.com", "password": PASSWORD})

    assert tally.statuses == {201: 5, 429: 15}
    assert late.status_code == 429
    assert 0 < int(late.headers["Retry-After"]) <= SIGNUP_WINDOW_SECONDS


# Email rules: the domain's, the same on the API and the web form

COMPOSED, DECOMPOSED = "Caf\u00e9@example.com", "Cafe\u0301@example.com"


def web_sign_up(client: TestClient, email: str) -> httpx2.Response:
    page = client.get("/web/signup")
    token = re.search(r'name="csrf_token" value="([0-9a-f]{64})"', page.text)
    assert token is not None
    form = {"csrf_token": token.group(1), "email": email, "username": "", "password": PASSWORD}
    return client.post("/web/signup", data=form, follow_redirects=False)


def test_the_web_form_refuses_markup_in_an_email_and_stores_nothing(client: TestClient) -> None:
    response = web_sign_up(client, '"><b>x@example.com')
    assert response.status_code == 422, response.text
    assert '<p class="error" id="email-error">email must be a valid email address' in response.text
    assert "<b>x@" not in response.text
    assert client.get("/users/").json() == []


@pytest.mark.parametrize("via", ["api", "web"])
def test_an_email_composed_or_decomposed_is_one_account(client: TestClient, via: str) -> None:
    def sign_up(email: str) -> httpx2.Response:
        if via == "web":
            fresh = second_client(client)
            return web_sign_up(fresh, email)
        return client.post("/users/", json={"email": email, "password": PASSWORD})

    first = sign_up(COMPOSED)
    assert first.status_code in (201, 303), first.text
    second = sign_up(DECOMPOSED)

    assert second.status_code == 400, second.text
    assert "Email already registered" in second.text
    assert len(client.get("/users/").json()) == 1
    token = client.post("/token", data={"username": DECOMPOSED, "password": PASSWORD})
    assert token.status_code == 200, token.text


@pytest.mark.parametrize("via", ["api", "web"])
@pytest.mark.parametrize(
    ("email", "stored"),
    [
        ("grace@lab.test", "grace@lab.test"),
        ("root@mail.local", "root@mail.local"),
        ("x@xn--bcher-kva.de", "x@bücher.de"),
        ("a..b@example.com", None),
        ("x@localhost", None),
    ],
)
def test_the_api_and_the_web_form_accept_and_refuse_the_same_addresses(
    client: TestClient, via: str, email: str, stored: str | None
) -> None:
    """One rule, the domain's: no adapter refuses what another accepts."""
    if via == "web":
        response = web_sign_up(second_client(client), email)
    else:
        response = client.post("/users/", json={"email": email, "password": PASSWORD})

    if stored is None:
        assert response.status_code == 422, response.text
        assert client.get("/users/").json() == []
        return
    assert response.status_code in (201, 303), response.text
    login = client.post("/token", data={"username": email, "password": PASSWORD})
    assert login.status_code == 200, login.text
    headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
    assert client.get("/users/me", headers=headers).json()["email"] == stored
