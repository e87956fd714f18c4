"""Sign-up over real sockets: concurrent sign-ups that derive the same username, the
sign-up throttle shared by every worker process."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.integration.api import PASSWORD
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
