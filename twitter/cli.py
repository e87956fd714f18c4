"""The ``twitter`` command: serve the API and manage the database schema."""

from __future__ import annotations

import argparse
import atexit
import os
import shutil
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from twitter.adapters.persistence import migrations
from twitter.adapters.persistence.database import build_engine
from twitter.domain.model import validate_password
from twitter.settings import ConfigurationError, Settings

SEED_PASSWORD = "seed-password"


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    arguments = parser.parse_args(argv)
    try:
        return int(arguments.run(arguments, Settings()) or 0)
    except ConfigurationError as error:
        print(f"twitter: {error}", file=sys.stderr)
        return 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="twitter", description=__doc__)
    commands = parser.add_subparsers(required=True, metavar="COMMAND")

    serve = commands.add_parser("serve", help="run the HTTP API (Swagger UI at /docs)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=1, help="worker processes")
    serve.add_argument("--reload", action="store_true", help="restart on code changes")
    serve.add_argument(
        "--no-access-log", action="store_true", help="do not log every request (faster)"
    )
    serve.add_argument(
        "--graceful-timeout",
        type=float,
        metavar="SECONDS",
        help="on SIGTERM, how long requests in flight may take to finish (default: as long "
        "as they need); no new connection is taken meanwhile",
    )
    serve.add_argument(
        "--forwarded-allow-ips",
        metavar="ADDRESSES",
        help="comma-separated addresses or networks of the reverse proxies trusted to name "
        "the client in X-Forwarded-For (default: $FORWARDED_ALLOW_IPS, else 127.0.0.1,::1); "
        "never '*': anyone could then choose the address they are counted under",
    )
    serve.set_defaults(run=_serve)

    seed = commands.add_parser(
        "seed", help="fill the database with synthetic users, tweets, likes and follows"
    )
    seed.add_argument("--users", type=_count, default=1_000)
    seed.add_argument("--tweets", type=_count, default=10_000)
    seed.add_argument("--likes", type=_count, default=20_000)
    seed.add_argument("--follows", type=_count, default=5_000)
    seed.add_argument("--seed", type=int, default=0, help="random seed: same seed, same data")
    seed.add_argument(
        "--password",
        default=SEED_PASSWORD,
        help=f"the password every seeded user logs in with (default: {SEED_PASSWORD!r})",
    )
    seed.set_defaults(run=_seed)

    db = commands.add_parser("db", help="manage the database schema (Alembic)")
    db_commands = db.add_subparsers(required=True, metavar="ACTION")
    up = db_commands.add_parser("upgrade", help="migrate up (default: to the newest)")
    up.add_argument("revision", nargs="?", default="head")
    up.set_defaults(run=lambda a, s: migrations.upgrade(s.database_url, a.revision))
    down = db_commands.add_parser("downgrade", help="migrate down to a revision ('base': empty)")
    down.add_argument("revision")
    down.set_defaults(run=lambda a, s: migrations.downgrade(s.database_url, a.revision))
    current = db_commands.add_parser("current", help="print the schema's revision and the newest")
    current.set_defaults(run=_current)
    return parser


def _count(value: str) -> int:
    number = int(value)
    if number < 0:
        raise argparse.ArgumentTypeError("must not be negative")
    return number


def _seed(arguments: argparse.Namespace, settings: Settings) -> int:
    from tqdm import tqdm

    from twitter.adapters.persistence.seeding import SeedPlan, seed_database
    from twitter.adapters.security import Argon2PasswordHasher

    if settings.is_sqlite:
        migrations.upgrade(settings.database_url)
    plan = SeedPlan(
        users=arguments.users,
        tweets=arguments.tweets,
        likes=arguments.likes,
        follows=arguments.follows,
        seed=arguments.seed,
    )
    hasher = Argon2PasswordHasher(
        memory_kib=settings.argon2_memory_kib,
        time_cost=settings.argon2_time_cost,
        parallelism=settings.argon2_parallelism,
    )
    # One hash for everybody: hashing a million passwords would take hours.
    hashed = hasher.hash(validate_password(arguments.password))
    bars: dict[str, tqdm[Any]] = {}

    def progress(table: str, done: int, total: int) -> None:
        if table not in bars:
            bars[table] = tqdm(total=total, desc=f"{table:>7}", unit=" rows")
        bar = bars[table]
        bar.update(done - bar.n)
        if done >= total:
            bar.close()

    engine = _engine(settings)
    try:
        report = seed_database(engine, plan, hashed, progress)
    except ValueError as error:
        print(f"twitter: {error}", file=sys.stderr)
        return 2
    finally:
        engine.dispose()
    print(
        f"seeded {report.users} users (from id {report.first_user_id}, emails "
        f"seed<id>@example.com, password {arguments.password!r}), {report.tweets} tweets "
        f"({report.retweets} of them retweets), {report.likes} likes, {report.follows} follows, "
        f"{report.notifications} notifications"
    )
    return 0


def _engine(settings: Settings) -> Engine:
    """A one-off engine for a command, with the configured timeouts."""
    return build_engine(
        settings.database_url,
        connect_timeout=settings.db_connect_timeout_seconds,
        statement_timeout_ms=settings.db_statement_timeout_ms,
    )


def _current(_: argparse.Namespace, settings: Settings) -> int:
    engine = _engine(settings)
    try:
        print(f"current: {migrations.current_revision(engine) or 'none (empty database)'}")
    finally:
        engine.dispose()
    print(f"newest:  {migrations.head_revision(settings.database_url)}")
    return 0


def _serve(arguments: argparse.Namespace, settings: Settings) -> int:
    import uvicorn

    from twitter.adapters.http.logs import log_config

    settings.token_secret()  # a missing secret stops here, with its message, not in a worker
    if settings.is_sqlite:
        migrations.upgrade(settings.database_url)
    else:
        engine = _engine(settings)
        try:
            current = migrations.current_revision(engine)
        finally:
            engine.dispose()
        head = migrations.head_revision(settings.database_url)
        if current != head:
            print(
                f"twitter: the database schema is at {current or 'nothing'}, the code needs "
                f"{head}. Run `twitter db upgrade` first.",
                file=sys.stderr,
            )
            return 2
    _share_metrics_between_workers(arguments.workers)
    uvicorn.run(
        "twitter.main:create_app",
        factory=True,
        host=arguments.host,
        port=arguments.port,
        workers=arguments.workers,
        reload=arguments.reload,
        access_log=not arguments.no_access_log,
        forwarded_allow_ips=arguments.forwarded_allow_ips,  # None: uvicorn reads the variable
        timeout_graceful_shutdown=arguments.graceful_timeout,
        log_config=log_config(as_json=settings.log_format == "json"),
    )
    return 0


def _share_metrics_between_workers(workers: int) -> None:
    """With several workers, each writes its metrics to files in one folder, so that
    whichever answers ``/metrics`` reports them all. Set before any worker starts
    (prometheus-client reads it on import); an operator's own folder is kept, but
    emptied of an earlier run's files, as prometheus-client requires."""
    from twitter.adapters.http.metrics import MULTIPROCESS_FOLDER

    folder = os.environ.get(MULTIPROCESS_FOLDER)
    if workers <= 1 and not folder:
        return
    if folder:
        for stale in Path(folder).glob("*.db"):
            stale.unlink()
    else:
        folder = tempfile.mkdtemp(prefix="twitter-metrics-")
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        os.environ[MULTIPROCESS_FOLDER] = folder
