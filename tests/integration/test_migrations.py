"""Alembic migrations on a fresh SQLite file and a fresh PostgreSQL database.

The migrations own the schema; ``tables.py`` must describe exactly what they build,
they must go down to nothing and up again, and data must survive an upgrade.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from dependency_injector import providers
from sqlalchemy import Connection, Engine, Row, func, insert, inspect, select, text

from tests.awaiting import run_to_end
from tests.integration.conftest import POSTGRES_URL, test_settings
from tests.integration.fresh_databases import fresh_postgres_database
from twitter.adapters.persistence import migrations
from twitter.adapters.persistence.database import build_engine
from twitter.adapters.persistence.tables import (
    follows,
    likes,
    metadata,
    notifications,
    revoked_tokens,
    tweet_hashtags,
    tweets,
    users,
)
from twitter.application.pagination import PageRequest
from twitter.container import Container
from twitter.domain.entities import TweetEntities
from twitter.domain.search import search_text_of

APP_TABLES = {"users", "tweets", "likes", "follows", "login_attempts", "revoked_tokens"}
APP_TABLES |= {"tweet_hashtags", "tweet_mentions", "notifications"}
LATER_THAN_0005 = {"blocks", "mutes", "bookmarks", "idempotency_keys", "oauth_apps"}
LATER_THAN_0005 |= {"authorization_codes", "write_positions"}
APP_TABLES |= LATER_THAN_0005
F = TypeVar("F", bound=Callable[..., Any])
T0 = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)

# SQLite cannot reflect expression indexes, so neither SQLAlchemy nor Alembic can
# compare uq_users_username_lower there; its presence is asserted on its own below.
# The same for the PostgreSQL-only expression indexes (search, username prefix).
_EXPRESSION_INDEXES = "(uq_users_username_lower|ix_tweets_search|ix_users_username_prefix)"
_ALEMBIC_SKIPS_THE_INDEX = pytest.mark.filterwarnings(
    "ignore:autogenerate skipping metadata-specified expression-based index "
    f"'{_EXPRESSION_INDEXES}':UserWarning"
)
_SQLALCHEMY_SKIPS_THE_INDEX = pytest.mark.filterwarnings(
    "ignore:Skipped unsupported reflection of expression-based index "
    f"{_EXPRESSION_INDEXES}:sqlalchemy.exc.SAWarning"
)


def uncomparable_index_on_sqlite(test: F) -> F:
    marked: F = _ALEMBIC_SKIPS_THE_INDEX(_SQLALCHEMY_SKIPS_THE_INDEX(test))
    return marked


@pytest.fixture(
    params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)],
)
def empty_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A database with nothing in it, not even alembic_version."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'migrated.db'}"
        return
    if POSTGRES_URL is None:
        pytest.skip("TWITTER_TEST_POSTGRES_URL is not set")
    with fresh_postgres_database(POSTGRES_URL, "mig") as url:
        yield url


@pytest.fixture
def engine_on(empty_url: str) -> Iterator[Engine]:
    engine = build_engine(empty_url)
    yield engine
    engine.dispose()


def _table_names(engine: Engine) -> set[str]:
    """The tables, SQLite's search index aside (test_search_index_exists looks at it)."""
    names = inspect(engine).get_table_names()
    return {name for name in names if migrations.is_schema_table(name, "table")}


def _schema_objects_besides_alembic(engine: Engine) -> list[str]:
    """Every table, index and sequence left in the schema, alembic_version's aside."""
    with engine.connect() as connection:
        if engine.dialect.name == "sqlite":
            rows = connection.execute(
                text(
                    "SELECT type || ' ' || name FROM sqlite_master "
                    "WHERE tbl_name <> 'alembic_version' AND name NOT LIKE 'sqlite_%'"
                )
            )
        else:
            rows = connection.execute(
                text(
                    "SELECT c.relkind::text || ' ' || c.relname FROM pg_class c "
                    "JOIN pg_namespace n ON n.oid = c.relnamespace "
                    "WHERE n.nspname = current_schema() "
                    "AND c.relname NOT LIKE 'alembic_version%'"
                )
            )
        return sorted(rows.scalars())


def _username_index_definition(engine: Engine) -> str | None:
    with engine.connect() as connection:
        if engine.dialect.name == "sqlite":
            query = text(
                "SELECT sql FROM sqlite_master "
                "WHERE type = 'index' AND name = 'uq_users_username_lower' AND tbl_name = 'users'"
            )
        else:
            query = text(
                "SELECT indexdef FROM pg_indexes WHERE schemaname = current_schema() "
                "AND tablename = 'users' AND indexname = 'uq_users_username_lower'"
            )
        return connection.execute(query).scalar_one_or_none()


def _differences(engine: Engine) -> list[object]:
    with engine.connect() as connection:
        options = {
            "compare_server_default": True,
            "include_name": migrations.is_schema_table,
            "include_object": migrations.compared_on(engine.dialect.name),
        }
        context = MigrationContext.configure(connection, opts=options)
        return list(compare_metadata(context, metadata))


# (a) the migrations build exactly what tables.py describes


@uncomparable_index_on_sqlite
def test_head_schema_matches_the_tables_module(empty_url: str, engine_on: Engine) -> None:
    migrations.upgrade(empty_url)

    assert _differences(engine_on) == []


@pytest.mark.postgres
def test_the_username_prefix_index_orders_bytewise() -> None:
    """The one index the comparison cannot see as it is (see UNCOMPARABLE_INDEX)."""
    if POSTGRES_URL is None:
        pytest.skip("TWITTER_TEST_POSTGRES_URL is not set")
    with fresh_postgres_database(POSTGRES_URL, "mig") as url:
        migrations.upgrade(url)
        engine = build_engine(url)
        with engine.connect() as connection:
            definition = connection.execute(
                text("SELECT indexdef FROM pg_indexes WHERE indexname = :name"),
                {"name": migrations.UNCOMPARABLE_INDEX},
            ).scalar_one()
        engine.dispose()
    assert definition.endswith('USING btree (lower((username)::text) COLLATE "C")')


@uncomparable_index_on_sqlite
def test_the_comparison_does_see_a_schema_behind_the_tables(
    empty_url: str, engine_on: Engine
) -> None:
    """Guards the test above: at 0001 the later tables are reported missing."""
    migrations.upgrade(empty_url, "0001")

    differences = _differences(engine_on)

    added_tables = [d[1].name for d in differences if isinstance(d, tuple) and d[0] == "add_table"]
    assert sorted(added_tables) == [
        "authorization_codes",
        "blocks",
        "bookmarks",
        "follows",
        "idempotency_keys",
        "login_attempts",
        "mutes",
        "notifications",
        "oauth_apps",
        "revoked_tokens",
        "tweet_hashtags",
        "tweet_mentions",
        "write_positions",
    ]


def test_the_case_insensitive_username_index_exists(empty_url: str, engine_on: Engine) -> None:
    migrations.upgrade(empty_url)

    definition = _username_index_definition(engine_on)

    assert definition is not None
    normalised = definition.replace('"', "").replace("(username)::text", "username")
    assert normalised.upper().startswith("CREATE UNIQUE INDEX UQ_USERS_USERNAME_LOWER ON ")
    assert "lower(username)" in normalised


# (b) down to nothing and up again


def test_downgrade_to_base_then_upgrade_to_head(empty_url: str, engine_on: Engine) -> None:
    head = migrations.head_revision(empty_url)
    assert migrations.current_revision(engine_on) is None

    migrations.upgrade(empty_url)
    assert migrations.current_revision(engine_on) == head
    assert _table_names(engine_on) == APP_TABLES | {"alembic_version"}

    migrations.downgrade(empty_url, "base")
    assert _table_names(engine_on) == {"alembic_version"}
    assert _schema_objects_besides_alembic(engine_on) == []
    assert migrations.current_revision(engine_on) is None

    migrations.upgrade(empty_url)
    assert migrations.current_revision(engine_on) == head
    assert _table_names(engine_on) == APP_TABLES | {"alembic_version"}
    assert _username_index_definition(engine_on) is not None


def test_each_revision_steps_down_and_up_again(empty_url: str, engine_on: Engine) -> None:
    script = ScriptDirectory.from_config(migrations.alembic_config(empty_url))
    chain = [revision.revision for revision in script.walk_revisions()][::-1]  # base first
    assert chain[:2] == ["0001", "0002"]

    seen: list[set[str]] = []
    for revision in chain:
        migrations.upgrade(empty_url, revision)
        assert migrations.current_revision(engine_on) == revision
        seen.append(_table_names(engine_on))
    assert seen[0] == {"users", "tweets", "likes", "alembic_version"}
    assert seen[-1] == APP_TABLES | {"alembic_version"}

    for position in range(len(chain) - 1, 0, -1):
        migrations.downgrade(empty_url, "-1")
        assert migrations.current_revision(engine_on) == chain[position - 1]
        assert _table_names(engine_on) == seen[position - 1]


# (c) data survives an upgrade


def test_rows_written_at_0001_survive_the_upgrade_to_head(
    empty_url: str, engine_on: Engine
) -> None:
    migrations.upgrade(empty_url, "0001")
    with engine_on.begin() as connection:
        user_id = connection.execute(
            insert(users)
            .values(email="ada@example.com", username="Ada", hashed_password="h", created_at=T0)
            .returning(users.c.id)
        ).scalar_one()
        tweet_id = connection.execute(
            insert(tweets)
            .values(text="first!", owner_id=user_id, like_count=1, created_at=T0)
            .returning(tweets.c.id)
        ).scalar_one()
        like_id = connection.execute(
            insert(likes)
            .values(owner_id=user_id, tweet_id=tweet_id, created_at=T0)
            .returning(likes.c.id)
        ).scalar_one()

    migrations.upgrade(empty_url)

    assert migrations.current_revision(engine_on) == migrations.head_revision(empty_url)
    with engine_on.connect() as connection:
        assert connection.execute(select(users)).all() == [
            (user_id, "ada@example.com", "Ada", "h", T0, "Ada", "")
        ]
        assert connection.execute(select(*_TWEETS_AT_0001, tweets.c.created_at)).all() == [
            (tweet_id, "first!", user_id, 1, T0)
        ]
        assert connection.execute(select(likes)).all() == [(like_id, user_id, tweet_id, T0)]
        assert connection.execute(text("SELECT count(*) FROM follows")).scalar_one() == 0


# Rows as revision 0001 knows them: these columns must keep their values in any
# later schema, across every step down to 0001 and back up.
_USERS_AT_0001 = (users.c.id, users.c.email, users.c.username, users.c.hashed_password)
_TWEETS_AT_0001 = (tweets.c.id, tweets.c.text, tweets.c.owner_id, tweets.c.like_count)
_LIKES_AT_0001 = (likes.c.id, likes.c.owner_id, likes.c.tweet_id)


def _rows_at_0001(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    with engine.connect() as connection:
        return {
            name: [
                tuple(row)
                for row in connection.execute(
                    select(*columns, table.c.created_at).order_by(table.c.id)
                )
            ]
            for name, table, columns in (
                ("users", users, _USERS_AT_0001),
                ("tweets", tweets, _TWEETS_AT_0001),
                ("likes", likes, _LIKES_AT_0001),
            )
        }


def _count(engine: Engine, table: str) -> int:
    with engine.connect() as connection:
        return int(connection.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())


def _add(connection: Connection, table: Any, **values: Any) -> int:
    row: Row[Any] = connection.execute(insert(table).values(**values).returning(table.c.id)).one()
    return int(row[0])


def test_rows_survive_a_step_down_to_0001_and_back_and_base_starts_afresh(
    empty_url: str, engine_on: Engine
) -> None:
    head = migrations.head_revision(empty_url)
    migrations.upgrade(empty_url)
    at = [T0 + timedelta(seconds=n, microseconds=123_456 * n) for n in range(10)]
    with engine_on.begin() as connection:
        ada, bob, eve = (
            _add(
                connection,
                users,
                email=e,
                username=u,
                display_name=u,
                hashed_password=h,
                created_at=t,
            )
            for e, u, h, t in [
                ("ada@example.com", "Ada", "hash-a", at[0]),
                ("bob@example.com", "bob_2", "hash-b", at[1]),
                ("eve@example.com", "EVE", "hash-e", at[2]),
            ]
        )
        long_text = "ü" * 280
        first, second, third = (
            _add(connection, tweets, text=t, owner_id=o, like_count=c, created_at=w)
            for t, o, c, w in [
                ("first!", ada, 2, at[3]),
                (long_text, bob, 1, at[4]),
                ("  spaced  ", ada, 0, at[5]),
            ]
        )
        liked = [
            _add(connection, likes, owner_id=o, tweet_id=t, created_at=w)
            for o, t, w in [(bob, first, at[6]), (eve, first, at[7]), (ada, second, at[8])]
        ]
        for follower, followee in [(bob, ada), (eve, ada), (ada, bob)]:
            _add(connection, follows, follower_id=follower, followee_id=followee, created_at=at[9])
    written = {
        "users": [
            (ada, "ada@example.com", "Ada", "hash-a", at[0]),
            (bob, "bob@example.com", "bob_2", "hash-b", at[1]),
            (eve, "eve@example.com", "EVE", "hash-e", at[2]),
        ],
        "tweets": [
            (first, "first!", ada, 2, at[3]),
            (second, long_text, bob, 1, at[4]),
            (third, "  spaced  ", ada, 0, at[5]),
        ],
        "likes": [
            (liked[0], bob, first, at[6]),
            (liked[1], eve, first, at[7]),
            (liked[2], ada, second, at[8]),
        ],
    }
    assert _rows_at_0001(engine_on) == written
    assert _count(engine_on, "follows") == 3

    # One step down: the follows go with their table, nothing else moves.
    migrations.downgrade(empty_url, "0001")
    assert migrations.current_revision(engine_on) == "0001"
    assert _table_names(engine_on) == {"users", "tweets", "likes", "alembic_version"}
    assert _rows_at_0001(engine_on) == written

    # And up again: the same rows, an empty follows table, and room for new rows.
    migrations.upgrade(empty_url)
    assert migrations.current_revision(engine_on) == head
    assert _rows_at_0001(engine_on) == written
    assert _count(engine_on, "follows") == 0
    with engine_on.begin() as connection:
        newcomer = _add(
            connection,
            users,
            email="new@example.com",
            username="new",
            display_name="new",
            hashed_password="h",
        )
        _add(connection, follows, follower_id=newcomer, followee_id=ada)
        _add(connection, likes, owner_id=newcomer, tweet_id=third)
    assert newcomer > eve  # an id is never handed out twice
    assert _rows_at_0001(engine_on)["tweets"] == written["tweets"]

    # Down to nothing and up: every table is there, empty, and takes rows again.
    migrations.downgrade(empty_url, "base")
    assert _table_names(engine_on) == {"alembic_version"}
    migrations.upgrade(empty_url)
    assert migrations.current_revision(engine_on) == head
    assert {table: _count(engine_on, table) for table in APP_TABLES} == dict.fromkeys(APP_TABLES, 0)
    with engine_on.begin() as connection:
        again = _add(
            connection,
            users,
            email="ada@example.com",
            username="Ada",
            display_name="Ada",
            hashed_password="h",
        )
        other = _add(
            connection,
            users,
            email="bob@example.com",
            username="bob",
            display_name="bob",
            hashed_password="h",
        )
        tweet = _add(connection, tweets, text="hello again", owner_id=again, like_count=1)
        _add(connection, likes, owner_id=other, tweet_id=tweet)
        _add(connection, follows, follower_id=other, followee_id=again)
    with engine_on.connect() as connection:
        assert connection.execute(select(func.count()).select_from(users)).scalar_one() == 2
        assert connection.execute(select(tweets.c.text, tweets.c.like_count)).all() == [
            ("hello again", 1)
        ]
    assert _count(engine_on, "likes") == _count(engine_on, "follows") == 1


def test_rows_written_at_0004_survive_the_upgrade_to_0005(
    empty_url: str, engine_on: Engine
) -> None:
    """Conversations add columns to users and tweets (SQLite copies both tables):
    every row stays, with its references, and the new columns take their defaults;
    a user's display name is their username."""
    migrations.upgrade(empty_url, "0004")
    with engine_on.begin() as connection:
        ada, bob, gone = (
            _add(
                connection, users, email=f"{u.lower()}@example.com", username=u, hashed_password="h"
            )
            for u in ("Ada", "bob_2", "Gone")
        )
        first, second, deleted = (
            _add(connection, tweets, text=t, owner_id=ada, like_count=c, created_at=T0)
            for t, c in (("first!", 1), ("second", 0), ("deleted", 0))
        )
        like = _add(connection, likes, owner_id=bob, tweet_id=first, created_at=T0)
        follow = _add(connection, follows, follower_id=bob, followee_id=ada, created_at=T0)
        connection.execute(insert(revoked_tokens).values(token_id="t", expires_at=T0))
        # the newest rows go: their ids must not come back
        connection.execute(tweets.delete().where(tweets.c.id == deleted))
        connection.execute(users.delete().where(users.c.id == gone))

    migrations.upgrade(empty_url, "0005")

    with engine_on.connect() as connection:
        assert connection.execute(
            select(users.c.id, users.c.username, users.c.display_name, users.c.bio).order_by(
                users.c.id
            )
        ).all() == [(ada, "Ada", "Ada", ""), (bob, "bob_2", "bob_2", "")]
        assert connection.execute(
            select(
                tweets.c.id,
                tweets.c.like_count,
                tweets.c.thread_root_id,
                tweets.c.in_reply_to_id,
                tweets.c.in_reply_to_user_id,
                tweets.c.quoted_id,
                tweets.c.retweeted_id,
                tweets.c.reply_count,
                tweets.c.retweet_count,
                tweets.c.quote_count,
                tweets.c.entities,
            ).order_by(tweets.c.id)
        ).all() == [
            (first, 1, None, None, None, None, None, 0, 0, 0, TweetEntities()),
            (second, 0, None, None, None, None, None, 0, 0, 0, TweetEntities()),
        ]
        assert connection.execute(select(likes.c.id, likes.c.tweet_id)).all() == [(like, first)]
        assert connection.execute(select(follows.c.id)).scalars().all() == [follow]
    assert _count(engine_on, "revoked_tokens") == 1
    assert _username_index_definition(engine_on) is not None
    with engine_on.begin() as connection:
        newcomer = _add(
            connection,
            users,
            email="new@example.com",
            username="new",
            display_name="new",
            hashed_password="h",
        )
        tweet = _add(connection, tweets, text="new", owner_id=newcomer)
        assert connection.execute(
            select(users.c.bio, tweets.c.entities)
            .join(tweets, tweets.c.owner_id == users.c.id)
            .where(tweets.c.id == tweet)
        ).one() == ("", TweetEntities())
    assert newcomer > gone
    assert tweet > deleted
    # the foreign keys still hold, and still cascade
    with engine_on.begin() as connection:
        connection.execute(users.delete().where(users.c.id == ada))
    assert (_count(engine_on, "tweets"), _count(engine_on, "likes")) == (1, 0)
    assert _count(engine_on, "follows") == 0


def test_conversations_step_down_to_0004_as_plain_tweets(empty_url: str, engine_on: Engine) -> None:
    """Down from 0005: replies and quotes stay as plain tweets; retweets, which are no
    tweets of their own before it, go; so do hashtags, mentions and notifications."""
    migrations.upgrade(empty_url)
    with engine_on.begin() as connection:
        ada, bob = (
            _add(
                connection,
                users,
                email=f"{u}@e.com",
                username=u,
                display_name=u,
                hashed_password="h",
            )
            for u in ("ada", "bob")
        )
        original = _add(connection, tweets, text="#hello", owner_id=ada, like_count=1)
        connection.execute(insert(tweet_hashtags).values(tag="hello", tweet_id=original))
        reply = _add(
            connection,
            tweets,
            text="hi",
            owner_id=bob,
            thread_root_id=original,
            in_reply_to_id=original,
            in_reply_to_user_id=ada,
        )
        quote = _add(connection, tweets, text="look", owner_id=bob, quoted_id=original)
        retweet = _add(connection, tweets, text="#hello", owner_id=bob, retweeted_id=original)
        _add(connection, likes, owner_id=bob, tweet_id=original)
        for kind, tweet in (("reply", reply), ("quote", quote), ("retweet", original)):
            _add(
                connection, notifications, recipient_id=ada, actor_id=bob, type=kind, tweet_id=tweet
            )
    assert retweet > quote

    migrations.downgrade(empty_url, "0004")

    assert _table_names(engine_on) == APP_TABLES - {
        "tweet_hashtags",
        "tweet_mentions",
        "notifications",
        *LATER_THAN_0005,
    } | {"alembic_version"}
    with engine_on.connect() as connection:
        rows = connection.execute(text("SELECT id, text, owner_id FROM tweets ORDER BY id")).all()
        assert [tuple(row) for row in rows] == [
            (original, "#hello", ada),
            (reply, "hi", bob),
            (quote, "look", bob),
        ]
        assert connection.execute(text("SELECT owner_id, tweet_id FROM likes")).all() == [
            (bob, original)
        ]
    assert _username_index_definition(engine_on) is not None

    migrations.upgrade(empty_url)
    with engine_on.begin() as connection:
        assert connection.execute(
            select(users.c.display_name).order_by(users.c.id)
        ).scalars().all() == ["ada", "bob"]
        assert connection.execute(
            select(tweets.c.in_reply_to_id, tweets.c.quoted_id).where(tweets.c.id == reply)
        ).one() == (None, None)
        again = _add(connection, tweets, text="again", owner_id=bob, retweeted_id=original)
    assert again > retweet


# (d) one line of history


def test_there_is_exactly_one_head_and_one_base() -> None:
    url = "sqlite://"
    script = ScriptDirectory.from_config(migrations.alembic_config(url))

    heads = script.get_heads()
    assert len(heads) == 1
    assert migrations.head_revision(url) == heads[0]
    assert len(script.get_bases()) == 1

    # Linear: walking down from the head visits every revision, one parent each.
    walked = list(script.walk_revisions())
    assert walked[0].revision == heads[0]
    for newer, older in itertools.pairwise(walked):
        assert newer.down_revision == older.revision
    assert walked[-1].down_revision is None


def test_tweets_written_before_0006_are_found_by_search_after_it(
    empty_url: str, engine_on: Engine
) -> None:
    """0006 works out the words of the tweets already there, as posting does now, and
    builds the index over them (a retweet has none: its original is found)."""
    migrations.upgrade(empty_url, "0005")
    with engine_on.begin() as connection:
        ada = _add(
            connection,
            users,
            email="a@example.com",
            username="ada",
            hashed_password="h",
            display_name="Ada",
            bio="",
        )
        first, _ = (
            _add(connection, tweets, text=t, owner_id=ada, created_at=T0)
            for t in ("Un CAFÉ au lait", "nothing else")
        )
        shared = _add(connection, tweets, text="Un CAFÉ au lait", owner_id=ada, retweeted_id=first)

    migrations.upgrade(empty_url, "head")

    with engine_on.connect() as connection:
        words = dict(connection.execute(select(tweets.c.id, tweets.c.search_text)).all())
    assert words[first] == search_text_of("Un CAFÉ au lait") == "un cafe au lait"
    assert words[shared] is None
    container = Container()
    container.settings.override(providers.Object(test_settings(empty_url)))
    container.init_resources()
    try:
        found = run_to_end(container.reads().search_tweets(("lait", "cafe"), PageRequest()))
    finally:
        run_to_end(_closed(container))
        container.shutdown_resources()
    assert [card.tweet.id for card in found.items] == [first]


async def _closed(container: Container) -> None:
    close = getattr(container.reads(), "aclose", None)
    if close is not None:
        await close()


@pytest.mark.postgres
def test_write_positions_are_unlogged_on_postgresql() -> None:
    """They are never replicated and cost no WAL of their own."""
    if POSTGRES_URL is None:
        pytest.skip("TWITTER_TEST_POSTGRES_URL is not set")
    with fresh_postgres_database(POSTGRES_URL, "unlogged") as url:
        migrations.upgrade(url)
        engine = build_engine(url)
        with engine.connect() as connection:
            persistence = connection.execute(
                text("SELECT relpersistence FROM pg_class WHERE relname = 'write_positions'")
            ).scalar_one()
        engine.dispose()
    assert persistence == "u"
