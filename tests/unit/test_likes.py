"""LikeTweet and UnlikeTweet: one like per user and tweet, and a counter that stays true."""

from __future__ import annotations

import pytest

from tests.unit.support import (
    FakeClock,
    LikeFn,
    PostFn,
    RegisterFn,
    SyncReads,
    UseCases,
    snapshot,
)
from twitter.adapters.memory import MemoryDatabase
from twitter.application import commands
from twitter.application.pagination import PageRequest
from twitter.domain.errors import (
    AlreadyLiked,
    LikeNotFound,
    NotYourAccount,
    TweetNotFound,
    UserNotFound,
)
from twitter.domain.model import Tweet, User


def unlike(app: UseCases, user: User, tweet: Tweet) -> None:
    assert user.id is not None and tweet.id is not None
    app.unlike_tweet(commands.LikeRemoval(actor_id=user.id, user_id=user.id, tweet_id=tweet.id))


def like_count(reads: SyncReads, tweet: Tweet) -> int:
    assert tweet.id is not None
    return reads.tweet(tweet.id).tweet.like_count


def number_of_likes(reads: SyncReads, tweet: Tweet) -> int:
    assert tweet.id is not None
    return len(reads.liking_users(tweet.id, PageRequest(limit=200)).items)


def test_like_is_stored_for_the_user_and_tweet(
    register: RegisterFn, post: PostFn, like: LikeFn, clock: FakeClock
) -> None:
    ada, bob = register(), register()
    tweet = post(ada)
    result = like(bob, tweet)
    assert result.id is not None
    assert (result.owner_id, result.tweet_id, result.created_at) == (bob.id, tweet.id, clock.now())


def test_like_raises_the_like_count(
    register: RegisterFn, post: PostFn, like: LikeFn, reads: SyncReads
) -> None:
    ada, bob = register(), register()
    tweet = post(ada)
    like(bob, tweet)
    assert like_count(reads, tweet) == 1


def test_users_may_like_their_own_tweet(
    register: RegisterFn, post: PostFn, like: LikeFn, reads: SyncReads
) -> None:
    ada = register()
    tweet = post(ada)
    like(ada, tweet)
    assert like_count(reads, tweet) == 1


def test_liking_twice_is_refused_and_counts_once(
    register: RegisterFn, post: PostFn, like: LikeFn, reads: SyncReads
) -> None:
    ada = register()
    tweet = post(ada)
    like(ada, tweet)
    with pytest.raises(AlreadyLiked):
        like(ada, tweet)
    assert like_count(reads, tweet) == number_of_likes(reads, tweet) == 1


def test_liking_an_unknown_tweet_fails(
    register: RegisterFn, app: UseCases, database: MemoryDatabase
) -> None:
    ada = register()
    assert ada.id is not None
    before = snapshot(database)
    with pytest.raises(TweetNotFound):
        app.like_tweet(commands.NewLike(actor_id=ada.id, user_id=ada.id, tweet_id=42))
    assert snapshot(database) == before


def test_liking_on_behalf_of_someone_else_is_forbidden(
    register: RegisterFn, post: PostFn, app: UseCases, database: MemoryDatabase
) -> None:
    ada, bob = register(), register()
    tweet = post(ada)
    assert ada.id is not None and bob.id is not None and tweet.id is not None
    before = snapshot(database)
    with pytest.raises(NotYourAccount):
        app.like_tweet(commands.NewLike(actor_id=bob.id, user_id=ada.id, tweet_id=tweet.id))
    assert snapshot(database) == before


def test_liking_as_an_unknown_user_fails_and_leaves_the_count(
    register: RegisterFn, post: PostFn, app: UseCases, database: MemoryDatabase
) -> None:
    tweet = post(register())
    assert tweet.id is not None
    before = snapshot(database)
    with pytest.raises(UserNotFound):
        app.like_tweet(commands.NewLike(actor_id=77, user_id=77, tweet_id=tweet.id))
    assert snapshot(database) == before


def test_unlike_removes_the_like_and_lowers_the_count(
    register: RegisterFn, post: PostFn, like: LikeFn, app: UseCases, reads: SyncReads
) -> None:
    ada, bob = register(), register()
    tweet = post(ada)
    like(bob, tweet)
    unlike(app, bob, tweet)
    assert like_count(reads, tweet) == number_of_likes(reads, tweet) == 0


def test_unlike_then_like_again_is_allowed(
    register: RegisterFn, post: PostFn, like: LikeFn, app: UseCases, reads: SyncReads
) -> None:
    ada = register()
    tweet = post(ada)
    like(ada, tweet)
    unlike(app, ada, tweet)
    like(ada, tweet)
    assert like_count(reads, tweet) == number_of_likes(reads, tweet) == 1


def test_unliking_without_a_like_fails_and_leaves_the_count(
    register: RegisterFn, post: PostFn, like: LikeFn, app: UseCases, reads: SyncReads
) -> None:
    ada, bob = register(), register()
    tweet = post(ada)
    like(ada, tweet)
    with pytest.raises(LikeNotFound):
        unlike(app, bob, tweet)
    assert like_count(reads, tweet) == number_of_likes(reads, tweet) == 1


def test_unliking_an_unknown_tweet_fails(register: RegisterFn, app: UseCases) -> None:
    ada = register()
    assert ada.id is not None
    with pytest.raises(LikeNotFound):
        app.unlike_tweet(commands.LikeRemoval(actor_id=ada.id, user_id=ada.id, tweet_id=42))


def test_unliking_on_behalf_of_someone_else_is_forbidden(
    register: RegisterFn, post: PostFn, like: LikeFn, app: UseCases, reads: SyncReads
) -> None:
    ada, bob = register(), register()
    tweet = post(ada)
    like(ada, tweet)
    assert ada.id is not None and bob.id is not None and tweet.id is not None
    with pytest.raises(NotYourAccount):
        app.unlike_tweet(commands.LikeRemoval(actor_id=bob.id, user_id=ada.id, tweet_id=tweet.id))
    assert like_count(reads, tweet) == 1


def test_like_count_equals_the_number_of_likes_through_many_likes_and_unlikes(
    register: RegisterFn, post: PostFn, like: LikeFn, app: UseCases, reads: SyncReads
) -> None:
    users = [register() for _ in range(5)]
    tweet = post(users[0])
    for user in users:
        like(user, tweet)
    for user in users[1:4]:
        unlike(app, user, tweet)
    like(users[2], tweet)
    assert like_count(reads, tweet) == number_of_likes(reads, tweet) == 3


def test_likes_of_one_tweet_do_not_count_on_another(
    register: RegisterFn, post: PostFn, like: LikeFn, reads: SyncReads
) -> None:
    ada, bob = register(), register()
    liked, other = post(ada), post(ada)
    like(bob, liked)
    assert like_count(reads, other) == 0
