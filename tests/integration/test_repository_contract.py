"""One contract for the repositories and the unit of work, whatever stores the data.

Every test runs on the in-memory adapter, on SQLAlchemy over SQLite and (when
TWITTER_TEST_POSTGRES_URL is set) on SQLAlchemy over PostgreSQL, so the fake the
unit tests use can never drift from the real thing unnoticed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, cast

import pytest
from dependency_injector import providers

from tests.integration.conftest import empty_database_at_head, test_settings
from twitter.adapters.memory import MemoryDatabase, MemoryUnitOfWork
from twitter.adapters.persistence.orm import start_mappers
from twitter.application.pagination import MAX_ID, PageRequest, page_of, page_of_keyed
from twitter.application.ports import UnitOfWork
from twitter.container import Container
from twitter.domain.entities import TweetEntities
from twitter.domain.errors import (
    AlreadyFollowing,
    AlreadyLiked,
    AlreadyRetweeted,
    EmailAlreadyRegistered,
    TweetNotFound,
    UsernameTaken,
    UserNotFound,
)
from twitter.domain.model import Follow, Like, Notification, NotificationType, Tweet, User

T0 = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
UowFactory = Callable[[], UnitOfWork]


# The three stores


@pytest.fixture(params=["memory", "sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def uow_factory(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[UowFactory]:
    """Makes a fresh unit of work on one empty store each call."""
    if request.param == "memory":
        database = MemoryDatabase()
        yield cast(UowFactory, lambda: MemoryUnitOfWork(database))
        return
    container = Container()
    url = empty_database_at_head(request.param, request, tmp_path)
    container.settings.override(providers.Object(test_settings(url)))
    start_mappers()
    yield cast(UowFactory, container.unit_of_work)
    container.shutdown_resources()
    container.reset_singletons()


# Building blocks


def a_user(username: str, email: str | None = None) -> User:
    return User(
        email=email or f"{username.lower()}@example.com",
        username=username,
        hashed_password="not-a-real-hash",
        created_at=T0,
    )


def a_tweet(owner_id: int | None, text: str = "hello") -> Tweet:
    assert owner_id is not None
    return Tweet(text=text, owner_id=owner_id, created_at=T0)


def a_like(owner_id: int | None, tweet_id: int | None) -> Like:
    assert owner_id is not None and tweet_id is not None
    return Like(owner_id=owner_id, tweet_id=tweet_id, created_at=T0)


def a_follow(follower_id: int | None, followee_id: int | None) -> Follow:
    assert follower_id is not None and followee_id is not None
    return Follow(follower_id=follower_id, followee_id=followee_id, created_at=T0)


def _id(entity: User | Tweet | Like | Follow | None) -> int:
    assert entity is not None and entity.id is not None
    return entity.id


def committed_users(uow_factory: UowFactory, *usernames: str) -> list[int]:
    with uow_factory() as uow:
        users = [a_user(name) for name in usernames]
        for user in users:
            uow.users.add(user)
        uow.commit()
    return [_id(user) for user in users]


def committed_tweet(uow_factory: UowFactory, owner_id: int, text: str = "hello") -> int:
    with uow_factory() as uow:
        tweet = a_tweet(owner_id, text)
        uow.tweets.add(tweet)
        uow.commit()
    return _id(tweet)


def committed_like(uow_factory: UowFactory, owner_id: int, tweet_id: int) -> int:
    """A like and its counter, as the LikeTweet use case writes them."""
    with uow_factory() as uow:
        like = a_like(owner_id, tweet_id)
        uow.likes.add(like)
        uow.tweets.change_like_count(tweet_id, +1)
        uow.commit()
    return _id(like)


def like_count(uow_factory: UowFactory, tweet_id: int) -> int | None:
    with uow_factory() as uow:
        tweet = uow.tweets.get(tweet_id)
    return None if tweet is None else tweet.like_count


# Ids


def test_add_assigns_increasing_ids(uow_factory: UowFactory) -> None:
    with uow_factory() as uow:
        users = [a_user(name) for name in ("ada", "bob", "cy")]
        for user in users:
            assert user.id is None
            uow.users.add(user)
        tweets = [a_tweet(users[i % 2].id, f"t{i}") for i in range(3)]
        for tweet in tweets:
            uow.tweets.add(tweet)
        likes = [a_like(users[2].id, tweet.id) for tweet in tweets]
        for like in likes:
            uow.likes.add(like)
        follows = [a_follow(users[2].id, users[0].id), a_follow(users[2].id, users[1].id)]
        for follow in follows:
            uow.follows.add(follow)
        uow.commit()

    for entities in (users, tweets, likes, follows):
        ids = [_id(entity) for entity in entities]
        assert all(isinstance(i, int) and i > 0 for i in ids)
        assert ids == sorted(set(ids)), ids

    with uow_factory() as uow:
        later = a_user("dan")
        uow.users.add(later)
        uow.commit()
    assert _id(later) > _id(users[-1])


def test_ids_are_never_reused_after_the_newest_row_is_deleted(
    uow_factory: UowFactory, request: pytest.FixtureRequest
) -> None:
    ada, bob = committed_users(uow_factory, "ada", "bob")
    first, newest = committed_tweet(uow_factory, ada), committed_tweet(uow_factory, ada)
    old_like = committed_like(uow_factory, bob, newest)
    with uow_factory() as uow:
        assert uow.likes.remove(bob, newest)
        uow.tweets.delete(uow.tweets.get(newest))  # type: ignore[arg-type]
        uow.users.delete(uow.users.get(bob))  # type: ignore[arg-type]
        uow.commit()

    with uow_factory() as uow:
        cy = a_user("cy")
        uow.users.add(cy)
        tweet = a_tweet(ada)
        uow.tweets.add(tweet)
        like = a_like(ada, first)
        uow.likes.add(like)
        uow.commit()

    assert _id(cy) > bob
    assert _id(tweet) > newest
    assert _id(like) > old_like


# Reading users


def test_get_and_lookups_by_email_and_by_username(uow_factory: UowFactory) -> None:
    ada, bob = committed_users(uow_factory, "Ada_L", "bob")

    with uow_factory() as uow:
        user = uow.users.get(ada)
        assert user is not None
        assert (user.id, user.email, user.username, user.hashed_password, user.created_at) == (
            ada,
            "ada_l@example.com",
            "Ada_L",
            "not-a-real-hash",
            T0,
        )
        assert _id(uow.users.get(bob)) == bob
        for missing in (bob + 1000, 0, -1, MAX_ID, MAX_ID + 1):
            assert uow.users.get(missing) is None

        assert _id(uow.users.get_by_email("ada_l@example.com")) == ada
        assert uow.users.get_by_email("nobody@example.com") is None

        for spelling in ("Ada_L", "ada_l", "ADA_L", "aDa_L"):
            assert _id(uow.users.get_by_username(spelling)) == ada
        assert _id(uow.users.get_by_username("BOB")) == bob
        assert uow.users.get_by_username("ada") is None
        assert uow.users.get_by_username("Ada_L2") is None


def test_tweet_get(uow_factory: UowFactory) -> None:
    (ada,) = committed_users(uow_factory, "ada")
    tweet_id = committed_tweet(uow_factory, ada, "hello world")

    with uow_factory() as uow:
        tweet = uow.tweets.get(tweet_id)
        assert tweet is not None
        assert (tweet.id, tweet.text, tweet.owner_id, tweet.like_count, tweet.created_at) == (
            tweet_id,
            "hello world",
            ada,
            0,
            T0,
        )
        for missing in (tweet_id + 1000, 0, -1, MAX_ID, MAX_ID + 1):
            assert uow.tweets.get(missing) is None


# Uniqueness and references


def test_duplicate_email_raises_email_already_registered(uow_factory: UowFactory) -> None:
    committed_users(uow_factory, "ada")

    with uow_factory() as uow, pytest.raises(EmailAlreadyRegistered):
        uow.users.add(a_user("someone_else", email="ada@example.com"))

    with uow_factory() as uow:
        assert [u.username for u in uow.users.list_page(PageRequest())] == ["ada"]


def test_duplicate_username_in_another_case_raises_username_taken(
    uow_factory: UowFactory,
) -> None:
    committed_users(uow_factory, "Ada_L")

    with uow_factory() as uow, pytest.raises(UsernameTaken):
        uow.users.add(a_user("aDA_l", email="other@example.com"))

    with uow_factory() as uow:
        assert [u.email for u in uow.users.list_page(PageRequest())] == ["ada_l@example.com"]


def test_tweet_by_a_missing_user_raises_user_not_found(uow_factory: UowFactory) -> None:
    (ada,) = committed_users(uow_factory, "ada")

    with uow_factory() as uow, pytest.raises(UserNotFound):
        uow.tweets.add(a_tweet(ada + 1000))


def test_liking_twice_raises_already_liked(uow_factory: UowFactory) -> None:
    ada, bob = committed_users(uow_factory, "ada", "bob")
    tweet = committed_tweet(uow_factory, ada)
    committed_like(uow_factory, bob, tweet)

    with uow_factory() as uow, pytest.raises(AlreadyLiked):
        uow.likes.add(a_like(bob, tweet))
    with uow_factory() as uow:
        uow.likes.add(a_like(ada, tweet))
        with pytest.raises(AlreadyLiked):
            uow.likes.add(a_like(ada, tweet))


def test_like_of_a_missing_tweet_raises_tweet_not_found(
    uow_factory: UowFactory, request: pytest.FixtureRequest
) -> None:
    (ada,) = committed_users(uow_factory, "ada")
    tweet = committed_tweet(uow_factory, ada)

    with uow_factory() as uow, pytest.raises(TweetNotFound):
        uow.likes.add(a_like(ada, tweet + 1000))


def test_like_by_a_missing_user_raises_user_not_found(uow_factory: UowFactory) -> None:
    (ada,) = committed_users(uow_factory, "ada")
    tweet = committed_tweet(uow_factory, ada)

    with uow_factory() as uow, pytest.raises(UserNotFound):
        uow.likes.add(a_like(ada + 1000, tweet))


def test_following_twice_raises_already_following(uow_factory: UowFactory) -> None:
    ada, bob = committed_users(uow_factory, "ada", "bob")
    with uow_factory() as uow:
        uow.follows.add(a_follow(ada, bob))
        uow.commit()

    with uow_factory() as uow, pytest.raises(AlreadyFollowing):
        uow.follows.add(a_follow(ada, bob))
    with uow_factory() as uow:
        uow.follows.add(a_follow(bob, ada))  # the other direction is another follow
        with pytest.raises(AlreadyFollowing):
            uow.follows.add(a_follow(bob, ada))


def test_following_a_missing_user_raises_user_not_found(uow_factory: UowFactory) -> None:
    (ada,) = committed_users(uow_factory, "ada")

    with uow_factory() as uow, pytest.raises(UserNotFound):
        uow.follows.add(a_follow(ada, ada + 1000))
    with uow_factory() as uow, pytest.raises(UserNotFound):
        uow.follows.add(a_follow(ada + 1000, ada))


# Removing


def test_like_remove_says_whether_there_was_a_like(uow_factory: UowFactory) -> None:
    ada, bob = committed_users(uow_factory, "ada", "bob")
    tweet = committed_tweet(uow_factory, ada)
    committed_like(uow_factory, bob, tweet)
    committed_like(uow_factory, ada, tweet)

    with uow_factory() as uow:
        assert uow.likes.remove(ada, tweet + 1000) is False
        assert uow.likes.remove(ada + 1000, tweet) is False
        for out_of_range in (0, -1, MAX_ID + 1):
            assert uow.likes.remove(out_of_range, tweet) is False
            assert uow.likes.remove(bob, out_of_range) is False
        assert uow.likes.remove(bob, tweet) is True
        assert uow.likes.remove(bob, tweet) is False
        uow.commit()

    with uow_factory() as uow:
        assert uow.likes.remove(bob, tweet) is False
        assert [like.owner_id for like in uow.likes.list_by_owner(ada, PageRequest())] == [ada]


def test_follow_remove_says_whether_there_was_a_follow(uow_factory: UowFactory) -> None:
    ada, bob = committed_users(uow_factory, "ada", "bob")
    with uow_factory() as uow:
        uow.follows.add(a_follow(ada, bob))
        uow.follows.add(a_follow(bob, ada))
        uow.commit()

    with uow_factory() as uow:
        assert uow.follows.remove(ada, ada) is False
        for out_of_range in (0, -1, MAX_ID + 1):
            assert uow.follows.remove(out_of_range, bob) is False
            assert uow.follows.remove(ada, out_of_range) is False
        assert uow.follows.remove(ada, bob) is True
        assert uow.follows.remove(ada, bob) is False
        uow.commit()

    with uow_factory() as uow:
        assert uow.follows.remove(ada, bob) is False
        assert [u.id for _, u in uow.users.list_following(bob, PageRequest())] == [ada]


# Counters and deletions


def test_change_like_count_adds_the_delta_in_the_store(uow_factory: UowFactory) -> None:
    (ada,) = committed_users(uow_factory, "ada")
    tweet, other = committed_tweet(uow_factory, ada), committed_tweet(uow_factory, ada)

    with uow_factory() as uow:
        uow.tweets.change_like_count(tweet, +3)
        uow.tweets.change_like_count(tweet, -1)
        uow.tweets.change_like_count(tweet + 1000, +1)  # a missing tweet: nothing happens
        uow.commit()

    assert like_count(uow_factory, tweet) == 2
    assert like_count(uow_factory, other) == 0


def test_change_like_count_is_seen_by_the_same_unit_of_work(
    uow_factory: UowFactory, request: pytest.FixtureRequest
) -> None:
    (ada,) = committed_users(uow_factory, "ada")
    tweet_id = committed_tweet(uow_factory, ada)

    with uow_factory() as uow:
        tweet = uow.tweets.get(tweet_id)
        assert tweet is not None and tweet.like_count == 0
        uow.tweets.change_like_count(tweet_id, +1)
        again = uow.tweets.get(tweet_id)
        assert again is not None
        assert again.like_count == 1


def test_deleting_a_user_keeps_like_counts_true(uow_factory: UowFactory) -> None:
    ada, bob, cy = committed_users(uow_factory, "ada", "bob", "cy")
    ada_tweet = committed_tweet(uow_factory, ada)
    bob_tweet, bob_other = committed_tweet(uow_factory, bob), committed_tweet(uow_factory, bob)
    cy_tweet = committed_tweet(uow_factory, cy)
    committed_like(uow_factory, ada, ada_tweet)  # her own tweet
    committed_like(uow_factory, ada, bob_tweet)
    committed_like(uow_factory, ada, bob_other)
    cy_like = committed_like(uow_factory, cy, bob_tweet)
    committed_like(uow_factory, bob, ada_tweet)  # a like of her tweet, gone with it
    bob_like = committed_like(uow_factory, bob, cy_tweet)
    with uow_factory() as uow:
        for follower, followee in [(ada, bob), (bob, ada), (cy, ada), (ada, cy), (cy, bob)]:
            uow.follows.add(a_follow(follower, followee))
        uow.commit()

    with uow_factory() as uow:
        doomed = uow.users.get(ada)
        assert doomed is not None
        # What DeleteUser does: lock, take her likes back from their tweets, delete.
        uow.users.lock_for_deletion(doomed)
        uow.tweets.uncount_likes_by(ada)
        uow.users.delete(doomed)
        uow.commit()

    page = PageRequest()
    with uow_factory() as uow:
        assert uow.users.get(ada) is None
        assert uow.users.get_by_username("ada") is None
        assert [u.id for u in uow.users.list_page(page)] == [bob, cy]
        # her tweets are gone, the tweets she liked count one less
        assert uow.tweets.get(ada_tweet) is None
        assert uow.tweets.list_by_owner(ada, page) == []
        counts = {t.id: t.like_count for t in uow.tweets.list_page(page)}
        assert counts == {bob_tweet: 1, bob_other: 0, cy_tweet: 1}
        # her likes, and every like of her tweets, are gone
        assert uow.likes.list_by_owner(ada, page) == []
        assert [like.id for like in uow.likes.list_by_owner(bob, page)] == [bob_like]
        assert [key for key, _ in uow.users.list_liking(bob_tweet, page)] == [cy_like]
        # her follows are gone, both ways
        assert [u.id for _, u in uow.users.list_followers(bob, page)] == [cy]
        assert uow.users.list_following(bob, page) == []
        assert [u.id for _, u in uow.users.list_following(cy, page)] == [bob]
        assert uow.users.list_followers(cy, page) == []
        assert uow.follows.remove(bob, ada) is False
        assert [t.id for t in uow.tweets.list_home_timeline(cy, page)] == [
            cy_tweet,
            bob_other,
            bob_tweet,
        ]
    # the email and the username are free again
    committed_users(uow_factory, "ADA")


def test_deleting_a_tweet_removes_its_likes(uow_factory: UowFactory) -> None:
    ada, bob = committed_users(uow_factory, "ada", "bob")
    doomed, kept = committed_tweet(uow_factory, ada), committed_tweet(uow_factory, ada)
    committed_like(uow_factory, bob, doomed)
    committed_like(uow_factory, ada, doomed)
    kept_like = committed_like(uow_factory, bob, kept)

    with uow_factory() as uow:
        uow.tweets.delete(uow.tweets.get(doomed))  # type: ignore[arg-type]
        uow.commit()

    page = PageRequest()
    with uow_factory() as uow:
        assert uow.tweets.get(doomed) is None
        assert uow.users.list_liking(doomed, page) == []
        assert uow.likes.list_by_owner(ada, page) == []
        assert [like.id for like in uow.likes.list_by_owner(bob, page)] == [kept_like]
        assert [key for key, _ in uow.tweets.list_liked_by(bob, page)] == [kept_like]
        assert uow.likes.remove(bob, doomed) is False
        assert [u.id for u in uow.users.list_page(page)] == [ada, bob]
    assert like_count(uow_factory, kept) == 1


# Lists: order, keys and paging


@dataclass
class World:
    users: dict[str, int] = field(default_factory=dict)
    tweets: list[int] = field(default_factory=list)
    likes: dict[tuple[str, int], int] = field(default_factory=dict)  # (who, tweet no.) -> id
    follows: dict[tuple[str, str], int] = field(default_factory=dict)


TWEETS = ["ada", "bob", "cy", "ada", "bob", "dan", "ada", "cy"]  # owner of tweet no. i
LIKES = [("eve", 3), ("eve", 0), ("eve", 7), ("eve", 1), ("bob", 3), ("ada", 3), ("fay", 0)]
FOLLOWS = [("eve", "ada"), ("cy", "ada"), ("fay", "ada"), ("bob", "ada"), ("ada", "bob")]
FOLLOWS += [("ada", "dan")]


@pytest.fixture
def world(uow_factory: UowFactory) -> World:
    """Users, tweets, likes and follows made in an order where ids and keys disagree."""
    built = World()
    with uow_factory() as uow:
        for name in ("ada", "bob", "cy", "dan", "eve", "fay"):
            user = a_user(name)
            uow.users.add(user)
            built.users[name] = _id(user)
        for i, owner in enumerate(TWEETS):
            tweet = a_tweet(built.users[owner], f"tweet {i}")
            uow.tweets.add(tweet)
            built.tweets.append(_id(tweet))
        for who, number in LIKES:
            like = a_like(built.users[who], built.tweets[number])
            uow.likes.add(like)
            uow.tweets.change_like_count(built.tweets[number], +1)
            built.likes[who, number] = _id(like)
        for follower, followee in FOLLOWS:
            follow = a_follow(built.users[follower], built.users[followee])
            uow.follows.add(follow)
            built.follows[follower, followee] = _id(follow)
        uow.commit()
    return built


def _reference(keys: list[int], page: PageRequest) -> list[int]:
    """What a page holds, from the full list's keys in the list's order."""
    kept = [
        key
        for key in keys
        if (page.max_id is None or key < page.max_id)
        and (page.since_id is None or key > page.since_id)
    ]
    return kept[page.skip : page.skip + page.fetch_size]


def _requests(keys: list[int]) -> list[PageRequest]:
    ordered = sorted(keys)
    low, middle, high = ordered[0], ordered[len(ordered) // 2], ordered[-1]
    return [
        PageRequest(),
        PageRequest(limit=1),
        PageRequest(limit=2),
        PageRequest(limit=2, skip=1),
        PageRequest(limit=len(keys)),
        PageRequest(limit=len(keys) - 1),
        PageRequest(skip=len(keys) - 1),
        PageRequest(skip=len(keys)),
        PageRequest(max_id=middle),
        PageRequest(since_id=middle),
        PageRequest(max_id=high, since_id=low),
        PageRequest(max_id=high, since_id=low, limit=1, skip=1),
        PageRequest(max_id=low),
        PageRequest(since_id=high),
        PageRequest(max_id=MAX_ID, since_id=0),
    ]


def _check_paging(
    read: Callable[[UnitOfWork, PageRequest], list[int]],
    uow_factory: UowFactory,
    keys: list[int],
    *,
    newest_first: bool = True,
) -> None:
    """Every page matches the reference, and walking the cursors visits each key once."""
    assert len(keys) >= 2
    with uow_factory() as uow:
        assert read(uow, PageRequest()) == keys
        # one more than the limit is read, to see that a further page exists
        assert read(uow, PageRequest(limit=1)) == keys[:2]
        for page in _requests(keys):
            assert read(uow, page) == _reference(keys, page), page
        walked: list[int] = []
        cursor: int | None = None
        for _ in range(len(keys) + 1):
            if cursor is None and walked:
                break
            if newest_first:
                page = PageRequest(limit=2, max_id=cursor)
            else:
                page = PageRequest(limit=2, since_id=cursor)
            rows = read(uow, page)
            items = page_of_keyed([(key, key) for key in rows], page)
            walked += items.items
            cursor = items.next_cursor
    assert walked == keys


def test_users_list_page_is_ascending_by_id(uow_factory: UowFactory, world: World) -> None:
    expected = [world.users[name] for name in ("ada", "bob", "cy", "dan", "eve", "fay")]

    def read(uow: UnitOfWork, page: PageRequest) -> list[int]:
        return [_id(user) for user in uow.users.list_page(page)]

    _check_paging(read, uow_factory, expected, newest_first=False)


def test_users_list_liking_is_newest_like_first_keyed_by_like_id(
    uow_factory: UowFactory, world: World
) -> None:
    tweet = world.tweets[3]
    with uow_factory() as uow:
        rows = uow.users.list_liking(tweet, PageRequest())
    assert [(key, user.username) for key, user in rows] == [
        (world.likes["ada", 3], "ada"),
        (world.likes["bob", 3], "bob"),
        (world.likes["eve", 3], "eve"),
    ]

    def read(uow: UnitOfWork, page: PageRequest) -> list[int]:
        return [key for key, _ in uow.users.list_liking(tweet, page)]

    _check_paging(read, uow_factory, [key for key, _ in rows])
    with uow_factory() as uow:
        assert uow.users.list_liking(world.tweets[2], PageRequest()) == []


def test_users_list_followers_is_newest_follow_first_keyed_by_follow_id(
    uow_factory: UowFactory, world: World
) -> None:
    ada = world.users["ada"]
    with uow_factory() as uow:
        rows = uow.users.list_followers(ada, PageRequest())
    assert [(key, user.username) for key, user in rows] == [
        (world.follows[name, "ada"], name) for name in ("bob", "fay", "cy", "eve")
    ]

    def read(uow: UnitOfWork, page: PageRequest) -> list[int]:
        return [key for key, _ in uow.users.list_followers(ada, page)]

    _check_paging(read, uow_factory, [key for key, _ in rows])
    with uow_factory() as uow:
        assert uow.users.list_followers(world.users["eve"], PageRequest()) == []


def test_users_list_following_is_newest_follow_first_keyed_by_follow_id(
    uow_factory: UowFactory, world: World
) -> None:
    ada = world.users["ada"]
    with uow_factory() as uow:
        rows = uow.users.list_following(ada, PageRequest())
        eve_follows = [
            (k, u.username) for k, u in uow.users.list_following(world.users["eve"], PageRequest())
        ]
    assert [(key, user.username) for key, user in rows] == [
        (world.follows["ada", "dan"], "dan"),
        (world.follows["ada", "bob"], "bob"),
    ]
    assert eve_follows == [(world.follows["eve", "ada"], "ada")]

    def read(uow: UnitOfWork, page: PageRequest) -> list[int]:
        return [key for key, _ in uow.users.list_following(ada, page)]

    _check_paging(read, uow_factory, [key for key, _ in rows])


def test_tweets_list_page_is_newest_first(uow_factory: UowFactory, world: World) -> None:
    expected = world.tweets[::-1]

    def read(uow: UnitOfWork, page: PageRequest) -> list[int]:
        return [_id(tweet) for tweet in uow.tweets.list_page(page)]

    _check_paging(read, uow_factory, expected)
    with uow_factory() as uow:
        counts = [t.like_count for t in uow.tweets.list_page(PageRequest())]
    assert counts == [1, 0, 0, 0, 3, 0, 1, 2]  # tweets 7 .. 0


def test_tweets_list_by_owner_is_newest_first(uow_factory: UowFactory, world: World) -> None:
    ada = world.users["ada"]
    expected = [world.tweets[6], world.tweets[3], world.tweets[0]]

    def read(uow: UnitOfWork, page: PageRequest) -> list[int]:
        return [_id(tweet) for tweet in uow.tweets.list_by_owner(ada, page)]

    _check_paging(read, uow_factory, expected)
    with uow_factory() as uow:
        assert uow.tweets.list_by_owner(world.users["eve"], PageRequest()) == []
        assert {t.owner_id for t in uow.tweets.list_by_owner(ada, PageRequest())} == {ada}


def test_tweets_list_liked_by_is_newest_like_first_keyed_by_like_id(
    uow_factory: UowFactory, world: World
) -> None:
    eve = world.users["eve"]
    with uow_factory() as uow:
        rows = uow.tweets.list_liked_by(eve, PageRequest())
    # liked in the order 3, 0, 7, 1: newest like first, whatever the tweets' ids
    assert [(key, _id(tweet)) for key, tweet in rows] == [
        (world.likes["eve", number], world.tweets[number]) for number in (1, 7, 0, 3)
    ]
    assert [tweet.like_count for _, tweet in rows] == [1, 1, 2, 3]

    def read(uow: UnitOfWork, page: PageRequest) -> list[int]:
        return [key for key, _ in uow.tweets.list_liked_by(eve, page)]

    _check_paging(read, uow_factory, [key for key, _ in rows])
    with uow_factory() as uow:
        assert uow.tweets.list_liked_by(world.users["dan"], PageRequest()) == []


def test_likes_list_by_owner_is_newest_first(uow_factory: UowFactory, world: World) -> None:
    eve = world.users["eve"]
    with uow_factory() as uow:
        likes = uow.likes.list_by_owner(eve, PageRequest())
    assert [(like.id, like.owner_id, like.tweet_id, like.created_at) for like in likes] == [
        (world.likes["eve", number], eve, world.tweets[number], T0) for number in (1, 7, 0, 3)
    ]

    def read(uow: UnitOfWork, page: PageRequest) -> list[int]:
        return [_id(like) for like in uow.likes.list_by_owner(eve, page)]

    _check_paging(read, uow_factory, [_id(like) for like in likes])


def test_home_timeline_is_own_and_followed_tweets_newest_first(
    uow_factory: UowFactory, world: World
) -> None:
    def timeline(name: str) -> list[int]:
        with uow_factory() as uow:
            return [_id(t) for t in uow.tweets.list_home_timeline(world.users[name], PageRequest())]

    def numbers(*wanted: int) -> list[int]:
        return [world.tweets[number] for number in wanted]

    # ada: her own (0, 3, 6), bob's (1, 4) and dan's (5); not cy's (2, 7) who follows her
    assert timeline("ada") == numbers(6, 5, 4, 3, 1, 0)
    assert timeline("cy") == numbers(7, 6, 3, 2, 0)
    assert timeline("eve") == numbers(6, 3, 0)  # no tweets of her own
    assert timeline("dan") == numbers(5)  # followed, following no one

    ada = world.users["ada"]

    def read(uow: UnitOfWork, page: PageRequest) -> list[int]:
        return [_id(tweet) for tweet in uow.tweets.list_home_timeline(ada, page)]

    _check_paging(read, uow_factory, numbers(6, 5, 4, 3, 1, 0))


def test_page_of_helpers_give_the_next_cursor_from_the_extra_item(
    uow_factory: UowFactory, world: World
) -> None:
    eve = world.users["eve"]
    page = PageRequest(limit=3)
    with uow_factory() as uow:
        tweets = page_of(uow.tweets.list_page(page), page)
        liked = page_of_keyed(uow.tweets.list_liked_by(eve, page), page)
    assert [_id(t) for t in tweets.items] == world.tweets[:-4:-1]
    assert tweets.next_cursor == world.tweets[-3]
    assert [_id(t) for t in liked.items] == [world.tweets[n] for n in (1, 7, 0)]
    assert liked.next_cursor == world.likes["eve", 0]


# The unit of work


def test_leaving_without_commit_rolls_back(uow_factory: UowFactory) -> None:
    (ada,) = committed_users(uow_factory, "ada")
    tweet = committed_tweet(uow_factory, ada)

    with uow_factory() as uow:
        uow.users.add(a_user("bob"))
        uow.tweets.add(a_tweet(ada, "never seen"))
        uow.likes.add(a_like(ada, tweet))
        uow.tweets.change_like_count(tweet, +1)
        uow.follows.add(a_follow(ada, _id(uow.users.get_by_username("bob"))))
        uow.tweets.delete(uow.tweets.get(tweet))  # type: ignore[arg-type]

    page = PageRequest()
    with uow_factory() as uow:
        assert [u.username for u in uow.users.list_page(page)] == ["ada"]
        assert [_id(t) for t in uow.tweets.list_page(page)] == [tweet]
        assert uow.likes.list_by_owner(ada, page) == []
        assert uow.users.list_following(ada, page) == []
    assert like_count(uow_factory, tweet) == 0


def test_an_exception_inside_the_unit_of_work_rolls_back(uow_factory: UowFactory) -> None:
    class Boom(Exception):
        pass

    with pytest.raises(Boom), uow_factory() as uow:
        uow.users.add(a_user("ada"))
        raise Boom

    with uow_factory() as uow:
        assert uow.users.list_page(PageRequest()) == []


def test_commit_makes_changes_visible_and_later_changes_still_need_one(
    uow_factory: UowFactory,
) -> None:
    with uow_factory() as uow:
        uow.users.add(a_user("ada"))
        uow.commit()
        uow.users.add(a_user("bob"))  # after the commit: rolled back on leaving

    with uow_factory() as uow:
        assert [u.username for u in uow.users.list_page(PageRequest())] == ["ada"]


def test_rollback_discards_what_came_before_it(uow_factory: UowFactory) -> None:
    with uow_factory() as uow:
        uow.users.add(a_user("ada"))
        uow.rollback()
        uow.users.add(a_user("bob"))
        uow.commit()

    with uow_factory() as uow:
        assert [u.username for u in uow.users.list_page(PageRequest())] == ["bob"]


def test_a_unit_of_work_sees_its_own_uncommitted_writes(uow_factory: UowFactory) -> None:
    with uow_factory() as uow:
        ada = a_user("Ada")
        uow.users.add(ada)
        assert uow.users.get(_id(ada)) is ada
        assert uow.users.get_by_username("ADA") is ada
        assert uow.users.get_by_email("ada@example.com") is ada
        tweet = a_tweet(ada.id)
        uow.tweets.add(tweet)
        assert [_id(t) for t in uow.tweets.list_home_timeline(_id(ada), PageRequest())] == [
            _id(tweet)
        ]


def _read_everything(entity: Any) -> tuple[Any, ...]:
    names = {
        User: ("id", "email", "username", "hashed_password", "created_at"),
        Tweet: ("id", "text", "owner_id", "like_count", "created_at"),
        Like: ("id", "owner_id", "tweet_id", "created_at"),
        Follow: ("id", "follower_id", "followee_id", "created_at"),
    }[type(entity)]
    return tuple(getattr(entity, name) for name in names)


def test_entities_stay_readable_after_the_unit_of_work_closed(uow_factory: UowFactory) -> None:
    with uow_factory() as uow:
        ada, bob = a_user("ada"), a_user("bob")
        uow.users.add(ada)
        uow.users.add(bob)
        tweet = a_tweet(ada.id, "readable")
        uow.tweets.add(tweet)
        like = a_like(bob.id, tweet.id)
        uow.likes.add(like)
        uow.tweets.change_like_count(_id(tweet), +1)
        follow = a_follow(bob.id, ada.id)
        uow.follows.add(follow)
        uow.commit()
    # written, committed, closed
    assert _read_everything(ada)[1:] == ("ada@example.com", "ada", "not-a-real-hash", T0)
    assert _read_everything(tweet)[1:3] == ("readable", _id(ada))
    assert _read_everything(like)[1:] == (_id(bob), _id(tweet), T0)
    assert _read_everything(follow)[1:] == (_id(bob), _id(ada), T0)

    page = PageRequest()
    with uow_factory() as uow:  # read only: closed without commit
        read: list[Any] = [
            uow.users.get(_id(ada)),
            uow.users.get_by_email("bob@example.com"),
            uow.users.get_by_username("ADA"),
            uow.tweets.get(_id(tweet)),
            *uow.users.list_page(page),
            *(user for _, user in uow.users.list_liking(_id(tweet), page)),
            *(user for _, user in uow.users.list_followers(_id(ada), page)),
            *(user for _, user in uow.users.list_following(_id(bob), page)),
            *uow.tweets.list_page(page),
            *uow.tweets.list_by_owner(_id(ada), page),
            *(t for _, t in uow.tweets.list_liked_by(_id(bob), page)),
            *uow.tweets.list_home_timeline(_id(bob), page),
            *uow.likes.list_by_owner(_id(bob), page),
        ]
    for entity in read:
        values = _read_everything(entity)
        assert all(value is not None for value in values), values
        assert values[-1] == T0
    assert read[3].like_count == 1

    class Boom(Exception):
        pass

    with pytest.raises(Boom), uow_factory() as uow:  # closed by an exception
        loaded = uow.users.get(_id(ada))
        raise Boom
    assert _read_everything(loaded) == (_id(ada), "ada@example.com", "ada", "not-a-real-hash", T0)


# Counts and lookups for the web pages


def test_counts_exists_and_lookups_for_profiles_and_tweet_views(uow_factory: UowFactory) -> None:
    with uow_factory() as uow:
        ada, bob, cy = a_user("ada"), a_user("bob"), a_user("cy")
        for user in (ada, bob, cy):
            uow.users.add(user)
        tweets = [a_tweet(ada.id, "one"), a_tweet(ada.id, "two"), a_tweet(bob.id, "three")]
        for tweet in tweets:
            uow.tweets.add(tweet)
        for like in (a_like(bob.id, tweets[0].id), a_like(bob.id, tweets[2].id),
                     a_like(ada.id, tweets[0].id)):  # fmt: skip
            uow.likes.add(like)
        for follow in (a_follow(bob.id, ada.id), a_follow(cy.id, ada.id), a_follow(ada.id, cy.id)):
            uow.follows.add(follow)
        uow.commit()
    assert ada.id and bob.id and cy.id
    tweet_ids = [tweet.id for tweet in tweets if tweet.id is not None]
    with uow_factory() as uow:
        assert uow.tweets.count_by_owner(ada.id) == 2
        assert uow.tweets.count_by_owner(cy.id) == 0
        assert uow.likes.count_by_owner(bob.id) == 2
        assert uow.follows.count_followers(ada.id) == 2
        assert uow.follows.count_following(ada.id) == 1
        assert uow.follows.count_following(bob.id) == 1
        assert uow.follows.exists(bob.id, ada.id)
        assert not uow.follows.exists(ada.id, bob.id)
        assert not uow.follows.exists(MAX_ID, 0)
        assert uow.likes.liked_among(bob.id, tweet_ids) == {tweet_ids[0], tweet_ids[2]}
        assert uow.likes.liked_among(bob.id, [tweet_ids[1]]) == set()
        assert uow.likes.liked_among(cy.id, tweet_ids) == set()
        assert uow.likes.liked_among(bob.id, []) == set()
        found = uow.users.get_many([cy.id, ada.id, ada.id, MAX_ID, 0])
        assert sorted(user.username for user in found) == ["ada", "cy"]
        assert uow.users.get_many([]) == []


# Profiles and lookups by username


def test_display_name_and_bio_are_stored(uow_factory: UowFactory) -> None:
    with uow_factory() as uow:
        ada = User.register(
            email="ada@example.com", username="Ada", hashed_password="h", created_at=T0
        )
        uow.users.add(ada)
        uow.commit()
    with uow_factory() as uow:
        stored = uow.users.get(_id(ada))
        assert stored is not None
        assert (stored.display_name, stored.bio) == ("Ada", "")
        stored.edit_profile(display_name="Ada L.", bio="Counting\nthings")
        uow.commit()
    with uow_factory() as uow:
        again = uow.users.get_by_username("ada")
        assert again is not None
        assert (again.display_name, again.bio) == ("Ada L.", "Counting\nthings")


def test_ids_by_username_is_case_insensitive_and_leaves_out_nobody(
    uow_factory: UowFactory,
) -> None:
    ada, bob = committed_users(uow_factory, "Ada_L", "bob")

    with uow_factory() as uow:
        assert uow.users.ids_by_username(["ada_l", "BOB", "Bob", "nobody", "ada"]) == {
            "ada_l": ada,
            "bob": bob,
        }
        assert uow.users.ids_by_username([]) == {}
        assert uow.users.ids_by_username(["nobody"]) == {}


def test_hold_keeps_users_and_lets_the_unit_of_work_write(uow_factory: UowFactory) -> None:
    ada, bob = committed_users(uow_factory, "ada", "bob")

    with uow_factory() as uow:
        uow.users.hold([bob, ada, ada, ada + 1000, 0, -1, MAX_ID + 1])
        uow.users.hold([])
        uow.tweets.add(a_tweet(ada, "after the hold"))
        uow.commit()

    with uow_factory() as uow:
        assert [t.text for t in uow.tweets.list_by_owner(ada, PageRequest())] == ["after the hold"]


# Replies, quotes and retweets


def stored_tweet(uow_factory: UowFactory, tweet_id: int) -> Tweet:
    with uow_factory() as uow:
        tweet = uow.tweets.get(tweet_id)
    assert tweet is not None, f"no tweet {tweet_id}"
    return tweet


def posted(uow_factory: UowFactory, tweet: Tweet) -> Tweet:
    """A tweet and the counters of what it references, as PostTweet and RetweetTweet
    write them."""
    with uow_factory() as uow:
        uow.tweets.add(tweet)
        uow.tweets.count_references(tweet, +1)
        uow.commit()
    return tweet


def a_post(
    owner_id: int,
    text: str = "hello",
    *,
    reply_to: Tweet | None = None,
    quoting: Tweet | None = None,
    user_ids: dict[str, int] | None = None,
) -> Tweet:
    return Tweet.post(
        owner_id=owner_id,
        text=text,
        created_at=T0,
        reply_to=reply_to,
        quoting=quoting,
        user_ids=user_ids,
    )


def a_retweet(owner_id: int, original: Tweet) -> Tweet:
    return Tweet.retweet(owner_id=owner_id, original=original, created_at=T0)


def counters(uow_factory: UowFactory, tweet_id: int) -> tuple[int, int, int, int] | None:
    """(likes, replies, retweets, quotes), None for a tweet that is gone."""
    with uow_factory() as uow:
        tweet = uow.tweets.get(tweet_id)
    if tweet is None:
        return None
    return tweet.like_count, tweet.reply_count, tweet.retweet_count, tweet.quote_count


def test_replies_quotes_and_retweets_keep_their_references_and_entities(
    uow_factory: UowFactory,
) -> None:
    ada, bob = committed_users(uow_factory, "ada", "bob")
    root = posted(uow_factory, a_post(ada, "#Python at @bob", user_ids={"bob": bob}))
    reply = posted(uow_factory, a_post(bob, "yes @ADA", reply_to=root, user_ids={"ada": ada}))
    deeper = posted(uow_factory, a_post(ada, "and more", reply_to=reply))
    quote = posted(uow_factory, a_post(bob, "look", quoting=root))
    retweet = posted(uow_factory, a_retweet(bob, root))

    def references(tweet: Tweet) -> tuple[int | None, ...]:
        read = stored_tweet(uow_factory, _id(tweet))
        return (
            read.thread_root_id,
            read.in_reply_to_id,
            read.in_reply_to_user_id,
            read.quoted_id,
            read.retweeted_id,
        )

    assert references(root) == (None,) * 5
    assert references(reply) == (_id(root), _id(root), ada, None, None)
    assert references(deeper) == (_id(root), _id(reply), bob, None, None)
    assert references(quote) == (None, None, None, _id(root), None)
    assert references(retweet) == (None, None, None, None, _id(root))
    read_root = stored_tweet(uow_factory, _id(root))
    assert read_root.entities == root.entities
    assert read_root.entities.tag_keys == {"python"}
    assert read_root.entities.mentioned_ids == {bob}
    assert stored_tweet(uow_factory, _id(retweet)).entities == root.entities
    assert stored_tweet(uow_factory, _id(deeper)).entities == TweetEntities()
    assert counters(uow_factory, _id(root)) == (0, 1, 1, 1)
    assert counters(uow_factory, _id(reply)) == (0, 1, 0, 0)


def test_retweeting_a_tweet_twice_raises_already_retweeted(uow_factory: UowFactory) -> None:
    ada, bob = committed_users(uow_factory, "ada", "bob")
    original = posted(uow_factory, a_post(ada))
    first = posted(uow_factory, a_retweet(bob, original))

    with uow_factory() as uow, pytest.raises(AlreadyRetweeted):
        uow.tweets.add(a_retweet(bob, original))
    with uow_factory() as uow:
        uow.tweets.add(a_retweet(ada, original))  # her own: one too
        with pytest.raises(AlreadyRetweeted):
            uow.tweets.add(a_retweet(ada, original))

    with uow_factory() as uow:
        assert [t.id for t in uow.tweets.list_page(PageRequest())] == [_id(first), _id(original)]
        found = uow.tweets.find_retweet(bob, _id(original))
        assert found is not None and found.id == first.id
        assert uow.tweets.find_retweet(ada, _id(original)) is None
        assert uow.tweets.find_retweet(bob, _id(first)) is None
        for missing in (0, -1, MAX_ID + 1):
            assert uow.tweets.find_retweet(missing, _id(original)) is None
            assert uow.tweets.find_retweet(bob, missing) is None


def test_get_many_tweets_and_retweeted_among(uow_factory: UowFactory) -> None:
    ada, bob = committed_users(uow_factory, "ada", "bob")
    first, second, third = (posted(uow_factory, a_post(ada)) for _ in range(3))
    retweet = posted(uow_factory, a_retweet(bob, first))
    posted(uow_factory, a_retweet(bob, third))
    posted(uow_factory, a_retweet(ada, second))

    with uow_factory() as uow:
        found = uow.tweets.get_many([_id(second), _id(retweet), _id(second), MAX_ID, 0, -1])
        assert sorted(_id(t) for t in found) == [_id(second), _id(retweet)]
        assert uow.tweets.get_many([]) == []
        wanted = [_id(first), _id(second), _id(retweet), MAX_ID + 1]
        assert uow.tweets.retweeted_among(bob, wanted) == {_id(first)}
        assert uow.tweets.retweeted_among(ada, wanted) == {_id(second)}
        assert uow.tweets.retweeted_among(bob, []) == set()
        assert uow.tweets.retweeted_among(MAX_ID + 1, wanted) == set()


def test_a_reply_or_retweet_of_a_missing_tweet_raises_tweet_not_found(
    uow_factory: UowFactory,
) -> None:
    (ada,) = committed_users(uow_factory, "ada")
    gone = posted(uow_factory, a_post(ada))
    with uow_factory() as uow:
        uow.tweets.delete(uow.tweets.get(_id(gone)))  # type: ignore[arg-type]
        uow.commit()

    with uow_factory() as uow, pytest.raises(TweetNotFound):
        uow.tweets.add(a_post(ada, reply_to=gone))
    with uow_factory() as uow, pytest.raises(TweetNotFound):
        uow.tweets.add(a_retweet(ada, gone))
    with uow_factory() as uow, pytest.raises(UserNotFound):
        uow.tweets.add(a_post(ada + 1000, reply_to=gone))
    with uow_factory() as uow:  # a quote may point at a tweet that is gone
        quote = a_post(ada, quoting=gone)
        uow.tweets.add(quote)
        uow.tweets.count_references(quote, +1)  # nothing to count: skipped
        uow.commit()
    assert stored_tweet(uow_factory, _id(quote)).quoted_id == _id(gone)


def test_count_references_adds_to_each_counter_atomically(uow_factory: UowFactory) -> None:
    ada, bob = committed_users(uow_factory, "ada", "bob")
    original = posted(uow_factory, a_post(ada))
    other = posted(uow_factory, a_post(ada))
    both = posted(uow_factory, a_post(bob, reply_to=original, quoting=original))
    posted(uow_factory, a_post(bob, reply_to=original, quoting=other))
    retweet = posted(uow_factory, a_retweet(bob, original))

    assert counters(uow_factory, _id(original)) == (0, 2, 1, 1)
    assert counters(uow_factory, _id(other)) == (0, 0, 0, 1)
    with uow_factory() as uow:
        loaded = uow.tweets.get(_id(original))
        assert loaded is not None
        uow.tweets.count_references(both, -1)
        uow.tweets.count_references(retweet, -1)
        uow.tweets.count_references(a_post(ada), +1)  # references nothing
        assert (loaded.reply_count, loaded.retweet_count, loaded.quote_count) == (1, 0, 0)
        uow.commit()
    assert counters(uow_factory, _id(original)) == (0, 1, 0, 0)
    assert counters(uow_factory, _id(other)) == (0, 0, 0, 1)


def test_deleting_a_user_uncounts_their_references_and_takes_their_conversations(
    uow_factory: UowFactory,
) -> None:
    ada, bob, cy = committed_users(uow_factory, "ada", "bob", "cy")
    bob_tweet = posted(uow_factory, a_post(bob, "about @cy", user_ids={"cy": cy}))
    cy_tweet = posted(uow_factory, a_post(cy))
    ada_tweet = posted(uow_factory, a_post(ada, "#mine"))
    posted(uow_factory, a_post(ada, reply_to=bob_tweet))
    posted(uow_factory, a_post(ada, reply_to=bob_tweet, quoting=cy_tweet))
    posted(uow_factory, a_post(ada, reply_to=ada_tweet, quoting=ada_tweet))  # her own
    posted(uow_factory, a_retweet(ada, bob_tweet))
    posted(uow_factory, a_retweet(ada, ada_tweet))
    cy_reply = posted(uow_factory, a_post(cy, "@ada hi", reply_to=bob_tweet, user_ids={"ada": ada}))
    cy_quote = posted(uow_factory, a_post(cy, quoting=ada_tweet))
    cy_on_ada = posted(uow_factory, a_post(cy, reply_to=ada_tweet))
    posted(uow_factory, a_retweet(cy, ada_tweet))
    bob_retweet = posted(uow_factory, a_retweet(bob, cy_tweet))
    committed_like(uow_factory, ada, _id(cy_tweet))
    with uow_factory() as uow:
        for notification in (
            Notification(bob, ada, NotificationType.REPLY, _id(bob_tweet), T0),
            Notification(ada, cy, NotificationType.MENTION, _id(cy_reply), T0),
            Notification(ada, bob, NotificationType.FOLLOW, None, T0),
            Notification(cy, bob, NotificationType.RETWEET, _id(cy_tweet), T0),
        ):
            uow.notifications.add(notification)
        uow.commit()
    assert counters(uow_factory, _id(bob_tweet)) == (0, 3, 1, 0)
    assert counters(uow_factory, _id(cy_tweet)) == (1, 0, 1, 1)

    with uow_factory() as uow:
        doomed = uow.users.get(ada)
        assert doomed is not None
        # What DeleteUser does.
        uow.users.lock_for_deletion(doomed)
        uow.tweets.uncount_likes_by(ada)
        uow.tweets.uncount_references_by(ada)
        uow.users.delete(doomed)
        uow.commit()

    page = PageRequest()
    assert counters(uow_factory, _id(bob_tweet)) == (0, 1, 0, 0)  # cy's reply is left
    assert counters(uow_factory, _id(cy_tweet)) == (0, 0, 1, 0)  # bob's retweet is left
    with uow_factory() as uow:
        assert uow.tweets.list_by_owner(ada, page) == []
        # cy's retweet of her tweet went with it; cy's reply lost its parent, and
        # cy's quote points at nothing
        assert [_id(t) for t in uow.tweets.list_by_owner(cy, page)] == [
            _id(cy_on_ada),
            _id(cy_quote),
            _id(cy_reply),
            _id(cy_tweet),
        ]
        assert stored_in(uow, cy_on_ada).in_reply_to_id is None
        assert stored_in(uow, cy_quote).quoted_id == _id(ada_tweet)
        assert uow.tweets.list_tagged("mine", page) == []
        assert [_id(t) for t in uow.tweets.list_mentioning(cy, page)] == [_id(bob_tweet)]
        assert [key for key, _ in uow.users.list_retweeting(_id(cy_tweet), page)] == [
            _id(bob_retweet)
        ]
        # notifications by or for her are gone, the others stay
        assert uow.notifications.list_for(ada, page) == []
        assert uow.notifications.list_for(bob, page) == []
        assert [n.type for n in uow.notifications.list_for(cy, page)] == [NotificationType.RETWEET]


def stored_in(uow: UnitOfWork, tweet: Tweet) -> Tweet:
    read = uow.tweets.get(_id(tweet))
    assert read is not None
    return read


def test_deleting_a_tweet_takes_its_retweets_tags_mentions_and_notifications(
    uow_factory: UowFactory,
) -> None:
    ada, bob, cy = committed_users(uow_factory, "ada", "bob", "cy")
    doomed = posted(uow_factory, a_post(ada, "#Gone @bob", user_ids={"bob": bob}))
    kept = posted(uow_factory, a_post(ada, "#gone too"))
    reply = posted(uow_factory, a_post(bob, reply_to=doomed))
    deeper = posted(uow_factory, a_post(cy, reply_to=reply))
    quote = posted(uow_factory, a_post(cy, quoting=doomed))
    retweet = posted(uow_factory, a_retweet(bob, doomed))
    committed_like(uow_factory, cy, _id(doomed))
    kept_like = committed_like(uow_factory, cy, _id(kept))
    with uow_factory() as uow:
        for notification in (
            Notification(ada, cy, NotificationType.LIKE, _id(doomed), T0),
            Notification(ada, bob, NotificationType.RETWEET, _id(doomed), T0),
            Notification(bob, ada, NotificationType.MENTION, _id(doomed), T0),
            Notification(ada, bob, NotificationType.REPLY, _id(reply), T0),
            Notification(bob, cy, NotificationType.LIKE, _id(retweet), T0),
        ):
            uow.notifications.add(notification)
        uow.commit()

    with uow_factory() as uow:
        tweet = uow.tweets.get(_id(doomed))
        assert tweet is not None
        # What DeleteTweet does.
        assert uow.tweets.lock_for_deletion(tweet) is True
        uow.tweets.count_references(tweet, -1)
        uow.tweets.delete(tweet)
        uow.commit()

    page = PageRequest()
    with uow_factory() as uow:
        assert uow.tweets.get(_id(doomed)) is None
        assert uow.tweets.get(_id(retweet)) is None
        assert uow.tweets.lock_for_deletion(doomed) is False
        assert uow.users.list_liking(_id(doomed), page) == []
        assert [key for key, _ in uow.tweets.list_liked_by(cy, page)] == [kept_like]
        assert uow.users.list_retweeting(_id(doomed), page) == []
        assert [_id(t) for t in uow.tweets.list_tagged("gone", page)] == [_id(kept)]
        assert uow.tweets.list_mentioning(bob, page) == []
        assert [n.type for n in uow.notifications.list_for(ada, page)] == [NotificationType.REPLY]
        assert uow.notifications.list_for(bob, page) == []
        # the replies stay, without that parent; the quote dangles
        assert stored_in(uow, reply).in_reply_to_id is None
        assert stored_in(uow, reply).thread_root_id == _id(doomed)
        assert stored_in(uow, deeper).in_reply_to_id == _id(reply)
        assert stored_in(uow, quote).quoted_id == _id(doomed)
        assert uow.tweets.list_quotes(_id(doomed), page) == [stored_in(uow, quote)]
    assert counters(uow_factory, _id(kept)) == (1, 0, 0, 0)


def test_lock_for_deletion_of_a_tweet_says_whether_it_is_there(uow_factory: UowFactory) -> None:
    ada, bob = committed_users(uow_factory, "ada", "bob")
    original = posted(uow_factory, a_post(ada))
    reply = posted(uow_factory, a_post(bob, reply_to=original, quoting=original))
    retweet = posted(uow_factory, a_retweet(bob, original))

    with uow_factory() as uow:
        for tweet in (original, reply, retweet):
            assert uow.tweets.lock_for_deletion(tweet) is True
        uow.tweets.delete(stored_in(uow, reply))
        assert uow.tweets.lock_for_deletion(reply) is False
        assert uow.tweets.lock_for_deletion(a_post(ada)) is False  # never stored


# Lists of conversations


def test_list_quotes_is_newest_first(uow_factory: UowFactory) -> None:
    ada, bob = committed_users(uow_factory, "ada", "bob")
    quoted, other = posted(uow_factory, a_post(ada)), posted(uow_factory, a_post(ada))
    quotes = [
        _id(posted(uow_factory, a_post(owner, quoting=target)))
        for owner, target in [(bob, quoted), (ada, quoted), (bob, other), (bob, quoted)]
    ]
    expected = [quotes[3], quotes[1], quotes[0]]

    def read(uow: UnitOfWork, page: PageRequest) -> list[int]:
        return [_id(tweet) for tweet in uow.tweets.list_quotes(_id(quoted), page)]

    _check_paging(read, uow_factory, expected)
    with uow_factory() as uow:
        assert uow.tweets.list_quotes(quotes[0], PageRequest()) == []
        for missing in (0, -1, MAX_ID + 1):
            assert uow.tweets.list_quotes(missing, PageRequest()) == []


def test_list_tagged_matches_the_tag_key_and_leaves_out_retweets(
    uow_factory: UowFactory,
) -> None:
    ada, bob = committed_users(uow_factory, "ada", "bob")
    tagged = [
        posted(uow_factory, a_post(ada, "#Python rocks")),
        posted(uow_factory, a_post(bob, "#python and #SQL")),
        posted(uow_factory, a_post(bob, "no tag python")),
        posted(uow_factory, a_post(ada, "#PYTHON #python twice")),
    ]
    posted(uow_factory, a_retweet(bob, tagged[0]))
    expected = [_id(tagged[3]), _id(tagged[1]), _id(tagged[0])]

    def read(uow: UnitOfWork, page: PageRequest) -> list[int]:
        return [_id(tweet) for tweet in uow.tweets.list_tagged("python", page)]

    _check_paging(read, uow_factory, expected)
    with uow_factory() as uow:
        assert [_id(t) for t in uow.tweets.list_tagged("sql", PageRequest())] == [_id(tagged[1])]
        assert uow.tweets.list_tagged("Python", PageRequest()) == []  # keys are folded
        assert uow.tweets.list_tagged("nothing", PageRequest()) == []
        assert uow.tweets.list_tagged("x" * 300, PageRequest()) == []


def test_list_mentioning_leaves_out_retweets_and_whom_no_one_names(
    uow_factory: UowFactory,
) -> None:
    ada, bob, cy = committed_users(uow_factory, "ada", "bob", "cy")
    names = {"bob": bob, "cy": cy}
    mentioning = [
        posted(uow_factory, a_post(ada, "hi @bob", user_ids=names)),
        posted(uow_factory, a_post(cy, "@BOB and @cy", user_ids=names)),
        posted(uow_factory, a_post(ada, "bob, no sign", user_ids=names)),
        posted(uow_factory, a_post(ada, "@bob @bob", user_ids=names)),
    ]
    posted(uow_factory, a_retweet(cy, mentioning[0]))
    expected = [_id(mentioning[3]), _id(mentioning[1]), _id(mentioning[0])]

    def read(uow: UnitOfWork, page: PageRequest) -> list[int]:
        return [_id(tweet) for tweet in uow.tweets.list_mentioning(bob, page)]

    _check_paging(read, uow_factory, expected)
    with uow_factory() as uow:
        assert [_id(t) for t in uow.tweets.list_mentioning(cy, PageRequest())] == [
            _id(mentioning[1])
        ]
        assert uow.tweets.list_mentioning(ada, PageRequest()) == []
        for missing in (0, -1, MAX_ID + 1):
            assert uow.tweets.list_mentioning(missing, PageRequest()) == []


def test_a_mention_of_someone_gone_by_the_time_of_posting_is_left_out(
    uow_factory: UowFactory,
) -> None:
    ada, bob = committed_users(uow_factory, "ada", "bob")
    with uow_factory() as uow:
        uow.users.delete(uow.users.get(bob))  # type: ignore[arg-type]
        uow.commit()

    tweet = posted(uow_factory, a_post(ada, "hi @bob", user_ids={"bob": bob}))

    with uow_factory() as uow:
        assert uow.tweets.list_mentioning(bob, PageRequest()) == []
        assert [_id(t) for t in uow.tweets.list_by_owner(ada, PageRequest())] == [_id(tweet)]


def test_list_retweeting_is_newest_retweet_first_keyed_by_the_retweet(
    uow_factory: UowFactory,
) -> None:
    ada, bob, cy, dan = committed_users(uow_factory, "ada", "bob", "cy", "dan")
    original, other = posted(uow_factory, a_post(ada)), posted(uow_factory, a_post(ada))
    retweets = [
        (_id(posted(uow_factory, a_retweet(who, target))), who)
        for who, target in [(cy, original), (bob, original), (cy, other), (ada, original)]
    ]
    with uow_factory() as uow:
        rows = uow.users.list_retweeting(_id(original), PageRequest())
    assert [(key, _id(user)) for key, user in rows] == [retweets[3], retweets[1], retweets[0]]

    def read(uow: UnitOfWork, page: PageRequest) -> list[int]:
        return [key for key, _ in uow.users.list_retweeting(_id(original), page)]

    _check_paging(read, uow_factory, [key for key, _ in rows])
    with uow_factory() as uow:
        assert uow.users.list_retweeting(retweets[0][0], PageRequest()) == []
        assert uow.users.list_retweeting(MAX_ID + 1, PageRequest()) == []
    assert dan not in {who for _, who in retweets}


def test_ancestors_are_oldest_first_and_descendants_every_reply_below(
    uow_factory: UowFactory,
) -> None:
    ada, bob = committed_users(uow_factory, "ada", "bob")
    root = posted(uow_factory, a_post(ada))
    first = posted(uow_factory, a_post(bob, reply_to=root))
    second = posted(uow_factory, a_post(ada, reply_to=first))
    third = posted(uow_factory, a_post(bob, reply_to=second))
    branch = posted(uow_factory, a_post(bob, reply_to=first))
    other_root = posted(uow_factory, a_post(ada))
    posted(uow_factory, a_post(bob, reply_to=other_root))
    posted(uow_factory, a_post(bob, quoting=second))  # a quote is no reply
    posted(uow_factory, a_retweet(bob, third))  # nor is a retweet

    def ids(tweets: list[Tweet]) -> list[int]:
        return [_id(tweet) for tweet in tweets]

    with uow_factory() as uow:
        assert ids(uow.tweets.ancestors(third)) == ids([root, first, second])
        assert ids(uow.tweets.ancestors(branch)) == ids([root, first])
        assert uow.tweets.ancestors(root) == []
        assert sorted(ids(uow.tweets.descendants(root))) == ids([first, second, third, branch])
        assert sorted(ids(uow.tweets.descendants(first))) == ids([second, third, branch])
        assert ids(uow.tweets.descendants(second)) == ids([third])
        assert uow.tweets.descendants(third) == []
        uow.tweets.delete(stored_in(uow, first))
        uow.commit()

    with uow_factory() as uow:
        assert ids(uow.tweets.ancestors(stored_in(uow, third))) == ids([second])
        assert uow.tweets.descendants(root) == []
        assert ids(uow.tweets.descendants(second)) == ids([third])


# Notifications


def a_notification(
    recipient_id: int, actor_id: int, kind: NotificationType, tweet_id: int | None = None
) -> Notification:
    return Notification(recipient_id, actor_id, kind, tweet_id, T0)


def test_notifications_are_stored_with_their_type_and_listed_newest_first(
    uow_factory: UowFactory,
) -> None:
    ada, bob, cy = committed_users(uow_factory, "ada", "bob", "cy")
    tweet = committed_tweet(uow_factory, ada)
    made = [
        a_notification(ada, bob, NotificationType.LIKE, tweet),
        a_notification(ada, cy, NotificationType.FOLLOW),
        a_notification(bob, ada, NotificationType.MENTION, tweet),
        a_notification(ada, bob, NotificationType.RETWEET, tweet),
        a_notification(ada, cy, NotificationType.QUOTE, tweet),
    ]
    with uow_factory() as uow:
        for notification in made:
            uow.notifications.add(notification)
        uow.commit()
    ids = [_id(n) for n in made]
    assert ids == sorted(set(ids))

    with uow_factory() as uow:
        listed = uow.notifications.list_for(ada, PageRequest())
        assert [_id(n) for n in listed] == [ids[4], ids[3], ids[1], ids[0]]
        for notification in listed:
            assert type(notification.type) is NotificationType
            assert notification.read is False
            assert notification.created_at == T0
        assert [(n.recipient_id, n.actor_id, n.type, n.tweet_id) for n in listed[-2:]] == [
            (ada, cy, NotificationType.FOLLOW, None),
            (ada, bob, NotificationType.LIKE, tweet),
        ]
        assert uow.notifications.count_unread(ada) == 4
        assert uow.notifications.count_unread(cy) == 0

    def read(uow: UnitOfWork, page: PageRequest) -> list[int]:
        return [_id(n) for n in uow.notifications.list_for(ada, page)]

    _check_paging(read, uow_factory, [ids[4], ids[3], ids[1], ids[0]])


def test_a_notification_whose_users_or_tweet_are_gone_is_not_stored(
    uow_factory: UowFactory,
) -> None:
    ada, bob = committed_users(uow_factory, "ada", "bob")
    tweet = committed_tweet(uow_factory, ada)
    with uow_factory() as uow:
        for notification in (
            a_notification(ada, bob + 1000, NotificationType.LIKE, tweet),
            a_notification(ada + 1000, bob, NotificationType.FOLLOW),
            a_notification(ada, bob, NotificationType.LIKE, tweet + 1000),
            a_notification(ada, MAX_ID + 1, NotificationType.FOLLOW),
            a_notification(ada, bob, NotificationType.LIKE, 0),
        ):
            uow.notifications.add(notification)
            assert notification.id is None
        stored = a_notification(ada, bob, NotificationType.LIKE, tweet)
        uow.notifications.add(stored)  # the unit of work goes on
        uow.commit()

    with uow_factory() as uow:
        assert [_id(n) for n in uow.notifications.list_for(ada, PageRequest())] == [_id(stored)]


def test_mark_read_marks_the_recipients_notifications_up_to_an_id(
    uow_factory: UowFactory,
) -> None:
    ada, bob = committed_users(uow_factory, "ada", "bob")
    with uow_factory() as uow:
        made = [a_notification(ada, bob, NotificationType.FOLLOW) for _ in range(4)]
        made.insert(2, a_notification(bob, ada, NotificationType.FOLLOW))
        for notification in made:
            uow.notifications.add(notification)
        uow.commit()
    ids = [_id(n) for n in made]

    with uow_factory() as uow:
        loaded = uow.notifications.list_for(ada, PageRequest())
        uow.notifications.mark_read(ada, ids[2])  # bob's, in between, stays unread
        uow.notifications.mark_read(ada, 0)
        uow.notifications.mark_read(MAX_ID + 1, MAX_ID)
        assert [n.read for n in loaded] == [False, False, True, True]  # newest first
        uow.commit()

    page = PageRequest()
    with uow_factory() as uow:
        assert uow.notifications.count_unread(ada) == 2
        assert uow.notifications.count_unread(bob) == 1
        unread = uow.notifications.list_for(ada, page, unread_only=True)
        assert [_id(n) for n in unread] == [ids[4], ids[3]]
        assert len(uow.notifications.list_for(ada, page)) == 4
        uow.notifications.mark_read(ada, MAX_ID + 1)
        uow.commit()
    with uow_factory() as uow:
        assert uow.notifications.count_unread(ada) == 0
        assert uow.notifications.list_for(ada, page, unread_only=True) == []
        assert uow.notifications.count_unread(bob) == 1


def test_withdraw_removes_only_the_notification_of_the_action_undone(
    uow_factory: UowFactory,
) -> None:
    ada, bob, cy = committed_users(uow_factory, "ada", "bob", "cy")
    tweet, other = committed_tweet(uow_factory, ada), committed_tweet(uow_factory, ada)
    with uow_factory() as uow:
        for notification in (
            a_notification(ada, bob, NotificationType.LIKE, tweet),
            a_notification(ada, bob, NotificationType.LIKE, other),
            a_notification(ada, bob, NotificationType.RETWEET, tweet),
            a_notification(ada, cy, NotificationType.LIKE, tweet),
            a_notification(ada, bob, NotificationType.FOLLOW),
            a_notification(cy, bob, NotificationType.FOLLOW),
        ):
            uow.notifications.add(notification)
        uow.commit()

    with uow_factory() as uow:
        uow.notifications.withdraw(NotificationType.LIKE, bob, tweet_id=tweet)
        uow.notifications.withdraw(NotificationType.FOLLOW, bob, recipient_id=ada)
        uow.notifications.withdraw(NotificationType.LIKE, bob, tweet_id=MAX_ID + 1)
        uow.notifications.withdraw(NotificationType.FOLLOW, MAX_ID + 1, recipient_id=ada)
        uow.notifications.withdraw(NotificationType.QUOTE, bob, tweet_id=tweet)  # none such
        uow.commit()

    page = PageRequest()
    with uow_factory() as uow:
        left = {(n.actor_id, n.type, n.tweet_id) for n in uow.notifications.list_for(ada, page)}
        assert left == {
            (bob, NotificationType.LIKE, other),
            (bob, NotificationType.RETWEET, tweet),
            (cy, NotificationType.LIKE, tweet),
        }
        assert len(uow.notifications.list_for(cy, page)) == 1


def test_notification_reads_with_ids_no_store_has(uow_factory: UowFactory) -> None:
    committed_users(uow_factory, "ada")
    with uow_factory() as uow:
        for missing in (0, -1, MAX_ID + 1):
            assert uow.notifications.list_for(missing, PageRequest()) == []
            assert uow.notifications.count_unread(missing) == 0
