#!/usr/bin/env python3
"""Drive the service with wrk, scenario by scenario, and print what it sustains.

For each dataset (a small and a large seeded PostgreSQL database) it starts
`twitter serve` and, with --yardstick DIR, the naive seed_reference implementation
found in DIR (not part of this repository) on a copy of the same data, plus the bare
FastAPI ping app of bench/ping_app.py (the framework's ceiling).
Each scenario runs for --duration seconds with wrk; each line printed is
    scenario  dataset  server  req/s  p50  p99  errors
and after --runs rounds, the medians. Nothing here asserts: it measures.

    python bench/run.py --small-url postgresql+psycopg2://postgres@127.0.0.1/twitter_small \\
        --large-url postgresql+psycopg2://postgres@127.0.0.1/twitter_bench \\
        --yardstick path/to/seed_reference

Prepare the databases with `twitter db upgrade` and `twitter seed` (see docs/benchmarks.md).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import psycopg2

ROOT = Path(__file__).resolve().parents[1]
PING_APP = ROOT / "bench" / "ping_app.py"
# Where the yardstick sat beside this repository when the figures were measured.
DEFAULT_YARDSTICK = ROOT.parent / "shared" / "peers" / "seed_reference"
YARDSTICK_VENV = ROOT / "bench" / ".yardstick-venv"
SECRET = "benchmark-secret-" + "b" * 40
SEED_PASSWORD = "seed-password"
LIKERS_PER_THREAD = 50


@dataclass
class Dataset:
    name: str
    url: str
    users: int = 0
    tweets: int = 0
    max_tweet_id: int = 0
    heavy_user: int = 0
    heavy_follows: int = 0
    first_user: int = 1


@dataclass(frozen=True)
class Scenario:
    name: str
    path: str  # may hold {user}, {tweet}, {deep_offset}, {deep_cursor}, {heavy}
    auth: str = ""  # "" | "heavy" | "likers"
    method: str = "GET"
    ours_only: bool = False
    connections: int | None = None


SCENARIOS = [
    Scenario("ping (bare FastAPI)", "/ping"),
    Scenario("read user", "/users/{user}"),
    Scenario("read tweet", "/tweets/{tweet}", ours_only=True),
    Scenario("who am I (bearer)", "/users/me", auth="heavy", ours_only=True),
    Scenario("list users", "/users/?limit=50"),
    Scenario("list tweets, first page", "/tweets/?limit=50"),
    Scenario("list tweets, deep by skip", "/tweets/?limit=50&skip={deep_offset}"),
    Scenario(
        "list tweets, deep by cursor", "/tweets/?limit=50&max_id={deep_cursor}", ours_only=True
    ),
    Scenario("a user's tweets", "/users/{user}/tweets/?limit=50"),
    Scenario("a user's likes", "/users/{user}/likes/?limit=50"),
    Scenario("liked tweets", "/users/{user}/liked_tweets/?limit=50"),
    Scenario("followers", "/users/{user}/followers?limit=50", ours_only=True),
    Scenario(
        "home timeline (1,000 followed)",
        "/users/{heavy}/timeline?limit=50",
        auth="heavy",
        ours_only=True,
    ),
    Scenario("like a tweet", "/users/{liker}/likes/", auth="likers", method="POST"),
    Scenario("read tweet, 256 connections", "/tweets/{tweet}", ours_only=True, connections=256),
    Scenario("list tweets, 256 connections", "/tweets/?limit=50", connections=256),
]


@dataclass
class Result:
    rps: float
    p50_ms: float
    p99_ms: float
    errors: int
    requests: int


@dataclass
class Table:
    rows: dict[tuple[str, str, str], list[Result]] = field(default_factory=dict)

    def add(self, key: tuple[str, str, str], result: Result) -> None:
        self.rows.setdefault(key, []).append(result)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--small-url", required=True)
    parser.add_argument("--large-url", required=True)
    parser.add_argument("--duration", type=int, default=5, help="seconds per scenario")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--yardstick",
        type=Path,
        nargs="?",
        const=DEFAULT_YARDSTICK,
        metavar="DIR",
        help="also measure the naive seed_reference app in DIR "
        f"(default when DIR is omitted: {DEFAULT_YARDSTICK})",
    )
    parser.add_argument(
        "--yardstick-runs",
        type=int,
        default=None,
        help="measure the yardstick only in the first N runs (its slow queries make a run long)",
    )
    parser.add_argument("--only", nargs="*", help="scenario names to run (substring match)")
    parser.add_argument("--json", type=Path, help="write every measurement here")
    args = parser.parse_args()
    if args.yardstick is not None:
        args.yardstick = yardstick_app(parser, args.yardstick)
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed: apt-get install wrk")

    scenarios = [s for s in SCENARIOS if not args.only or any(o in s.name for o in args.only)]
    datasets = [
        describe(Dataset("small", args.small_url)),
        describe(Dataset("large", args.large_url)),
    ]
    for d in datasets:
        print(
            f"# {d.name}: {d.users} users, {d.tweets} tweets; user {d.heavy_user} follows "
            f"{d.heavy_follows}",
            flush=True,
        )
    table = Table()
    with servers(datasets, args) as endpoints:
        tokens = {
            d.name: login_tokens(endpoints[("ours", d.name)], d, args.threads) for d in datasets
        }
        print(
            f"{'scenario':34} {'data':5} {'server':9} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} "
            f"{'errors':>7}",
            flush=True,
        )
        for run in range(args.runs):
            print(f"# run {run + 1} of {args.runs}", flush=True)
            for scenario in scenarios:
                for d in datasets:
                    yardstick = args.yardstick is not None and run < (
                        args.yardstick_runs or args.runs
                    )
                    for server in ("ours", "yardstick") if yardstick else ("ours",):
                        if scenario.path == "/ping":
                            if server != "ours" or d.name != "small":
                                continue
                            base = endpoints[("hello", "")]
                        elif server == "yardstick" and scenario.ours_only:
                            continue
                        else:
                            base = endpoints[(server, d.name)]
                        settle(datasets)
                        result = drive(base, scenario, d, tokens[d.name], server, args)
                        key = (scenario.name, d.name if scenario.path != "/ping" else "-", server)
                        table.add(key, result)
                        print(line(key, result), flush=True)
    print("\n# medians of", args.runs, "runs")
    for key, results in table.rows.items():
        print(line(key, median(results)))
    if args.json:
        args.json.write_text(
            json.dumps(
                [
                    {"scenario": k[0], "dataset": k[1], "server": k[2], **vars(median(v))}
                    for k, v in table.rows.items()
                ],
                indent=2,
            )
        )
    return 0


def yardstick_app(parser: argparse.ArgumentParser, folder: Path) -> Path:
    """The yardstick's folder, resolved; exits with a usage error when it holds no app."""
    folder = folder.expanduser().resolve()
    if not folder.is_dir():
        parser.error(f"--yardstick: there is no folder {folder}; pass the seed_reference app's")
    wanted = ("requirements.txt", "alembic.ini", "twitter_api/main.py")
    missing = [name for name in wanted if not (folder / name).is_file()]
    if missing:
        parser.error(
            f"--yardstick: {folder} is not the seed_reference app (it lacks {', '.join(missing)});"
            " pass the folder that holds it"
        )
    return folder


def line(key: tuple[str, str, str], r: Result) -> str:
    return (
        f"{key[0]:34} {key[1]:5} {key[2]:9} {r.rps:8.0f} {r.p50_ms:8.1f} {r.p99_ms:8.1f} "
        f"{r.errors:7d}"
    )


def median(results: list[Result]) -> Result:
    return Result(
        rps=statistics.median(r.rps for r in results),
        p50_ms=statistics.median(r.p50_ms for r in results),
        p99_ms=statistics.median(r.p99_ms for r in results),
        errors=int(statistics.median(r.errors for r in results)),
        requests=int(statistics.median(r.requests for r in results)),
    )


def psycopg_dsn(url: str) -> str:
    return url.replace("postgresql+psycopg2://", "postgresql://", 1)


def describe(d: Dataset) -> Dataset:
    with psycopg2.connect(psycopg_dsn(d.url)) as conn, conn.cursor() as cur:
        cur.execute("SELECT count(*), coalesce(min(id), 1) FROM users")
        d.users, d.first_user = cur.fetchone()
        cur.execute("SELECT count(*), coalesce(max(id), 0) FROM tweets")
        d.tweets, d.max_tweet_id = cur.fetchone()
        cur.execute(
            "SELECT follower_id, count(*) FROM follows GROUP BY follower_id "
            "ORDER BY count(*) DESC LIMIT 1"
        )
        d.heavy_user, d.heavy_follows = cur.fetchone() or (d.first_user, 0)
    return d


def settle(datasets: list[Dataset], limit: float = 120.0) -> None:
    """Wait until no query from a previous scenario still runs (the yardstick's slow
    ones outlive wrk's connections), so that each scenario starts on a quiet database."""
    deadline = time.monotonic() + limit
    # Not ``with conn``: since psycopg2 2.9 it opens a transaction even in autocommit,
    # and pg_stat_activity then answers the same snapshot for the whole transaction.
    conn = psycopg2.connect(psycopg_dsn(datasets[0].url))
    conn.autocommit = True
    try:
        with conn.cursor() as cur:
            while time.monotonic() < deadline:
                cur.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE state = 'active' "
                    "AND pid <> pg_backend_pid() AND backend_type = 'client backend'"
                )
                if cur.fetchone()[0] == 0:
                    return
                time.sleep(0.5)
    finally:
        conn.close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_healthy(url: str, process: subprocess.Popen[bytes], path: str = "/") -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server for {url} exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url + path, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"{url} did not come up")


@contextmanager
def servers(
    datasets: list[Dataset], args: argparse.Namespace
) -> Iterator[dict[tuple[str, str], str]]:
    processes: list[subprocess.Popen[bytes]] = []
    endpoints: dict[tuple[str, str], str] = {}
    logs = Path(tempfile.mkdtemp(prefix="twitter-bench-"))
    try:

        def start(
            key: tuple[str, str], command: list[str], env: dict[str, str], cwd: Path, health: str
        ) -> None:
            port = free_port()
            log = open(logs / f"{key[0]}-{key[1] or 'x'}.log", "wb")
            process = subprocess.Popen(
                [*command, "--port", str(port)],
                cwd=cwd,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
            processes.append(process)
            endpoints[key] = f"http://127.0.0.1:{port}"
            wait_healthy(endpoints[key], process, health)

        base_env = {
            k: v for k, v in os.environ.items() if not k.startswith(("TWITTER_", "POSTGRES_"))
        }
        uvicorn = [
            sys.executable,
            "-m",
            "uvicorn",
            "--workers",
            str(args.workers),
            "--no-access-log",
            "--log-level",
            "warning",
        ]
        start(
            ("hello", ""),
            [*uvicorn, f"{PING_APP.stem}:app", "--app-dir", str(PING_APP.parent)],
            base_env,
            ROOT,
            "/ping",
        )
        for d in datasets:
            env = {**base_env, "TWITTER_DATABASE_URL": d.url, "TWITTER_SECRET_KEY": SECRET}
            twitter = [
                sys.executable,
                "-m",
                "twitter",
                "serve",
                "--workers",
                str(args.workers),
                "--no-access-log",
            ]
            start(("ours", d.name), twitter, env, ROOT, "/health")
            if args.yardstick is not None:
                url = prepare_yardstick(d, args.yardstick)
                python = str(YARDSTICK_VENV / "bin" / "python")
                command = [
                    python,
                    "-m",
                    "uvicorn",
                    "twitter_api.main:app",
                    "--workers",
                    str(args.workers),
                    "--no-access-log",
                    "--log-level",
                    "warning",
                ]
                start(
                    ("yardstick", d.name),
                    command,
                    {**base_env, "POSTGRES_DATABASE_URL": url},
                    args.yardstick,
                    "/",
                )
        print(f"# server logs in {logs}", flush=True)
        yield endpoints
    finally:
        for process in processes:
            try:
                os.killpg(process.pid, signal.SIGTERM)
                process.wait(timeout=20)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                os.killpg(process.pid, signal.SIGKILL)


def prepare_yardstick(d: Dataset, yardstick: Path) -> str:
    """A copy of the dataset in the yardstick's own schema, in a database of its own."""
    if not YARDSTICK_VENV.exists():
        subprocess.run([sys.executable, "-m", "venv", str(YARDSTICK_VENV)], check=True)
        subprocess.run(
            [
                str(YARDSTICK_VENV / "bin" / "pip"),
                "install",
                "-q",
                "-r",
                str(yardstick / "requirements.txt"),
            ],
            check=True,
        )
    parsed = urllib.parse.urlsplit(d.url)
    name = parsed.path.lstrip("/") + "_yardstick"
    url = urllib.parse.urlunsplit(parsed._replace(path="/" + name))
    admin = psycopg2.connect(psycopg_dsn(d.url))
    admin.autocommit = True
    with admin.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,))
        exists = cur.fetchone() is not None
    admin.close()
    if exists:
        with psycopg2.connect(psycopg_dsn(url)) as conn, conn.cursor() as cur:
            cur.execute("SELECT count(*) FROM tweets")
            if cur.fetchone()[0] == d.tweets:
                return url
    admin = psycopg2.connect(psycopg_dsn(d.url))
    admin.autocommit = True
    with admin.cursor() as cur:
        cur.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cur.execute(f'CREATE DATABASE "{name}"')
    admin.close()
    subprocess.run(
        [str(YARDSTICK_VENV / "bin" / "alembic"), "upgrade", "head"],
        cwd=yardstick,
        env={**os.environ, "POSTGRES_DATABASE_URL": url},
        check=True,
        capture_output=True,
    )
    copies = [
        (
            "users",
            "SELECT id, email, hashed_password FROM users",
            "users (id, email, hashed_password)",
        ),
        (
            "tweets",
            "SELECT id, text, owner_id, like_count FROM tweets",
            "tweets (id, text, owner_id, like_count)",
        ),
        ("likes", "SELECT id, owner_id, tweet_id FROM likes", "likes (id, owner_id, tweet_id)"),
    ]
    with (
        psycopg2.connect(psycopg_dsn(d.url)) as source,
        psycopg2.connect(psycopg_dsn(url)) as target,
    ):
        with target.cursor() as out:
            out.execute("TRUNCATE likes, tweets, users RESTART IDENTITY CASCADE")
        for table, query, columns in copies:
            with tempfile.TemporaryFile("w+") as buffer:
                with source.cursor() as cur:
                    cur.copy_expert(f"COPY ({query}) TO STDOUT", buffer)
                buffer.seek(0)
                with target.cursor() as out:
                    out.copy_expert(f"COPY {columns} FROM STDIN", buffer)
                    out.execute(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                        f"(SELECT coalesce(max(id), 1) FROM {table}))"
                    )
        with target.cursor() as out:
            out.execute("ANALYZE")
    return url


def login_tokens(base: str, d: Dataset, threads: int) -> dict[str, object]:
    def token(user_id: int) -> str:
        body = urllib.parse.urlencode(
            {"username": f"seed{user_id}@example.com", "password": SEED_PASSWORD}
        ).encode()
        with urllib.request.urlopen(base + "/token", body, timeout=30) as response:
            return str(json.load(response)["access_token"])

    likers = [d.first_user + 1 + i for i in range(threads * LIKERS_PER_THREAD)]
    return {"heavy": token(d.heavy_user), "likers": [(uid, token(uid)) for uid in likers]}


def lua_script(scenario: Scenario, d: Dataset, tokens: dict[str, object], server: str) -> str:
    last_user = d.first_user + d.users - 1
    path = scenario.path.format(
        user="%d",
        tweet="%d",
        heavy=d.heavy_user,
        liker="%d",
        deep_offset=int(d.tweets * 0.9),
        deep_cursor=max(d.max_tweet_id // 10, 1),
    )
    header = ""
    if scenario.auth == "heavy" and server == "ours":
        header = f'wrk.headers["Authorization"] = "Bearer {tokens["heavy"]}"'
    likers = tokens["likers"]
    assert isinstance(likers, list)
    liker_table = ",".join(f'{{{uid},"{tok}"}}' for uid, tok in likers)
    return f"""
local threads = {{}}
function setup(thread)
  thread:set("tid", #threads)
  table.insert(threads, thread)
end
local likers = {{{liker_table}}}
local per_thread = {LIKERS_PER_THREAD}
local n = 0
function init(args)
  tid = tonumber(tid) or 0
  math.randomseed(os.time() * 1000 + tid)
end
{header}
wrk.headers["Content-Type"] = "application/json"
local template = "{path}"
local kind = "{scenario.name}"
function request()
  n = n + 1
  if "{scenario.auth}" == "likers" then
    local liker = likers[tid * per_thread + (n % per_thread) + 1]
    local step = {random.randrange(1_000_000)} + tid * 7919 + math.floor(n / per_thread)
    local tweet = {d.max_tweet_id} - (step % {max(d.max_tweet_id, 1)})
    local headers = {{}}
    headers["Content-Type"] = "application/json"
    if "{server}" == "ours" then headers["Authorization"] = "Bearer " .. liker[2] end
    return wrk.format("POST", string.format(template, liker[1]), headers,
                      '{{"tweet_id": ' .. tweet .. '}}')
  end
  local user = math.random({d.first_user}, {last_user})
  local tweet = math.random(1, {max(d.max_tweet_id, 1)})
  local path = template
  if string.find(template, "/users/%%d") then path = string.format(template, user)
  elseif string.find(template, "/tweets/%%d") then path = string.format(template, tweet) end
  return wrk.format("{scenario.method}", path)
end
"""


def drive(
    base: str,
    scenario: Scenario,
    d: Dataset,
    tokens: dict[str, object],
    server: str,
    args: argparse.Namespace,
) -> Result:
    connections = scenario.connections or args.connections
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(lua_script(scenario, d, tokens, server))
    try:
        completed = subprocess.run(
            [
                "wrk",
                "-t",
                str(args.threads),
                "-c",
                str(connections),
                "-d",
                f"{args.duration}s",
                "--timeout",
                "30s",
                "--latency",
                "-s",
                script.name,
                base,
            ],
            capture_output=True,
            text=True,
            timeout=args.duration + 120,
        )
    finally:
        os.unlink(script.name)
    return parse(completed.stdout)


def parse(output: str) -> Result:
    def latency(percent: str) -> float:
        match = re.search(rf"^\s+{percent}%\s+([\d.]+)(us|ms|s)\s*$", output, re.M)
        if not match:
            return float("nan")
        value, unit = float(match.group(1)), match.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    rps = re.search(r"Requests/sec:\s+([\d.]+)", output)
    total = re.search(r"(\d+) requests in", output)
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    sockets = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    errors = int(non2xx.group(1)) if non2xx else 0
    if sockets:
        errors += sum(int(g) for g in sockets.groups())
    return Result(
        rps=float(rps.group(1)) if rps else 0.0,
        p50_ms=latency("50"),
        p99_ms=latency("99"),
        errors=errors,
        requests=int(total.group(1)) if total else 0,
    )


if __name__ == "__main__":
    sys.exit(main())
