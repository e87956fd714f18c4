"""``like_count`` stays equal to the number of likes under concurrent likes and unlikes.

PostgreSQL only: it is the database that runs writers truly in parallel (SQLite
serialises them with BEGIN IMMEDIATE). Each thread calls the container's use cases,
each call in its own unit of work and so on its own connection.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text

from tests.integration.api import PASSWORD
from twitter.application import commands
from twitter.container import Container
from twitter.domain.errors import AlreadyFollowing, AlreadyLiked, DomainError, LikeNotFound

THREADS = 20
_emails = itertools.count(1)
T = TypeVar("T")


@pytest.fixture
def postgres(database_url: str, client: TestClient) -> str:
    """Skips on SQLite; ``client`` is requested so that the app (and its ORM mapping) starts."""
    if database_url.startswith("sqlite"):
        pytest.skip("concurrency is tested on PostgreSQL only")
    return database_url


def _register(container: Container, n: int) -> list[int]:
    ids = []
    for _ in range(n):
        user = container.register_user()(
            commands.Registration(email=f"racer{next(_emails)}@example.com", password=PASSWORD)
        )
        assert user.id is not None
        ids.append(user.id)
    return ids


def _post(container: Container, owner: int) -> int:
    tweet = container.post_tweet()(
        commands.NewTweet(actor_id=owner, owner_id=owner, text="race on me")
    )
    assert tweet.id is not None
    return tweet.id


def _all_at_once(calls: list[Callable[[], T]]) -> list[T | DomainError]:
    """Run every call in its own thread, released together; answers results or domain errors.

    Any other exception fails the test (it is re-raised here).
    """
    barrier = threading.Barrier(len(calls))

    def run(call: Callable[[], T]) -> T | DomainError:
        barrier.wait(timeout=30)
        try:
            return call()
        except DomainError as error:
            return error

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        futures = [pool.submit(run, call) for call in calls]
        return [future.result(timeout=60) for future in futures]


def _counts(engine: Engine, tweet_id: int) -> tuple[int, int]:
    """(like_count, the number of like rows) of a tweet, read straight from the database."""
    with engine.connect() as connection:
        like_count = connection.execute(
            text("SELECT like_count FROM tweets WHERE id = :id"), {"id": tweet_id}
        ).scalar_one()
        likes = connection.execute(
            text("SELECT count(*) FROM likes WHERE tweet_id = :id"), {"id": tweet_id}
        ).scalar_one()
    return int(like_count), int(likes)


def test_concurrent_likes_then_unlikes_keep_like_count_true(
    postgres: str, container: Container, engine: Engine
) -> None:
    author, *fans = _register(container, THREADS + 1)
    tweet_id = _post(container, author)

    def like(user: int) -> Callable[[], object]:
        return lambda: container.like_tweet()(
            commands.NewLike(actor_id=user, user_id=user, tweet_id=tweet_id)
        )

    def unlike(user: int) -> Callable[[], object]:
        return lambda: container.unlike_tweet()(
            commands.LikeRemoval(actor_id=user, user_id=user, tweet_id=tweet_id)
        )

    liked = _all_at_once([like(fan) for fan in fans])

    assert [r for r in liked if isinstance(r, DomainError)] == []
    assert _counts(engine, tweet_id) == (THREADS, THREADS)

    unliked = _all_at_once([unlike(fan) for fan in fans])

    assert unliked == [None] * THREADS
    assert _counts(engine, tweet_id) == (0, 0)


def test_concurrent_likes_and_unlikes_mixed_keep_like_count_true(
    postgres: str, container: Container, engine: Engine
) -> None:
    """Half the users like while the other half, who liked before, unlike: at the same time."""
    author, *fans = _register(container, THREADS + 1)
    tweet_id = _post(container, author)
    leaving, arriving = fans[: THREADS // 2], fans[THREADS // 2 :]
    for fan in leaving:
        container.like_tweet()(commands.NewLike(actor_id=fan, user_id=fan, tweet_id=tweet_id))
    assert _counts(engine, tweet_id) == (len(leaving), len(leaving))

    calls: list[Callable[[], object]] = []
    for come, go in zip(arriving, leaving, strict=True):
        calls.append(
            lambda u=come: container.like_tweet()(
                commands.NewLike(actor_id=u, user_id=u, tweet_id=tweet_id)
            )
        )
        calls.append(
            lambda u=go: container.unlike_tweet()(
                commands.LikeRemoval(actor_id=u, user_id=u, tweet_id=tweet_id)
            )
        )
    results = _all_at_once(calls)

    assert [r for r in results if isinstance(r, DomainError)] == []
    assert _counts(engine, tweet_id) == (len(arriving), len(arriving))


def test_one_user_liking_the_same_tweet_concurrently_succeeds_once(
    postgres: str, container: Container, engine: Engine
) -> None:
    author, fan = _register(container, 2)
    tweet_id = _post(container, author)
    command = commands.NewLike(actor_id=fan, user_id=fan, tweet_id=tweet_id)

    results = _all_at_once([lambda: container.like_tweet()(command)] * THREADS)

    errors = [r for r in results if isinstance(r, DomainError)]
    successes = [r for r in results if not isinstance(r, DomainError)]
    assert len(successes) == 1
    assert len(errors) == THREADS - 1
    assert all(isinstance(error, AlreadyLiked) for error in errors), errors
    assert _counts(engine, tweet_id) == (1, 1)


def test_one_user_unliking_the_same_tweet_concurrently_succeeds_once(
    postgres: str, container: Container, engine: Engine
) -> None:
    author, fan = _register(container, 2)
    tweet_id = _post(container, author)
    container.like_tweet()(commands.NewLike(actor_id=fan, user_id=fan, tweet_id=tweet_id))
    command = commands.LikeRemoval(actor_id=fan, user_id=fan, tweet_id=tweet_id)

    results = _all_at_once([lambda: container.unlike_tweet()(command)] * THREADS)

    errors = [r for r in results if isinstance(r, DomainError)]
    assert results.count(None) == 1
    assert len(errors) == THREADS - 1
    assert all(isinstance(error, LikeNotFound) for error in errors), errors
    assert _counts(engine, tweet_id) == (0, 0)


def _true_counts(engine: Engine) -> list[tuple[int, int, int]]:
    """(tweet id, like_count, the number of like rows) of every tweet."""
    with engine.connect() as connection:
        rows = connection.execute(
            text(
                "SELECT t.id, t.like_count, (SELECT count(*) FROM likes l WHERE l.tweet_id = t.id)"
                " FROM tweets t ORDER BY t.id"
            )
        ).all()
    return [(int(i), int(c), int(n)) for i, c, n in rows]


def test_account_deletions_racing_likes_and_unlikes_keep_like_counts_true(
    postgres: str, container: Container, engine: Engine
) -> None:
    author, *others = _register(container, 16)
    leaving, liking, unliking = others[:5], others[5:10], others[10:15]
    tweets = [_post(container, author) for _ in range(3)]
    for user in leaving + unliking:
        for tweet in tweets:
            container.like_tweet()(commands.NewLike(actor_id=user, user_id=user, tweet_id=tweet))

    calls: list[Callable[[], object]] = []
    for user in leaving:
        calls.append(
            lambda u=user: container.delete_user()(commands.AccountRemoval(actor_id=u, user_id=u))
        )
    for user in liking:
        calls.append(
            lambda u=user: [
                container.like_tweet()(commands.NewLike(actor_id=u, user_id=u, tweet_id=t))
                for t in tweets
            ]
        )
    for user in unliking:
        calls.append(
            lambda u=user: [
                container.unlike_tweet()(commands.LikeRemoval(actor_id=u, user_id=u, tweet_id=t))
                for t in tweets
            ]
        )
    results = _all_at_once(calls)

    assert [r for r in results if isinstance(r, DomainError)] == []
    assert _true_counts(engine) == [(tweet, len(liking), len(liking)) for tweet in tweets]


def test_users_who_liked_each_others_tweets_can_delete_their_accounts_together(
    postgres: str, container: Container, engine: Engine
) -> None:
    for _ in range(3):  # a few rounds, so that a lucky interleaving cannot hide the race
        users = _register(container, 10)
        pairs = list(zip(users[::2], users[1::2], strict=True))
        for a, b in pairs:
            tweet_a, tweet_b = _post(container, a), _post(container, b)
            container.like_tweet()(commands.NewLike(actor_id=a, user_id=a, tweet_id=tweet_b))
            container.like_tweet()(commands.NewLike(actor_id=b, user_id=b, tweet_id=tweet_a))

        results = _all_at_once(
            [
                lambda u=user: container.delete_user()(
                    commands.AccountRemoval(actor_id=u, user_id=u)
                )
                for user in users
            ]
        )

        assert results == [None] * len(users)
        assert _true_counts(engine) == []


def test_a_user_unliking_while_deleting_their_account_never_deadlocks(
    postgres: str, container: Container, engine: Engine
) -> None:
    author = _register(container, 1)[0]
    tweets = [_post(container, author) for _ in range(3)]
    for _ in range(5):  # several rounds: the interleaving that deadlocked is not every time
        (leaver,) = _register(container, 1)
        for tweet in tweets:
            container.like_tweet()(
                commands.NewLike(actor_id=leaver, user_id=leaver, tweet_id=tweet)
            )
        unlikes: list[Callable[[], object]] = [
            lambda t=tweet, u=leaver: container.unlike_tweet()(
                commands.LikeRemoval(actor_id=u, user_id=u, tweet_id=t)
            )
            for tweet in reversed(tweets)
        ]
        results = _all_at_once(
            [
                *unlikes,
                lambda u=leaver: container.delete_user()(
                    commands.AccountRemoval(actor_id=u, user_id=u)
                ),
            ]
        )

        # Each unlike either happened first or found the like already gone with the account.
        assert all(r is None or isinstance(r, LikeNotFound) for r in results)
        assert _true_counts(engine) == [(tweet, 0, 0) for tweet in tweets]


def test_one_user_following_the_same_user_concurrently_succeeds_once(
    postgres: str, container: Container, engine: Engine
) -> None:
    fan, star = _register(container, 2)
    command = commands.NewFollow(actor_id=fan, user_id=fan, target_user_id=star)

    results = _all_at_once([lambda: container.follow_user()(command)] * THREADS)

    errors = [r for r in results if isinstance(r, DomainError)]
    assert len(errors) == THREADS - 1
    assert all(isinstance(error, AlreadyFollowing) for error in errors), errors
    with engine.connect() as connection:
        follows = connection.execute(text("SELECT count(*) FROM follows")).scalar_one()
    assert follows == 1
