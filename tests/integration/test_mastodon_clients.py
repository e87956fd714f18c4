"""Real Mastodon clients against a live ``twitter serve``: Mastodon.py registers an
app, logs in with the password grant, reads who it is, follows, mutes and blocks
someone (reading the relationship each time), edits its profile and logs out."""

from __future__ import annotations

from pathlib import Path

from mastodon import Mastodon  # type: ignore[import-untyped]

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
    assert deleted["text"] == "Hello from Mastodon.py <3"
    assert favourited["favourited"] and bookmarked["bookmarked"]
    assert reblogged["reblog"]["id"] == posted["id"]
    assert [s["id"] for s in thread["descendants"]] == [reply["id"]]
    assert [s["id"] for s in favourites] == [s["id"] for s in bookmarks] == [posted["id"]]
