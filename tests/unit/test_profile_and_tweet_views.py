"""GetProfile and DescribeTweets: what the web pages show about users and tweets."""

from __future__ import annotations

import pytest

from tests.unit.support import FollowFn, LikeFn, PostFn, RegisterFn
from twitter.adapters.memory import MemoryUnitOfWork
from twitter.application.use_cases import DescribeTweets, GetProfile
from twitter.domain.errors import UserNotFound


def test_a_profile_counts_tweets_likes_given_followers_and_following(
    uow: MemoryUnitOfWork, register: RegisterFn, post: PostFn, like: LikeFn, follow: FollowFn
) -> None:
    ada, bob, cy = register(username="Ada"), register(), register()
    first, second = post(ada), post(ada)
    post(bob)
    like(ada, first)
    like(bob, first)
    like(bob, second)
    follow(bob, ada)
    follow(cy, ada)
    follow(ada, cy)
    profile = GetProfile(uow)("ada", viewer_id=bob.id)
    assert profile.user.id == ada.id
    assert (
        profile.tweet_count,
        profile.like_count,
        profile.follower_count,
        profile.following_count,
    ) == (2, 1, 2, 1)
    assert profile.followed_by_viewer
    assert not GetProfile(uow)("ada", viewer_id=ada.id).followed_by_viewer
    assert not GetProfile(uow)("ada").followed_by_viewer


@pytest.mark.parametrize("username", ["nobody", "not valid!", ""])
def test_an_unknown_profile_is_not_found(uow: MemoryUnitOfWork, username: str) -> None:
    with pytest.raises(UserNotFound):
        GetProfile(uow)(username)


def test_tweets_are_described_with_authors_and_the_viewers_likes(
    uow: MemoryUnitOfWork, register: RegisterFn, post: PostFn, like: LikeFn
) -> None:
    ada, bob = register(), register()
    liked, other = post(ada), post(bob)
    like(bob, liked)
    views = DescribeTweets(uow)([liked, other], viewer_id=bob.id)
    assert [(v.tweet.id, v.author.id, v.liked_by_viewer) for v in views] == [
        (liked.id, ada.id, True),
        (other.id, bob.id, False),
    ]
    anonymous = DescribeTweets(uow)([liked, other])
    assert [v.liked_by_viewer for v in anonymous] == [False, False]
    assert DescribeTweets(uow)([]) == []


def test_a_tweet_whose_author_is_gone_is_left_out(
    uow: MemoryUnitOfWork, register: RegisterFn, post: PostFn
) -> None:
    ada, bob = register(), register()
    kept, gone = post(ada), post(bob)
    with uow:
        uow.users.delete(bob)
        uow.commit()
    assert [v.tweet.id for v in DescribeTweets(uow)([kept, gone])] == [kept.id]
