"""No input ever yields a 500: NUL bytes, lone surrogates, out-of-range ids, wrong JSON
types, oversize values and fields the server owns. Every 4xx has a ``detail``; no 422
echoes its input. See the SECURITY CHECKLIST, items 6, 8, 11, 13-15.

Each test sends a table of requests and reports every one that misbehaved at once."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from argon2 import PasswordHasher
from sqlalchemy import Engine, text

from tests.integration.api import PASSWORD, Account, Api

JSON = {"content-type": "application/json"}
FORM = {"content-type": "application/x-www-form-urlencoded"}
HUGE_IDS = [2**64, 10**30, 2**63, -1, 0]


@dataclass
class World:
    api: Api
    alice: Account
    bob: Account
    tweet: dict[str, Any]
    bob_tweet: dict[str, Any]


@pytest.fixture
def world(api: Api) -> World:
    """Alice and Bob each tweeted, like each other's tweet and follow each other."""
    alice = api.signup("alice@example.com", username="alice")
    bob = api.signup("bob@example.com", username="bob")
    tweet = alice.tweet("alice's")
    bob_tweet = bob.tweet("bob's")
    assert alice.like(bob_tweet["id"]).status_code == 201
    assert bob.like(tweet["id"]).status_code == 201
    assert alice.follow(bob.id).status_code == 201
    assert bob.follow(alice.id).status_code == 201
    return World(api, alice, bob, tweet, bob_tweet)


@dataclass
class Req:
    """A request and the status it must get (one, or any of several)."""

    method: str
    path: str
    expected: int | tuple[int, ...]
    json: Any = None
    content: bytes | None = None
    form: dict[str, str] | None = None
    auth: bool = True
    secrets: tuple[str, ...] = field(default=())


def _has_key(value: Any, key: str) -> bool:
    if isinstance(value, dict):
        return key in value or any(_has_key(v, key) for v in value.values())
    if isinstance(value, list):
        return any(_has_key(v, key) for v in value)
    return False


def problem_with(response: Any, expected: int | tuple[int, ...], hidden: tuple[str, ...]) -> str:
    """What is wrong with the answer, or "" when it is right."""
    allowed = (expected,) if isinstance(expected, int) else expected
    status = response.status_code
    seen = f"{response.request.method} {response.request.url} -> {status} {response.text[:300]}"
    if status >= 500 or status not in allowed:
        return f"{seen} (expected {expected})"
    if status >= 400:
        try:
            body = response.json()
        except ValueError:
            return f"{seen} (the body is not JSON)"
        if not isinstance(body, dict) or "detail" not in body:
            return f"{seen} (no detail)"
        if status == 422 and _has_key(body, "input"):
            return f"{seen} (the 422 echoes its input)"
    for secret in hidden:
        if secret in response.text:
            return f"{seen} (echoes {secret[:20]!r}...)"
    return ""


def send(world: World, request: Req) -> Any:
    headers: dict[str, str] = dict(world.alice.headers) if request.auth else {}
    if request.content is not None:
        headers.setdefault("content-type", JSON["content-type"])
        return world.api.client.request(
            request.method, request.path, content=request.content, headers=headers
        )
    if request.form is not None:
        return world.api.client.request(
            request.method, request.path, data=request.form, headers=headers
        )
    return world.api.client.request(
        request.method, request.path, json=request.json, headers=headers
    )


def run(world: World, requests: list[Req]) -> list[str]:
    problems = []
    for request in requests:
        found = problem_with(send(world, request), request.expected, request.secrets)
        if found:
            problems.append(found)
    return problems


def no_problems(problems: list[str]) -> None:
    assert not problems, "\n".join(["", *problems])


def check(response: Any, expected: int | tuple[int, ...], *hidden: str) -> None:
    found = problem_with(response, expected, hidden)
    assert not found, found


def row_counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as connection:
        return {
            table: connection.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()
            for table in ("users", "tweets", "likes", "follows")
        }


# --- NUL bytes ---------------------------------------------------------------------------


def _nul_requests(w: World) -> dict[str, list[Req]]:
    a, t = w.alice.id, w.tweet["id"]
    return {
        "sign-up": [
            Req("POST", "/users/", 422, {"email": "nul\u0000@example.com", "password": PASSWORD}),
            Req("POST", "/users/", 422, {"email": "nul@exam\u0000ple.com", "password": PASSWORD}),
            Req("POST", "/users/", 422, {"email": "\u0000", "password": PASSWORD}),
            Req(
                "POST",
                "/users/",
                422,
                {"email": "nul@example.com", "password": PASSWORD, "username": "nu\u0000l"},
            ),
        ],
        "tweet-text": [
            Req("POST", "/tweets/", 422, {"text": "before\u0000after"}),
            Req("POST", "/tweets/", 422, {"text": "\u0000"}),
            Req("POST", f"/users/{a}/tweets/", 422, {"text": "nul\u0000"}),
        ],
        "login": [
            Req(
                "POST",
                "/token",
                401,
                form={"username": "alice@example.com\u0000", "password": PASSWORD},
            ),
            Req("POST", "/token", 401, form={"username": "ali\u0000ce", "password": PASSWORD}),
            Req("POST", "/token", 401, form={"username": "\u0000", "password": PASSWORD}),
            Req("POST", "/token", 401, form={"username": "alice", "password": PASSWORD + "\u0000"}),
        ],
        "path-and-query": [
            Req("GET", "/users/by/username/a%00b", 404),
            Req("GET", "/users/by/username/%00", 404),
            Req("GET", "/users/%00", 422),
            Req("GET", f"/users/{a}%00", 422),
            Req("GET", "/users/%00/tweets/", 422),
            Req("GET", "/users/%00/likes/", 422),
            Req("GET", "/users/%00/liked_tweets/", 422),
            Req("GET", "/users/%00/following", 422),
            Req("GET", "/users/%00/followers", 422),
            Req("GET", "/users/%00/timeline", 422),
            Req("GET", "/tweets/%00", 422),
            Req("GET", "/tweets/%00/liking_users", 422),
            Req("POST", "/users/%00/tweets/", 422, {"text": "hi"}),
            Req("POST", "/users/%00/likes/", 422, {"tweet_id": t}),
            Req("POST", "/users/%00/following", 422, {"target_user_id": w.bob.id}),
            Req("DELETE", "/tweets/%00", 422),
            Req("DELETE", f"/users/{a}/likes/%00", 422),
            Req("DELETE", f"/users/{a}/following/%00", 422),
            Req("DELETE", "/users/%00", 422),
            Req("GET", "/tweets/?max_id=%00", 422),
            Req("GET", "/tweets/?since_id=1%00", 422),
            Req("GET", "/users/?limit=%00", 422),
            Req("GET", "/users/?skip=%00", 422),
        ],
    }


NUL_GROUPS = ["sign-up", "tweet-text", "login", "path-and-query"]


@pytest.mark.parametrize("group", NUL_GROUPS)
def test_nul_bytes_are_refused_cleanly(world: World, engine: Engine, group: str) -> None:
    before = row_counts(engine)
    no_problems(run(world, _nul_requests(world)[group]))
    assert row_counts(engine) == before


def test_a_password_with_a_nul_byte_either_is_refused_or_works(world: World) -> None:
    """Passwords are any characters; if the server takes a NUL it must also log in with it."""
    password = "before\u0000after"
    response = world.api.register("nul-password@example.com", password)
    check(response, (201, 422), password)
    if response.status_code == 201:
        assert world.api.token("nul-password@example.com", password).status_code == 200
        assert world.api.token("nul-password@example.com", "before").status_code == 401


# --- lone surrogates (only raw JSON can carry them) -----------------------------------


def _raw(template: str, value: str) -> bytes:
    """A JSON document with ``value`` pasted in verbatim (escapes stay escapes)."""
    return template.replace("$", value).encode()


SURROGATES = ["\\ud800", "\\udfff", "\\udc00\\ud800", "a\\ud83d b"]


def _surrogate_requests(w: World, s: str) -> list[Req]:
    a = w.alice.id
    password = f'"{PASSWORD}"'
    return [
        Req("POST", "/users/", 422, content=_raw(f'{{"email": "$", "password": {password}}}', s)),
        Req(
            "POST",
            "/users/",
            422,
            content=_raw(f'{{"email": "s$@example.com", "password": {password}}}', s),
        ),
        Req(
            "POST",
            "/users/",
            422,
            content=_raw(f'{{"email": "s@ex$.com", "password": {password}}}', s),
        ),
        Req(
            "POST",
            "/users/",
            422,
            content=_raw('{"email": "sur@example.com", "password": "longenough$"}', s),
            auth=False,
        ),
        Req(
            "POST",
            "/users/",
            422,
            content=_raw(
                f'{{"email": "sur@example.com", "password": {password}, "username": "$"}}', s
            ),
        ),
        Req("POST", "/tweets/", 422, content=_raw('{"text": "$"}', s)),
        Req("POST", "/tweets/", 422, content=_raw('{"text": "fine $ text"}', s)),
        Req("POST", f"/users/{a}/tweets/", 422, content=_raw('{"text": "$"}', s)),
        Req("POST", f"/users/{a}/likes/", 422, content=_raw('{"tweet_id": "$"}', s)),
        Req("POST", f"/users/{a}/following", 422, content=_raw('{"target_user_id": "$"}', s)),
        # An unknown key is ignored or refused, never a 500.
        Req("POST", "/tweets/", (201, 422), content=_raw('{"text": "ok", "$": 1}', s)),
    ]


@pytest.mark.parametrize("surrogate", SURROGATES)
def test_lone_surrogates_in_json_strings_are_refused_cleanly(
    world: World, engine: Engine, surrogate: str
) -> None:
    before = row_counts(engine)
    problems = run(world, _surrogate_requests(world, surrogate))
    no_problems(problems)
    after = row_counts(engine)
    # Only the last request (an unknown key) may have made a tweet.
    assert after["users"] == before["users"]
    assert after["tweets"] - before["tweets"] in (0, 1)


def _undecodable(alice: int) -> list[tuple[str, bytes]]:
    """JSON bodies that are not UTF-8, or not decodable at all, on each body route."""
    return [
        ("/tweets/", b'{"text": "\xff\xfe"}'),
        ("/tweets/", b'{"text": "\xed\xa0\x80"}'),
        ("/tweets/", b"\xff\xfe\x00{"),
        (f"/users/{alice}/tweets/", b'{"text": "caf\xe9"}'),
        (f"/users/{alice}/likes/", b'{"tweet_id": \xff}'),
        (f"/users/{alice}/following", b'{"target_user_id": 1' + b"0" * 5000 + b"}"),
        ("/users/", b'{"email": "\xc0@example.com", "password": "longenough"}'),
    ]


def test_bytes_that_are_no_text_are_refused_cleanly(world: World) -> None:
    a = world.alice.id
    requests = [
        *[Req("POST", path, 422, content=body) for path, body in _undecodable(a)],
        Req("GET", "/users/by/username/%ED%A0%80", 404),
        Req("GET", "/users/by/username/%FF%FE", 404),
        Req("GET", "/users/%ED%A0%80", 422),
        Req("GET", "/tweets/%FF", 422),
        Req("GET", "/tweets/?max_id=%ED%A0%80", 422),
    ]
    login = [
        b"username=%ED%A0%80&password=" + PASSWORD.encode(),
        b"username=alice%ED%A0%80&password=" + PASSWORD.encode(),
        b"username=alice&password=%ED%A0%80%ED%A0%80%ED%A0%80%ED%A0%80",
        b"username=%FF%FE&password=%FF%FE%FF%FE%FF%FE%FF%FE",
    ]
    requests += [Req("POST", "/token", 401, content=body) for body in login]
    problems = []
    for request in requests:
        headers = dict(world.alice.headers)
        headers["content-type"] = (FORM if request.path == "/token" else JSON)["content-type"]
        response = world.api.client.request(
            request.method, request.path, content=request.content, headers=headers
        )
        found = problem_with(response, request.expected, ())
        if found:
            problems.append(found)
    no_problems(problems)


# --- ids out of range ------------------------------------------------------------------


def _id_requests(w: World, group: str, x: int) -> list[Req]:
    a, b, t = w.alice.id, w.bob.id, w.tweet["id"]
    mine_or_nobodys = (403, 404)
    if group == "public-reads":
        return [
            Req("GET", f"/users/{x}", 404, auth=False),
            Req("GET", f"/users/{x}/tweets/", 404, auth=False),
            Req("GET", f"/users/{x}/likes/", 404, auth=False),
            Req("GET", f"/users/{x}/liked_tweets/", 404, auth=False),
            Req("GET", f"/users/{x}/following", 404, auth=False),
            Req("GET", f"/users/{x}/followers", 404, auth=False),
            Req("GET", f"/tweets/{x}", 404, auth=False),
            Req("GET", f"/tweets/{x}/liking_users", 404, auth=False),
        ]
    if group == "acting-user-in-path":
        return [
            Req("GET", f"/users/{x}/timeline", mine_or_nobodys),
            Req("POST", f"/users/{x}/tweets/", mine_or_nobodys, {"text": "hi"}),
            Req("POST", f"/users/{x}/likes/", mine_or_nobodys, {"tweet_id": t}),
            Req("DELETE", f"/users/{x}/likes/{w.bob_tweet['id']}", mine_or_nobodys),
            Req("POST", f"/users/{x}/following", mine_or_nobodys, {"target_user_id": b}),
            Req("DELETE", f"/users/{x}/following/{b}", mine_or_nobodys),
            Req("DELETE", f"/users/{x}", mine_or_nobodys),
        ]
    if group == "target-in-path":
        return [
            Req("DELETE", f"/tweets/{x}", 404),
            Req("DELETE", f"/users/{a}/likes/{x}", 404),
            Req("DELETE", f"/users/{a}/following/{x}", 404),
        ]
    assert group == "target-in-body"
    return [
        Req("POST", f"/users/{a}/likes/", 404, {"tweet_id": x}),
        Req("POST", f"/users/{a}/following", 404, {"target_user_id": x}),
        Req("POST", f"/users/{a}/likes/", 422, content=f'{{"tweet_id": {x}.5}}'.encode()),
        Req("POST", f"/users/{a}/following", 422, content=f'{{"target_user_id": "{x}x"}}'.encode()),
    ]


ID_GROUPS = ["public-reads", "acting-user-in-path", "target-in-path", "target-in-body"]


@pytest.mark.parametrize("group", ID_GROUPS)
def test_ids_out_of_range_are_404_or_403_never_500(
    world: World, engine: Engine, group: str
) -> None:
    before = row_counts(engine)
    problems = [p for x in HUGE_IDS for p in run(world, _id_requests(world, group, x))]
    no_problems(problems)
    assert row_counts(engine) == before


def _lists(w: World) -> list[str]:
    a, t = w.alice.id, w.tweet["id"]
    return [
        "/users/",
        "/tweets/",
        f"/users/{a}/tweets/",
        f"/users/{a}/likes/",
        f"/users/{a}/liked_tweets/",
        f"/users/{a}/following",
        f"/users/{a}/followers",
        f"/tweets/{t}/liking_users",
        f"/users/{a}/timeline",
    ]


CURSORS = {
    "max_id": {2**64: 422, 10**30: 422, 2**63: 422, -1: 422, "abc": 422, "1.5": 422},
    "since_id": {2**64: 422, 10**30: 422, 2**63: 422, -1: 422, "abc": 422, "": 422},
    "skip": {2**64: 422, 10**30: 422, 2**63: 422, -1: 422, "abc": 422, "": 422},
    "limit": {0: 422, -1: 422, 201: 422, 2**64: 422, "abc": 422, 200: 200, 1: 200},
}


@pytest.mark.parametrize("param", list(CURSORS))
def test_query_cursors_out_of_range_are_422_never_500(world: World, param: str) -> None:
    requests = [
        Req("GET", f"{path}?{param}={value}", status)
        for path in _lists(world)
        for value, status in CURSORS[param].items()
    ]
    no_problems(run(world, requests))


@pytest.mark.parametrize("param", ["max_id", "since_id"])
def test_cursors_at_the_edges_of_the_id_range_answer_pages(world: World, param: str) -> None:
    """0 and 2**63-1 are legal cursors: one end answers everything, the other nothing."""
    everything, nothing = (2**63 - 1, 0) if param == "max_id" else (0, 2**63 - 1)
    for path in _lists(world):
        full = world.api.client.get(f"{path}?{param}={everything}", headers=world.alice.headers)
        empty = world.api.client.get(f"{path}?{param}={nothing}", headers=world.alice.headers)
        assert full.status_code == empty.status_code == 200, path
        assert full.json() == world.api.client.get(path, headers=world.alice.headers).json()
        assert empty.json() == [], path


HUGE_SKIPS = [10**18, 2**63 - 40, 2**63 - 1]


def test_a_skip_beyond_every_item_answers_an_empty_page(world: World) -> None:
    """Also where the skip is added to the limit (the PostgreSQL home timeline): no overflow."""
    problems = []
    for path in _lists(world):
        assert world.api.client.get(path, headers=world.alice.headers).json() != [], path
        for skip in HUGE_SKIPS:
            for limit in (1, 200):
                response = world.api.client.get(
                    f"{path}?skip={skip}&limit={limit}", headers=world.alice.headers
                )
                found = problem_with(response, 200, ())
                if found or response.json() != []:
                    problems.append(found or f"{path}?skip={skip}: {response.text}")
    no_problems(problems)


# --- wrong JSON types and broken bodies -------------------------------------------------

BROKEN_BODIES: list[bytes] = [
    b"",
    b"{",
    b'{"text": "unterminated',
    b"[]",
    b"null",
    b'"a string"',
    b"42",
    b"{}",
    b"{'single': 'quotes'}",
    b"{} {}",
]


def _typed_requests(w: World, route: str) -> list[Req]:
    a = w.alice.id
    if route in ("tweets", "user-tweets"):
        path = "/tweets/" if route == "tweets" else f"/users/{a}/tweets/"
        wrong: list[Any] = [
            {"text": 123},
            {"text": None},
            {"text": True},
            {"text": []},
            {"text": {"text": "nested"}},
            {"txt": "typo"},
            [{"text": "in a list"}],
        ]
        return [Req("POST", path, 422, body) for body in wrong]
    if route == "likes":
        wrong = [
            {"tweet_id": "abc"},
            {"tweet_id": 1.5},
            {"tweet_id": None},
            {"tweet_id": []},
            {"tweet_id": {}},
            {"tweet_id": "1.5"},
            {"tweet_id": 1e30},
            {"tweet_id": "Infinity"},
            {},
            [{"tweet_id": w.bob_tweet["id"]}],
        ]
        raw = [b'{"tweet_id": NaN}', b'{"tweet_id": Infinity}', b'{"tweet_id": 1e400}']
        return [Req("POST", f"/users/{a}/likes/", 422, body) for body in wrong] + [
            Req("POST", f"/users/{a}/likes/", 422, content=body) for body in raw
        ]
    if route == "follows":
        wrong = [
            {"target_user_id": "abc"},
            {"target_user_id": 1.5},
            {"target_user_id": None},
            {"target_user_id": [w.bob.id]},
            {"target_user_id": {"id": w.bob.id}},
            {},
        ]
        return [Req("POST", f"/users/{a}/following", 422, body) for body in wrong]
    assert route == "sign-up"
    wrong = [
        {"email": 123, "password": PASSWORD},
        {"email": None, "password": PASSWORD},
        {"email": ["x@example.com"], "password": PASSWORD},
        {"email": "typed@example.com", "password": 12345678},
        {"email": "typed@example.com", "password": None},
        {"email": "typed@example.com", "password": PASSWORD, "username": 123},
        {"email": "typed@example.com", "password": PASSWORD, "username": ["x"]},
        {"email": "typed@example.com"},
        {"password": PASSWORD},
        [{"email": "typed@example.com", "password": PASSWORD}],
    ]
    return [Req("POST", "/users/", 422, body, auth=False) for body in wrong]


BODY_ROUTES = ["tweets", "user-tweets", "likes", "follows", "sign-up"]


@pytest.mark.parametrize("route", BODY_ROUTES)
def test_wrong_json_types_and_broken_bodies_are_422(
    world: World, engine: Engine, route: str
) -> None:
    before = row_counts(engine)
    requests = _typed_requests(world, route)
    path = requests[0].path
    requests += [Req("POST", path, 422, content=body) for body in BROKEN_BODIES]
    no_problems(run(world, requests))
    assert row_counts(engine) == before


def test_login_with_a_malformed_form_is_422_or_401(world: World) -> None:
    client = world.api.client
    check(client.post("/token", data={"username": "alice"}), 422)
    check(client.post("/token", data={"password": PASSWORD}), 422)
    check(client.post("/token", json={"username": "alice", "password": PASSWORD}), 422)
    check(client.post("/token", content=b"", headers=FORM), 422)
    check(client.post("/token", content=b"%%%=&&=", headers=FORM), 422)
    no_boundary = {"Content-Type": "multipart/form-data"}
    check(client.post("/token", content=b"username=a&password=b", headers=no_boundary), 422)
    broken_multipart = {"Content-Type": "multipart/form-data; boundary=xyz"}
    check(client.post("/token", content=b"--xyz\r\nnonsense", headers=broken_multipart), 422)
    secret = "S3cret-" + secrets.token_hex(8)
    check(client.post("/token", data={"username": "", "password": secret}), (401, 422), secret)
    check(client.post("/token", data={"username": "a" * 10_000, "password": secret}), 401, secret)


# --- sizes and formats ---------------------------------------------------------------


def test_tweet_text_length_is_bounded(world: World, engine: Engine) -> None:
    a = world.alice.id
    requests = []
    for path in ("/tweets/", f"/users/{a}/tweets/"):
        requests += [
            Req("POST", path, 422, {"text": "x" * 10_000}),
            Req("POST", path, 422, {"text": "x" * 281}),
            Req("POST", path, 422, {"text": "🐍" * 281}),
            Req("POST", path, 422, {"text": ""}),
            Req("POST", path, 422, {"text": " \n\t "}),
        ]
    before = row_counts(engine)
    no_problems(run(world, requests))
    assert row_counts(engine) == before
    for body in ({"text": "x" * 280}, {"text": "🐍" * 280}, {"text": "  " + "y" * 280 + "  "}):
        response = world.api.client.post("/tweets/", json=body, headers=world.alice.headers)
        check(response, 201)
        assert response.json()["text"] == body["text"].strip()


BAD_EMAILS = [
    "test@test",
    "a@",
    "@example.com",
    "plainaddress",
    "a b@example.com",
    "a@@example.com",
    "a@example..com",
    "",
    " ",
    "a" * 288 + "@example.com",  # 300 characters
    "a" * 65 + "@example.com",  # local part too long
    "a@" + "b" * 250 + ".com",
]


def test_malformed_emails_are_422_and_create_nobody(world: World, engine: Engine) -> None:
    assert len(BAD_EMAILS[9]) == 300
    before = row_counts(engine)
    requests = [
        Req("POST", "/users/", 422, {"email": email, "password": PASSWORD}, auth=False)
        for email in BAD_EMAILS
    ]
    no_problems(run(world, requests))
    assert row_counts(engine) == before


def _password(length: int) -> str:
    """A password no answer could contain by chance."""
    return ("Pw" + secrets.token_hex(length))[:length]


@pytest.mark.parametrize(
    ("length", "status"), [(7, 422), (8, 201), (128, 201), (129, 422), (1000, 422)]
)
def test_password_length_bounds(api: Api, length: int, status: int) -> None:
    password = _password(length)
    assert len(password) == length
    response = api.register("bounds@example.com", password)
    check(response, status, password)
    if status == 201:
        assert api.token("bounds@example.com", password).status_code == 200
        assert api.token("bounds@example.com", password[:-1]).status_code == 401
    else:
        assert "password" in str(response.json()["detail"])
        assert api.token("bounds@example.com", password).status_code == 401


def test_unicode_and_spaces_make_a_good_password(api: Api) -> None:
    password = "ünïcødé pässwörd 🔑"
    check(api.register("unicode@example.com", password), 201, password)
    assert api.token("unicode@example.com", password).status_code == 200


# --- fields the server owns -------------------------------------------------------------

LONG_AGO = "2000-01-01T00:00:00Z"


def _recent(timestamp: str) -> bool:
    moment = datetime.fromisoformat(timestamp.replace("Z", "+00:00"))
    return abs(datetime.now(UTC) - moment) < timedelta(minutes=5)


def test_sign_up_ignores_fields_the_server_owns(world: World, engine: Engine) -> None:
    planted = PasswordHasher(memory_cost=64, time_cost=1).hash("attacker-chosen")
    response = world.api.client.post(
        "/users/",
        json={
            "email": "mass@example.com",
            "password": PASSWORD,
            "id": 999,
            "created_at": LONG_AGO,
            "hashed_password": planted,
            "is_admin": True,
            "username_lower": "alice",
        },
    )
    check(response, 201)
    user = response.json()
    assert set(user) == {"id", "username", "created_at", "display_name", "bio", "email"}
    assert user["id"] != 999
    assert _recent(user["created_at"])
    assert world.api.client.get("/users/999").status_code == 404
    with engine.connect() as connection:
        stored = connection.execute(
            text("SELECT hashed_password FROM users WHERE id = :id"), {"id": user["id"]}
        ).scalar_one()
    assert stored != planted
    assert stored.startswith("$argon2id$")
    assert world.api.token("mass@example.com", "attacker-chosen").status_code == 401
    assert world.api.token("mass@example.com", PASSWORD).status_code == 200


@pytest.mark.parametrize("route", ["tweets", "user-tweets"])
def test_posting_a_tweet_ignores_fields_the_server_owns(
    world: World, engine: Engine, route: str
) -> None:
    path = "/tweets/" if route == "tweets" else f"/users/{world.alice.id}/tweets/"
    response = world.api.client.post(
        path,
        json={
            "text": "mine",
            "id": 999,
            "owner_id": world.bob.id,
            "like_count": 7,
            "reply_count": 7,
            "retweet_count": 7,
            "conversation_id": 1,
            "referenced_tweets": [{"type": "retweeted", "id": 1}],
            "entities": {"hashtags": [{"start": 0, "end": 2, "tag": "x"}], "mentions": []},
            "created_at": LONG_AGO,
            "email": "leak@example.com",
            "hashed_password": "$argon2id$planted",
        },
        headers=world.alice.headers,
    )
    check(response, 201)
    tweet = response.json()
    assert tweet["id"] != 999
    assert (tweet["reply_count"], tweet["retweet_count"], tweet["referenced_tweets"]) == (0, 0, [])
    assert tweet["conversation_id"] == tweet["id"]
    assert tweet["entities"] == {"hashtags": [], "mentions": []}
    assert (tweet["text"], tweet["owner_id"], tweet["like_count"]) == ("mine", world.alice.id, 0)
    assert _recent(tweet["created_at"])
    assert world.api.client.get(f"/tweets/{tweet['id']}").json() == tweet
    assert world.api.client.get("/tweets/999").status_code == 404
    with engine.connect() as connection:
        row = connection.execute(
            text("SELECT owner_id, like_count FROM tweets WHERE id = :id"), {"id": tweet["id"]}
        ).one()
    assert tuple(row) == (world.alice.id, 0)


def test_liking_ignores_fields_the_server_owns(world: World) -> None:
    client = world.api.client
    bobs_likes = client.get(f"/users/{world.bob.id}/likes/").json()
    count = client.get(f"/tweets/{world.tweet['id']}").json()["like_count"]
    response = client.post(
        f"/users/{world.alice.id}/likes/",
        json={
            "tweet_id": world.tweet["id"],
            "id": 999,
            "owner_id": world.bob.id,
            "created_at": LONG_AGO,
        },
        headers=world.alice.headers,
    )
    check(response, 201)
    like = response.json()
    assert like["id"] != 999
    assert (like["owner_id"], like["tweet_id"]) == (world.alice.id, world.tweet["id"])
    assert _recent(like["created_at"])
    assert client.get(f"/users/{world.bob.id}/likes/").json() == bobs_likes
    assert client.get(f"/tweets/{world.tweet['id']}").json()["like_count"] == count + 1


def test_following_ignores_fields_the_server_owns(world: World) -> None:
    client = world.api.client
    carol = world.api.signup("carol@example.com", username="carol")
    bob_follows = client.get(f"/users/{world.bob.id}/following").json()
    response = client.post(
        f"/users/{carol.id}/following",
        json={
            "target_user_id": world.alice.id,
            "follower_id": world.bob.id,
            "followee_id": world.bob.id,
            "id": 999,
            "created_at": LONG_AGO,
        },
        headers=carol.headers,
    )
    check(response, 201)
    follow = response.json()
    assert (follow["follower_id"], follow["followee_id"]) == (carol.id, world.alice.id)
    assert _recent(follow["created_at"])
    assert client.get(f"/users/{world.bob.id}/following").json() == bob_follows
    followers = client.get(f"/users/{world.alice.id}/followers").json()
    assert [u["id"] for u in followers] == [carol.id, world.bob.id]
