"""The web pages' pure helpers: relative times, CSRF tokens, Accept negotiation."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from twitter.adapters.http.negotiation import prefers_html
from twitter.adapters.web import csrf
from twitter.adapters.web.timefmt import exact_time, iso_time, relative_time

NOW = datetime(2026, 5, 17, 12, 0, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("ago", "shown"),
    [
        (timedelta(0), "now"),
        (timedelta(seconds=4), "now"),
        (timedelta(seconds=5), "5 s"),
        (timedelta(seconds=59), "59 s"),
        (timedelta(minutes=3, seconds=10), "3 min"),
        (timedelta(minutes=59, seconds=59), "59 min"),
        (timedelta(hours=2, minutes=30), "2 h"),
        (timedelta(days=4, hours=1), "4 d"),
        (timedelta(days=6, hours=23), "6 d"),
        (timedelta(days=7), "10 May"),
        (timedelta(days=400), "12 Apr 2025"),
        (timedelta(seconds=-30), "17 May"),  # a clock running ahead: the date
    ],
)
def test_relative_time(ago: timedelta, shown: str) -> None:
    assert relative_time(NOW - ago, NOW) == shown


def test_exact_and_iso_times_are_utc() -> None:
    moment = datetime(2026, 1, 2, 3, 4, 5, 600_000, tzinfo=UTC)
    assert exact_time(moment) == "2026-01-02 03:04:05 UTC"
    assert iso_time(moment) == "2026-01-02T03:04:05.600000+00:00"


KEY = csrf.derive_key("s" * 48)


def test_a_token_matches_its_own_cookie_only() -> None:
    cookie, other = csrf.new_cookie_value(), csrf.new_cookie_value()
    token = csrf.token_for(KEY, cookie, None)
    assert csrf.token_matches(KEY, cookie, None, token)
    assert not csrf.token_matches(KEY, other, None, token)
    assert not csrf.token_matches(csrf.derive_key("t" * 48), cookie, None, token)


def test_a_token_matches_the_session_it_was_issued_for_only() -> None:
    cookie = csrf.new_cookie_value()
    token = csrf.token_for(KEY, cookie, "session-of-ada")
    assert csrf.token_matches(KEY, cookie, "session-of-ada", token)
    assert not csrf.token_matches(KEY, cookie, "session-of-bob", token)
    assert not csrf.token_matches(KEY, cookie, None, token)
    logged_out = csrf.token_for(KEY, cookie, None)
    assert not csrf.token_matches(KEY, cookie, "session-of-ada", logged_out)


@pytest.mark.parametrize("token", [None, "", "0" * 64, "not hex", "\udc80"])
def test_missing_or_wrong_tokens_do_not_match(token: str | None) -> None:
    assert not csrf.token_matches(KEY, csrf.new_cookie_value(), None, token)


def test_a_cookie_value_we_did_not_make_never_matches() -> None:
    forged = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0"
    assert not csrf.is_cookie_value(forged)
    assert not csrf.token_matches(KEY, forged, None, csrf.token_for(KEY, forged, None))
    assert not csrf.is_cookie_value(None)
    assert csrf.is_cookie_value(csrf.new_cookie_value())


def test_the_key_is_derived_not_the_secret_itself() -> None:
    assert ("s" * 48).encode() != KEY
    assert len(KEY) == 32


@pytest.mark.parametrize(
    ("accept", "html"),
    [
        (None, False),
        ("", False),
        ("*/*", False),
        ("application/json", False),
        ("text/html", True),
        ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", True),
        ("text/html;q=0.5, application/json", False),
        ("application/json;q=0.5, text/html", True),
        ("text/*", True),
        ("text/*, */*", False),
        ("text/html;q=0, */*", False),
        ("text/html;q=bogus, application/json;q=0.1", False),
    ],
)
def test_prefers_html(accept: str | None, html: bool) -> None:
    assert prefers_html(accept) is html
