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
from twitter.domain.errors import (
    AlreadyFollowing,
    AlreadyLiked,
    EmailAlreadyRegistered,
    TweetNotFound,
    UsernameTaken,
    UserNotFound,
)
from twitter.domain.model import Follow, Like, Tweet, User

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
