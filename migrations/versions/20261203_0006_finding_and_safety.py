"""finding and safety

The words each tweet is found by (``tweets.search_text``, worked out by
``twitter.domain.search`` for the tweets already there) and their index: a GIN
index over their tsvector on PostgreSQL, an FTS5 table kept in step by triggers on
SQLite. An index of usernames by prefix on PostgreSQL (bytewise, so that a prefix's
names lie together). Blocks, mutes and bookmarks.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from twitter.domain.search import search_text_of

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

Id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
AUTOINCREMENT = {"sqlite_autoincrement": True}
BACKFILL_BATCH = 5000

# As tables.py says why: the planner must know the rare words to pick the index for them.
SEARCH_STATISTICS = "ALTER INDEX ix_tweets_search ALTER COLUMN 1 SET STATISTICS 10000"

SQLITE_SEARCH = (
    "CREATE VIRTUAL TABLE tweets_search USING fts5(search_text, content='tweets',"
    " content_rowid='id', tokenize='unicode61 remove_diacritics 0')",
    "CREATE TRIGGER tweets_search_insert AFTER INSERT ON tweets"
    " WHEN new.search_text IS NOT NULL BEGIN"
    " INSERT INTO tweets_search(rowid, search_text) VALUES (new.id, new.search_text); END",
    "CREATE TRIGGER tweets_search_delete AFTER DELETE ON tweets"
    " WHEN old.search_text IS NOT NULL BEGIN"
    " INSERT INTO tweets_search(tweets_search, rowid, search_text)"
    " VALUES ('delete', old.id, old.search_text); END",
)


def _created_at() -> sa.Column:
    return sa.Column(
        "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
    )


def _between_users(table: str, subject: str, target: str, check: str) -> None:
    """A table of one user's relation to another (a block, a mute): once per pair,
    never with oneself."""
    op.create_table(
        table,
        sa.Column("id", Id, nullable=False),
        sa.Column(subject, Id, nullable=False),
        sa.Column(target, Id, nullable=False),
        _created_at(),
        sa.CheckConstraint(f"{subject} <> {target}", name=op.f(f"ck_{table}_{check}")),
        *(
            sa.ForeignKeyConstraint(
                [column], ["users.id"], name=op.f(f"fk_{table}_{column}_users"), ondelete="CASCADE"
            )
            for column in (subject, target)
        ),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}")),
        sa.UniqueConstraint(subject, target, name=op.f(f"uq_{table}_{subject}_{target}")),
        **AUTOINCREMENT,
    )
    op.create_index(op.f(f"ix_{table}_{subject}_id"), table, [subject, "id"])
    op.create_index(op.f(f"ix_{table}_{target}"), table, [target])


def upgrade() -> None:
    op.add_column("tweets", sa.Column("search_text", sa.Text(), nullable=True))
    _backfill_search_text()
    if op.get_bind().dialect.name == "postgresql":
        op.create_index(
            "ix_tweets_search",
            "tweets",
            [sa.text("to_tsvector('simple'::regconfig, search_text)")],
            postgresql_using="gin",
        )
        op.execute(SEARCH_STATISTICS)
        op.create_index(
            "ix_users_username_prefix", "users", [sa.text('(lower(username) COLLATE "C")')]
        )
    else:
        for statement in SQLITE_SEARCH:
            op.execute(statement)
        op.execute("INSERT INTO tweets_search(tweets_search) VALUES ('rebuild')")
    _between_users("blocks", "blocker_id", "blocked_id", "no_self_block")
    _between_users("mutes", "muter_id", "muted_id", "no_self_mute")
    op.create_table(
        "bookmarks",
        sa.Column("id", Id, nullable=False),
        sa.Column("owner_id", Id, nullable=False),
        sa.Column("tweet_id", Id, nullable=False),
        _created_at(),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["users.id"], name=op.f("fk_bookmarks_owner_id_users"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["tweet_id"],
            ["tweets.id"],
            name=op.f("fk_bookmarks_tweet_id_tweets"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bookmarks")),
        sa.UniqueConstraint("owner_id", "tweet_id", name=op.f("uq_bookmarks_owner_id_tweet_id")),
        **AUTOINCREMENT,
    )
    op.create_index(op.f("ix_bookmarks_owner_id_id"), "bookmarks", ["owner_id", "id"])
    op.create_index(op.f("ix_bookmarks_tweet_id"), "bookmarks", ["tweet_id"])


def _backfill_search_text() -> None:
    """Each tweet (not retweet) already there gets its words, in batches by id."""
    connection = op.get_bind()
    tweets = sa.table(
        "tweets",
        sa.column("id", Id),
        sa.column("text", sa.Text()),
        sa.column("retweeted_id", Id),
        sa.column("search_text", sa.Text()),
    )
    update = (
        sa.update(tweets)
        .where(tweets.c.id == sa.bindparam("key"))
        .values(search_text=sa.bindparam("words"))
    )
    after = 0
    while True:
        rows = connection.execute(
            sa.select(tweets.c.id, tweets.c.text)
            .where(tweets.c.id > after, tweets.c.retweeted_id.is_(None))
            .order_by(tweets.c.id)
            .limit(BACKFILL_BATCH)
        ).all()
        if not rows:
            return
        connection.execute(update, [{"key": key, "words": search_text_of(t)} for key, t in rows])
        after = rows[-1][0]


def downgrade() -> None:
    op.drop_table("bookmarks")
    op.drop_table("mutes")
    op.drop_table("blocks")
    if op.get_bind().dialect.name == "postgresql":
        op.drop_index("ix_users_username_prefix", table_name="users")
        op.drop_index("ix_tweets_search", table_name="tweets")
    else:
        op.execute("DROP TRIGGER tweets_search_delete")
        op.execute("DROP TRIGGER tweets_search_insert")
        op.execute("DROP TABLE tweets_search")
    # Not batch mode: SQLite drops a column in place, without copying the table.
    op.execute("ALTER TABLE tweets DROP COLUMN search_text")
