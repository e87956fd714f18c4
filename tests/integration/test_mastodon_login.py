"""The Mastodon API's first steps: the instance, an app, a password login, and who
the token names, as Mastodon clients do them."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.integration.api import PASSWORD, Api


def _app(client: TestClient, scopes: str = "read write follow push", **more: Any) -> Any:
    form = {"client_name": "tester", "redirect_uris": "urn:ietf:wg:oauth:2.0:oob", "scopes": scopes}
    response = client.post("/api/v1/apps", data={**form, **more})
    assert response.status_code == 200, response.text
    return response.json()


def _login(client: TestClient, app: Any, email: str, scope: str | None = None) -> Any:
    form = {
        "grant_type": "password",
        "client_id": app["client_id"],
        "client_secret": app["client_secret"],
        "username": email,
        "password": PASSWORD,
    }
    if scope is not None:
        form["scope"] = scope
    return client.post("/oauth/token", data=form)


@pytest.mark.parametrize("path", ["/api/v1/instance", "/api/v1/instance/", "/api/v2/instance"])
def test_the_instance_says_a_version_clients_parse(api: Api, path: str) -> None:
    response = api.client.get(path)

    assert response.status_code == 200, response.text
    document = response.json()
    assert document["version"].startswith("4.2.0 (compatible; twitter ")
    assert document["configuration"]["statuses"]["max_characters"] == 280
    assert api.client.get(path.rstrip("/") + "/").status_code == 200


def test_an_app_registers_by_form_or_json_and_its_secret_is_kept_hashed(api: Api) -> None:
    by_form = _app(api.client)
    body = {"client_name": "toot", "redirect_uris": "urn:ietf:wg:oauth:2.0:oob", "scopes": "read"}
    by_json = api.client.post("/api/v1/apps", json=body).json()

    assert by_form["name"] == "tester" and by_json["scopes"] == ["read"]
    assert by_form["client_id"] != by_json["client_id"]
    assert isinstance(by_form["id"], str) and by_form["redirect_uris"] == [
        "urn:ietf:wg:oauth:2.0:oob"
    ]


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"redirect_uris": "urn:ietf:wg:oauth:2.0:oob"}, "client_name must be 1 to 100"),
        ({"client_name": "x"}, "redirect_uris must name at least one URI"),
        ({"client_name": "x", "redirect_uris": "not a uri"}, "Not an absolute URI"),
        (
            {"client_name": "x", "redirect_uris": "urn:ietf:wg:oauth:2.0:oob", "scopes": "admin"},
            "Unknown scope: admin",
        ),
    ],
)
def test_a_bad_app_is_422_with_mastodons_error(
    api: Api, form: dict[str, str], message: str
) -> None:
    response = api.client.post("/api/v1/apps", data=form)

    assert response.status_code == 422
    assert set(response.json()) == {"error"} and response.json()["error"].startswith(message)


def test_the_password_grant_gives_a_scoped_token_naming_the_user(api: Api) -> None:
    ada = api.signup(username="ada")
    app = _app(api.client)

    granted = _login(api.client, app, ada.user["email"], scope="read write follow push")

    assert granted.status_code == 200, granted.text
    token = granted.json()
    assert token["token_type"] == "Bearer" and token["scope"] == "follow push read write"
    assert isinstance(token["created_at"], int)
    me = api.client.get(
        "/api/v1/accounts/verify_credentials",
        headers={"Authorization": f"Bearer {token['access_token']}"},
    )
    assert me.status_code == 200, me.text
    account = me.json()
    assert (account["id"], account["username"], account["acct"]) == (str(ada.id), "ada", "ada")
    assert account["source"]["privacy"] == "public" and "email" not in account
    assert me.headers["x-ratelimit-limit"]


def test_logins_that_cannot_be_granted_answer_oauth_errors(api: Api) -> None:
    ada = api.signup()
    app = _app(api.client, scopes="read")

    wrong_secret = _login(api.client, {**app, "client_secret": "nope"}, ada.user["email"])
    assert (wrong_secret.status_code, wrong_secret.json()["error"]) == (401, "invalid_client")
    wrong_password = api.client.post(
        "/oauth/token",
        data={
            "grant_type": "password",
            "client_id": app["client_id"],
            "client_secret": app["client_secret"],
            "username": ada.user["email"],
            "password": "wrong password!",
        },
    )
    assert (wrong_password.status_code, wrong_password.json()["error"]) == (400, "invalid_grant")
    beyond = _login(api.client, app, ada.user["email"], scope="read write")
    assert beyond.status_code == 422 and "scope" in beyond.json()["error"]
    unknown = api.client.post("/oauth/token", data={"grant_type": "implicit"})
    assert (unknown.status_code, unknown.json()["error"]) == (400, "unsupported_grant_type")


def test_scopes_are_enforced_and_tokens_are_required(api: Api) -> None:
    ada = api.signup()
    app = _app(api.client, scopes="write")
    write_only = _login(api.client, app, ada.user["email"]).json()["access_token"]

    refused = api.client.get(
        "/api/v1/accounts/verify_credentials", headers={"Authorization": f"Bearer {write_only}"}
    )

    assert refused.status_code == 403
    assert refused.json() == {"error": "This action is outside the authorized scopes"}
    missing = api.client.get("/api/v1/accounts/verify_credentials")
    assert missing.status_code == 401 and set(missing.json()) == {"error"}
    # The service's own tokens may do everything, as on the JSON API.
    own = api.client.get("/api/v1/accounts/verify_credentials", headers=ada.headers)
    assert own.status_code == 200
    assert api.client.get("/api/v1/nothing").json() == {"error": "Record not found"}
