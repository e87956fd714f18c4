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
import shutil
import sys
from pathlib import Path

# Run as a script, this folder is on sys.path: its modules import each other by name.
from datasets import Dataset, SessionCount, describe, settle
from load import SCENARIOS, drive, login_tokens
from report import Table, header, line, print_medians, write_json
from servers import DEFAULT_YARDSTICK, servers, yardstick_app


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
    session_counts = {d.name: SessionCount(d) for d in datasets}
    with servers(datasets, args) as endpoints:
        tokens = {
            d.name: login_tokens(endpoints[("ours", d.name)], d, args.threads) for d in datasets
        }
        # One short unrecorded pass first: the pools open their connections, so that the
        # measured runs show whether they ever open more (they should not).
        warm = argparse.Namespace(**{**vars(args), "duration": 1})
        for scenario in scenarios:
            for d in datasets:
                if scenario.path != "/ping":
                    drive(endpoints[("ours", d.name)], scenario, d, tokens[d.name], "ours", warm)
        print(header(), flush=True)
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
                        counted = server == "ours" and scenario.path != "/ping"
                        before = session_counts[d.name]() if counted else 0
                        result = drive(base, scenario, d, tokens[d.name], server, args)
                        if counted:
                            result.new_sessions = session_counts[d.name]() - before
                        key = (scenario.name, d.name if scenario.path != "/ping" else "-", server)
                        table.add(key, result)
                        print(line(key, result), flush=True)
    for count in session_counts.values():
        count.close()
    print_medians(table, args.runs)
    if args.json:
        write_json(table, args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
