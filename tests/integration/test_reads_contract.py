"""One contract for the read port (``twitter.application.queries.Reads``), whatever
answers it.

Every test runs on the memory store and SQLite (both through ``UnitOfWorkReads``) and,
when TWITTER_TEST_POSTGRES_URL is set, on PostgreSQL through ``AsyncpgReads``. The data
is written by the write side's use cases, so each view is compared, exactly, with what
the write side answered: the same ids, texts, counts, orders, cursors and instants.

No pytest-asyncio: each test's body is one coroutine, run by ``Store.run`` in one
event loop, at whose end the adapter is closed.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Awaitable, Callable, Coroutine, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Protocol, TypeVar, cast

import pytest
from dependency_injector import providers

from tests.awaiting import run_to_end
from tests.integration.conftest import TEST_SECRET, empty_database_at_head, test_settings
from twitter.adapters.clock import SystemClock
from twitter.adapters.memory import MemoryUnitOfWork
from twitter.adapters.reads.through_unit_of_work import UnitOfWorkReads
from twitter.adapters.security import Argon2PasswordHasher, JwtTokenService
from twitter.application import commands, use_cases
from twitter.application.pagination import MAX_ID, Page, PageRequest
from twitter.application.ports import TokenService, UnitOfWork
from twitter.application.queries import (
    AccountCounts,
    AccountView,
    ConversationView,
    LikeView,
    NotificationView,
    ProfileView,
    Reads,
    RelationshipView,
    ThreadReply,
    TweetCard,
    TweetView,
    UserView,
)
from twitter.container import Container
from twitter.domain.errors import TweetNotFound, UserNotFound
from twitter.domain.model import (
    Follow,
    Like,
    NotificationType,
    ReferencedTweet,
    ReferenceType,
    Tweet,
    User,
)

T = TypeVar("T")

# Ids no row has: zero, negative, absent, the largest bigint; and ids beyond any bigint,
# which must be as absent as those (not an overflow of the driver).
MISSING_IDS = (0, -1, 987_654, MAX_ID, -(2**63))
OUT_OF_RANGE_IDS = (2**63, 2**64, -(2**63) - 1)
BAD_HANDLES = ("nobody", "no such!", "", " alice", "alice ", "a" * 16, "al%", "al_ce'--")


# The stores


@dataclass
class Store:
    """The read port of one store, and the write side's use cases on the same data."""

    name: str
    reads: Reads
    register_user: Callable[[commands.Registration], User]
    post_tweet: Callable[[commands.NewTweet], Tweet]
    like_tweet: Callable[[commands.NewLike], Like]
    unlike_tweet: Callable[[commands.LikeRemoval], None]
    follow_user: Callable[[commands.NewFollow], Follow]
    unfollow_user: Callable[[commands.FollowRemoval], None]
    delete_tweet: Callable[[commands.TweetRemoval], None]
    delete_user: Callable[[commands.AccountRemoval], None]
    revoke_token: Callable[[str], None]
    retweet_tweet: Callable[[commands.NewRetweet], Tweet]
    undo_retweet: Callable[[commands.RetweetRemoval], None]
    edit_profile: Callable[[commands.ProfileEdit], User]
    mark_notifications_read: Callable[[commands.NotificationsRead], None]
    block_user: Callable[[commands.UserTarget], object]
    mute_user: Callable[[commands.UserTarget], object]
    bookmark_tweet: Callable[[commands.BookmarkChange], object]
    tokens: TokenService
    close: Callable[[], Awaitable[None]] | None = None
    _numbers: Iterator[int] = field(default_factory=lambda: itertools.count(1))

    def run(self, main: Callable[[], Coroutine[Any, Any, None]]) -> None:
        """The test's body, in one event loop; the adapter is closed at its end."""

        async def whole() -> None:
            try:
                await main()
            finally:
                if self.close is not None:
                    await self.close()

        run_to_end(whole())

    # Seeding, through the use cases

    def user(self, username: str, email: str | None = None) -> User:
        email = email or f"{username}.{next(self._numbers)}@Example.com"
        return self.register_user(
            commands.Registration(email=email, password="correct horse battery", username=username)
        )

    def post(
        self,
        owner: User,
        text: str = "hello",
        *,
        reply_to: Tweet | None = None,
        quoting: Tweet | None = None,
    ) -> Tweet:
        return self.post_tweet(
            commands.NewTweet(
                actor_id=_id(owner),
                owner_id=_id(owner),
                text=text,
                in_reply_to_id=None if reply_to is None else _id(reply_to),
                quote_tweet_id=None if quoting is None else _id(quoting),
            )
        )

    def retweet(self, user: User, tweet: Tweet) -> Tweet:
        return self.retweet_tweet(
            commands.NewRetweet(actor_id=_id(user), user_id=_id(user), tweet_id=_id(tweet))
        )

    def unretweet(self, user: User, tweet: Tweet) -> None:
        self.undo_retweet(
            commands.RetweetRemoval(actor_id=_id(user), user_id=_id(user), tweet_id=_id(tweet))
        )

    def edit(self, user: User, *, display_name: str | None = None, bio: str | None = None) -> User:
        return self.edit_profile(
            commands.ProfileEdit(actor_id=_id(user), display_name=display_name, bio=bio)
        )

    def mark_read(self, user: User, max_id: int) -> None:
        self.mark_notifications_read(
            commands.NotificationsRead(actor_id=_id(user), user_id=_id(user), max_id=max_id)
        )

    def block(self, user: User, target: User) -> None:
        self.block_user(
            commands.UserTarget(actor_id=_id(user), user_id=_id(user), target_user_id=_id(target))
        )

    def mute(self, user: User, target: User) -> None:
        self.mute_user(
            commands.UserTarget(actor_id=_id(user), user_id=_id(user), target_user_id=_id(target))
        )

    def bookmark(self, user: User, tweet: Tweet) -> None:
        self.bookmark_tweet(
            commands.BookmarkChange(actor_id=_id(user), user_id=_id(user), tweet_id=_id(tweet))
        )

    def like(self, user: User, tweet: Tweet) -> Like:
        return self.like_tweet(
            commands.NewLike(actor_id=_id(user), user_id=_id(user), tweet_id=_id(tweet))
        )

    def unlike(self, user: User, tweet: Tweet) -> None:
        self.unlike_tweet(
            commands.LikeRemoval(actor_id=_id(user), user_id=_id(user), tweet_id=_id(tweet))
        )

    def follow(self, follower: User, followee: User) -> Follow:
        return self.follow_user(
            commands.NewFollow(
                actor_id=_id(follower), user_id=_id(follower), target_user_id=_id(followee)
            )
        )

    def unfollow(self, follower: User, followee: User) -> None:
        self.unfollow_user(
            commands.FollowRemoval(
                actor_id=_id(follower), user_id=_id(follower), target_user_id=_id(followee)
            )
        )

    def remove_tweet(self, tweet: Tweet) -> None:
        self.delete_tweet(commands.TweetRemoval(actor_id=tweet.owner_id, tweet_id=_id(tweet)))

    def remove_user(self, user: User) -> None:
        self.delete_user(commands.AccountRemoval(actor_id=_id(user), user_id=_id(user)))

    def token(self, user: User) -> tuple[str, str]:
        """A fresh access token of ``user`` and its token id."""
        token = self.tokens.issue(_id(user))
        return token, self.tokens.read(token).token_id


def _memory_store() -> Store:
    uow = cast(UnitOfWork, MemoryUnitOfWork())
    clock = SystemClock()
    hasher = Argon2PasswordHasher(memory_kib=64, time_cost=1)
    tokens = JwtTokenService(secret=TEST_SECRET, lifetime=timedelta(minutes=5), now=clock.now)
    return Store(
        name="memory",
        reads=UnitOfWorkReads(lambda: uow, offload=False),
        register_user=use_cases.RegisterUser(uow, hasher, clock),
        post_tweet=use_cases.PostTweet(uow, clock),
        like_tweet=use_cases.LikeTweet(uow, clock),
        unlike_tweet=use_cases.UnlikeTweet(uow),
        follow_user=use_cases.FollowUser(uow, clock),
        unfollow_user=use_cases.UnfollowUser(uow),
        delete_tweet=use_cases.DeleteTweet(uow),
        delete_user=use_cases.DeleteUser(uow),
        revoke_token=use_cases.RevokeToken(uow, tokens, clock),
        retweet_tweet=use_cases.RetweetTweet(uow, clock),
        undo_retweet=use_cases.UndoRetweet(uow),
        edit_profile=use_cases.EditProfile(uow),
        mark_notifications_read=use_cases.MarkNotificationsRead(uow),
        block_user=use_cases.BlockUser(uow, clock),
        mute_user=use_cases.MuteUser(uow, clock),
        bookmark_tweet=use_cases.BookmarkTweet(uow, clock),
        tokens=tokens,
    )


def _database_store(backend: str, container: Container) -> Store:
    reads: Reads
    close: Callable[[], Awaitable[None]] | None = None
    if backend == "sqlite":
        reading = cast(Callable[[], UnitOfWork], container.reading_unit_of_work)
        reads = UnitOfWorkReads(reading, offload=True)
    else:
        from twitter.adapters.reads.postgres import AsyncpgReads

        postgres = AsyncpgReads(
            container.settings().database_url, pool_size=4, statement_cache_size=100
        )
        reads, close = postgres, postgres.aclose
    return Store(
        name=backend,
        reads=reads,
        register_user=container.register_user(),
        post_tweet=container.post_tweet(),
        like_tweet=container.like_tweet(),
        unlike_tweet=container.unlike_tweet(),
        follow_user=container.follow_user(),
        unfollow_user=container.unfollow_user(),
        delete_tweet=container.delete_tweet(),
        delete_user=container.delete_user(),
        revoke_token=container.revoke_token(),
        retweet_tweet=container.retweet_tweet(),
        undo_retweet=container.undo_retweet(),
        edit_profile=container.edit_profile(),
        mark_notifications_read=container.mark_notifications_read(),
        block_user=container.block_user(),
        mute_user=container.mute_user(),
        bookmark_tweet=container.bookmark_tweet(),
        tokens=container.token_service(),
        close=close,
    )


@pytest.fixture(params=["memory", "sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """An empty store; on PostgreSQL skipped only when TWITTER_TEST_POSTGRES_URL is unset."""
    if request.param == "memory":
        yield _memory_store()
        return
    url = empty_database_at_head(request.param, request, tmp_path)
    container = Container()
    container.settings.override(providers.Object(test_settings(url)))
    container.init_resources()
    try:
        yield _database_store(request.param, container)
    finally:
        container.shutdown_resources()
        container.reset_singletons()


# Expected views, from what the write side answered


def _id(entity: User | Tweet | Like | Follow) -> int:
    assert entity.id is not None
    return entity.id


def uv(user: User) -> UserView:
    return UserView(
        id=_id(user),
        username=user.username,
        created_at=user.created_at,
        display_name=user.display_name,
        bio=user.bio,
    )


@dataclass(frozen=True)
class Counts:
    """A tweet's counters as the reads should show them (the entity the write side
    answered holds those of the moment it was posted)."""

    likes: int = 0
    replies: int = 0
    retweets: int = 0
    quotes: int = 0


def tv(tweet: Tweet, likes: int = 0, counts: Counts | None = None) -> TweetView:
    counts = counts or Counts(likes=likes)
    assert tweet.conversation_id is not None
    return TweetView(
        id=_id(tweet),
        text=tweet.text,
        owner_id=tweet.owner_id,
        like_count=counts.likes,
        created_at=tweet.created_at,
        conversation_id=tweet.conversation_id,
        in_reply_to_user_id=tweet.in_reply_to_user_id,
        referenced_tweets=tweet.referenced_tweets,
        reply_count=counts.replies,
        retweet_count=counts.retweets,
        quote_count=counts.quotes,
        entities=tweet.entities,
    )


def card(
    tweet: Tweet,
    author: User,
    likes: int = 0,
    liked: bool = False,
    counts: Counts | None = None,
    *,
    retweeted: bool = False,
    original: TweetCard | None = None,
    bookmarked: bool = False,
) -> TweetCard:
    assert tweet.owner_id == author.id
    return TweetCard(
        tweet=tv(tweet, likes, counts),
        author=uv(author),
        liked_by_viewer=liked,
        retweeted_by_viewer=retweeted,
        original=original,
        bookmarked_by_viewer=bookmarked,
    )


def lv(like: Like) -> LikeView:
    return LikeView(
        id=_id(like), owner_id=like.owner_id, tweet_id=like.tweet_id, created_at=like.created_at
    )


def page(items: list[T], next_cursor: int | None = None) -> Page[T]:
    return Page(items=items, next_cursor=next_cursor)


async def walk(
    fetch: Callable[[PageRequest], Awaitable[Page[T]]], *, limit: int = 2, cursor: str = "max_id"
) -> list[Page[T]]:
    """Every page of a list, following each ``next_cursor`` (as ``cursor``) to the end."""
    pages = [await fetch(PageRequest(limit=limit))]
    while pages[-1].next_cursor is not None:
        assert len(pages) < 100, "the cursors never end"
        request = PageRequest(limit=limit, **{cursor: pages[-1].next_cursor})
        pages.append(await fetch(request))
    return pages


class _Stamped(Protocol):
    @property
    def created_at(self) -> datetime: ...


def assert_utc(moment: datetime) -> None:
    assert moment.tzinfo is not None, f"naive datetime {moment!r}"
    assert moment.utcoffset() == timedelta(0), f"not UTC: {moment!r}"


# Users


def test_user_by_id_and_by_username_in_any_letter_case(store: Store) -> None:
    alice, bob = store.user("Alice"), store.user("bob")

    async def main() -> None:
        reads = store.reads
        assert await reads.user(_id(alice)) == uv(alice)
        assert await reads.user(_id(bob)) == uv(bob)
        for handle in ("Alice", "alice", "ALICE", "aLiCe"):
            assert await reads.user_by_username(handle) == uv(alice)
        for handle in ("bob", "BOB", "Bob"):
            assert await reads.user_by_username(handle) == uv(bob)

    store.run(main)


def test_missing_users_and_invalid_handles_are_user_not_found(store: Store) -> None:
    alice = store.user("alice")

    async def main() -> None:
        reads = store.reads
        for user_id in MISSING_IDS + OUT_OF_RANGE_IDS:
            with pytest.raises(UserNotFound):
                await reads.user(user_id)
        for handle in BAD_HANDLES:
            with pytest.raises(UserNotFound):
                await reads.user_by_username(handle)
            with pytest.raises(UserNotFound):
                await reads.profile(handle)
        assert await reads.user(_id(alice)) == uv(alice)

    store.run(main)


def test_a_deleted_user_is_not_found(store: Store) -> None:
    alice, bob = store.user("alice"), store.user("bob")
    store.post(alice)
    store.remove_user(alice)

    async def main() -> None:
        reads = store.reads
        with pytest.raises(UserNotFound):
            await reads.user(_id(alice))
        with pytest.raises(UserNotFound):
            await reads.user_by_username("alice")
        with pytest.raises(UserNotFound):
            await reads.profile("alice")
        assert await reads.users(PageRequest()) == page([uv(bob)])

    store.run(main)


def test_account_is_the_user_with_their_email_until_the_token_is_revoked(store: Store) -> None:
    alice = store.user("Alice", email="  Alice.Liddell@Example.COM ")
    bob = store.user("bob")
    first, first_id = store.token(alice)
    _, second_id = store.token(alice)
    _, bobs_id = store.token(bob)
    account = AccountView(
        id=_id(alice),
        username="Alice",
        created_at=alice.created_at,
        display_name="Alice",
        bio="",
        email="alice.liddell@example.com",
    )
    assert alice.email == account.email

    async def main() -> None:
        reads = store.reads
        assert await reads.account(_id(alice), first_id) == account
        assert await reads.account(_id(alice), second_id) == account
        store.revoke_token(first)
        assert await reads.account(_id(alice), first_id) is None
        assert await reads.account(_id(alice), second_id) == account
        assert await reads.account(_id(bob), bobs_id) == AccountView(
            id=_id(bob),
            username="bob",
            created_at=bob.created_at,
            display_name="bob",
            bio="",
            email=bob.email,
        )
        for user_id in MISSING_IDS + OUT_OF_RANGE_IDS:
            assert await reads.account(user_id, second_id) is None
        store.remove_user(alice)
        assert await reads.account(_id(alice), second_id) is None
        assert await reads.account(_id(bob), bobs_id) is not None

    store.run(main)


def test_profile_counts_and_whether_the_viewer_follows(store: Store) -> None:
    alice, bob, carol, dave = (store.user(n) for n in ("Alice", "bob", "carol", "dave"))
    first, _ = store.post(alice, "one"), store.post(alice, "two")
    bobs = store.post(bob, "bob's")
    store.like(alice, bobs)
    store.like(alice, first)
    store.like(carol, first)
    store.follow(bob, alice)
    store.follow(carol, alice)
    store.follow(alice, carol)

    async def main() -> None:
        reads = store.reads

        def profile(
            user: User, tweets: int, likes: int, followers: int, following: int
        ) -> Callable[[bool], ProfileView]:
            def viewed(followed: bool) -> ProfileView:
                return ProfileView(
                    user=uv(user),
                    tweet_count=tweets,
                    like_count=likes,
                    follower_count=followers,
                    following_count=following,
                    followed_by_viewer=followed,
                )

            return viewed

        alices = profile(alice, tweets=2, likes=2, followers=2, following=1)
        for handle in ("Alice", "alice", "ALICE"):
            assert await reads.profile(handle) == alices(False)
        assert await reads.profile("alice", None) == alices(False)
        assert await reads.profile("alice", _id(bob)) == alices(True)
        assert await reads.profile("alice", _id(carol)) == alices(True)
        assert await reads.profile("alice", _id(dave)) == alices(False)
        assert await reads.profile("alice", _id(alice)) == alices(False)
        assert await reads.profile("alice", 987_654) == alices(False)
        carols = profile(carol, tweets=0, likes=1, followers=1, following=1)
        assert await reads.profile("carol", _id(alice)) == carols(True)
        assert await reads.profile("carol", _id(bob)) == carols(False)
        daves = profile(dave, tweets=0, likes=0, followers=0, following=0)
        assert await reads.profile("DAVE") == daves(False)

        # Bob goes, with his tweet, the like Alice gave it and his follow of Alice.
        store.remove_user(bob)
        alices = profile(alice, tweets=2, likes=1, followers=1, following=1)
        assert await reads.profile("alice", _id(carol)) == alices(True)
        assert await reads.profile("alice", _id(bob)) == alices(False)
        store.unfollow(carol, alice)
        store.unlike(alice, first)
        store.remove_tweet(first)
        alices = profile(alice, tweets=1, likes=0, followers=0, following=1)
        assert await reads.profile("alice", _id(carol)) == alices(False)
        carols = profile(carol, tweets=0, likes=0, followers=1, following=0)
        assert await reads.profile("carol") == carols(False)

    store.run(main)


def test_users_oldest_first_with_since_id_cursors(store: Store) -> None:
    async def main() -> None:
        reads = store.reads
        assert await reads.users(PageRequest()) == page([])
        users = [store.user(f"user{n}") for n in range(5)]
        views = [uv(user) for user in users]
        assert await reads.users(PageRequest()) == page(views)
        assert await walk(reads.users, cursor="since_id") == [
            page(views[0:2], _id(users[1])),
            page(views[2:4], _id(users[3])),
            page(views[4:5]),
        ]
        assert await reads.users(PageRequest(limit=5)) == page(views)
        assert await reads.users(PageRequest(limit=4)) == page(views[:4], _id(users[3]))
        assert await reads.users(PageRequest(limit=2, skip=1)) == page(views[1:3], _id(users[2]))
        assert await reads.users(PageRequest(limit=2, skip=3)) == page(views[3:5])
        assert await reads.users(PageRequest(skip=5)) == page([])
        assert await reads.users(PageRequest(skip=50)) == page([])
        assert await reads.users(PageRequest(skip=MAX_ID)) == page([])
        assert await reads.users(PageRequest(since_id=0, max_id=MAX_ID)) == page(views)
        assert await reads.users(PageRequest(since_id=_id(users[2]))) == page(views[3:])
        assert await reads.users(PageRequest(max_id=_id(users[2]))) == page(views[:2])
        assert await reads.users(PageRequest(since_id=_id(users[4]))) == page([])
        assert await reads.users(PageRequest(since_id=MAX_ID)) == page([])
        assert await reads.users(PageRequest(max_id=0)) == page([])
        store.remove_user(users[1])
        assert await reads.users(PageRequest()) == page([views[0], *views[2:]])
        assert await reads.users(PageRequest(limit=1, since_id=_id(users[0]))) == page(
            views[2:3], _id(users[2])
        )

    store.run(main)


# Follows


def test_followers_and_following_newest_follow_first_keyed_by_follow(store: Store) -> None:
    alice, bob, carol, dave, erin = (
        store.user(n) for n in ("alice", "bob", "carol", "dave", "erin")
    )
    alice_bob = store.follow(alice, bob)
    alice_dave = store.follow(alice, dave)
    dave_alice = store.follow(dave, alice)
    bob_alice = store.follow(bob, alice)
    carol_alice = store.follow(carol, alice)
    # The cursors are follow ids, in an order unlike the users' ids.
    assert _id(alice_dave) < _id(dave_alice) < _id(bob_alice) < _id(carol_alice)
    assert _id(bob_alice) != _id(bob)

    async def main() -> None:
        reads = store.reads
        followers = [uv(carol), uv(bob), uv(dave)]
        assert await reads.followers(_id(alice), PageRequest()) == page(followers)
        assert await walk(lambda p: reads.followers(_id(alice), p)) == [
            page(followers[:2], _id(bob_alice)),
            page(followers[2:]),
        ]
        assert await reads.followers(_id(alice), PageRequest(limit=1, skip=1)) == page(
            [uv(bob)], _id(bob_alice)
        )
        assert await reads.followers(_id(alice), PageRequest(skip=3)) == page([])
        assert await reads.followers(_id(alice), PageRequest(skip=MAX_ID)) == page([])
        assert await reads.followers(_id(alice), PageRequest(max_id=MAX_ID, since_id=0)) == page(
            followers
        )
        assert await reads.followers(_id(alice), PageRequest(since_id=_id(dave_alice))) == page(
            [uv(carol), uv(bob)]
        )
        assert await reads.following(_id(alice), PageRequest()) == page([uv(dave), uv(bob)])
        assert await walk(lambda p: reads.following(_id(alice), p), limit=1) == [
            page([uv(dave)], _id(alice_dave)),
            page([uv(bob)]),
        ]
        assert await reads.following(_id(alice), PageRequest(max_id=_id(alice_bob))) == page([])
        assert await reads.followers(_id(bob), PageRequest()) == page([uv(alice)])
        assert await reads.following(_id(bob), PageRequest()) == page([uv(alice)])
        # Someone who follows nobody and whom nobody follows: empty pages, not an error.
        assert await reads.followers(_id(erin), PageRequest()) == page([])
        assert await reads.following(_id(erin), PageRequest()) == page([])
        for user_id in MISSING_IDS:
            with pytest.raises(UserNotFound):
                await reads.followers(user_id, PageRequest())
            with pytest.raises(UserNotFound):
                await reads.following(user_id, PageRequest())

        store.unfollow(bob, alice)
        assert await reads.followers(_id(alice), PageRequest()) == page([uv(carol), uv(dave)])
        store.remove_user(dave)
        assert await reads.followers(_id(alice), PageRequest()) == page([uv(carol)])
        assert await reads.following(_id(alice), PageRequest()) == page([uv(bob)])
        with pytest.raises(UserNotFound):
            await reads.followers(_id(dave), PageRequest())
        with pytest.raises(UserNotFound):
            await reads.following(_id(dave), PageRequest())

    store.run(main)


# Likes


def test_liking_users_newest_like_first_keyed_by_like(store: Store) -> None:
    alice, bob, carol, dave = (store.user(n) for n in ("alice", "bob", "carol", "dave"))
    other = store.post(bob, "other")
    tweet = store.post(alice, "liked")
    unliked = store.post(alice, "nobody likes this")
    store.like(alice, other)
    store.like(bob, other)
    dave_likes = store.like(dave, tweet)
    alice_likes = store.like(alice, tweet)
    carol_likes = store.like(carol, tweet)
    assert _id(alice_likes) != _id(alice)

    async def main() -> None:
        reads = store.reads
        likers = [uv(carol), uv(alice), uv(dave)]
        assert await reads.liking_users(_id(tweet), PageRequest()) == page(likers)
        assert await walk(lambda p: reads.liking_users(_id(tweet), p)) == [
            page(likers[:2], _id(alice_likes)),
            page(likers[2:]),
        ]
        assert await reads.liking_users(_id(tweet), PageRequest(limit=1, skip=2)) == page(
            [uv(dave)]
        )
        assert await reads.liking_users(
            _id(tweet), PageRequest(since_id=_id(dave_likes), max_id=_id(carol_likes))
        ) == page([uv(alice)])
        assert await reads.liking_users(_id(unliked), PageRequest()) == page([])
        assert await reads.liking_users(_id(other), PageRequest()) == page([uv(bob), uv(alice)])
        for tweet_id in MISSING_IDS:
            with pytest.raises(TweetNotFound):
                await reads.liking_users(tweet_id, PageRequest())

        store.unlike(alice, tweet)
        assert await reads.liking_users(_id(tweet), PageRequest()) == page([uv(carol), uv(dave)])
        store.remove_user(carol)
        assert await reads.liking_users(_id(tweet), PageRequest()) == page([uv(dave)])
        store.remove_tweet(tweet)
        with pytest.raises(TweetNotFound):
            await reads.liking_users(_id(tweet), PageRequest())

    store.run(main)


def test_user_likes_newest_first(store: Store) -> None:
    alice, bob, carol = (store.user(n) for n in ("alice", "bob", "carol"))
    tweets = [store.post(alice, f"tweet {n}") for n in range(4)]
    likes = [store.like(bob, tweets[n]) for n in (2, 0, 3, 1)]
    store.like(carol, tweets[0])

    async def main() -> None:
        reads = store.reads
        views = [lv(like) for like in reversed(likes)]
        assert await reads.user_likes(_id(bob), PageRequest()) == page(views)
        assert await walk(lambda p: reads.user_likes(_id(bob), p)) == [
            page(views[:2], views[1].id),
            page(views[2:]),
        ]
        assert await reads.user_likes(_id(bob), PageRequest(limit=2, skip=1)) == page(
            views[1:3], views[2].id
        )
        assert await reads.user_likes(_id(bob), PageRequest(skip=4)) == page([])
        assert await reads.user_likes(_id(bob), PageRequest(skip=9, limit=3)) == page([])
        assert await reads.user_likes(_id(bob), PageRequest(since_id=views[2].id)) == page(
            views[:2]
        )
        assert await reads.user_likes(_id(alice), PageRequest()) == page([])
        for user_id in MISSING_IDS:
            with pytest.raises(UserNotFound):
                await reads.user_likes(user_id, PageRequest())

        store.unlike(bob, tweets[3])
        assert await reads.user_likes(_id(bob), PageRequest()) == page(
            [views[0], views[2], views[3]]
        )
        store.remove_tweet(tweets[0])
        assert await reads.user_likes(_id(bob), PageRequest()) == page([views[0], views[3]])

    store.run(main)


# Tweets


def test_tweet_card_with_author_and_viewer_flag(store: Store) -> None:
    alice, bob, carol = (store.user(n) for n in ("Alice", "bob", "carol"))
    tweet = store.post(alice, "  hello, world  ")
    assert tweet.text == "hello, world"
    store.like(bob, tweet)
    store.like(carol, tweet)

    async def main() -> None:
        reads = store.reads
        assert await reads.tweet(_id(tweet)) == card(tweet, alice, likes=2, liked=False)
        assert await reads.bare_tweet(_id(tweet)) == card(tweet, alice, likes=2).tweet
        assert await reads.tweet(_id(tweet), None) == card(tweet, alice, likes=2, liked=False)
        assert await reads.tweet(_id(tweet), _id(bob)) == card(tweet, alice, likes=2, liked=True)
        assert await reads.tweet(_id(tweet), _id(alice)) == card(tweet, alice, likes=2)
        assert await reads.tweet(_id(tweet), 987_654) == card(tweet, alice, likes=2)
        store.unlike(bob, tweet)
        assert await reads.tweet(_id(tweet), _id(bob)) == card(tweet, alice, likes=1)
        assert await reads.tweet(_id(tweet), _id(carol)) == card(tweet, alice, 1, liked=True)
        store.remove_user(carol)  # her like goes, and the count with it
        assert await reads.tweet(_id(tweet), _id(carol)) == card(tweet, alice, likes=0)
        for tweet_id in MISSING_IDS + OUT_OF_RANGE_IDS:
            with pytest.raises(TweetNotFound):
                await reads.tweet(tweet_id)
            with pytest.raises(TweetNotFound):
                await reads.bare_tweet(tweet_id)
        store.remove_tweet(tweet)
        with pytest.raises(TweetNotFound):
            await reads.tweet(_id(tweet))
        with pytest.raises(TweetNotFound):
            await reads.bare_tweet(_id(tweet))
        with pytest.raises(TweetNotFound):
            await reads.tweet(_id(tweet), _id(bob))

        bobs = store.post(bob, "gone with bob")
        assert await reads.tweet(_id(bobs)) == card(bobs, bob)
        store.remove_user(bob)
        with pytest.raises(TweetNotFound):
            await reads.tweet(_id(bobs))

    store.run(main)


def test_tweets_newest_first_pages_skip_and_since_id(store: Store) -> None:
    alice, bob = store.user("alice"), store.user("bob")
    tweets = [store.post(alice if n % 2 == 0 else bob, f"tweet {n}") for n in range(5)]
    authors = {_id(alice): alice, _id(bob): bob}
    store.like(bob, tweets[0])
    store.like(alice, tweets[3])
    store.like(bob, tweets[3])

    async def main() -> None:
        reads = store.reads
        likes = {0: 1, 3: 2}

        def cards(*numbers: int, viewer_liked: frozenset[int] = frozenset()) -> list[TweetCard]:
            return [
                card(tweets[n], authors[tweets[n].owner_id], likes.get(n, 0), n in viewer_liked)
                for n in numbers
            ]

        newest_first = cards(4, 3, 2, 1, 0)
        assert await reads.tweets(PageRequest()) == page(newest_first)
        pages = await walk(reads.tweets)
        assert pages == [
            page(newest_first[0:2], _id(tweets[3])),
            page(newest_first[2:4], _id(tweets[1])),
            page(newest_first[4:5]),
        ]
        items = [item for p in pages for item in p.items]
        assert items == newest_first
        assert await reads.tweets(PageRequest(limit=5)) == page(newest_first)
        assert await reads.tweets(PageRequest(limit=2, skip=1)) == page(cards(3, 2), _id(tweets[2]))
        assert await reads.tweets(PageRequest(limit=2, skip=4)) == page(cards(0))
        assert await reads.tweets(PageRequest(limit=2, skip=5)) == page([])
        assert await reads.tweets(PageRequest(skip=100)) == page([])
        assert await reads.tweets(PageRequest(skip=MAX_ID)) == page([])
        assert await reads.tweets(PageRequest(max_id=MAX_ID, since_id=0)) == page(newest_first)
        assert await reads.tweets(PageRequest(since_id=_id(tweets[2]))) == page(cards(4, 3))
        assert await reads.tweets(
            PageRequest(since_id=_id(tweets[0]), max_id=_id(tweets[4]))
        ) == page(cards(3, 2, 1))
        assert await reads.tweets(PageRequest(since_id=_id(tweets[4]))) == page([])
        assert await reads.tweets(PageRequest(max_id=_id(tweets[0]))) == page([])
        assert await reads.tweets(PageRequest(), _id(bob)) == page(
            cards(4, 3, 2, 1, 0, viewer_liked=frozenset({0, 3}))
        )
        assert await reads.tweets(PageRequest(), _id(alice)) == page(
            cards(4, 3, 2, 1, 0, viewer_liked=frozenset({3}))
        )

        store.unlike(bob, tweets[3])
        store.like(alice, tweets[4])
        likes.update({3: 1, 4: 1})
        assert await reads.tweets(PageRequest(), _id(alice)) == page(
            cards(4, 3, 2, 1, 0, viewer_liked=frozenset({3, 4}))
        )
        store.remove_tweet(tweets[2])
        assert await reads.tweets(PageRequest(limit=2)) == page(cards(4, 3), _id(tweets[3]))
        assert await reads.tweets(PageRequest(limit=2, max_id=_id(tweets[3]))) == page(cards(1, 0))
        store.remove_user(bob)  # his tweets and his like of tweet 0 go
        likes[0] = 0
        assert await reads.tweets(PageRequest()) == page(cards(4, 0))

    store.run(main)


def test_user_tweets_newest_first(store: Store) -> None:
    alice, bob, carol = (store.user(n) for n in ("alice", "bob", "carol"))
    mine = []
    for n in range(5):
        mine.append(store.post(alice, f"alice {n}"))
        store.post(bob, f"bob {n}")
    store.like(bob, mine[1])
    store.like(bob, mine[4])

    async def main() -> None:
        reads = store.reads
        likes = {1: 1, 4: 1}

        def cards(*numbers: int, liked: frozenset[int] = frozenset()) -> list[TweetCard]:
            return [card(mine[n], alice, likes.get(n, 0), n in liked) for n in numbers]

        assert await reads.user_tweets(_id(alice), PageRequest()) == page(cards(4, 3, 2, 1, 0))
        assert await walk(lambda p: reads.user_tweets(_id(alice), p)) == [
            page(cards(4, 3), _id(mine[3])),
            page(cards(2, 1), _id(mine[1])),
            page(cards(0)),
        ]
        assert await reads.user_tweets(_id(alice), PageRequest(), _id(bob)) == page(
            cards(4, 3, 2, 1, 0, liked=frozenset({1, 4}))
        )
        assert await reads.user_tweets(_id(alice), PageRequest(limit=1, skip=3)) == page(
            cards(1), _id(mine[1])
        )
        assert await reads.user_tweets(_id(alice), PageRequest(skip=5)) == page([])
        assert await reads.user_tweets(_id(alice), PageRequest(since_id=_id(mine[2]))) == page(
            cards(4, 3)
        )
        assert await reads.user_tweets(_id(carol), PageRequest()) == page([])
        for user_id in MISSING_IDS:
            with pytest.raises(UserNotFound):
                await reads.user_tweets(user_id, PageRequest())
        store.remove_tweet(mine[3])
        store.unlike(bob, mine[4])
        likes[4] = 0
        assert await reads.user_tweets(_id(alice), PageRequest(), _id(bob)) == page(
            cards(4, 2, 1, 0, liked=frozenset({1}))
        )

    store.run(main)


def test_liked_tweets_newest_like_first_keyed_by_like(store: Store) -> None:
    alice, bob, carol = (store.user(n) for n in ("alice", "bob", "carol"))
    tweets = [store.post(alice if n < 3 else carol, f"tweet {n}") for n in range(5)]
    authors = {_id(alice): alice, _id(carol): carol}
    store.like(carol, tweets[2])
    bobs = {n: store.like(bob, tweets[n]) for n in (2, 0, 4, 1)}  # in this order
    store.like(alice, tweets[4])

    async def main() -> None:
        reads = store.reads
        likes = {0: 1, 1: 1, 2: 2, 4: 2}

        def cards(*numbers: int, liked: frozenset[int] = frozenset()) -> list[TweetCard]:
            return [
                card(tweets[n], authors[tweets[n].owner_id], likes.get(n, 0), n in liked)
                for n in numbers
            ]

        newest_like_first = cards(1, 4, 0, 2)
        assert await reads.liked_tweets(_id(bob), PageRequest()) == page(newest_like_first)
        assert await walk(lambda p: reads.liked_tweets(_id(bob), p)) == [
            page(cards(1, 4), _id(bobs[4])),
            page(cards(0, 2)),
        ]
        assert await walk(lambda p: reads.liked_tweets(_id(bob), p), limit=3) == [
            page(cards(1, 4, 0), _id(bobs[0])),
            page(cards(2)),
        ]
        assert await reads.liked_tweets(_id(bob), PageRequest(), _id(bob)) == page(
            cards(1, 4, 0, 2, liked=frozenset({0, 1, 2, 4}))
        )
        assert await reads.liked_tweets(_id(bob), PageRequest(), _id(alice)) == page(
            cards(1, 4, 0, 2, liked=frozenset({4}))
        )
        assert await reads.liked_tweets(_id(bob), PageRequest(limit=2, skip=1)) == page(
            cards(4, 0), _id(bobs[0])
        )
        assert await reads.liked_tweets(_id(bob), PageRequest(skip=4)) == page([])
        assert await reads.liked_tweets(_id(bob), PageRequest(since_id=_id(bobs[0]))) == page(
            cards(1, 4)
        )
        assert await reads.liked_tweets(_id(bob), PageRequest(max_id=_id(bobs[0]))) == page(
            cards(2)
        )
        assert await reads.liked_tweets(_id(carol), PageRequest()) == page(cards(2))
        assert await reads.liked_tweets(_id(alice), PageRequest()) == page(cards(4))
        bob_only = store.user("dave")
        assert await reads.liked_tweets(_id(bob_only), PageRequest()) == page([])
        for user_id in MISSING_IDS:
            with pytest.raises(UserNotFound):
                await reads.liked_tweets(user_id, PageRequest())

        store.unlike(bob, tweets[4])
        store.remove_tweet(tweets[0])
        likes[4] = 1
        assert await reads.liked_tweets(_id(bob), PageRequest()) == page(cards(1, 2))
        newest = store.like(bob, tweets[3])
        likes[3] = 1
        assert await reads.liked_tweets(_id(bob), PageRequest(limit=1)) == page(
            cards(3), _id(newest)
        )
        assert await reads.liked_tweets(_id(bob), PageRequest(max_id=_id(newest))) == page(
            cards(1, 2)
        )

    store.run(main)


def test_home_timeline_own_and_followed_tweets_newest_first(store: Store) -> None:
    alice, bob, carol, dave = (store.user(n) for n in ("alice", "bob", "carol", "dave"))
    store.follow(alice, bob)
    store.follow(alice, dave)
    store.follow(carol, alice)  # being followed brings nothing into Alice's timeline
    posts: list[Tweet] = []
    for n in range(3):
        for author in (alice, bob, carol):
            posts.append(store.post(author, f"{author.username} {n}"))
    authors = {_id(u): u for u in (alice, bob, carol, dave)}
    store.like(alice, posts[1])
    store.like(carol, posts[1])
    store.like(carol, posts[3])

    async def main() -> None:
        reads = store.reads
        likes = {1: 2, 3: 1}

        def cards(*numbers: int, liked: frozenset[int] = frozenset()) -> list[TweetCard]:
            return [
                card(posts[n], authors[posts[n].owner_id], likes.get(n, 0), n in liked)
                for n in numbers
            ]

        # posts: 0 alice, 1 bob, 2 carol, 3 alice, 4 bob, 5 carol, 6 alice, 7 bob, 8 carol
        home = cards(7, 6, 4, 3, 1, 0)
        assert await reads.home_timeline(_id(alice), PageRequest()) == page(home)
        assert await walk(lambda p: reads.home_timeline(_id(alice), p)) == [
            page(home[0:2], _id(posts[6])),
            page(home[2:4], _id(posts[3])),
            page(home[4:6]),
        ]
        assert await reads.home_timeline(_id(alice), PageRequest(), _id(alice)) == page(
            cards(7, 6, 4, 3, 1, 0, liked=frozenset({1}))
        )
        assert await reads.home_timeline(_id(alice), PageRequest(), _id(carol)) == page(
            cards(7, 6, 4, 3, 1, 0, liked=frozenset({1, 3}))
        )
        assert await reads.home_timeline(_id(alice), PageRequest(limit=2, skip=3)) == page(
            cards(3, 1), _id(posts[1])
        )
        assert await reads.home_timeline(_id(alice), PageRequest(skip=6)) == page([])
        assert await reads.home_timeline(_id(alice), PageRequest(since_id=_id(posts[3]))) == page(
            cards(7, 6, 4)
        )
        assert await reads.home_timeline(_id(carol), PageRequest()) == page(cards(8, 6, 5, 3, 2, 0))
        assert await reads.home_timeline(_id(bob), PageRequest()) == page(cards(7, 4, 1))
        # Dave posts nothing and follows nobody: an empty timeline, not an error.
        assert await reads.home_timeline(_id(dave), PageRequest()) == page([])
        for user_id in MISSING_IDS:
            with pytest.raises(UserNotFound):
                await reads.home_timeline(user_id, PageRequest())

        store.unfollow(alice, bob)
        assert await reads.home_timeline(_id(alice), PageRequest()) == page(cards(6, 3, 0))
        store.follow(alice, carol)
        assert await reads.home_timeline(_id(alice), PageRequest()) == page(cards(8, 6, 5, 3, 2, 0))
        store.remove_user(carol)  # her tweets and her likes go
        likes.update({1: 1, 3: 0})
        assert await reads.home_timeline(_id(alice), PageRequest()) == page(cards(6, 3, 0))
        store.remove_user(alice)
        with pytest.raises(UserNotFound):
            await reads.home_timeline(_id(alice), PageRequest())

    store.run(main)


# Profiles, references, counters and entities


def test_every_view_of_a_user_shows_their_display_name_and_bio(store: Store) -> None:
    alice, bob = store.user("Alice"), store.user("bob")
    assert (alice.display_name, alice.bio) == ("Alice", "")
    tweet = store.post(alice, "hi")
    store.follow(bob, alice)
    store.like(bob, tweet)
    _, token_id = store.token(bob)
    bob = store.edit(bob, display_name="  Bob the Builder ", bio="Can we fix it?")
    bobs = store.post(bob, "yes we can")

    async def main() -> None:
        nonlocal bob
        reads = store.reads
        builder = uv(bob)
        assert (builder.display_name, builder.bio) == ("Bob the Builder", "Can we fix it?")
        assert await reads.user(_id(bob)) == builder
        assert await reads.user_by_username("BOB") == builder
        assert (await reads.profile("bob")).user == builder
        account = await reads.account(_id(bob), token_id)
        assert account is not None
        assert (account.display_name, account.bio) == ("Bob the Builder", "Can we fix it?")
        assert await reads.users(PageRequest()) == page([uv(alice), builder])
        assert await reads.followers(_id(alice), PageRequest()) == page([builder])
        assert await reads.liking_users(_id(tweet), PageRequest()) == page([builder])
        assert (await reads.tweet(_id(bobs))).author == builder
        assert [card.author for card in (await reads.tweets(PageRequest())).items] == [
            builder,
            uv(alice),
        ]
        notified = await reads.notifications(_id(alice), PageRequest())
        assert [n.actor for n in notified.items] == [builder, builder]

        bob = store.edit(bob, display_name="")  # the username again; the bio stays
        assert await reads.user(_id(bob)) == dataclasses.replace(builder, display_name="bob")

    store.run(main)


def test_tweet_views_show_references_counters_entities_and_conversation(store: Store) -> None:
    alice, bob, carol = (store.user(n) for n in ("alice", "bob", "carol"))
    root = store.post(alice, "Hello #World, @bob and @nobody")
    reply = store.post(bob, "@alice hi back #world", reply_to=root)
    deeper = store.post(carol, "me too", reply_to=reply)
    quote = store.post(carol, "look at this #Quote", quoting=root)
    retweet = store.retweet(bob, root)
    via_retweet = store.post(carol, "answering a retweet", reply_to=retweet)
    both = store.post(alice, "a reply and a quote", reply_to=deeper, quoting=reply)
    store.like(bob, root)
    authors = {_id(u): u for u in (alice, bob, carol)}
    # The entities the write side found, which the reads must show as they are.
    assert [tag.tag for tag in root.entities.hashtags] == ["World"]
    assert [(m.username, m.id) for m in root.entities.mentions] == [("bob", _id(bob))]
    assert retweet.text == root.text and retweet.entities == root.entities
    assert via_retweet.in_reply_to_id == _id(root)
    assert both.referenced_tweets == (
        ReferencedTweet(ReferenceType.REPLIED_TO, _id(deeper)),
        ReferencedTweet(ReferenceType.QUOTED, _id(reply)),
    )
    counts = {
        _id(root): Counts(likes=1, replies=2, retweets=1, quotes=1),
        _id(reply): Counts(replies=1, quotes=1),
        _id(deeper): Counts(replies=1),
    }

    everything = (both, via_retweet, retweet, quote, deeper, reply, root)
    by_id = {_id(t): t for t in everything}

    def one_card(t: Tweet) -> TweetCard:
        return card(t, authors[t.owner_id], counts=counts.get(_id(t), Counts()))

    def cards(*tweets: Tweet) -> list[TweetCard]:
        """A retweet's card carries its original's."""
        return [
            card(
                t,
                authors[t.owner_id],
                counts=counts.get(_id(t), Counts()),
                original=one_card(by_id[t.retweeted_id]) if t.retweeted_id else None,
            )
            for t in tweets
        ]

    async def main() -> None:
        reads = store.reads
        for tweet, expected in zip(everything, cards(*everything), strict=True):
            assert await reads.tweet(_id(tweet)) == expected
            assert await reads.bare_tweet(_id(tweet)) == expected.tweet
        assert await reads.tweets(PageRequest()) == page(cards(*everything))
        assert await reads.user_tweets(_id(bob), PageRequest()) == page(cards(retweet, reply))
        one = (await reads.tweet(_id(deeper))).tweet
        assert one.conversation_id == _id(root)
        assert one.in_reply_to_user_id == _id(bob)
        assert one.referenced_tweets == (ReferencedTweet(ReferenceType.REPLIED_TO, _id(reply)),)
        shared = (await reads.tweet(_id(retweet))).tweet
        assert shared.conversation_id == _id(retweet)
        assert shared.referenced_tweets == (ReferencedTweet(ReferenceType.RETWEETED, _id(root)),)
        assert shared.entities == root.entities

        # Replies outlive their parent (without it), quotes their quoted tweet (still
        # pointing at it); the retweet goes with its original.
        store.remove_tweet(root)
        orphan = dataclasses.replace(reply, in_reply_to_id=None)
        assert await reads.tweet(_id(reply)) == card(orphan, bob, counts=counts[_id(reply)])
        assert (await reads.tweet(_id(reply))).tweet.conversation_id == _id(root)
        assert (await reads.tweet(_id(quote))).tweet.referenced_tweets == (
            ReferencedTweet(ReferenceType.QUOTED, _id(root)),
        )
        with pytest.raises(TweetNotFound):
            await reads.tweet(_id(retweet))

    store.run(main)


# Retweets and quotes


def test_retweeted_by_newest_retweet_first_keyed_by_retweet(store: Store) -> None:
    alice, bob, carol, dave, erin = (
        store.user(n) for n in ("alice", "bob", "carol", "dave", "erin")
    )
    tweet = store.post(alice, "share me")
    other = store.post(bob, "other")
    bobs = store.retweet(bob, tweet)
    store.retweet(dave, tweet)
    carols = store.retweet(carol, tweet)
    store.retweet(alice, other)
    erins = store.retweet(erin, bobs)  # a retweet of a retweet shares the original
    assert erins.retweeted_id == _id(tweet)
    unshared = store.post(carol, "nobody shares this")

    async def main() -> None:
        reads = store.reads
        sharers = [uv(erin), uv(carol), uv(dave), uv(bob)]
        assert await reads.retweeted_by(_id(tweet), PageRequest()) == page(sharers)
        assert await walk(lambda p: reads.retweeted_by(_id(tweet), p)) == [
            page(sharers[:2], _id(carols)),
            page(sharers[2:]),
        ]
        assert await reads.retweeted_by(_id(tweet), PageRequest(limit=1, skip=1)) == page(
            [uv(carol)], _id(carols)
        )
        assert await reads.retweeted_by(_id(tweet), PageRequest(skip=4)) == page([])
        assert await reads.retweeted_by(
            _id(tweet), PageRequest(since_id=_id(bobs), max_id=_id(erins))
        ) == page([uv(carol), uv(dave)])
        assert (await reads.tweet(_id(tweet))).tweet.retweet_count == 4
        assert await reads.retweeted_by(_id(other), PageRequest()) == page([uv(alice)])
        # Retweets are of originals: a retweet itself is nobody's to retweet.
        assert await reads.retweeted_by(_id(bobs), PageRequest()) == page([])
        assert await reads.retweeted_by(_id(unshared), PageRequest()) == page([])
        for tweet_id in MISSING_IDS:
            with pytest.raises(TweetNotFound):
                await reads.retweeted_by(tweet_id, PageRequest())

        store.unretweet(dave, tweet)
        assert await reads.retweeted_by(_id(tweet), PageRequest()) == page(
            [uv(erin), uv(carol), uv(bob)]
        )
        store.remove_user(bob)  # his retweet goes; Erin's, of the original, stays
        assert await reads.retweeted_by(_id(tweet), PageRequest()) == page([uv(erin), uv(carol)])
        assert (await reads.tweet(_id(tweet))).tweet.retweet_count == 2
        store.remove_tweet(tweet)
        with pytest.raises(TweetNotFound):
            await reads.retweeted_by(_id(tweet), PageRequest())

    store.run(main)


def test_quote_tweets_newest_first(store: Store) -> None:
    alice, bob, carol = (store.user(n) for n in ("alice", "bob", "carol"))
    tweet = store.post(alice, "quote me")
    first = store.post(bob, "first", quoting=tweet)
    plain = store.post(carol, "no quote")
    second = store.post(carol, "second", quoting=tweet)
    shared = store.retweet(bob, tweet)
    third = store.post(alice, "through a retweet", quoting=shared)  # quotes the original
    store.like(carol, first)
    authors = {_id(u): u for u in (alice, bob, carol)}

    async def main() -> None:
        reads = store.reads
        likes = {_id(first): 1}

        def cards(*tweets: Tweet, liked: frozenset[int] = frozenset()) -> list[TweetCard]:
            return [
                card(t, authors[t.owner_id], likes.get(_id(t), 0), _id(t) in liked) for t in tweets
            ]

        assert third.referenced_tweets == (ReferencedTweet(ReferenceType.QUOTED, _id(tweet)),)
        quotes = cards(third, second, first)
        assert await reads.quote_tweets(_id(tweet), PageRequest()) == page(quotes)
        assert await walk(lambda p: reads.quote_tweets(_id(tweet), p)) == [
            page(quotes[:2], _id(second)),
            page(quotes[2:]),
        ]
        assert await reads.quote_tweets(_id(tweet), PageRequest(), _id(carol)) == page(
            cards(third, second, first, liked=frozenset({_id(first)}))
        )
        assert await reads.quote_tweets(_id(tweet), PageRequest(limit=1, skip=1)) == page(
            cards(second), _id(second)
        )
        assert await reads.quote_tweets(_id(tweet), PageRequest(since_id=_id(first))) == page(
            cards(third, second)
        )
        assert (await reads.tweet(_id(tweet))).tweet.quote_count == 3
        assert await reads.quote_tweets(_id(plain), PageRequest()) == page([])
        assert await reads.quote_tweets(_id(shared), PageRequest()) == page([])
        for tweet_id in MISSING_IDS:
            with pytest.raises(TweetNotFound):
                await reads.quote_tweets(tweet_id, PageRequest())

        store.remove_tweet(second)
        assert await reads.quote_tweets(_id(tweet), PageRequest()) == page(cards(third, first))
        assert (await reads.tweet(_id(tweet))).tweet.quote_count == 2
        store.remove_tweet(tweet)  # the quotes stay, pointing at it
        with pytest.raises(TweetNotFound):
            await reads.quote_tweets(_id(tweet), PageRequest())
        assert await reads.tweet(_id(first)) == cards(first)[0]

    store.run(main)


# Threads


def test_context_is_the_parents_and_the_replies_in_thread_order(store: Store) -> None:
    alice, bob, carol, dave = (store.user(n) for n in ("alice", "bob", "carol", "dave"))
    root = store.post(alice, "root")
    r1 = store.post(bob, "r1", reply_to=root)
    r2 = store.post(carol, "r2", reply_to=root)
    r11 = store.post(carol, "r11", reply_to=r1)
    r21 = store.post(bob, "r21", reply_to=r2)
    r12 = store.post(alice, "r12", reply_to=r1)
    shared = store.retweet(dave, r12)
    r121 = store.post(bob, "r121", reply_to=shared)  # a reply to a retweet answers its original
    other = store.post(dave, "elsewhere")
    store.like(dave, r11)
    authors = {_id(u): u for u in (alice, bob, carol, dave)}
    counts = {
        _id(root): Counts(replies=2),
        _id(r1): Counts(replies=2),
        _id(r2): Counts(replies=1),
        _id(r11): Counts(likes=1),
        _id(r12): Counts(replies=1, retweets=1),
    }

    def c(tweet: Tweet, liked: bool = False) -> TweetCard:
        return card(
            tweet, authors[tweet.owner_id], liked=liked, counts=counts.get(_id(tweet), Counts())
        )

    def replies(*rows: tuple[int, Tweet]) -> list[ThreadReply]:
        return [ThreadReply(depth, c(tweet)) for depth, tweet in rows]

    async def main() -> None:
        reads = store.reads
        assert r121.in_reply_to_id == _id(r12)
        below_root = replies((1, r1), (2, r11), (2, r12), (3, r121), (1, r2), (2, r21))
        assert await reads.context(_id(root)) == ConversationView([], below_root)
        seen_by_dave = await reads.context(_id(root), _id(dave))
        assert [reply.card.liked_by_viewer for reply in seen_by_dave.descendants] == [
            False,
            True,
            False,
            False,
            False,
            False,
        ]
        assert await reads.context(_id(r12)) == ConversationView(
            [c(root), c(r1)], replies((1, r121))
        )
        assert await reads.context(_id(r121)) == ConversationView([c(root), c(r1), c(r12)], [])
        assert await reads.context(_id(r1)) == ConversationView(
            [c(root)], replies((1, r11), (1, r12), (2, r121))
        )
        assert await reads.context(_id(other)) == ConversationView([], [])
        assert await reads.context(_id(shared)) == ConversationView([], [])
        for tweet_id in MISSING_IDS + OUT_OF_RANGE_IDS:
            with pytest.raises(TweetNotFound):
                await reads.context(tweet_id)

        # A deleted reply takes nothing with it: its replies start threads of their own
        # (in the same conversation).
        store.remove_tweet(r1)
        counts[_id(root)] = Counts(replies=1)
        orphans = {t: dataclasses.replace(t, in_reply_to_id=None) for t in (r11, r12)}
        assert await reads.context(_id(root)) == ConversationView([], replies((1, r2), (2, r21)))
        assert await reads.context(_id(r12)) == ConversationView([], replies((1, r121)))
        assert await reads.context(_id(r121)) == ConversationView([c(orphans[r12])], [])
        assert (await reads.tweet(_id(r11))).tweet.conversation_id == _id(root)
        with pytest.raises(TweetNotFound):
            await reads.context(_id(r1))

    store.run(main)


# Hashtags and mentions


def test_tagged_tweets_newest_first_whatever_the_letter_case(store: Store) -> None:
    alice, bob = store.user("alice"), store.user("bob")
    t1 = store.post(alice, "#Python is fun")
    t2 = store.post(bob, "#python and #PYTHON, one tag twice")
    t3 = store.post(alice, "#rust only")
    store.retweet(bob, t1)  # a retweet carries the tag, but is no entry of its own
    t4 = store.post(bob, "fullwidth \uff03\uff50\uff59\uff54\uff48\uff4f\uff4e")
    t5 = store.post(alice, "#Pythonic is another tag")
    store.like(bob, t2)
    authors = {_id(alice): alice, _id(bob): bob}
    counts = {_id(t1): Counts(retweets=1), _id(t2): Counts(likes=1)}

    def cards(*tweets: Tweet, viewer: User | None = None) -> list[TweetCard]:
        liked = {_id(t2)} if viewer is bob else set()
        retweeted = {_id(t1)} if viewer is bob else set()
        return [
            card(
                t,
                authors[t.owner_id],
                liked=_id(t) in liked,
                counts=counts.get(_id(t)),
                retweeted=_id(t) in retweeted,
            )
            for t in tweets
        ]

    async def main() -> None:
        reads = store.reads
        python = cards(t4, t2, t1)
        for tag in ("python", "Python", "PYTHON", "\uff50\uff59\uff54\uff48\uff4f\uff4e"):
            assert await reads.tagged_tweets(tag, PageRequest()) == page(python), tag
        assert await walk(lambda p: reads.tagged_tweets("python", p)) == [
            page(python[:2], _id(t2)),
            page(python[2:]),
        ]
        assert await reads.tagged_tweets("python", PageRequest(), _id(bob)) == page(
            cards(t4, t2, t1, viewer=bob)
        )
        assert await reads.tagged_tweets("python", PageRequest(since_id=_id(t1))) == page(
            cards(t4, t2)
        )
        assert await reads.tagged_tweets("python", PageRequest(limit=1, skip=1)) == page(
            cards(t2), _id(t2)
        )
        assert await reads.tagged_tweets("python", PageRequest(max_id=_id(t1))) == page([])
        assert await reads.tagged_tweets("Rust", PageRequest()) == page(cards(t3))
        assert await reads.tagged_tweets("pythonic", PageRequest()) == page(cards(t5))
        not_tags = ("nothing", "", " ", "#python", "py thon", "python!", "16", "\x00", "\ud800")
        for tag in (*not_tags, "a" * 300, "\u00df" * 200):
            assert await reads.tagged_tweets(tag, PageRequest()) == page([]), tag

        store.remove_tweet(t2)
        assert await reads.tagged_tweets("python", PageRequest()) == page(cards(t4, t1))
        store.remove_user(bob)  # his tweet and his retweet go
        counts[_id(t1)] = Counts()
        assert await reads.tagged_tweets("python", PageRequest()) == page(cards(t1))

    store.run(main)


def test_mentions_newest_first(store: Store) -> None:
    alice, bob, carol, dave = (store.user(n) for n in ("alice", "bob", "carol", "dave"))
    m1 = store.post(alice, "@bob hello")
    m2 = store.post(carol, "hey @Bob, @dave and @alice")
    m3 = store.post(alice, "@BOB @bob, once")
    store.post(bob, "bob, no mention")
    store.post(carol, "mail bob@example.com")  # an email is no mention
    store.retweet(dave, m1)  # no mention of its own
    m4 = store.post(dave, "@nobody and @bob")
    store.like(bob, m3)
    authors = {_id(u): u for u in (alice, bob, carol, dave)}
    counts = {_id(m1): Counts(retweets=1), _id(m3): Counts(likes=1)}

    def cards(*tweets: Tweet, liked: frozenset[int] = frozenset()) -> list[TweetCard]:
        return [
            card(t, authors[t.owner_id], liked=_id(t) in liked, counts=counts.get(_id(t)))
            for t in tweets
        ]

    async def main() -> None:
        reads = store.reads
        bobs = cards(m4, m3, m2, m1)
        assert await reads.mentions(_id(bob), PageRequest()) == page(bobs)
        assert await walk(lambda p: reads.mentions(_id(bob), p), limit=3) == [
            page(bobs[:3], _id(m2)),
            page(bobs[3:]),
        ]
        assert await reads.mentions(_id(bob), PageRequest(), _id(bob)) == page(
            cards(m4, m3, m2, m1, liked=frozenset({_id(m3)}))
        )
        assert await reads.mentions(_id(bob), PageRequest(limit=2, skip=1)) == page(
            cards(m3, m2), _id(m2)
        )
        assert await reads.mentions(
            _id(bob), PageRequest(since_id=_id(m1), max_id=_id(m4))
        ) == page(cards(m3, m2))
        assert await reads.mentions(_id(alice), PageRequest()) == page(cards(m2))
        assert await reads.mentions(_id(dave), PageRequest()) == page(cards(m2))
        assert await reads.mentions(_id(carol), PageRequest()) == page([])
        # Mentions name whoever had the handle when the tweet was posted.
        nobody = store.user("nobody")
        assert await reads.mentions(_id(nobody), PageRequest()) == page([])
        for user_id in MISSING_IDS:
            with pytest.raises(UserNotFound):
                await reads.mentions(user_id, PageRequest())

        store.remove_user(carol)
        assert await reads.mentions(_id(bob), PageRequest()) == page(cards(m4, m3, m1))
        store.remove_tweet(m3)
        assert await reads.mentions(_id(bob), PageRequest()) == page(cards(m4, m1))
        store.remove_user(bob)
        with pytest.raises(UserNotFound):
            await reads.mentions(_id(bob), PageRequest())

    store.run(main)


# Notifications


def _what(notification: NotificationView) -> tuple[object, ...]:
    return (
        notification.type,
        notification.actor,
        notification.tweet_id,
        notification.created_at,
        notification.read,
    )


def test_notifications_newest_first_and_the_unread_ones(store: Store) -> None:
    alice, bob, carol, dave = (store.user(n) for n in ("alice", "bob", "carol", "dave"))
    tweet = store.post(alice, "notice me")
    like = store.like(bob, tweet)
    follow = store.follow(carol, alice)
    reply = store.post(bob, "a reply", reply_to=tweet)
    mention = store.post(dave, "hi @alice")
    shared = store.retweet(carol, tweet)
    quote = store.post(dave, "@alice, see", quoting=tweet)  # a quote, not also a mention
    store.post(alice, "@alice, me", reply_to=tweet)  # one's own doings notify nobody
    store.like(alice, tweet)
    bobs_follower = store.follow(alice, bob)
    kinds = NotificationType

    async def main() -> None:
        reads = store.reads
        full = await reads.notifications(_id(alice), PageRequest())
        assert [_what(n) for n in full.items] == [
            (kinds.QUOTE, uv(dave), _id(quote), quote.created_at, False),
            (kinds.RETWEET, uv(carol), _id(tweet), shared.created_at, False),
            (kinds.MENTION, uv(dave), _id(mention), mention.created_at, False),
            (kinds.REPLY, uv(bob), _id(reply), reply.created_at, False),
            (kinds.FOLLOW, uv(carol), None, follow.created_at, False),
            (kinds.LIKE, uv(bob), _id(tweet), like.created_at, False),
        ]
        assert full.next_cursor is None
        views = full.items
        ids = [n.id for n in views]
        assert ids == sorted(ids, reverse=True)
        assert all(type(n.type) is NotificationType for n in views)
        assert await walk(lambda p: reads.notifications(_id(alice), p), limit=4) == [
            page(views[:4], ids[3]),
            page(views[4:]),
        ]
        assert await reads.notifications(_id(alice), PageRequest(limit=2, skip=1)) == page(
            views[1:3], ids[2]
        )
        assert await reads.notifications(_id(alice), PageRequest(since_id=ids[3])) == page(
            views[:3]
        )
        unread = await reads.notifications(_id(alice), PageRequest(), unread_only=True)
        assert unread == full
        assert await reads.unread_notifications(_id(alice)) == 6
        bobs = await reads.notifications(_id(bob), PageRequest())
        assert [_what(n) for n in bobs.items] == [
            (kinds.FOLLOW, uv(alice), None, bobs_follower.created_at, False)
        ]
        assert await reads.unread_notifications(_id(bob)) == 1
        assert await reads.notifications(_id(carol), PageRequest()) == page([])
        assert await reads.unread_notifications(_id(carol)) == 0
        for user_id in MISSING_IDS:
            with pytest.raises(UserNotFound):
                await reads.notifications(user_id, PageRequest())
            with pytest.raises(UserNotFound):
                await reads.notifications(user_id, PageRequest(), unread_only=True)
        for user_id in MISSING_IDS + OUT_OF_RANGE_IDS:
            assert await reads.unread_notifications(user_id) == 0

        store.mark_read(alice, ids[2])
        read = [*views[:2], *(dataclasses.replace(n, read=True) for n in views[2:])]
        assert await reads.notifications(_id(alice), PageRequest()) == page(read)
        assert await reads.unread_notifications(_id(alice)) == 2
        assert await reads.notifications(_id(alice), PageRequest(), unread_only=True) == page(
            views[:2]
        )
        assert await walk(
            lambda p: reads.notifications(_id(alice), p, unread_only=True), limit=1
        ) == [page(views[:1], ids[0]), page(views[1:2])]
        assert await reads.notifications(
            _id(alice), PageRequest(max_id=ids[1]), unread_only=True
        ) == page([])
        assert await reads.unread_notifications(_id(bob)) == 1

        # Undone actions take their notices back; deleted users and tweets theirs.
        store.unlike(bob, tweet)
        store.unretweet(carol, tweet)
        assert await reads.notifications(_id(alice), PageRequest()) == page([read[0], *read[2:5]])
        store.remove_user(dave)
        store.remove_tweet(reply)
        assert await reads.notifications(_id(alice), PageRequest()) == page([read[4]])
        assert await reads.unread_notifications(_id(alice)) == 0
        store.remove_user(alice)
        with pytest.raises(UserNotFound):
            await reads.notifications(_id(alice), PageRequest())
        assert await reads.unread_notifications(_id(alice)) == 0
        assert await reads.notifications(_id(bob), PageRequest()) == page([])

    store.run(main)


# Finding and safety


def test_search_tweets_holding_every_word_newest_first_none_by_the_blocked(store: Store) -> None:
    alice, bob, carol = (store.user(n) for n in ("alice", "bob", "carol"))
    first = store.post(alice, "Café au lait")
    store.post(bob, "just coffee")
    second = store.post(bob, "un cafe noir, du LAIT")
    store.retweet(carol, second)  # retweets are not found: their original is
    third = store.post(carol, "lait cafe")
    store.bookmark(alice, third)
    store.block(alice, bob)

    async def main() -> None:
        reads = store.reads
        words = ("cafe", "lait")
        everyone = await reads.search_tweets(words, PageRequest())
        cards = [
            card(third, carol),
            card(second, bob, counts=Counts(retweets=1)),
            card(first, alice),
        ]
        assert everyone == page(cards)
        assert await walk(lambda p: reads.search_tweets(words, p)) == [
            page(cards[:2], _id(second)),
            page(cards[2:]),
        ]
        as_alice = await reads.search_tweets(words, PageRequest(), _id(alice))
        assert as_alice == page([card(third, carol, bookmarked=True), card(first, alice)])
        as_bob = await reads.search_tweets(("noir",), PageRequest(), _id(bob))
        assert as_bob == page([card(second, bob, counts=Counts(retweets=1))])
        assert await reads.search_tweets(("absent",), PageRequest()) == page([])
        assert await reads.search_tweets(("cafe", "absent"), PageRequest()) == page([])
        store.remove_tweet(first)
        assert await reads.search_tweets(("au",), PageRequest()) == page([])

    store.run(main)


def test_search_users_by_prefix_shortest_then_bytewise(store: Store) -> None:
    names = ("alexandra", "Alex", "alexa", "al_x", "bob", "alb")
    users = {name: store.user(name) for name in names}

    async def main() -> None:
        reads = store.reads
        found = await reads.search_users("al", 10)
        assert found == [uv(users[n]) for n in ("alb", "al_x", "Alex", "alexa", "alexandra")]
        assert await reads.search_users("al", 2) == [uv(users["alb"]), uv(users["al_x"])]
        assert await reads.search_users("alex", 10) == [
            uv(users[n]) for n in ("Alex", "alexa", "alexandra")
        ]
        assert await reads.search_users("b", 10) == [uv(users["bob"])]
        assert await reads.search_users("z", 10) == []
        assert await reads.search_users("z_", 10) == []

    store.run(main)


def test_bookmarks_blocking_and_muting_newest_first(store: Store) -> None:
    alice, bob, carol, dave = (store.user(n) for n in ("alice", "bob", "carol", "dave"))
    older, newer = store.post(bob, "older"), store.post(carol, "newer")
    store.bookmark(alice, newer)
    store.bookmark(alice, older)  # bookmarked last: first in the list
    store.block(alice, dave)
    store.block(alice, carol)
    store.mute(alice, bob)
    store.mute(alice, dave)

    async def main() -> None:
        reads = store.reads
        marked = [card(older, bob, bookmarked=True), card(newer, carol, bookmarked=True)]
        bookmarks = await reads.bookmarks(_id(alice), PageRequest(), _id(alice))
        assert bookmarks == page(marked)
        [first, second] = await walk(lambda p: reads.bookmarks(_id(alice), p), limit=1)
        assert first.items == [card(older, bob)] and second == page([card(newer, carol)])
        assert first.next_cursor is not None
        assert await reads.bookmarks(_id(bob), PageRequest()) == page([])
        assert await reads.blocking(_id(alice), PageRequest()) == page([uv(carol), uv(dave)])
        assert await reads.muting(_id(alice), PageRequest()) == page([uv(dave), uv(bob)])
        assert await reads.blocking(_id(bob), PageRequest()) == page([])
        assert await reads.muting(_id(bob), PageRequest()) == page([])
        dave_to_alice = await reads.profile("dave", _id(alice))
        assert (dave_to_alice.blocked_by_viewer, dave_to_alice.muted_by_viewer) == (True, True)
        assert not dave_to_alice.blocks_viewer
        bob_to_alice = await reads.profile("bob", _id(alice))
        assert (bob_to_alice.blocked_by_viewer, bob_to_alice.muted_by_viewer) == (False, True)
        alice_to_carol = await reads.profile("alice", _id(carol))
        assert alice_to_carol.blocks_viewer and not alice_to_carol.blocked_by_viewer
        nobody = await reads.profile("alice")
        assert not (nobody.blocked_by_viewer or nobody.muted_by_viewer or nobody.blocks_viewer)

    store.run(main)


def test_mutes_and_blocks_leave_the_home_timeline_and_notifications(store: Store) -> None:
    alice, bob, carol, dave = (store.user(n) for n in ("alice", "bob", "carol", "dave"))
    store.follow(alice, bob)
    store.follow(alice, carol)
    own = store.post(alice, "mine")
    bobs = store.post(bob, "bob says")
    daves = store.post(dave, "dave says")
    store.retweet(carol, bobs)
    carol_shares_dave = store.retweet(carol, daves)
    carols = store.post(carol, "carol says")
    store.like(bob, own)
    like_by_dave = store.like(dave, own)
    store.mute(alice, bob)
    store.block(alice, dave)

    async def main() -> None:
        reads = store.reads
        timeline = await reads.home_timeline(_id(alice), PageRequest())
        assert [c.tweet.id for c in timeline.items] == [_id(carols), _id(own)]
        assert _id(carol_shares_dave) not in [c.tweet.id for c in timeline.items]
        assert await walk(lambda p: reads.home_timeline(_id(alice), p), limit=1) == [
            page([timeline.items[0]], _id(carols)),
            page([timeline.items[1]]),
        ]
        notices = await reads.notifications(_id(alice), PageRequest())
        assert notices == page([])
        assert await reads.unread_notifications(_id(alice)) == 0
        assert await reads.notifications(_id(alice), PageRequest(), unread_only=True) == page([])
        # Bob cannot tell: his view of his own things is as before.
        bobs_view = await reads.user_tweets(_id(bob), PageRequest())
        assert [c.tweet.id for c in bobs_view.items] == [_id(bobs)]
        assert like_by_dave.owner_id == _id(dave)

    store.run(main)


def test_cards_and_account_counts_of_many_at_once(store: Store) -> None:
    alice, bob = store.user("alice"), store.user("bob")
    first, second = store.post(alice, "first"), store.post(bob, "second")
    shared = store.retweet(bob, first)
    store.like(bob, second)
    store.follow(alice, bob)

    async def main() -> None:
        reads = store.reads
        cards = await reads.cards([_id(second), 987_654, _id(shared), _id(second)], _id(bob))
        assert [c.tweet.id for c in cards] == [_id(second), _id(shared)]
        assert cards[0].liked_by_viewer and cards[1].original is not None
        assert cards[0] == (await reads.tweet(_id(second), _id(bob)))
        assert await reads.cards([]) == []
        counts = await reads.account_counts([_id(alice), _id(bob), 987_654])
        assert counts == {
            _id(alice): AccountCounts(tweet_count=1, follower_count=0, following_count=1),
            _id(bob): AccountCounts(tweet_count=2, follower_count=1, following_count=0),
        }

    store.run(main)


def test_relationships_in_the_order_asked_each_once(store: Store) -> None:
    alice, bob, carol, dave = (store.user(n) for n in ("alice", "bob", "carol", "dave"))
    store.follow(alice, bob)
    store.follow(carol, alice)
    store.mute(alice, carol)
    store.block(dave, alice)

    async def main() -> None:
        views = await store.reads.relationships(
            _id(alice), [_id(dave), _id(bob), 987_654, _id(carol), _id(bob), 2**63]
        )
        assert views == [
            RelationshipView(_id(dave), False, False, False, True, False),
            RelationshipView(_id(bob), True, False, False, False, False),
            RelationshipView(_id(carol), False, True, False, False, True),
        ]
        assert await store.reads.relationships(_id(alice), []) == []
        assert await store.reads.relationships(987_654, [_id(bob)]) == [
            RelationshipView(_id(bob), False, False, False, False, False)
        ]

    store.run(main)


# Every view


def test_every_instant_is_utc_and_the_one_the_write_side_answered(store: Store) -> None:
    alice, bob = store.user("alice"), store.user("bob")
    tweet = store.post(alice, "when?")
    like = store.like(bob, tweet)
    store.follow(bob, alice)
    _, token_id = store.token(alice)

    async def main() -> None:
        reads = store.reads
        user = await reads.user(_id(alice))
        account = await reads.account(_id(alice), token_id)
        assert account is not None
        profile = await reads.profile("alice")
        one = await reads.tweet(_id(tweet))
        listed = (await reads.tweets(PageRequest())).items[0]
        liked = (await reads.liked_tweets(_id(bob), PageRequest())).items[0]
        like_view = (await reads.user_likes(_id(bob), PageRequest())).items[0]
        follower = (await reads.followers(_id(alice), PageRequest())).items[0]
        liker = (await reads.liking_users(_id(tweet), PageRequest())).items[0]
        listed_user = (await reads.users(PageRequest())).items[0]
        pairs: list[tuple[_Stamped, _Stamped]] = [
            (user, alice),
            (account, alice),
            (profile.user, alice),
            (one.author, alice),
            (one.tweet, tweet),
            (listed.tweet, tweet),
            (liked.tweet, tweet),
            (like_view, like),
            (follower, bob),
            (liker, bob),
            (listed_user, alice),
        ]
        for view, expected in pairs:
            assert_utc(view.created_at)
            assert view.created_at == expected.created_at, (view, expected.created_at)
            assert view.created_at.microsecond == expected.created_at.microsecond
        # The clock keeps microseconds: the comparisons above are to the microsecond.
        moments = (alice.created_at, bob.created_at, tweet.created_at, like.created_at)
        assert any(moment.microsecond for moment in moments)

    store.run(main)


def test_views_are_frozen(store: Store) -> None:
    alice, bob = store.user("alice"), store.user("bob")
    tweet = store.post(alice)
    store.like(bob, tweet)
    _, token_id = store.token(alice)

    async def main() -> None:
        reads = store.reads
        account = await reads.account(_id(alice), token_id)
        assert account is not None
        one = await reads.tweet(_id(tweet), _id(bob))
        views: list[tuple[object, str]] = [
            (await reads.user(_id(alice)), "username"),
            (await reads.user_by_username("alice"), "id"),
            (account, "email"),
            (await reads.profile("alice", _id(bob)), "follower_count"),
            (one, "liked_by_viewer"),
            (one.tweet, "like_count"),
            (one.author, "username"),
            ((await reads.tweets(PageRequest())).items[0].tweet, "text"),
            ((await reads.user_likes(_id(bob), PageRequest())).items[0], "tweet_id"),
            ((await reads.users(PageRequest())).items[0], "created_at"),
        ]
        for view, name in views:
            assert dataclasses.is_dataclass(view)
            with pytest.raises(dataclasses.FrozenInstanceError):
                setattr(view, name, None)
        assert type(views[0][0]) is UserView
        assert type(views[2][0]) is AccountView
        assert type(views[3][0]) is ProfileView
        assert type(one) is TweetCard and type(one.tweet) is TweetView
        assert type(views[8][0]) is LikeView

    store.run(main)


LISTS_ABOUT_A_USER = (
    "followers",
    "following",
    "user_tweets",
    "liked_tweets",
    "home_timeline",
    "user_likes",
    "mentions",
    "notifications",
    "bookmarks",
    "blocking",
    "muting",
)
LISTS_ABOUT_A_TWEET = ("liking_users", "retweeted_by", "quote_tweets")
POINT_READS = ("user", "tweet", "bare_tweet", "context")


@pytest.mark.parametrize("method", [*LISTS_ABOUT_A_USER, *LISTS_ABOUT_A_TWEET, *POINT_READS])
def test_ids_beyond_any_bigint_are_not_found(store: Store, method: str) -> None:
    """An id no bigint holds names nothing: the same NotFound as any absent id."""
    alice = store.user("alice")
    store.post(alice)
    about_tweets = (*LISTS_ABOUT_A_TWEET, "tweet", "bare_tweet", "context")
    expected = TweetNotFound if method in about_tweets else UserNotFound

    async def main() -> None:
        call = getattr(store.reads, method)
        answers: dict[int, str] = {}
        for missing in MISSING_IDS + OUT_OF_RANGE_IDS:
            point = method in POINT_READS
            args = (missing,) if point else (missing, PageRequest())
            try:
                answer = await call(*args)
            except Exception as error:
                answers[missing] = type(error).__name__
            else:
                answers[missing] = f"answered {answer!r}"
        assert answers == dict.fromkeys(MISSING_IDS + OUT_OF_RANGE_IDS, expected.__name__)

    store.run(main)
