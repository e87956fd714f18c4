"""What the repositories share: paging, point reads, counting, constraint translation
and counter updates.

Writes flush at once (``_flush``) so that a broken constraint surfaces in the
repository and becomes the domain error the use case's pre-check would have raised.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from typing import Any, TypeVar

from sqlalchemy import (
    Column,
    ColumnElement,
    CompoundSelect,
    Select,
    Table,
    Update,
    exists,
    func,
    select,
    union_all,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.util import identity_key

from twitter.adapters.persistence.tables import blocks, mutes, tweets
from twitter.application.pagination import PageRequest, storable_id
from twitter.domain.errors import DomainError
from twitter.domain.model import Tweet, User

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


def _fetch_one(
    session: Session, entity: type[T], statement: Select[Any], key: object, **more: object
) -> T | None:
    """One entity straight from a row, outside the session's identity map.

    For reading units of work: a point read skips the ORM's loading machinery
    (a quarter to a half of its cost), and nothing read is ever written back.
    ``statement`` is one of the prebuilt point reads, ``:key`` the value looked for.
    """
    row = session.execute(statement, {"key": key, **more}).mappings().first()
    return None if row is None else entity(**row)


def _count(session: Session, table: Table, where: ColumnElement[bool]) -> int:
    """One ``SELECT count(*)``; every caller filters on the leading column of an index."""
    return int(session.execute(select(func.count()).select_from(table).where(where)).scalar_one())


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


def _apply(
    session: Session, statement: Update, entity: type[Any], columns: Sequence[Column[Any]]
) -> None:
    """Run an atomic UPDATE of ``columns`` (counters, flags) and give the entities
    already loaded their new values, as if read again."""
    table = statement.table
    assert isinstance(table, Table)
    returning = statement.returning(table.c.id, *columns)
    for key, *values in session.execute(returning):
        loaded = session.identity_map.get(identity_key(entity, key))
        if loaded is not None:
            for column, value in zip(columns, values, strict=True):
                set_committed_value(loaded, column.key, value)


def _apply_like_counts(session: Session, statement: Update) -> None:
    _apply(session, statement, Tweet, [tweets.c.like_count])


def _blocked_by(user_id: int) -> Select[tuple[int]]:
    return select(blocks.c.blocked_id).where(blocks.c.blocker_id == user_id)


def _hidden_from(user_id: int) -> CompoundSelect[tuple[int]]:
    """The ids of the users ``user_id`` mutes or blocks."""
    muted = select(mutes.c.muted_id).where(mutes.c.muter_id == user_id)
    return union_all(muted, _blocked_by(user_id))


def _shares_none_of(authors: CompoundSelect[tuple[int]]) -> ColumnElement[bool]:
    """The tweet in ``tweets`` is no retweet of a tweet by one of ``authors``."""
    original = tweets.alias("original")
    by_them = exists().where(
        original.c.id == tweets.c.retweeted_id, original.c.owner_id.in_(authors)
    )
    return tweets.c.retweeted_id.is_(None) | ~by_them


def _among(
    session: Session,
    wanted: Column[int],
    fixed: Column[int],
    fixed_id: int,
    candidates: Collection[int],
) -> set[int]:
    """The ``candidates`` found in ``wanted`` on rows whose ``fixed`` is ``fixed_id``
    (whom a user follows, blocks, mutes ... among some): one statement."""
    ids = sorted({candidate for candidate in candidates if storable_id(candidate)})
    if not (ids and storable_id(fixed_id)):
        return set()
    return set(session.scalars(select(wanted).where(fixed == fixed_id, wanted.in_(ids))))


def _counts_by(session: Session, column: Column[int], ids: Collection[int]) -> dict[int, int]:
    """How many rows each of ``ids`` has in ``column`` (absent: none): one statement."""
    wanted = sorted({value for value in ids if storable_id(value)})
    if not wanted:
        return {}
    statement = select(column, func.count()).where(column.in_(wanted)).group_by(column)
    return dict(session.execute(statement).all())
