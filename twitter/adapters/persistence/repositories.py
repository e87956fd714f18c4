"""Repositories on a SQLAlchemy session, in 2.0 style, querying through table columns.

Writes flush at once so that a broken constraint surfaces here and becomes the
same domain error the use case's pre-check would have raised (a race lost).
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from datetime import datetime, timedelta
from typing import Any, TypeVar

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Select,
    String,
    Table,
    Update,
    and_,
    bindparam,
    case,
    delete,
    exists,
    func,
    literal,
    or_,
    select,
    true,
    union_all,
    update,
)
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, aliased
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.util import identity_key

from twitter.adapters.persistence.tables import (
    UtcDateTime,
    follows,
    likes,
    login_attempts,
    revoked_tokens,
    tweets,
    users,
)
from twitter.application.pagination import MAX_ID, PageRequest
from twitter.domain.errors import (
    AlreadyFollowing,
    AlreadyLiked,
    DomainError,
    EmailAlreadyRegistered,
    TweetNotFound,
    UsernameTaken,
    UserNotFound,
)
from twitter.domain.model import Follow, Like, Tweet, User

S = TypeVar("S", bound=Select[Any])
E = TypeVar("E", User, Tweet)
T = TypeVar("T")


def _cursor_filtered(statement: S, key: ColumnElement[int], page: PageRequest) -> S:
    if page.max_id is not None:
        statement = statement.where(key < page.max_id)
    if page.since_id is not None:
        statement = statement.where(key > page.since_id)
    return statement


def _paged(
    statement: S, key: ColumnElement[int], page: PageRequest, *, newest_first: bool = True
) -> S:
    statement = _cursor_filtered(statement, key, page)
    order = key.desc() if newest_first else key.asc()
    return statement.order_by(order).offset(page.skip).limit(page.fetch_size)


def _entity_page(
    entity: type[E], key: ColumnElement[int], page: PageRequest, *, newest_first: bool = True
) -> Select[E]:
    """A page of a whole table by its primary key.

    With an offset, the rows skipped are counted on the key alone (an index-only
    scan) and only the page itself is read from the table: a deferred join.
    """
    if not page.skip:
        return _paged(select(entity), key, page, newest_first=newest_first)
    keys = _paged(select(key), key, page, newest_first=newest_first).subquery("page_keys")
    order = key.desc() if newest_first else key.asc()
    return select(entity).where(key.in_(select(keys.c[0]))).order_by(order)


# Point reads, built once; ``:key`` is the value looked for.
_USER_BY_ID = select(users).where(users.c.id == bindparam("key"))
_USER_BY_EMAIL = select(users).where(users.c.email == bindparam("key"))
_USER_BY_USERNAME = select(users).where(
    func.lower(users.c.username) == func.lower(bindparam("key", type_=String))
)
_USER_UNLESS_REVOKED = _USER_BY_ID.where(
    ~exists().where(revoked_tokens.c.token_id == bindparam("token_id"))
)
_TWEET_BY_ID = select(tweets).where(tweets.c.id == bindparam("key"))


def _fetch_one(
    session: Session, entity: type[T], statement: Select[Any], key: object, **more: object
) -> T | None:
    """One entity straight from a row, outside the session's identity map.

    For reading units of work: a point read skips the ORM's loading machinery
    (a quarter to a half of its cost), and nothing read is ever written back.
    """
    row = session.execute(statement, {"key": key, **more}).mappings().first()
    return None if row is None else entity(**row)


def _count(session: Session, table: Table, where: ColumnElement[bool]) -> int:
    """One ``SELECT count(*)``; every caller filters on the leading column of an index."""
    return int(session.execute(select(func.count()).select_from(table).where(where)).scalar_one())


def _storable(entity_id: int) -> bool:
    """Ids outside 1..2**63-1 cannot exist; asking the database would only fail."""
    return 0 < entity_id <= MAX_ID


def _violated(error: IntegrityError) -> tuple[str, str]:
    """Which kind of constraint broke ('unique', 'foreign_key', 'check') and its name or text."""
    original = error.orig
    diag = getattr(original, "diag", None)
    code = getattr(original, "pgcode", None)
    if code is not None:
        kinds = {"23505": "unique", "23503": "foreign_key", "23514": "check"}
        return kinds.get(code, "other"), getattr(diag, "constraint_name", "") or ""
    message = str(original)
    for marker, kind in (("UNIQUE", "unique"), ("FOREIGN KEY", "foreign_key"), ("CHECK", "check")):
        if message.startswith(marker):
            return kind, message
    return "other", message


def _flush(session: Session, translate: dict[tuple[str, str], Callable[[], DomainError]]) -> None:
    """Flush, turning a broken constraint into the domain error ``translate`` names.

    Keys are (kind, a fragment of the constraint's name); an empty fragment matches any.
    """
    try:
        session.flush()
    except IntegrityError as error:
        kind, name = _violated(error)
        for (wanted_kind, fragment), domain_error in translate.items():
            if kind == wanted_kind and fragment in name:
                raise domain_error() from error
        raise


def _apply_like_counts(session: Session, statement: Update) -> None:
    """Run an atomic counter UPDATE and give tweets already loaded their new count."""
    returning = statement.returning(tweets.c.id, tweets.c.like_count)
    for tweet_id, like_count in session.execute(returning):
        loaded = session.identity_map.get(identity_key(Tweet, tweet_id))
        if loaded is not None:
            set_committed_value(loaded, "like_count", like_count)


class SqlAlchemyUserRepository:
    """``reading``: the session belongs to a reading unit of work; users it answers
    are plain values, not tracked by the session."""

    def __init__(self, session: Session, *, reading: bool = False) -> None:
        self._session = session
        self._reading = reading

    def add(self, user: User) -> None:
        self._session.add(user)
        _flush(
            self._session,
            {("unique", "email"): EmailAlreadyRegistered, ("unique", "username"): UsernameTaken},
        )

    def get(self, user_id: int) -> User | None:
        if not _storable(user_id):
            return None
        if self._reading:
            return _fetch_one(self._session, User, _USER_BY_ID, user_id)
        return self._session.get(User, user_id)

    def get_unless_revoked(self, user_id: int, token_id: str) -> User | None:
        if not _storable(user_id):
            return None
        return self._one(_USER_UNLESS_REVOKED, user_id, token_id=token_id)

    def get_by_email(self, email: str) -> User | None:
        return self._one(_USER_BY_EMAIL, email)

    def get_by_username(self, username: str) -> User | None:
        return self._one(_USER_BY_USERNAME, username)

    def get_many(self, user_ids: Collection[int]) -> list[User]:
        wanted = sorted({user_id for user_id in user_ids if _storable(user_id)})
        if not wanted:
            return []
        return list(self._session.scalars(select(User).where(users.c.id.in_(wanted))))

    def _one(self, statement: Select[Any], key: object, **more: object) -> User | None:
        if self._reading:
            return _fetch_one(self._session, User, statement, key, **more)
        tracked = select(User).from_statement(statement)
        return self._session.scalars(tracked, {"key": key, **more}).first()

    def delete(self, user: User) -> None:
        session = self._session
        # Lock the user first: a like racing this deletion then waits and fails,
        # instead of slipping in after the counters were corrected.
        session.execute(select(users.c.id).where(users.c.id == user.id).with_for_update())
        liked = select(likes.c.tweet_id).where(likes.c.owner_id == user.id)
        # Every tweet this touches, the liked ones and the user's own (the cascade
        # deletes those), is locked up front in id order: tweets before likes, and
        # in one global order, so deletions and unlikes cannot deadlock each other.
        session.execute(
            select(tweets.c.id)
            .where(tweets.c.id.in_(liked) | (tweets.c.owner_id == user.id))
            .order_by(tweets.c.id)
            .with_for_update()
        )
        _apply_like_counts(
            session,
            update(tweets).where(tweets.c.id.in_(liked)).values(like_count=tweets.c.like_count - 1),
        )
        session.delete(user)  # the database cascades to tweets, likes and follows
        session.flush()

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

    def _keyed(self, statement: Select[Any]) -> list[tuple[int, User]]:
        return [(key, user) for key, user in self._session.execute(statement)]


class SqlAlchemyTweetRepository:
    """``reading``: as for users."""

    def __init__(self, session: Session, *, reading: bool = False) -> None:
        self._session = session
        self._reading = reading

    def add(self, tweet: Tweet) -> None:
        self._session.add(tweet)
        _flush(self._session, {("foreign_key", ""): UserNotFound})

    def get(self, tweet_id: int) -> Tweet | None:
        if not _storable(tweet_id):
            return None
        if self._reading:
            return _fetch_one(self._session, Tweet, _TWEET_BY_ID, tweet_id)
        return self._session.get(Tweet, tweet_id)

    def delete(self, tweet: Tweet) -> None:
        self._session.delete(tweet)  # the database cascades to its likes
        self._session.flush()

    def change_like_count(self, tweet_id: int, delta: int) -> None:
        _apply_like_counts(
            self._session,
            update(tweets)
            .where(tweets.c.id == tweet_id)
            .values(like_count=tweets.c.like_count + delta),
        )

    def list_page(self, page: PageRequest) -> list[Tweet]:
        return list(self._session.scalars(_entity_page(Tweet, tweets.c.id, page)))

    def list_by_owner(self, owner_id: int, page: PageRequest) -> list[Tweet]:
        statement = select(Tweet).where(tweets.c.owner_id == owner_id)
        return list(self._session.scalars(_paged(statement, tweets.c.id, page)))

    def list_liked_by(self, user_id: int, page: PageRequest) -> list[tuple[int, Tweet]]:
        statement = (
            select(likes.c.id, Tweet)
            .join(likes, likes.c.tweet_id == tweets.c.id)
            .where(likes.c.owner_id == user_id)
        )
        return [
            (key, tweet)
            for key, tweet in self._session.execute(_paged(statement, likes.c.id, page))
        ]

    def list_home_timeline(self, user_id: int, page: PageRequest) -> list[Tweet]:
        followed = select(follows.c.followee_id).where(follows.c.follower_id == user_id)
        if self._session.get_bind().dialect.name != "postgresql":
            statement = select(Tweet).where(
                (tweets.c.owner_id == user_id) | tweets.c.owner_id.in_(followed)
            )
            return list(self._session.scalars(_paged(statement, tweets.c.id, page)))
        # Merge each author's newest tweets, each read from the (owner_id, id) index,
        # bounded below by the K-th newest "latest tweet" among the authors: at least
        # K tweets lie above it, so nothing older can be on the page. The cost follows
        # the number of authors, not how far back in the table their tweets lie.
        wanted = min(page.skip + page.fetch_size, MAX_ID)
        authors = union_all(
            select(literal(user_id, BigInteger).label("author_id")),
            followed.with_only_columns(follows.c.followee_id.label("author_id")),
        ).cte("authors")
        by_author = tweets.c.owner_id == authors.c.author_id
        newest = (
            _cursor_filtered(select(tweets.c.id), tweets.c.id, page)
            .where(by_author)
            .order_by(tweets.c.id.desc())
            .limit(1)
            .lateral("newest")
        )
        latest = select(newest.c.id).select_from(authors).join(newest, true()).subquery("latest")
        kth_latest = (
            select(latest.c.id)
            .order_by(latest.c.id.desc())
            .offset(wanted - 1)
            .limit(1)
            .scalar_subquery()
        )
        recent = (
            _cursor_filtered(select(tweets), tweets.c.id, page)
            .where(by_author, tweets.c.id >= func.coalesce(kth_latest, 0))
            .order_by(tweets.c.id.desc())
            .limit(wanted)
            .lateral("recent")
        )
        timeline = aliased(Tweet, recent)
        statement = (
            select(timeline)
            .select_from(authors)
            .join(recent, true())
            .order_by(recent.c.id.desc())
            .offset(page.skip)
            .limit(page.fetch_size)
        )
        return list(self._session.scalars(statement))

    def count_by_owner(self, owner_id: int) -> int:
        return _count(self._session, tweets, tweets.c.owner_id == owner_id)


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
        if not (_storable(owner_id) and _storable(tweet_id)):
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
        wanted = sorted({tweet_id for tweet_id in tweet_ids if _storable(tweet_id)})
        if not wanted or not _storable(owner_id):
            return set()
        statement = select(likes.c.tweet_id).where(
            likes.c.owner_id == owner_id, likes.c.tweet_id.in_(wanted)
        )
        return set(self._session.scalars(statement))


class SqlAlchemyFollowRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, follow: Follow) -> None:
        self._session.add(follow)
        _flush(self._session, {("unique", ""): AlreadyFollowing, ("foreign_key", ""): UserNotFound})

    def remove(self, follower_id: int, followee_id: int) -> bool:
        if not (_storable(follower_id) and _storable(followee_id)):
            return False
        removed = self._session.execute(
            delete(follows)
            .where(follows.c.follower_id == follower_id, follows.c.followee_id == followee_id)
            .returning(follows.c.id)
        )
        return removed.first() is not None

    def exists(self, follower_id: int, followee_id: int) -> bool:
        if not (_storable(follower_id) and _storable(followee_id)):
            return False
        statement = select(follows.c.id).where(
            follows.c.follower_id == follower_id, follows.c.followee_id == followee_id
        )
        return self._session.execute(statement).first() is not None

    def count_followers(self, user_id: int) -> int:
        return _count(self._session, follows, follows.c.followee_id == user_id)

    def count_following(self, user_id: int) -> int:
        return _count(self._session, follows, follows.c.follower_id == user_id)


class SqlAlchemyLoginAttemptRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def count(self, key: str, now: datetime, window: timedelta) -> tuple[int, datetime]:
        table = login_attempts
        moment = literal(now, UtcDateTime())
        ended = table.c.window_started_at <= literal(now - window, UtcDateTime())
        dialect = self._session.get_bind().dialect.name
        insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
        statement = (
            insert(table)
            .values(key=key, attempts=1, window_started_at=now)
            .on_conflict_do_update(
                index_elements=[table.c.key],
                set_={
                    "attempts": case((ended, 1), else_=table.c.attempts + 1),
                    "window_started_at": case((ended, moment), else_=table.c.window_started_at),
                },
            )
            .returning(table.c.attempts, table.c.window_started_at)
        )
        attempts, started_at = self._session.execute(statement).one()
        return attempts, started_at

    def refund(self, key: str) -> None:
        self._session.execute(
            update(login_attempts)
            .where(login_attempts.c.key == key, login_attempts.c.attempts > 0)
            .values(attempts=login_attempts.c.attempts - 1)
        )

    def forget(self, key: str) -> None:
        self._session.execute(delete(login_attempts).where(login_attempts.c.key == key))

    def prune(self, ended_by: datetime, prefixes: tuple[str, ...] = ()) -> None:
        # Rows another attempt holds are skipped, not waited for: pruning never blocks
        # a login, and two prunes never lock the same rows in different orders.
        ended = login_attempts.c.window_started_at < ended_by
        if prefixes:
            ended = and_(ended, or_(*(login_attempts.c.key.startswith(p) for p in prefixes)))
        stale = select(login_attempts.c.key).where(ended).with_for_update(skip_locked=True)
        self._session.execute(delete(login_attempts).where(login_attempts.c.key.in_(stale)))


class SqlAlchemyRevokedTokenRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, token_id: str, expires_at: datetime) -> None:
        dialect = self._session.get_bind().dialect.name
        insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
        statement = insert(revoked_tokens).values(token_id=token_id, expires_at=expires_at)
        self._session.execute(statement.on_conflict_do_nothing(index_elements=["token_id"]))

    def prune(self, expired_by: datetime) -> None:
        self._session.execute(
            delete(revoked_tokens).where(revoked_tokens.c.expires_at <= expired_by)
        )
