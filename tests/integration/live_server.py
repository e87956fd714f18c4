"""The real service in a subprocess: ``twitter serve --workers N`` on a free port.

For tests that need what only a deployment has: several worker processes sharing
one database, real sockets, real concurrency. Two context managers:

- ``live_server(request, workdir, workers=2)``: an empty PostgreSQL database at head
  (skips when TWITTER_TEST_POSTGRES_URL is not set, like every PostgreSQL test), then
  ``serve`` on it. In a test or a fixture of any scope::

      def test_something(request: pytest.FixtureRequest, tmp_path: Path) -> None:
          with live_server(request, tmp_path, workers=2) as server, server.client() as http:
              assert http.get("/health").status_code == 200

- ``serve(database_url, workdir, workers=...)``: the server on a database you prepared.

Both wait until /health answers and every worker has started (failing the test with
the server's log if that takes longer than ``startup_timeout``), yield a ``LiveServer``
and stop it at the end: SIGTERM, then SIGKILL to its whole process group after a timeout.
Settings reach the server as ``TWITTER_*`` variables; ``settings={"db_pool_size": 5}``
sets ``TWITTER_DB_POOL_SIZE=5``; ``environment`` sets other variables (uvicorn's
``FORWARDED_ALLOW_IPS``, say) and ``forwarded_allow_ips="127.0.0.1"`` passes
``--forwarded-allow-ips``, so that a test's ``X-Forwarded-For`` names the client.
Its output goes to ``workdir/server-<port>.log``.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx2
import pytest

from tests.integration.conftest import TEST_SECRET, empty_database_at_head

STARTUP_TIMEOUT_SECONDS = 20.0
SHUTDOWN_TIMEOUT_SECONDS = 10.0
# uvicorn logs this line once per worker process when its application has started.
WORKER_STARTED = "Application startup complete."
# What the tests' own settings use (see ``test_settings``): cheap hashing, a fixed secret.
BASE_SETTINGS: Mapping[str, str] = {
    "TWITTER_SECRET_KEY": TEST_SECRET,
    "TWITTER_ARGON2_MEMORY_KIB": "64",
    "TWITTER_ARGON2_TIME_COST": "1",
    # The suite signs up many users from one client; a test of the limit sets it.
    "TWITTER_SIGNUPS_PER_CLIENT": "100000",
}
# Variables the server must not inherit from the test run's environment.
_INHERITED_PREFIXES = ("TWITTER_", "POSTGRES_DATABASE_URL", "FORWARDED_ALLOW_IPS")


@dataclass
class LiveServer:
    base_url: str
    database_url: str
    workers: int
    process: subprocess.Popen[bytes]
    log_path: Path
    _log_mark: int = field(default=0, repr=False)

    def client(self, **options: Any) -> httpx2.Client:
        """A new HTTP client on this server (one per thread: do not share it)."""
        options.setdefault("timeout", 30.0)
        return httpx2.Client(base_url=self.base_url, **options)

    def log(self) -> str:
        """Everything the server has written to stdout and stderr so far."""
        return self.log_path.read_text(errors="replace")

    def mark_log(self) -> None:
        """Remember where the log ends now; ``log_since_mark`` reads from there."""
        self._log_mark = len(self.log())

    def log_since_mark(self) -> str:
        return self.log()[self._log_mark :]

    @property
    def port(self) -> int:
        return int(self.base_url.rsplit(":", 1)[1])

    def worker_pids(self) -> list[int]:
        """The processes that serve requests (with one worker, the server itself)."""
        return [int(pid) for pid in re.findall(r"Started server process \[(\d+)\]", self.log())]

    def connections_per_worker(self) -> dict[int, int]:
        """How many client connections each worker holds open right now (Linux's /proc)."""
        established = _established_socket_inodes(self.port)
        counts: dict[int, int] = {}
        for pid in self.worker_pids():
            count = 0
            for descriptor in Path(f"/proc/{pid}/fd").iterdir():
                with contextlib.suppress(OSError):  # closed meanwhile
                    target = os.readlink(descriptor)
                    if target.startswith("socket:[") and int(target[8:-1]) in established:
                        count += 1
            counts[pid] = count
        return counts


def _established_socket_inodes(port: int) -> set[int]:
    """The inodes of the established TCP sockets whose local port is ``port``."""
    inodes: set[int] = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with contextlib.suppress(FileNotFoundError), open(table) as rows:
            next(rows)  # the header
            for row in rows:
                fields = row.split()
                local, state, inode = fields[1], fields[3], fields[9]
                if state == "01" and int(local.rsplit(":", 1)[1], 16) == port:
                    inodes.add(int(inode))
    return inodes


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def server_environment(
    database_url: str, settings: Mapping[str, object], extra: Mapping[str, str] | None = None
) -> dict[str, str]:
    environment = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(_INHERITED_PREFIXES)
    }
    environment.update(BASE_SETTINGS)
    environment["TWITTER_DATABASE_URL"] = database_url
    environment.update({f"TWITTER_{name.upper()}": str(value) for name, value in settings.items()})
    environment.update(extra or {})
    return environment


@contextmanager
def live_server(
    request: pytest.FixtureRequest,
    workdir: Path,
    *,
    workers: int = 1,
    settings: Mapping[str, object] | None = None,
    environment: Mapping[str, str] | None = None,
    forwarded_allow_ips: str | None = None,
    startup_timeout: float = STARTUP_TIMEOUT_SECONDS,
) -> Iterator[LiveServer]:
    """``serve`` on an empty PostgreSQL database at head (the one the suite shares)."""
    database_url = empty_database_at_head("postgresql", request, workdir)
    with serve(
        database_url,
        workdir,
        workers=workers,
        settings=settings,
        environment=environment,
        forwarded_allow_ips=forwarded_allow_ips,
        startup_timeout=startup_timeout,
    ) as server:
        yield server


@contextmanager
def serve(
    database_url: str,
    workdir: Path,
    *,
    workers: int = 1,
    settings: Mapping[str, object] | None = None,
    environment: Mapping[str, str] | None = None,
    forwarded_allow_ips: str | None = None,
    startup_timeout: float = STARTUP_TIMEOUT_SECONDS,
    access_log: bool = False,
) -> Iterator[LiveServer]:
    """Run ``twitter serve --workers <workers>`` on ``database_url`` until the block ends
    (without its access log unless ``access_log``)."""
    variables = server_environment(database_url, settings or {}, environment)
    options = [] if forwarded_allow_ips is None else ["--forwarded-allow-ips", forwarded_allow_ips]
    if not access_log:
        options.append("--no-access-log")
    attempts = 3  # another process may take the free port before the server binds it
    for attempt in range(1, attempts + 1):
        server = _start(database_url, workdir, workers, variables, options)
        try:
            failure = _wait_until_ready(server, startup_timeout)
        except BaseException:
            _stop(server)
            raise
        if failure is None:
            break
        _stop(server)
        if "address already in use" in server.log().lower() and attempt < attempts:
            continue
        pytest.fail(
            f"`twitter serve --workers {workers}` did not come up: {failure} "
            f"(exit code {server.process.returncode})\n"
            f"--- its log ({server.log_path}) ---\n{server.log()}",
            pytrace=False,
        )
    try:
        yield server
    finally:
        _stop(server)


def _start(
    database_url: str,
    workdir: Path,
    workers: int,
    environment: dict[str, str],
    options: list[str],
) -> LiveServer:
    port = free_port()
    log_path = workdir / f"server-{port}.log"
    command = [
        sys.executable,
        "-m",
        "twitter",
        "serve",
        "--workers",
        str(workers),
        "--port",
        str(port),
        "--host",
        "127.0.0.1",
        *options,
    ]
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            command,
            cwd=workdir,  # no stray .env file is read from the project
            env=environment,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: the workers are stopped with it
        )
    return LiveServer(
        base_url=f"http://127.0.0.1:{port}",
        database_url=database_url,
        workers=workers,
        process=process,
        log_path=log_path,
    )


def _wait_until_ready(server: LiveServer, timeout: float) -> str | None:
    """None once /health answers 200 and every worker has started; else what went wrong."""
    deadline = time.monotonic() + timeout
    healthy = False
    with httpx2.Client(base_url=server.base_url, timeout=2.0) as client:
        while time.monotonic() < deadline:
            if _has_exited(server.process.pid):
                return "it exited"
            if not healthy:
                with contextlib.suppress(httpx2.TransportError):  # not listening yet
                    healthy = client.get("/health").status_code == 200
            if healthy and server.log().count(WORKER_STARTED) >= server.workers:
                return None
            time.sleep(0.05)
    started = server.log().count(WORKER_STARTED)
    return (
        f"after {timeout:.0f} s, /health {'answers' if healthy else 'does not answer'} 200 "
        f"and {started} of {server.workers} workers logged {WORKER_STARTED!r}"
    )


def _stop(server: LiveServer) -> None:
    """SIGTERM (uvicorn stops its workers and waits for them), then SIGKILL the group.

    The server is not reaped until the end, so its pid (and process group id) cannot
    have been reused by then: the signals reach nothing but what this module started.
    """
    process = server.process
    if process.returncode is not None:
        return  # it exited during startup and has been reaped already
    os.kill(process.pid, signal.SIGTERM)
    deadline = time.monotonic() + SHUTDOWN_TIMEOUT_SECONDS
    while time.monotonic() < deadline and not _has_exited(process.pid):
        time.sleep(0.05)
    # Whatever is left of its group: everything after the timeout, or a stray worker.
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=SHUTDOWN_TIMEOUT_SECONDS)


def _has_exited(pid: int) -> bool:
    """Whether ``pid`` (a child of ours) has exited, without reaping it."""
    return os.waitid(os.P_PID, pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is not None
