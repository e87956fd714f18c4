"""Read throughput as the service scales out on this machine, as ratios in one run:
one ``twitter serve`` process, two, and two whose reads go to a streaming replica,
each behind haproxy (the same hop for all three).

    .venv/bin/python bench/scaling.py [--duration 5] [--runs 3] [--connections 32]

Starts everything on 127.0.0.1 from deploy/stack.py's parts (a primary and a
replica cluster, haproxy, the processes), seeds the primary with ``twitter seed``,
runs wrk on each scenario in each set-up, the set-ups taking turns within each run,
and stops it all at the end. Prints requests per second (medians over ``--runs``)
and each set-up's ratio to one process. Needs wrk, haproxy and PostgreSQL's server
binaries (``apt-get install wrk haproxy``; initdb comes with postgresql-15).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from deploy.postgres import DATABASE, StreamingPair, streaming_pair  # noqa: E402
from deploy.stack import (  # noqa: E402
    App,
    app_environment,
    migrate,
    new_app,
    running_haproxy,
    twitter_command,
)

USERS, TWEETS = 2_000, 50_000


@dataclass(frozen=True)
class Setup:
    name: str
    processes: int
    replica: bool


SETUPS = (
    Setup("1 process", 1, replica=False),
    Setup("2 processes", 2, replica=False),
    Setup("2 processes, reads on the replica", 2, replica=True),
)
SCENARIOS = {
    "list tweets, first page": ("/tweets/?limit=50", 0),
    "a user's tweets": ("/users/%d/tweets/?limit=20", USERS),
    "read a tweet": ("/tweets/%d", TWEETS),
}
LUA = """
math.randomseed(os.time())
request = function()
  local path = "{path}"
  if {upto} > 0 then path = string.format(path, math.random(1, {upto})) end
  return wrk.format("GET", path)
end
"""


def seed(pair: StreamingPair, workdir: Path) -> None:
    migrate(pair.primary.url, workdir)
    done = subprocess.run(
        [*twitter_command(), "seed", "--users", str(USERS), "--tweets", str(TWEETS),
         "--likes", str(TWEETS), "--follows", str(USERS * 5)],
        env=app_environment(pair.primary.url, []),
        cwd=workdir,
        capture_output=True,
        text=True,
        check=False,
    )  # fmt: skip
    if done.returncode != 0:
        sys.exit(f"twitter seed failed:\n{done.stdout}{done.stderr}")
    pair.primary.sql("VACUUM ANALYZE")
    pair.caught_up(timeout=120)


@contextlib.contextmanager
def serving(setup: Setup, pair: StreamingPair, workdir: Path) -> Iterator[str]:
    """The balancer's URL, with ``setup``'s processes behind it."""
    replicas = [pair.replica.url] if setup.replica else []
    environment = app_environment(
        pair.primary.url,
        replicas,
        # Straight to PostgreSQL, so prepared statements are kept; no access log.
        extra={"TWITTER_DB_STATEMENT_CACHE_SIZE": "100"},
    )
    apps = [new_app(f"bench{n}", workdir, environment) for n in range(setup.processes)]
    for app in apps:
        app.process.argv = [*app.process.argv, "--no-access-log"]
    with contextlib.ExitStack() as stack:
        for app in apps:
            stack.callback(app.process.stop)
            app.process.start()
        for app in apps:
            app.wait_until_healthy()
        # haproxy's config names two servers: one process stands for both.
        behind: list[App] = apps if len(apps) == 2 else [apps[0], apps[0]]
        balancer = stack.enter_context(running_haproxy(workdir, behind))
        yield balancer.url


def wrk(base: str, path: str, upto: int, args: argparse.Namespace) -> float:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(LUA.replace("{path}", path).replace("{upto}", str(upto)))
    try:
        out = subprocess.run(
            ["wrk", f"-t{args.threads}", f"-c{args.connections}", f"-d{args.duration}s",
             "-s", script.name, base],
            capture_output=True, text=True, check=True,
        ).stdout  # fmt: skip
    finally:
        os.unlink(script.name)
    failed = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if failed:
        sys.exit(f"{base}{path}: {failed.group(1)} failed answers\n{out}")
    found = re.search(r"Requests/sec:\s+([\d.]+)", out)
    assert found, out
    return float(found.group(1))


def commits(pair: StreamingPair) -> tuple[int, int]:
    return pair.commits(pair.primary), pair.commits(pair.replica)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--duration", type=int, default=5, help="seconds per scenario")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    figures: dict[tuple[str, str], list[float]] = {}
    moved: dict[str, list[tuple[int, int]]] = {}
    with tempfile.TemporaryDirectory(prefix="twitter-scaling-") as folder:
        workdir = Path(folder)
        with streaming_pair() as pair:
            seed(pair, workdir)
            print(f"seeded {USERS} users and {TWEETS} tweets; {os.cpu_count()} cores", flush=True)
            for run in range(1, args.runs + 1):
                for setup in SETUPS:
                    before = commits(pair)
                    with serving(setup, pair, workdir) as base:
                        for scenario, (path, upto) in SCENARIOS.items():
                            rps = wrk(base, path, upto, args)
                            figures.setdefault((setup.name, scenario), []).append(rps)
                            print(f"run {run}  {setup.name:<34} {scenario:<24} {rps:8.0f} req/s",
                                  flush=True)  # fmt: skip
                    after = commits(pair)
                    moved.setdefault(setup.name, []).append(
                        (after[0] - before[0], after[1] - before[1])
                    )
    print(f"\nmedians of {args.runs} runs, wrk -t{args.threads} -c{args.connections} "
          f"-d{args.duration}s, requests per second (ratio to 1 process):")  # fmt: skip
    print(f"{'scenario':<24} " + " ".join(f"{s.name:>36}" for s in SETUPS))
    for scenario in SCENARIOS:
        one = statistics.median(figures[(SETUPS[0].name, scenario)])
        cells = []
        for setup in SETUPS:
            rps = statistics.median(figures[(setup.name, scenario)])
            cells.append(f"{rps:>26.0f} ({rps / one:4.2f}x)")
        print(f"{scenario:<24} " + " ".join(f"{cell:>36}" for cell in cells))
    print(f"\ntransactions in database {DATABASE!r} while each set-up ran (primary / replica):")
    for setup in SETUPS:
        primary = statistics.median(each[0] for each in moved[setup.name])
        replica = statistics.median(each[1] for each in moved[setup.name])
        print(f"  {setup.name:<34} {primary:>10.0f} / {replica:.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
