"""Who may do what: authentication on every protected route, authorization on every
write, forged tokens and the login answer. See the SECURITY CHECKLIST, items 1-4, 10, 23."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import jwt
import pytest
from sqlalchemy import Engine, text

from tests.integration.api import PASSWORD, Account, Api
from tests.integration.conftest import TABLES, TEST_SECRET

# --- helpers ---------------------------------------------------------------------------


def snapshot(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, so that "nothing changed" means nothing at all; but
    for the count of the user's writes, which counts refused attempts as well."""
    with engine.connect() as connection:
        return {
            table: [
                tuple(row)
                for row in connection.execute(text(f"SELECT * FROM {table}"))
                if not str(row[0]).startswith("writes:")
            ]
            for table in TABLES
        }


def assert_unauthorized(response: Any) -> None:
    assert response.status_code == 401, response.text
    assert response.headers.get("www-authenticate") == "Bearer"
    assert isinstance(response.json()["detail"], str)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


_DIGESTS: dict[str, Callable[..., Any]] = {
    "HS256": hashlib.sha256,
    "HS384": hashlib.sha384,
    "HS512": hashlib.sha512,
}


def forge(
    payload: dict[str, Any],
    *,
    key: str = TEST_SECRET,
    alg: str = "HS256",
    header: dict[str, Any] | None = None,
) -> str:
    """A JWT built by hand, so that any header, payload and signature can be produced."""
    header = header if header is not None else {"alg": alg, "typ": "JWT"}
    signing_input = f"{_b64(json.dumps(header).encode())}.{_b64(json.dumps(payload).encode())}"
    if alg not in _DIGESTS:  # "none" and friends: unsigned
        return signing_input + "."
    signature = hmac.new(key.encode(), signing_input.encode(), _DIGESTS[alg]).digest()
    return f"{signing_input}.{_b64(signature)}"


def claims(user_id: Any, **changes: Any) -> dict[str, Any]:
    """The claims the server itself issues for ``user_id``; ``changes`` edit or (None) drop."""
    now = int(time.time())
    result: dict[str, Any] = {
        "sub": str(user_id),
        "iat": now,
        "exp": now + 600,
        "jti": secrets.token_urlsafe(16),
    }
    for name, value in changes.items():
        if value is None:
            result.pop(name, None)
        else:
            result[name] = value
    return result


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def token_of(account: Account) -> str:
    return account.headers["Authorization"].removeprefix("Bearer ")


# --- the scene every test acts on ------------------------------------------------------


@dataclass
class Scene:
    api: Api
    alice: Account
    bob: Account
    carol: Account
    dave: Account
    alice_tweet: dict[str, Any]
    bob_tweet: dict[str, Any]
    carol_tweet: dict[str, Any]


@pytest.fixture
def scene(api: Api) -> Scene:
    """Alice and Bob each tweeted, liked, retweeted and bookmarked the other's tweet,
    and both block and mute Dave; Alice follows Bob, Bob follows Carol. Every request
    below would succeed for the right user."""
    alice = api.signup("alice@example.com", username="alice")
    bob = api.signup("bob@example.com", username="bob")
    carol = api.signup("carol@example.com", username="carol")
    dave = api.signup("dave@example.com", username="dave")
    alice_tweet = alice.tweet("alice's")
    bob_tweet = bob.tweet("bob's")
    carol_tweet = carol.tweet("carol's")
    assert alice.like(bob_tweet["id"]).status_code == 201
    assert bob.like(alice_tweet["id"]).status_code == 201
    assert alice.follow(bob.id).status_code == 201
    assert bob.follow(carol.id).status_code == 201
    assert alice.retweet(bob_tweet["id"]).status_code == 201
    assert bob.retweet(alice_tweet["id"]).status_code == 201
    for account, tweet in ((alice, bob_tweet), (bob, alice_tweet)):
        assert account.bookmark(tweet["id"]).status_code == 201
        assert account.block(dave.id).status_code == 201
        assert account.mute(dave.id).status_code == 201
    return Scene(api, alice, bob, carol, dave, alice_tweet, bob_tweet, carol_tweet)


# (method, path, json body)
Request = tuple[str, str, dict[str, Any] | None]


def _own_requests(s: Scene) -> dict[str, Request]:
    """Alice's requests on her own things."""
    a = s.alice.id
    return {
        "post-user-tweet": ("POST", f"/users/{a}/tweets/", {"text": "sneaky"}),
        "post-tweet": ("POST", "/tweets/", {"text": "sneaky"}),
        "delete-tweet": ("DELETE", f"/tweets/{s.alice_tweet['id']}", None),
        "like": ("POST", f"/users/{a}/likes/", {"tweet_id": s.carol_tweet["id"]}),
        "unlike": ("DELETE", f"/users/{a}/likes/{s.bob_tweet['id']}", None),
        "follow": ("POST", f"/users/{a}/following", {"target_user_id": s.carol.id}),
        "unfollow": ("DELETE", f"/users/{a}/following/{s.bob.id}", None),
        "delete-account": ("DELETE", f"/users/{a}", None),
        "me": ("GET", "/users/me", None),
        "timeline": ("GET", f"/users/{a}/timeline", None),
        "retweet": ("POST", f"/users/{a}/retweets", {"tweet_id": s.carol_tweet["id"]}),
        "undo-retweet": ("DELETE", f"/users/{a}/retweets/{s.bob_tweet['id']}", None),
        "notifications": ("GET", f"/users/{a}/notifications", None),
        "mark-read": ("POST", f"/users/{a}/notifications/read", {"max_id": 1}),
        "edit-me": ("PATCH", "/users/me", {"bio": "sneaky"}),
        "revoke-token": ("POST", "/token/revoke", None),
        "bookmark": ("POST", f"/users/{a}/bookmarks", {"tweet_id": s.carol_tweet["id"]}),
        "unbookmark": ("DELETE", f"/users/{a}/bookmarks/{s.bob_tweet['id']}", None),
        "bookmarks": ("GET", f"/users/{a}/bookmarks", None),
        "block": ("POST", f"/users/{a}/blocking", {"target_user_id": s.carol.id}),
        "unblock": ("DELETE", f"/users/{a}/blocking/{s.dave.id}", None),
        "blocking": ("GET", f"/users/{a}/blocking", None),
        "mute": ("POST", f"/users/{a}/muting", {"target_user_id": s.carol.id}),
        "unmute": ("DELETE", f"/users/{a}/muting/{s.dave.id}", None),
        "muting": ("GET", f"/users/{a}/muting", None),
    }


def _requests_on_bob(s: Scene) -> dict[str, Request]:
    """Requests on Bob's account and things; made with Alice's token they must be refused."""
    b = s.bob.id
    return {
        "post-user-tweet": ("POST", f"/users/{b}/tweets/", {"text": "impersonated"}),
        "delete-tweet": ("DELETE", f"/tweets/{s.bob_tweet['id']}", None),
        "like": ("POST", f"/users/{b}/likes/", {"tweet_id": s.carol_tweet["id"]}),
        "unlike": ("DELETE", f"/users/{b}/likes/{s.alice_tweet['id']}", None),
        "follow": ("POST", f"/users/{b}/following", {"target_user_id": s.alice.id}),
        "unfollow": ("DELETE", f"/users/{b}/following/{s.carol.id}", None),
        "delete-account": ("DELETE", f"/users/{b}", None),
        "timeline": ("GET", f"/users/{b}/timeline", None),
        "retweet": ("POST", f"/users/{b}/retweets", {"tweet_id": s.carol_tweet["id"]}),
        "undo-retweet": ("DELETE", f"/users/{b}/retweets/{s.alice_tweet['id']}", None),
        "notifications": ("GET", f"/users/{b}/notifications", None),
        "mark-read": ("POST", f"/users/{b}/notifications/read", {"max_id": 2**40}),
        "bookmark": ("POST", f"/users/{b}/bookmarks", {"tweet_id": s.carol_tweet["id"]}),
        "unbookmark": ("DELETE", f"/users/{b}/bookmarks/{s.alice_tweet['id']}", None),
        "bookmarks": ("GET", f"/users/{b}/bookmarks", None),
        "block": ("POST", f"/users/{b}/blocking", {"target_user_id": s.alice.id}),
        "unblock": ("DELETE", f"/users/{b}/blocking/{s.dave.id}", None),
        "blocking": ("GET", f"/users/{b}/blocking", None),
        "mute": ("POST", f"/users/{b}/muting", {"target_user_id": s.alice.id}),
        "unmute": ("DELETE", f"/users/{b}/muting/{s.dave.id}", None),
        "muting": ("GET", f"/users/{b}/muting", None),
    }


OWN_NAMES = [
    "post-user-tweet",
    "post-tweet",
    "delete-tweet",
    "like",
    "unlike",
    "follow",
    "unfollow",
    "delete-account",
    "me",
    "timeline",
    "retweet",
    "undo-retweet",
    "notifications",
    "mark-read",
    "edit-me",
    "revoke-token",
    "bookmark",
    "unbookmark",
    "bookmarks",
    "block",
    "unblock",
    "blocking",
    "mute",
    "unmute",
    "muting",
]
BOB_NAMES = [
    name for name in OWN_NAMES if name not in ("post-tweet", "me", "edit-me", "revoke-token")
]
# Every route that needs a token, as the OpenAPI document names it.
PROTECTED = {
    "post-user-tweet": ("POST", "/users/{user_id}/tweets/"),
    "post-tweet": ("POST", "/tweets/"),
    "delete-tweet": ("DELETE", "/tweets/{tweet_id}"),
    "like": ("POST", "/users/{user_id}/likes/"),
    "unlike": ("DELETE", "/users/{user_id}/likes/{tweet_id}"),
    "follow": ("POST", "/users/{user_id}/following"),
    "unfollow": ("DELETE", "/users/{user_id}/following/{target_user_id}"),
    "delete-account": ("DELETE", "/users/{user_id}"),
    "me": ("GET", "/users/me"),
    "timeline": ("GET", "/users/{user_id}/timeline"),
    "retweet": ("POST", "/users/{user_id}/retweets"),
    "undo-retweet": ("DELETE", "/users/{user_id}/retweets/{tweet_id}"),
    "notifications": ("GET", "/users/{user_id}/notifications"),
    "mark-read": ("POST", "/users/{user_id}/notifications/read"),
    "edit-me": ("PATCH", "/users/me"),
    "revoke-token": ("POST", "/token/revoke"),
    "bookmark": ("POST", "/users/{user_id}/bookmarks"),
    "unbookmark": ("DELETE", "/users/{user_id}/bookmarks/{tweet_id}"),
    "bookmarks": ("GET", "/users/{user_id}/bookmarks"),
    "block": ("POST", "/users/{user_id}/blocking"),
    "unblock": ("DELETE", "/users/{user_id}/blocking/{target_user_id}"),
    "blocking": ("GET", "/users/{user_id}/blocking"),
    "mute": ("POST", "/users/{user_id}/muting"),
    "unmute": ("DELETE", "/users/{user_id}/muting/{target_user_id}"),
    "muting": ("GET", "/users/{user_id}/muting"),
}


def send(s: Scene, request: Request, headers: dict[str, str] | None) -> Any:
    method, path, body = request
    return s.api.client.request(method, path, json=body, headers=headers)


def _twin(path: str) -> str:
    return path[:-1] if path.endswith("/") else path + "/"


BAD_HEADERS: dict[str, dict[str, str]] = {
    "no-header": {},
    "empty-bearer": {"Authorization": "Bearer "},
    "bearer-no-token": {"Authorization": "Bearer"},
    "garbage": {"Authorization": "Bearer garbage"},
    "three-dots": {"Authorization": "Bearer a.b.c"},
    "basic": {"Authorization": "Basic YWxpY2VAZXhhbXBsZS5jb206Y29ycmVjdA=="},
    "token-scheme": {"Authorization": "Token xxx"},
    "empty": {"Authorization": ""},
}


# --- 1. authentication on every protected route --------------------------------------


def test_the_matrix_covers_every_route_the_openapi_document_protects(scene: Scene) -> None:
    document = scene.api.client.get("/openapi.json").json()
    protected = {
        (method.upper(), path)
        for path, operations in document["paths"].items()
        for method, operation in operations.items()
        if operation.get("security")
    }
    assert protected == set(PROTECTED.values())
    assert list(PROTECTED) == OWN_NAMES
    assert set(_own_requests(scene)) == set(OWN_NAMES)
    assert set(_requests_on_bob(scene)) == set(BOB_NAMES)


@pytest.mark.parametrize("name", OWN_NAMES)
def test_each_protected_request_succeeds_with_the_owners_token(scene: Scene, name: str) -> None:
    """The control for the tests below: only the credentials make them fail."""
    response = send(scene, _own_requests(scene)[name], scene.alice.headers)
    assert 200 <= response.status_code < 300, response.text


def test_protected_routes_answer_401_with_a_bearer_challenge_without_a_valid_token(
    scene: Scene, engine: Engine
) -> None:
    """Each protected route with each bad header, on its path and on the path's
    trailing-slash twin (checklist 3 and 22). One scene serves them all: none of
    these requests may change anything, which is checked after each route."""
    problems = []
    for name, (method, path, body) in _own_requests(scene).items():
        before = snapshot(engine)
        for candidate in (path, _twin(path)):
            for bad, headers in BAD_HEADERS.items():
                response = send(scene, (method, candidate, body), headers)
                challenge = response.headers.get("www-authenticate")
                if (
                    response.status_code != 401
                    or challenge != "Bearer"
                    or "detail" not in response.json()
                ):
                    problems.append(
                        f"{name}: {bad} on {candidate}: {response.status_code} {challenge} "
                        f"{response.text}"
                    )
        if snapshot(engine) != before:
            problems.append(f"{name}: a refused request changed the database")

    assert problems == []


def test_a_valid_token_with_a_lower_case_scheme_is_accepted(scene: Scene) -> None:
    token = token_of(scene.alice)
    response = scene.api.client.get("/users/me", headers={"Authorization": f"bearer {token}"})
    assert response.status_code == 200
    assert response.json()["id"] == scene.alice.id


# --- 2. authorization: another user's token --------------------------------------------


@pytest.mark.parametrize("name", BOB_NAMES)
def test_each_request_on_bob_succeeds_with_bobs_token(scene: Scene, name: str) -> None:
    """The control for the next test: Bob himself may do each of these."""
    response = send(scene, _requests_on_bob(scene)[name], scene.bob.headers)
    assert 200 <= response.status_code < 300, response.text


def test_alices_token_on_bobs_resources_is_forbidden_and_changes_nothing(
    scene: Scene, engine: Engine
) -> None:
    """Every request on Bob's things, with Alice's token. One scene serves them all:
    each must leave the database and every list as they were."""
    client = scene.api.client
    bob = scene.bob.id
    reads = [
        ("/tweets/", {}),
        ("/users/", {}),
        (f"/users/{bob}/likes/", {}),
        (f"/users/{bob}/following", {}),
        (f"/users/{bob}/tweets/", {}),
        (f"/users/{bob}/timeline", scene.bob.headers),
    ]
    problems = []
    for name, request in _requests_on_bob(scene).items():
        before = snapshot(engine)
        seen = [client.get(path, headers=headers).json() for path, headers in reads]

        response = send(scene, request, scene.alice.headers)

        if response.status_code != 403 or not isinstance(response.json().get("detail"), str):
            problems.append(f"{name}: {response.status_code} {response.text}")
        if snapshot(engine) != before:
            problems.append(f"{name}: the database changed")
        if [client.get(path, headers=headers).json() for path, headers in reads] != seen:
            problems.append(f"{name}: a list changed")

    assert problems == []


def test_post_tweets_acts_only_as_the_token_user_whatever_the_body_says(
    scene: Scene, engine: Engine
) -> None:
    client = scene.api.client
    bobs_before = client.get(f"/users/{scene.bob.id}/tweets/").json()

    response = client.post(
        "/tweets/",
        json={"text": "whose?", "owner_id": scene.bob.id, "user_id": scene.bob.id},
        headers=scene.alice.headers,
    )

    assert response.status_code == 201
    assert response.json()["owner_id"] == scene.alice.id
    assert client.get(f"/users/{scene.bob.id}/tweets/").json() == bobs_before


# --- 3. forged and unusable tokens ---------------------------------------------------

OTHER_KEY = "another-secret-that-is-long-enough-" + "y" * 20


def _forgeries(s: Scene) -> dict[str, str]:
    alice = s.alice.id
    good = claims(alice)
    signed = forge(good)
    header, _, signature = signed.split(".")
    edited_payload = _b64(json.dumps(claims(s.bob.id)).encode())
    past = int(time.time()) - 3600
    return {
        "alg-none": forge(good, alg="none"),
        "alg-None": forge(good, alg="None"),
        "alg-NONE": forge(good, alg="NONE"),
        "alg-none-with-a-real-signature": (
            forge(good, header={"alg": "none", "typ": "JWT"}).rstrip(".") + "." + signature
        ),
        "other-key": forge(good, key=OTHER_KEY),
        "empty-key": forge(good, key=""),
        "hs512-right-key": forge(good, alg="HS512"),
        "hs384-right-key": forge(good, alg="HS384"),
        "payload-edited-after-signing": f"{header}.{edited_payload}.{signature}",
        "signature-stripped": f"{header}.{signed.split('.')[1]}.",
        "signature-truncated": signed[:-4],
        "expired": forge(claims(alice, iat=past - 60, exp=past)),
        "exp-missing": forge(claims(alice, exp=None)),
        "exp-not-a-number": forge(claims(alice, exp="tomorrow")),
        "iat-missing": forge(claims(alice, iat=None)),
        "not-yet-valid": forge(claims(alice, nbf=int(time.time()) + 3600)),
        "sub-missing": forge(claims(alice, sub=None)),
        "sub-empty": forge(claims(alice, sub="")),
        "sub-letters": forge(claims(alice, sub="alice")),
        "sub-email": forge(claims(alice, sub="alice@example.com")),
        "sub-float": forge(claims(alice, sub=f"{alice}.0")),
        "sub-negative": forge(claims(alice, sub=f"-{alice}")),
        "sub-spaced": forge(claims(alice, sub=f" {alice}")),
        "sub-hex": forge(claims(alice, sub=hex(alice))),
        "sub-exponent": forge(claims(alice, sub=f"{alice}e0")),
        "sub-json-number": forge(claims(alice, sub=alice)),
        "sub-list": forge(claims(alice, sub=[str(alice)])),
        "sub-beyond-64-bits": forge(claims(alice, sub=str(2**64 + alice))),
        "sub-beyond-int64": forge(claims(alice, sub=str(2**63))),
        "sub-zero": forge(claims(alice, sub="0")),
        "sub-unknown-user": forge(claims(alice, sub="999999")),
        "jti-missing": forge(claims(alice, jti=None)),
        "jti-not-ours": forge(claims(alice, jti="alice's own session id")),
        "jti-a-number": forge(claims(alice, jti=7)),
        "payload-not-an-object": forge([str(alice)]),  # type: ignore[arg-type]
        "header-not-an-object": forge(good, header=["HS256"]),  # type: ignore[arg-type]
        "two-parts": ".".join(signed.split(".")[:2]),
        "four-parts": signed + ".x",
    }


FORGERY_NAMES = [
    "alg-none",
    "alg-None",
    "alg-NONE",
    "alg-none-with-a-real-signature",
    "other-key",
    "empty-key",
    "hs512-right-key",
    "hs384-right-key",
    "payload-edited-after-signing",
    "signature-stripped",
    "signature-truncated",
    "expired",
    "exp-missing",
    "exp-not-a-number",
    "iat-missing",
    "not-yet-valid",
    "sub-missing",
    "sub-empty",
    "sub-letters",
    "sub-email",
    "sub-float",
    "sub-negative",
    "sub-spaced",
    "sub-hex",
    "sub-exponent",
    "sub-json-number",
    "sub-list",
    "sub-beyond-64-bits",
    "sub-beyond-int64",
    "sub-zero",
    "sub-unknown-user",
    "jti-missing",
    "jti-not-ours",
    "jti-a-number",
    "payload-not-an-object",
    "header-not-an-object",
    "two-parts",
    "four-parts",
]


def test_a_hand_built_token_with_the_right_key_is_accepted(scene: Scene) -> None:
    """The control for the forgeries: the hand-built signer makes tokens the server takes."""
    client = scene.api.client
    for token in (forge(claims(scene.alice.id)), jwt.encode(claims(scene.alice.id), TEST_SECRET)):
        me = client.get("/users/me", headers=bearer(token))
        assert me.status_code == 200, me.text
        assert me.json()["id"] == scene.alice.id
    # The issued token is an HS256 JWT with exactly these claims.
    issued = token_of(scene.alice)
    assert jwt.get_unverified_header(issued)["alg"] == "HS256"
    decoded = jwt.decode(issued, TEST_SECRET, algorithms=["HS256"])
    assert decoded["sub"] == str(scene.alice.id)
    assert set(decoded) == {"sub", "iat", "exp", "jti"}


def test_forgery_names_cover_every_forgery(scene: Scene) -> None:
    assert sorted(_forgeries(scene)) == sorted(FORGERY_NAMES)
    assert len(set(_forgeries(scene).values())) == len(FORGERY_NAMES)


FORGERY_GROUPS = {
    "algorithm": [name for name in FORGERY_NAMES if name.startswith(("alg-", "hs"))],
    "signature": [
        "other-key",
        "empty-key",
        "payload-edited-after-signing",
        "signature-stripped",
        "signature-truncated",
    ],
    "time-claims": ["expired", "exp-missing", "exp-not-a-number", "iat-missing", "not-yet-valid"],
    "subject": [name for name in FORGERY_NAMES if name.startswith("sub-")],
    "token-id": [name for name in FORGERY_NAMES if name.startswith("jti-")],
    "structure": ["payload-not-an-object", "header-not-an-object", "two-parts", "four-parts"],
}


def test_forgery_groups_cover_every_forgery() -> None:
    grouped = [name for names in FORGERY_GROUPS.values() for name in names]
    assert sorted(grouped) == sorted(FORGERY_NAMES)


@pytest.mark.parametrize("group", list(FORGERY_GROUPS))
def test_forged_tokens_are_refused(scene: Scene, engine: Engine, group: str) -> None:
    client = scene.api.client
    forgeries = _forgeries(scene)
    before = snapshot(engine)
    problems = []
    for name in FORGERY_GROUPS[group]:
        headers = bearer(forgeries[name])
        for response in (
            client.get("/users/me", headers=headers),
            client.post("/tweets/", json={"text": "forged"}, headers=headers),
            client.delete(f"/users/{scene.alice.id}", headers=headers),
            client.delete(f"/users/{scene.bob.id}", headers=headers),
        ):
            challenge = response.headers.get("www-authenticate")
            if response.status_code != 401 or challenge != "Bearer":
                problems.append(
                    f"{name}: {response.request.method} {response.request.url.path} "
                    f"-> {response.status_code} {response.text}"
                )

    assert problems == []
    assert snapshot(engine) == before


def test_the_token_of_a_deleted_user_is_refused(scene: Scene) -> None:
    client = scene.api.client
    gone = scene.api.signup("gone@example.com")
    assert client.delete(f"/users/{gone.id}", headers=gone.headers).status_code == 204

    assert_unauthorized(client.get("/users/me", headers=gone.headers))
    assert_unauthorized(client.post("/tweets/", json={"text": "ghost"}, headers=gone.headers))
    assert_unauthorized(client.get(f"/users/{gone.id}/timeline", headers=gone.headers))
    assert client.get(f"/users/{gone.id}").status_code == 404


def test_the_token_of_a_deleted_user_never_speaks_for_a_later_user(api: Api) -> None:
    """Ids are never reused (SQLite needs AUTOINCREMENT for that): the newest user deleted,
    the next sign-up must not inherit the old token."""
    client = api.client
    api.signup("first@example.com")
    gone = api.signup("gone@example.com")
    assert client.delete(f"/users/{gone.id}", headers=gone.headers).status_code == 204
    newcomer = api.signup("newcomer@example.com")

    me = client.get("/users/me", headers=gone.headers)
    assert me.status_code == 401, f"old token of user {gone.id} now answers {me.json()}"
    assert "newcomer@example.com" not in me.text
    posted = client.post("/tweets/", json={"text": "ghost"}, headers=gone.headers)
    assert posted.status_code == 401
    assert client.get(f"/users/{newcomer.id}/tweets/").json() == []


# --- 4. logging in -----------------------------------------------------------------------


def _comparable(response: Any) -> tuple[int, Any, dict[str, str]]:
    # The date and the request's own id differ from one answer to the next, by design.
    per_answer = ("date", "x-request-id")
    headers = {k: v for k, v in response.headers.items() if k.lower() not in per_answer}
    return response.status_code, response.json(), headers


def test_unknown_login_and_wrong_password_answer_exactly_alike(scene: Scene) -> None:
    api = scene.api
    answers = {
        "unknown email": api.token("nobody@example.com", PASSWORD),
        "wrong password": api.token("alice@example.com", PASSWORD + "!"),
        "unknown username": api.token("nobody", PASSWORD),
        "wrong password by username": api.token("alice", PASSWORD + "!"),
        "malformed login": api.token("not an email@", PASSWORD),
    }
    reference = _comparable(answers["unknown email"])
    assert reference[0] == 401
    assert reference[2].get("www-authenticate") == "Bearer"
    assert "detail" in reference[1]
    for name, response in answers.items():
        assert _comparable(response) == reference, name


def test_login_by_username_works_in_any_letter_case(api: Api) -> None:
    alice = api.signup("alice@example.com", username="Alice")
    api.signup("bob@example.com", username="bob")
    for login in ("Alice", "alice", "ALICE", "aLiCe", " alice "):
        response = api.token(login, PASSWORD)
        assert response.status_code == 200, (login, response.text)
        me = api.client.get("/users/me", headers=bearer(response.json()["access_token"]))
        assert me.json()["id"] == alice.id, login


def test_login_by_email_works_in_any_letter_case(api: Api) -> None:
    alice = api.signup("Alice@Example.com")
    api.signup("bob@example.com")
    for login in ("alice@example.com", "ALICE@EXAMPLE.COM", " Alice@Example.Com "):
        response = api.token(login, PASSWORD)
        assert response.status_code == 200, (login, response.text)
        me = api.client.get("/users/me", headers=bearer(response.json()["access_token"]))
        assert me.json()["id"] == alice.id, login


def test_a_password_out_of_bounds_is_a_plain_401(scene: Scene) -> None:
    """129 characters (one too many), 7 (one too few) and 10 000: 401, never 422 or 500.

    (A body longer than the server's limit, such as a 100 000-character password, is
    refused as a whole with 413 before any login: see test_http_hardening.py.)"""
    wrong = _comparable(scene.api.token("alice@example.com", PASSWORD + "!"))
    for login in ("alice@example.com", "nobody@example.com"):
        for password in ("p" * 129, "q" * 7, "r" * 10_000):
            response = scene.api.token(login, password)
            assert _comparable(response) == wrong, (login, len(password))
            assert password not in response.text


def test_users_me_is_exactly_the_token_user_with_email(scene: Scene) -> None:
    client = scene.api.client
    for account in (scene.alice, scene.bob, scene.carol):
        me = client.get("/users/me", headers=account.headers)
        assert me.status_code == 200
        assert me.json() == {
            **account.user,
            "unread_notifications": me.json()["unread_notifications"],
        }
        assert set(me.json()) == {*account.user, "unread_notifications"}
        assert set(account.user) == {"id", "username", "created_at", "display_name", "bio", "email"}


def test_emails_never_show_in_public_reads_even_to_their_owner(scene: Scene) -> None:
    client = scene.api.client
    alice = scene.alice
    for headers in ({}, alice.headers):
        for path in (
            f"/users/{alice.id}",
            "/users/",
            "/users/by/username/alice",
            f"/users/{scene.bob.id}/followers",
            f"/tweets/{scene.bob_tweet['id']}/liking_users",
        ):
            response = client.get(path, headers=headers)
            assert response.status_code == 200, path
            assert "@example.com" not in response.text, path
            body = response.json()
            for user in body if isinstance(body, list) else [body]:
                assert set(user) == {"id", "username", "created_at", "display_name", "bio"}, path
