"""The repositories of blocks, mutes and bookmarks: one row per pair, nothing more."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import ColumnElement, Table, delete
from sqlalchemy.orm import Session

from twitter.adapters.persistence.repositories._shared import _among, _flush
from twitter.adapters.persistence.tables import blocks, bookmarks, mutes
from twitter.application.pagination import storable_id
from twitter.domain.errors import (
    AlreadyBlocking,
    AlreadyBookmarked,
    AlreadyMuting,
    TweetNotFound,
    UserNotFound,
)
from twitter.domain.model import Block, Bookmark, Mute


def _remove(session: Session, table: Table, *pair: tuple[ColumnElement[int], int]) -> bool:
    """Delete the row of a pair; False when there was none."""
    if not all(storable_id(value) for _, value in pair):
        return False
    statement = delete(table).where(*(column == value for column, value in pair))
    return session.execute(statement.returning(table.c.id)).first() is not None


class SqlAlchemyBlockRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, block: Block) -> None:
        self._session.add(block)
        _flush(self._session, {("unique", ""): AlreadyBlocking, ("foreign_key", ""): UserNotFound})

    def remove(self, blocker_id: int, blocked_id: int) -> bool:
        pair = ((blocks.c.blocker_id, blocker_id), (blocks.c.blocked_id, blocked_id))
        return _remove(self._session, blocks, *pair)

    def exists(self, blocker_id: int, blocked_id: int) -> bool:
        return bool(self.blockers_among(blocked_id, [blocker_id]))

    def blockers_among(self, blocked_id: int, user_ids: Collection[int]) -> set[int]:
        return _among(self._session, blocks.c.blocker_id, blocks.c.blocked_id, blocked_id, user_ids)

    def blocked_among(self, blocker_id: int, user_ids: Collection[int]) -> set[int]:
        return _among(self._session, blocks.c.blocked_id, blocks.c.blocker_id, blocker_id, user_ids)


class SqlAlchemyMuteRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, mute: Mute) -> None:
        self._session.add(mute)
        _flush(self._session, {("unique", ""): AlreadyMuting, ("foreign_key", ""): UserNotFound})

    def exists(self, muter_id: int, muted_id: int) -> bool:
        return bool(self.muted_among(muter_id, [muted_id]))

    def muted_among(self, muter_id: int, user_ids: Collection[int]) -> set[int]:
        return _among(self._session, mutes.c.muted_id, mutes.c.muter_id, muter_id, user_ids)

    def remove(self, muter_id: int, muted_id: int) -> bool:
        pair = ((mutes.c.muter_id, muter_id), (mutes.c.muted_id, muted_id))
        return _remove(self._session, mutes, *pair)


class SqlAlchemyBookmarkRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, bookmark: Bookmark) -> None:
        self._session.add(bookmark)
        _flush(
            self._session,
            {
                ("unique", ""): AlreadyBookmarked,
                ("foreign_key", "owner"): UserNotFound,
                # SQLite names no constraint: the tweet is what a race takes away.
                ("foreign_key", ""): TweetNotFound,
            },
        )

    def remove(self, owner_id: int, tweet_id: int) -> bool:
        pair = ((bookmarks.c.owner_id, owner_id), (bookmarks.c.tweet_id, tweet_id))
        return _remove(self._session, bookmarks, *pair)
