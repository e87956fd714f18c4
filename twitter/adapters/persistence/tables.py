"""The schema as SQLAlchemy ``Table`` objects on one ``MetaData``.

Alembic compares these with the migrations; constraints mirror the domain's rules.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Column,
    DateTime,
    Dialect,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    UniqueConstraint,
    func,
)
from sqlalchemy.types import TypeDecorator

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
    Column("like_count", Integer, nullable=False, server_default="0"),
    _created_at(),
    CheckConstraint("length(text) BETWEEN 1 AND 280", name="text_length"),
    CheckConstraint("like_count >= 0", name="like_count_not_negative"),
    Index(None, "owner_id", "id"),
    sqlite_autoincrement=True,
)

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
