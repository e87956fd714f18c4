"""conversations

Replies, quotes and retweets as columns of tweets (each reference to an older
tweet), their counters, the entities found in a tweet's text, the tables the tag
and mention lists read (``tweet_hashtags``, ``tweet_mentions``), notifications,
and a display name and a bio for every user (an existing user's display name is
their username).

SQLite alters a table by copying it ("move and copy" batch mode); that drops the
old table, which must not cascade to the rows referring to it, so foreign keys
are off meanwhile. Its copy keeps AUTOINCREMENT only when told (``table_kwargs``),
with its counter only when that is put back, and loses the expression index on
``lower(username)``, which is made again.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03
"""

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
AUTOINCREMENT = {"sqlite_autoincrement": True}
CONVERSATION_COLUMNS = (
    "thread_root_id",
    "in_reply_to_id",
    "in_reply_to_user_id",
    "quoted_id",
    "retweeted_id",
)
COUNTERS = ("reply_count", "retweet_count", "quote_count")
RETWEET_IS_ONLY_A_RETWEET = (
    "retweeted_id IS NULL OR (in_reply_to_id IS NULL AND quoted_id IS NULL"
    " AND thread_root_id IS NULL)"
)
# (name, column, ondelete) of the foreign keys between tweets.
TWEET_FOREIGN_KEYS = (
    ("fk_tweets_in_reply_to_id_tweets", "in_reply_to_id", "SET NULL"),
    ("fk_tweets_retweeted_id_tweets", "retweeted_id", "CASCADE"),
)
TWEET_INDEXES = ("retweeted_id", "quoted_id", "in_reply_to_id")


def _created_at() -> sa.Column:
    return sa.Column(
        "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
    )


@contextmanager
def _tables_copied_in_sqlite() -> Iterator[None]:
    """Around batch operations that copy tables, on SQLite: foreign keys off (a pragma
    that only takes effect outside a transaction); the username index, which SQLite
    cannot reflect and a copy of users would lose, made again afterwards; and the
    AUTOINCREMENT counters put back, which a copy would lower to the largest id left
    (handing a deleted user's id, and their old tokens, to someone new)."""
    if op.get_bind().dialect.name != "sqlite":
        yield
        return
    with op.get_context().autocommit_block():
        op.execute("PRAGMA foreign_keys=OFF")
    counters = op.get_bind().execute(sa.text("SELECT name, seq FROM sqlite_sequence")).all()
    op.drop_index("uq_users_username_lower", table_name="users")
    try:
        yield
        op.create_index(
            "uq_users_username_lower", "users", [sa.text("lower(username)")], unique=True
        )
        connection = op.get_bind()
        for name, seq in counters:
            values = {"name": name, "seq": seq}
            connection.execute(sa.text("DELETE FROM sqlite_sequence WHERE name = :name"), values)
            connection.execute(sa.text("INSERT INTO sqlite_sequence VALUES (:name, :seq)"), values)
    finally:
        with op.get_context().autocommit_block():
            op.execute("PRAGMA foreign_keys=ON")


def upgrade() -> None:
    with _tables_copied_in_sqlite():
        with op.batch_alter_table("users", table_kwargs=AUTOINCREMENT) as batch:
            batch.add_column(sa.Column("display_name", sa.String(length=50), nullable=True))
            batch.add_column(
                sa.Column(
                    "bio", sa.String(length=160), server_default=sa.text("''"), nullable=False
                )
            )
        op.execute("UPDATE users SET display_name = username")
        with op.batch_alter_table("users", table_kwargs=AUTOINCREMENT) as batch:
            batch.alter_column("display_name", existing_type=sa.String(length=50), nullable=False)

        with op.batch_alter_table("tweets", table_kwargs=AUTOINCREMENT) as batch:
            for name in CONVERSATION_COLUMNS:
                batch.add_column(sa.Column(name, Id, nullable=True))
            for name in COUNTERS:
                batch.add_column(sa.Column(name, sa.Integer(), server_default="0", nullable=False))
            batch.add_column(sa.Column("entities", sa.Text(), server_default="{}", nullable=False))
            for name in COUNTERS:
                batch.create_check_constraint(
                    op.f(f"ck_tweets_{name}_not_negative"), f"{name} >= 0"
                )
            batch.create_check_constraint(
                op.f("ck_tweets_retweet_is_only_a_retweet"), RETWEET_IS_ONLY_A_RETWEET
            )
            for name, column, ondelete in TWEET_FOREIGN_KEYS:
                batch.create_foreign_key(op.f(name), "tweets", [column], ["id"], ondelete=ondelete)
            batch.create_unique_constraint(
                op.f("uq_tweets_owner_id_retweeted_id"), ["owner_id", "retweeted_id"]
            )
            for column in TWEET_INDEXES:
                batch.create_index(op.f(f"ix_tweets_{column}_id"), [column, "id"])

    op.create_table(
        "tweet_hashtags",
        sa.Column("tag", sa.String(length=280), nullable=False),
        sa.Column("tweet_id", Id, nullable=False),
        sa.ForeignKeyConstraint(
            ["tweet_id"],
            ["tweets.id"],
            name=op.f("fk_tweet_hashtags_tweet_id_tweets"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("tag", "tweet_id", name=op.f("pk_tweet_hashtags")),
    )
    op.create_index(op.f("ix_tweet_hashtags_tweet_id"), "tweet_hashtags", ["tweet_id"])
    op.create_table(
        "tweet_mentions",
        sa.Column("user_id", Id, nullable=False),
        sa.Column("tweet_id", Id, nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_tweet_mentions_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tweet_id"],
            ["tweets.id"],
            name=op.f("fk_tweet_mentions_tweet_id_tweets"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", "tweet_id", name=op.f("pk_tweet_mentions")),
    )
    op.create_index(op.f("ix_tweet_mentions_tweet_id"), "tweet_mentions", ["tweet_id"])
    op.create_table(
        "notifications",
        sa.Column("id", Id, nullable=False),
        sa.Column("recipient_id", Id, nullable=False),
        sa.Column("actor_id", Id, nullable=False),
        sa.Column("type", sa.String(length=10), nullable=False),
        sa.Column("tweet_id", Id, nullable=True),
        _created_at(),
        sa.Column("read", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.CheckConstraint(
            "type IN ('like', 'follow', 'reply', 'mention', 'retweet', 'quote')",
            name=op.f("ck_notifications_known_type"),
        ),
        sa.CheckConstraint(
            "recipient_id <> actor_id", name=op.f("ck_notifications_not_of_ones_own_action")
        ),
        sa.CheckConstraint(
            "(type = 'follow') = (tweet_id IS NULL)",
            name=op.f("ck_notifications_tweet_unless_follow"),
        ),
        sa.ForeignKeyConstraint(
            ["recipient_id"],
            ["users.id"],
            name=op.f("fk_notifications_recipient_id_users"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["actor_id"],
            ["users.id"],
            name=op.f("fk_notifications_actor_id_users"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tweet_id"],
            ["tweets.id"],
            name=op.f("fk_notifications_tweet_id_tweets"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notifications")),
        sqlite_autoincrement=True,
    )
    op.create_index(
        op.f("ix_notifications_recipient_id_id"), "notifications", ["recipient_id", "id"]
    )
    op.create_index(
        op.f("ix_notifications_recipient_id_read_id"),
        "notifications",
        ["recipient_id", "read", "id"],
    )
    op.create_index(op.f("ix_notifications_actor_id"), "notifications", ["actor_id"])
    op.create_index(op.f("ix_notifications_tweet_id"), "notifications", ["tweet_id"])


def downgrade() -> None:
    op.drop_table("notifications")
    op.drop_table("tweet_mentions")
    op.drop_table("tweet_hashtags")
    # A retweet is no tweet of its own before this revision: it goes (with what the
    # database cascades to). Replies and quotes stay, as plain tweets.
    op.execute("DELETE FROM tweets WHERE retweeted_id IS NOT NULL")
    with _tables_copied_in_sqlite():
        with op.batch_alter_table("tweets", table_kwargs=AUTOINCREMENT) as batch:
            for column in TWEET_INDEXES:
                batch.drop_index(op.f(f"ix_tweets_{column}_id"))
            batch.drop_constraint(op.f("uq_tweets_owner_id_retweeted_id"), type_="unique")
            for name, _, _ in TWEET_FOREIGN_KEYS:
                batch.drop_constraint(op.f(name), type_="foreignkey")
            batch.drop_constraint(op.f("ck_tweets_retweet_is_only_a_retweet"), type_="check")
            for name in COUNTERS:
                batch.drop_constraint(op.f(f"ck_tweets_{name}_not_negative"), type_="check")
            for name in ("entities", *COUNTERS, *CONVERSATION_COLUMNS):
                batch.drop_column(name)
        with op.batch_alter_table("users", table_kwargs=AUTOINCREMENT) as batch:
            batch.drop_column("bio")
            batch.drop_column("display_name")
