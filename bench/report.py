"""What bench/run.py prints and writes: one line per measurement, then the medians,
and with --json every median as a record."""

from __future__ import annotations

import json
import statistics
from dataclasses import dataclass, field
from pathlib import Path

from load import Result

Key = tuple[str, str, str]  # (scenario, dataset, server)


@dataclass
class Table:
    rows: dict[Key, list[Result]] = field(default_factory=dict)

    def add(self, key: Key, result: Result) -> None:
        self.rows.setdefault(key, []).append(result)


def header() -> str:
    return (
        f"{'scenario':34} {'data':5} {'server':9} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} "
        f"{'errors':>7} {'new PG sessions':>15}"
    )


def line(key: Key, r: Result) -> str:
    return (
        f"{key[0]:34} {key[1]:5} {key[2]:9} {r.rps:8.0f} {r.p50_ms:8.1f} {r.p99_ms:8.1f} "
        f"{r.errors:7d} {'-' if r.new_sessions is None else r.new_sessions:>15}"
    )


def median(results: list[Result]) -> Result:
    return Result(
        rps=statistics.median(r.rps for r in results),
        p50_ms=statistics.median(r.p50_ms for r in results),
        p99_ms=statistics.median(r.p99_ms for r in results),
        errors=int(statistics.median(r.errors for r in results)),
        requests=int(statistics.median(r.requests for r in results)),
        # The worst run: one that opened connections is what the column is there to show.
        new_sessions=max(sessions) if (sessions := _sessions(results)) else None,
    )


def _sessions(results: list[Result]) -> list[int]:
    return [r.new_sessions for r in results if r.new_sessions is not None]


def print_medians(table: Table, runs: int) -> None:
    print("\n# medians of", runs, "runs")
    for key, results in table.rows.items():
        print(line(key, median(results)))


def write_json(table: Table, path: Path) -> None:
    path.write_text(
        json.dumps(
            [
                {"scenario": k[0], "dataset": k[1], "server": k[2], **vars(median(v))}
                for k, v in table.rows.items()
            ],
            indent=2,
        )
    )
