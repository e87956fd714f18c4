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
* A thread (``context``) is one recursive statement up and down the replies, cut
  in SQL where reading the thread in order would stop.
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
from collections.abc import AsyncGenerator, Awaitable, Callable, Iterable, Sequence
from datetime import datetime
from typing import Any

import asyncpg  # type: ignore[import-untyped]
from sqlalchemy.engine import make_url

from twitter.adapters import stored_entities
from twitter.adapters.reads.replicas import Replicas
from twitter.application.errors import StorageUnavailable
from twitter.application.pagination import MAX_ID, Page, PageRequest, storable_id
from twitter.application.queries import (
    MAX_DESCENDANTS,
    AccountCounts,
    AccountView,
    ConversationView,
    LikeView,
    NotificationView,
    ProfileView,
    RelationshipView,
    ThreadReply,
    TweetCard,
    TweetView,
    UserView,
    depth_first,
)
from twitter.domain.entities import key_of_tag
from twitter.domain.errors import TweetNotFound, UserNotFound
from twitter.domain.model import NotificationType, is_valid_username, references
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
# A replica's connection that broke under a read (the server stopping mid-query).
# A connection to a replica that stopped mid-read can also be left mid-operation
# (asyncpg: "cannot switch to state ...; another operation is in progress").
_REPLICA_LOST = (
    StorageUnavailable,
    asyncpg.exceptions.InterfaceError,
    asyncpg.exceptions.InternalClientError,
)

# asyncpg has no type hints: its pool and rows are Any to mypy.
Pool = Any
Row = Any

# A user's columns as ``_user`` reads them.
_USER_FIELDS = ("id", "username", "created_at", "display_name", "bio")
_USER_COLUMNS = ", ".join(_USER_FIELDS)

_USER = f"SELECT {_USER_COLUMNS} FROM users WHERE id = $1"

_USER_BY_USERNAME = f"SELECT {_USER_COLUMNS} FROM users WHERE lower(username) = lower($1::text)"

_ACCOUNT = f"""
SELECT {_USER_COLUMNS}, email FROM users
WHERE id = $1 AND NOT EXISTS (SELECT 1 FROM revoked_tokens WHERE token_id = $2)
"""

_PROFILE = """
SELECT u.id, u.username, u.created_at, u.display_name, u.bio,
       (SELECT count(*) FROM tweets WHERE owner_id = u.id),
       (SELECT count(*) FROM likes WHERE owner_id = u.id),
       (SELECT count(*) FROM follows WHERE followee_id = u.id),
       (SELECT count(*) FROM follows WHERE follower_id = u.id),
       coalesce((SELECT true FROM follows WHERE follower_id = $2 AND followee_id = u.id), false),
       coalesce((SELECT true FROM blocks WHERE blocker_id = $2 AND blocked_id = u.id), false),
       coalesce((SELECT true FROM mutes WHERE muter_id = $2 AND muted_id = u.id), false),
       coalesce((SELECT true FROM blocks WHERE blocker_id = u.id AND blocked_id = $2), false)
FROM users AS u
WHERE lower(u.username) = lower($1::text)
"""

# Pages: $1 hi, $2 lo, $3 offset, $4 limit (for lists about something, one later).
_USERS = f"""
SELECT {_USER_COLUMNS} FROM users
WHERE id <= $1 AND id > $2
ORDER BY id OFFSET $3 LIMIT $4
"""

# With an offset, the rows skipped are counted on the primary key alone (an
# index-only scan) and only the page is read from the table: a deferred join.
_USERS_SKIPPING = """
SELECT u.id, u.username, u.created_at, u.display_name, u.bio
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
    f"LEFT JOIN LATERAL (SELECT {_USER_COLUMNS} FROM users WHERE id = r.user_id LIMIT 1)"
    " AS u ON true"
)


def _users_through(relation: str, parent: str, parent_key: str, user_key: str) -> str:
    """Users seen through ``relation`` rows whose ``parent_key`` is the parent's id,
    newest relation first; $1 is the parent, then hi, lo, offset, limit."""
    return f"""
SELECT p.id, r.id, u.id, u.username, u.created_at, u.display_name, u.bio
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
# A retweet is a tweet of its retweeter's, read from the (retweeted_id, id) index.
_RETWEETED_BY = _users_through("tweets", "tweets", "retweeted_id", "owner_id")
_BLOCKING = _users_through("blocks", "users", "blocker_id", "blocked_id")
_MUTING = _users_through("mutes", "users", "muter_id", "muted_id")

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

# A tweet's columns as ``_tweet_view`` reads them.
_TWEET_FIELDS = (
    "id",
    "text",
    "owner_id",
    "like_count",
    "created_at",
    "thread_root_id",
    "in_reply_to_id",
    "in_reply_to_user_id",
    "quoted_id",
    "retweeted_id",
    "reply_count",
    "retweet_count",
    "quote_count",
    "entities",
)
_TWEET_COLUMNS = ", ".join(_TWEET_FIELDS)
_AUTHOR_FIELDS = ("username", "created_at", "display_name", "bio")


def _viewer_flags(viewer: str, tweet: str) -> str:
    """Whether ``viewer`` liked, retweeted and bookmarked ``tweet``.

    Scalar subqueries, not EXISTS: PostgreSQL may answer an EXISTS by hashing every
    like of the viewer (however many) and does so in generic plans, which cannot know
    the viewer; a scalar subquery stays one probe of the (owner_id, tweet_id) or
    (owner_id, retweeted_id) index per tweet of the page.
    """
    return (
        f"coalesce((SELECT true FROM likes WHERE owner_id = {viewer} AND tweet_id = {tweet}.id),"
        f" false), coalesce((SELECT true FROM tweets WHERE owner_id = {viewer}"
        f" AND retweeted_id = {tweet}.id), false), coalesce((SELECT true FROM bookmarks"
        f" WHERE owner_id = {viewer} AND tweet_id = {tweet}.id), false)"
    )


def _card_columns(viewer: str) -> str:
    """A tweet ``t`` with its author ``a``, the viewer's flags, and for a retweet its
    original's card as one record (NULL for any other tweet): two primary-key probes
    per retweet of the page, none for the rest."""
    tweet = ", ".join(f"t.{name}" for name in _TWEET_FIELDS)
    author = ", ".join(f"a.{name}" for name in _AUTHOR_FIELDS)
    original = ", ".join(f"o.{name}" for name in _TWEET_FIELDS)
    original_author = ", ".join(f"oa.{name}" for name in _AUTHOR_FIELDS)
    return f"""{tweet}, {author}, {_viewer_flags(viewer, "t")},
       (SELECT ROW({original}, {original_author}, {_viewer_flags(viewer, "o")})
        FROM tweets AS o JOIN users AS oa ON oa.id = o.owner_id
        WHERE o.id = t.retweeted_id)"""


# As _USER_OF_ROW, for the author of each tweet ``t`` of a page.
_AUTHOR = (
    f"JOIN LATERAL (SELECT {', '.join(_AUTHOR_FIELDS)} FROM users WHERE id = t.owner_id LIMIT 1)"
    " AS a ON true"
)

# As _USER_OF_ROW, for the tweet each row ``r`` of a page names.
_TWEET_OF_ROW = (
    f"JOIN LATERAL (SELECT {_TWEET_COLUMNS} FROM tweets WHERE id = r.tweet_id LIMIT 1) AS t ON true"
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
FROM (
    SELECT id AS tweet_id FROM tweets
    WHERE id <= $1 AND id > $2
    ORDER BY id DESC OFFSET $3 LIMIT $4
) AS r
{_TWEET_OF_ROW}
{_AUTHOR}
ORDER BY t.id DESC
"""

# The author of every tweet is the user read first (``a``); $6 is the viewer.
_USER_TWEETS = f"""
SELECT a.id, {_card_columns("$6")}
FROM (SELECT id, {", ".join(_AUTHOR_FIELDS)} FROM users WHERE id = $1) AS a
LEFT JOIN LATERAL (
    SELECT {_TWEET_COLUMNS} FROM tweets
    WHERE owner_id = a.id AND id <= $2 AND id > $3
    ORDER BY id DESC OFFSET $4 LIMIT $5
) AS t ON true
ORDER BY t.id DESC
"""


def _tweets_through(parent: str, relation: str, parent_key: str, key: str, tweet_key: str) -> str:
    """The tweets named by ``relation`` rows (``tweet_key``) whose ``parent_key`` is
    the parent's id, newest ``key`` first; $1 is the parent, then hi, lo, offset,
    limit, viewer.

    A missing tweet ``t`` (an empty page) must keep the parent's row: the lookups
    after the page are LEFT JOINs. The foreign keys guarantee the rows they look
    for within the statement's snapshot."""
    return f"""
SELECT p.id, r.key, {_card_columns("$6")}
FROM (SELECT id FROM {parent} WHERE id = $1) AS p
LEFT JOIN LATERAL (
    SELECT {key} AS key, {tweet_key} AS tweet_id FROM {relation}
    WHERE {parent_key} = p.id AND {key} <= $2 AND {key} > $3
    ORDER BY {key} DESC OFFSET $4 LIMIT $5
) AS r ON true
LEFT {_TWEET_OF_ROW}
LEFT {_AUTHOR}
ORDER BY r.key DESC
"""


_LIKED_TWEETS = _tweets_through("users", "likes", "owner_id", "id", "tweet_id")
_BOOKMARKS = _tweets_through("users", "bookmarks", "owner_id", "id", "tweet_id")
_QUOTE_TWEETS = _tweets_through("tweets", "tweets", "quoted_id", "id", "id")
_MENTIONS = _tweets_through("users", "tweet_mentions", "user_id", "tweet_id", "tweet_id")

# The one list about a key rather than a row: $1 the tag's key, then as
# _tweets_through. The window is written on the (tag, tweet_id) primary key as a
# whole: ``tag = $1`` would leave a generic plan free to walk the tweet_id index
# instead, filtering on the tag (it did with few tags), through every tweet for a
# rare one. The rows between the two keys are exactly the tag's within the cursors.
_TAGGED_TWEETS = f"""
SELECT {_card_columns("$6")}
FROM (
    SELECT tweet_id FROM tweet_hashtags
    WHERE (tag, tweet_id) <= ($1, $2) AND (tag, tweet_id) > ($1, $3)
    ORDER BY tag DESC, tweet_id DESC OFFSET $4 LIMIT $5
) AS r
{_TWEET_OF_ROW}
{_AUTHOR}
ORDER BY t.id DESC
"""


def _hidden_from(user: str) -> str:
    """The ids of the users ``user`` mutes or blocks, as a column ``id``."""
    return (
        f"SELECT muted_id AS id FROM mutes WHERE muter_id = {user}"
        f" UNION ALL SELECT blocked_id FROM blocks WHERE blocker_id = {user}"
    )


# A tweet of the home timeline's ``tweets`` is no retweet of someone ``hidden``.
_SHOWN = """(retweeted_id IS NULL OR NOT EXISTS (
              SELECT 1 FROM tweets AS o
              WHERE o.id = tweets.retweeted_id AND o.owner_id IN (SELECT id FROM hidden)))"""

# The algorithm of SqlAlchemyTweetRepository.list_home_timeline on PostgreSQL: each
# author's newest tweets, read from the (owner_id, id) index, bounded below by the
# K-th newest "latest tweet" among the authors (at least K tweets lie above it, so
# nothing older can be on the page). $1 user, $2 hi, $3 lo, $4 K = offset + limit,
# $5 K - 1, $6 offset, $7 limit, $8 viewer.
_HOME_TIMELINE = f"""
WITH hidden AS ({_hidden_from("$1")}),
authors AS (
    SELECT $1::bigint AS author_id
    UNION ALL
    SELECT followee_id FROM follows
    WHERE follower_id = $1 AND followee_id NOT IN (SELECT id FROM hidden)
)
SELECT p.id, {_card_columns("$8")}
FROM (SELECT id FROM users WHERE id = $1) AS p
LEFT JOIN LATERAL (
    SELECT recent.* FROM authors
    JOIN LATERAL (
        SELECT {_TWEET_COLUMNS} FROM tweets
        WHERE owner_id = authors.author_id AND id <= $2 AND id > $3 AND {_SHOWN}
          AND id >= coalesce((
              SELECT newest.id FROM authors AS others
              JOIN LATERAL (
                  SELECT id FROM tweets
                  WHERE owner_id = others.author_id AND id <= $2 AND id > $3 AND {_SHOWN}
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

# Search: $1 the words (letters and digits, space-separated), then hi, lo, offset,
# limit, viewer. The condition is the expression of ix_tweets_search as it is.
# Whether that GIN index or a walk down the primary key answers best depends on
# how common the words are, which only the words tell: see ``search_tweets``.
_SEARCH_TWEETS = f"""
SELECT {_card_columns("$6")}
FROM (
    SELECT {_TWEET_COLUMNS} FROM tweets
    WHERE to_tsvector('simple'::regconfig, search_text) @@ plainto_tsquery('simple'::regconfig, $1)
      AND id <= $2 AND id > $3
      AND owner_id NOT IN (SELECT blocked_id FROM blocks WHERE blocker_id = $6)
    ORDER BY id DESC OFFSET $4 LIMIT $5
) AS t
{_AUTHOR}
ORDER BY t.id DESC
"""

_CUSTOM_PLANS = "SET LOCAL plan_cache_mode = force_custom_plan"

# The range of ix_users_username_prefix holding the names that start with $1 ($2
# is $1 with its last character one higher); $3 the limit.
_SEARCH_USERS = f"""
SELECT {_USER_COLUMNS} FROM users
WHERE lower(username) COLLATE "C" >= $1 AND lower(username) COLLATE "C" < $2
ORDER BY length(username), lower(username) COLLATE "C"
LIMIT $3
"""

# A thread in one statement: $1 the tweet, $2 the viewer. ``up`` is the tweet
# (depth 0) and its parents (depth 1, 2 ...); ``down`` the replies below it, each
# with the path of ids that leads to it, whose order is the thread's (depth first,
# oldest first at each level), cut to the first MAX_DESCENDANTS. A reply that could
# not be among those is never followed: one deeper than MAX_DESCENDANTS, or beyond
# the MAX_DESCENDANTS-th reply to its parent. Replies come with their parent's id
# (depth -1) for ``depth_first`` to order them again.
_CONTEXT = f"""
WITH RECURSIVE up (id, parent_id, depth) AS (
    SELECT id, in_reply_to_id, 0 FROM tweets WHERE id = $1
    UNION ALL
    SELECT parent.id, parent.in_reply_to_id, up.depth + 1
    FROM up
    JOIN LATERAL (
        SELECT id, in_reply_to_id FROM tweets WHERE id = up.parent_id LIMIT 1
    ) AS parent ON true
),
down (id, parent_id, path) AS (
    SELECT id, in_reply_to_id, ARRAY[id] FROM (
        SELECT id, in_reply_to_id FROM tweets
        WHERE in_reply_to_id = $1
        ORDER BY id LIMIT {MAX_DESCENDANTS}
    ) AS replies
    UNION ALL
    SELECT reply.id, reply.in_reply_to_id, down.path || reply.id
    FROM down
    JOIN LATERAL (
        SELECT id, in_reply_to_id FROM tweets
        WHERE in_reply_to_id = down.id
        ORDER BY id LIMIT {MAX_DESCENDANTS}
    ) AS reply ON true
    WHERE cardinality(down.path) < {MAX_DESCENDANTS}
),
thread (tweet_id, parent_id, depth) AS (
    SELECT id, parent_id, depth FROM up
    UNION ALL
    (SELECT id, parent_id, -1 FROM down ORDER BY path LIMIT {MAX_DESCENDANTS})
)
SELECT r.depth, r.parent_id, {_card_columns("$2")}
FROM thread AS r
{_TWEET_OF_ROW}
{_AUTHOR}
"""


def _notifications(window: str, order: str) -> str:
    """A user's notifications (those in ``window``), newest first, each with its
    actor, none from users they mute or block; $1 the user, then hi, lo, offset,
    limit."""
    return f"""
SELECT p.id, r.id, r.type, r.tweet_id, r.created_at, r.read,
       u.id, u.username, u.created_at, u.display_name, u.bio
FROM (SELECT id FROM users WHERE id = $1) AS p
LEFT JOIN LATERAL (
    SELECT id, actor_id AS user_id, type, tweet_id, created_at, read FROM notifications
    WHERE {window}
      AND actor_id NOT IN ({_hidden_from("$1")})
    ORDER BY {order} OFFSET $4 LIMIT $5
) AS r ON true
{_USER_OF_ROW}
ORDER BY r.id DESC
"""


# One text per variant, each seeking in its own index: (recipient_id, id) for all
# of them, (recipient_id, read, id) for the unread ones. (A parameter choosing
# between them would leave a generic plan a filter where each variant has a seek.)
# The unread ones are ordered as that index is, ``read`` first (false throughout):
# the (recipient_id, id) index, which a generic plan otherwise finds as cheap (it
# cannot see how far the cursors reach), cannot give that order. All of them are
# windowed on the (recipient_id, id) key as a whole, as tagged tweets are: with
# ``recipient_id = p.id`` apart, a generic plan walked every notification by id
# instead, filtering on the recipient (on a young site's statistics, where each
# user has a large share of them).
_NOTIFICATIONS = _notifications(
    "(recipient_id, id) <= (p.id, $2) AND (recipient_id, id) > (p.id, $3)",
    "recipient_id DESC, id DESC",
)
_UNREAD_NOTIFICATIONS = _notifications(
    "recipient_id = p.id AND NOT read AND id <= $2 AND id > $3", "read DESC, id DESC"
)

# The cards of the tweets $1, in the order asked; $2 the viewer.
_CARDS = f"""
SELECT {_card_columns("$2")}
FROM unnest($1::bigint[]) WITH ORDINALITY AS r (tweet_id, position)
{_TWEET_OF_ROW}
{_AUTHOR}
ORDER BY r.position
"""

# The counts of each of the users $1, as _PROFILE counts them.
_ACCOUNT_COUNTS = """
SELECT u.id,
       (SELECT count(*) FROM tweets WHERE owner_id = u.id),
       (SELECT count(*) FROM follows WHERE followee_id = u.id),
       (SELECT count(*) FROM follows WHERE follower_id = u.id)
FROM users AS u
WHERE u.id = ANY($1::bigint[])
"""

# Where $1 stands with each of the users $2, in the order asked: an index probe per flag.
_RELATIONSHIPS = """
SELECT u.id,
       EXISTS (SELECT 1 FROM follows WHERE follower_id = $1 AND followee_id = u.id),
       EXISTS (SELECT 1 FROM follows WHERE follower_id = u.id AND followee_id = $1),
       EXISTS (SELECT 1 FROM blocks WHERE blocker_id = $1 AND blocked_id = u.id),
       EXISTS (SELECT 1 FROM blocks WHERE blocker_id = u.id AND blocked_id = $1),
       EXISTS (SELECT 1 FROM mutes WHERE muter_id = $1 AND muted_id = u.id)
FROM unnest($2::bigint[]) WITH ORDINALITY AS asked (id, position)
JOIN users AS u ON u.id = asked.id
ORDER BY asked.position
"""

_COUNTED = "SELECT attempts, window_started_at FROM login_attempts WHERE key = $1"

_UNREAD_COUNT = f"""
SELECT count(*) FROM notifications
WHERE recipient_id = $1 AND NOT read AND actor_id NOT IN ({_hidden_from("$1")})
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
    """A user from ``_USER_COLUMNS`` starting at column ``at``."""
    return UserView(*row[at : at + len(_USER_FIELDS)])


def _tweet_view(row: Row, at: int) -> TweetView:
    """A tweet from ``_TWEET_FIELDS`` starting at column ``at``."""
    (
        tweet_id,
        text,
        owner_id,
        like_count,
        created_at,
        thread_root_id,
        in_reply_to_id,
        in_reply_to_user_id,
        quoted_id,
        retweeted_id,
        reply_count,
        retweet_count,
        quote_count,
        entities,
    ) = row[at : at + len(_TWEET_FIELDS)]
    return TweetView(
        id=tweet_id,
        text=text,
        owner_id=owner_id,
        like_count=like_count,
        created_at=created_at,
        conversation_id=tweet_id if thread_root_id is None else thread_root_id,
        in_reply_to_user_id=in_reply_to_user_id,
        referenced_tweets=references(in_reply_to_id, quoted_id, retweeted_id),
        reply_count=reply_count,
        retweet_count=retweet_count,
        quote_count=quote_count,
        entities=stored_entities.load(entities),
    )


def _card(row: Row, at: int) -> TweetCard:
    """A card from ``_card_columns`` starting at column ``at`` (the last columns of
    the row), or from the original's record, which ends with the flags."""
    tweet = _tweet_view(row, at)
    author = at + len(_TWEET_FIELDS)
    flags = author + len(_AUTHOR_FIELDS)
    original = row[flags + 3] if len(row) > flags + 3 else None
    return TweetCard(
        tweet=tweet,
        author=UserView(tweet.owner_id, *row[author:flags]),
        liked_by_viewer=row[flags],
        retweeted_by_viewer=row[flags + 1],
        bookmarked_by_viewer=row[flags + 2],
        original=None if original is None else _card(tuple(original), 0),
    )


def _notification(row: Row) -> NotificationView:
    """A notification from ``_notifications``."""
    return NotificationView(
        id=row[1],
        type=NotificationType(row[2]),
        actor=_user(row, 6),
        tweet_id=row[3],
        created_at=row[4],
        read=row[5],
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
    it is sent. With ``replicas``, reads go to them where ``Replicas`` allows; the
    limits' counts and the checks themselves are read here.
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
        replicas: Replicas | None = None,
    ) -> None:
        parsed = make_url(url)
        if parsed.get_backend_name() != "postgresql":
            raise ValueError(f"not a PostgreSQL URL: {parsed!r}")
        self._dsn = parsed.set(drivername="postgresql").render_as_string(hide_password=False)
        self.name = f"{parsed.host}:{parsed.port or 5432}/{parsed.database}"
        """The database as host:port/name, without credentials (a metrics label)."""
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
        self._replicas = replicas

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
        if self._replicas is not None:
            await self._replicas.aclose()
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

    def pools(self) -> dict[str, tuple[int, int]]:
        """Connections in use and open, of this pool and each replica's, by ``name``."""
        pool = self._pool
        own = (0, 0) if pool is None else (pool.get_size() - pool.get_idle_size(), pool.get_size())
        found = {self.name: own}
        for state in () if self._replicas is None else self._replicas.states:
            found.update(state.reads.pools())
        return found

    def replica_lags(self) -> dict[str, float | None]:
        """Each replica's lag as last checked, by ``name``; None while it takes no reads."""
        if self._replicas is None:
            return {}
        return {state.reads.name: state.lag_if_usable for state in self._replicas.states}

    async def _pool_for_call(self, sql: str) -> Pool:
        pool = self._pool
        if pool is None or self._loop is not asyncio.get_running_loop():
            pool = await self._current_pool()
        if self.on_statement is not None:
            self.on_statement(sql)
        return pool

    async def _fetch(self, sql: str, *args: object, complete: bool = False) -> list[Row]:
        """``complete``: a list of everything (all tweets, a search), not one read
        through a parent row: no rows from a replica is an answer, not a parent the
        replica lacks, and is not asked of the primary again."""
        rows: list[Row] = await self._routed(
            sql, lambda pool: pool.fetch(sql, *args), ask_primary_if_missing=not complete
        )
        return rows

    async def _fetchrow(self, sql: str, *args: object) -> Row | None:
        return await self._routed(
            sql, lambda pool: pool.fetchrow(sql, *args), ask_primary_if_missing=True
        )

    async def fetchrow_here(self, sql: str, *args: object) -> Row | None:
        """One row from this database itself, never a replica of it."""
        return await self._here(sql, lambda pool: pool.fetchrow(sql, *args))

    async def _routed(
        self,
        sql: str,
        call: Callable[[Pool], Awaitable[Any]],
        *,
        ask_primary_if_missing: bool = False,
    ) -> Any:
        """``call`` on a replica when one may serve this read, else here. A replica
        that fails is left out and the read made here; with ``ask_primary_if_missing``
        what it does not have yet (a tweet posted a moment ago and linked to from
        elsewhere: no row, or a list without its parent row) is asked for here too."""
        replica = None if self._replicas is None else await self._replicas.choose(self)
        if replica is not None:
            try:
                found = await replica._here(sql, call)
            except _REPLICA_LOST as error:
                assert self._replicas is not None
                self._replicas.lost(replica, error)
            except asyncpg.PostgresError:
                # Cancelled there (replay needed what it read, 40001) or a timeout: the
                # primary answers, or raises the error for good.
                pass
            else:
                if not ask_primary_if_missing or found not in (None, []):
                    return found
        return await self._here(sql, call)

    async def _here(self, sql: str, call: Callable[[Pool], Awaitable[Any]]) -> Any:
        try:
            pool = await self._pool_for_call(sql)
            return await call(pool)
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
        return AccountView(*row)

    async def profile(self, username: str, viewer_id: int | None = None) -> ProfileView:
        row = None
        if is_valid_username(username):
            row = await self._fetchrow(_PROFILE, username, _viewer(viewer_id))
        if row is None:
            raise UserNotFound()
        return ProfileView(
            user=_user(row),
            tweet_count=row[5],
            like_count=row[6],
            follower_count=row[7],
            following_count=row[8],
            followed_by_viewer=row[9],
            blocked_by_viewer=row[10],
            muted_by_viewer=row[11],
            blocks_viewer=row[12],
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
        return _tweet_view(row, 0)

    # -- lists -------------------------------------------------------------------------

    async def users(self, page: PageRequest) -> Page[UserView]:
        sql = _USERS_SKIPPING if page.skip else _USERS
        rows = await self._fetch(sql, *_window(page), complete=True)
        users = [_user(row) for row in rows]
        return _page(users, [user.id for user in users], page)

    async def followers(self, user_id: int, page: PageRequest) -> Page[UserView]:
        return await self._users_through(_FOLLOWERS, user_id, page, UserNotFound())

    async def following(self, user_id: int, page: PageRequest) -> Page[UserView]:
        return await self._users_through(_FOLLOWING, user_id, page, UserNotFound())

    async def liking_users(self, tweet_id: int, page: PageRequest) -> Page[UserView]:
        return await self._users_through(_LIKING_USERS, tweet_id, page, TweetNotFound())

    async def retweeted_by(self, tweet_id: int, page: PageRequest) -> Page[UserView]:
        return await self._users_through(_RETWEETED_BY, tweet_id, page, TweetNotFound())

    async def _users_through(
        self, sql: str, parent_id: int, page: PageRequest, missing: Exception
    ) -> Page[UserView]:
        if not storable_id(parent_id):
            raise missing
        rows = _child_rows(await self._fetch(sql, parent_id, *_window(page)), missing)
        return _page([_user(row, 2) for row in rows], [row[1] for row in rows], page)

    async def blocking(self, user_id: int, page: PageRequest) -> Page[UserView]:
        return await self._users_through(_BLOCKING, user_id, page, UserNotFound())

    async def muting(self, user_id: int, page: PageRequest) -> Page[UserView]:
        return await self._users_through(_MUTING, user_id, page, UserNotFound())

    async def search_users(self, prefix: str, limit: int) -> list[UserView]:
        above = prefix[:-1] + chr(ord(prefix[-1]) + 1)
        rows = await self._fetch(_SEARCH_USERS, prefix, above, limit, complete=True)
        return [_user(row) for row in rows]

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
        rows = await self._fetch(sql, *_window(page), _viewer(viewer_id), complete=True)
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
        return await self._tweets_through(_LIKED_TWEETS, user_id, page, viewer_id, UserNotFound())

    async def quote_tweets(
        self, tweet_id: int, page: PageRequest, viewer_id: int | None = None
    ) -> Page[TweetCard]:
        return await self._tweets_through(_QUOTE_TWEETS, tweet_id, page, viewer_id, TweetNotFound())

    async def mentions(
        self, user_id: int, page: PageRequest, viewer_id: int | None = None
    ) -> Page[TweetCard]:
        return await self._tweets_through(_MENTIONS, user_id, page, viewer_id, UserNotFound())

    async def bookmarks(
        self, user_id: int, page: PageRequest, viewer_id: int | None = None
    ) -> Page[TweetCard]:
        return await self._tweets_through(_BOOKMARKS, user_id, page, viewer_id, UserNotFound())

    async def search_tweets(
        self, words: tuple[str, ...], page: PageRequest, viewer_id: int | None = None
    ) -> Page[TweetCard]:
        """Planned for these words every time. A generic plan cannot know whether
        they are common (walk the newest tweets, most match) or rare (the GIN index
        names the few that do), and either guess is seconds wrong at a million
        tweets; a custom plan sees the words' frequencies in the index statistics."""
        args = (" ".join(words), *_window(page), _viewer(viewer_id))

        async def custom_planned(pool: Pool) -> list[Row]:
            async with pool.acquire() as connection, connection.transaction(readonly=True):
                await connection.execute(_CUSTOM_PLANS)
                found: list[Row] = await connection.fetch(_SEARCH_TWEETS, *args)
                return found

        rows = await self._routed(_SEARCH_TWEETS, custom_planned)
        return _card_page([_card(row, 0) for row in rows], page)

    async def _tweets_through(
        self,
        sql: str,
        parent_id: int,
        page: PageRequest,
        viewer_id: int | None,
        missing: Exception,
    ) -> Page[TweetCard]:
        if not storable_id(parent_id):
            raise missing
        rows = await self._fetch(sql, parent_id, *_window(page), _viewer(viewer_id))
        listed = _child_rows(rows, missing)
        return _page([_card(row, 2) for row in listed], [row[1] for row in listed], page)

    async def tagged_tweets(
        self, tag: str, page: PageRequest, viewer_id: int | None = None
    ) -> Page[TweetCard]:
        key = key_of_tag(tag)
        if key is None:
            return Page(items=[], next_cursor=None)
        rows = await self._fetch(
            _TAGGED_TWEETS, key, *_window(page), _viewer(viewer_id), complete=True
        )
        return _card_page([_card(row, 0) for row in rows], page)

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

    async def context(self, tweet_id: int, viewer_id: int | None = None) -> ConversationView:
        rows = []
        if storable_id(tweet_id):
            rows = await self._fetch(_CONTEXT, tweet_id, _viewer(viewer_id))
        if not any(row[0] == 0 for row in rows):
            raise TweetNotFound()
        above = sorted((row for row in rows if row[0] > 0), key=lambda row: -row[0])
        below = ((row[2], row[1], _card(row, 2)) for row in rows if row[0] < 0)
        return ConversationView(
            ancestors=[_card(row, 2) for row in above],
            descendants=[ThreadReply(depth, card) for depth, card in depth_first(tweet_id, below)],
        )

    async def notifications(
        self, user_id: int, page: PageRequest, *, unread_only: bool = False
    ) -> Page[NotificationView]:
        if not storable_id(user_id):
            raise UserNotFound()
        sql = _UNREAD_NOTIFICATIONS if unread_only else _NOTIFICATIONS
        rows = _child_rows(await self._fetch(sql, user_id, *_window(page)), UserNotFound())
        notifications = [_notification(row) for row in rows]
        return _page(notifications, [n.id for n in notifications], page)

    async def relationships(
        self, viewer_id: int, user_ids: Sequence[int]
    ) -> list[RelationshipView]:
        wanted = [user_id for user_id in dict.fromkeys(user_ids) if storable_id(user_id)]
        if not wanted or not storable_id(viewer_id):
            return []
        rows = await self._fetch(_RELATIONSHIPS, viewer_id, wanted)
        return [RelationshipView(*row) for row in rows]

    async def cards(
        self, tweet_ids: Sequence[int], viewer_id: int | None = None
    ) -> list[TweetCard]:
        wanted = [tweet_id for tweet_id in dict.fromkeys(tweet_ids) if storable_id(tweet_id)]
        if not wanted:
            return []
        rows = await self._fetch(_CARDS, wanted, _viewer(viewer_id))
        return [_card(row, 0) for row in rows]

    async def account_counts(self, user_ids: Iterable[int]) -> dict[int, AccountCounts]:
        wanted = sorted({user_id for user_id in user_ids if storable_id(user_id)})
        if not wanted:
            return {}
        rows = await self._fetch(_ACCOUNT_COUNTS, wanted)
        return {row[0]: AccountCounts(row[1], row[2], row[3]) for row in rows}

    async def counted(self, key: str) -> tuple[int, datetime] | None:
        # A limit's count is read where it is written: a replica's could be behind.
        row = await self.fetchrow_here(_COUNTED, key)
        return None if row is None else (row[0], row[1])

    async def unread_notifications(self, user_id: int) -> int:
        if not storable_id(user_id):
            return 0
        [row] = await self._fetch(_UNREAD_COUNT, user_id)
        count: int = row[0]
        return count


def _card_page(cards: list[TweetCard], page: PageRequest) -> Page[TweetCard]:
    return _page(cards, [card.tweet.id for card in cards], page)
