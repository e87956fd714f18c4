"""What the asyncpg read adapter must do beyond the read port's contract: keep a
fixed pool, work without prepared statements, answer each view in one statement
(whatever the size of its page), keep the keyset indexes under generic plans, and
survive a change of event loop."""

from __future__ import annotations

import asyncio
import functools
import os
import re
from collections.abc import Awaitable, Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import asyncpg  # type: ignore[import-untyped]
import pytest
from sqlalchemy import make_url, text

from tests.awaiting import run_to_end
from tests.integration.conftest import empty_database_at_head
from twitter.adapters.persistence.database import build_engine
from twitter.adapters.persistence.tables import SEARCH_STATISTICS_TARGET
from twitter.adapters.reads.postgres import AsyncpgReads
from twitter.application.pagination import MAX_ID, PageRequest
from twitter.application.queries import MAX_DESCENDANTS, depth_first
from twitter.domain.errors import TweetNotFound, UserNotFound

pytestmark = pytest.mark.postgres

USERS = 50
TWEETS = 5_000
FOLLOWED = 29  # user 1 follows users 2..30
NOTIFICATIONS = 20_000
MIN_BIGINT = -(2**63)

# Conversations: tweets 2..255 reply to tweet n // 2 (a binary tree under tweet 1);
# 2001..2300 quote tweet 10; 4001..4200 retweet 3000..3003, by 50 users each; every
# tweet has one of 10 tags ("tag0".."tag9": a young site's few, where a plan that
# filters on the tag looks cheap), three the tag "rare" as well; every odd tweet
# mentions a user. The older 90% of the notifications are read.
SEED = (
    "INSERT INTO users (email, username, hashed_password, display_name, bio)"
    f" SELECT 'u' || g || '@example.com', 'User' || g, 'x', 'User number ' || g, 'bio ' || g"
    f" FROM generate_series(1, {USERS}) g",
    "INSERT INTO tweets (text, owner_id)"
    f" SELECT 'tweet ' || g, 1 + g % {USERS} FROM generate_series(1, {TWEETS}) g",
    "UPDATE tweets AS t SET in_reply_to_id = t.id / 2, thread_root_id = 1,"
    " in_reply_to_user_id = p.owner_id FROM tweets AS p WHERE p.id = t.id / 2 AND t.id <= 255",
    "UPDATE tweets SET quoted_id = 10, quote_count = 0 WHERE id BETWEEN 2001 AND 2300",
    "UPDATE tweets SET quote_count = 300 WHERE id = 10",
    "UPDATE tweets SET retweeted_id = 3000 + id % 4,"
    f" owner_id = 1 + (id / 4) % {USERS} WHERE id BETWEEN 4001 AND 4200",
    "INSERT INTO tweet_hashtags (tag, tweet_id)"
    f" SELECT 'tag' || g % 10, g FROM generate_series(1, {TWEETS}) g"
    " UNION ALL SELECT 'rare', g FROM generate_series(1, 3) g",
    "INSERT INTO tweet_mentions (user_id, tweet_id)"
    f" SELECT 1 + g % {USERS}, g FROM generate_series(1, {TWEETS}, 2) g",
    "INSERT INTO notifications (recipient_id, actor_id, type, tweet_id, read)"
    f" SELECT 1 + g % {USERS}, 1 + (g + 1) % {USERS}, 'like', 1 + g % {TWEETS},"
    f" g <= {NOTIFICATIONS * 9 // 10} FROM generate_series(1, {NOTIFICATIONS}) g",
    "INSERT INTO follows (follower_id, followee_id)"
    f" SELECT 1, g FROM generate_series(2, {FOLLOWED + 1}) g",
    "INSERT INTO follows (follower_id, followee_id) SELECT g, 1 FROM generate_series(2, 9) g",
    "INSERT INTO likes (owner_id, tweet_id)"
    f" SELECT 1 + g % 7, g FROM generate_series(1, {TWEETS}, 3) g",
    # Every tweet is found by "common", one in a thousand by "scarce" too.
    "UPDATE tweets SET search_text = 'tweet ' || id || ' common'"
    " || CASE WHEN id % 1000 = 7 THEN ' scarce' ELSE '' END WHERE retweeted_id IS NULL",
    "INSERT INTO bookmarks (owner_id, tweet_id)"
    f" SELECT 2, g FROM generate_series(1, {TWEETS}, 5) g",
    "INSERT INTO blocks (blocker_id, blocked_id) VALUES (1, 31), (1, 32)",
    "INSERT INTO mutes (muter_id, muted_id) VALUES (1, 33), (2, 5)",
    "INSERT INTO revoked_tokens (token_id, expires_at)"
    " VALUES ('revoked', now() + interval '1 day')",
)

Read = Callable[[AsyncpgReads], Awaitable[Any]]


@pytest.fixture
def url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty migrated PostgreSQL database, seeded with plain INSERTs and analyzed:
    enough tweets that the planner's choices are the ones a real table gets."""
    if not os.environ.get("TWITTER_TEST_POSTGRES_URL"):
        pytest.skip("TWITTER_TEST_POSTGRES_URL is not set")
    database_url = empty_database_at_head("postgresql", request, tmp_path)
    engine = build_engine(database_url)
    with engine.begin() as connection:
        for statement in SEED:
            connection.execute(text(statement))
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("ANALYZE"))  # committed: statistics in a rollback are lost
    engine.dispose()
    return database_url


def run(reads: AsyncpgReads, body: Callable[[], Awaitable[Any]]) -> Any:
    """Run ``body`` in a loop of its own, closing the pool at the end."""

    async def main() -> Any:
        try:
            return await body()
        finally:
            await reads.aclose()

    return run_to_end(main())


async def reads_backends(url: str) -> list[tuple[int, Any]]:
    """(pid, backend start) of the read adapter's connections to this database."""
    connection = await asyncpg.connect(_dsn(url))
    try:
        rows = await connection.fetch(
            "SELECT pid, backend_start FROM pg_stat_activity"
            " WHERE application_name = 'twitter-reads' AND datname = current_database()"
            " ORDER BY pid"
        )
    finally:
        await connection.close()
    return [(row["pid"], row["backend_start"]) for row in rows]


def _dsn(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


PAGE = PageRequest(limit=10)
SKIPPING = PageRequest(limit=10, skip=3)
CURSORS = PageRequest(limit=10, max_id=4_000, since_id=100)

# Every read, on things that exist and things that do not: one statement each.
READS: dict[str, Read] = {
    "user": lambda r: r.user(1),
    "user missing": lambda r: r.user(10_000),
    "user_by_username": lambda r: r.user_by_username("USER1"),
    "account": lambda r: r.account(1, "fresh"),
    "account revoked": lambda r: r.account(1, "revoked"),
    "profile": lambda r: r.profile("user2", 1),
    "profile without viewer": lambda r: r.profile("user2"),
    "users": lambda r: r.users(PAGE),
    "users skipping": lambda r: r.users(SKIPPING),
    "users cursors": lambda r: r.users(CURSORS),
    "followers": lambda r: r.followers(1, PAGE),
    "followers missing": lambda r: r.followers(10_000, PAGE),
    "following": lambda r: r.following(1, CURSORS),
    "liking_users": lambda r: r.liking_users(1, PAGE),
    "liking_users missing": lambda r: r.liking_users(10**6, PAGE),
    "tweet": lambda r: r.tweet(1, 2),
    "tweet missing": lambda r: r.tweet(10**6),
    "bare_tweet": lambda r: r.bare_tweet(1),
    "bare_tweet missing": lambda r: r.bare_tweet(10**6),
    "tweets": lambda r: r.tweets(PAGE, 2),
    "tweets skipping": lambda r: r.tweets(SKIPPING, 2),
    "tweets cursors": lambda r: r.tweets(CURSORS),
    "user_tweets": lambda r: r.user_tweets(2, PAGE, 2),
    "user_tweets missing": lambda r: r.user_tweets(10_000, PAGE),
    "liked_tweets": lambda r: r.liked_tweets(2, CURSORS, 2),
    "liked_tweets of nobody's likes": lambda r: r.liked_tweets(20, PAGE),
    "home_timeline": lambda r: r.home_timeline(1, PAGE, 1),
    "home_timeline skipping": lambda r: r.home_timeline(1, SKIPPING, 1),
    "home_timeline missing": lambda r: r.home_timeline(10_000, PAGE),
    "user_likes": lambda r: r.user_likes(2, CURSORS),
    "retweeted_by": lambda r: r.retweeted_by(3000, PAGE),
    "retweeted_by missing": lambda r: r.retweeted_by(10**6, PAGE),
    "quote_tweets": lambda r: r.quote_tweets(10, CURSORS, 2),
    "quote_tweets skipping": lambda r: r.quote_tweets(10, SKIPPING),
    "quote_tweets missing": lambda r: r.quote_tweets(10**6, PAGE),
    "context": lambda r: r.context(200, 2),
    "context of the root": lambda r: r.context(1),
    "context missing": lambda r: r.context(10**6),
    "tagged_tweets": lambda r: r.tagged_tweets("Tag7", PAGE, 2),
    "tagged_tweets cursors": lambda r: r.tagged_tweets("TAG3", CURSORS),
    "tagged_tweets unknown": lambda r: r.tagged_tweets("nothing", PAGE),
    "mentions": lambda r: r.mentions(2, PAGE, 2),
    "mentions skipping": lambda r: r.mentions(2, SKIPPING),
    "mentions missing": lambda r: r.mentions(10_000, PAGE),
    "notifications": lambda r: r.notifications(2, CURSORS),
    "notifications unread": lambda r: r.notifications(2, PAGE, unread_only=True),
    "notifications missing": lambda r: r.notifications(10_000, PAGE),
    "unread_notifications": lambda r: r.unread_notifications(2),
    "unread_notifications of nobody": lambda r: r.unread_notifications(10_000),
    "search_tweets": lambda r: r.search_tweets(("common",), PAGE, 1),
    "search_tweets rare": lambda r: r.search_tweets(("scarce",), PAGE),
    "search_tweets two words": lambda r: r.search_tweets(("scarce", "common"), CURSORS, 2),
    "search_tweets found nowhere": lambda r: r.search_tweets(("absent",), PAGE),
    "search_users": lambda r: r.search_users("user1", 10),
    "bookmarks": lambda r: r.bookmarks(2, CURSORS, 2),
    "bookmarks missing": lambda r: r.bookmarks(10_000, PAGE),
    "blocking": lambda r: r.blocking(1, PAGE),
    "muting": lambda r: r.muting(2, PAGE),
}

# Every list, read whole whatever the size of its page: (list, items on a page of 200).
LISTS: dict[str, tuple[Callable[[AsyncpgReads, PageRequest], Awaitable[Any]], int]] = {
    "retweeted_by": (lambda r, p: r.retweeted_by(3000, p), USERS),
    "quote_tweets": (lambda r, p: r.quote_tweets(10, p, 2), 200),
    "tagged_tweets": (lambda r, p: r.tagged_tweets("tag0", p, 2), 200),
    "mentions": (lambda r, p: r.mentions(2, p, 2), TWEETS // USERS),
    "notifications": (lambda r, p: r.notifications(2, p), 200),
    "notifications unread": (
        lambda r, p: r.notifications(2, p, unread_only=True),
        NOTIFICATIONS // 10 // USERS,
    ),
    "liked_tweets": (lambda r, p: r.liked_tweets(2, p, 2), 200),
    "followers": (lambda r, p: r.followers(1, p), 8),
    "bookmarks": (lambda r, p: r.bookmarks(2, p, 2), 200),
    "search_tweets": (lambda r, p: r.search_tweets(("common",), p, 2), 200),
}


async def answer(reads: AsyncpgReads, read: Read) -> Any:
    """What a read answers, or the kind of error it raises."""
    try:
        return await read(reads)
    except (UserNotFound, TweetNotFound) as error:
        return type(error)


def test_the_pool_holds_pool_size_connections_and_never_opens_another(url: str) -> None:
    reads = AsyncpgReads(url, pool_size=3)

    async def body() -> None:
        # The first calls all arrive at once: one pool, not one per caller.
        await asyncio.gather(*(reads.tweets(PAGE) for _ in range(50)))
        opened = await reads_backends(url)
        assert len(opened) == 3
        for n in range(200):
            await reads.user(1 + n % USERS)
        await asyncio.gather(*(reads.home_timeline(1, PAGE) for _ in range(50)))
        assert await reads_backends(url) == opened

    run(reads, body)
    assert run(reads, lambda: reads_backends(url)) == []


def test_without_prepared_statements_the_answers_are_the_same(url: str) -> None:
    cached = AsyncpgReads(url, pool_size=2)
    uncached = AsyncpgReads(url, pool_size=2, statement_cache_size=0)

    async def body(reads: AsyncpgReads) -> list[Any]:
        # Enough rounds for PostgreSQL to switch prepared statements to generic plans.
        return [await answer(reads, read) for _ in range(7) for read in READS.values()]

    assert run(uncached, lambda: body(uncached)) == run(cached, lambda: body(cached))


def test_each_read_is_one_statement(url: str) -> None:
    sent: list[str] = []
    reads = AsyncpgReads(url, on_statement=sent.append)

    async def body() -> dict[str, int]:
        counts = {}
        for name, read in READS.items():
            before = len(sent)
            await answer(reads, read)
            counts[name] = len(sent) - before
        return counts

    assert run(reads, body) == dict.fromkeys(READS, 1)


def test_each_list_is_one_statement_whatever_its_page_size(url: str) -> None:
    sent: list[str] = []
    reads = AsyncpgReads(url, on_statement=sent.append)
    wanted = {
        (name, limit): min(limit, full)
        for name, (_, full) in LISTS.items()
        for limit in (1, 20, 200)
    }

    async def body() -> dict[tuple[str, int], tuple[int, int]]:
        answers = {}
        for name, limit in wanted:
            read, _ = LISTS[name]
            before = len(sent)
            listed = await read(reads, PageRequest(limit=limit))
            answers[name, limit] = (len(sent) - before, len(listed.items))
        return answers

    assert run(reads, body) == {key: (1, items) for key, items in wanted.items()}


def test_missing_parents_and_empty_pages_are_told_apart(url: str) -> None:
    reads = AsyncpgReads(url)

    async def body() -> None:
        assert (await reads.followers(40, PAGE)).items == []  # nobody follows user 40
        with pytest.raises(UserNotFound):
            await reads.followers(10_000, PAGE)
        empty = PageRequest(max_id=0)
        assert (await reads.home_timeline(1, empty)).items == []
        with pytest.raises(UserNotFound):
            await reads.home_timeline(10_000, empty)
        with pytest.raises(TweetNotFound):
            await reads.liking_users(10**6, empty)
        assert (await reads.quote_tweets(11, PAGE)).items == []  # nobody quotes tweet 11
        assert (await reads.quote_tweets(10, empty)).items == []
        with pytest.raises(TweetNotFound):
            await reads.quote_tweets(10**6, empty)
        assert (await reads.retweeted_by(3004, PAGE)).items == []
        with pytest.raises(TweetNotFound):
            await reads.retweeted_by(10**6, PAGE)
        assert (await reads.mentions(2, empty)).items == []
        with pytest.raises(UserNotFound):
            await reads.mentions(10_000, empty)
        assert (await reads.notifications(2, empty, unread_only=True)).items == []
        with pytest.raises(UserNotFound):
            await reads.notifications(10_000, empty, unread_only=True)
        leaf = await reads.context(4_999)
        assert (leaf.ancestors, leaf.descendants) == ([], [])

    run(reads, body)


@pytest.mark.parametrize("bad_id", [0, -1, 2**63])
def test_ids_that_cannot_exist_are_not_found_without_asking(url: str, bad_id: int) -> None:
    sent: list[str] = []
    reads = AsyncpgReads(url, on_statement=sent.append)
    missing: dict[str, Read] = {
        "user": lambda r: r.user(bad_id),
        "followers": lambda r: r.followers(bad_id, PAGE),
        "following": lambda r: r.following(bad_id, PAGE),
        "liking_users": lambda r: r.liking_users(bad_id, PAGE),
        "tweet": lambda r: r.tweet(bad_id),
        "user_tweets": lambda r: r.user_tweets(bad_id, PAGE),
        "liked_tweets": lambda r: r.liked_tweets(bad_id, PAGE),
        "home_timeline": lambda r: r.home_timeline(bad_id, PAGE),
        "user_likes": lambda r: r.user_likes(bad_id, PAGE),
        "retweeted_by": lambda r: r.retweeted_by(bad_id, PAGE),
        "quote_tweets": lambda r: r.quote_tweets(bad_id, PAGE),
        "context": lambda r: r.context(bad_id),
        "mentions": lambda r: r.mentions(bad_id, PAGE),
        "notifications": lambda r: r.notifications(bad_id, PAGE),
        "bookmarks": lambda r: r.bookmarks(bad_id, PAGE),
        "blocking": lambda r: r.blocking(bad_id, PAGE),
        "muting": lambda r: r.muting(bad_id, PAGE),
    }

    async def body() -> None:
        for read in missing.values():
            assert await answer(reads, read) in (UserNotFound, TweetNotFound)
        assert await reads.account(bad_id, "fresh") is None
        assert await reads.unread_notifications(bad_id) == 0
        # Nor is a text that no hashtag has worth asking about.
        for tag in ("", "#tag0", "two words", "\x00", "\ud800"):
            assert (await reads.tagged_tweets(tag, PAGE)).items == []
        assert sent == []
        # A viewer who cannot exist has liked nothing and follows nobody.
        card = await reads.tweet(1, bad_id)
        assert not card.liked_by_viewer
        assert not (await reads.profile("user1", bad_id)).followed_by_viewer

    run(reads, body)


def test_cursors_reach_the_ends_of_the_id_range(url: str) -> None:
    reads = AsyncpgReads(url)

    async def body() -> None:
        everything = await reads.tweets(PageRequest(limit=5, max_id=MAX_ID))
        assert everything == await reads.tweets(PageRequest(limit=5))
        assert (await reads.tweets(PageRequest(since_id=MAX_ID))).items == []
        assert (await reads.users(PageRequest(max_id=0))).items == []
        assert (await reads.users(PageRequest(limit=2, skip=10**30))).items == []

    run(reads, body)


def test_times_are_aware_utc(url: str) -> None:
    reads = AsyncpgReads(url)
    card = run(reads, lambda: reads.tweet(1))
    for moment in (card.tweet.created_at, card.author.created_at):
        assert moment.utcoffset() == timedelta(0)


def test_a_second_event_loop_gets_a_pool_of_its_own(url: str) -> None:
    reads = AsyncpgReads(url, pool_size=2)
    assert run_to_end(reads.user(1)).id == 1  # no aclose: the loop's end closes it
    assert run_to_end(reads.user(2)).id == 2
    assert run(reads, lambda: reads_backends(url)) == []


@pytest.mark.parametrize("scheme", ["postgresql", "postgresql+psycopg2"])
def test_sqlalchemy_urls_are_accepted(url: str, scheme: str) -> None:
    reads = AsyncpgReads(make_url(url).set(drivername=scheme).render_as_string(False))
    assert run(reads, lambda: reads.user(1)).id == 1


# -- plans ------------------------------------------------------------------------------


async def generic_plan(
    url: str, sql: str, arguments: list[object], mode: str = "force_generic_plan"
) -> str:
    """The plan PostgreSQL keeps for ``sql`` once prepared and used a while (or,
    with ``mode`` force_custom_plan, the plan it makes for these arguments)."""
    connection = await asyncpg.connect(_dsn(url))
    try:
        await connection.execute(f"SET plan_cache_mode = {mode}")
        await connection.execute(f"PREPARE page AS {sql}")
        values = ", ".join("NULL" if value is None else str(value) for value in arguments)
        for _ in range(6):
            await connection.execute(f"EXECUTE page({values})")
        rows = await connection.fetch(f"EXPLAIN EXECUTE page({values})")
    finally:
        await connection.close()
    return "\n".join(row[0] for row in rows)


def sql_of(url: str, read: Read) -> str:
    sent: list[str] = []
    reads = AsyncpgReads(url, pool_size=1, on_statement=sent.append)
    run(reads, lambda: read(reads))
    [sql] = sent
    return sql


# (read, its parameters as the adapter sends them, the index the page must walk,
# what bounds the scan of it) with max_id=1000: the cursor deep in the table, where
# scanning from the top shows.
DEEP = PageRequest(limit=20, max_id=1_000)
WINDOW = r"id <= \$"
PLANS: dict[str, tuple[Read, list[object], str, str]] = {
    "tweets": (lambda r: r.tweets(DEEP), [999, MIN_BIGINT, 0, 21, None], "pk_tweets", WINDOW),
    "user_tweets": (
        lambda r: r.user_tweets(2, DEEP, 3),
        [2, 999, MIN_BIGINT, 0, 21, 3],
        "ix_tweets_owner_id_id",
        WINDOW,
    ),
    "home_timeline": (
        lambda r: r.home_timeline(1, DEEP, 1),
        [1, 999, MIN_BIGINT, 21, 20, 0, 21, 1],
        "ix_tweets_owner_id_id",
        WINDOW,
    ),
    "retweeted_by": (
        lambda r: r.retweeted_by(3000, PageRequest(limit=20, max_id=4_100)),
        [3000, 4_099, MIN_BIGINT, 0, 21],
        "ix_tweets_retweeted_id_id",
        rf"retweeted_id = .*{WINDOW}",
    ),
    "quote_tweets": (
        lambda r: r.quote_tweets(10, PageRequest(limit=20, max_id=2_100), 2),
        [10, 2_099, MIN_BIGINT, 0, 21, 2],
        "ix_tweets_quoted_id_id",
        rf"quoted_id = .*{WINDOW}",
    ),
    "mentions": (
        lambda r: r.mentions(2, DEEP, 2),
        [2, 999, MIN_BIGINT, 0, 21, 2],
        "pk_tweet_mentions",
        rf"user_id = .*{WINDOW}",
    ),
    # The tag lists: the rare tag must not be looked for through every tweet.
    "tagged_tweets": (
        lambda r: r.tagged_tweets("rare", DEEP, 2),
        ["'rare'", 999, MIN_BIGINT, 0, 21, 2],
        "pk_tweet_hashtags",
        r"ROW\(tag, tweet_id\) <= ROW\(\$1, \$2\)\) AND \(ROW\(tag, tweet_id\) > ROW\(\$1, \$3\)",
    ),
    "notifications": (
        lambda r: r.notifications(2, PageRequest(limit=20, max_id=10_000)),
        [2, 9_999, MIN_BIGINT, 0, 21],
        "ix_notifications_recipient_id_id",
        r"ROW\(recipient_id, id\) <= ROW\(users\.id, \$2\)\)"
        r" AND \(ROW\(recipient_id, id\) > ROW\(users\.id, \$3\)",
    ),
    # Seeking the unread ones, not filtering the read ones out of all of them.
    "notifications unread": (
        lambda r: r.notifications(2, PageRequest(limit=20, max_id=10_000), unread_only=True),
        [2, 9_999, MIN_BIGINT, 0, 21],
        "ix_notifications_recipient_id_read_id",
        rf"recipient_id = .* AND \(read = false\) AND .*{WINDOW}",
    ),
}
_HIDDEN = (
    r"\(NOT \(hashed SubPlan \d+\)\)"
    r"|\(\(retweeted_id IS NULL\) OR \(NOT \(SubPlan \d+\)\)\)"  # nor a retweet of them
)
BIG_TABLES = re.compile(r"Seq Scan on (tweets|tweet_hashtags|tweet_mentions|notifications) ")


@pytest.mark.parametrize("name", PLANS)
def test_generic_plans_walk_the_keyset_index(url: str, name: str) -> None:
    read, arguments, index, bounds = PLANS[name]
    plan = run_to_end(generic_plan(url, sql_of(url, read), arguments))
    assert not BIG_TABLES.search(plan), plan
    # The cursor bounds the index scan itself, not a filter over what it reads.
    scan = re.compile(
        rf"Index (Only )?Scan( Backward)? using {index} .*\n\s+Index Cond: .*{bounds}"
    )
    assert scan.search(plan), plan
    # Nor is anything else filtered there, but whether its author is hidden (a mute or
    # a block of the reader's): a probe of a set read once.
    filtered = re.findall(rf"using {index} .*\n\s+Index Cond: .*\n\s+Filter: (.*)", plan)
    assert all(re.fullmatch(_HIDDEN, condition) for condition in filtered), plan


def test_the_unread_count_reads_the_unread_ones_alone(url: str) -> None:
    plan = run_to_end(generic_plan(url, sql_of(url, lambda r: r.unread_notifications(2)), [2]))
    assert re.search(
        r"(using|on) ix_notifications_recipient_id_read_id .*\n"
        r"\s+Index Cond: \(\(recipient_id = \$1\) AND \(read = false\)\)",
        plan,
    ), plan


@pytest.mark.parametrize(
    ("words", "walk"),
    [
        # A rare word: its few tweets from the GIN index, not a walk through them all.
        ("scarce", r"Bitmap Index Scan on ix_tweets_search"),
        ("scarce common", r"Bitmap Index Scan on ix_tweets_search"),
        ("4321", r"Bitmap Index Scan on ix_tweets_search"),  # one tweet's own word
        # A word most tweets hold: the newest tweets, until a page of them match.
        ("common", r"Index Scan Backward using pk_tweets"),
    ],
)
def test_search_is_planned_for_its_words_through_the_index(url: str, words: str, walk: str) -> None:
    sql = sql_of(url, lambda r: r.search_tweets(tuple(words.split()), PageRequest(limit=20), 2))
    arguments = [f"'{words}'", MAX_ID, MIN_BIGINT, 0, 21, 2]
    plan = run_to_end(generic_plan(url, sql, arguments, "force_custom_plan"))
    assert not BIG_TABLES.search(plan), plan
    assert re.search(walk, plan), plan


def test_the_search_index_keeps_statistics_of_many_words(url: str) -> None:
    """So that the planner knows a rare word for one (see tables.py)."""
    engine = build_engine(url)
    with engine.connect() as connection:
        target = connection.execute(
            text(
                "SELECT attstattarget FROM pg_attribute"
                " WHERE attrelid = 'ix_tweets_search'::regclass AND attnum = 1"
            )
        ).scalar()
    engine.dispose()
    assert target == SEARCH_STATISTICS_TARGET == 10_000


def test_search_sets_custom_plans_for_its_own_transaction_only(url: str) -> None:
    reads = AsyncpgReads(url, pool_size=1)

    async def body() -> str:
        await reads.search_tweets(("common",), PAGE)
        [row] = await reads._fetch("SELECT current_setting('plan_cache_mode')")
        return str(row[0])

    assert run(reads, body) == "auto"


def test_a_thread_is_read_through_the_reply_index(url: str) -> None:
    plan = run_to_end(generic_plan(url, sql_of(url, lambda r: r.context(200, 2)), [200, 2]))
    assert not BIG_TABLES.search(plan), plan
    # The replies of each tweet of the thread, by a probe of the (in_reply_to_id, id) index.
    replies = r"(using|on) ix_tweets_in_reply_to_id_id .*\n\s+Index Cond: \(in_reply_to_id = "
    assert len(re.findall(replies, plan)) == 2, plan


def _thread(connection: Any, owner: int, parent: int, root: int, count: int) -> list[int]:
    """``count`` replies to ``parent``, oldest first."""
    rows = connection.execute(
        text(
            "INSERT INTO tweets (text, owner_id, in_reply_to_id, thread_root_id)"
            " SELECT 'reply', :owner, :parent, :root FROM generate_series(1, :count)"
            " RETURNING id"
        ),
        {"owner": owner, "parent": parent, "root": root, "count": count},
    )
    return sorted(row[0] for row in rows)


def test_a_thread_shows_its_first_replies_in_thread_order(url: str) -> None:
    """Past MAX_DESCENDANTS replies, the thread is cut where reading it in order
    would stop: not at its oldest replies, nor lost down a chain longer than the cut."""
    engine = build_engine(url)
    with engine.begin() as connection:
        [root] = _thread(connection, 1, 4_999, 4_999, 1)
        children = _thread(connection, 2, root, root, 30)
        for child in children:
            _thread(connection, 3, child, root, 40)
        [chain] = _thread(connection, 4, children[5], root, 1)
        for _ in range(MAX_DESCENDANTS + 10):
            [chain] = _thread(connection, 5, chain, root, 1)
        replies = connection.execute(
            text(
                "SELECT id, in_reply_to_id FROM tweets WHERE thread_root_id = :root AND id <> :root"
            ),
            {"root": root},
        ).all()
    engine.dispose()
    assert len(replies) > 2 * MAX_DESCENDANTS
    expected = depth_first(root, [(key, parent, key) for key, parent in replies])
    assert len(expected) == MAX_DESCENDANTS
    oldest = sorted(key for key, _ in replies)[:MAX_DESCENDANTS]
    assert sorted(key for _, key in expected) != oldest

    reads = AsyncpgReads(url)
    for tweet_id, parents in ((root, [4_999]), (children[5], [4_999, root])):
        thread = run(reads, functools.partial(reads.context, tweet_id))
        assert [card.tweet.id for card in thread.ancestors] == parents
        shown = [(reply.depth, reply.card.tweet.id) for reply in thread.descendants]
        below = [(key, parent, key) for key, parent in replies]
        assert shown == depth_first(tweet_id, below)
