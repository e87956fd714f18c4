"""The list routes, each seeded with n items through the use cases (fast, no HTTP), with the
ids its items must come in, so that tests of paging and of SQL statement counts share them."""

from __future__ import annotations

import itertools
import random
from collections.abc import Callable
from dataclasses import dataclass, field

from tests.integration.api import PASSWORD
from twitter.application import commands
from twitter.container import Container

_emails = itertools.count(1)


class Seed:
    """Writes through the container's use cases, acting as each user."""

    def __init__(self, container: Container) -> None:
        self.container = container

    def user(self) -> int:
        user = self.container.register_user()(
            commands.Registration(email=f"seed{next(_emails)}@example.com", password=PASSWORD)
        )
        assert user.id is not None
        return user.id

    def users(self, n: int) -> list[int]:
        return [self.user() for _ in range(n)]

    def tweet(self, owner: int, text: str = "seeded") -> int:
        tweet = self.container.post_tweet()(
            commands.NewTweet(actor_id=owner, owner_id=owner, text=text)
        )
        assert tweet.id is not None
        return tweet.id

    def like(self, user: int, tweet: int) -> int:
        like = self.container.like_tweet()(
            commands.NewLike(actor_id=user, user_id=user, tweet_id=tweet)
        )
        assert like.id is not None
        return like.id

    def follow(self, user: int, target: int) -> None:
        self.container.follow_user()(
            commands.NewFollow(actor_id=user, user_id=user, target_user_id=target)
        )

    def headers(self, user: int) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.container.token_service().issue(user)}"}


def _shuffled(items: list[int], seed: int) -> list[int]:
    """A fixed permutation that is neither ascending nor descending."""
    shuffled = list(items)
    random.Random(seed).shuffle(shuffled)
    if len(shuffled) > 2 and shuffled in (sorted(items), sorted(items, reverse=True)):
        shuffled[0], shuffled[1] = shuffled[1], shuffled[0]
    return shuffled


@dataclass
class Listing:
    """A list route with ``keys``: the ids of its items in the order the contract says."""

    path: str
    keys: list[int]
    headers: dict[str, str] = field(default_factory=dict)
    cursor: str = "max_id"
    keyed_by_item: bool = True
    """Whether the cursor is the item's own id (else the like's or the follow's)."""


def users_listing(seed: Seed, n: int) -> Listing:
    return Listing("/users/", seed.users(n), cursor="since_id")


def tweets_listing(seed: Seed, n: int) -> Listing:
    a, b = seed.users(2)
    ids = [seed.tweet(a if i % 3 else b) for i in range(n)]
    return Listing("/tweets/", ids[::-1])


def _user_tweets(seed: Seed, n: int) -> Listing:
    owner, other = seed.users(2)
    ids = []
    for _ in range(n):
        seed.tweet(other, "not theirs")
        ids.append(seed.tweet(owner))
    return Listing(f"/users/{owner}/tweets/", ids[::-1])


def _likes(seed: Seed, n: int) -> Listing:
    author, fan, other = seed.users(3)
    tweets = [seed.tweet(author) for _ in range(n)]
    like_ids = []
    for tweet in _shuffled(tweets, n):
        like_ids.append(seed.like(fan, tweet))
        seed.like(other, tweet)
    return Listing(f"/users/{fan}/likes/", like_ids[::-1])


def _liked_tweets(seed: Seed, n: int) -> Listing:
    author, fan, other = seed.users(3)
    tweets = [seed.tweet(author) for _ in range(n)]
    order = _shuffled(tweets, n)
    for tweet in order:
        seed.like(fan, tweet)
        seed.like(other, tweet)
    return Listing(f"/users/{fan}/liked_tweets/", order[::-1], keyed_by_item=False)


def _liking_users(seed: Seed, n: int) -> Listing:
    author = seed.user()
    tweet, other_tweet = seed.tweet(author), seed.tweet(author)
    order = _shuffled(seed.users(n), n)
    for user in order:
        seed.like(user, tweet)
        seed.like(user, other_tweet)
    return Listing(f"/tweets/{tweet}/liking_users", order[::-1], keyed_by_item=False)


def _followers(seed: Seed, n: int) -> Listing:
    star, other = seed.users(2)
    order = _shuffled(seed.users(n), n)
    for user in order:
        seed.follow(user, star)
        seed.follow(user, other)
    return Listing(f"/users/{star}/followers", order[::-1], keyed_by_item=False)


def _following(seed: Seed, n: int) -> Listing:
    fan, other = seed.users(2)
    order = _shuffled(seed.users(n), n)
    for user in order:
        seed.follow(fan, user)
        seed.follow(other, user)
    return Listing(f"/users/{fan}/following", order[::-1], keyed_by_item=False)


def _timeline(seed: Seed, n: int) -> Listing:
    me, friend, stranger = seed.users(3)
    seed.follow(me, friend)
    seed.follow(stranger, me)
    ids = []
    for i in range(n):
        seed.tweet(stranger, "noise")
        ids.append(seed.tweet(friend if i % 2 else me))
    return Listing(f"/users/{me}/timeline", ids[::-1], headers=seed.headers(me))


def _bookmarks(seed: Seed, n: int) -> Listing:
    me, author = seed.users(2)
    order = _shuffled([seed.tweet(author) for _ in range(n)], seed=4)
    for tweet in order:
        seed.container.bookmark_tweet()(
            commands.BookmarkChange(actor_id=me, user_id=me, tweet_id=tweet)
        )
    return Listing(
        f"/users/{me}/bookmarks", order[::-1], headers=seed.headers(me), keyed_by_item=False
    )


def _shut_out(relation: str) -> Callable[[Seed, int], Listing]:
    """Whom a user blocks or mutes (``relation``), newest first."""

    def listing(seed: Seed, n: int) -> Listing:
        me = seed.user()
        order = _shuffled(seed.users(n), seed=5)
        use_case = getattr(seed.container, f"{relation}_user")()
        for target in order:
            use_case(commands.UserTarget(actor_id=me, user_id=me, target_user_id=target))
        path = f"/users/{me}/{relation.rstrip('e')}ing"  # blocking, muting
        return Listing(path, order[::-1], headers=seed.headers(me), keyed_by_item=False)

    return listing


LISTS: dict[str, Callable[[Seed, int], Listing]] = {
    "users": users_listing,
    "tweets": tweets_listing,
    "user_tweets": _user_tweets,
    "likes": _likes,
    "liked_tweets": _liked_tweets,
    "liking_users": _liking_users,
    "followers": _followers,
    "following": _following,
    "timeline": _timeline,
    "bookmarks": _bookmarks,
    "blocking": _shut_out("block"),
    "muting": _shut_out("mute"),
}
