"""Which async PostgreSQL driver the read port runs on (issue #11): asyncpg, or psycopg 3.

Each driver serves the same two reads from one pool of 10 connections with prepared
statements, rows straight into orjson, in an ``async`` route (no thread hop):
``GET /users/{id}`` (a point read) and ``GET /tweets?limit=50`` (a page joined with its
authors), beside ``/ping`` with no database as the ceiling. Both servers are started
here, one uvicorn worker each, and loaded with wrk in turn, interleaved run by run, so
the ratios come from one run:

    python bench/read_drivers.py --url postgresql://postgres@127.0.0.1:5432/bench_after

(a database seeded with ``twitter seed``). Needs ``asyncpg``, ``psycopg[binary,pool]``,
``orjson``, ``fastapi`` and ``uvicorn`` in the Python that runs it, and wrk.
``--no-prepare`` measures both without prepared statements (what pgbouncer in
transaction mode forces, #12).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

USER = "SELECT id, username, created_at FROM users WHERE id = {0}"
PAGE = (
    "SELECT t.id, t.text, t.created_at, t.like_count, u.id, u.username "
    "FROM tweets t JOIN users u ON u.id = t.owner_id ORDER BY t.id DESC LIMIT {0}"
)
POOL_SIZE = 10
DRIVERS = ("asyncpg", "psycopg")


def user_view(row: Any) -> dict[str, Any]:
    return {"id": row[0], "username": row[1], "created_at": row[2]}


def page_view(rows: list[Any]) -> list[dict[str, Any]]:
    return [
        {
            "id": r[0],
            "text": r[1],
            "created_at": r[2],
            "like_count": r[3],
            "owner": {"id": r[4], "username": r[5]},
        }
        for r in rows
    ]


def build_app(driver: str, dsn: str, prepare: bool) -> Any:
    import orjson
    from fastapi import FastAPI
    from fastapi.responses import Response

    state: dict[str, Any] = {}

    def json(value: Any, status: int = 200) -> Response:
        return Response(orjson.dumps(value), status, media_type="application/json")

    if driver == "asyncpg":
        import asyncpg

        @asynccontextmanager
        async def lifespan(_: FastAPI) -> AsyncIterator[None]:
            state["pool"] = await asyncpg.create_pool(
                dsn,
                min_size=POOL_SIZE,
                max_size=POOL_SIZE,
                statement_cache_size=100 if prepare else 0,
            )
            yield
            await state["pool"].close()

        async def one(sql: str, *args: object) -> Any:
            return await state["pool"].fetchrow(sql.format("$1"), *args)

        async def many(sql: str, *args: object) -> list[Any]:
            return list(await state["pool"].fetch(sql.format("$1"), *args))

    else:
        from psycopg_pool import AsyncConnectionPool

        @asynccontextmanager
        async def lifespan(_: FastAPI) -> AsyncIterator[None]:
            pool = AsyncConnectionPool(
                dsn,
                min_size=POOL_SIZE,
                max_size=POOL_SIZE,
                kwargs={"prepare_threshold": 0 if prepare else None, "autocommit": True},
                open=False,
            )
            await pool.open(wait=True)
            state["pool"] = pool
            yield
            await pool.close()

        async def one(sql: str, *args: object) -> Any:
            async with state["pool"].connection() as conn:
                cursor = await conn.execute(sql.format("%s"), args, binary=True)
                return await cursor.fetchone()

        async def many(sql: str, *args: object) -> list[Any]:
            async with state["pool"].connection() as conn:
                cursor = await conn.execute(sql.format("%s"), args, binary=True)
                return await cursor.fetchall()

    app = FastAPI(lifespan=lifespan)

    @app.get("/users/{user_id}")
    async def read_user(user_id: int) -> Response:
        row = await one(USER, user_id)
        return json(user_view(row)) if row else json({"detail": "User not found"}, 404)

    @app.get("/tweets")
    async def list_tweets(limit: int = 50) -> Response:
        return json(page_view(await many(PAGE, limit)))

    @app.get("/ping")
    async def ping() -> Response:
        return json({"ping": "pong"})

    return app


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_until_up(base: str, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(base + "/ping", timeout=1):
                return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


LUA = """
math.randomseed(os.time())
request = function()
  return wrk.format("GET", string.format("{path}", math.random(1, {users})))
end
"""


def wrk(base: str, path: str, users: int, args: argparse.Namespace) -> tuple[float, float, float]:
    """req/s, p50 ms, p99 ms."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(LUA.replace("{path}", path).replace("{users}", str(users)))
    out = subprocess.run(
        [
            *("wrk", f"-t{args.threads}", f"-c{args.connections}", f"-d{args.duration}s"),
            *("--latency", "-s", script.name, base),
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    os.unlink(script.name)
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if non_2xx:
        sys.exit(f"{base}{path}: {non_2xx.group(1)} failed answers")

    def ms(label: str) -> float:
        m = re.search(rf"^\s+{label}\s+([\d.]+)(us|ms|s)", out, re.M)
        assert m, out
        return float(m.group(1)) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[m.group(2)]

    return rps, ms("50%"), ms("99%")


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--url", help="postgresql://... of a seeded database")
    parser.add_argument("--users", type=int, default=1000, help="ids 1..N exist")
    parser.add_argument("--duration", type=int, default=5)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-prepare", action="store_true")
    parser.add_argument("--serve", choices=DRIVERS, help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if not args.url:
        parser.error("--url is required")
    dsn = args.url.replace("postgresql+psycopg2://", "postgresql://")
    if args.serve:
        import uvicorn

        app = build_app(args.serve, dsn, prepare=not args.no_prepare)
        uvicorn.run(app, host="127.0.0.1", port=args.port, log_level="warning", loop="uvloop")
        return 0
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed: apt-get install wrk")

    servers: dict[str, str] = {}
    processes = []
    try:
        for driver in DRIVERS:
            port = free_port()
            command = [sys.executable, __file__, "--serve", driver, "--port", str(port)]
            command += ["--url", dsn] + (["--no-prepare"] if args.no_prepare else [])
            processes.append(subprocess.Popen(command))
            servers[driver] = f"http://127.0.0.1:{port}"
        for base in servers.values():
            wait_until_up(base)
        routes = {
            "ping": "/ping?n=%d",
            "point read": "/users/%d",
            "page of 50": "/tweets?limit=50&n=%d",
        }
        results: dict[tuple[str, str], list[tuple[float, float, float]]] = {}
        print(f"{'route':11} {'driver':8} {'req/s':>8} {'p50 ms':>7} {'p99 ms':>7}", flush=True)
        for run in range(args.runs):
            print(f"# run {run + 1} of {args.runs}", flush=True)
            for route, path in routes.items():
                for driver in DRIVERS if run % 2 == 0 else reversed(DRIVERS):
                    r = wrk(servers[driver], path, args.users, args)
                    results.setdefault((route, driver), []).append(r)
                    print(f"{route:11} {driver:8} {r[0]:8.0f} {r[1]:7.2f} {r[2]:7.2f}", flush=True)
        print(f"\n# medians of {args.runs} runs; prepared statements: {not args.no_prepare}")
        pings: dict[str, dict[str, list[float]]] = {}
        for route in routes:
            medians = {
                d: [statistics.median(x[i] for x in results[(route, d)]) for i in range(3)]
                for d in DRIVERS
            }
            for d in DRIVERS:
                rps, p50, p99 = medians[d]
                print(f"{route:11} {d:8} {rps:8.0f} {p50:7.2f} {p99:7.2f}")
            ratio = medians["psycopg"][0] / medians["asyncpg"][0]
            print(f"{route:11} psycopg / asyncpg: {ratio:.2f}")
            pings[route] = medians
        for route in ("point read", "page of 50"):
            of_ping = ", ".join(
                f"{d} {pings[route][d][0] / pings['ping'][d][0]:.2f}" for d in DRIVERS
            )
            print(f"{route:11} of the ping (same server): {of_ping}")
    finally:
        for p in processes:
            p.terminate()
        for p in processes:
            p.wait(timeout=10)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
