"""FollowUser and UnfollowUser: one follow per pair, never oneself."""

from __future__ import annotations

import pytest

from tests.unit.support import (
    FakeClock,
    FollowFn,
    RegisterFn,
    SyncReads,
    UseCases,
    ids,
    snapshot,
)
from twitter.adapters.memory import MemoryDatabase
from twitter.application import commands
from twitter.application.pagination import PageRequest
from twitter.domain.errors import (
    AlreadyFollowing,
    CannotFollowSelf,
    FollowNotFound,
    NotYourAccount,
    UserNotFound,
)
from twitter.domain.model import User


def following_ids(reads: SyncReads, user: User) -> list[int]:
    assert user.id is not None
    return ids(reads.following(user.id, PageRequest()).items)


def follower_ids(reads: SyncReads, user: User) -> list[int]:
    assert user.id is not None
    return ids(reads.followers(user.id, PageRequest()).items)


def unfollow(app: UseCases, follower: User, followee: User) -> None:
    assert follower.id is not None and followee.id is not None
    app.unfollow_user(
        commands.FollowRemoval(
            actor_id=follower.id, user_id=follower.id, target_user_id=followee.id
        )
    )


def test_follow_is_stored_between_the_two_users(
    register: RegisterFn, follow: FollowFn, clock: FakeClock
) -> None:
    ada, bob = register(), register()
    result = follow(ada, bob)
    assert result.id is not None
    assert (result.follower_id, result.followee_id, result.created_at) == (
        ada.id,
        bob.id,
        clock.now(),
    )


def test_follow_shows_in_both_users_lists(
    register: RegisterFn, follow: FollowFn, reads: SyncReads
) -> None:
    ada, bob = register(), register()
    follow(ada, bob)
    assert following_ids(reads, ada) == [bob.id]
    assert follower_ids(reads, bob) == [ada.id]
    assert following_ids(reads, bob) == []
    assert follower_ids(reads, ada) == []


def test_following_twice_is_refused(
    register: RegisterFn, follow: FollowFn, database: MemoryDatabase
) -> None:
    ada, bob = register(), register()
    follow(ada, bob)
    before = snapshot(database)
    with pytest.raises(AlreadyFollowing):
        follow(ada, bob)
    assert snapshot(database) == before


def test_following_back_is_a_separate_follow(
    register: RegisterFn, follow: FollowFn, reads: SyncReads
) -> None:
    ada, bob = register(), register()
    follow(ada, bob)
    follow(bob, ada)
    assert following_ids(reads, bob) == [ada.id]


def test_following_oneself_is_refused(
    register: RegisterFn, follow: FollowFn, database: MemoryDatabase
) -> None:
    ada = register()
    before = snapshot(database)
    with pytest.raises(CannotFollowSelf):
        follow(ada, ada)
    assert snapshot(database) == before


def test_following_an_unknown_user_fails(
    register: RegisterFn, app: UseCases, database: MemoryDatabase
) -> None:
    ada = register()
    assert ada.id is not None
    before = snapshot(database)
    with pytest.raises(UserNotFound):
        app.follow_user(commands.NewFollow(actor_id=ada.id, user_id=ada.id, target_user_id=99))
    assert snapshot(database) == before


def test_following_as_an_unknown_user_fails(
    register: RegisterFn, app: UseCases, database: MemoryDatabase
) -> None:
    bob = register()
    assert bob.id is not None
    before = snapshot(database)
    with pytest.raises(UserNotFound):
        app.follow_user(commands.NewFollow(actor_id=99, user_id=99, target_user_id=bob.id))
    assert snapshot(database) == before


def test_following_on_behalf_of_someone_else_is_forbidden(
    register: RegisterFn, app: UseCases, database: MemoryDatabase
) -> None:
    ada, bob, eve = register(), register(), register()
    assert ada.id is not None and bob.id is not None and eve.id is not None
    before = snapshot(database)
    with pytest.raises(NotYourAccount):
        app.follow_user(commands.NewFollow(actor_id=eve.id, user_id=ada.id, target_user_id=bob.id))
    assert snapshot(database) == before


def test_unfollow_removes_the_follow(
    register: RegisterFn, follow: FollowFn, app: UseCases, reads: SyncReads
) -> None:
    ada, bob = register(), register()
    follow(ada, bob)
    unfollow(app, ada, bob)
    assert following_ids(reads, ada) == []
    assert follower_ids(reads, bob) == []


def test_unfollow_leaves_the_follow_in_the_other_direction(
    register: RegisterFn, follow: FollowFn, app: UseCases, reads: SyncReads
) -> None:
    ada, bob = register(), register()
    follow(ada, bob)
    follow(bob, ada)
    unfollow(app, ada, bob)
    assert following_ids(reads, bob) == [ada.id]


def test_follow_again_after_unfollow_is_allowed(
    register: RegisterFn, follow: FollowFn, app: UseCases, reads: SyncReads
) -> None:
    ada, bob = register(), register()
    follow(ada, bob)
    unfollow(app, ada, bob)
    follow(ada, bob)
    assert following_ids(reads, ada) == [bob.id]


def test_unfollowing_someone_not_followed_fails(register: RegisterFn, app: UseCases) -> None:
    ada, bob = register(), register()
    with pytest.raises(FollowNotFound):
        unfollow(app, ada, bob)


def test_unfollowing_in_the_wrong_direction_fails(
    register: RegisterFn, follow: FollowFn, app: UseCases, reads: SyncReads
) -> None:
    ada, bob = register(), register()
    follow(ada, bob)
    with pytest.raises(FollowNotFound):
        unfollow(app, bob, ada)
    assert following_ids(reads, ada) == [bob.id]


def test_unfollowing_an_unknown_user_fails(register: RegisterFn, app: UseCases) -> None:
    ada = register()
    assert ada.id is not None
    with pytest.raises(FollowNotFound):
        app.unfollow_user(
            commands.FollowRemoval(actor_id=ada.id, user_id=ada.id, target_user_id=99)
        )


def test_unfollowing_on_behalf_of_someone_else_is_forbidden(
    register: RegisterFn, follow: FollowFn, app: UseCases, reads: SyncReads
) -> None:
    ada, bob, eve = register(), register(), register()
    follow(ada, bob)
    assert ada.id is not None and bob.id is not None and eve.id is not None
    with pytest.raises(NotYourAccount):
        app.unfollow_user(
            commands.FollowRemoval(actor_id=eve.id, user_id=ada.id, target_user_id=bob.id)
        )
    assert following_ids(reads, ada) == [bob.id]
