"""The built wheel, installed into a fresh virtual environment, works without the repository.

One run, not one per backend: it is about what the wheel ships (the migrations, the
templates, the static files), not about a database. The wheel is built from a copy of the
sources, so nothing is written into the working tree; its dependencies come from pip's
cache (or the index), as any user's ``pip install`` gets them.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import zipfile
from contextlib import suppress
from pathlib import Path

import httpx2
import pytest

from tests.integration.live_server import free_port

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ("pyproject.toml", "README.md", "alembic.ini", "twitter", "migrations")
# Where each folder of the repository lands in the wheel.
SHIPPED = {"twitter": "twitter", "migrations": "twitter/_migrations"}
STARTUP_TIMEOUT_SECONDS = 30.0


def _run(*command: str | Path, cwd: Path, env: dict[str, str]) -> str:
    done = subprocess.run(
        [str(part) for part in command], cwd=cwd, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, f"{command} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("wheel")
    source = work / "source"
    source.mkdir()
    for name in SOURCES:
        if (ROOT / name).is_dir():
            ignore = shutil.ignore_patterns("__pycache__")
            shutil.copytree(ROOT / name, source / name, ignore=ignore)
        else:
            shutil.copy(ROOT / name, source / name)
    pip = (sys.executable, "-m", "pip")
    _run(*pip, "wheel", "--no-deps", "-q", "-w", work, source, cwd=work, env=_clean_environment())
    (built,) = work.glob("twitter-*.whl")
    return built


@pytest.fixture(scope="module")
def installed(wheel: Path) -> Path:
    """The ``bin`` folder of a fresh venv with the wheel (and its dependencies) installed."""
    venv = wheel.parent / "venv"
    env = _clean_environment()
    _run(sys.executable, "-m", "venv", venv, cwd=wheel.parent, env=env)
    _run(venv / "bin" / "python", "-m", "pip", "install", "-q", wheel, cwd=wheel.parent, env=env)
    return venv / "bin"


def _clean_environment() -> dict[str, str]:
    """Nothing of this test run's settings or interpreter leaks into the commands."""
    dropped = ("TWITTER_", "POSTGRES_", "PYTHON", "VIRTUAL_ENV")
    return {name: value for name, value in os.environ.items() if not name.startswith(dropped)}


def test_the_wheel_holds_every_file_of_the_package_and_its_migrations(wheel: Path) -> None:
    expected = {
        f"{target}/{path.relative_to(ROOT / folder).as_posix()}"
        for folder, target in SHIPPED.items()
        for path in (ROOT / folder).rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    }
    with zipfile.ZipFile(wheel) as archive:
        assert expected - set(archive.namelist()) == set()


def test_the_installed_wheel_migrates_and_serves_from_an_empty_folder(
    installed: Path, tmp_path: Path
) -> None:
    env = _clean_environment()
    _run(installed / "twitter", "db", "upgrade", cwd=tmp_path, env=env)
    assert (tmp_path / "twitter.db").exists()  # the SQLite default, in the current folder

    port = free_port()
    log_path = tmp_path / "server.log"
    with log_path.open("wb") as log:
        server = subprocess.Popen(
            [installed / "twitter", "serve", "--port", str(port)],
            cwd=tmp_path,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        with httpx2.Client(base_url=f"http://127.0.0.1:{port}", timeout=5.0) as http:
            assert _health_when_up(http, server) == 200, log_path.read_text()
            assert http.get("/web/login").status_code == 200  # the templates were shipped
            assert http.get("/web/static/app.css").status_code == 200
            assert http.get("/favicon.ico").status_code == 200
            assert http.get("/docs/assets/swagger-ui-bundle.js").status_code == 200
    finally:
        server.terminate()
        server.wait(timeout=10)


def _health_when_up(http: httpx2.Client, server: subprocess.Popen[bytes]) -> int | None:
    deadline = time.monotonic() + STARTUP_TIMEOUT_SECONDS
    while time.monotonic() < deadline and server.poll() is None:
        with suppress(httpx2.TransportError):
            return http.get("/health").status_code
        time.sleep(0.1)
    return None
