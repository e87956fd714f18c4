"""PostTweet, and a tweet read back through the read port (formerly GetTweet)."""

from __future__ import annotations

import pytest

from tests.unit.support import FakeClock, PostFn, RegisterFn, SyncReads, UseCases, snapshot
from twitter.adapters.memory import MemoryDatabase
from twitter.application import commands
from twitter.domain.errors import InvalidInput, NotYourAccount, TweetNotFound, UserNotFound


def test_posted_tweet_is_stored_with_an_id(
    register: RegisterFn, post: PostFn, reads: SyncReads
) -> None:
    ada = register()
    tweet = post(ada, "hello world")
    assert tweet.id is not None
    stored = reads.tweet(tweet.id).tweet
    assert (stored.text, stored.owner_id, stored.like_count) == ("hello world", ada.id, 0)


def test_posted_tweet_text_is_trimmed(register: RegisterFn, post: PostFn) -> None:
    assert post(register(), "   hi there \n").text == "hi there"


def test_posted_tweet_is_stamped_with_the_clock_time(
    register: RegisterFn, post: PostFn, clock: FakeClock
) -> None:
    ada = register()
    assert post(ada).created_at == clock.now()


def test_posted_tweet_of_280_emoji_is_accepted(register: RegisterFn, post: PostFn) -> None:
    assert post(register(), "🐦" * 280).text == "🐦" * 280


def test_posting_on_someone_elses_account_is_forbidden(
    register: RegisterFn, app: UseCases, database: MemoryDatabase
) -> None:
    ada, bob = register(), register()
    assert ada.id is not None and bob.id is not None
    before = snapshot(database)
    with pytest.raises(NotYourAccount):
        app.post_tweet(commands.NewTweet(actor_id=bob.id, owner_id=ada.id, text="hi"))
    assert snapshot(database) == before


def test_posting_for_an_unknown_user_fails(app: UseCases, database: MemoryDatabase) -> None:
    with pytest.raises(UserNotFound):
        app.post_tweet(commands.NewTweet(actor_id=99, owner_id=99, text="hi"))
    assert snapshot(database)["tweets"] == {}


@pytest.mark.parametrize("text", ["", "   ", "x" * 281, "nul\x00", "\ud800"])
def test_posting_invalid_text_is_refused_and_stores_nothing(
    register: RegisterFn, app: UseCases, database: MemoryDatabase, text: str
) -> None:
    ada = register()
    assert ada.id is not None
    before = snapshot(database)
    with pytest.raises(InvalidInput) as error:
        app.post_tweet(commands.NewTweet(actor_id=ada.id, owner_id=ada.id, text=text))
    assert error.value.field == "text"
    assert snapshot(database) == before


def test_getting_an_unknown_tweet_fails(reads: SyncReads) -> None:
    with pytest.raises(TweetNotFound):
        reads.tweet(1)
