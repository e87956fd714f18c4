"""The schema as SQLAlchemy ``Table`` objects on one ``MetaData``.

Alembic compares these with the migrations; constraints mirror the domain's rules.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    DateTime,
    Dialect,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    event,
    false,
    func,
    text,
)
from sqlalchemy.dialects import postgresql  # noqa: F401 (types func.to_tsvector for PostgreSQL)
from sqlalchemy.schema import DDL
from sqlalchemy.types import TypeDecorator

from twitter.adapters import stored_entities
from twitter.domain.entities import TweetEntities

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = MetaData(naming_convention=NAMING_CONVENTION)

# 64-bit ids on PostgreSQL; SQLite only auto-increments an INTEGER PRIMARY KEY, and
# every table says AUTOINCREMENT so that SQLite, like a sequence, never hands out the
# id of a deleted row again (an old token must not become someone else's).
Id = BigInteger().with_variant(Integer(), "sqlite")


class UtcDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on every database (SQLite keeps no offset)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given where an aware one is required")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        assert isinstance(value, datetime)
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class EntitiesJson(TypeDecorator[TweetEntities]):
    """A tweet's entities as compact JSON text (``twitter.adapters.stored_entities``)."""

    impl = Text()
    cache_ok = True

    def process_bind_param(self, value: TweetEntities | None, dialect: Dialect) -> str | None:
        return None if value is None else stored_entities.dump(value)

    def process_result_value(self, value: Any, dialect: Dialect) -> TweetEntities | None:
        return None if value is None else stored_entities.load(value)


def _counter(name: str) -> Column[int]:
    return Column(name, Integer, nullable=False, server_default="0")


def _created_at() -> Column[datetime]:
    return Column("created_at", UtcDateTime(), nullable=False, server_default=func.now())


users = Table(
    "users",
    metadata,
    Column("id", Id, primary_key=True),
    Column("email", String(254), nullable=False),
    Column("username", String(15), nullable=False),
    Column("hashed_password", String(255), nullable=False),
    _created_at(),
    Column("display_name", String(50), nullable=False),
    # text("''"), not "": SQLite reflects the default as '', which Alembic would
    # report as differing from a plain empty string.
    Column("bio", String(160), nullable=False, server_default=text("''")),
    UniqueConstraint("email"),
    CheckConstraint("email = lower(email)", name="email_lower_case"),
    CheckConstraint("length(username) BETWEEN 1 AND 15", name="username_length"),
    sqlite_autoincrement=True,
)
# Usernames are unique case-insensitively; lookups use the same expression.
Index("uq_users_username_lower", func.lower(users.c.username), unique=True)

tweets = Table(
    "tweets",
    metadata,
    Column("id", Id, primary_key=True),
    Column("text", String(280), nullable=False),
    Column("owner_id", Id, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    _counter("like_count"),
    _created_at(),
    # The thread's first tweet; NULL for a tweet that starts its own. No foreign key:
    # a conversation keeps its id when its first tweet is deleted.
    Column("thread_root_id", Id),
    Column("in_reply_to_id", Id, ForeignKey("tweets.id", ondelete="SET NULL")),
    Column("in_reply_to_user_id", Id),
    # No foreign key: a quote keeps pointing at a quoted tweet that was deleted.
    Column("quoted_id", Id),
    Column("retweeted_id", Id, ForeignKey("tweets.id", ondelete="CASCADE")),
    _counter("reply_count"),
    _counter("retweet_count"),
    _counter("quote_count"),
    Column("entities", EntitiesJson(), nullable=False, server_default=stored_entities.NONE),
    # The words it is found by (twitter.domain.search); NULL for a retweet.
    Column("search_text", Text),
    CheckConstraint("length(text) BETWEEN 1 AND 280", name="text_length"),
    CheckConstraint("like_count >= 0", name="like_count_not_negative"),
    CheckConstraint("reply_count >= 0", name="reply_count_not_negative"),
    CheckConstraint("retweet_count >= 0", name="retweet_count_not_negative"),
    CheckConstraint("quote_count >= 0", name="quote_count_not_negative"),
    CheckConstraint(
        "retweeted_id IS NULL OR (in_reply_to_id IS NULL AND quoted_id IS NULL"
        " AND thread_root_id IS NULL)",
        name="retweet_is_only_a_retweet",
    ),
    Index(None, "owner_id", "id"),
    # One retweet per user and tweet; NULLs (the tweets that are no retweets) never clash.
    UniqueConstraint("owner_id", "retweeted_id"),
    Index(None, "retweeted_id", "id"),
    Index(None, "quoted_id", "id"),
    Index(None, "in_reply_to_id", "id"),
    sqlite_autoincrement=True,
)

# Search. PostgreSQL: a GIN index over the tsvector of the words (the "simple"
# configuration only splits them: the domain has already folded case and accents).
# SQLite: an FTS5 index of the same words, kept in step by triggers.
SEARCH_CONFIGURATION = text("'simple'::regconfig")
search_vector = func.to_tsvector(SEARCH_CONFIGURATION, tweets.c.search_text)
"""What the search index holds: a query's condition must use it as it is."""
Index("ix_tweets_search", search_vector, postgresql_using="gin").ddl_if(dialect="postgresql")
# The planner picks the GIN index or a walk down the newest tweets by how common it
# thinks the words are, from the most common ones ANALYZE keeps. At the default 100
# (1,000 words kept) every other word was taken for one in a thousand tweets: a rare
# word's search walked the whole table (2.5 s at a million tweets). 10,000 keeps
# 100,000 words, so a word not among them is rare indeed; ANALYZE then reads the whole
# table up to 3 million rows (10 s at a million) and planning a search takes 0.8 ms.
SEARCH_STATISTICS_TARGET = 10_000
event.listen(
    tweets,
    "after_create",
    DDL(  # type: ignore[no-untyped-call]
        f"ALTER INDEX ix_tweets_search ALTER COLUMN 1 SET STATISTICS {SEARCH_STATISTICS_TARGET}"
    ).execute_if(dialect="postgresql"),
)
# Usernames by prefix: the bytewise order keeps each prefix's names together.
Index("ix_users_username_prefix", func.lower(users.c.username).collate("C")).ddl_if(
    dialect="postgresql"
)
for _statement in (
    "CREATE VIRTUAL TABLE tweets_search USING fts5(search_text, content='tweets',"
    " content_rowid='id', tokenize='unicode61 remove_diacritics 0')",
    "CREATE TRIGGER tweets_search_insert AFTER INSERT ON tweets"
    " WHEN new.search_text IS NOT NULL BEGIN"
    " INSERT INTO tweets_search(rowid, search_text) VALUES (new.id, new.search_text); END",
    "CREATE TRIGGER tweets_search_delete AFTER DELETE ON tweets"
    " WHEN old.search_text IS NOT NULL BEGIN"
    " INSERT INTO tweets_search(tweets_search, rowid, search_text)"
    " VALUES ('delete', old.id, old.search_text); END",
):
    event.listen(tweets, "after_create", DDL(_statement).execute_if(dialect="sqlite"))  # type: ignore[no-untyped-call]
event.listen(
    tweets,
    "before_drop",
    DDL("DROP TABLE IF EXISTS tweets_search").execute_if(dialect="sqlite"),  # type: ignore[no-untyped-call]
)

tweet_hashtags = Table(
    "tweet_hashtags",
    metadata,
    Column("tag", String(280), primary_key=True),
    Column("tweet_id", Id, ForeignKey("tweets.id", ondelete="CASCADE"), primary_key=True),
    Index(None, "tweet_id"),
)
"""Each hashtag of each tweet (not retweet) once, by ``tag_key``: the tag timelines."""

tweet_mentions = Table(
    "tweet_mentions",
    metadata,
    Column("user_id", Id, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("tweet_id", Id, ForeignKey("tweets.id", ondelete="CASCADE"), primary_key=True),
    Index(None, "tweet_id"),
)
"""Each user each tweet (not retweet) mentions, once: the mentions lists."""

likes = Table(
    "likes",
    metadata,
    Column("id", Id, primary_key=True),
    Column("owner_id", Id, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("tweet_id", Id, ForeignKey("tweets.id", ondelete="CASCADE"), nullable=False),
    _created_at(),
    UniqueConstraint("owner_id", "tweet_id"),
    Index(None, "owner_id", "id"),
    Index(None, "tweet_id", "id"),
    sqlite_autoincrement=True,
)

follows = Table(
    "follows",
    metadata,
    Column("id", Id, primary_key=True),
    Column("follower_id", Id, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("followee_id", Id, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    _created_at(),
    UniqueConstraint("follower_id", "followee_id"),
    CheckConstraint("follower_id <> followee_id", name="no_self_follow"),
    Index(None, "follower_id", "id"),
    Index(None, "followee_id", "id"),
    sqlite_autoincrement=True,
)

notifications = Table(
    "notifications",
    metadata,
    Column("id", Id, primary_key=True),
    Column("recipient_id", Id, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("actor_id", Id, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("type", String(10), nullable=False),
    Column("tweet_id", Id, ForeignKey("tweets.id", ondelete="CASCADE")),
    _created_at(),
    Column("read", Boolean, nullable=False, server_default=false()),
    CheckConstraint(
        "type IN ('like', 'follow', 'reply', 'mention', 'retweet', 'quote')", name="known_type"
    ),
    CheckConstraint("recipient_id <> actor_id", name="not_of_ones_own_action"),
    CheckConstraint("(type = 'follow') = (tweet_id IS NULL)", name="tweet_unless_follow"),
    Index(None, "recipient_id", "id"),
    Index(None, "recipient_id", "read", "id"),
    Index(None, "actor_id"),
    Index(None, "tweet_id"),
    sqlite_autoincrement=True,
)

blocks = Table(
    "blocks",
    metadata,
    Column("id", Id, primary_key=True),
    Column("blocker_id", Id, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("blocked_id", Id, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    _created_at(),
    UniqueConstraint("blocker_id", "blocked_id"),
    CheckConstraint("blocker_id <> blocked_id", name="no_self_block"),
    Index(None, "blocker_id", "id"),
    Index(None, "blocked_id"),
    sqlite_autoincrement=True,
)

mutes = Table(
    "mutes",
    metadata,
    Column("id", Id, primary_key=True),
    Column("muter_id", Id, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("muted_id", Id, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    _created_at(),
    UniqueConstraint("muter_id", "muted_id"),
    CheckConstraint("muter_id <> muted_id", name="no_self_mute"),
    Index(None, "muter_id", "id"),
    Index(None, "muted_id"),
    sqlite_autoincrement=True,
)

bookmarks = Table(
    "bookmarks",
    metadata,
    Column("id", Id, primary_key=True),
    Column("owner_id", Id, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("tweet_id", Id, ForeignKey("tweets.id", ondelete="CASCADE"), nullable=False),
    _created_at(),
    UniqueConstraint("owner_id", "tweet_id"),
    Index(None, "owner_id", "id"),
    Index(None, "tweet_id"),
    sqlite_autoincrement=True,
)
"""Private: only their owner lists them, and nobody hears of them."""

oauth_apps = Table(
    "oauth_apps",
    metadata,
    Column("id", Id, primary_key=True),
    Column("client_id", String(64), nullable=False, unique=True),
    Column("client_secret_hash", String(64), nullable=False),
    Column("name", String(100), nullable=False),
    Column("website", Text),
    Column("redirect_uris", Text, nullable=False),
    Column("scopes", Text, nullable=False),
    _created_at(),
    CheckConstraint("length(name) BETWEEN 1 AND 100", name="name_length"),
    sqlite_autoincrement=True,
)
"""Mastodon clients' apps: redirect URIs one per line, scopes space-separated; the
secret only as its SHA-256 (it is random, so a slow hash would add nothing)."""

authorization_codes = Table(
    "authorization_codes",
    metadata,
    Column("code_hash", String(64), primary_key=True),
    Column("app_id", Id, ForeignKey("oauth_apps.id", ondelete="CASCADE"), nullable=False),
    Column("user_id", Id, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("scopes", Text, nullable=False),
    Column("redirect_uri", Text, nullable=False),
    Column("code_challenge", String(128)),
    Column("expires_at", UtcDateTime(), nullable=False),
    Index(None, "expires_at"),
    Index(None, "app_id"),
    Index(None, "user_id"),
)
"""The codes of users' consents (``/oauth/authorize``), by their SHA-256, until an
app exchanges them for a token or they expire."""

idempotency_keys = Table(
    "idempotency_keys",
    metadata,
    Column("caller", String(80), primary_key=True),
    Column("key", String(255), primary_key=True),
    Column("fingerprint", String(64), nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("status", Integer),
    Column("content_type", String(255)),
    Column("body", LargeBinary, nullable=False, server_default=text("''")),
    CheckConstraint("status IS NULL OR status BETWEEN 100 AND 599", name="status_is_http"),
    Index(None, "created_at"),
)
"""Answers to requests made with an ``Idempotency-Key`` (see
``twitter.application.idempotency``), per caller and key; NULL status while the
first request is being answered. Shared by every process serving the database."""

login_attempts = Table(
    "login_attempts",
    metadata,
    Column("key", String(80), primary_key=True),
    Column("attempts", Integer, nullable=False),
    Column("window_started_at", UtcDateTime(), nullable=False),
    CheckConstraint("attempts >= 0", name="attempts_not_negative"),
    Index(None, "window_started_at"),
)
"""Login attempts per client, client on a login, or login, and time window (see
``LoginThrottle``): shared by every process serving the database."""

revoked_tokens = Table(
    "revoked_tokens",
    metadata,
    Column("token_id", String(32), primary_key=True),
    Column("expires_at", UtcDateTime(), nullable=False),
    Index(None, "expires_at"),
)
"""Access tokens revoked (logged out) before they expire, by their ``jti``; a row
outlives its token only until the next revocation prunes it."""

write_positions = Table(
    "write_positions",
    metadata,
    Column("user_id", Id, primary_key=True),
    Column("wal_position", BigInteger, nullable=False),
)
"""Where the primary's write-ahead log stood after each user's latest write, kept only
while read replicas are configured: their reads go to a replica once it has replayed
that far. UNLOGGED on PostgreSQL (no WAL of its own, emptied by a crash, which at worst
sends a read to a replica a moment behind)."""
