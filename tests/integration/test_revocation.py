"""Logging out for real: ``POST /token/revoke`` makes a bearer token answer 401 from
then on, in every worker process, at no extra round trip per request."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from tests.integration.api import PASSWORD, Api
from tests.integration.conftest import StatementCounter
from tests.integration.live_server import live_server
from tests.integration.test_races import Job, race, report
from twitter.adapters.persistence.tables import revoked_tokens


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def log_in(api: Api, email: str) -> str:
    response = api.token(email)
    assert response.status_code == 200, response.text
    token: str = response.json()["access_token"]
    return token


def test_a_revoked_token_answers_401_and_the_users_other_tokens_still_work(api: Api) -> None:
    account = api.signup("ada@example.com")
    phone, laptop = log_in(api, "ada@example.com"), log_in(api, "ada@example.com")

    revoked = api.client.post("/token/revoke", headers=bearer(phone))

    assert revoked.status_code == 204, revoked.text
    assert revoked.content == b""
    me = api.client.get("/users/me", headers=bearer(phone))
    assert me.status_code == 401
    assert me.headers["www-authenticate"] == "Bearer"
    assert me.json() == {"detail": "Could not validate credentials"}
    posted = api.client.post(
        f"/users/{account.id}/tweets/", json={"text": "x"}, headers=bearer(phone)
    )
    assert posted.status_code == 401
    assert api.client.get("/users/me", headers=bearer(laptop)).status_code == 200
    assert api.client.get("/users/me", headers=account.headers).status_code == 200


@pytest.mark.parametrize("token", [None, "", "not.a.token"])
def test_revoking_without_a_valid_token_is_401(api: Api, token: str | None) -> None:
    headers = {} if token is None else bearer(token)
    response = api.client.post("/token/revoke", headers=headers)
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    assert set(response.json()) == {"detail"}


def test_a_revoked_token_cannot_revoke_again(api: Api) -> None:
    api.signup("ada@example.com")
    token = log_in(api, "ada@example.com")
    assert api.client.post("/token/revoke", headers=bearer(token)).status_code == 204
    assert api.client.post("/token/revoke", headers=bearer(token)).status_code == 401


def test_the_token_of_a_deleted_account_cannot_be_revoked(api: Api) -> None:
    account = api.signup("ada@example.com")
    assert account.delete_account().status_code == 204
    response = api.client.post("/token/revoke", headers=account.headers)
    assert response.status_code == 401


def test_identifying_a_bearer_is_still_one_statement(
    api: Api, count_statements: StatementCounter
) -> None:
    """The revocation check is folded into the query that loads the user; ``/users/me``
    then reads where the user stands in their write limit (for ``X-RateLimit-*``) and
    the unread count, and nothing else."""
    account = api.signup("ada@example.com")
    with count_statements:
        assert api.client.get("/users/me", headers=account.headers).status_code == 200
    assert count_statements.count == 3, count_statements.statements
    assert "revoked_tokens" in count_statements.statements[0]
    assert "login_attempts" in count_statements.statements[1]
    assert "notifications" in count_statements.statements[2]


def test_revocations_of_expired_tokens_are_pruned(api: Api, engine: Engine) -> None:
    api.signup("ada@example.com")
    long_gone = datetime.now(UTC) - timedelta(minutes=1)
    with engine.begin() as connection:
        connection.execute(revoked_tokens.insert().values(token_id="old", expires_at=long_gone))
    token = log_in(api, "ada@example.com")
    assert api.client.post("/token/revoke", headers=bearer(token)).status_code == 204
    with engine.connect() as connection:
        kept = connection.execute(text("SELECT token_id FROM revoked_tokens")).scalars().all()
    assert len(kept) == 1
    assert kept[0] != "old"


def test_a_revoked_token_is_refused_by_every_worker(
    request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    with live_server(request, tmp_path, workers=2) as server:
        with server.client() as http:
            created = http.post("/users/", json={"email": "ada@example.com", "password": PASSWORD})
            assert created.status_code == 201, created.text
            tokens = [
                http.post(
                    "/token", data={"username": "ada@example.com", "password": PASSWORD}
                ).json()["access_token"]
                for _ in range(2)
            ]
            revoked, kept = tokens
            assert http.post("/token/revoke", headers=bearer(revoked)).status_code == 204

        def me(token: str) -> Job:
            return lambda client: [client.get("/users/me", headers=bearer(token))]

        jobs = [me(revoked) for _ in range(16)] + [me(kept) for _ in range(16)]
        tally = report("identify after revocation", race(server, jobs))

        assert tally.statuses == {401: 16, 200: 16}


def test_revoke_is_listed_with_the_bearer_scheme(api: Api) -> None:
    operation = api.client.get("/openapi.json").json()["paths"]["/token/revoke"]["post"]
    assert operation["security"] == [{"OAuth2PasswordBearer": []}]
    assert set(operation["responses"]) == {"204", "401"}
