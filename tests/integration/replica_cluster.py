"""A real PostgreSQL primary and streaming replica for the replica tests: two clusters
of the machine's own PostgreSQL on free ports under a temporary folder (``initdb``,
``pg_basebackup -R``), stopped and removed afterwards. Run as the ``postgres`` user
when the tests run as root (the server refuses root)."""

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

import psycopg2

DATABASE = "twitter"


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


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass
class Cluster:
    data: Path
    port: int
    bin: Path

    @property
    def url(self) -> str:
        return f"postgresql+psycopg2://postgres@127.0.0.1:{self.port}/{DATABASE}"

    def sql(self, statement: str, database: str = DATABASE) -> list[tuple[object, ...]]:
        connection = psycopg2.connect(
            host="127.0.0.1", port=self.port, user="postgres", dbname=database
        )
        connection.autocommit = True
        try:
            with connection.cursor() as cursor:
                cursor.execute(statement)
                return cursor.fetchall() if cursor.description else []
        finally:
            connection.close()

    def start(self) -> None:
        _as_postgres([self.bin / "pg_ctl", "-D", self.data, "-l", self.data / "log", "-w", "start"])

    def stop(self, mode: str = "fast") -> None:
        _as_postgres([self.bin / "pg_ctl", "-D", self.data, "-m", mode, "-w", "stop"])


@dataclass
class StreamingPair:
    primary: Cluster
    replica: Cluster

    def caught_up(self, timeout: float = 20.0) -> None:
        """Wait until the replica has replayed all the primary has written so far."""
        [(target,)] = self.primary.sql("SELECT pg_current_wal_lsn()::text")
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


def _as_postgres(command: list[object]) -> None:
    argv = [str(part) for part in command]
    if os.geteuid() == 0:
        argv = ["runuser", "-u", "postgres", "--", *argv]
    subprocess.run(argv, check=True, capture_output=True, timeout=120)


@contextlib.contextmanager
def streaming_pair() -> Iterator[StreamingPair]:
    folder = postgres_bin()
    assert folder is not None, "no PostgreSQL server binaries (initdb) on this machine"
    base = Path(tempfile.mkdtemp(prefix="twitter-replica-"))
    if os.geteuid() == 0:
        owner = pwd.getpwnam("postgres")
        os.chown(base, owner.pw_uid, owner.pw_gid)
    primary = Cluster(base / "primary", _free_port(), folder)
    replica = Cluster(base / "replica", _free_port(), folder)
    started: list[Cluster] = []
    try:
        _as_postgres(
            [folder / "initdb", "-D", primary.data, "-U", "postgres", "--auth=trust", "-N"]
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
        _as_postgres(
            [folder / "pg_basebackup", "-h", "127.0.0.1", "-p", primary.port, "-U", "postgres",
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
