"""The Mastodon API's first steps: the instance, an app, a password login, and who
the token names, as Mastodon clients do them."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.integration.api import PASSWORD, Account, Api
from tests.integration.conftest import StatementCounter


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
    # RFC 6749 5.2: the token endpoint names its errors; a scope beyond the app's is this one.
    assert (beyond.status_code, beyond.json()["error"]) == (400, "invalid_scope")
    assert "scope" in beyond.json()["error_description"]
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


def _token(api: Api, account: Account, scopes: str = "read write follow push") -> dict[str, str]:
    app = _app(api.client, scopes=scopes)
    granted = _login(api.client, app, account.user["email"])
    assert granted.status_code == 200, granted.text
    return {"Authorization": f"Bearer {granted.json()['access_token']}"}


def test_accounts_by_id_and_by_lookup_with_their_counts(api: Api) -> None:
    ada, bob = api.signup(username="ada"), api.signup(username="bob")
    ada.tweet("one")
    assert bob.follow(ada.id).status_code == 201

    by_id = api.get_ok(f"/api/v1/accounts/{ada.id}")
    by_lookup = api.get_ok("/api/v1/accounts/lookup?acct=@ADA@testserver")

    assert by_id == by_lookup
    assert (by_id["id"], by_id["statuses_count"], by_id["followers_count"]) == (
        str(ada.id),
        1,
        0 + 1,
    )
    assert "email" not in by_id and "source" not in by_id
    for missing in ("999", "abc", "-1"):
        response = api.client.get(f"/api/v1/accounts/{missing}")
        assert (response.status_code, response.json()) == (404, {"error": "User not found"})


def test_follow_block_and_mute_answer_the_relationship_and_repeat_safely(api: Api) -> None:
    ada, bob = api.signup(), api.signup()
    as_ada, as_bob = _token(api, ada), _token(api, bob)

    def post(headers: dict[str, str], path: str) -> Any:
        response = api.client.post(f"/api/v1/accounts/{path}", headers=headers)
        assert response.status_code == 200, response.text
        return response.json()

    followed = post(as_ada, f"{bob.id}/follow")
    assert (followed["id"], followed["following"], followed["followed_by"]) == (
        str(bob.id),
        True,
        False,
    )
    assert post(as_ada, f"{bob.id}/follow")["following"] is True  # again: the same
    assert post(as_bob, f"{ada.id}/follow")["followed_by"] is True
    muted = post(as_ada, f"{bob.id}/mute")
    assert (muted["muting"], muted["following"]) == (True, True)
    blocked = post(as_ada, f"{bob.id}/block")
    assert (blocked["blocking"], blocked["following"], blocked["followed_by"]) == (
        True,
        False,
        False,
    )
    seen_by_bob = api.client.get(
        f"/api/v1/accounts/relationships?id[]={ada.id}&id[]=999", headers=as_bob
    ).json()
    assert [(r["id"], r["blocked_by"], r["following"]) for r in seen_by_bob] == [
        (str(ada.id), True, False)
    ]
    refused = api.client.post(f"/api/v1/accounts/{ada.id}/follow", headers=as_bob)
    assert (refused.status_code, refused.json()) == (403, {"error": "You are blocked"})
    undone = post(as_ada, f"{bob.id}/unblock")
    assert undone["blocking"] is False and post(as_ada, f"{bob.id}/unmute")["muting"] is False
    assert post(as_ada, f"{bob.id}/unfollow")["following"] is False  # not following: fine


def test_update_credentials_changes_the_display_name_and_note(api: Api) -> None:
    ada = api.signup(username="ada")
    headers = _token(api, ada)

    changed = api.client.patch(
        "/api/v1/accounts/update_credentials",
        data={"display_name": "Ada L.", "note": "Engines & <numbers>"},
        headers=headers,
    )

    assert changed.status_code == 200, changed.text
    account = changed.json()
    assert account["display_name"] == "Ada L."
    assert account["note"] == "<p>Engines &amp; &lt;numbers&gt;</p>"
    assert account["source"]["note"] == "Engines & <numbers>"


def test_a_read_token_cannot_follow_and_a_revoked_one_nothing(api: Api) -> None:
    ada, bob = api.signup(), api.signup()
    app = _app(api.client, scopes="read")
    reader = _login(api.client, app, ada.user["email"]).json()["access_token"]
    headers = {"Authorization": f"Bearer {reader}"}

    refused = api.client.post(f"/api/v1/accounts/{bob.id}/follow", headers=headers)
    assert refused.status_code == 403
    assert api.get_ok(f"/users/{bob.id}/followers") == []

    form = {"client_id": app["client_id"], "client_secret": app["client_secret"], "token": reader}
    assert api.client.post("/oauth/revoke", data=form).json() == {}
    gone = api.client.get("/api/v1/accounts/verify_credentials", headers=headers)
    assert gone.status_code == 401
    assert api.client.post("/oauth/revoke", data=form).status_code == 200  # again: no error
    wrong = api.client.post("/oauth/revoke", data={**form, "client_secret": "x"})
    assert wrong.status_code == 401


def test_an_idempotency_key_reused_on_the_mastodon_api_is_refused_in_its_shape(
    api: Api,
) -> None:
    headers = {"Idempotency-Key": "app-1"}
    form = {"client_name": "one", "redirect_uris": "urn:ietf:wg:oauth:2.0:oob"}
    first = api.client.post("/api/v1/apps", data=form, headers=headers)
    again = api.client.post("/api/v1/apps", data=form, headers=headers)
    other = api.client.post("/api/v1/apps", data={**form, "client_name": "two"}, headers=headers)

    assert again.content == first.content  # one app, not two
    assert (other.status_code, other.json()) == (
        422,
        {"error": "This Idempotency-Key was used for a different request"},
    )


def test_relationships_of_many_accounts_cost_what_one_costs(
    api: Api, count_statements: StatementCounter
) -> None:
    ada, *others = (api.signup() for _ in range(6))
    headers = _token(api, ada)

    def statements(ids: list[int]) -> int:
        query = "&".join(f"id[]={user_id}" for user_id in ids)
        count_statements.statements.clear()
        with count_statements:
            response = api.client.get(f"/api/v1/accounts/relationships?{query}", headers=headers)
        assert response.status_code == 200 and len(response.json()) == len(ids)
        return count_statements.count

    statements([others[0].id])  # warm up
    assert statements([others[0].id]) == statements([o.id for o in others])
