"""The example deployment on one machine, on 127.0.0.1 and free ports:

    clients -> haproxy -> twitter serve (x2) -> pgbouncer -> PostgreSQL primary
                                      \\-------- reads ------> streaming replica

Usage::

    python deploy/stack.py up --dir /tmp/stack     # prints the balancer URL; Ctrl-C stops
    python deploy/stack.py down --dir /tmp/stack   # stops one started with `up` elsewhere

Or, from Python (the tests do)::

    with running_stack(Path("/tmp/stack")) as stack:
        print(stack.balancer_url)

Everything's output goes to a log of its own in the work folder (``app1.log``,
``app2.log``, ``pgbouncer.log``, ``haproxy.log``; the clusters' under ``postgres/``).
pgbouncer and haproxy run from ``deploy/pgbouncer.ini`` and ``deploy/haproxy.cfg``.
The clusters are throw-away: they are removed when the stack stops. Standard library
and psycopg2 only; run as root, PostgreSQL and pgbouncer run as the ``postgres`` user.
"""

from __future__ import annotations

import argparse
import configparser
import contextlib
import csv
import io
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import psycopg2  # type: ignore[import-untyped]

if __package__ in (None, ""):  # run as a script: python deploy/stack.py
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from deploy.postgres import (
    DATABASE,
    Cluster,
    StreamingPair,
    free_port,
    streaming_pair,
)

HERE = Path(__file__).resolve().parent
PGBOUNCER_INI = HERE / "pgbouncer.ini"
HAPROXY_CFG = HERE / "haproxy.cfg"
# The example's secret: fine on 127.0.0.1, never anywhere else.
SECRET_KEY = "deploy-stack-example-secret-" + "x" * 32
STATEMENT_TIMEOUT_MS = 15_000
STARTUP_TIMEOUT_SECONDS = 30.0
STOP_TIMEOUT_SECONDS = 10.0
# Cheap password hashing and no sign-up limit: for trying it out and for the tests.
TRIAL_SETTINGS: Mapping[str, str] = {
    "TWITTER_ARGON2_MEMORY_KIB": "64",
    "TWITTER_ARGON2_TIME_COST": "1",
    "TWITTER_SIGNUPS_PER_CLIENT": "100000",
    "TWITTER_WRITES_PER_USER": "100000",
}


def binary(name: str) -> str:
    """The path of ``name`` (Debian installs pgbouncer and haproxy in /usr/sbin)."""
    found = shutil.which(name) or shutil.which(name, path="/usr/sbin:/usr/local/sbin:/sbin")
    if found is None:
        raise FileNotFoundError(f"{name} is not installed (apt-get install {name})")
    return found


# -- processes ---------------------------------------------------------------------------


@dataclass
class Process:
    """A command running in its own process group, its output in ``log_path``."""

    name: str
    argv: Sequence[str]
    log_path: Path
    environment: Mapping[str, str] | None = None
    cwd: Path | None = None
    popen: subprocess.Popen[bytes] | None = field(default=None, repr=False)

    def start(self) -> None:
        with self.log_path.open("ab") as log:
            self.popen = subprocess.Popen(
                list(self.argv),
                env=None if self.environment is None else dict(self.environment),
                cwd=self.cwd,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    @property
    def pid(self) -> int:
        assert self.popen is not None, f"{self.name} was not started"
        return self.popen.pid

    def alive(self) -> bool:
        popen = self.popen
        return popen is not None and popen.returncode is None and not _has_exited(popen.pid)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def kill(self) -> None:
        """SIGKILL, as a crash would: no goodbye to anyone."""
        assert self.popen is not None
        if self.popen.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.popen.pid, signal.SIGKILL)
            self.popen.wait(timeout=STOP_TIMEOUT_SECONDS)

    def stop(self) -> None:
        """SIGTERM, then SIGKILL to its whole group after a while; reaped.

        The leader is reaped only at the end, so its pid (the group's id) cannot have
        been reused meanwhile: the signals reach nothing but what was started here."""
        popen = self.popen
        if popen is None or popen.returncode is not None:
            return  # not started, or reaped already
        if not _has_exited(popen.pid):
            with contextlib.suppress(ProcessLookupError):
                os.kill(popen.pid, signal.SIGTERM)
        deadline = time.monotonic() + STOP_TIMEOUT_SECONDS
        while not _has_exited(popen.pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(popen.pid, signal.SIGKILL)  # what is left of its group
        popen.wait(timeout=STOP_TIMEOUT_SECONDS)


def _has_exited(pid: int) -> bool:
    """Whether ``pid`` (a child of ours) has exited, without reaping it."""
    return os.waitid(os.P_PID, pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is not None


def _wait_for(check: object, what: str, process: Process, timeout: float) -> None:
    assert callable(check)
    deadline = time.monotonic() + timeout
    while not check():
        if not process.alive():
            raise RuntimeError(f"{what}: {process.name} exited\n--- {process.log_path} ---\n"
                               f"{process.log()}")  # fmt: skip
        if time.monotonic() > deadline:
            raise RuntimeError(f"{what}: not after {timeout:.0f} s\n--- {process.log_path} ---\n"
                               f"{process.log()}")  # fmt: skip
        time.sleep(0.05)


def http_status(url: str, timeout: float = 2.0) -> int | None:
    """The status ``url`` answers a GET with, or None when nothing answers."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            status: int = response.status
            return status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return None


# -- pgbouncer ---------------------------------------------------------------------------


@dataclass
class Pgbouncer:
    """pgbouncer from ``deploy/pgbouncer.ini`` with databases and settings of our own."""

    process: Process
    port: int

    def url(self, database: str = DATABASE, user: str = "postgres") -> str:
        return f"postgresql+psycopg2://{user}@127.0.0.1:{self.port}/{database}"

    def connect(self, database: str = DATABASE) -> psycopg2.extensions.connection:
        connection = psycopg2.connect(
            host="127.0.0.1", port=self.port, user="postgres", dbname=database, connect_timeout=5
        )
        connection.autocommit = True
        return connection

    def admin(self, command: str) -> list[dict[str, object]]:
        """A command of the admin console (``SHOW POOLS``, ``SHOW SERVERS`` ...), as rows."""
        connection = self.connect("pgbouncer")
        try:
            with connection.cursor() as cursor:
                cursor.execute(command)
                if cursor.description is None:
                    return []
                names = [column.name for column in cursor.description]
                return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
        finally:
            connection.close()


def pgbouncer_config(
    port: int,
    databases: Mapping[str, str],
    auth_file: Path,
    settings: Mapping[str, object] | None = None,
    template: Path = PGBOUNCER_INI,
) -> str:
    """``template`` with ``databases`` (name -> connection string) in [databases],
    listening on 127.0.0.1:``port``, trusting the users of ``auth_file``, and
    ``settings`` over the template's [pgbouncer] ones."""
    parser = configparser.ConfigParser(interpolation=None, inline_comment_prefixes=None)
    parser.read(template)
    parser.remove_section("databases")
    parser.add_section("databases")
    for name, connection in databases.items():
        parser.set("databases", name, connection)
    section = parser["pgbouncer"]
    section.update(
        {
            "listen_addr": "127.0.0.1",
            "listen_port": str(port),
            "unix_socket_dir": "",
            "auth_type": "trust",
            "auth_file": str(auth_file),
        }
    )
    section.update({name: str(value) for name, value in (settings or {}).items()})
    out = io.StringIO()
    parser.write(out)
    return out.getvalue()


def server_side_settings(statement_timeout_ms: int) -> str:
    """What the clients' startup parameters would have set, for ``connect_query``."""
    return f"connect_query='SET statement_timeout = {int(statement_timeout_ms)}; SET jit = off'"


@contextlib.contextmanager
def running_pgbouncer(
    workdir: Path,
    databases: Mapping[str, str],
    *,
    settings: Mapping[str, object] | None = None,
    name: str = "pgbouncer",
) -> Iterator[Pgbouncer]:
    """pgbouncer on a free port until the block ends; its output in ``workdir/<name>.log``.

    ``databases`` maps each database name clients use to its libpq connection string
    (``host=... port=... dbname=... connect_query=...``)."""
    executable = binary("pgbouncer")
    workdir.mkdir(parents=True, exist_ok=True)
    auth_file = workdir / f"{name}-users.txt"
    auth_file.write_text('"postgres" ""\n')
    config = workdir / f"{name}.ini"
    for attempt in range(3):  # another process may take the free port first
        port = free_port()
        config.write_text(pgbouncer_config(port, databases, auth_file, settings))
        # It refuses to run as root: as root it reads its files, then becomes postgres.
        user = ["-u", "postgres"] if os.geteuid() == 0 else []
        process = Process(name, [executable, *user, str(config)], workdir / f"{name}.log")
        process.start()
        bouncer = Pgbouncer(process, port)
        try:
            _wait_for(lambda b=bouncer: _answers(b), "pgbouncer starting", process, 10.0)
        except RuntimeError:
            process.stop()
            if "Address already in use" in process.log() and attempt < 2:
                continue
            raise
        except BaseException:
            process.stop()
            raise
        break
    try:
        yield bouncer
    finally:
        bouncer.process.stop()


def _answers(bouncer: Pgbouncer) -> bool:
    try:
        bouncer.admin("SHOW VERSION")
    except psycopg2.OperationalError:
        return False
    return True


# -- the service ------------------------------------------------------------------------


def app_environment(
    database_url: str,
    replica_urls: Sequence[str],
    *,
    trial: bool = True,
    extra: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """The variables of a ``twitter serve`` process: ours, not the caller's TWITTER_*."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("TWITTER_")}
    environment.update(
        {
            "TWITTER_DATABASE_URL": database_url,
            # pgbouncer in transaction mode keeps no prepared statement for a client.
            "TWITTER_DB_STATEMENT_CACHE_SIZE": "0",
            "TWITTER_DB_STATEMENT_TIMEOUT_MS": str(STATEMENT_TIMEOUT_MS),
            "TWITTER_DATABASE_REPLICA_URLS": json.dumps(list(replica_urls)),
            "TWITTER_SECRET_KEY": SECRET_KEY,
        }
    )
    if trial:
        environment.update(TRIAL_SETTINGS)
    environment.update(extra or {})
    return environment


def twitter_command() -> list[str]:
    return [sys.executable, "-m", "twitter"]


def migrate(primary_url: str, workdir: Path) -> None:
    """``twitter db upgrade`` on the primary itself (not through pgbouncer)."""
    environment = app_environment(primary_url, [])
    done = subprocess.run(
        [*twitter_command(), "db", "upgrade"],
        env=environment,
        cwd=workdir,
        capture_output=True,
        text=True,
        timeout=120,
    )
    (workdir / "migrate.log").write_text(done.stdout + done.stderr)
    if done.returncode != 0:
        raise RuntimeError(f"twitter db upgrade failed:\n{done.stdout}{done.stderr}")


@dataclass
class App:
    """One ``twitter serve`` process."""

    process: Process
    port: int

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        """Start it (again: after ``kill``, say) and wait until it is healthy."""
        self.process.start()
        self.wait_until_healthy()

    def wait_until_healthy(self) -> None:
        _wait_for(
            # Ready: its database answers and the schema is at the newest migration.
            lambda: http_status(self.url + "/health/ready") == 200,
            f"{self.process.name} on port {self.port}",
            self.process,
            STARTUP_TIMEOUT_SECONDS,
        )


def new_app(name: str, workdir: Path, environment: Mapping[str, str]) -> App:
    port = free_port()
    argv = [
        *twitter_command(),
        "serve",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        # haproxy's X-Forwarded-For names the client (the per-client limits use it).
        "--forwarded-allow-ips",
        "127.0.0.1",
    ]
    process = Process(name, argv, workdir / f"{name}.log", environment, cwd=workdir)
    return App(process, port)


# -- haproxy ----------------------------------------------------------------------------


@dataclass
class Balancer:
    process: Process
    port: int
    stats_port: int

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stats(self) -> dict[str, dict[str, str]]:
        """haproxy's counters of each server of the backend (``stot``: sessions,
        ``status``: UP/DOWN ...), by server name."""
        address = f"http://127.0.0.1:{self.stats_port}/stats;csv"
        with urllib.request.urlopen(address, timeout=5) as response:
            text = response.read().decode().lstrip("# ")
        rows = csv.DictReader(io.StringIO(text))
        return {
            row["svname"]: row
            for row in rows
            if row["pxname"] == "twitter" and row["svname"] not in ("FRONTEND", "BACKEND")
        }


@contextlib.contextmanager
def running_haproxy(workdir: Path, apps: Sequence[App]) -> Iterator[Balancer]:
    executable = binary("haproxy")
    assert len(apps) == 2, "deploy/haproxy.cfg names two processes"
    port, stats_port = free_port(), free_port()
    environment = dict(os.environ)
    environment.update(
        {
            "TWITTER_BALANCER_ADDRESS": f"127.0.0.1:{port}",
            "TWITTER_STATS_ADDRESS": f"127.0.0.1:{stats_port}",
            "TWITTER_APP1_ADDRESS": f"127.0.0.1:{apps[0].port}",
            "TWITTER_APP2_ADDRESS": f"127.0.0.1:{apps[1].port}",
        }
    )
    # -db: in the foreground, no daemon; the checked config first, to fail clearly.
    checked = subprocess.run(
        [executable, "-c", "-f", str(HAPROXY_CFG)],
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    if checked.returncode != 0:
        raise RuntimeError(f"haproxy refuses its config:\n{checked.stdout}{checked.stderr}")
    process = Process("haproxy", [executable, "-db", "-f", str(HAPROXY_CFG)],
                      workdir / "haproxy.log", environment)  # fmt: skip
    process.start()
    balancer = Balancer(process, port, stats_port)
    try:
        _wait_for(
            lambda: _all_up(balancer, len(apps)), "haproxy seeing both processes up", process, 15.0
        )
        yield balancer
    finally:
        process.stop()


def _all_up(balancer: Balancer, count: int) -> bool:
    try:
        stats = balancer.stats()
    except OSError:
        return False
    return sum(row["status"] == "UP" for row in stats.values()) == count


# -- the whole ----------------------------------------------------------------------------


@dataclass
class Stack:
    workdir: Path
    pair: StreamingPair
    pgbouncer: Pgbouncer
    apps: list[App]
    balancer: Balancer

    @property
    def balancer_url(self) -> str:
        return self.balancer.url

    @property
    def primary(self) -> Cluster:
        return self.pair.primary

    def processes(self) -> list[Process]:
        return [self.balancer.process, *(app.process for app in self.apps), self.pgbouncer.process]


@contextlib.contextmanager
def running_stack(workdir: Path, *, pgbouncer_settings: Mapping[str, object] | None = None,
                  app_settings: Mapping[str, str] | None = None) -> Iterator[Stack]:  # fmt: skip
    """The whole stack, up until the block ends; then stopped, whatever happened
    (each part in the reverse order it started), and the clusters removed."""
    workdir = workdir.resolve()
    workdir.mkdir(parents=True, exist_ok=True)
    with contextlib.ExitStack() as stack:
        # As root, the clusters live where the postgres user can reach them (a work
        # folder under a private one may not be); a link in the work folder names it.
        base = None if os.geteuid() == 0 else workdir / "postgres"
        if base is not None:
            shutil.rmtree(base, ignore_errors=True)  # a stack that was not stopped
        pair = stack.enter_context(streaming_pair(base))
        link = workdir / "postgres"
        if base is None:
            with contextlib.suppress(FileNotFoundError):
                link.unlink()
            link.symlink_to(pair.primary.data.parent)
            stack.callback(lambda: link.unlink(missing_ok=True))
        migrate(pair.primary.url, workdir)
        primary = f"host=127.0.0.1 port={pair.primary.port} dbname={DATABASE}"
        bouncer = stack.enter_context(
            running_pgbouncer(
                workdir,
                {DATABASE: f"{primary} {server_side_settings(STATEMENT_TIMEOUT_MS)}"},
                settings=pgbouncer_settings,
            )
        )
        environment = app_environment(
            bouncer.url(), [pair.replica.url], extra=dict(app_settings or {})
        )
        apps = [new_app(f"app{number}", workdir, environment) for number in (1, 2)]
        for app in apps:
            stack.callback(app.process.stop)
            app.process.start()  # both at once: each takes a couple of seconds
        for app in apps:
            app.wait_until_healthy()
        balancer = stack.enter_context(running_haproxy(workdir, apps))
        yield Stack(workdir, pair, bouncer, apps, balancer)


# -- the command ---------------------------------------------------------------------------


def _say(line: str) -> None:
    sys.stderr.write(line + "\n")
    sys.stderr.flush()


def _up(workdir: Path) -> None:
    pid_file = workdir / "stack.pid"

    def stop(_signal: int, _frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    try:
        with running_stack(workdir) as stack:
            pid_file.write_text(f"{os.getpid()}\n")
            summary = {
                "balancer": stack.balancer_url,
                "stats": f"http://127.0.0.1:{stack.balancer.stats_port}/stats",
                "apps": [app.url for app in stack.apps],
                "pgbouncer": stack.pgbouncer.url(),
                "primary": stack.primary.url,
                "replica": stack.pair.replica.url,
                "logs": str(workdir),
            }
            (workdir / "stack.json").write_text(json.dumps(summary, indent=2) + "\n")
            sys.stdout.write(stack.balancer_url + "\n")
            sys.stdout.flush()
            _say(json.dumps(summary, indent=2))
            _say("Up. Ctrl-C (or `stack.py down`) stops it.")
            while True:
                time.sleep(3600)
    except KeyboardInterrupt:
        _say("Stopping ...")
    finally:
        pid_file.unlink(missing_ok=True)
    _say("Stopped.")


def _down(workdir: Path) -> int:
    pid_file = workdir / "stack.pid"
    try:
        pid = int(pid_file.read_text())
    except FileNotFoundError:
        _say(f"no stack runs from {workdir} (no stack.pid)")
        return 1
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + 60
    while pid_file.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    if pid_file.exists():
        _say(f"the stack (pid {pid}) has not stopped yet")
        return 1
    _say("Stopped.")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    for name, help_text in (("up", "start the stack and keep it up until Ctrl-C"),
                            ("down", "stop the stack `up` started in --dir")):  # fmt: skip
        command = commands.add_parser(name, help=help_text)
        command.add_argument("--dir", type=Path, default=None, help="the work folder (logs)")
    options = parser.parse_args(argv)
    if options.command == "up":
        workdir = options.dir or Path(tempfile.mkdtemp(prefix="twitter-stack-"))
        _up(workdir.resolve())
        return 0
    if options.dir is None:
        parser.error("down needs the --dir that up was given")
    return _down(options.dir.resolve())


if __name__ == "__main__":
    sys.exit(main())
