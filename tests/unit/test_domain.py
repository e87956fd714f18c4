"""The domain's own rules: value checks, username derivation, entity factories, pages."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime

import pytest

from twitter.application.pagination import MAX_ID, PageRequest, page_of, page_of_keyed
from twitter.domain.errors import CannotFollowSelf, InvalidInput
from twitter.domain.model import (
    Follow,
    Tweet,
    User,
    clean_tweet_text,
    normalise_email,
    username_candidates,
    validate_password,
    validate_username,
)

WHEN = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)


def email_of_length(length: int) -> str:
    """A valid address of exactly ``length`` characters (domain labels of at most 63)."""
    local, tld = "a" * 64, ".io"
    remaining = length - len(local) - 1 - len(tld)
    labels = []
    while remaining > 63:
        labels.append("b" * 62)  # with its dot, 63 characters
        remaining -= 63
    labels.append("b" * remaining)
    return local + "@" + ".".join(labels) + tld


# --- normalise_email ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "stored"),
    [
        ("ada@example.com", "ada@example.com"),
        ("  Ada.Lovelace@Example.COM ", "ada.lovelace@example.com"),
        ("o'brien+tag@example.co.uk", "o'brien+tag@example.co.uk"),
        ("!#$%&'*+/=?^_`{|}~-@example.com", "!#$%&'*+/=?^_`{|}~-@example.com"),
        ("Café@example.com", "café@example.com"),
        ("Cafe\u0301@example.com", "café@example.com"),  # decomposed: one account
        ("юзер@пример.рф", "юзер@пример.рф"),
        # A domain written in its ASCII (punycode) form is the same domain: one account.
        ("x@xn--bcher-kva.de", "x@bücher.de"),
        ("x@XN--BCHER-KVA.DE", "x@bücher.de"),
        ("юзер@xn--e1afmkfd.xn--p1ai", "юзер@пример.рф"),
        ("a@b-c.example", "a@b-c.example"),
        ("a@123.example", "a@123.example"),
        ("a" * 64 + "@example.com", "a" * 64 + "@example.com"),
        ("a@" + "b" * 63 + ".com", "a@" + "b" * 63 + ".com"),
    ],
)
def test_valid_emails_are_stored_in_one_canonical_form(raw: str, stored: str) -> None:
    assert normalise_email(raw) == stored


@pytest.mark.parametrize(
    "raw",
    [
        '"><b>x@example.com',
        "<script>@example.com",
        "a b@example.com",
        "a,b@example.com",
        "a(b)@example.com",
        "a;b@example.com",
        "a\\b@example.com",
        ".ada@example.com",
        "ada.@example.com",
        "ada..lovelace@example.com",
        "a" * 65 + "@example.com",
        "ada@localhost",
        "ada@example.123",
        "ada@-example.com",
        "ada@example-.com",
        "ada@exa_mple.com",
        "ada@example..com",
        "ada@.example.com",
        "ada@example.com.",
        "ada@" + "b" * 64 + ".com",
        "ada@xn--.com",  # punycode that decodes to nothing
        "ada@xn--a-ecp.com",  # punycode of a label with a character no label may hold
        "ada@@example.com",
        "ada@b@example.com",
        "@example.com",
        "ada@",
        "ada",
    ],
)
def test_malformed_emails_are_refused(raw: str) -> None:
    with pytest.raises(InvalidInput) as error:
        normalise_email(raw)
    assert error.value.field == "email"


def test_email_is_lower_cased() -> None:
    assert normalise_email("Ada.Lovelace@Example.COM") == "ada.lovelace@example.com"


def test_email_is_trimmed() -> None:
    assert normalise_email("  ada@example.com \n") == "ada@example.com"


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "   ",
        "ada",
        "ada@",
        "@example.com",
        "ada@example",
        "ada@@example.com",
        "ada@exa@mple.com",
        "ada lovelace@example.com",
        "ada@exa mple.com",
        "ada@.example.com",
        "ada@example.com.",
        "ada@example..com",
        "a" * 65 + "@example.com",
    ],
)
def test_malformed_email_is_rejected(raw: str) -> None:
    with pytest.raises(InvalidInput) as error:
        normalise_email(raw)
    assert error.value.field == "email"


def test_email_of_254_characters_is_accepted() -> None:
    email = email_of_length(254)
    assert normalise_email(email) == email


def test_email_longer_than_254_characters_is_rejected() -> None:
    with pytest.raises(InvalidInput):
        normalise_email(email_of_length(255))


def test_email_length_is_measured_after_trimming() -> None:
    email = email_of_length(254)
    assert normalise_email(f"  {email}  ") == email


def test_email_with_nul_character_is_rejected() -> None:
    with pytest.raises(InvalidInput) as error:
        normalise_email("ada\x00@example.com")
    assert error.value.field == "email"


def test_email_with_lone_surrogate_is_rejected() -> None:
    with pytest.raises(InvalidInput) as error:
        normalise_email("ada\ud800@example.com")
    assert error.value.field == "email"


# --- validate_username -------------------------------------------------------------


@pytest.mark.parametrize("name", ["a", "Z", "_", "9", "Grace_Hopper_01", "x" * 15])
def test_valid_username_is_kept_as_given(name: str) -> None:
    assert validate_username(name) == name


@pytest.mark.parametrize(
    "name",
    ["", "x" * 16, "grace hopper", "grace-hopper", "grace.hopper", "@grace", "josé", "ada\n"],
)
def test_invalid_username_is_rejected(name: str) -> None:
    with pytest.raises(InvalidInput) as error:
        validate_username(name)
    assert error.value.field == "username"


# --- username_candidates -----------------------------------------------------------


def first_candidates(email: str, count: int) -> list[str]:
    return list(itertools.islice(username_candidates(email), count))


def test_derived_username_comes_from_the_email_local_part() -> None:
    assert first_candidates("ada@example.com", 1) == ["ada"]


def test_derived_username_replaces_invalid_characters_with_underscores() -> None:
    assert first_candidates("grace.hopper@x.io", 1) == ["grace_hopper"]


def test_derived_username_collapses_runs_and_strips_edge_underscores() -> None:
    assert first_candidates(".o'neil+news.@x.io", 1) == ["o_neil_news"]


def test_derived_username_is_truncated_to_15_characters() -> None:
    assert first_candidates("abcdefghijklmnopqrstuvwxyz@x.io", 1) == ["abcdefghijklmno"]


def test_derived_username_falls_back_to_user_for_an_empty_local_part() -> None:
    assert first_candidates("@x.io", 1) == ["user"]


def test_derived_username_falls_back_to_user_when_nothing_valid_remains() -> None:
    assert first_candidates("...@x.io", 1) == ["user"]
    assert first_candidates("李@x.io", 1) == ["user"]


def test_further_candidates_add_increasing_numeric_suffixes() -> None:
    assert first_candidates("ada@x.io", 4) == ["ada", "ada2", "ada3", "ada4"]


def test_suffixed_candidates_keep_at_most_15_characters() -> None:
    candidates = first_candidates("abcdefghijklmnopqrstuvwxyz@x.io", 11)
    assert candidates[1] == "abcdefghijklmn2"
    assert candidates[10] == "abcdefghijklm11"
    assert all(len(name) <= 15 for name in candidates)


def test_every_candidate_is_a_valid_username() -> None:
    for email in ["grace.hopper@x.io", "...@x.io", "a" * 64 + "@x.io", "x-y_z+1@x.io"]:
        for name in first_candidates(email, 120):
            assert validate_username(name) == name


@pytest.mark.parametrize("email", ["abcdefghijklmnopqrstuvwxyz@x.io", "aaaaaaaaaaaaa1x@x.io"])
def test_candidates_are_all_different(email: str) -> None:
    candidates = first_candidates(email, 200)
    assert len(set(candidates)) == len(candidates)


# --- validate_password -------------------------------------------------------------


@pytest.mark.parametrize("length", [8, 128])
def test_password_of_boundary_length_is_accepted(length: int) -> None:
    assert validate_password("p" * length) == "p" * length


@pytest.mark.parametrize("length", [0, 7, 129])
def test_password_of_wrong_length_is_rejected(length: int) -> None:
    with pytest.raises(InvalidInput) as error:
        validate_password("p" * length)
    assert error.value.field == "password"


def test_password_accepts_any_printable_characters() -> None:
    assert validate_password("пароль 密码 🔑!") == "пароль 密码 🔑!"


def test_password_is_nfkc_normalised() -> None:
    # U+FB01 LATIN SMALL LIGATURE FI and a fullwidth digit fold to their plain forms.
    assert validate_password("\ufb01" * 4 + "\uff11" * 4) == "fifififi1111"


def test_composed_and_decomposed_passwords_normalise_alike() -> None:
    assert validate_password("caf\u00e9-latte") == validate_password("cafe\u0301-latte")


def test_password_with_lone_surrogate_is_rejected() -> None:
    with pytest.raises(InvalidInput) as error:
        validate_password("password\ud800")
    assert error.value.field == "password"


# --- clean_tweet_text --------------------------------------------------------------


def test_tweet_text_is_trimmed() -> None:
    assert clean_tweet_text("  hello world \n\t") == "hello world"


def test_tweet_text_of_one_character_is_accepted() -> None:
    assert clean_tweet_text("x") == "x"


def test_tweet_text_of_280_characters_is_accepted() -> None:
    assert clean_tweet_text("a" * 280) == "a" * 280


def test_tweet_text_of_280_emoji_is_accepted() -> None:
    assert clean_tweet_text("😀" * 280) == "😀" * 280


def test_tweet_text_of_281_emoji_is_rejected() -> None:
    with pytest.raises(InvalidInput) as error:
        clean_tweet_text("😀" * 281)
    assert error.value.field == "text"


def test_tweet_text_is_measured_after_trimming() -> None:
    assert clean_tweet_text("   " + "a" * 280 + "   ") == "a" * 280


@pytest.mark.parametrize("raw", ["", " ", "\n\t  \r\n", "\u3000\u2003"])
def test_empty_or_whitespace_only_tweet_is_rejected(raw: str) -> None:
    with pytest.raises(InvalidInput) as error:
        clean_tweet_text(raw)
    assert error.value.field == "text"


def test_tweet_text_with_nul_character_is_rejected() -> None:
    with pytest.raises(InvalidInput):
        clean_tweet_text("hello\x00world")


def test_tweet_text_with_lone_surrogate_is_rejected() -> None:
    with pytest.raises(InvalidInput):
        clean_tweet_text("hello \udfff")


# --- entity factories --------------------------------------------------------------


def test_user_register_normalises_the_email_and_keeps_the_username_case() -> None:
    user = User.register(
        email=" Ada@Example.com ", username="Ada_L", hashed_password="h", created_at=WHEN
    )
    assert (user.email, user.username, user.id) == ("ada@example.com", "Ada_L", None)


def test_user_register_rejects_an_invalid_username() -> None:
    with pytest.raises(InvalidInput):
        User.register(email="ada@x.io", username="a b", hashed_password="h", created_at=WHEN)


def test_tweet_post_cleans_the_text_and_starts_without_likes() -> None:
    tweet = Tweet.post(owner_id=1, text="  hi  ", created_at=WHEN)
    assert (tweet.text, tweet.owner_id, tweet.like_count, tweet.id) == ("hi", 1, 0, None)


def test_tweet_post_rejects_invalid_text() -> None:
    with pytest.raises(InvalidInput):
        Tweet.post(owner_id=1, text="   ", created_at=WHEN)


def test_follow_between_two_users() -> None:
    follow = Follow.between(follower_id=1, followee_id=2, created_at=WHEN)
    assert (follow.follower_id, follow.followee_id, follow.created_at) == (1, 2, WHEN)


def test_following_oneself_is_refused() -> None:
    with pytest.raises(CannotFollowSelf):
        Follow.between(follower_id=3, followee_id=3, created_at=WHEN)


# --- PageRequest -------------------------------------------------------------------


def test_page_request_defaults() -> None:
    page = PageRequest()
    assert (page.limit, page.skip, page.max_id, page.since_id) == (50, 0, None, None)


def test_page_request_fetches_one_more_than_the_limit() -> None:
    assert PageRequest(limit=10).fetch_size == 11


@pytest.mark.parametrize("limit", [1, 200])
def test_page_request_accepts_limit_within_bounds(limit: int) -> None:
    assert PageRequest(limit=limit).limit == limit


@pytest.mark.parametrize("limit", [-1, 0, 201])
def test_page_request_rejects_limit_out_of_bounds(limit: int) -> None:
    with pytest.raises(InvalidInput) as error:
        PageRequest(limit=limit)
    assert error.value.field == "limit"


def test_page_request_rejects_negative_skip() -> None:
    with pytest.raises(InvalidInput) as error:
        PageRequest(skip=-1)
    assert error.value.field == "skip"


@pytest.mark.parametrize("cursor", ["max_id", "since_id"])
@pytest.mark.parametrize("value", [0, MAX_ID])
def test_page_request_accepts_cursors_within_bounds(cursor: str, value: int) -> None:
    assert getattr(PageRequest(**{cursor: value}), cursor) == value


@pytest.mark.parametrize("cursor", ["max_id", "since_id"])
@pytest.mark.parametrize("value", [-1, MAX_ID + 1])
def test_page_request_rejects_cursors_out_of_bounds(cursor: str, value: int) -> None:
    with pytest.raises(InvalidInput) as error:
        PageRequest(**{cursor: value})
    assert error.value.field == cursor


def test_max_id_is_the_largest_signed_64_bit_integer() -> None:
    assert MAX_ID == 2**63 - 1


# --- page_of / page_of_keyed -------------------------------------------------------


def tweets_with_ids(*tweet_ids: int) -> list[Tweet]:
    return [Tweet(text="t", owner_id=1, created_at=WHEN, id=i) for i in tweet_ids]


def test_page_of_with_more_rows_than_the_limit_points_at_the_last_item_served() -> None:
    rows = tweets_with_ids(9, 7, 4)
    page = page_of(rows, PageRequest(limit=2))
    assert page.items == rows[:2]
    assert page.next_cursor == 7


def test_page_of_exactly_the_limit_is_the_last_page() -> None:
    rows = tweets_with_ids(9, 7)
    page = page_of(rows, PageRequest(limit=2))
    assert page.items == rows
    assert page.next_cursor is None


def test_page_of_nothing_is_an_empty_last_page() -> None:
    page = page_of([], PageRequest())
    assert page.items == []
    assert page.next_cursor is None


def test_page_of_keyed_uses_the_relation_key_as_cursor() -> None:
    rows = [(30, "c"), (20, "b"), (10, "a")]
    page = page_of_keyed(rows, PageRequest(limit=2))
    assert page.items == ["c", "b"]
    assert page.next_cursor == 20


def test_page_of_keyed_last_page_has_no_cursor() -> None:
    page = page_of_keyed([(5, "x")], PageRequest(limit=1))
    assert page.items == ["x"]
    assert page.next_cursor is None
