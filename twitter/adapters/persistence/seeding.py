"""Fill a database with realistic synthetic data, fast, keeping every invariant.

Rows are generated in Python from a seeded random generator, then written in bulk:
``COPY`` on PostgreSQL, ``executemany`` on SQLite, in one transaction. Ids follow
whatever the tables already hold, so seeding twice adds to the data. Every like
and follow is unique, no one follows themself, and each tweet's ``like_count`` is
the number of likes generated for it. A share of the tweets are retweets of older
ones (once per user and original, never one's own; each original's
``retweet_count`` counted), and every like, retweet and follow notifies its target,
the older nine in ten of them read. The first seeded user follows up to
``heavy_follows`` accounts, for measuring a busy home timeline. Tweets carry their
search words, common ones and a long tail of rare ones (``RARE_WORDS``).
"""

from __future__ import annotations

import io
import random
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from itertools import islice
from typing import Any

from sqlalchemy import Engine, text

from twitter.domain.search import search_text_of

CHUNK = 50_000
WORDS = (
    "the a an and or but so then now today tomorrow yesterday coffee code tea bug fix ship "
    "deploy review merge test green red build cloud rain sun music book film walk run city "
    "train late early happy tired great weird new old small big quick slow data python sql "
    "index query cache love hate think know learn teach friend team lunch dinner weekend "
    "café naïve résumé"
).split()
RARE_WORDS = 20_000
"""A long tail: one sentence in three also carries one of this many rare words
(``rare<n>``), each in a few dozen tweets of a million, as names and topics are."""

Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class SeedPlan:
    users: int
    tweets: int
    likes: int
    follows: int
    seed: int = 0
    heavy_follows: int = 1_000
    retweet_share: float = 0.1
    """Of the tweets, how many (about) are retweets."""


@dataclass(frozen=True)
class SeedReport:
    first_user_id: int
    users: int
    tweets: int
    likes: int
    follows: int
    retweets: int = 0
    notifications: int = 0


def seed_database(
    engine: Engine, plan: SeedPlan, hashed_password: str, progress: Progress | None = None
) -> SeedReport:
    if plan.users < 1 and (plan.tweets or plan.likes or plan.follows):
        raise ValueError("tweets, likes and follows need at least one user")
    on_progress = progress or (lambda _table, _done, _total: None)
    rng = random.Random(plan.seed)
    now = datetime.now(UTC)
    with engine.begin() as connection:
        base = {
            table: connection.execute(
                text(f"SELECT coalesce(max(id), 0) FROM {table}")
            ).scalar_one()
            for table in ("users", "tweets", "likes", "follows", "notifications")
        }
    users = range(base["users"] + 1, base["users"] + plan.users + 1)
    tweet_ids = range(base["tweets"] + 1, base["tweets"] + plan.tweets + 1)
    owners = [_skewed(rng, users) for _ in tweet_ids]
    shares = _retweets(rng, plan.retweet_share, owners)
    texts: list[str] = []
    for i in range(len(tweet_ids)):
        texts.append(texts[shares[i]] if i in shares else _sentence(rng))
    originals = [tid for i, tid in enumerate(tweet_ids) if i not in shares]
    likes = _unique_pairs(rng, plan.likes, users, originals, allow_same=True)
    follows = _follow_pairs(rng, plan, users)
    like_counts = Counter(tweet for _, tweet in likes)
    retweet_counts = Counter(tweet_ids[j] for j in shares.values())

    def spread(count: int, days: int) -> Callable[[int], datetime]:
        start = now - timedelta(days=days)
        step = timedelta(days=days) / max(count, 1)
        return lambda index: start + step * index

    user_time, tweet_time = spread(plan.users, 720), spread(plan.tweets, 360)
    like_time, follow_time = spread(len(likes), 360), spread(len(follows), 360)
    notices = sorted(
        [
            *(
                (tweet_time(i), owners[j], owners[i], "retweet", tweet_ids[j])
                for i, j in shares.items()
            ),
            *(
                (like_time(n), owners[tweet - tweet_ids.start], liker, "like", tweet)
                for n, (liker, tweet) in enumerate(likes)
                if owners[tweet - tweet_ids.start] != liker
            ),
            *(
                (follow_time(n), followee, follower, "follow", None)
                for n, (follower, followee) in enumerate(follows)
            ),
        ],
        key=lambda notice: notice[0],
    )
    read_before = len(notices) * 9 // 10
    tables: list[tuple[str, Sequence[str], int, Iterator[tuple[Any, ...]]]] = [
        (
            "users",
            ("id", "email", "username", "display_name", "hashed_password", "created_at"),
            plan.users,
            (
                (uid, f"seed{uid}@example.com", *[f"seed{uid}"] * 2, hashed_password, user_time(i))
                for i, uid in enumerate(users)
            ),
        ),
        (
            "tweets",
            (
                "id",
                "text",
                "owner_id",
                "like_count",
                "retweet_count",
                "retweeted_id",
                "created_at",
                "search_text",
            ),
            plan.tweets,
            (
                (
                    tid,
                    texts[i],
                    owners[i],
                    like_counts.get(tid, 0),
                    retweet_counts.get(tid, 0),
                    tweet_ids[shares[i]] if i in shares else None,
                    tweet_time(i),
                    None if i in shares else search_text_of(texts[i]),
                )
                for i, tid in enumerate(tweet_ids)
            ),
        ),
        (
            "likes",
            ("id", "owner_id", "tweet_id", "created_at"),
            len(likes),
            (
                (base["likes"] + i + 1, owner, tweet, like_time(i))
                for i, (owner, tweet) in enumerate(likes)
            ),
        ),
        (
            "follows",
            ("id", "follower_id", "followee_id", "created_at"),
            len(follows),
            (
                (base["follows"] + i + 1, follower, followee, follow_time(i))
                for i, (follower, followee) in enumerate(follows)
            ),
        ),
        (
            "notifications",
            ("id", "recipient_id", "actor_id", "type", "tweet_id", "created_at", "read"),
            len(notices),
            (
                (base["notifications"] + n + 1, recipient, actor, kind, tweet, at, n < read_before)
                for n, (at, recipient, actor, kind, tweet) in enumerate(notices)
            ),
        ),
    ]
    postgres = engine.dialect.name == "postgresql"
    write = _copy if postgres else _insert
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        if not postgres:  # our SQLite connections autocommit unless told otherwise
            cursor.execute("BEGIN IMMEDIATE")
        for table, columns, total, rows in tables:
            done = 0
            on_progress(table, 0, total)
            while chunk := list(islice(rows, CHUNK)):
                write(cursor, table, columns, chunk)
                done += len(chunk)
                on_progress(table, done, total)
        if postgres:
            for table, *_ in tables:
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT coalesce(max(id), 1) FROM {table}))"
                )
        if postgres:
            raw.commit()
        else:
            cursor.execute("COMMIT")
        cursor.close()
    finally:
        raw.close()
    # VACUUM too, not only ANALYZE: it sets the visibility map that index-only scans need.
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("VACUUM ANALYZE" if postgres else "ANALYZE"))
    return SeedReport(
        first_user_id=users.start if plan.users else 0,
        users=plan.users,
        tweets=plan.tweets,
        likes=len(likes),
        follows=len(follows),
        retweets=len(shares),
        notifications=len(notices),
    )


def _skewed(rng: random.Random, ids: range) -> int:
    """Some accounts are far busier than others: low ids are picked more often."""
    return ids[int(len(ids) * rng.random() ** 2)]


def _retweets(rng: random.Random, share: float, owners: Sequence[int]) -> dict[int, int]:
    """Which tweets (by index) are retweets, and of which older original: never of
    one's own tweet, once per owner and original."""
    shares: dict[int, int] = {}
    seen: set[tuple[int, int]] = set()
    for i in range(1, len(owners)):
        if rng.random() >= share:
            continue
        j = rng.randrange(i)
        j = shares.get(j, j)
        if owners[j] != owners[i] and (owners[i], j) not in seen:
            seen.add((owners[i], j))
            shares[i] = j
    return shares


def _sentence(rng: random.Random) -> str:
    chosen = rng.choices(WORDS, k=rng.randint(3, 30))
    if rng.random() < 1 / 3:
        chosen.insert(rng.randrange(len(chosen)), f"rare{rng.randrange(RARE_WORDS)}")
    return " ".join(chosen).capitalize()[:280]


def _unique_pairs(
    rng: random.Random,
    wanted: int,
    left: range,
    right: Sequence[int],
    *,
    allow_same: bool,
    start: Sequence[tuple[int, int]] = (),
) -> list[tuple[int, int]]:
    """``wanted`` distinct random (left, right) pairs, beginning with ``start``."""
    possible = len(left) * len(right) - (0 if allow_same else len(set(left) & set(right)))
    if wanted > possible:
        raise ValueError(f"asked for {wanted} distinct pairs but only {possible} exist")
    pairs = list(start)
    seen = set(pairs)
    while len(pairs) < wanted:
        pair = (left[rng.randrange(len(left))], right[rng.randrange(len(right))])
        if pair in seen or (not allow_same and pair[0] == pair[1]):
            continue
        seen.add(pair)
        pairs.append(pair)
    return pairs


def _follow_pairs(rng: random.Random, plan: SeedPlan, users: range) -> list[tuple[int, int]]:
    if plan.follows == 0:
        return []
    heavy = users[0]
    followed = rng.sample(users[1:], min(plan.heavy_follows, len(users) - 1, plan.follows))
    start = [(heavy, followee) for followee in followed]
    return _unique_pairs(rng, plan.follows, users, users, allow_same=False, start=start)


def _copy(cursor: Any, table: str, columns: Sequence[str], rows: Iterable[tuple[Any, ...]]) -> None:
    buffer = io.StringIO()
    for row in rows:
        buffer.write("\t".join(_copy_value(value) for value in row))
        buffer.write("\n")
    buffer.seek(0)
    cursor.copy_expert(f"COPY {table} ({', '.join(columns)}) FROM STDIN", buffer)


def _copy_value(value: Any) -> str:
    if value is None:
        return "\\N"
    return value.isoformat() if isinstance(value, datetime) else str(value)


def _insert(
    cursor: Any, table: str, columns: Sequence[str], rows: Iterable[tuple[Any, ...]]
) -> None:
    marks = ", ".join("?" for _ in columns)
    values = [
        tuple(
            v.astimezone(UTC).replace(tzinfo=None).isoformat(" ") if isinstance(v, datetime) else v
            for v in row
        )
        for row in rows
    ]
    cursor.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", values)
