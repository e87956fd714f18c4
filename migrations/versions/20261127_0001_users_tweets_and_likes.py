"""users, tweets and likes

The seed's three tables, with the constraints behind the domain's rules: unique
lower-cased email, unique username in any case, text length, a counter that is
never negative, one like per (user, tweet), and foreign keys that cascade.

Revision ID: 0001
Revises:
Create Date: 2026-11-27
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _created_at() -> sa.Column:
    return sa.Column(
        "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
    )


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", Id, nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("username", sa.String(length=15), nullable=False),
        sa.Column("hashed_password", sa.String(length=255), nullable=False),
        _created_at(),
        sa.CheckConstraint("email = lower(email)", name=op.f("ck_users_email_lower_case")),
        sa.CheckConstraint(
            "length(username) BETWEEN 1 AND 15", name=op.f("ck_users_username_length")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("email", name=op.f("uq_users_email")),
        sqlite_autoincrement=True,
    )
    op.create_index(
        "uq_users_username_lower", "users", [sa.text("lower(username)")], unique=True
    )
    op.create_table(
        "tweets",
        sa.Column("id", Id, nullable=False),
        sa.Column("text", sa.String(length=280), nullable=False),
        sa.Column("owner_id", Id, nullable=False),
        sa.Column("like_count", sa.Integer(), server_default="0", nullable=False),
        _created_at(),
        sa.CheckConstraint("length(text) BETWEEN 1 AND 280", name=op.f("ck_tweets_text_length")),
        sa.CheckConstraint("like_count >= 0", name=op.f("ck_tweets_like_count_not_negative")),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["users.id"], name=op.f("fk_tweets_owner_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tweets")),
        sqlite_autoincrement=True,
    )
    op.create_index(op.f("ix_tweets_owner_id_id"), "tweets", ["owner_id", "id"])
    op.create_table(
        "likes",
        sa.Column("id", Id, nullable=False),
        sa.Column("owner_id", Id, nullable=False),
        sa.Column("tweet_id", Id, nullable=False),
        _created_at(),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["users.id"], name=op.f("fk_likes_owner_id_users"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["tweet_id"], ["tweets.id"], name=op.f("fk_likes_tweet_id_tweets"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_likes")),
        sa.UniqueConstraint("owner_id", "tweet_id", name=op.f("uq_likes_owner_id_tweet_id")),
        sqlite_autoincrement=True,
    )
    op.create_index(op.f("ix_likes_owner_id_id"), "likes", ["owner_id", "id"])
    op.create_index(op.f("ix_likes_tweet_id_id"), "likes", ["tweet_id", "id"])


def downgrade() -> None:
    op.drop_table("likes")
    op.drop_table("tweets")
    op.drop_table("users")
