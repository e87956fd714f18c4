"""The read port's profile and tweet cards: what the web pages show about users and
tweets (formerly GetProfile and DescribeTweets)."""

from __future__ import annotations

import pytest

from tests.unit.support import FollowFn, LikeFn, PostFn, RegisterFn, SyncReads
from twitter.adapters.memory import MemoryDatabase
from twitter.application.pagination import PageRequest
from twitter.domain.errors import TweetNotFound, UserNotFound


def test_a_profile_counts_tweets_likes_given_followers_and_following(
    reads: SyncReads, register: RegisterFn, post: PostFn, like: LikeFn, follow: FollowFn
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
    profile = reads.profile("ada", viewer_id=bob.id)
    assert profile.user.id == ada.id
    assert (
        profile.tweet_count,
        profile.like_count,
        profile.follower_count,
        profile.following_count,
    ) == (2, 1, 2, 1)
    assert profile.followed_by_viewer
    assert not reads.profile("ada", viewer_id=ada.id).followed_by_viewer
    assert not reads.profile("ada").followed_by_viewer


@pytest.mark.parametrize("username", ["nobody", "not valid!", ""])
def test_an_unknown_profile_is_not_found(reads: SyncReads, username: str) -> None:
    with pytest.raises(UserNotFound):
        reads.profile(username)


def test_tweets_are_described_with_authors_and_the_viewers_likes(
    reads: SyncReads, register: RegisterFn, post: PostFn, like: LikeFn
) -> None:
    ada, bob = register(), register()
    liked, other = post(ada), post(bob)
    like(bob, liked)
    assert liked.id is not None and other.id is not None
    cards = [reads.tweet(liked.id, viewer_id=bob.id), reads.tweet(other.id, viewer_id=bob.id)]
    assert [(c.tweet.id, c.author.id, c.liked_by_viewer) for c in cards] == [
        (liked.id, ada.id, True),
        (other.id, bob.id, False),
    ]
    listed = reads.tweets(PageRequest(), viewer_id=bob.id).items  # newest first
    assert [(c.tweet.id, c.author.id, c.liked_by_viewer) for c in listed] == [
        (other.id, bob.id, False),
        (liked.id, ada.id, True),
    ]
    anonymous = [reads.tweet(liked.id), reads.tweet(other.id)]
    assert [c.liked_by_viewer for c in anonymous] == [False, False]
    assert [c.liked_by_viewer for c in reads.tweets(PageRequest()).items] == [False, False]
    # A page with no tweets describes none.
    assert reads.tweets(PageRequest(since_id=other.id), viewer_id=bob.id).items == []


def test_a_tweet_whose_author_is_gone_is_left_out(
    reads: SyncReads, register: RegisterFn, post: PostFn, database: MemoryDatabase
) -> None:
    ada, bob = register(), register()
    kept, gone = post(ada), post(bob)
    assert bob.id is not None and gone.id is not None
    # The author vanishes but the tweet is still read: what a deletion between the
    # read of the tweets and that of their authors looks like (DeleteUser, which
    # takes the tweets along, cannot leave such a tweet behind).
    del database.state.users[bob.id]
    assert gone.id in database.state.tweets
    assert [c.tweet.id for c in reads.tweets(PageRequest()).items] == [kept.id]
    with pytest.raises(TweetNotFound):
        reads.tweet(gone.id)
