"""The users' repository."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from sqlalchemy import ColumnElement, Select, String, bindparam, exists, func, select, union_all
from sqlalchemy.orm import Session

from twitter.adapters.persistence.repositories._shared import (
    _entity_page,
    _fetch_one,
    _flush,
    _paged,
)
from twitter.adapters.persistence.tables import (
    blocks,
    follows,
    likes,
    mutes,
    revoked_tokens,
    tweets,
    users,
)
from twitter.application.pagination import PageRequest, storable_id
from twitter.domain.errors import EmailAlreadyRegistered, UsernameTaken
from twitter.domain.model import User

# Point reads, built once; ``:key`` is the value looked for.
_USER_BY_ID = select(users).where(users.c.id == bindparam("key"))
_USER_BY_EMAIL = select(users).where(users.c.email == bindparam("key"))
_USER_BY_USERNAME = select(users).where(
    func.lower(users.c.username) == func.lower(bindparam("key", type_=String))
)
_USER_UNLESS_REVOKED = _USER_BY_ID.where(
    ~exists().where(revoked_tokens.c.token_id == bindparam("token_id"))
)


class SqlAlchemyUserRepository:
    """``read_only``: the session belongs to a read-only unit of work; users it answers
    are plain values, not tracked by the session."""

    def __init__(self, session: Session, *, read_only: bool = False) -> None:
        self._session = session
        self._read_only = read_only

    def add(self, user: User) -> None:
        self._session.add(user)
        _flush(
            self._session,
            {("unique", "email"): EmailAlreadyRegistered, ("unique", "username"): UsernameTaken},
        )

    def get(self, user_id: int) -> User | None:
        if not storable_id(user_id):
            return None
        if self._read_only:
            return _fetch_one(self._session, User, _USER_BY_ID, user_id)
        return self._session.get(User, user_id)

    def get_unless_revoked(self, user_id: int, token_id: str) -> User | None:
        if not storable_id(user_id):
            return None
        return self._one(_USER_UNLESS_REVOKED, user_id, token_id=token_id)

    def get_by_email(self, email: str) -> User | None:
        return self._one(_USER_BY_EMAIL, email)

    def get_by_username(self, username: str) -> User | None:
        return self._one(_USER_BY_USERNAME, username)

    def get_many(self, user_ids: Collection[int]) -> list[User]:
        wanted = sorted({user_id for user_id in user_ids if storable_id(user_id)})
        if not wanted:
            return []
        return list(self._session.scalars(select(User).where(users.c.id.in_(wanted))))

    def hold(self, user_ids: Collection[int]) -> None:
        wanted = sorted({user_id for user_id in user_ids if storable_id(user_id)})
        if not wanted or self._session.get_bind().dialect.name != "postgresql":
            return  # SQLite has a single writer: nothing to wait for
        self._session.execute(
            select(users.c.id)
            .where(users.c.id.in_(wanted))
            .order_by(users.c.id)
            .with_for_update(read=True, key_share=True)
        )

    def lock(self, user_ids: Collection[int]) -> None:
        wanted = sorted({user_id for user_id in user_ids if storable_id(user_id)})
        if not wanted or self._session.get_bind().dialect.name != "postgresql":
            return  # SQLite has a single writer: nothing to wait for
        self._session.execute(
            select(users.c.id).where(users.c.id.in_(wanted)).order_by(users.c.id).with_for_update()
        )

    def ids_by_username(self, usernames: Collection[str]) -> dict[str, int]:
        wanted = sorted({username.lower() for username in usernames})
        if not wanted:
            return {}
        lowered = func.lower(users.c.username)  # the expression uq_users_username_lower indexes
        statement = select(lowered, users.c.id).where(lowered.in_(wanted))
        return dict(self._session.execute(statement).all())

    def _one(self, statement: Select[Any], key: object, **more: object) -> User | None:
        if self._read_only:
            return _fetch_one(self._session, User, statement, key, **more)
        tracked = select(User).from_statement(statement)
        return self._session.scalars(tracked, {"key": key, **more}).first()

    def lock_for_deletion(self, user: User) -> None:
        session = self._session
        # Lock the user first: a like racing this deletion then waits and fails,
        # instead of slipping in after the counters were corrected.
        session.execute(select(users.c.id).where(users.c.id == user.id).with_for_update())
        liked = select(likes.c.tweet_id).where(likes.c.owner_id == user.id)
        own = tweets.alias("own")
        referenced = union_all(
            *(
                select(own.c[name]).where(own.c.owner_id == user.id)
                for name in ("in_reply_to_id", "quoted_id", "retweeted_id")
            )
        )
        # Every tweet the deletion touches, the liked and the referenced ones (their
        # counters) and the user's own (the cascade deletes those), is locked up front
        # in id order: tweets before likes, and in one global order, so deletions,
        # unlikes and other writers cannot deadlock each other.
        session.execute(
            select(tweets.c.id)
            .where(
                tweets.c.id.in_(liked)
                | (tweets.c.owner_id == user.id)
                | tweets.c.id.in_(referenced)
            )
            .order_by(tweets.c.id)
            .with_for_update()
        )

    def delete(self, user: User) -> None:
        # After lock_for_deletion and the counters' correction, in the same transaction.
        # The database cascades to their tweets (and on, as deleting a tweet does),
        # likes, follows, mentions and notifications.
        self._session.delete(user)
        self._session.flush()

    def list_page(self, page: PageRequest) -> list[User]:
        return list(self._session.scalars(_entity_page(User, users.c.id, page, newest_first=False)))

    def list_liking(self, tweet_id: int, page: PageRequest) -> list[tuple[int, User]]:
        statement = select(likes.c.id, User).join(likes, likes.c.owner_id == users.c.id)
        return self._keyed(_paged(statement.where(likes.c.tweet_id == tweet_id), likes.c.id, page))

    def list_followers(self, user_id: int, page: PageRequest) -> list[tuple[int, User]]:
        statement = select(follows.c.id, User).join(follows, follows.c.follower_id == users.c.id)
        where = follows.c.followee_id == user_id
        return self._keyed(_paged(statement.where(where), follows.c.id, page))

    def list_following(self, user_id: int, page: PageRequest) -> list[tuple[int, User]]:
        statement = select(follows.c.id, User).join(follows, follows.c.followee_id == users.c.id)
        where = follows.c.follower_id == user_id
        return self._keyed(_paged(statement.where(where), follows.c.id, page))

    def list_retweeting(self, tweet_id: int, page: PageRequest) -> list[tuple[int, User]]:
        if not storable_id(tweet_id):
            return []
        statement = select(tweets.c.id, User).join(tweets, tweets.c.owner_id == users.c.id)
        where = tweets.c.retweeted_id == tweet_id
        return self._keyed(_paged(statement.where(where), tweets.c.id, page))

    def list_blocked(self, user_id: int, page: PageRequest) -> list[tuple[int, User]]:
        statement = select(blocks.c.id, User).join(blocks, blocks.c.blocked_id == users.c.id)
        where = blocks.c.blocker_id == user_id
        return self._keyed(_paged(statement.where(where), blocks.c.id, page))

    def list_muted(self, user_id: int, page: PageRequest) -> list[tuple[int, User]]:
        statement = select(mutes.c.id, User).join(mutes, mutes.c.muted_id == users.c.id)
        where = mutes.c.muter_id == user_id
        return self._keyed(_paged(statement.where(where), mutes.c.id, page))

    def search_by_prefix(self, prefix: str, limit: int) -> list[User]:
        # The names with a prefix lie between it and the prefix with its last character
        # one higher, in bytewise order: SQLite's, and the C collation's on PostgreSQL
        # (the order of ix_users_username_prefix).
        lowered: ColumnElement[str] = func.lower(users.c.username)
        if self._session.get_bind().dialect.name == "postgresql":
            lowered = lowered.collate("C")
        above = prefix[:-1] + chr(ord(prefix[-1]) + 1)
        statement = (
            select(User)
            .where(lowered >= prefix, lowered < above)
            .order_by(func.length(users.c.username), lowered)
            .limit(limit)
        )
        return list(self._session.scalars(statement))

    def _keyed(self, statement: Select[Any]) -> list[tuple[int, User]]:
        return [(key, user) for key, user in self._session.execute(statement)]
