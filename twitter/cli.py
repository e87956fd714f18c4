"""The ``twitter`` command: serve the API and manage the database schema."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from twitter.adapters.persistence import migrations
from twitter.adapters.persistence.database import build_engine
from twitter.settings import ConfigurationError, Settings


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
    serve.set_defaults(run=_serve)

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


def _current(_: argparse.Namespace, settings: Settings) -> int:
    engine = build_engine(settings.database_url)
    try:
        print(f"current: {migrations.current_revision(engine) or 'none (empty database)'}")
    finally:
        engine.dispose()
    print(f"newest:  {migrations.head_revision(settings.database_url)}")
    return 0


def _serve(arguments: argparse.Namespace, settings: Settings) -> int:
    import uvicorn

    settings.token_secret()  # a missing secret stops here, with its message, not in a worker
    if settings.is_sqlite:
        migrations.upgrade(settings.database_url)
    else:
        engine = build_engine(settings.database_url)
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
    uvicorn.run(
        "twitter.main:create_app",
        factory=True,
        host=arguments.host,
        port=arguments.port,
        workers=arguments.workers,
        reload=arguments.reload,
    )
    return 0
