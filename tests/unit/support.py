"""Hand-written test doubles and helpers for the unit tests (no mocks of our own ports)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

from twitter.adapters.memory import MemoryDatabase, MemoryUnitOfWork
from twitter.adapters.reads.blocking import BlockingReads
from twitter.adapters.reads.through_unit_of_work import UnitOfWorkReads
from twitter.adapters.security import Argon2PasswordHasher
from twitter.application import use_cases
from twitter.application.ports import Clock, PasswordHasher, TokenService, UnitOfWork
from twitter.application.queries import (
    AccountView,
    TweetCard,
)
from twitter.domain.model import Follow, Like, Tweet, User

T = TypeVar("T")

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
    def __init__(self, *, database_ok: bool, schema_current: bool = True) -> None:
        self._database_ok = database_ok
        self._schema_current = schema_current

    def database_ok(self) -> bool:
        return self._database_ok

    def schema_current(self) -> bool | None:
        return self._schema_current if self._database_ok else None


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
    """Every use case, wired to one unit of work: the tests' composition root.

    The async ones (``identify_user``, ``get_home_timeline``, ``list_notifications``)
    read through the
    read port on the same unit of work; await them with ``asyncio.run``."""

    register_user: use_cases.RegisterUser
    authenticate: use_cases.Authenticate
    identify_user: use_cases.IdentifyUser
    revoke_token: use_cases.RevokeToken
    delete_user: use_cases.DeleteUser
    post_tweet: use_cases.PostTweet
    delete_tweet: use_cases.DeleteTweet
    like_tweet: use_cases.LikeTweet
    unlike_tweet: use_cases.UnlikeTweet
    follow_user: use_cases.FollowUser
    unfollow_user: use_cases.UnfollowUser
    get_home_timeline: use_cases.GetHomeTimeline
    retweet_tweet: use_cases.RetweetTweet
    undo_retweet: use_cases.UndoRetweet
    edit_profile: use_cases.EditProfile
    list_notifications: use_cases.ListNotifications
    mark_notifications_read: use_cases.MarkNotificationsRead
    dismiss_notifications: use_cases.DismissNotifications
    block_user: use_cases.BlockUser
    unblock_user: use_cases.UnblockUser
    list_blocking: use_cases.ListBlocking
    mute_user: use_cases.MuteUser
    unmute_user: use_cases.UnmuteUser
    list_muting: use_cases.ListMuting
    bookmark_tweet: use_cases.BookmarkTweet
    remove_bookmark: use_cases.RemoveBookmark
    list_bookmarks: use_cases.ListBookmarks
    search_tweets: use_cases.SearchTweets
    search_users: use_cases.SearchUsers

    @classmethod
    def wire(
        cls, uow: UnitOfWork, hasher: PasswordHasher, tokens: TokenService, clock: Clock
    ) -> UseCases:
        reads = memory_reads(uow)
        return cls(
            register_user=use_cases.RegisterUser(uow, hasher, clock),
            authenticate=use_cases.Authenticate(uow, hasher, tokens, clock),
            identify_user=use_cases.IdentifyUser(reads, tokens),
            revoke_token=use_cases.RevokeToken(uow, tokens, clock),
            delete_user=use_cases.DeleteUser(uow),
            post_tweet=use_cases.PostTweet(uow, clock),
            delete_tweet=use_cases.DeleteTweet(uow),
            like_tweet=use_cases.LikeTweet(uow, clock),
            unlike_tweet=use_cases.UnlikeTweet(uow),
            follow_user=use_cases.FollowUser(uow, clock),
            unfollow_user=use_cases.UnfollowUser(uow),
            get_home_timeline=use_cases.GetHomeTimeline(reads),
            retweet_tweet=use_cases.RetweetTweet(uow, clock),
            undo_retweet=use_cases.UndoRetweet(uow),
            edit_profile=use_cases.EditProfile(uow),
            list_notifications=use_cases.ListNotifications(reads),
            mark_notifications_read=use_cases.MarkNotificationsRead(uow),
            dismiss_notifications=use_cases.DismissNotifications(uow),
            block_user=use_cases.BlockUser(uow, clock),
            unblock_user=use_cases.UnblockUser(uow),
            list_blocking=use_cases.ListBlocking(reads),
            mute_user=use_cases.MuteUser(uow, clock),
            unmute_user=use_cases.UnmuteUser(uow),
            list_muting=use_cases.ListMuting(reads),
            bookmark_tweet=use_cases.BookmarkTweet(uow, clock),
            remove_bookmark=use_cases.RemoveBookmark(uow),
            list_bookmarks=use_cases.ListBookmarks(reads),
            search_tweets=use_cases.SearchTweets(reads),
            search_users=use_cases.SearchUsers(reads),
        )


def memory_reads(uow: UnitOfWork) -> UnitOfWorkReads:
    """The read port over the tests' unit of work, answered on the event loop."""
    return UnitOfWorkReads(lambda: uow, offload=False)


SyncReads = BlockingReads
"""The read port for synchronous tests: the library's own facade."""


def sync_reads(uow: UnitOfWork) -> SyncReads:
    return BlockingReads(memory_reads(uow))


# A token id no test revokes: ``Reads.account`` with it answers any existing user.
NEVER_REVOKED = "never-revoked"


def account_of(reads: SyncReads, user_id: int) -> AccountView:
    """A user with their email, as the read port answers it for an unrevoked token."""
    account = reads.account(user_id, NEVER_REVOKED)
    assert account is not None, f"no user {user_id}"
    return account


def stored_user(uow: MemoryUnitOfWork, user_id: int) -> User:
    """The committed user entity (the read port shows no password hash)."""
    with uow:
        user = uow.users.get(user_id)
    assert user is not None, f"no user {user_id}"
    return user


def snapshot(database: MemoryDatabase) -> dict[str, Any]:
    """The committed state as plain values (entities compare by identity, so copy fields)."""
    state = database.state
    tables: dict[str, dict[int, Any]] = {
        "users": state.users,
        "tweets": state.tweets,
        "likes": state.likes,
        "follows": state.follows,
        "notifications": state.notifications,
    }
    return {
        name: {key: dataclasses.asdict(entity) for key, entity in rows.items()}
        for name, rows in tables.items()
    } | {"last_ids": dict(state.last_ids)}


def ids(entities: Iterable[Any]) -> list[int]:
    return [entity.id for entity in entities]


def tweet_ids(cards: Iterable[TweetCard]) -> list[int]:
    return [card.tweet.id for card in cards]


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
