"""Hand-written test doubles and helpers for the unit tests (no mocks of our own ports)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from twitter.adapters.memory import MemoryDatabase
from twitter.adapters.security import Argon2PasswordHasher
from twitter.application import use_cases
from twitter.application.ports import Clock, PasswordHasher, TokenService, UnitOfWork
from twitter.domain.model import Follow, Like, Tweet, User

PASSWORD = "correct horse battery staple"
TOKEN_SECRET = "x" * 40
TOKEN_LIFETIME = timedelta(minutes=5)

# The builders the conftest fixtures of the same names provide.
RegisterFn = Callable[..., User]
PostFn = Callable[..., Tweet]
LikeFn = Callable[[User, Tweet], Like]
FollowFn = Callable[[User, User], Follow]


def cheap_hasher(*, time_cost: int = 1) -> Argon2PasswordHasher:
    """The real Argon2id hasher with parameters small enough for unit tests."""
    return Argon2PasswordHasher(memory_kib=64, time_cost=time_cost)


class FakeClock:
    """A Clock that stands still until a test moves it."""

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("the clock must be timezone-aware")
        self._now = start

    @classmethod
    def at_wall_time(cls) -> FakeClock:
        """Starts at the real current second.

        PyJWT checks ``iat`` and ``exp`` against the wall clock, so tokens issued on
        this clock verify as long as it has not been moved.
        """
        return cls(datetime.now(UTC).replace(microsecond=0))

    def now(self) -> datetime:
        return self._now

    def advance(self, delta: timedelta) -> None:
        self._now += delta


class StubHealthProbe:
    def __init__(self, *, database_ok: bool) -> None:
        self._database_ok = database_ok

    def database_ok(self) -> bool:
        return self._database_ok


class SpyHasher:
    """The real Argon2 hasher, recording which passwords were verified or burnt on a decoy."""

    def __init__(self, inner: Argon2PasswordHasher) -> None:
        self._inner = inner
        self.burnt: list[str] = []
        self.verified: list[str] = []

    def hash(self, password: str) -> str:
        return self._inner.hash(password)

    def verify(self, hashed: str, password: str) -> bool:
        self.verified.append(password)
        return self._inner.verify(hashed, password)

    def needs_rehash(self, hashed: str) -> bool:
        return self._inner.needs_rehash(hashed)

    def burn(self, password: str) -> None:
        self.burnt.append(password)
        self._inner.burn(password)


@dataclass
class UseCases:
    """Every use case, wired to one unit of work: the tests' composition root."""

    register_user: use_cases.RegisterUser
    authenticate: use_cases.Authenticate
    identify_user: use_cases.IdentifyUser
    revoke_token: use_cases.RevokeToken
    get_user: use_cases.GetUser
    get_user_by_username: use_cases.GetUserByUsername
    list_users: use_cases.ListUsers
    delete_user: use_cases.DeleteUser
    post_tweet: use_cases.PostTweet
    get_tweet: use_cases.GetTweet
    delete_tweet: use_cases.DeleteTweet
    list_tweets: use_cases.ListTweets
    list_user_tweets: use_cases.ListUserTweets
    like_tweet: use_cases.LikeTweet
    unlike_tweet: use_cases.UnlikeTweet
    list_user_likes: use_cases.ListUserLikes
    list_liked_tweets: use_cases.ListLikedTweets
    list_liking_users: use_cases.ListLikingUsers
    follow_user: use_cases.FollowUser
    unfollow_user: use_cases.UnfollowUser
    list_followers: use_cases.ListFollowers
    list_following: use_cases.ListFollowing
    get_home_timeline: use_cases.GetHomeTimeline

    @classmethod
    def wire(
        cls, uow: UnitOfWork, hasher: PasswordHasher, tokens: TokenService, clock: Clock
    ) -> UseCases:
        return cls(
            register_user=use_cases.RegisterUser(uow, hasher, clock),
            authenticate=use_cases.Authenticate(uow, hasher, tokens, clock),
            identify_user=use_cases.IdentifyUser(uow, tokens),
            revoke_token=use_cases.RevokeToken(uow, tokens, clock),
            get_user=use_cases.GetUser(uow),
            get_user_by_username=use_cases.GetUserByUsername(uow),
            list_users=use_cases.ListUsers(uow),
            delete_user=use_cases.DeleteUser(uow),
            post_tweet=use_cases.PostTweet(uow, clock),
            get_tweet=use_cases.GetTweet(uow),
            delete_tweet=use_cases.DeleteTweet(uow),
            list_tweets=use_cases.ListTweets(uow),
            list_user_tweets=use_cases.ListUserTweets(uow),
            like_tweet=use_cases.LikeTweet(uow, clock),
            unlike_tweet=use_cases.UnlikeTweet(uow),
            list_user_likes=use_cases.ListUserLikes(uow),
            list_liked_tweets=use_cases.ListLikedTweets(uow),
            list_liking_users=use_cases.ListLikingUsers(uow),
            follow_user=use_cases.FollowUser(uow, clock),
            unfollow_user=use_cases.UnfollowUser(uow),
            list_followers=use_cases.ListFollowers(uow),
            list_following=use_cases.ListFollowing(uow),
            get_home_timeline=use_cases.GetHomeTimeline(uow),
        )


def snapshot(database: MemoryDatabase) -> dict[str, Any]:
    """The committed state as plain values (entities compare by identity, so copy fields)."""
    state = database.state
    tables: dict[str, dict[int, Any]] = {
        "users": state.users,
        "tweets": state.tweets,
        "likes": state.likes,
        "follows": state.follows,
    }
    return {
        name: {key: dataclasses.asdict(entity) for key, entity in rows.items()}
        for name, rows in tables.items()
    } | {"last_ids": dict(state.last_ids)}


def ids(entities: Iterable[Any]) -> list[int]:
    return [entity.id for entity in entities]


class CountingHasher:
    """The real Argon2 hasher, counting the hashes it makes."""

    def __init__(self, inner: Argon2PasswordHasher) -> None:
        self._inner = inner
        self.hashes = 0

    def hash(self, password: str) -> str:
        self.hashes += 1
        return self._inner.hash(password)

    def verify(self, hashed: str, password: str) -> bool:
        return self._inner.verify(hashed, password)

    def needs_rehash(self, hashed: str) -> bool:
        return self._inner.needs_rehash(hashed)

    def burn(self, password: str) -> None:
        self._inner.burn(password)
