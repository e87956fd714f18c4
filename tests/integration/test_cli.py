"""The ``twitter`` command, run for real in subprocesses (``python -m twitter``).

Each run gets a temporary working directory and an environment stripped of every
TWITTER_* and POSTGRES_* variable, so only what a test sets counts. Servers run in
their own process group and are always stopped.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import inspect

from tests.integration.conftest import POSTGRES_URL, TABLES, TEST_SECRET
from tests.integration.fresh_databases import fresh_postgres_database
from twitter.adapters.persistence import migrations
from twitter.adapters.persistence.database import build_engine

HEAD = migrations.head_revision("sqlite://")
APP_TABLES = set(TABLES)
START_TIMEOUT = 20.0


@dataclass
class Finished:
    returncode: int
    stdout: str
    stderr: str
    seconds: float


def clean_environment(**variables: str) -> dict[str, str]:
    """This process's environment without any TWITTER_* or POSTGRES_* variable, plus these."""
    environment = {
        name: value
        for name, value in os.environ.items()
        if not name.upper().startswith(("TWITTER_", "POSTGRES_"))
    }
    environment.update(variables)
    return environment


def _stop(process: subprocess.Popen[Any]) -> None:
    """Stop a process we started and everything it started (its own process group)."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=5)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)  # stray workers of a group whose leader is gone


def run_cli(
    arguments: Sequence[str], *, cwd: Path, env: dict[str, str], timeout: float = 60
) -> Finished:
    started = time.monotonic()
    process = subprocess.Popen(
        [sys.executable, "-m", "twitter", *arguments],
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        stdout, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _stop(process)
        stdout, stderr = process.communicate()
        pytest.fail(f"`twitter {' '.join(arguments)}` still ran after {timeout}s: {stderr}")
    finally:
        _stop(process)
    return Finished(process.returncode, stdout, stderr, time.monotonic() - started)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Server:
    process: subprocess.Popen[Any]
    base: str
    log: Path

    def request(
        self,
        method: str,
        path: str,
        *,
        json_body: Any = None,
        form: dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, Any]:
        data = None
        all_headers = dict(headers or {})
        if json_body is not None:
            data = json.dumps(json_body).encode()
            all_headers["Content-Type"] = "application/json"
        elif form is not None:
            data = urllib.parse.urlencode(form).encode()
            all_headers["Content-Type"] = "application/x-www-form-urlencoded"
        request = urllib.request.Request(
            self.base + path, data=data, headers=all_headers, method=method
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, json.loads(response.read() or b"null")
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read() or b"null")


@contextmanager
def serving(arguments: Sequence[str], *, cwd: Path, env: dict[str, str]) -> Iterator[Server]:
    """``twitter serve ...`` until GET /health answers 200; stopped however the test ends."""
    port = free_port()
    log = cwd / "server.log"
    with log.open("w") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "twitter", "serve", "--port", str(port), *arguments],
            cwd=cwd,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    server = Server(process, f"http://127.0.0.1:{port}", log)
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            if process.poll() is not None:
                pytest.fail(f"the server exited with {process.returncode}: {log.read_text()}")
            try:
                status, _ = server.request("GET", "/health")
                if status == 200:
                    break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"no 200 from /health in {START_TIMEOUT}s: {log.read_text()}")
            time.sleep(0.2)
        yield server
    finally:
        _stop(process)


def worker_processes(parent: int) -> list[int]:
    """Children of ``parent`` started by multiprocessing's spawn (uvicorn's workers)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ")
        except OSError:
            continue
        parent_id = int(stat.rsplit(")", 1)[1].split()[1])
        if parent_id == parent and b"spawn_main" in command:
            found.append(int(entry.name))
    return found


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    path = tmp_path / "cwd"
    path.mkdir()
    return path


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A fresh, empty PostgreSQL database of our own."""
    if POSTGRES_URL is None:
        pytest.skip("TWITTER_TEST_POSTGRES_URL is not set")
    with fresh_postgres_database(POSTGRES_URL, "cli") as url:
        yield url


def revision_of(url: str) -> str | None:
    engine = build_engine(url)
    try:
        return migrations.current_revision(engine)
    finally:
        engine.dispose()


def tables_of(url: str) -> set[str]:
    engine = build_engine(url)
    try:
        names = inspect(engine).get_table_names()
        return {name for name in names if migrations.is_schema_table(name, "table")}
    finally:
        engine.dispose()


# twitter db ...


def test_db_upgrade_then_current_prints_the_head(workdir: Path, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    env = clean_environment(TWITTER_DATABASE_URL=url)

    upgraded = run_cli(["db", "upgrade"], cwd=workdir, env=env)
    current = run_cli(["db", "current"], cwd=workdir, env=env)

    assert upgraded.returncode == 0, upgraded.stderr
    assert revision_of(url) == HEAD
    assert tables_of(url) == APP_TABLES | {"alembic_version"}
    assert current.returncode == 0, current.stderr
    assert current.stdout.splitlines() == [f"current: {HEAD}", f"newest:  {HEAD}"]
    assert not (workdir / "twitter.db").exists()  # the URL given was used, not the default


def test_db_downgrade_base_then_current_says_empty(workdir: Path, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    env = clean_environment(TWITTER_DATABASE_URL=url)
    assert run_cli(["db", "upgrade"], cwd=workdir, env=env).returncode == 0

    downgraded = run_cli(["db", "downgrade", "base"], cwd=workdir, env=env)
    current = run_cli(["db", "current"], cwd=workdir, env=env)

    assert downgraded.returncode == 0, downgraded.stderr
    assert tables_of(url) == {"alembic_version"}
    assert current.returncode == 0, current.stderr
    assert current.stdout.splitlines() == ["current: none (empty database)", f"newest:  {HEAD}"]


def test_db_upgrade_to_a_given_revision(workdir: Path, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    env = clean_environment(TWITTER_DATABASE_URL=url)

    upgraded = run_cli(["db", "upgrade", "0001"], cwd=workdir, env=env)
    current = run_cli(["db", "current"], cwd=workdir, env=env)

    assert upgraded.returncode == 0, upgraded.stderr
    assert tables_of(url) == {"users", "tweets", "likes", "alembic_version"}
    assert current.stdout.splitlines()[0] == "current: 0001"


def test_db_without_an_action_is_a_usage_error(workdir: Path) -> None:
    finished = run_cli(["db"], cwd=workdir, env=clean_environment())

    assert finished.returncode == 2
    assert "usage: twitter db" in finished.stderr
    assert not (workdir / "twitter.db").exists()


# twitter serve on PostgreSQL: refusals


@pytest.mark.postgres
def test_serve_without_a_secret_exits_at_once_naming_the_variable(
    workdir: Path, postgres_url: str
) -> None:
    migrations.upgrade(postgres_url)
    env = clean_environment(TWITTER_DATABASE_URL=postgres_url)

    finished = run_cli(["serve", "--port", str(free_port())], cwd=workdir, env=env, timeout=30)

    assert finished.returncode != 0
    assert finished.seconds < 15
    assert "TWITTER_SECRET_KEY" in finished.stderr
    assert "Traceback" not in finished.stderr


@pytest.mark.postgres
def test_serve_with_a_short_secret_exits_saying_how_long_it_must_be(
    workdir: Path, postgres_url: str
) -> None:
    migrations.upgrade(postgres_url)
    env = clean_environment(TWITTER_DATABASE_URL=postgres_url, TWITTER_SECRET_KEY="short")

    finished = run_cli(["serve", "--port", str(free_port())], cwd=workdir, env=env, timeout=30)

    assert finished.returncode != 0
    assert "TWITTER_SECRET_KEY must be at least 32 bytes" in finished.stderr


@pytest.mark.postgres
@pytest.mark.parametrize("revision", [None, "0001"], ids=["empty", "behind"])
def test_serve_on_a_schema_not_at_head_exits_telling_to_upgrade(
    workdir: Path, postgres_url: str, revision: str | None
) -> None:
    if revision is not None:
        migrations.upgrade(postgres_url, revision)
    env = clean_environment(TWITTER_DATABASE_URL=postgres_url, TWITTER_SECRET_KEY=TEST_SECRET)

    finished = run_cli(["serve", "--port", str(free_port())], cwd=workdir, env=env, timeout=30)

    assert finished.returncode != 0
    assert "Run `twitter db upgrade`" in finished.stderr
    assert f"at {revision or 'nothing'}, the code needs {HEAD}" in finished.stderr
    assert revision_of(postgres_url) == revision  # serve never migrates a server database


@pytest.mark.postgres
def test_serve_on_postgres_at_head_with_a_secret_serves(workdir: Path, postgres_url: str) -> None:
    migrations.upgrade(postgres_url)
    env = clean_environment(TWITTER_DATABASE_URL=postgres_url, TWITTER_SECRET_KEY=TEST_SECRET)

    with serving([], cwd=workdir, env=env) as server:
        assert server.request("GET", "/health") == (200, {"status": "ok", "database": "ok"})
        status, user = server.request(
            "POST", "/users/", json_body={"email": "pg@example.com", "password": "long enough"}
        )
        assert status == 201, user

    assert not (workdir / "twitter.db").exists()
    assert not (workdir / "twitter.db.secret").exists()


# The seed's variable name


@pytest.mark.postgres
def test_db_upgrade_reads_the_seeds_postgres_database_url(workdir: Path, postgres_url: str) -> None:
    env = clean_environment(POSTGRES_DATABASE_URL=postgres_url)

    upgraded = run_cli(["db", "upgrade"], cwd=workdir, env=env)
    current = run_cli(["db", "current"], cwd=workdir, env=env)

    assert upgraded.returncode == 0, upgraded.stderr
    assert revision_of(postgres_url) == HEAD
    assert current.stdout.splitlines()[0] == f"current: {HEAD}"
    assert not (workdir / "twitter.db").exists()


@pytest.mark.postgres
def test_the_seeds_env_file_is_read_as_written(workdir: Path, postgres_url: str) -> None:
    """The seed's .env, spaces around '=' and all."""
    (workdir / ".env").write_text(
        f"POSTGRES_PASSWORD = mypassword\nPOSTGRES_DATABASE_URL = {postgres_url}\n"
    )

    upgraded = run_cli(["db", "upgrade"], cwd=workdir, env=clean_environment())

    assert upgraded.returncode == 0, upgraded.stderr
    assert revision_of(postgres_url) == HEAD
    assert not (workdir / "twitter.db").exists()


@pytest.mark.postgres
def test_twitter_database_url_wins_over_the_seeds_name(
    workdir: Path, tmp_path: Path, postgres_url: str
) -> None:
    sqlite_url = f"sqlite:///{tmp_path / 'chosen.db'}"
    env = clean_environment(TWITTER_DATABASE_URL=sqlite_url, POSTGRES_DATABASE_URL=postgres_url)

    upgraded = run_cli(["db", "upgrade"], cwd=workdir, env=env)

    assert upgraded.returncode == 0, upgraded.stderr
    assert revision_of(sqlite_url) == HEAD
    assert revision_of(postgres_url) is None


# twitter serve on the SQLite default


def test_serve_on_the_default_creates_its_database_and_secret_in_the_cwd(workdir: Path) -> None:
    with serving([], cwd=workdir, env=clean_environment()) as server:
        assert server.request("GET", "/health") == (200, {"status": "ok", "database": "ok"})
        database, secret = workdir / "twitter.db", workdir / "twitter.db.secret"
        assert database.is_file()
        assert secret.is_file()
        assert len(secret.read_text().strip().encode()) >= 32
        assert revision_of(f"sqlite:///{database}") == HEAD


def test_serve_with_two_workers_serves_a_user_registered_and_read_back(workdir: Path) -> None:
    env = clean_environment()
    with serving(["--workers", "2"], cwd=workdir, env=env) as server:
        assert len(worker_processes(server.process.pid)) == 2

        password = "correct horse battery"
        status, created = server.request(
            "POST",
            "/users/",
            json_body={"email": "Two@Example.com", "password": password, "username": "two_w"},
        )
        assert status == 201, created
        status, token = server.request(
            "POST", "/token", form={"username": "two@example.com", "password": password}
        )
        assert status == 200, token
        headers = {"Authorization": f"Bearer {token['access_token']}"}

        # Several requests, so that both workers answer some: they share the database
        # and the secret kept beside it.
        for _ in range(8):
            me = (200, {**created, "unread_notifications": 0})
            assert server.request("GET", "/users/me", headers=headers) == me
            status, public = server.request("GET", f"/users/{created['id']}")
            assert status == 200
            assert public["username"] == "two_w"
        assert (workdir / "twitter.db.secret").is_file()
