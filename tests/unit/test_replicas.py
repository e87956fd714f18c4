"""Which replica may serve a read (``Replicas``), with replicas that answer what the
test tells them: lag past the limit, a reader's write not replayed yet, a replica
unreachable and then back, a replica promoted."""

from __future__ import annotations

from typing import Any

from tests.awaiting import run_to_end
from twitter.adapters.reads.replicas import Replicas
from twitter.application.consistency import read_as
from twitter.application.errors import StorageUnavailable


class FakeDatabase:
    """``fetchrow_here`` as the replica checks use it: the primary's WAL position and
    a user's noted write, or a replica's recovery state, position and replay age."""

    def __init__(self, **row: Any) -> None:
        self.row = row
        self.down = False

    async def fetchrow_here(self, sql: str, *args: object) -> tuple[Any, ...] | None:
        if self.down:
            raise StorageUnavailable("down")
        if "write_positions" in sql:
            return (self.row["writes"][args[0]],) if args[0] in self.row["writes"] else None
        if "pg_current_wal_lsn" in sql:
            return (self.row["position"],)
        return (self.row["in_recovery"], self.row["replayed"], self.row["replay_age"])

    async def aclose(self) -> None:
        pass


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def _setup(**replica: Any) -> tuple[FakeDatabase, FakeDatabase, Replicas, Clock]:
    primary = FakeDatabase(position=100, writes={1: 100, 2: 50})
    state = {"in_recovery": True, "replayed": 80, "replay_age": 3.0, **replica}
    standby = FakeDatabase(**state)
    clock = Clock()
    replicas = Replicas(
        [standby],  # type: ignore[list-item]
        max_lag_seconds=10,
        check_every_seconds=1,
        clock=clock,
    )
    return primary, standby, replicas, clock


def _choose(replicas: Replicas, primary: FakeDatabase, reader: int | None = None) -> Any:
    async def choosing() -> Any:
        if reader is not None:
            read_as(reader)
        return await replicas.choose(primary)  # type: ignore[arg-type]

    return run_to_end(choosing())


def test_anonymous_reads_and_readers_whose_writes_are_replayed_go_to_the_replica() -> None:
    primary, standby, replicas, _ = _setup()

    assert _choose(replicas, primary) is standby
    assert _choose(replicas, primary, reader=2) is standby  # wrote at 50, replayed 80
    assert _choose(replicas, primary, reader=3) is standby  # never wrote
    assert _choose(replicas, primary, reader=1) is None  # wrote at 100: the primary


def test_a_replica_lagging_past_the_limit_is_left_out_and_taken_back() -> None:
    primary, standby, replicas, clock = _setup(replay_age=11.0)

    assert _choose(replicas, primary) is None
    standby.row["replay_age"] = 2.0
    assert _choose(replicas, primary) is None  # not checked again yet
    clock.now += 1
    assert _choose(replicas, primary) is standby


def test_an_unreachable_or_promoted_replica_takes_no_reads_until_a_check_finds_it_well() -> None:
    primary, standby, replicas, clock = _setup()
    standby.down = True
    assert _choose(replicas, primary) is None
    standby.down = False
    clock.now += 1
    assert _choose(replicas, primary) is standby

    replicas.lost(standby, ConnectionResetError())  # type: ignore[arg-type]
    assert _choose(replicas, primary) is None
    standby.row["in_recovery"] = False  # promoted: a primary of its own now
    clock.now += 1
    assert _choose(replicas, primary) is None
