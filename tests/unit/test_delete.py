"""DeleteTweet and DeleteUser: what goes with them, and like counts that stay true."""

from __future__ import annotations

import pytest

from tests.unit.support import (
    PASSWORD,
    FollowFn,
    LikeFn,
    PostFn,
    RegisterFn,
    SyncReads,
    UseCases,
    ids,
    snapshot,
    tweet_ids,
)
from twitter.adapters.memory import MemoryDatabase
from twitter.application import commands
from twitter.application.pagination import PageRequest
from twitter.domain.errors import (
    InvalidCredentials,
    NotYourAccount,
    NotYourTweet,
    TweetNotFound,
    UserNotFound,
)
from twitter.domain.model import Tweet, User

ALL = PageRequest(limit=200)


def delete_tweet(app: UseCases, actor: User, tweet: Tweet) -> None:
    assert actor.id is not None and tweet.id is not None
    app.delete_tweet(commands.TweetRemoval(actor_id=actor.id, tweet_id=tweet.id))


def delete_user(app: UseCases, user: User) -> None:
    assert user.id is not None
    app.delete_user(commands.AccountRemoval(actor_id=user.id, user_id=user.id))


def like_count(reads: SyncReads, tweet: Tweet) -> int:
    assert tweet.id is not None
    return reads.tweet(tweet.id).tweet.like_count


def likers(reads: SyncReads, tweet: Tweet) -> list[int]:
    assert tweet.id is not None
    return ids(reads.liking_users(tweet.id, ALL).items)


# --- DeleteTweet -------------------------------------------------------------------


def test_owner_deletes_their_tweet(
    register: RegisterFn, post: PostFn, app: UseCases, reads: SyncReads
) -> None:
    ada = register()
    tweet = post(ada)
    assert tweet.id is not None
    delete_tweet(app, ada, tweet)
    with pytest.raises(TweetNotFound):
        reads.tweet(tweet.id)


def test_deleting_a_tweet_leaves_the_owners_other_tweets(
    register: RegisterFn, post: PostFn, app: UseCases, reads: SyncReads
) -> None:
    ada = register()
    doomed, kept = post(ada, "doomed"), post(ada, "kept")
    delete_tweet(app, ada, doomed)
    assert tweet_ids(reads.tweets(ALL).items) == [kept.id]


def test_deleting_a_tweet_removes_its_likes(
    register: RegisterFn, post: PostFn, like: LikeFn, app: UseCases, reads: SyncReads
) -> None:
    ada, bob = register(), register()
    tweet, other = post(ada), post(ada)
    like(bob, tweet)
    like(bob, other)
    assert bob.id is not None
    delete_tweet(app, ada, tweet)
    assert [like.tweet_id for like in reads.user_likes(bob.id, ALL).items] == [other.id]
    assert tweet_ids(reads.liked_tweets(bob.id, ALL).items) == [other.id]


def test_deleting_someone_elses_tweet_is_forbidden(
    register: RegisterFn, post: PostFn, app: UseCases, database: MemoryDatabase
) -> None:
    ada, bob = register(), register()
    tweet = post(ada)
    before = snapshot(database)
    with pytest.raises(NotYourTweet):
        delete_tweet(app, bob, tweet)
    assert snapshot(database) == before


def test_deleting_an_unknown_tweet_fails(register: RegisterFn, app: UseCases) -> None:
    ada = register()
    assert ada.id is not None
    with pytest.raises(TweetNotFound):
        app.delete_tweet(commands.TweetRemoval(actor_id=ada.id, tweet_id=5))


def test_deleting_a_tweet_twice_fails(register: RegisterFn, post: PostFn, app: UseCases) -> None:
    ada = register()
    tweet = post(ada)
    delete_tweet(app, ada, tweet)
    with pytest.raises(TweetNotFound):
        delete_tweet(app, ada, tweet)


# --- DeleteUser --------------------------------------------------------------------


def test_deleted_user_is_gone(register: RegisterFn, app: UseCases, reads: SyncReads) -> None:
    ada = register()
    assert ada.id is not None
    delete_user(app, ada)
    with pytest.raises(UserNotFound):
        reads.user(ada.id)


def test_deleting_a_user_leaves_other_users(
    register: RegisterFn, app: UseCases, reads: SyncReads
) -> None:
    ada, bob = register(), register()
    delete_user(app, ada)
    assert ids(reads.users(ALL).items) == [bob.id]


def test_deleted_user_can_no_longer_log_in(register: RegisterFn, app: UseCases) -> None:
    ada = register("ada@example.com")
    delete_user(app, ada)
    with pytest.raises(InvalidCredentials):
        app.authenticate(commands.LoginAttempt(login="ada@example.com", password=PASSWORD))


def test_email_and_username_of_a_deleted_user_are_free_again(
    register: RegisterFn, app: UseCases
) -> None:
    ada = register("ada@example.com", username="ada")
    delete_user(app, ada)
    again = register("ada@example.com", username="ada")
    assert (again.email, again.username) == ("ada@example.com", "ada")
    assert again.id != ada.id


def test_deleting_a_user_removes_their_tweets(
    register: RegisterFn, post: PostFn, app: UseCases, reads: SyncReads
) -> None:
    ada, bob = register(), register()
    post(ada)
    post(ada)
    kept = post(bob)
    delete_user(app, ada)
    assert tweet_ids(reads.tweets(ALL).items) == [kept.id]


def test_deleting_a_user_removes_their_likes_and_lowers_the_counts(
    register: RegisterFn, post: PostFn, like: LikeFn, app: UseCases, reads: SyncReads
) -> None:
    ada, bob, cat = register(), register(), register()
    tweet = post(bob)
    like(ada, tweet)
    like(cat, tweet)
    delete_user(app, ada)
    assert likers(reads, tweet) == [cat.id]
    assert like_count(reads, tweet) == 1


def test_deleting_a_user_removes_the_likes_on_their_tweets(
    register: RegisterFn, post: PostFn, like: LikeFn, app: UseCases, reads: SyncReads
) -> None:
    ada, bob = register(), register()
    like(bob, post(ada))
    kept = post(bob)
    like(bob, kept)
    assert bob.id is not None
    delete_user(app, ada)
    assert [like.tweet_id for like in reads.user_likes(bob.id, ALL).items] == [kept.id]
    assert tweet_ids(reads.liked_tweets(bob.id, ALL).items) == [kept.id]


def test_deleting_a_user_who_liked_their_own_tweet(
    register: RegisterFn, post: PostFn, like: LikeFn, app: UseCases, database: MemoryDatabase
) -> None:
    ada = register()
    like(ada, post(ada))
    delete_user(app, ada)
    assert snapshot(database)["tweets"] == {}
    assert snapshot(database)["likes"] == {}


def test_deleting_a_user_removes_follows_in_both_directions(
    register: RegisterFn, follow: FollowFn, app: UseCases, reads: SyncReads
) -> None:
    ada, bob, cat = register(), register(), register()
    follow(ada, bob)
    follow(cat, ada)
    follow(bob, cat)
    assert bob.id is not None and cat.id is not None
    delete_user(app, ada)
    assert ids(reads.followers(bob.id, ALL).items) == []
    assert ids(reads.following(cat.id, ALL).items) == []
    assert ids(reads.following(bob.id, ALL).items) == [cat.id]


def test_deleting_a_user_keeps_other_users_like_counts_true(
    register: RegisterFn, post: PostFn, like: LikeFn, app: UseCases, reads: SyncReads
) -> None:
    ada, bob, cat = register(), register(), register()
    tweets = [post(bob), post(cat), post(ada)]
    for user in (ada, bob, cat):
        for tweet in tweets:
            like(user, tweet)
    delete_user(app, ada)
    for tweet in tweets[:2]:
        assert like_count(reads, tweet) == len(likers(reads, tweet)) == 2


def test_deleting_someone_elses_account_is_forbidden(
    register: RegisterFn, app: UseCases, database: MemoryDatabase
) -> None:
    ada, bob = register(), register()
    assert ada.id is not None and bob.id is not None
    before = snapshot(database)
    with pytest.raises(NotYourAccount):
        app.delete_user(commands.AccountRemoval(actor_id=bob.id, user_id=ada.id))
    assert snapshot(database) == before


def test_deleting_an_unknown_user_fails(app: UseCases) -> None:
    with pytest.raises(UserNotFound):
        app.delete_user(commands.AccountRemoval(actor_id=9, user_id=9))
