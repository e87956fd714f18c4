"""Property-based tests (Hypothesis) of the domain's rules: emails, tweet text,
usernames, passwords, and the like counter under any sequence of likes, unlikes
and deletions, on the in-memory adapter.

Runs are derandomized and keep no example database, so CI sees the same inputs
every time; the example-based tests beside these (``test_domain.py``,
``test_likes.py`` ...) name the individual cases.
"""

from __future__ import annotations

import itertools
import string
import unicodedata
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
)

from tests.effort import examples
from tests.unit.support import (
    PASSWORD,
    TOKEN_LIFETIME,
    TOKEN_SECRET,
    FakeClock,
    SyncReads,
    UseCases,
    account_of,
    cheap_hasher,
    snapshot,
    sync_reads,
)
from twitter.adapters.memory import MemoryDatabase, MemoryUnitOfWork
from twitter.adapters.security import JwtTokenService
from twitter.application import commands
from twitter.application.pagination import MAX_LIMIT, PageRequest
from twitter.domain.errors import (
    AlreadyLiked,
    DomainError,
    EmailAlreadyRegistered,
    InvalidInput,
    LikeNotFound,
    NotYourAccount,
    NotYourTweet,
    TweetNotFound,
    UsernameTaken,
)
from twitter.domain.model import (
    EMAIL_MAX_LENGTH,
    PASSWORD_MAX_LENGTH,
    PASSWORD_MIN_LENGTH,
    TWEET_MAX_LENGTH,
    USERNAME_MAX_LENGTH,
    User,
    clean_tweet_text,
    is_valid_username,
    normalise_email,
    username_candidates,
    validate_password,
    validate_username,
)

PROPERTY = settings(max_examples=examples(100), deadline=None, derandomize=True, database=None)
# Rules that go through the use cases (each sign-up hashes a password): fewer examples.
USE_CASE_PROPERTY = settings(
    max_examples=examples(40), deadline=None, derandomize=True, database=None
)

USERNAME_ALPHABET = string.ascii_letters + string.digits + "_"
SURROGATES = st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF)
WHITESPACE = st.text(alphabet=" \t\n\r\x0b\x0c\x85\xa0\u2000\u2028\u3000", max_size=5)
# Any text, including NUL, lone surrogates, white space and characters that change
# under case mapping or NFKC.
ANY_TEXT = st.text(st.characters(codec=None, exclude_categories=()), max_size=80)


def _refusal(rule: Callable[[str], Any], raw: str) -> InvalidInput | None:
    """The InvalidInput ``rule`` raises on ``raw``, or None when it accepts it.

    Any other exception fails the test: a rule refuses only with InvalidInput."""
    try:
        rule(raw)
    except InvalidInput as error:
        return error
    return None


def _insert(text: str, char: str, at: int) -> str:
    at = at % (len(text) + 1)
    return text[:at] + char + text[at:]


def _with_some_case_flipped(text: str, flips: list[bool]) -> str:
    return "".join(c.swapcase() if flips[i % len(flips)] else c for i, c in enumerate(text))


# --- emails ------------------------------------------------------------------------

# Addresses within the length limits the domain knows (64 for the local part).
VALID_EMAILS = st.emails().filter(
    lambda e: len(e) <= EMAIL_MAX_LENGTH and len(e.split("@", 1)[0]) <= 64
)


@PROPERTY
@given(VALID_EMAILS, WHITESPACE, WHITESPACE)
def test_a_valid_address_is_accepted_trimmed_and_lower_cased(
    email: str, before: str, after: str
) -> None:
    assert normalise_email(before + email + after) == email.lower()


@PROPERTY
@given(st.one_of(ANY_TEXT, VALID_EMAILS, VALID_EMAILS.map(str.upper)))
def test_normalising_an_email_is_idempotent(raw: str) -> None:
    if _refusal(normalise_email, raw) is not None:
        return
    email = normalise_email(raw)
    assert normalise_email(email) == email


@PROPERTY
@given(st.one_of(ANY_TEXT, VALID_EMAILS))
def test_a_normalised_email_is_trimmed_lower_case_and_well_formed(raw: str) -> None:
    refusal = _refusal(normalise_email, raw)
    if refusal is not None:
        assert refusal.field == "email"
        return
    email = normalise_email(raw)
    local, _, domain = email.partition("@")
    assert email == email.strip() == email.lower()
    assert len(email) <= EMAIL_MAX_LENGTH
    assert 1 <= len(local) <= 64
    assert "@" not in domain
    assert all(label for label in domain.split(".")) and "." in domain
    assert not any(c.isspace() for c in email)
    assert "\x00" not in email


@PROPERTY
@given(st.one_of(VALID_EMAILS, ANY_TEXT), st.lists(st.booleans(), min_size=1, max_size=8))
def test_emails_that_differ_only_in_letter_case_are_the_same_email(
    raw: str, flips: list[bool]
) -> None:
    variant = _with_some_case_flipped(raw, flips)
    # Only a true change of case: 'ß'.upper() is 'SS', which lower-cases to 'ss'.
    assume(variant.lower() == raw.lower())
    first, second = _refusal(normalise_email, raw), _refusal(normalise_email, variant)
    assert (first is None) == (second is None)
    if first is None:
        assert normalise_email(raw) == normalise_email(variant)


BREAKAGES: dict[str, Callable[[str, int], str]] = {
    "a NUL character": lambda e, at: _insert(e, "\x00", at),
    "a second @": lambda e, at: _insert(e, "@", at),
    "no @": lambda e, at: e.replace("@", ""),
    "white space inside": lambda e, at: e.replace("@", " @", 1),
    "an empty local part": lambda e, at: "@" + e.split("@", 1)[1],
    "a domain without a dot": lambda e, at: e.split("@", 1)[0] + "@localhost",
    "an empty domain label": lambda e, at: e.replace("@", "@.", 1),
    "a trailing dot": lambda e, at: e + ".",
    "a local part over 64": lambda e, at: "a" * 65 + "@" + e.split("@", 1)[1],
    "over 254 characters": lambda e, at: "a" * 64 + "@" + "b" * 190 + "." + e.split("@", 1)[1],
}


@PROPERTY
@given(VALID_EMAILS, st.sampled_from(sorted(BREAKAGES)), st.integers(min_value=0))
def test_a_malformed_email_is_refused(email: str, breakage: str, at: int) -> None:
    broken = BREAKAGES[breakage](email, at)
    refusal = _refusal(normalise_email, broken)
    assert refusal is not None, f"{broken!r} ({breakage}) was accepted"
    assert refusal.field == "email"


@PROPERTY
@given(VALID_EMAILS, SURROGATES, st.integers(min_value=0))
def test_an_email_with_a_lone_surrogate_is_refused(email: str, char: str, at: int) -> None:
    refusal = _refusal(normalise_email, _insert(email, char, at))
    assert refusal is not None and refusal.field == "email"


# --- tweet text --------------------------------------------------------------------

TWEET_TEXT = st.one_of(
    ANY_TEXT,
    st.builds(
        lambda before, core, after: before + core + after,
        WHITESPACE,
        st.text(min_size=1, max_size=TWEET_MAX_LENGTH + 5),
        WHITESPACE,
    ),
)


def _storable(text: str) -> bool:
    if "\x00" in text:
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


@PROPERTY
@given(TWEET_TEXT)
@example(" " * 1000 + "x" * TWEET_MAX_LENGTH + "\n" * 1000)
@example("x" * (TWEET_MAX_LENGTH + 1))
@example(" \u3000 ")
def test_tweet_text_is_accepted_exactly_when_1_to_280_characters_remain_after_trimming(
    raw: str,
) -> None:
    refusal = _refusal(clean_tweet_text, raw)
    should_accept = _storable(raw) and 1 <= len(raw.strip()) <= TWEET_MAX_LENGTH
    assert (refusal is None) == should_accept, raw
    if refusal is not None:
        assert refusal.field == "text"
        return
    text = clean_tweet_text(raw)
    assert text == raw.strip()
    assert 1 <= len(text) <= TWEET_MAX_LENGTH


@PROPERTY
@given(TWEET_TEXT)
def test_cleaning_tweet_text_is_idempotent(raw: str) -> None:
    if _refusal(clean_tweet_text, raw) is None:
        text = clean_tweet_text(raw)
        assert clean_tweet_text(text) == text


@PROPERTY
@given(
    st.text(min_size=1, max_size=TWEET_MAX_LENGTH - 1),
    st.one_of(st.just("\x00"), SURROGATES),
    st.integers(min_value=0),
)
def test_tweet_text_with_nul_or_a_lone_surrogate_is_refused(text: str, char: str, at: int) -> None:
    refusal = _refusal(clean_tweet_text, _insert(text, char, at))
    assert refusal is not None and refusal.field == "text"


# --- usernames ---------------------------------------------------------------------

USERNAME_LIKE = st.one_of(
    st.text(alphabet=USERNAME_ALPHABET, max_size=USERNAME_MAX_LENGTH + 3),
    st.text(
        alphabet=USERNAME_ALPHABET + "-. @\n\x00\u00e9\u0130\u212a",
        max_size=USERNAME_MAX_LENGTH + 3,
    ),
    ANY_TEXT,
)


@PROPERTY
@given(USERNAME_LIKE)
@example("\u212a")  # KELVIN SIGN: a letter to \w, and lower-cases to 'k', but not ASCII
@example("ada\n")
def test_a_username_is_1_to_15_ascii_letters_digits_or_underscores_kept_as_given(
    raw: str,
) -> None:
    should_accept = 1 <= len(raw) <= USERNAME_MAX_LENGTH and all(
        c in USERNAME_ALPHABET for c in raw
    )
    assert is_valid_username(raw) == should_accept
    refusal = _refusal(validate_username, raw)
    assert (refusal is None) == should_accept
    if refusal is None:
        assert validate_username(raw) == raw
    else:
        assert refusal.field == "username"


@PROPERTY
@given(st.one_of(VALID_EMAILS, ANY_TEXT.filter(lambda t: "@" in t)))
def test_every_derived_username_candidate_is_valid(email: str) -> None:
    candidates = username_candidates(email)
    for _ in range(30):
        name = next(candidates)
        assert is_valid_username(name), name


# --- passwords ---------------------------------------------------------------------

PASSWORD_LIKE = st.one_of(
    st.text(max_size=PASSWORD_MAX_LENGTH + 20),
    # Characters that NFKC composes (e + COMBINING ACUTE) or expands (ligatures,
    # ARABIC LIGATURE SALLALLAHOU ALAYHE WASALLAM: one character, eighteen after NFKC).
    st.text(
        alphabet=st.sampled_from(["e", "\u0301", "\ufb01", "\ufdfa", "\uff11", "\u2460", "x"]),
        max_size=PASSWORD_MAX_LENGTH + 20,
    ),
)


@PROPERTY
@given(PASSWORD_LIKE)
@example("e\u0301" * 4)  # eight code points, four characters after NFKC
@example("\ufdfa" * 8)  # eight characters, 144 after NFKC
def test_a_password_is_8_to_128_characters_after_nfkc_and_is_kept_normalised(
    raw: str,
) -> None:
    normalised = unicodedata.normalize("NFKC", raw)
    should_accept = PASSWORD_MIN_LENGTH <= len(normalised) <= PASSWORD_MAX_LENGTH
    refusal = _refusal(validate_password, raw)
    assert (refusal is None) == should_accept, (
        f"{raw!a}: {len(raw)} code points, {len(normalised)} after NFKC"
    )
    if refusal is None:
        assert validate_password(raw) == normalised
    else:
        assert refusal.field == "password"


@PROPERTY
@given(st.text(min_size=PASSWORD_MIN_LENGTH, max_size=100), SURROGATES, st.integers(min_value=0))
def test_a_password_with_a_lone_surrogate_is_refused(text: str, char: str, at: int) -> None:
    refusal = _refusal(validate_password, _insert(text, char, at))
    assert refusal is not None and refusal.field == "password"


def _use_cases() -> tuple[UseCases, SyncReads, MemoryDatabase]:
    """The use cases and the read port on a fresh database; close the reads when done."""
    clock = FakeClock.at_wall_time()
    database = MemoryDatabase()
    uow = MemoryUnitOfWork(database)
    tokens = JwtTokenService(secret=TOKEN_SECRET, lifetime=TOKEN_LIFETIME, now=clock.now)
    app = UseCases.wire(uow, cheap_hasher(), tokens, clock)
    return app, sync_reads(uow), database


@USE_CASE_PROPERTY
@given(
    st.text(
        alphabet=st.sampled_from(["e", "\u0301", "\u00e9", "\ufb01", "f", "i", "x"]),
        min_size=PASSWORD_MIN_LENGTH,
        max_size=20,
    )
)
@example("e\u0301" * 4)  # signs up with the decomposed form, logs in with 'éééé'
def test_a_user_logs_in_with_any_nfkc_equivalent_form_of_the_password(password: str) -> None:
    app, reads, _ = _use_cases()
    reads.close()  # only the write side here
    try:
        app.register_user(commands.Registration(email="ada@example.com", password=password))
    except InvalidInput as refusal:
        # Too short or too long: then so is every equivalent form (see the rule above).
        assert refusal.field == "password"
        return
    for form in ("NFC", "NFD", "NFKC", "NFKD"):
        typed = unicodedata.normalize(form, password)
        try:
            app.authenticate(commands.LoginAttempt(login="ada", password=typed))
        except DomainError as error:
            pytest.fail(f"signed up with {password!a}, log-in with its {form} {typed!a}: {error}")


# --- sign-up: emails and usernames unique regardless of case ------------------------

SIGN_UP = st.tuples(
    st.sampled_from(["ada", "Ada", "ADA", "grace.h", "grace_h", "Grace_H", "a" * 20, "x-1"]),
    st.sampled_from(["example.com", "EXAMPLE.com", "x.io"]),
    st.one_of(st.none(), st.sampled_from(["ada", "ADA", "grace_h", "ada2", "Ada3", "x_1"])),
)


@USE_CASE_PROPERTY
@given(st.lists(SIGN_UP, max_size=8))
def test_sign_ups_keep_emails_and_usernames_unique_regardless_of_case(
    sign_ups: list[tuple[str, str, str | None]],
) -> None:
    app, reads, _ = _use_cases()
    try:
        _check_sign_ups(app, reads, sign_ups)
    finally:
        reads.close()


def _check_sign_ups(
    app: UseCases, reads: SyncReads, sign_ups: list[tuple[str, str, str | None]]
) -> None:
    users: list[User] = []
    for local, domain, username in sign_ups:
        email = f"{local}@{domain}"
        email_taken = any(u.email == email.lower() for u in users)
        name_taken = username is not None and any(
            u.username.lower() == username.lower() for u in users
        )
        command = commands.Registration(email=email, password=PASSWORD, username=username)
        if email_taken:
            with pytest.raises(EmailAlreadyRegistered):
                app.register_user(command)
        elif name_taken:
            with pytest.raises(UsernameTaken):
                app.register_user(command)
        else:
            user = app.register_user(command)
            assert user.email == email.lower()
            if username is not None:
                assert user.username == username
            assert is_valid_username(user.username)
            users.append(user)
    listed = reads.users(PageRequest(limit=MAX_LIMIT)).items
    emails = [account_of(reads, u.id).email for u in listed]  # a UserView shows no email
    assert sorted(emails) == sorted(u.email for u in users)
    lowered = [u.username.lower() for u in listed]
    assert len(set(lowered)) == len(lowered)
    for user in users:
        assert reads.user_by_username(user.username.swapcase()).id == user.id


# --- the like counter --------------------------------------------------------------


# Tweet ids to act on: posted, deleted or never posted (the adapter counts from 1).
TWEET_IDS = st.integers(min_value=1, max_value=8)
TWEET_TEXT_TAIL = st.text(st.characters(codec="utf-8", exclude_characters="\x00"), max_size=20)


class LikeCounter(RuleBasedStateMachine):
    """Any sequence of sign-ups, posts, likes, unlikes, tweet and account deletions by
    several users keeps every tweet's ``like_count`` equal to the number of its likes;
    a refused operation (a like twice, an unlike without a like, a like of a deleted
    tweet, acting for someone else ...) changes nothing."""

    def __init__(self) -> None:
        super().__init__()
        self.app, self.reads, self.database = _use_cases()
        self.numbers = itertools.count(1)
        self.live_users: set[int] = set()
        self.live_tweets: dict[int, int] = {}  # tweet id -> owner id
        self.likes: set[tuple[int, int]] = set()  # (user id, tweet id)

    def _draw_user(self, data: st.DataObject, among: set[int] | None = None) -> int:
        user: int = data.draw(st.sampled_from(sorted(self.live_users if among is None else among)))
        return user

    def _draw_tweet(self, data: st.DataObject) -> int:
        """Mostly a live tweet; else any id (perhaps deleted, perhaps never posted)."""
        live = st.sampled_from(sorted(self.live_tweets)) if self.live_tweets else TWEET_IDS
        tweet: int = data.draw(st.one_of(live, live, TWEET_IDS))
        return tweet

    @initialize(count=st.integers(min_value=2, max_value=4))
    def sign_up(self, count: int) -> None:
        for _ in range(count):
            self.sign_up_another()

    @rule()
    def sign_up_another(self) -> None:
        email = f"user{next(self.numbers)}@example.com"
        user = self.app.register_user(commands.Registration(email=email, password=PASSWORD))
        assert user.id is not None
        self.live_users.add(user.id)

    @precondition(lambda self: self.live_users)
    @rule(data=st.data(), tail=TWEET_TEXT_TAIL)
    def post(self, data: st.DataObject, tail: str) -> None:
        owner = self._draw_user(data)
        command = commands.NewTweet(actor_id=owner, owner_id=owner, text=f"tweet {tail}")
        tweet = self.app.post_tweet(command)
        assert tweet.id is not None and tweet.like_count == 0
        self.live_tweets[tweet.id] = owner

    @precondition(lambda self: self.live_users)
    @rule(data=st.data())
    def like(self, data: st.DataObject) -> None:
        user, tweet = self._draw_user(data), self._draw_tweet(data)
        command = commands.NewLike(actor_id=user, user_id=user, tweet_id=tweet)
        if tweet not in self.live_tweets:
            self._refused(TweetNotFound, lambda: self.app.like_tweet(command))
        elif (user, tweet) in self.likes:
            self._refused(AlreadyLiked, lambda: self.app.like_tweet(command))
        else:
            like = self.app.like_tweet(command)
            assert (like.owner_id, like.tweet_id) == (user, tweet)
            self.likes.add((user, tweet))

    @precondition(lambda self: self.live_users)
    @rule(data=st.data())
    def unlike(self, data: st.DataObject) -> None:
        any_pair = st.tuples(st.sampled_from(sorted(self.live_users)), TWEET_IDS)
        liked = st.sampled_from(sorted(self.likes)) if self.likes else any_pair
        user, tweet = data.draw(st.one_of(liked, liked, any_pair))
        command = commands.LikeRemoval(actor_id=user, user_id=user, tweet_id=tweet)
        if (user, tweet) not in self.likes:
            self._refused(LikeNotFound, lambda: self.app.unlike_tweet(command))
        else:
            self.app.unlike_tweet(command)
            self.likes.discard((user, tweet))

    @precondition(lambda self: self.live_users)
    @rule(data=st.data())
    def like_or_unlike_for_someone_else(self, data: st.DataObject) -> None:
        actor, tweet = self._draw_user(data), self._draw_tweet(data)
        user = data.draw(st.integers(min_value=1, max_value=8).filter(lambda u: u != actor))
        like = commands.NewLike(actor_id=actor, user_id=user, tweet_id=tweet)
        unlike = commands.LikeRemoval(actor_id=actor, user_id=user, tweet_id=tweet)
        self._refused(NotYourAccount, lambda: self.app.like_tweet(like))
        self._refused(NotYourAccount, lambda: self.app.unlike_tweet(unlike))

    @precondition(lambda self: self.live_tweets and len(self.live_users) >= 2)
    @rule(data=st.data())
    def delete_someone_elses_tweet(self, data: st.DataObject) -> None:
        tweet = data.draw(st.sampled_from(sorted(self.live_tweets)))
        others = self.live_users - {self.live_tweets[tweet]}  # the owner is a live user
        command = commands.TweetRemoval(actor_id=self._draw_user(data, others), tweet_id=tweet)
        self._refused(NotYourTweet, lambda: self.app.delete_tweet(command))

    @precondition(lambda self: self.live_tweets)
    @rule(data=st.data())
    def delete_tweet(self, data: st.DataObject) -> None:
        tweet = data.draw(st.sampled_from(sorted(self.live_tweets)))
        owner = self.live_tweets.pop(tweet)
        self.app.delete_tweet(commands.TweetRemoval(actor_id=owner, tweet_id=tweet))
        self.likes = {(u, t) for u, t in self.likes if t != tweet}

    @precondition(lambda self: self.live_users)
    @rule(data=st.data())
    def delete_account(self, data: st.DataObject) -> None:
        user = self._draw_user(data)
        self.app.delete_user(commands.AccountRemoval(actor_id=user, user_id=user))
        self.live_users.discard(user)
        gone = {t for t, owner in self.live_tweets.items() if owner == user}
        self.live_tweets = {t: o for t, o in self.live_tweets.items() if t not in gone}
        self.likes = {(u, t) for u, t in self.likes if u != user and t not in gone}

    def teardown(self) -> None:
        self.reads.close()

    def _refused(self, error: type[DomainError], operation: Callable[[], object]) -> None:
        before = snapshot(self.database)
        with pytest.raises(error):
            operation()
        assert snapshot(self.database) == before

    @invariant()
    def every_like_count_is_the_number_of_likes(self) -> None:
        for tweet_id in self.live_tweets:
            expected = sum(1 for _, t in self.likes if t == tweet_id)
            tweet = self.reads.tweet(tweet_id).tweet
            liking = self.reads.liking_users(tweet_id, PageRequest(limit=MAX_LIMIT)).items
            assert tweet.like_count == expected == len(liking)
            assert {u.id for u in liking} == {u for u, t in self.likes if t == tweet_id}

    @invariant()
    def every_user_has_exactly_their_likes_and_deleted_things_are_gone(self) -> None:
        everything = PageRequest(limit=MAX_LIMIT)
        for user_id in self.live_users:
            liked = {like.tweet_id for like in self.reads.user_likes(user_id, everything).items}
            assert liked == {t for u, t in self.likes if u == user_id}
        tweets = self.reads.tweets(everything).items
        assert {card.tweet.id for card in tweets} == set(self.live_tweets)
        assert {u.id for u in self.reads.users(everything).items} == self.live_users


LikeCounter.TestCase.settings = settings(
    max_examples=examples(30),
    stateful_step_count=25,
    deadline=None,
    derandomize=True,
    database=None,
)
test_like_count_equals_the_number_of_likes = LikeCounter.TestCase
