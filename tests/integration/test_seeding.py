"""`twitter seed` writes data that keeps every invariant, on both databases."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from tests.awaiting import run_to_end
from twitter.adapters.persistence.seeding import SeedPlan, seed_database

PLAN = SeedPlan(users=60, tweets=400, likes=900, follows=300, seed=7, heavy_follows=40)


def _scalar(engine: Engine, sql: str) -> int:
    with engine.connect() as connection:
        return int(connection.execute(text(sql)).scalar_one())


def test_seeded_data_keeps_every_invariant(engine: Engine) -> None:
    report = seed_database(engine, PLAN, hashed_password="$argon2id$not-a-real-hash")

    assert (report.users, report.tweets, report.likes, report.follows) == (60, 400, 900, 300)
    assert _scalar(engine, "SELECT count(*) FROM users") == 60
    assert _scalar(engine, "SELECT count(*) FROM likes") == 900
    assert _scalar(engine, "SELECT count(*) FROM follows") == 300
    miscounted = (
        "SELECT count(*) FROM tweets t "
        "WHERE t.like_count <> (SELECT count(*) FROM likes l WHERE l.tweet_id = t.id)"
    )
    assert _scalar(engine, miscounted) == 0
    assert _scalar(engine, "SELECT count(*) FROM follows WHERE follower_id = followee_id") == 0
    assert (
        _scalar(engine, f"SELECT count(*) FROM follows WHERE follower_id = {report.first_user_id}")
        >= 40
    )


def test_seeded_retweets_and_notifications_keep_the_invariants(engine: Engine) -> None:
    report = seed_database(engine, PLAN, hashed_password="x")

    assert 20 <= report.retweets <= 60  # about a tenth of 400
    assert _scalar(engine, "SELECT count(*) FROM tweets WHERE retweeted_id IS NOT NULL") == (
        report.retweets
    )
    miscounted = (
        "SELECT count(*) FROM tweets t "
        "WHERE t.retweet_count <> (SELECT count(*) FROM tweets r WHERE r.retweeted_id = t.id)"
    )
    assert _scalar(engine, miscounted) == 0
    own_or_chained = (
        "SELECT count(*) FROM tweets r JOIN tweets o ON o.id = r.retweeted_id "
        "WHERE o.owner_id = r.owner_id OR o.retweeted_id IS NOT NULL OR r.text <> o.text"
    )
    assert _scalar(engine, own_or_chained) == 0
    liked_retweets = (
        "SELECT count(*) FROM likes l JOIN tweets t ON t.id = l.tweet_id "
        "WHERE t.retweeted_id IS NOT NULL"
    )
    assert _scalar(engine, liked_retweets) == 0
    expected = (
        _scalar(
            engine,
            "SELECT count(*) FROM likes l JOIN tweets t ON t.id = l.tweet_id "
            "WHERE t.owner_id <> l.owner_id",
        )
        + report.retweets
        + report.follows
    )
    assert report.notifications == expected
    assert _scalar(engine, "SELECT count(*) FROM notifications") == expected
    unread = _scalar(engine, "SELECT count(*) FROM notifications WHERE NOT read")
    assert unread == expected - expected * 9 // 10


def test_seeding_twice_adds_to_the_data_and_new_rows_still_get_fresh_ids(engine: Engine) -> None:
    seed_database(engine, PLAN, hashed_password="x")
    second = seed_database(engine, PLAN, hashed_password="x")

    assert second.first_user_id == 61
    assert _scalar(engine, "SELECT count(*) FROM tweets") == 800
    with engine.begin() as connection:
        new_id = connection.execute(
            text(
                "INSERT INTO users (email, username, display_name, hashed_password, created_at) "
                "VALUES ('late@example.com', 'late', 'late', 'x', CURRENT_TIMESTAMP) RETURNING id"
            )
        ).scalar_one()
    assert new_id == 121


def test_asking_for_more_distinct_pairs_than_exist_is_refused(engine: Engine) -> None:
    with pytest.raises(ValueError, match="distinct pairs"):
        seed_database(engine, SeedPlan(users=2, tweets=1, likes=3, follows=0), "x")


def test_the_seed_command_lets_seeded_users_log_in(tmp_path: Path) -> None:
    env = {"PATH": "/usr/bin:/bin", "TWITTER_DATABASE_URL": f"sqlite:///{tmp_path}/seeded.db"}
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "twitter",
            "seed",
            "--users",
            "5",
            "--tweets",
            "20",
            "--likes",
            "10",
            "--follows",
            "6",
        ],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "seeded 5 users" in done.stdout

    from dependency_injector import providers

    from twitter.application import commands
    from twitter.container import Container
    from twitter.settings import Settings

    container = Container(
        settings=providers.Object(Settings(database_url=env["TWITTER_DATABASE_URL"]))
    )
    container.init_resources()
    token = container.authenticate()(
        commands.LoginAttempt(login="seed3@example.com", password="seed-password")
    )
    assert run_to_end(container.identify_user()(token)).username == "seed3"
    container.shutdown_resources()
