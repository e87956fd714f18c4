"""The memory unit of work is all-or-nothing: what is not committed leaves no trace."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest

from tests.unit.support import FakeClock, PostFn, RegisterFn, snapshot
from twitter.adapters.memory import MemoryDatabase, MemoryUnitOfWork
from twitter.application import commands, use_cases
from twitter.application.errors import StorageUnavailable
from twitter.domain.model import Tweet, User

WHEN = datetime(2024, 5, 1, tzinfo=UTC)


class Boom(Exception):
    pass


class CommitFailsUnitOfWork(MemoryUnitOfWork):
    """The memory unit of work whose store goes away at commit time."""

    def commit(self) -> None:
        raise StorageUnavailable("the store went away")


def new_user(email: str) -> User:
    return User.register(
        email=email, username=email.split("@")[0], hashed_password="h", created_at=WHEN
    )


def test_exception_inside_the_unit_of_work_leaves_the_database_unchanged(
    register: RegisterFn, post: PostFn, database: MemoryDatabase, uow: MemoryUnitOfWork
) -> None:
    ada = register()
    post(ada)
    before = snapshot(database)
    assert ada.id is not None
    with pytest.raises(Boom), uow:
        uow.users.add(new_user("bob@example.com"))
        uow.tweets.add(Tweet.post(owner_id=ada.id, text="never", created_at=WHEN))
        uow.tweets.change_like_count(1, +5)
        raise Boom
    assert snapshot(database) == before


def test_leaving_without_commit_discards_the_changes(
    database: MemoryDatabase, uow: MemoryUnitOfWork
) -> None:
    before = snapshot(database)
    with uow:
        uow.users.add(new_user("bob@example.com"))
    assert snapshot(database) == before


def test_committed_changes_are_seen_by_the_next_unit_of_work(
    database: MemoryDatabase, uow: MemoryUnitOfWork
) -> None:
    with uow:
        uow.users.add(new_user("bob@example.com"))
        uow.commit()
    with MemoryUnitOfWork(database) as other:
        found = other.users.get_by_email("bob@example.com")
    assert found is not None
    assert found.username == "bob"


def test_changes_after_a_commit_are_discarded_on_error(
    database: MemoryDatabase, uow: MemoryUnitOfWork
) -> None:
    with pytest.raises(Boom), uow:
        uow.users.add(new_user("kept@example.com"))
        uow.commit()
        uow.users.add(new_user("lost@example.com"))
        raise Boom
    emails = {user["email"] for user in snapshot(database)["users"].values()}
    assert emails == {"kept@example.com"}


def test_the_database_is_free_again_after_an_error(
    database: MemoryDatabase, uow: MemoryUnitOfWork
) -> None:
    with pytest.raises(Boom), uow:
        raise Boom
    acquired: list[bool] = []

    def another_transaction() -> None:
        got_it = database.lock.acquire(timeout=1)
        acquired.append(got_it)
        if got_it:
            database.lock.release()

    thread = threading.Thread(target=another_transaction)
    thread.start()
    thread.join()
    assert acquired == [True]


def test_use_case_whose_commit_fails_leaves_nothing_behind(
    register: RegisterFn, post: PostFn, database: MemoryDatabase, clock: FakeClock
) -> None:
    ada = register()
    tweet = post(ada)
    assert ada.id is not None and tweet.id is not None
    before = snapshot(database)
    like_tweet = use_cases.LikeTweet(CommitFailsUnitOfWork(database), clock)
    with pytest.raises(StorageUnavailable):
        like_tweet(commands.NewLike(actor_id=ada.id, user_id=ada.id, tweet_id=tweet.id))
    assert snapshot(database) == before


def test_delete_user_whose_commit_fails_leaves_everything_in_place(
    register: RegisterFn, post: PostFn, database: MemoryDatabase
) -> None:
    ada = register()
    post(ada)
    assert ada.id is not None
    before = snapshot(database)
    delete_user = use_cases.DeleteUser(CommitFailsUnitOfWork(database))
    with pytest.raises(StorageUnavailable):
        delete_user(commands.AccountRemoval(actor_id=ada.id, user_id=ada.id))
    assert snapshot(database) == before
