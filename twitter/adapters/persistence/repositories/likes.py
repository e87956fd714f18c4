"""The likes' repository."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from twitter.adapters.persistence.repositories._shared import (
    _count,
    _flush,
    _paged,
)
from twitter.adapters.persistence.tables import likes, tweets
from twitter.application.pagination import PageRequest, storable_id
from twitter.domain.errors import AlreadyLiked, TweetNotFound, UserNotFound
from twitter.domain.model import Like, User


class SqlAlchemyLikeRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, like: Like) -> None:
        self._session.add(like)
        try:
            _flush(
                self._session,
                {
                    ("unique", ""): AlreadyLiked,
                    ("foreign_key", "owner"): UserNotFound,
                    ("foreign_key", "tweet"): TweetNotFound,
                },
            )
        except IntegrityError:
            # SQLite does not say which key broke. The unit of work is lost anyway:
            # roll it back and look.
            self._session.rollback()
            if self._session.get(User, like.owner_id) is None:
                raise UserNotFound() from None
            raise TweetNotFound() from None

    def remove(self, owner_id: int, tweet_id: int) -> bool:
        if not (storable_id(owner_id) and storable_id(tweet_id)):
            return False
        # The tweet before its like, the order every writer here follows.
        self._session.execute(select(tweets.c.id).where(tweets.c.id == tweet_id).with_for_update())
        removed = self._session.execute(
            delete(likes)
            .where(likes.c.owner_id == owner_id, likes.c.tweet_id == tweet_id)
            .returning(likes.c.id)
        )
        return removed.first() is not None

    def list_by_owner(self, owner_id: int, page: PageRequest) -> list[Like]:
        statement = select(Like).where(likes.c.owner_id == owner_id)
        return list(self._session.scalars(_paged(statement, likes.c.id, page)))

    def count_by_owner(self, owner_id: int) -> int:
        return _count(self._session, likes, likes.c.owner_id == owner_id)

    def liked_among(self, owner_id: int, tweet_ids: Collection[int]) -> set[int]:
        wanted = sorted({tweet_id for tweet_id in tweet_ids if storable_id(tweet_id)})
        if not wanted or not storable_id(owner_id):
            return set()
        statement = select(likes.c.tweet_id).where(
            likes.c.owner_id == owner_id, likes.c.tweet_id.in_(wanted)
        )
        return set(self._session.scalars(statement))
