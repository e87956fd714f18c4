"""OAuth's authorization-code flow as a browser goes through it: the app sends the
person to ``/oauth/authorize``, they log in if needed, see the app and its scopes,
consent, and the app exchanges the code it gets (at its redirect URI, or pasted from
the page) for their token. PKCE, state, denial and client credentials too."""

from __future__ import annotations

import base64
import hashlib
import re
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

from fastapi.testclient import TestClient

from tests.integration.conftest import second_client
from tests.integration.web_browser import PASSWORD, Browser, assert_html

CALLBACK = "https://app.example/callback?from=us"
OOB = "urn:ietf:wg:oauth:2.0:oob"
VERIFIER = "a-verifier-of-at-least-43-characters-chosen-at-random-by-the-app"
CHALLENGE = base64.urlsafe_b64encode(hashlib.sha256(VERIFIER.encode()).digest()).rstrip(b"=")


def _app(client: TestClient, uris: str = f"{CALLBACK}\n{OOB}") -> Any:
    form = {"client_name": "Pinafore <b>", "redirect_uris": uris, "scopes": "read write follow"}
    response = client.post("/api/v1/apps", data=form)
    assert response.status_code == 200, response.text
    return response.json()


def _authorize_url(app: Any, **more: str) -> str:
    query = {"client_id": app["client_id"], "response_type": "code", "redirect_uri": CALLBACK}
    return "/oauth/authorize?" + urlencode({**query, **more})


def _exchange(client: TestClient, app: Any, code: str, **more: str) -> Any:
    form = {
        "grant_type": "authorization_code",
        "client_id": app["client_id"],
        "client_secret": app["client_secret"],
        "code": code,
        "redirect_uri": CALLBACK,
        **more,
    }
    return client.post("/oauth/token", data=form)


def _found(pattern: str, text: str) -> str:
    match = re.search(pattern, text)
    assert match is not None, pattern
    return match.group(1)


def _consent(browser: Browser, url: str, decision: str = "approve") -> Any:
    """Open the app's authorization URL, consent on the page, answer where it sends us."""
    page = browser.client.get(url, follow_redirects=True)
    assert_html(page)
    browser.token = _found(r'name="csrf_token" value="([0-9a-f]{64})"', page.text)
    fields = dict(re.findall(r'type="hidden" name="(\w+)" value="([^"]*)"', page.text))
    fields.pop("csrf_token")
    return page, browser.post("/web/oauth/authorize", {**fields, "decision": decision})


def test_a_logged_out_person_logs_in_consents_and_the_app_gets_its_token(
    client: TestClient,
) -> None:
    app = _app(client)
    browser = Browser(second_client(client))
    Browser(client).sign_up("ada")  # an account, in another browser
    url = _authorize_url(app, scope="read write", state="xyz 1")

    to_login = browser.client.get(url, follow_redirects=True)
    assert_html(to_login)
    assert 'action="/web/login"' in to_login.text
    browser.token = _found(r'name="csrf_token" value="([0-9a-f]{64})"', to_login.text)
    next_page = _found(r'name="next" value="([^"]*)"', to_login.text)
    logged_in = browser.post(
        "/web/login",
        {
            "login": "ada",
            "password": PASSWORD,
            "next": next_page.replace("&amp;", "&"),
        },
    )
    assert logged_in.headers["location"].startswith("/web/oauth/authorize?")
    page, decided = _consent(browser, logged_in.headers["location"])
    assert "Pinafore &lt;b&gt;" in page.text and "@ada" in page.text
    assert "read your account" in page.text and "follow, mute" not in page.text
    assert "form-action 'self' https://app.example" in page.headers["content-security-policy"]

    assert decided.status_code == 303
    back = urlsplit(decided.headers["location"])
    query = parse_qs(back.query)
    assert (back.scheme, back.netloc, back.path) == ("https", "app.example", "/callback")
    assert query["from"] == ["us"] and query["state"] == ["xyz 1"]
    token = _exchange(client, app, query["code"][0])
    assert token.status_code == 200, token.text
    assert token.json()["scope"] == "read write"
    bearer = {"Authorization": f"Bearer {token.json()['access_token']}"}
    me = client.get("/api/v1/accounts/verify_credentials", headers=bearer)
    assert me.json()["username"] == "ada"
    again = _exchange(client, app, query["code"][0])
    assert (again.status_code, again.json()["error"]) == (400, "invalid_grant")


def test_the_out_of_band_page_shows_the_code_and_pkce_is_checked(client: TestClient) -> None:
    app = _app(client)
    browser = Browser(client)
    browser.sign_up("ada")
    pkce = {"code_challenge": CHALLENGE.decode(), "code_challenge_method": "S256"}
    url = _authorize_url(app, redirect_uri=OOB, state="None", lang="None", **pkce)

    _, shown = _consent(browser, url)
    assert_html(shown)
    code = _found(r'id="authorization-code"[^>]*>([^<]+)<', shown.text)
    without = _exchange(client, app, code, redirect_uri=OOB)
    _, shown_again = _consent(browser, url)
    code = _found(r'id="authorization-code"[^>]*>([^<]+)<', shown_again.text)
    granted = _exchange(client, app, code, redirect_uri=OOB, code_verifier=VERIFIER)

    assert (without.status_code, without.json()["error"]) == (400, "invalid_grant")
    assert granted.status_code == 200 and granted.json()["scope"] == "follow read write"


def test_denying_sends_the_app_access_denied_with_its_state(client: TestClient) -> None:
    app = _app(client)
    browser = Browser(client)
    browser.sign_up("ada")

    _, denied = _consent(browser, _authorize_url(app, state="s1"), decision="deny")

    assert parse_qs(urlsplit(denied.headers["location"]).query) == {
        "from": ["us"],
        "error": ["access_denied"],
        "state": ["s1"],
    }


def test_a_bad_authorization_request_is_shown_to_the_person_never_redirected(
    client: TestClient,
) -> None:
    app = _app(client)
    browser = Browser(client)
    browser.sign_up("ada")

    for url, message in (
        ("/oauth/authorize?client_id=nobody&response_type=code", "unknown client"),
        (_authorize_url(app, redirect_uri="https://evil.example/"), "redirect URI"),
        (_authorize_url(app, scope="read push"), "scope"),
        (_authorize_url(app, code_challenge=CHALLENGE.decode()), "S256"),
        (_authorize_url(app, response_type="token"), "response_type"),
    ):
        page = browser.client.get(url, follow_redirects=True)
        assert_html(page, page.status_code)
        assert page.status_code in (400, 401, 422) and message in page.text
        assert "evil.example/?" not in page.text


def test_a_forged_consent_is_refused(client: TestClient) -> None:
    app = _app(client)
    browser = Browser(client)
    browser.sign_up("ada")
    fields = {"client_id": app["client_id"], "redirect_uri": CALLBACK, "decision": "approve"}

    forged = browser.client.post("/web/oauth/authorize", data=fields)

    assert forged.status_code == 403


def test_client_credentials_give_an_app_token_that_reads_public_things_only(
    client: TestClient,
) -> None:
    app = _app(client)
    form = {
        "grant_type": "client_credentials",
        "client_id": app["client_id"],
        "client_secret": app["client_secret"],
        "scope": "read",
    }

    token = client.post("/oauth/token", data=form)
    bearer = {"Authorization": f"Bearer {token.json()['access_token']}"}
    verified = client.get("/api/v1/apps/verify_credentials", headers=bearer)
    as_user = client.get("/api/v1/accounts/verify_credentials", headers=bearer)
    public = client.get("/api/v1/timelines/public", headers=bearer)

    assert token.status_code == 200 and token.json()["scope"] == "read"
    assert verified.status_code == 200 and verified.json()["name"] == "Pinafore <b>"
    assert as_user.status_code == 422
    assert as_user.json() == {"error": "This method requires an authenticated user"}
    assert public.status_code == 200
