"""The web pages over HTTP: every page, the forms and their errors, the session and CSRF
cookies, escaping, the security headers, and the in-place fragments. Runs on SQLite and
PostgreSQL like the rest of the integration suite."""

from __future__ import annotations

import re

import pytest
from dependency_injector import providers
from fastapi.testclient import TestClient
from httpx2 import Response

from tests.integration.api import Api
from tests.integration.conftest import second_client, test_settings
from tests.integration.web_browser import (
    PASSWORD,
    XSS,
    Browser,
    assert_html,
    numbers,
)
from twitter.container import Container


def tweet_texts(api: Api) -> list[str]:
    return [tweet["text"] for tweet in api.get_ok("/tweets/")]


# --- Pages -------------------------------------------------------------------------


def test_every_page_renders_as_html(web: Browser, other: Browser) -> None:
    for path in ("/web/", "/web/signup", "/web/login"):
        assert_html(web.get(path))
    web.sign_up()
    tweet_id = web.tweet("hello pages")
    other.sign_up()
    other.post(f"/web/tweets/{tweet_id}/like")
    for path in ("/web/", "/web/home", f"/web/u/{web.username}", f"/web/tweets/{tweet_id}"):
        response = web.get(path)
        assert_html(response)
        assert "hello pages" in response.text
    liked = web.get(f"/web/tweets/{tweet_id}")
    assert f'href="/web/u/{other.username}"' in liked.text  # who liked it
    assert '<span class="count" data-like-count>1</span> like' in liked.text


def test_every_list_of_tweets_shows_what_the_viewer_liked(web: Browser, other: Browser) -> None:
    web.sign_up()
    liked_id, other_id = web.tweet("liked one"), web.tweet("not liked")
    other.sign_up()
    other.post(f"/web/u/{web.username}/follow")
    other.post(f"/web/tweets/{liked_id}/like")
    for path in ("/web/", "/web/home", f"/web/u/{web.username}", f"/web/tweets/{liked_id}"):
        page = other.get(path).text
        assert f'action="/web/tweets/{liked_id}/unlike"' in page, path
        assert f'action="/web/tweets/{liked_id}/like"' not in page, path
    assert f'action="/web/tweets/{other_id}/like"' in other.get("/web/").text
    assert f'action="/web/tweets/{liked_id}/like"' in web.get("/web/").text


def test_pages_are_html_even_for_errors(web: Browser) -> None:
    for path in ("/web/u/nobody", "/web/u/not-a-name!", "/web/tweets/999", "/web/tweets/abc"):
        assert_html(web.get(path), 404)
    assert_html(web.get("/web/nothing/here"), 404)
    assert_html(web.get("/web/?max_id=-1"), 400)
    assert_html(web.client.put("/web/signup"), 405)


def test_web_without_slash_redirects_to_the_pages(web: Browser) -> None:
    response = web.client.get("/web", follow_redirects=False)
    assert response.status_code == 308
    assert response.headers["location"] == "/web/"


def test_static_files_ship_with_the_package(web: Browser) -> None:
    css = web.client.get("/web/static/app.css")
    js = web.client.get("/web/static/app.js")
    assert css.status_code == js.status_code == 200
    assert "text/css" in css.headers["content-type"]
    assert "javascript" in js.headers["content-type"]


def test_home_needs_a_login(web: Browser) -> None:
    response = web.get("/web/home", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/web/login"


def test_home_shows_own_and_followed_tweets_only(web: Browser, other: Browser) -> None:
    web.sign_up()
    other.sign_up()
    other.tweet("followed tweet")
    stranger = Browser(second_client(web.client))
    stranger.sign_up()
    stranger.tweet("stranger tweet")
    web.post(f"/web/u/{other.username}/follow")
    home = web.get("/web/home").text
    assert "followed tweet" in home
    assert "stranger tweet" not in home


def test_older_link_follows_the_api_cursor(web: Browser, api: Api) -> None:
    web.sign_up()
    account = api.signup()
    tweets = [account.tweet(f"tweet {number}") for number in range(21)]
    page = web.get("/web/")
    newest_twenty = tweets[::-1][:20]
    assert f'href="?max_id={newest_twenty[-1]["id"]}"' in page.text
    older = web.get(f"/web/?max_id={newest_twenty[-1]['id']}")
    assert "tweet 0" in older.text
    assert "tweet 1<" not in older.text
    assert 'rel="next"' not in older.text


def test_times_are_relative_with_the_exact_time_on_hover(web: Browser) -> None:
    web.sign_up()
    web.tweet("timed")
    page = web.get("/web/home").text
    assert re.search(r'<time datetime="[^"]+\+00:00" title="[\d-]+ [\d:]+ UTC">now</time>', page)


def test_profile_counts(web: Browser, other: Browser) -> None:
    web.sign_up()
    first = web.tweet("one")
    web.tweet("two")
    other.sign_up()
    other.post(f"/web/u/{web.username}/follow")
    other.post(f"/web/tweets/{first}/like")
    web.post(f"/web/tweets/{first}/like")
    page = web.get(f"/web/u/{web.username}").text
    counts = dict(re.findall(r'data-stat="(\w+)">(\d+)<', page))
    assert counts == {"tweets": "2", "likes": "1", "followers": "1", "following": "0"}


# --- Accounts ----------------------------------------------------------------------


def test_sign_up_logs_in_with_a_safe_session_cookie(web: Browser, container: Container) -> None:
    response = web.sign_up()
    assert response.headers["location"] == "/web/home"
    cookie = _set_cookie(response, "twitter_session")
    assert "HttpOnly" in cookie
    assert "SameSite=lax" in cookie
    assert "Path=/" in cookie
    minutes = container.settings().access_token_minutes
    assert f"Max-Age={minutes * 60}" in cookie
    assert "Secure" not in cookie  # plain http, TWITTER_COOKIE_SECURE=auto
    assert f"@{web.username}" in web.get("/web/home").text


def test_the_csrf_cookie_is_http_only_and_lax(web: Browser) -> None:
    cookie = _set_cookie(web.get("/web/login"), "twitter_csrf")
    assert "HttpOnly" in cookie
    assert "SameSite=lax" in cookie


def test_cookies_are_secure_and_host_only_over_https(client: TestClient) -> None:
    https = Browser(second_client(client, base_url="https://testserver"))
    for cookie in (
        _set_cookie(https.get("/web/login"), "__Host-twitter_csrf"),
        _set_cookie(https.sign_up(), "__Host-twitter_session"),
    ):
        # What a browser requires of a __Host- cookie, or it drops it.
        assert "Secure" in cookie
        assert "Path=/" in cookie
        assert "domain=" not in cookie.lower()
    assert f"@{https.username}" in https.get("/web/home").text


def test_over_https_a_cookie_without_the_prefix_is_not_read(client: TestClient) -> None:
    """Anyone who can set a cookie for a sibling domain can set an unprefixed one;
    over HTTPS only the __Host- cookies, which only this host can set, count."""
    https = Browser(second_client(client, base_url="https://testserver"))
    https.sign_up()
    session = https.client.cookies["__Host-twitter_session"]
    planted = Browser(second_client(client, base_url="https://testserver"))
    planted.client.cookies.set("twitter_session", session)
    assert "Log in" in planted.get("/web/").text
    assert planted.client.get("/web/home", follow_redirects=False).status_code == 303


def test_cookies_can_be_made_secure_on_plain_http(
    web: Browser, container: Container, database_url: str
) -> None:
    """Behind an HTTPS proxy that does not say so (TWITTER_COOKIE_SECURE=true)."""
    container.settings.override(providers.Object(test_settings(database_url, cookie_secure="true")))
    page = web.get("/web/signup")
    csrf_cookie = _set_cookie(page, "__Host-twitter_csrf")
    assert "Secure" in csrf_cookie
    # The browser speaks HTTPS to the proxy and sends the Secure cookie back.
    web.client.cookies.set("__Host-twitter_csrf", csrf_cookie.split(";")[0].split("=", 1)[1])
    form = {"email": "secure@example.com", "username": "secure", "password": PASSWORD}
    assert "Secure" in _set_cookie(web.post("/web/signup", form), "__Host-twitter_session")


def _set_cookie(response: Response, name: str) -> str:
    cookies = [c for c in response.headers.get_list("set-cookie") if c.startswith(name + "=")]
    assert len(cookies) == 1, response.headers.get_list("set-cookie")
    return cookies[0]


def test_log_out_and_log_in_again(web: Browser) -> None:
    web.sign_up()
    response = web.post("/web/logout")
    assert response.status_code == 303
    assert 'twitter_session=""' in _set_cookie(response, "twitter_session")
    assert "Log in" in web.get("/web/").text
    login = web.post("/web/login", {"login": web.username.upper(), "password": PASSWORD})
    assert login.status_code == 303
    assert login.headers["location"] == "/web/home"
    assert "Log out" in web.get("/web/home").text


def test_wrong_password_is_shown_beside_the_form(web: Browser) -> None:
    web.sign_up()
    web.post("/web/logout")
    response = web.post("/web/login", {"login": web.username, "password": "wrong password"})
    assert_html(response, 401)
    assert "Incorrect username or password" in response.text
    assert f'value="{web.username}"' in response.text  # what was typed stays
    assert "twitter_session" not in response.headers.get("set-cookie", "")


def test_login_throttle_is_shown_beside_the_form(
    web: Browser, container: Container, database_url: str
) -> None:
    container.settings.override(
        providers.Object(test_settings(database_url, login_attempts_per_account=2))
    )
    container.login_throttle.reset()
    for _ in range(2):
        assert (
            web.post("/web/login", {"login": "x@example.com", "password": "nope nope"}).status_code
            == 401
        )
    response = web.post("/web/login", {"login": "x@example.com", "password": "nope nope"})
    assert_html(response, 429)
    assert "Too many login attempts" in response.text
    assert int(response.headers["retry-after"]) > 0


def test_sign_up_throttle_is_shown_beside_the_form(
    web: Browser, container: Container, database_url: str
) -> None:
    container.settings.override(providers.Object(test_settings(database_url, signups_per_client=1)))
    container.signup_throttle.reset()
    web.sign_up()
    web.client.cookies.clear()
    web.get("/web/signup")
    response = web.post("/web/signup", {"email": "late@example.com", "password": PASSWORD})
    assert_html(response, 429)
    assert re.search(
        r'<p class="error" id="form-error">Too many sign-ups from this address', response.text
    )
    assert int(response.headers["retry-after"]) > 0
    assert web.client.get("/users/").json()[-1]["username"] != "late"


@pytest.mark.parametrize(
    ("form", "field", "status", "message"),
    [
        ({"email": "taken@example.com"}, "email", 400, "Email already registered"),
        ({"username": "Taken"}, "username", 400, "Username already taken"),
        ({"email": "not-an-email"}, "email", 422, "email must be a valid email address"),
        ({"username": "bad name!"}, "username", 422, "username must be 1..15"),
        ({"password": "short"}, "password", 422, "password must be 8..128 characters"),
    ],
)
def test_sign_up_errors_are_shown_beside_their_field(
    web: Browser, other: Browser, form: dict[str, str], field: str, status: int, message: str
) -> None:
    other.sign_up("taken")
    other.client.cookies.clear()
    body = {"email": f"new{next(numbers)}@example.com", "username": "", "password": PASSWORD}
    web.get("/web/signup")
    response = web.post("/web/signup", {**body, **form})
    assert_html(response, status)
    assert re.search(rf'<p class="error" id="{field}-error">{re.escape(message)}', response.text)
    assert f'id="{field}"' in response.text


def test_a_form_over_the_body_limit_is_a_page_not_json(web: Browser, api: Api) -> None:
    web.sign_up()
    html_first = {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}
    response = web.post("/web/tweets", {"text": "x" * 20_000}, headers=html_first)
    assert_html(response, 413)
    assert "larger than 16384 bytes" in response.text
    assert tweet_texts(api) == []


def test_a_too_long_tweet_is_shown_beside_the_text(web: Browser, api: Api) -> None:
    web.sign_up()
    response = web.post("/web/tweets", {"text": "x" * 281})
    assert_html(response, 422)
    assert re.search(r'<p class="error" id="text-error">text must be 1\.\.280', response.text)
    assert "x" * 281 + "</textarea>" in response.text
    assert tweet_texts(api) == []


def test_next_never_leaves_the_site(web: Browser) -> None:
    web.sign_up()
    web.post("/web/logout")
    for target in ("https://evil.example/", "//evil.example/web/", "/\\evil.example", "/docs"):
        response = web.post(
            "/web/login", {"login": web.username, "password": PASSWORD, "next": target}
        )
        assert response.headers["location"] == "/web/home", target
    response = web.post(
        "/web/login", {"login": web.username, "password": PASSWORD, "next": "/web/u/x?max_id=3"}
    )
    assert response.headers["location"] == "/web/u/x?max_id=3"


def test_a_stale_session_cookie_is_logged_out_and_cleared(web: Browser) -> None:
    web.client.cookies.set("twitter_session", "not-a-token")
    response = web.get("/web/")
    assert_html(response)
    assert "Log in" in response.text
    assert 'twitter_session=""' in _set_cookie(response, "twitter_session")


# --- Tweets, likes, follows --------------------------------------------------------


def test_like_unlike_follow_unfollow_without_javascript_redirect_back(
    web: Browser, other: Browser
) -> None:
    web.sign_up()
    tweet_id = web.tweet("like me")
    other.sign_up()
    back = f"/web/u/{web.username}"
    for action in (f"/web/tweets/{tweet_id}/like", f"/web/tweets/{tweet_id}/unlike",
                   f"/web/u/{web.username}/follow", f"/web/u/{web.username}/unfollow"):  # fmt: skip
        response = other.post(action, {"next": back})
        assert response.status_code == 303, action
        assert response.headers["location"] == back


def test_in_place_like_answers_the_updated_control_alone(web: Browser, other: Browser) -> None:
    web.sign_up()
    tweet_id = web.tweet("like me in place")
    other.sign_up()
    fetch = {"X-Requested-With": "fetch"}
    liked = other.post(f"/web/tweets/{tweet_id}/like", {"next": "/web/"}, headers=fetch)
    assert_html(liked)
    assert liked.text.startswith('<form class="like"')
    assert f'action="/web/tweets/{tweet_id}/unlike"' in liked.text
    assert '<span class="count" data-like-count>1</span>' in liked.text
    assert 'name="next" value="/web/"' in liked.text
    again = other.post(f"/web/tweets/{tweet_id}/like", headers=fetch)  # a double click
    assert "data-like-count>1<" in again.text
    unliked = other.post(f"/web/tweets/{tweet_id}/unlike", headers=fetch)
    assert f'action="/web/tweets/{tweet_id}/like"' in unliked.text
    assert "data-like-count>0<" in unliked.text


def test_in_place_follow_answers_the_updated_control_alone(web: Browser, other: Browser) -> None:
    web.sign_up()
    other.sign_up()
    fetch = {"X-Requested-With": "fetch"}
    followed = other.post(f"/web/u/{web.username}/follow", headers=fetch)
    assert_html(followed)
    assert followed.text.startswith('<form class="follow"')
    assert f'action="/web/u/{web.username}/unfollow"' in followed.text
    unfollowed = other.post(f"/web/u/{web.username}/unfollow", headers=fetch)
    assert f'action="/web/u/{web.username}/follow"' in unfollowed.text


def test_actions_need_a_login(web: Browser) -> None:
    response = web.post("/web/tweets", {"text": "anonymous"})
    assert response.status_code == 303
    assert response.headers["location"] == "/web/login"
    fragment = web.post("/web/tweets/1/like", headers={"X-Requested-With": "fetch"})
    assert_html(fragment, 401)


def test_only_the_owner_may_delete_a_tweet(web: Browser, other: Browser, api: Api) -> None:
    web.sign_up()
    tweet_id = web.tweet("mine")
    other.sign_up()
    assert_html(other.post(f"/web/tweets/{tweet_id}/delete"), 403)
    assert tweet_texts(api) == ["mine"]
    response = web.post(f"/web/tweets/{tweet_id}/delete", {"next": f"/web/tweets/{tweet_id}"})
    assert response.status_code == 303
    assert tweet_texts(api) == []
    assert_html(web.post(f"/web/tweets/{tweet_id}/delete"), 404)


def test_following_oneself_is_an_html_error(web: Browser) -> None:
    web.sign_up()
    response = web.post(f"/web/u/{web.username}/follow")
    assert_html(response, 400)
    assert "Users cannot follow themselves" in response.text


# --- Security ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("token", "origin"),
    [
        (None, None),
        ("0" * 64, None),
        ("", None),
        ("valid", "https://evil.example"),
        ("valid", "null"),
    ],
)
def test_a_post_without_a_valid_csrf_token_or_from_elsewhere_is_refused(
    web: Browser, api: Api, token: str | None, origin: str | None
) -> None:
    web.sign_up()
    data = {"text": "forged"}
    if token is not None:
        data["csrf_token"] = web.token if token == "valid" else token
    headers = {"Origin": origin} if origin else {}
    response = web.client.post("/web/tweets", data=data, headers=headers, follow_redirects=False)
    assert_html(response, 403)
    assert tweet_texts(api) == []


def test_a_csrf_token_is_bound_to_its_cookie(web: Browser, other: Browser, api: Api) -> None:
    other.get("/web/login")
    web.sign_up()
    web.token = other.token  # a token valid for someone else's cookie
    assert_html(web.post("/web/tweets", {"text": "forged"}), 403)
    assert tweet_texts(api) == []


@pytest.mark.parametrize("attacker_logged_in", [True, False], ids=["own-session", "no-session"])
def test_a_planted_cookie_and_token_pair_does_not_work_for_another_session(
    web: Browser, other: Browser, api: Api, attacker_logged_in: bool
) -> None:
    """A sibling subdomain can plant a CSRF cookie in the victim's browser: a pair the
    attacker got for their own visit was signed for another session, so it fails."""
    if attacker_logged_in:
        other.sign_up()  # now on their home page, whose forms are signed for their session
    else:
        other.get("/web/login")
    planted_cookie, planted_token = other.client.cookies["twitter_csrf"], other.token
    web.sign_up()
    web.client.cookies.delete("twitter_csrf")
    web.client.cookies.set("twitter_csrf", planted_cookie)
    web.token = planted_token
    assert_html(web.post("/web/tweets", {"text": "forged"}), 403)
    assert tweet_texts(api) == []


def test_logging_out_revokes_the_sessions_token(web: Browser, api: Api) -> None:
    web.sign_up()
    token = web.client.cookies["twitter_session"]
    bearer = {"Authorization": f"Bearer {token}"}
    assert api.client.get("/users/me", headers=bearer).status_code == 200
    assert web.post("/web/logout").status_code == 303
    assert api.client.get("/users/me", headers=bearer).status_code == 401
    # A copy of the cookie (another tab's, a stolen one) logs no one in either.
    web.client.cookies.set("twitter_session", token)
    assert "Log in" in web.get("/web/").text
    assert web.client.get("/web/home", follow_redirects=False).status_code == 303


def test_a_cookie_value_we_did_not_make_is_replaced_not_signed(web: Browser) -> None:
    web.client.cookies.set("twitter_csrf", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0")
    response = web.get("/web/login")
    assert _set_cookie(response, "twitter_csrf") != ""


def test_the_same_origin_is_accepted(web: Browser) -> None:
    web.sign_up()
    response = web.post("/web/tweets", {"text": "ok"}, headers={"Origin": "http://testserver"})
    assert response.status_code == 303


def test_user_text_is_escaped_on_every_page(web: Browser, other: Browser) -> None:
    web.sign_up()
    tweet_id = web.tweet(XSS)
    other.sign_up()
    other.post(f"/web/tweets/{tweet_id}/like")
    for path in ("/web/", "/web/home", f"/web/u/{web.username}", f"/web/tweets/{tweet_id}"):
        page = web.get(path).text
        assert "<script>alert" not in page
        assert "<img src=x" not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    fragment = other.post(f"/web/tweets/{tweet_id}/unlike", headers={"X-Requested-With": "fetch"})
    assert "<script>alert" not in fragment.text


def test_pages_have_a_strict_content_security_policy(web: Browser) -> None:
    web.sign_up()
    for response in (web.get("/web/"), web.get("/web/nothing"), web.post("/web/tweets")):
        policy = response.headers["content-security-policy"]
        assert "unsafe-inline" not in policy
        assert "script-src 'self'" in policy
        assert "default-src 'none'" in policy
        assert "frame-ancestors 'none'" in policy
        assert response.headers["x-content-type-options"] == "nosniff"


def test_templates_have_no_inline_script_or_style(web: Browser) -> None:
    web.sign_up()
    web.tweet("look")
    page = web.get("/web/home").text
    assert re.search(r"<script(?![^>]*\bsrc=)", page) is None
    assert " style=" not in page
    assert "<style" not in page
    assert re.search(r"\son[a-z]+=", page) is None


def test_every_input_has_a_label(web: Browser) -> None:
    web.sign_up()
    web.tweet("label check")
    pages = [web.get("/web/home").text]
    web.post("/web/logout")
    pages += [web.get("/web/signup").text, web.get("/web/login").text]
    for path, page in zip(("/web/home", "/web/signup", "/web/login"), pages, strict=True):
        ids = re.findall(r'<(?:input|textarea)(?![^>]*type="hidden")[^>]*\bid="([^"]+)"', page)
        assert ids, path
        for name in ids:
            assert f'<label for="{name}">' in page, (path, name)


# --- GET / ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "accept",
    [
        "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
        "text/html",
        "application/json;q=0.5, text/html",
    ],
)
def test_a_browser_at_the_root_is_sent_to_the_pages(client: TestClient, accept: str) -> None:
    response = client.get("/", headers={"Accept": accept}, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/web/"


@pytest.mark.parametrize(
    "accept", [None, "*/*", "application/json", "text/html;q=0.5, application/json", "text/*, */*"]
)
def test_any_other_client_at_the_root_gets_the_json(client: TestClient, accept: str | None) -> None:
    headers = {"Accept": accept} if accept is not None else {}
    if accept is None:
        client.headers.pop("accept", None)
    response = client.get("/", headers=headers, follow_redirects=False)
    assert response.status_code == 200
    assert response.json()["name"] == "twitter"
