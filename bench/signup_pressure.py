#!/usr/bin/env python3
"""What a burst of sign-ups costs the readers, and the server's memory after many.

Starts `twitter serve` on a PostgreSQL database it empties, migrates and seeds small
(or, with --server-url, measures a server already running), then:
  - the median latency of GET /users/{id} while 24 sign-ups are being hashed at once
    (real Argon2id parameters), against the same reads with nothing else running;
  - the server's resident memory (RSS, of the process and its children) after 200
    sign-ups, 24 at a time.
After --runs rounds it prints the medians. Nothing here asserts: it measures.

    python bench/signup_pressure.py --database-url postgresql+psycopg2://postgres@127.0.0.1/twitter_bench_signup
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SECRET = "benchmark-secret-" + "b" * 40
BURST = 24
SIGNUPS_FOR_RSS = 200
READS = 200


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url", help="emptied, migrated and seeded small")
    parser.add_argument("--server-url", help="measure this running server instead")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--argon2-concurrency", type=int, help="the server's bound (a large one: none at all)"
    )
    args = parser.parse_args()
    if not (args.database_url or args.server_url):
        parser.error("give --database-url or --server-url")
    idle, loaded, rss = [], [], []
    for run in range(1, args.runs + 1):
        with server(args) as (base, pid):
            quiet = read_latencies(base, stop=None)
            loaded_reads, rss_kib = under_burst(base), memory_after_signups(base, pid)
        idle.append(statistics.median(quiet))
        loaded.append(statistics.median(loaded_reads))
        rss.append(rss_kib)
        print(
            f"run {run}: GET /users/{{id}} p50 idle {idle[-1]:.2f} ms, "
            f"during {BURST} sign-ups {loaded[-1]:.2f} ms; RSS after {SIGNUPS_FOR_RSS} "
            f"sign-ups {rss_kib / 1024:.0f} MiB"
        )
    print(
        f"median of {args.runs}: idle {statistics.median(idle):.2f} ms, under sign-ups "
        f"{statistics.median(loaded):.2f} ms, RSS {statistics.median(rss) / 1024:.0f} MiB"
    )
    return 0


def request(base: str, path: str, body: dict[str, object] | None = None) -> int:
    data = None if body is None else json.dumps(body).encode()
    headers = {"Content-Type": "application/json"} if body is not None else {}
    req = urllib.request.Request(base + path, data=data, headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=60) as answer:
            answer.read()
            return int(answer.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


def sign_up(base: str) -> int:
    email = f"pressure-{uuid.uuid4().hex[:12]}@example.com"
    return request(base, "/users/", {"email": email, "password": "correct horse battery"})


def read_latencies(base: str, stop: threading.Event | None) -> list[float]:
    """ms per GET /users/1, READS of them (or until ``stop`` is set)."""
    latencies: list[float] = []
    while len(latencies) < READS and not (stop is not None and stop.is_set()):
        started = time.perf_counter()
        request(base, "/users/1")
        latencies.append((time.perf_counter() - started) * 1000)
    return latencies


def under_burst(base: str) -> list[float]:
    stop = threading.Event()
    with ThreadPoolExecutor(max_workers=BURST + 1) as pool:
        reads = pool.submit(read_latencies, base, stop)
        time.sleep(0.01)
        for status in pool.map(lambda _: sign_up(base), range(BURST)):
            assert status == 201, status
        stop.set()
        return reads.result()


def memory_after_signups(base: str, pid: int | None) -> float:
    with ThreadPoolExecutor(max_workers=BURST) as pool:
        list(pool.map(lambda _: sign_up(base), range(SIGNUPS_FOR_RSS)))
    if pid is None:
        return float("nan")
    return float(rss_kib(pid))


def rss_kib(pid: int) -> int:
    total = 0
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            total += int(line.split()[1])
    children = Path(f"/proc/{pid}/task/{pid}/children")
    for child in children.read_text().split() if children.exists() else []:
        total += rss_kib(int(child))
    return total


@contextmanager
def server(args: argparse.Namespace) -> Iterator[tuple[str, int | None]]:
    if args.server_url:
        yield args.server_url.rstrip("/"), None
        return
    env = {k: v for k, v in os.environ.items() if not k.startswith("TWITTER_")}
    env |= {
        "TWITTER_DATABASE_URL": args.database_url,
        "TWITTER_SECRET_KEY": SECRET,
        "TWITTER_SIGNUPS_PER_CLIENT": "100000",
    }
    if args.argon2_concurrency:
        env["TWITTER_ARGON2_CONCURRENCY"] = str(args.argon2_concurrency)
    twitter = [sys.executable, "-m", "twitter"]
    subprocess.run([*twitter, "db", "downgrade", "base"], env=env, check=True, cwd=ROOT)
    subprocess.run([*twitter, "db", "upgrade"], env=env, check=True, cwd=ROOT)
    seed = ["seed", "--users", "100", "--tweets", "500", "--likes", "500", "--follows", "500"]
    subprocess.run([*twitter, *seed], env=env, check=True, cwd=ROOT, capture_output=True)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen(
        [*twitter, "serve", "--port", str(port), "--no-access-log"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                if request(base, "/health") == 200:
                    break
            except OSError:
                pass
            time.sleep(0.1)
        yield base, process.pid
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=20)


if __name__ == "__main__":
    sys.exit(main())
