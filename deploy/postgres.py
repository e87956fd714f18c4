"""PostgreSQL clusters of the machine's own server binaries on free ports: a primary
(``initdb``) and a streaming replica of it (``pg_basebackup -R -X stream``), stopped
and removed at the end. Run as the ``postgres`` OS user when started as root (the
server refuses root). Standard library and psycopg2 only: ``deploy/stack.py`` and the
test suite (``tests/integration/replica_cluster.py``) both use it."""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg2  # type: ignore[import-untyped]

DATABASE = "twitter"
OS_USER = "postgres"


def postgres_bin() -> Path | None:
    """The folder of ``initdb`` and ``pg_ctl`` (Debian keeps them out of PATH)."""
    found = shutil.which("pg_config")
    if found:
        done = subprocess.run([found, "--bindir"], capture_output=True, text=True, check=False)
        folder = Path(done.stdout.strip())
        if (folder / "initdb").exists():
            return folder
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(candidates[-1]).parent if candidates else None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def as_postgres(argv: list[str]) -> list[str]:
    """``argv`` run as the ``postgres`` OS user when we are root, else as it is."""
    return ["runuser", "-u", OS_USER, "--", *argv] if os.geteuid() == 0 else argv


def give_to_postgres(path: Path) -> None:
    """Make ``path`` the ``postgres`` user's when we are root (it must write there)."""
    if os.geteuid() == 0:
        owner = pwd.getpwnam(OS_USER)
        os.chown(path, owner.pw_uid, owner.pw_gid)


def _run_as_postgres(command: list[object]) -> None:
    subprocess.run(
        as_postgres([str(part) for part in command]), check=True, capture_output=True, timeout=120
    )


@dataclass
class Cluster:
    data: Path
    port: int
    bin: Path

    @property
    def url(self) -> str:
        return f"postgresql+psycopg2://postgres@127.0.0.1:{self.port}/{DATABASE}"

    @property
    def log_path(self) -> Path:
        return self.data.parent / f"{self.data.name}.log"

    def sql(self, *statements: str, database: str = DATABASE) -> list[tuple[object, ...]]:
        """The rows of the last of ``statements``, run one after the other on one
        connection, each in a transaction of its own."""
        connection = psycopg2.connect(
            host="127.0.0.1", port=self.port, user="postgres", dbname=database
        )
        connection.autocommit = True
        try:
            with connection.cursor() as cursor:
                for statement in statements:
                    cursor.execute(statement)
                return cursor.fetchall() if cursor.description else []
        finally:
            connection.close()

    def start(self) -> None:
        _run_as_postgres([self.bin / "pg_ctl", "-D", self.data, "-l", self.log_path, "-w", "start"])

    def stop(self, mode: str = "fast") -> None:
        _run_as_postgres([self.bin / "pg_ctl", "-D", self.data, "-m", mode, "-w", "stop"])

    def running(self) -> bool:
        return (self.data / "postmaster.pid").exists()


@dataclass
class StreamingPair:
    primary: Cluster
    replica: Cluster

    def caught_up(self, timeout: float = 20.0) -> None:
        """Wait until the replica has replayed all the primary has committed so far.

        The primary runs with ``synchronous_commit = off``: its last commits may not
        be written out yet, and ``pg_current_wal_lsn()`` (what has been written) is
        behind them. A transaction of its own committed synchronously writes out all
        that came before it; after it, the written position covers every commit."""
        [(target,)] = self.primary.sql(
            "SET synchronous_commit = on",
            "SELECT txid_current()",
            "SELECT pg_current_wal_lsn()::text",
        )
        deadline = time.monotonic() + timeout
        while True:
            [(behind,)] = self.replica.sql(f"SELECT pg_last_wal_replay_lsn() < '{target}'::pg_lsn")
            if not behind:
                return
            assert time.monotonic() < deadline, "the replica did not catch up"
            time.sleep(0.05)

    def commits(self, cluster: Cluster) -> int:
        [(count,)] = cluster.sql(
            f"SELECT xact_commit FROM pg_stat_database WHERE datname = '{DATABASE}'"
        )
        assert isinstance(count, int)
        return count


@contextlib.contextmanager
def streaming_pair(folder: Path | None = None) -> Iterator[StreamingPair]:
    """A primary with database ``twitter`` and a streaming replica of it, in
    ``folder`` (a new temporary one by default; as root it must be a folder the
    ``postgres`` user can reach: a new temporary one is). Both are stopped and the
    folder removed at the end: the data is thrown away."""
    binaries = postgres_bin()
    assert binaries is not None, "no PostgreSQL server binaries (initdb) on this machine"
    base = Path(tempfile.mkdtemp(prefix="twitter-postgres-")) if folder is None else folder
    base.mkdir(parents=True, exist_ok=True)
    give_to_postgres(base)
    primary = Cluster(base / "primary", free_port(), binaries)
    replica = Cluster(base / "replica", free_port(), binaries)
    started: list[Cluster] = []
    try:
        _run_as_postgres(
            [binaries / "initdb", "-D", primary.data, "-U", "postgres", "--auth=trust", "-N"]
        )
        with (primary.data / "postgresql.conf").open("a") as conf:
            conf.write(
                f"port = {primary.port}\nlisten_addresses = '127.0.0.1'\n"
                f"unix_socket_directories = '{base}'\nwal_level = replica\n"
                "max_wal_senders = 4\nfsync = off\nsynchronous_commit = off\n"
                "full_page_writes = off\nshared_buffers = 32MB\n"
            )
        primary.start()
        started.append(primary)
        primary.sql(f"CREATE DATABASE {DATABASE}", database="postgres")
        _run_as_postgres(
            [binaries / "pg_basebackup", "-h", "127.0.0.1", "-p", primary.port, "-U", "postgres",
             "-D", replica.data, "-R", "-X", "stream", "-c", "fast"]
        )  # fmt: skip
        with (replica.data / "postgresql.conf").open("a") as conf:
            conf.write(f"port = {replica.port}\nhot_standby = on\n")
        replica.start()
        started.append(replica)
        yield StreamingPair(primary, replica)
    finally:
        for cluster in reversed(started):
            with contextlib.suppress(subprocess.CalledProcessError):
                cluster.stop("immediate")
        shutil.rmtree(base, ignore_errors=True)
