"""The follows' repository."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from twitter.adapters.persistence.repositories._shared import (
    _among,
    _count,
    _counts_by,
    _flush,
)
from twitter.adapters.persistence.tables import follows
from twitter.application.pagination import storable_id
from twitter.domain.errors import AlreadyFollowing, UserNotFound
from twitter.domain.model import Follow


class SqlAlchemyFollowRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, follow: Follow) -> None:
        self._session.add(follow)
        _flush(self._session, {("unique", ""): AlreadyFollowing, ("foreign_key", ""): UserNotFound})

    def remove(self, follower_id: int, followee_id: int) -> bool:
        if not (storable_id(follower_id) and storable_id(followee_id)):
            return False
        removed = self._session.execute(
            delete(follows)
            .where(follows.c.follower_id == follower_id, follows.c.followee_id == followee_id)
            .returning(follows.c.id)
        )
        return removed.first() is not None

    def exists(self, follower_id: int, followee_id: int) -> bool:
        if not (storable_id(follower_id) and storable_id(followee_id)):
            return False
        statement = select(follows.c.id).where(
            follows.c.follower_id == follower_id, follows.c.followee_id == followee_id
        )
        return self._session.execute(statement).first() is not None

    def followed_among(self, follower_id: int, user_ids: Collection[int]) -> set[int]:
        c = follows.c
        return _among(self._session, c.followee_id, c.follower_id, follower_id, user_ids)

    def followers_among(self, followee_id: int, user_ids: Collection[int]) -> set[int]:
        c = follows.c
        return _among(self._session, c.follower_id, c.followee_id, followee_id, user_ids)

    def count_followers(self, user_id: int) -> int:
        return _count(self._session, follows, follows.c.followee_id == user_id)

    def count_following(self, user_id: int) -> int:
        return _count(self._session, follows, follows.c.follower_id == user_id)

    def count_followers_of(self, user_ids: Collection[int]) -> dict[int, int]:
        return _counts_by(self._session, follows.c.followee_id, user_ids)

    def count_following_of(self, user_ids: Collection[int]) -> dict[int, int]:
        return _counts_by(self._session, follows.c.follower_id, user_ids)
