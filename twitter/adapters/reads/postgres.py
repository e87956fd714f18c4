"""The read port on PostgreSQL through asyncpg: every view in one statement.

Each method sends one fixed statement text with ``$n`` parameters, so asyncpg
prepares it once per connection and PostgreSQL may settle on a generic plan; the
SQL is written so that the generic plan still walks the keyset indexes:

* Cursors are never optional in the SQL. A page keeps the keys ``lo < key <= hi``
  with ``hi`` = ``max_id - 1`` (or the largest bigint) and ``lo`` = ``since_id`` (or
  the smallest bigint): one text, an index range whatever the cursors, and exact.
  (``$n IS NULL OR key < $n`` would also be one text, but a generic plan can only
  filter on it, not seek with it.)
* A list about something (a user's tweets, a tweet's likers ...) reads that thing
  and LEFT JOINs the page LATERALly to it: no row means the thing does not exist,
  one row of NULLs an empty page. One round trip where a check and a page were two.
* A page is cut first, on its own index; the rows it names (authors, tweets of
  likes) and the viewer's flags are then looked up by key, one index probe per
  item, in ways the planner cannot turn into scans of whole tables (see
  ``_USER_OF_ROW`` and ``_card_columns``). A NULL viewer matches no like.

Rows become the frozen views of ``twitter.application.queries`` and must equal what
the SQLAlchemy and memory adapters answer; ``timestamptz`` comes back aware, in UTC.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncGenerator, Callable, Sequence
from typing import Any

import asyncpg  # type: ignore[import-untyped]
from sqlalchemy.engine import make_url

from twitter.application.errors import StorageUnavailable
from twitter.application.pagination import MAX_ID, Page, PageRequest, storable_id
from twitter.application.queries import (
    AccountView,
    LikeView,
    ProfileView,
    TweetCard,
    TweetView,
    UserView,
)
from twitter.domain.errors import TweetNotFound, UserNotFound
from twitter.domain.model import is_valid_username
from twitter.settings import default

MIN_BIGINT = -(2**63)

# A refused, lost or overloaded connection, or a statement past its timeout: the
# read did not happen, and the caller answers 503 (a bug still surfaces as itself).
_UNREACHABLE = (
    OSError,
    TimeoutError,
    asyncpg.PostgresConnectionError,
    asyncpg.exceptions.OperatorInterventionError,
    asyncpg.exceptions.TooManyConnectionsError,
)

# asyncpg has no type hints: its pool and rows are Any to mypy.
Pool = Any
Row = Any

_USER = "SELECT id, username, created_at FROM users WHERE id = $1"

_USER_BY_USERNAME = (
    "SELECT id, username, created_at FROM users WHERE lower(username) = lower($1::text)"
)

_ACCOUNT = """
SELECT id, username, created_at, email FROM users
WHERE id = $1 AND NOT EXISTS (SELECT 1 FROM revoked_tokens WHERE token_id = $2)
"""

_PROFILE = """
SELECT u.id, u.username, u.created_at,
       (SELECT count(*) FROM tweets WHERE owner_id = u.id),
       (SELECT count(*) FROM likes WHERE owner_id = u.id),
       (SELECT count(*) FROM follows WHERE followee_id = u.id),
       (SELECT count(*) FROM follows WHERE follower_id = u.id),
       coalesce((SELECT true FROM follows WHERE follower_id = $2 AND followee_id = u.id), false)
FROM users AS u
WHERE lower(u.username) = lower($1::text)
"""

# Pages: $1 hi, $2 lo, $3 offset, $4 limit (for lists about something, one later).
_USERS = """
SELECT id, username, created_at FROM users
WHERE id <= $1 AND id > $2
ORDER BY id OFFSET $3 LIMIT $4
"""

# With an offset, the rows skipped are counted on the primary key alone (an
# index-only scan) and only the page is read from the table: a deferred join.
_USERS_SKIPPING = """
SELECT u.id, u.username, u.created_at
FROM (SELECT id FROM users WHERE id <= $1 AND id > $2 ORDER BY id OFFSET $3 LIMIT $4) AS k
JOIN users AS u ON u.id = k.id
ORDER BY u.id
"""


# Rows looked up by primary key after the page is cut are read through a LATERAL
# subquery with LIMIT 1: PostgreSQL cannot flatten it into a join, so it stays one
# index probe per row of the page. As a plain join the planner may hash the whole
# of users instead: it did at 2,000 users even for a LIMIT it knew, and a generic
# plan, which cannot see the LIMIT $n, counts the page at 10% of its input.
_USER_OF_ROW = (
    "LEFT JOIN LATERAL (SELECT id, username, created_at FROM users WHERE id = r.user_id LIMIT 1)"
    " AS u ON true"
)


def _users_through(relation: str, parent: str, parent_key: str, user_key: str) -> str:
    """Users seen through ``relation`` rows whose ``parent_key`` is the parent's id,
    newest relation first; $1 is the parent, then hi, lo, offset, limit."""
    return f"""
SELECT p.id, r.id, u.id, u.username, u.created_at
FROM (SELECT id FROM {parent} WHERE id = $1) AS p
LEFT JOIN LATERAL (
    SELECT id, {user_key} AS user_id FROM {relation}
    WHERE {parent_key} = p.id AND id <= $2 AND id > $3
    ORDER BY id DESC OFFSET $4 LIMIT $5
) AS r ON true
{_USER_OF_ROW}
ORDER BY r.id DESC
"""


_FOLLOWERS = _users_through("follows", "users", "followee_id", "follower_id")
_FOLLOWING = _users_through("follows", "users", "follower_id", "followee_id")
_LIKING_USERS = _users_through("likes", "tweets", "tweet_id", "owner_id")

_USER_LIKES = """
SELECT p.id, l.id, l.owner_id, l.tweet_id, l.created_at
FROM (SELECT id FROM users WHERE id = $1) AS p
LEFT JOIN LATERAL (
    SELECT id, owner_id, tweet_id, created_at FROM likes
    WHERE owner_id = p.id AND id <= $2 AND id > $3
    ORDER BY id DESC OFFSET $4 LIMIT $5
) AS l ON true
ORDER BY l.id DESC
"""

_TWEET_COLUMNS = "id, text, owner_id, like_count, created_at"


def _card_columns(viewer: str) -> str:
    """A tweet ``t`` with its author ``a`` and whether ``viewer`` liked it.

    The flag is a scalar subquery, not an EXISTS: PostgreSQL may answer an EXISTS by
    hashing every like of the viewer (however many) and does so in generic plans,
    which cannot know the viewer; a scalar subquery stays one probe of the
    (owner_id, tweet_id) index per tweet of the page.
    """
    return f"""t.id, t.text, t.owner_id, t.like_count, t.created_at, a.username, a.created_at,
       coalesce((SELECT true FROM likes WHERE owner_id = {viewer} AND tweet_id = t.id), false)"""


# As _USER_OF_ROW, for the author of each tweet ``t`` of a page.
_AUTHOR = (
    "JOIN LATERAL (SELECT username, created_at FROM users WHERE id = t.owner_id LIMIT 1)"
    " AS a ON true"
)

_TWEET = f"""
SELECT {_card_columns("$2")}
FROM tweets AS t JOIN users AS a ON a.id = t.owner_id
WHERE t.id = $1
"""

_BARE_TWEET = f"SELECT {_TWEET_COLUMNS} FROM tweets WHERE id = $1"

_TWEETS = f"""
SELECT {_card_columns("$5")}
FROM (
    SELECT {_TWEET_COLUMNS} FROM tweets
    WHERE id <= $1 AND id > $2
    ORDER BY id DESC OFFSET $3 LIMIT $4
) AS t
{_AUTHOR}
ORDER BY t.id DESC
"""

_TWEETS_SKIPPING = f"""
SELECT {_card_columns("$5")}
FROM (SELECT id FROM tweets WHERE id <= $1 AND id > $2 ORDER BY id DESC OFFSET $3 LIMIT $4) AS k
JOIN LATERAL (SELECT {_TWEET_COLUMNS} FROM tweets WHERE id = k.id LIMIT 1) AS t ON true
{_AUTHOR}
ORDER BY t.id DESC
"""

# The author of every tweet is the user read first (``a``); $6 is the viewer.
_USER_TWEETS = f"""
SELECT a.id, {_card_columns("$6")}
FROM (SELECT id, username, created_at FROM users WHERE id = $1) AS a
LEFT JOIN LATERAL (
    SELECT {_TWEET_COLUMNS} FROM tweets
    WHERE owner_id = a.id AND id <= $2 AND id > $3
    ORDER BY id DESC OFFSET $4 LIMIT $5
) AS t ON true
ORDER BY t.id DESC
"""

# In lists read through a parent, a missing tweet ``t`` (an empty page) must keep
# the parent's row: the lookups after the page are LEFT JOINs. The foreign keys
# guarantee the rows they look for within the statement's snapshot.
_LIKED_TWEETS = f"""
SELECT p.id, l.id, {_card_columns("$6")}
FROM (SELECT id FROM users WHERE id = $1) AS p
LEFT JOIN LATERAL (
    SELECT id, tweet_id FROM likes
    WHERE owner_id = p.id AND id <= $2 AND id > $3
    ORDER BY id DESC OFFSET $4 LIMIT $5
) AS l ON true
LEFT JOIN LATERAL (SELECT {_TWEET_COLUMNS} FROM tweets WHERE id = l.tweet_id LIMIT 1) AS t ON true
LEFT {_AUTHOR}
ORDER BY l.id DESC
"""

# The algorithm of SqlAlchemyTweetRepository.list_home_timeline on PostgreSQL: each
# author's newest tweets, read from the (owner_id, id) index, bounded below by the
# K-th newest "latest tweet" among the authors (at least K tweets lie above it, so
# nothing older can be on the page). $1 user, $2 hi, $3 lo, $4 K = offset + limit,
# $5 K - 1, $6 offset, $7 limit, $8 viewer.
_HOME_TIMELINE = f"""
WITH authors AS (
    SELECT $1::bigint AS author_id
    UNION ALL
    SELECT followee_id FROM follows WHERE follower_id = $1
)
SELECT p.id, {_card_columns("$8")}
FROM (SELECT id FROM users WHERE id = $1) AS p
LEFT JOIN LATERAL (
    SELECT recent.* FROM authors
    JOIN LATERAL (
        SELECT {_TWEET_COLUMNS} FROM tweets
        WHERE owner_id = authors.author_id AND id <= $2 AND id > $3
          AND id >= coalesce((
              SELECT newest.id FROM authors AS others
              JOIN LATERAL (
                  SELECT id FROM tweets
                  WHERE owner_id = others.author_id AND id <= $2 AND id > $3
                  ORDER BY id DESC LIMIT 1
              ) AS newest ON true
              ORDER BY newest.id DESC OFFSET $5 LIMIT 1
          ), 0)
        ORDER BY id DESC LIMIT $4
    ) AS recent ON true
    ORDER BY recent.id DESC OFFSET $6 LIMIT $7
) AS t ON true
LEFT {_AUTHOR}
ORDER BY t.id DESC
"""


def _viewer(viewer_id: int | None) -> int | None:
    """The viewer as a parameter: NULL (no like matches it) when it cannot exist."""
    return viewer_id if viewer_id is not None and storable_id(viewer_id) else None


def _window(page: PageRequest) -> tuple[int, int, int, int]:
    """(hi, lo, offset, limit): keys ``lo < key <= hi``, exactly the cursors' filter.

    The offset is capped to fit a bigint; no table holds that many rows anyway.
    """
    hi = MAX_ID if page.max_id is None else page.max_id - 1
    lo = MIN_BIGINT if page.since_id is None else page.since_id
    return hi, lo, min(page.skip, MAX_ID), page.fetch_size


def _page(items: list[Any], keys: list[int], page: PageRequest) -> Page[Any]:
    more = len(items) > page.limit
    return Page(items=items[: page.limit], next_cursor=keys[page.limit - 1] if more else None)


def _user(row: Row, at: int = 0) -> UserView:
    return UserView(id=row[at], username=row[at + 1], created_at=row[at + 2])


def _card(row: Row, at: int) -> TweetCard:
    """A card from ``_card_columns`` starting at column ``at``."""
    owner_id = row[at + 2]
    return TweetCard(
        tweet=TweetView(
            id=row[at],
            text=row[at + 1],
            owner_id=owner_id,
            like_count=row[at + 3],
            created_at=row[at + 4],
        ),
        author=UserView(id=owner_id, username=row[at + 5], created_at=row[at + 6]),
        liked_by_viewer=row[at + 7],
    )


def _child_rows(rows: Sequence[Row], missing: Exception) -> Sequence[Row]:
    """The page rows of a list read through its parent: ``missing`` when the parent
    is not there (no row), nothing when the page is empty (one row of NULLs)."""
    if not rows:
        raise missing
    return rows if rows[0][1] is not None else ()


async def _no_reset(_connection: Any) -> None:
    """Return connections to the pool as they are.

    asyncpg's default reset (rollback, CLOSE ALL, UNLISTEN, RESET ALL, unlock
    advisory locks) is a round trip per release: as many as the reads themselves.
    This adapter only sends single SELECTs outside transactions and changes no
    session state, so there is nothing to reset (asyncpg still rolls back a
    transaction left open, which cannot happen here).
    """


async def _closed_with_loop(pool: Pool) -> AsyncGenerator[None, None]:
    """Suspended for as long as ``pool`` is open, to close it in its own loop.

    An event loop finalizes the async generators still suspended in it when it
    shuts down (``asyncio.run`` does, before closing the loop) and when they are
    garbage collected. A pool nobody closed then closes its connections while its
    loop still runs, instead of leaving sockets open to a loop that is gone.
    """
    try:
        yield
    finally:
        await pool.close()


class AsyncpgReads:
    """``Reads`` on a pool of asyncpg connections, opened on first use.

    The pool belongs to the event loop that opened it, and is closed when that loop
    shuts down if ``aclose`` was not awaited first (see ``_closed_with_loop``). A
    call from another loop (a test's second ``asyncio.run``, a synchronous
    facade's own loop) gets a new pool there; the old one is closed in its own
    loop, never awaited from this one. ``on_statement`` sees each SQL text before
    it is sent.
    """

    def __init__(
        self,
        url: str,
        *,
        pool_size: int = default("db_pool_size"),
        statement_cache_size: int = default("db_statement_cache_size"),
        statement_timeout_ms: int = default("db_statement_timeout_ms"),
        connect_timeout: float = default("db_connect_timeout_seconds"),
        on_statement: Callable[[str], None] | None = None,
    ) -> None:
        parsed = make_url(url)
        if parsed.get_backend_name() != "postgresql":
            raise ValueError(f"not a PostgreSQL URL: {parsed!r}")
        self._dsn = parsed.set(drivername="postgresql").render_as_string(hide_password=False)
        self._pool_options: dict[str, Any] = {
            # A fixed size: under load no request waits for a connection to open.
            "min_size": pool_size,
            "max_size": pool_size,
            "statement_cache_size": statement_cache_size,
            "timeout": connect_timeout,
            "reset": _no_reset,
            # The same session as the SQLAlchemy engines (see persistence.database).
            "server_settings": {
                "jit": "off",
                "statement_timeout": str(int(statement_timeout_ms)),
                "application_name": "twitter-reads",
            },
        }
        self.on_statement = on_statement
        """Called with each SQL text before it is sent (tests count statements with it)."""
        self._pool: Pool | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._opening: asyncio.Task[Pool] | None = None
        self._closer: AsyncGenerator[None, None] | None = None

    # -- the pool ------------------------------------------------------------------

    async def _current_pool(self) -> Pool:
        """This loop's pool, opened once however many calls arrive at the same time."""
        loop = asyncio.get_running_loop()
        if self._loop is not loop:
            self._abandon()
            self._loop = loop
        if self._opening is None:
            self._opening = loop.create_task(self._open())
        # Shielded: a caller cancelled while the pool opens does not cancel it for
        # the others waiting.
        return await asyncio.shield(self._opening)

    async def _open(self) -> Pool:
        try:
            pool = await asyncpg.create_pool(self._dsn, **self._pool_options)
        except BaseException:
            self._opening = None  # the next call tries again
            raise
        closer = _closed_with_loop(pool)
        await anext(closer)
        self._pool, self._closer = pool, closer
        return pool

    def _abandon(self) -> None:
        """Forget the pool of another loop, and have that loop close it.

        A loop that ``asyncio.run`` closed has closed it already. One still running
        (in another thread) or merely stopped gets the closing scheduled, which runs
        when it runs. A loop closed some other way took the sockets with it: nothing
        can be done for them from here.
        """
        loop, opening, closer = self._loop, self._opening, self._closer
        self._pool = self._opening = self._closer = self._loop = None
        if loop is None or loop.is_closed():
            return
        if opening is not None and not opening.done():
            loop.call_soon_threadsafe(opening.cancel)
        if closer is not None:
            loop.call_soon_threadsafe(loop.create_task, closer.aclose())

    async def aclose(self) -> None:
        """Close the pool (waiting for calls in flight); a later call opens a new one."""
        if self._loop is not asyncio.get_running_loop():
            self._abandon()
            return
        if self._opening is not None:
            with contextlib.suppress(Exception):
                await asyncio.shield(self._opening)
        closer = self._closer
        self._pool = self._opening = self._closer = self._loop = None
        if closer is not None:
            await closer.aclose()

    async def _pool_for_call(self, sql: str) -> Pool:
        pool = self._pool
        if pool is None or self._loop is not asyncio.get_running_loop():
            pool = await self._current_pool()
        if self.on_statement is not None:
            self.on_statement(sql)
        return pool

    async def _fetch(self, sql: str, *args: object) -> list[Row]:
        try:
            pool = await self._pool_for_call(sql)
            rows: list[Row] = await pool.fetch(sql, *args)
        except _UNREACHABLE as error:
            raise StorageUnavailable("The database is unavailable") from error
        return rows

    async def _fetchrow(self, sql: str, *args: object) -> Row | None:
        try:
            pool = await self._pool_for_call(sql)
            return await pool.fetchrow(sql, *args)
        except _UNREACHABLE as error:
            raise StorageUnavailable("The database is unavailable") from error

    # -- point reads -----------------------------------------------------------------

    async def user(self, user_id: int) -> UserView:
        row = await self._fetchrow(_USER, user_id) if storable_id(user_id) else None
        if row is None:
            raise UserNotFound()
        return _user(row)

    async def user_by_username(self, username: str) -> UserView:
        row = (
            await self._fetchrow(_USER_BY_USERNAME, username)
            if is_valid_username(username)
            else None
        )
        if row is None:
            raise UserNotFound()
        return _user(row)

    async def account(self, user_id: int, token_id: str) -> AccountView | None:
        if not storable_id(user_id):
            return None
        row = await self._fetchrow(_ACCOUNT, user_id, token_id)
        if row is None:
            return None
        return AccountView(id=row[0], username=row[1], created_at=row[2], email=row[3])

    async def profile(self, username: str, viewer_id: int | None = None) -> ProfileView:
        row = None
        if is_valid_username(username):
            row = await self._fetchrow(_PROFILE, username, _viewer(viewer_id))
        if row is None:
            raise UserNotFound()
        return ProfileView(
            user=_user(row),
            tweet_count=row[3],
            like_count=row[4],
            follower_count=row[5],
            following_count=row[6],
            followed_by_viewer=row[7],
        )

    async def tweet(self, tweet_id: int, viewer_id: int | None = None) -> TweetCard:
        row = None
        if storable_id(tweet_id):
            row = await self._fetchrow(_TWEET, tweet_id, _viewer(viewer_id))
        if row is None:
            raise TweetNotFound()
        return _card(row, 0)

    async def bare_tweet(self, tweet_id: int) -> TweetView:
        row = await self._fetchrow(_BARE_TWEET, tweet_id) if storable_id(tweet_id) else None
        if row is None:
            raise TweetNotFound()
        return TweetView(*row)

    # -- lists -------------------------------------------------------------------------

    async def users(self, page: PageRequest) -> Page[UserView]:
        rows = await self._fetch(_USERS_SKIPPING if page.skip else _USERS, *_window(page))
        users = [_user(row) for row in rows]
        return _page(users, [user.id for user in users], page)

    async def followers(self, user_id: int, page: PageRequest) -> Page[UserView]:
        return await self._users_through(_FOLLOWERS, user_id, page, UserNotFound())

    async def following(self, user_id: int, page: PageRequest) -> Page[UserView]:
        return await self._users_through(_FOLLOWING, user_id, page, UserNotFound())

    async def liking_users(self, tweet_id: int, page: PageRequest) -> Page[UserView]:
        return await self._users_through(_LIKING_USERS, tweet_id, page, TweetNotFound())

    async def _users_through(
        self, sql: str, parent_id: int, page: PageRequest, missing: Exception
    ) -> Page[UserView]:
        if not storable_id(parent_id):
            raise missing
        rows = _child_rows(await self._fetch(sql, parent_id, *_window(page)), missing)
        return _page([_user(row, 2) for row in rows], [row[1] for row in rows], page)

    async def user_likes(self, user_id: int, page: PageRequest) -> Page[LikeView]:
        if not storable_id(user_id):
            raise UserNotFound()
        rows = await self._fetch(_USER_LIKES, user_id, *_window(page))
        likes = [
            LikeView(id=row[1], owner_id=row[2], tweet_id=row[3], created_at=row[4])
            for row in _child_rows(rows, UserNotFound())
        ]
        return _page(likes, [like.id for like in likes], page)

    async def tweets(self, page: PageRequest, viewer_id: int | None = None) -> Page[TweetCard]:
        sql = _TWEETS_SKIPPING if page.skip else _TWEETS
        rows = await self._fetch(sql, *_window(page), _viewer(viewer_id))
        return _card_page([_card(row, 0) for row in rows], page)

    async def user_tweets(
        self, user_id: int, page: PageRequest, viewer_id: int | None = None
    ) -> Page[TweetCard]:
        if not storable_id(user_id):
            raise UserNotFound()
        rows = await self._fetch(_USER_TWEETS, user_id, *_window(page), _viewer(viewer_id))
        return _card_page([_card(row, 1) for row in _child_rows(rows, UserNotFound())], page)

    async def liked_tweets(
        self, user_id: int, page: PageRequest, viewer_id: int | None = None
    ) -> Page[TweetCard]:
        if not storable_id(user_id):
            raise UserNotFound()
        rows = await self._fetch(_LIKED_TWEETS, user_id, *_window(page), _viewer(viewer_id))
        liked = _child_rows(rows, UserNotFound())
        return _page([_card(row, 2) for row in liked], [row[1] for row in liked], page)

    async def home_timeline(
        self, user_id: int, page: PageRequest, viewer_id: int | None = None
    ) -> Page[TweetCard]:
        if not storable_id(user_id):
            raise UserNotFound()
        hi, lo, offset, limit = _window(page)
        wanted = min(offset + limit, MAX_ID)
        rows = await self._fetch(
            _HOME_TIMELINE, user_id, hi, lo, wanted, wanted - 1, offset, limit, _viewer(viewer_id)
        )
        return _card_page([_card(row, 1) for row in _child_rows(rows, UserNotFound())], page)


def _card_page(cards: list[TweetCard], page: PageRequest) -> Page[TweetCard]:
    return _page(cards, [card.tweet.id for card in cards], page)
