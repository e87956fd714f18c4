"""Real Mastodon clients against a live ``twitter serve``: Mastodon.py registers an
app, logs in with the password grant, reads who it is, follows, mutes and blocks
someone (reading the relationship each time), edits its profile and logs out; the
``toot`` CLI logs in and runs its everyday commands."""

from __future__ import annotations

import contextlib
import os
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import parse_qs, urlsplit

from mastodon import Mastodon  # type: ignore[import-untyped]
from playwright.sync_api import Browser

from tests.conftest import needs_browser
from tests.integration.api import PASSWORD
from tests.integration.live_server import serve


def test_mastodon_py_registers_logs_in_and_verifies_credentials(
    database_url: str, tmp_path: Path
) -> None:
    with serve(database_url, tmp_path) as server, server.client() as http:
        signed_up = http.post(
            "/users/",
            json={"email": "ada@example.com", "password": PASSWORD, "username": "ada"},
        )
        assert signed_up.status_code == 201, signed_up.text
        base = server.base_url

        client_id, client_secret = Mastodon.create_app("twitter tests", api_base_url=base)
        mastodon = Mastodon(client_id=client_id, client_secret=client_secret, api_base_url=base)
        token = mastodon.log_in("ada@example.com", PASSWORD)
        me = mastodon.account_verify_credentials()
        instance = mastodon.instance()
        bob = http.post("/users/", json={"email": "b@example.com", "password": PASSWORD})
        bob_id = bob.json()["id"]
        found = mastodon.account_lookup(bob.json()["username"])
        followed = mastodon.account_follow(bob_id)
        muted = mastodon.account_mute(bob_id)
        blocked = mastodon.account_block(bob_id)
        [relationship] = mastodon.account_relationships(bob_id)
        mastodon.account_unblock(bob_id)
        mastodon.account_unmute(bob_id)
        edited = mastodon.account_update_credentials(display_name="Ada L.", note="hello")
        posted = mastodon.status_post("Hello from Mastodon.py <3", idempotency_key="k-1")
        repeated = mastodon.status_post("Hello from Mastodon.py <3", idempotency_key="k-1")
        for n in range(25):
            mastodon.status_post(f"status {n}")
        page = mastodon.timeline_home(limit=20)
        second = mastodon.fetch_next(page)
        everything = mastodon.fetch_remaining(page)
        fetched = mastodon.status(posted["id"])
        favourited = mastodon.status_favourite(posted["id"])
        reblogged = mastodon.status_reblog(posted["id"])
        bookmarked = mastodon.status_bookmark(posted["id"])
        reply = mastodon.status_post("a reply", in_reply_to_id=posted["id"])
        thread = mastodon.status_context(posted["id"])
        favourites = mastodon.favourites()
        bookmarks = mastodon.bookmarks()
        deleted = mastodon.status_delete(posted["id"])
        mastodon.revoke_access_token()
        after_logout = http.get(
            "/api/v1/accounts/verify_credentials", headers={"Authorization": f"Bearer {token}"}
        )

    assert token
    # Mastodon.py turns the string ids back into numbers.
    assert (str(me["id"]), me["username"], me["acct"]) == (
        str(signed_up.json()["id"]),
        "ada",
        "ada",
    )
    assert instance["configuration"]["statuses"]["max_characters"] == 280
    assert str(found["id"]) == str(bob_id) and followed["following"]
    assert muted["muting"] and blocked["blocking"] and not blocked["following"]
    assert relationship["blocking"] and relationship["muting"]
    assert (edited["display_name"], edited["source"]["note"]) == ("Ada L.", "hello")
    assert after_logout.status_code == 401
    assert repeated["id"] == posted["id"]  # the idempotency key: one status
    assert fetched["content"] == "<p>Hello from Mastodon.py &lt;3</p>"
    assert len(page) == 20 and len(everything) == 26  # paged by the Link headers
    assert [s["id"] for s in second] == [s["id"] for s in everything[20:]]
    assert deleted["text"] == "Hello from Mastodon.py <3"
    assert favourited["favourited"] and bookmarked["bookmarked"]
    assert reblogged["reblog"]["id"] == posted["id"]
    assert [s["id"] for s in thread["descendants"]] == [reply["id"]]
    assert [s["id"] for s in favourites] == [s["id"] for s in bookmarks] == [posted["id"]]


def _toot(config: Path, *args: str) -> str:
    """Run the ``toot`` CLI with its config in ``config``; it must exit 0."""
    toot = Path(sys.executable).parent / "toot"
    environment = {**os.environ, "XDG_CONFIG_HOME": str(config), "NO_COLOR": "1"}
    done = subprocess.run(
        [str(toot), *args], capture_output=True, text=True, timeout=60, env=environment
    )
    assert done.returncode == 0, (args, done.stdout, done.stderr)
    return done.stdout


def test_toot_logs_in_posts_reads_and_deletes(database_url: str, tmp_path: Path) -> None:
    with serve(database_url, tmp_path) as server, server.client() as http:
        for name in ("ada", "bob"):
            body = {"email": f"{name}@example.com", "password": PASSWORD, "username": name}
            assert http.post("/users/", json=body).status_code == 201
        config = tmp_path / "config"
        login = _toot(
            config, "login_cli", "-i", server.base_url, "-e", "ada@example.com", "-p", PASSWORD
        )
        whoami = _toot(config, "whoami")
        posted = _toot(config, "post", "Hello from toot <world>")
        [status_id] = re.findall(r"/web/tweets/(\d+)", posted)
        outputs = {
            "favourite": _toot(config, "favourite", status_id),
            "reblog": _toot(config, "reblog", status_id),
            "bookmark": _toot(config, "bookmark", status_id),
            "timeline": _toot(config, "timeline"),
            "follow": _toot(config, "follow", "bob"),
            "following": _toot(config, "following", "ada"),
            "notifications": _toot(config, "notifications"),
            "delete": _toot(config, "delete", status_id),
        }
        gone = http.get(f"/api/v1/statuses/{status_id}")

    assert "Successfully logged in" in login
    assert "@ada" in whoami and "Statuses: 0" in whoami
    assert "Toot posted" in posted
    assert "Status favourited" in outputs["favourite"]
    assert "Status reblogged" in outputs["reblog"]
    assert "Status bookmarked" in outputs["bookmark"]
    assert "Hello from toot <world>" in outputs["timeline"]  # the HTML unescaped again
    assert "You are now following bob" in outputs["follow"]
    assert "@bob" in outputs["following"]
    assert "notifications" in outputs["notifications"].lower()
    assert "Status deleted" in outputs["delete"]
    assert gone.status_code == 404


class _Callback(BaseHTTPRequestHandler):
    """An app's redirect URI: it keeps the query the browser brings back."""

    queries: ClassVar[list[dict[str, list[str]]]] = []

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        if url.path == "/callback":  # not the browser's /favicon.ico
            type(self).queries.append(parse_qs(url.query))
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.end_headers()
        self.wfile.write(b"You can close this window.")

    def log_message(self, *_: Any) -> None:
        pass


@contextlib.contextmanager
def _callback_server() -> Iterator[str]:
    _Callback.queries.clear()
    server = HTTPServer(("127.0.0.1", 0), _Callback)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/callback"
    finally:
        server.shutdown()
        thread.join(timeout=5)
        server.server_close()


@needs_browser
def test_mastodon_py_logs_in_through_the_consent_page_in_chromium(
    database_url: str, tmp_path: Path, browser: Browser
) -> None:
    """The authorization-code flow as a person lives it: Mastodon.py's URL opened in
    Chromium, the login form, the consent button, the redirect with the code; and for
    an out-of-band app the code read off the page. Both clients check the server's
    version against what each method needs (``version_check_mode="created"``)."""
    with (
        serve(database_url, tmp_path) as server,
        server.client() as http,
        _callback_server() as callback,
        contextlib.closing(browser.new_context()) as for_ada,
        contextlib.closing(browser.new_context()) as for_bob,
    ):
        for name in ("ada", "bob"):
            body = {"email": f"{name}@example.com", "password": PASSWORD, "username": name}
            assert http.post("/users/", json=body).status_code == 201
        base = server.base_url
        app = Mastodon.create_app("web app", api_base_url=base, redirect_uris=callback)
        ada = Mastodon(*app, api_base_url=base, version_check_mode="created")
        page = for_ada.new_page()
        page.goto(ada.auth_request_url(redirect_uris=callback, state="s-42"))
        page.fill("#login", "ada")
        page.fill("#password", PASSWORD)
        page.get_by_role("button", name="Log in").click()
        consent_text = page.inner_text("main")
        page.get_by_role("button", name="Authorize").click()
        page.wait_for_url(f"{callback}?*")
        [query] = _Callback.queries
        ada.log_in(code=query["code"][0], redirect_uri=callback)

        out_of_band = Mastodon.create_app("cli app", api_base_url=base)
        bob = Mastodon(*out_of_band, api_base_url=base, version_check_mode="created")
        other = for_bob.new_page()
        other.goto(bob.auth_request_url())
        other.fill("#login", "bob")
        other.fill("#password", PASSWORD)
        other.get_by_role("button", name="Log in").click()
        other.get_by_role("button", name="Authorize").click()
        bob.log_in(code=other.inner_text("#authorization-code"))

        me = ada.me()
        posted = ada.status_post("search me #findable")
        bob.status_favourite(posted["id"])
        bob.status_reblog(posted["id"])
        bob.account_follow(me["id"])
        notifications = ada.notifications()
        ada.notifications_dismiss(notifications[0]["id"])
        after_dismiss = ada.notifications()
        ada.notifications_clear()
        after_clear = ada.notifications()
        found = ada.search("findable")
        muted = ada.account_mute(bob.me()["id"])
        mutes = ada.mutes()

    assert "web app" in consent_text and "@ada" in consent_text
    assert query["state"] == ["s-42"]
    assert me["username"] == "ada"
    assert {n["type"] for n in notifications} == {"favourite", "reblog", "follow"}
    assert [n["id"] for n in after_dismiss] == [n["id"] for n in notifications[1:]]
    assert after_clear == []
    assert [s["id"] for s in found["statuses"]] == [posted["id"]]
    assert muted["muting"] and [a["username"] for a in mutes] == ["bob"]
