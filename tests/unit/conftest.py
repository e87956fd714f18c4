"""Unit fixtures: the use cases and the read port over the in-memory adapter, and the
real security adapters with cheap parameters. Nothing here touches a database, HTTP
or pydantic."""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import pytest

from tests.unit.support import (
    PASSWORD,
    TOKEN_LIFETIME,
    TOKEN_SECRET,
    FakeClock,
    FollowFn,
    LikeFn,
    PostFn,
    RegisterFn,
    SyncReads,
    UseCases,
    cheap_hasher,
    sync_reads,
)
from twitter.adapters.memory import MemoryDatabase, MemoryUnitOfWork
from twitter.adapters.security import Argon2PasswordHasher, JwtTokenService
from twitter.application import commands
from twitter.domain.model import Follow, Like, Tweet, User


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock.at_wall_time()


@pytest.fixture
def hasher() -> Argon2PasswordHasher:
    return cheap_hasher()


@pytest.fixture
def tokens(clock: FakeClock) -> JwtTokenService:
    return JwtTokenService(secret=TOKEN_SECRET, lifetime=TOKEN_LIFETIME, now=clock.now)


@pytest.fixture
def database() -> MemoryDatabase:
    return MemoryDatabase()


@pytest.fixture
def uow(database: MemoryDatabase) -> MemoryUnitOfWork:
    return MemoryUnitOfWork(database)


@pytest.fixture
def reads(uow: MemoryUnitOfWork) -> Iterator[SyncReads]:
    """The read port over the same unit of work as ``app``, awaited for the test."""
    port = sync_reads(uow)
    yield port
    port.close()


@pytest.fixture
def app(
    uow: MemoryUnitOfWork,
    hasher: Argon2PasswordHasher,
    tokens: JwtTokenService,
    clock: FakeClock,
) -> UseCases:
    return UseCases.wire(uow, hasher, tokens, clock)


@pytest.fixture
def register(app: UseCases) -> RegisterFn:
    """Sign up a user; each call without an email gets a fresh one."""
    numbers = itertools.count(1)

    def register(
        email: str | None = None, *, username: str | None = None, password: str = PASSWORD
    ) -> User:
        if email is None:
            email = f"member{next(numbers)}@example.com"
        return app.register_user(
            commands.Registration(email=email, password=password, username=username)
        )

    return register


@pytest.fixture
def post(app: UseCases) -> PostFn:
    """Post a tweet as its owner."""

    def post(owner: User, text: str = "hello world") -> Tweet:
        assert owner.id is not None
        return app.post_tweet(commands.NewTweet(actor_id=owner.id, owner_id=owner.id, text=text))

    return post


@pytest.fixture
def like(app: UseCases) -> LikeFn:
    def like(user: User, tweet: Tweet) -> Like:
        assert user.id is not None and tweet.id is not None
        return app.like_tweet(
            commands.NewLike(actor_id=user.id, user_id=user.id, tweet_id=tweet.id)
        )

    return like


@pytest.fixture
def follow(app: UseCases) -> FollowFn:
    def follow(follower: User, followee: User) -> Follow:
        assert follower.id is not None and followee.id is not None
        return app.follow_user(
            commands.NewFollow(
                actor_id=follower.id, user_id=follower.id, target_user_id=followee.id
            )
        )

    return follow
