"""Races over real HTTP, against the real service: one worker process, then two.

Each race releases its requests together (one thread and one connection each,
behind a barrier) and then asserts the exact outcome: which answers, which rows,
which counts, read both through the API and straight from the database. None may
answer 5xx, and the server must log no traceback. Each prints one line to quote::

    RACE <name> target=<1-worker|2-workers> fired=<n> ok=<2xx> 4xx=<n> 5xx=<n>

(shown by ``pytest -s`` or ``-rP``). PostgreSQL only, like test_concurrency.py: it
is the database that runs writers truly in parallel, and two workers need a server.
"""

from __future__ import annotations

import itertools
import os
import threading
import uuid
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx2
import pytest
from sqlalchemy import Engine, text

from tests.integration.api import PASSWORD
from tests.integration.live_server import LiveServer, live_server
from twitter.adapters.persistence.database import build_engine

pytestmark = pytest.mark.postgres

_numbers = itertools.count(1)
Job = Callable[[httpx2.Client], list[httpx2.Response]]


@pytest.fixture(
    scope="module",
    params=[pytest.param(1, id="1-worker"), pytest.param(2, id="2-workers")],
)
def server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveServer]:
    """``twitter serve --workers N`` on an empty database, shared by this module's races."""
    with live_server(request, tmp_path_factory.mktemp("server"), workers=request.param) as live:
        yield live


@pytest.fixture(scope="module")
def db(server: LiveServer) -> Iterator[Engine]:
    engine = build_engine(server.database_url)
    yield engine
    engine.dispose()


def _target(server: LiveServer) -> str:
    return "1-worker" if server.workers == 1 else f"{server.workers}-workers"


# Firing


@dataclass(frozen=True)
class Race:
    server: LiveServer
    answers: list[list[httpx2.Response]]  # per job, in the jobs' order
    spread: dict[int, int]  # worker pid: connections it held when the barrier fell

    @property
    def responses(self) -> list[httpx2.Response]:
        return [response for answers in self.answers for response in answers]


def race(server: LiveServer, jobs: Sequence[Job]) -> Race:
    """Run every job in its own thread with its own connection, all released together.

    Each connection is opened (and, with several workers, handed to one of them)
    before the barrier, so that what races is the requests, not the TCP handshakes;
    when the barrier falls, which worker holds which connection is noted.
    """
    server.mark_log()
    spread: dict[int, int] = {}
    barrier = threading.Barrier(
        len(jobs), action=lambda: spread.update(server.connections_per_worker())
    )

    def run(job: Job) -> list[httpx2.Response]:
        with server.client() as client:
            assert client.get("/health").status_code == 200
            barrier.wait(timeout=30)
            return job(client)

    with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
        futures = [pool.submit(run, job) for job in jobs]
        return Race(server, [future.result(timeout=120) for future in futures], spread)


@dataclass(frozen=True)
class Tally:
    fired: int
    ok: int
    client_errors: int
    server_errors: int
    statuses: Counter[int]

    @classmethod
    def of(cls, responses: Sequence[httpx2.Response]) -> Tally:
        statuses = Counter(response.status_code for response in responses)
        return cls(
            fired=len(responses),
            ok=sum(n for code, n in statuses.items() if 200 <= code < 300),
            client_errors=sum(n for code, n in statuses.items() if 400 <= code < 500),
            server_errors=sum(n for code, n in statuses.items() if code >= 500),
            statuses=statuses,
        )


def report(name: str, fired: Race) -> Tally:
    """Print the race's one-line summary, then fail on any 5xx (with its body), on a
    traceback in the server's log since the race began, or when a worker sat it out."""
    server, responses = fired.server, fired.responses
    tally = Tally.of(responses)
    spread = "+".join(str(n) for n in sorted(fired.spread.values(), reverse=True))
    print(  # noqa: T201 - the figures to quote
        f"RACE {name} target={_target(server)} fired={tally.fired} ok={tally.ok} "
        f"4xx={tally.client_errors} 5xx={tally.server_errors} "
        f"statuses={dict(sorted(tally.statuses.items()))} connections_per_worker={spread}"
    )
    failed = [(r.request.method, str(r.request.url), r.status_code, r.text) for r in responses]
    assert tally.server_errors == 0, [f for f in failed if f[2] >= 500]
    assert tally.ok + tally.client_errors == tally.fired, failed
    log = server.log_since_mark()
    assert "Traceback" not in log, log
    assert sum(fired.spread.values()) == len(fired.answers), fired.spread
    assert len(fired.spread) == server.workers, fired.spread
    assert all(fired.spread.values()), f"a worker had no connection: {fired.spread}"
    return tally


# Setting the scene, through the API


@dataclass(frozen=True)
class Account:
    id: int
    email: str
    headers: dict[str, str]


def _signup(server: LiveServer, email: str) -> Account:
    with server.client() as client:
        created = client.post("/users/", json={"email": email, "password": PASSWORD})
        assert created.status_code == 201, created.text
        token = client.post("/token", data={"username": email, "password": PASSWORD})
        assert token.status_code == 200, token.text
    headers = {"Authorization": f"Bearer {token.json()['access_token']}"}
    return Account(id=created.json()["id"], email=email, headers=headers)


def signup(server: LiveServer, count: int) -> list[Account]:
    emails = [f"racer{next(_numbers)}@example.com" for _ in range(count)]
    with ThreadPoolExecutor(max_workers=8) as pool:
        return list(pool.map(lambda email: _signup(server, email), emails))


def post_tweet(server: LiveServer, author: Account) -> int:
    with server.client() as client:
        response = client.post(
            f"/users/{author.id}/tweets/", json={"text": "race on me"}, headers=author.headers
        )
    assert response.status_code == 201, response.text
    tweet_id: int = response.json()["id"]
    return tweet_id


def get_ok(server: LiveServer, url: str) -> Any:
    with server.client() as client:
        response = client.get(url)
    assert response.status_code == 200, response.text
    return response.json()


def like(account: Account, tweet_id: int) -> Job:
    return lambda client: [
        client.post(
            f"/users/{account.id}/likes/", json={"tweet_id": tweet_id}, headers=account.headers
        )
    ]


def like_counts(db: Engine, tweet_id: int) -> tuple[int, int]:
    """(like_count, the number of like rows) of a tweet, straight from the database."""
    with db.connect() as connection:
        like_count = connection.execute(
            text("SELECT like_count FROM tweets WHERE id = :id"), {"id": tweet_id}
        ).scalar_one()
        rows = connection.execute(
            text("SELECT count(*) FROM likes WHERE tweet_id = :id"), {"id": tweet_id}
        ).scalar_one()
    return int(like_count), int(rows)


# Likes


def test_forty_users_liking_one_tweet_at_once_all_count(server: LiveServer, db: Engine) -> None:
    author, *fans = signup(server, 41)
    tweet_id = post_tweet(server, author)

    fired = race(server, [like(fan, tweet_id) for fan in fans])

    tally = report("40-users-like-one-tweet", fired)
    answers = fired.responses
    assert tally.statuses == {201: 40}, [r.text for r in answers if r.status_code != 201]
    assert sorted(r.json()["owner_id"] for r in answers) == sorted(fan.id for fan in fans)
    assert get_ok(server, f"/tweets/{tweet_id}")["like_count"] == 40
    liking = get_ok(server, f"/tweets/{tweet_id}/liking_users?limit=200")
    assert sorted(user["id"] for user in liking) == sorted(fan.id for fan in fans)
    assert like_counts(db, tweet_id) == (40, 40)


def test_one_user_liking_one_tweet_twenty_times_at_once_likes_it_once(
    server: LiveServer, db: Engine
) -> None:
    author, fan = signup(server, 2)
    tweet_id = post_tweet(server, author)

    fired = race(server, [like(fan, tweet_id)] * 20)

    tally = report("one-user-likes-20-times", fired)
    answers = fired.responses
    assert tally.statuses == {201: 1, 400: 19}, [r.text for r in answers]
    assert [r.json() for r in answers if r.status_code == 400] == [
        {"detail": "Tweet already liked"}
    ] * 19
    assert get_ok(server, f"/tweets/{tweet_id}")["like_count"] == 1
    assert [row["tweet_id"] for row in get_ok(server, f"/users/{fan.id}/likes/")] == [tweet_id]
    assert like_counts(db, tweet_id) == (1, 1)


# Replies and retweets


def _reply_then(account: Account, tweet_id: int, *, undo: bool) -> Job:
    """Reply to and retweet the tweet; with ``undo``, delete both again."""

    def job(client: httpx2.Client) -> list[httpx2.Response]:
        headers = account.headers
        reply = client.post(
            "/tweets/",
            json={"text": "racing reply", "reply": {"in_reply_to_tweet_id": tweet_id}},
            headers=headers,
        )
        shared = client.post(
            f"/users/{account.id}/retweets", json={"tweet_id": tweet_id}, headers=headers
        )
        answers = [reply, shared]
        if undo and reply.status_code == 201:
            answers.append(client.delete(f"/tweets/{reply.json()['id']}", headers=headers))
            answers.append(
                client.delete(f"/users/{account.id}/retweets/{tweet_id}", headers=headers)
            )
        return answers

    return job


def _leave(account: Account, tweet_id: int) -> Job:
    """Reply, retweet, then delete the whole account."""

    def job(client: httpx2.Client) -> list[httpx2.Response]:
        answers = _reply_then(account, tweet_id, undo=False)(client)
        answers.append(client.delete(f"/users/{account.id}", headers=account.headers))
        return answers

    return job


def reference_counts(db: Engine, tweet_id: int) -> dict[str, tuple[int, int]]:
    """(counter, rows) for replies and retweets of a tweet, and its author's
    notifications about it (counter: what the rows should be)."""
    with db.connect() as connection:
        row = connection.execute(
            text(
                "SELECT reply_count, retweet_count,"
                " (SELECT count(*) FROM tweets WHERE in_reply_to_id = t.id),"
                " (SELECT count(*) FROM tweets WHERE retweeted_id = t.id)"
                " FROM tweets AS t WHERE id = :id"
            ),
            {"id": tweet_id},
        ).one()
    return {"replies": (int(row[0]), int(row[2])), "retweets": (int(row[1]), int(row[3]))}


def test_twenty_users_replying_and_retweeting_while_some_take_it_back_keep_counts_true(
    server: LiveServer, db: Engine
) -> None:
    author, *racers = signup(server, 21)
    tweet_id = post_tweet(server, author)
    stay, undo, leave = racers[:10], racers[10:17], racers[17:]
    jobs = (
        [_reply_then(a, tweet_id, undo=False) for a in stay]
        + [_reply_then(a, tweet_id, undo=True) for a in undo]
        + [_leave(a, tweet_id) for a in leave]
    )

    fired = race(server, jobs)

    tally = report("20-users-reply-retweet-undo", fired)
    assert tally.client_errors == 0, [r.text for r in fired.responses if r.status_code >= 400]
    assert reference_counts(db, tweet_id) == {"replies": (10, 10), "retweets": (10, 10)}
    tweet = get_ok(server, f"/tweets/{tweet_id}")
    assert (tweet["reply_count"], tweet["retweet_count"]) == (10, 10)
    retweeters = get_ok(server, f"/tweets/{tweet_id}/retweeted_by?limit=200")
    assert sorted(u["id"] for u in retweeters) == sorted(a.id for a in stay)
    replies = get_ok(server, f"/tweets/{tweet_id}/context")["descendants"]
    assert sorted(r["owner_id"] for r in replies) == sorted(a.id for a in stay)
    with server.client() as client:
        inbox = client.get(
            f"/users/{author.id}/notifications?limit=200", headers=author.headers
        ).json()
    kinds = Counter((n["type"], n["actor"]["id"]) for n in inbox)
    assert kinds == Counter({(kind, a.id): 1 for a in stay for kind in ("reply", "retweet")})


def test_one_user_retweeting_one_tweet_twenty_times_at_once_retweets_it_once(
    server: LiveServer, db: Engine
) -> None:
    author, fan = signup(server, 2)
    tweet_id = post_tweet(server, author)

    def retweet(client: httpx2.Client) -> list[httpx2.Response]:
        return [
            client.post(
                f"/users/{fan.id}/retweets", json={"tweet_id": tweet_id}, headers=fan.headers
            )
        ]

    fired = race(server, [retweet] * 20)

    tally = report("one-user-retweets-20-times", fired)
    assert tally.statuses == {201: 1, 400: 19}, [r.text for r in fired.responses]
    assert {r.json()["detail"] for r in fired.responses if r.status_code == 400} == {
        "Tweet already retweeted"
    }
    assert reference_counts(db, tweet_id)["retweets"] == (1, 1)
    assert get_ok(server, f"/tweets/{tweet_id}")["retweet_count"] == 1


# Registrations


def case_variants(email: str, count: int) -> list[str]:
    """``count`` spellings of ``email`` that differ only in the case of their letters."""
    letters = [i for i, char in enumerate(email) if char.isalpha()]
    assert 2 ** len(letters) >= count
    variants = []
    for n in range(count):
        chars = list(email.lower())
        for bit, position in enumerate(letters):
            if (n * 0x9E3779B1 >> bit) & 1:  # spread the upper-case letters around
                chars[position] = chars[position].upper()
        variants.append("".join(chars))
    assert len(set(variants)) == count, variants
    return variants


def test_twenty_registrations_of_one_email_in_different_cases_make_one_account(
    server: LiveServer, db: Engine
) -> None:
    email = f"race{uuid.uuid4().hex[:6]}@example.com"
    spellings = case_variants(email, 20)

    def register(spelling: str) -> Job:
        return lambda client: [
            client.post("/users/", json={"email": spelling, "password": PASSWORD})
        ]

    fired = race(server, [register(s) for s in spellings])

    tally = report("20-registrations-one-email", fired)
    answers = fired.responses
    assert tally.statuses == {201: 1, 400: 19}, [r.text for r in answers]
    assert [r.json() for r in answers if r.status_code == 400] == [
        {"detail": "Email already registered"}
    ] * 19
    (created,) = [r.json() for r in answers if r.status_code == 201]
    assert created["email"] == email
    with db.connect() as connection:
        rows = connection.execute(
            text("SELECT id, email FROM users WHERE lower(email) = :email"), {"email": email}
        ).all()
    assert [tuple(row) for row in rows] == [(created["id"], email)]
    with server.client() as client:  # and the one account is usable
        token = client.post("/token", data={"username": spellings[-1], "password": PASSWORD})
    assert token.status_code == 200, token.text


# Follows


def follow(account: Account, target: int) -> Callable[[httpx2.Client], httpx2.Response]:
    return lambda client: client.post(
        f"/users/{account.id}/following", json={"target_user_id": target}, headers=account.headers
    )


def unfollow(account: Account, target: int) -> Callable[[httpx2.Client], httpx2.Response]:
    return lambda client: client.delete(
        f"/users/{account.id}/following/{target}", headers=account.headers
    )


def in_turn(*requests: Callable[[httpx2.Client], httpx2.Response]) -> Job:
    """One job sending ``requests`` one after the other on its connection."""
    return lambda client: [send(client) for send in requests]


def test_a_block_racing_follows_both_ways_leaves_no_follow_between_the_two(
    server: LiveServer, db: Engine
) -> None:
    """The block takes both users' rows FOR UPDATE; a follow holds them FOR KEY SHARE
    and then checks for blocks: either the follow came first and the block ends it, or
    it sees the block and is refused."""
    ada, bob = signup(server, 2)
    block = in_turn(
        lambda client: client.post(
            f"/users/{ada.id}/blocking", json={"target_user_id": bob.id}, headers=ada.headers
        )
    )
    jobs = [block, *[in_turn(follow(bob, ada.id))] * 10, *[in_turn(follow(ada, bob.id))] * 5]

    fired = race(server, jobs)

    tally = report("block-racing-follows", fired)
    assert fired.answers[0][0].status_code == 201
    assert set(tally.statuses) <= {201, 400, 403}, [r.text for r in fired.responses]
    with db.connect() as connection:
        between = connection.execute(
            text(
                "SELECT count(*) FROM follows"
                " WHERE (follower_id, followee_id) IN ((:a, :b), (:b, :a))"
            ),
            {"a": ada.id, "b": bob.id},
        ).scalar()
        blocks = connection.execute(text("SELECT count(*) FROM blocks")).scalar()
    assert (between, blocks) == (0, 1)
    assert get_ok(server, f"/users/{ada.id}/followers") == []
    assert get_ok(server, f"/users/{ada.id}/following") == []


def test_concurrent_follows_and_unfollows_leave_a_consistent_graph(
    server: LiveServer, db: Engine
) -> None:
    """Ten users each follow the star in one thread while unfollowing it in another,
    follow both neighbours on a ring (who follow them back at the same moment) while
    the star follows all ten and unfollows half of them again."""
    rounds = 4
    star, *fans = signup(server, 11)
    ring = list(zip(fans, fans[1:] + fans[:1], strict=True))  # (a, b): b follows a back
    jobs: list[Job] = []
    for fan in fans:
        jobs.append(in_turn(*[follow(fan, star.id)] * rounds))
        jobs.append(in_turn(*[unfollow(fan, star.id)] * rounds))
    for a, b in ring:
        jobs.append(in_turn(follow(a, b.id)))
        jobs.append(in_turn(follow(b, a.id)))
    jobs.append(
        in_turn(
            *[follow(star, fan.id) for fan in fans], *[unfollow(star, fan.id) for fan in fans[::2]]
        )
    )

    fired = race(server, jobs)

    report("follow-unfollow-graph", fired)
    answers = fired.answers
    for response in fired.responses:
        if response.request.method == "POST":
            assert response.status_code in (201, 400), response.text
        else:
            assert response.status_code in (204, 404), response.text
        if response.status_code >= 400:
            assert isinstance(response.json()["detail"], str), response.text
    # Every follow that succeeded made the row, every unfollow that succeeded removed it:
    # per (fan, star), successes alternate, so they tell whether the row is there now.
    expected: set[tuple[int, int]] = set()
    for index, fan in enumerate(fans):
        followed = sum(r.status_code == 201 for r in answers[2 * index])
        unfollowed = sum(r.status_code == 204 for r in answers[2 * index + 1])
        assert followed - unfollowed in (0, 1), (fan.id, followed, unfollowed)
        if followed - unfollowed:
            expected.add((fan.id, star.id))
    ring_answers = answers[2 * len(fans) : -1]
    assert [r.status_code for rs in ring_answers for r in rs] == [201] * 2 * len(fans)
    expected |= {(a.id, b.id) for a, b in ring} | {(b.id, a.id) for a, b in ring}
    assert [r.status_code for r in answers[-1]] == [201] * len(fans) + [204] * len(fans[::2])
    expected |= {(star.id, fan.id) for fan in fans[1::2]}

    ours = [star.id, *(fan.id for fan in fans)]
    with db.connect() as connection:
        rows = connection.execute(
            text(
                "SELECT follower_id, followee_id FROM follows "
                "WHERE follower_id = ANY(:ours) OR followee_id = ANY(:ours)"
            ),
            {"ours": ours},
        ).all()
    edges = [(int(a), int(b)) for a, b in rows]
    assert len(edges) == len(set(edges)), "duplicate follows"
    assert set(edges) == expected

    for user in ours:
        following = get_ok(server, f"/users/{user}/following?limit=200")
        followers = get_ok(server, f"/users/{user}/followers?limit=200")
        assert sorted(u["id"] for u in following) == sorted(b for a, b in edges if a == user)
        assert sorted(u["id"] for u in followers) == sorted(a for a, b in edges if b == user)


# The helper itself


def test_the_live_server_runs_as_many_workers_as_asked(
    request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    """``live_server`` as another test would use it: its own server, its own workers."""
    with live_server(request, tmp_path, workers=2) as live, live.client() as client:
        assert client.get("/health").json() == {"status": "ok", "database": "ok"}
        workers = live.worker_pids()
        assert len(workers) == 2, live.log()

    assert live.process.returncode is not None
    for pid in workers:  # the workers are gone with it
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)
