"""The servers bench/run.py measures: `twitter serve`, the bare FastAPI ping app of
bench/ping_app.py and, optionally, the naive seed_reference app (the yardstick)."""

from __future__ import annotations

import argparse
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from datasets import Dataset, copy_for_yardstick

ROOT = Path(__file__).resolve().parents[1]
PING_APP = ROOT / "bench" / "ping_app.py"
# Where the yardstick sat beside this repository when the figures were measured.
DEFAULT_YARDSTICK = ROOT.parent / "shared" / "peers" / "seed_reference"
YARDSTICK_VENV = ROOT / "bench" / ".yardstick-venv"
SECRET = "benchmark-secret-" + "b" * 40


def yardstick_app(parser: argparse.ArgumentParser, folder: Path) -> Path:
    """The yardstick's folder, resolved; exits with a usage error when it holds no app."""
    folder = folder.expanduser().resolve()
    if not folder.is_dir():
        parser.error(f"--yardstick: there is no folder {folder}; pass the seed_reference app's")
    wanted = ("requirements.txt", "alembic.ini", "twitter_api/main.py")
    missing = [name for name in wanted if not (folder / name).is_file()]
    if missing:
        parser.error(
            f"--yardstick: {folder} is not the seed_reference app (it lacks {', '.join(missing)});"
            " pass the folder that holds it"
        )
    return folder


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_healthy(url: str, process: subprocess.Popen[bytes], path: str = "/") -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server for {url} exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url + path, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"{url} did not come up")


@contextmanager
def servers(
    datasets: list[Dataset], args: argparse.Namespace
) -> Iterator[dict[tuple[str, str], str]]:
    processes: list[subprocess.Popen[bytes]] = []
    endpoints: dict[tuple[str, str], str] = {}
    logs = Path(tempfile.mkdtemp(prefix="twitter-bench-"))
    try:

        def start(
            key: tuple[str, str], command: list[str], env: dict[str, str], cwd: Path, health: str
        ) -> None:
            port = free_port()
            log = open(logs / f"{key[0]}-{key[1] or 'x'}.log", "wb")
            process = subprocess.Popen(
                [*command, "--port", str(port)],
                cwd=cwd,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
            processes.append(process)
            endpoints[key] = f"http://127.0.0.1:{port}"
            wait_healthy(endpoints[key], process, health)

        base_env = {
            k: v for k, v in os.environ.items() if not k.startswith(("TWITTER_", "POSTGRES_"))
        }
        uvicorn = [
            sys.executable,
            "-m",
            "uvicorn",
            "--workers",
            str(args.workers),
            "--no-access-log",
            "--log-level",
            "warning",
        ]
        start(
            ("hello", ""),
            [*uvicorn, f"{PING_APP.stem}:app", "--app-dir", str(PING_APP.parent)],
            base_env,
            ROOT,
            "/ping",
        )
        for d in datasets:
            env = {**base_env, "TWITTER_DATABASE_URL": d.url, "TWITTER_SECRET_KEY": SECRET}
            twitter = [
                sys.executable,
                "-m",
                "twitter",
                "serve",
                "--workers",
                str(args.workers),
                "--no-access-log",
            ]
            start(("ours", d.name), twitter, env, ROOT, "/health")
            if args.yardstick is not None:
                url = prepare_yardstick(d, args.yardstick)
                python = str(YARDSTICK_VENV / "bin" / "python")
                command = [
                    python,
                    "-m",
                    "uvicorn",
                    "twitter_api.main:app",
                    "--workers",
                    str(args.workers),
                    "--no-access-log",
                    "--log-level",
                    "warning",
                ]
                start(
                    ("yardstick", d.name),
                    command,
                    {**base_env, "POSTGRES_DATABASE_URL": url},
                    args.yardstick,
                    "/",
                )
        print(f"# server logs in {logs}", flush=True)
        yield endpoints
    finally:
        for process in processes:
            try:
                os.killpg(process.pid, signal.SIGTERM)
                process.wait(timeout=20)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                os.killpg(process.pid, signal.SIGKILL)


def prepare_yardstick(d: Dataset, yardstick: Path) -> str:
    """A copy of the dataset in the yardstick's own schema, in a database of its own,
    and the yardstick's virtual environment to serve it from."""
    if not YARDSTICK_VENV.exists():
        subprocess.run([sys.executable, "-m", "venv", str(YARDSTICK_VENV)], check=True)
        subprocess.run(
            [
                str(YARDSTICK_VENV / "bin" / "pip"),
                "install",
                "-q",
                "-r",
                str(yardstick / "requirements.txt"),
            ],
            check=True,
        )
    return copy_for_yardstick(d, yardstick, YARDSTICK_VENV / "bin" / "alembic")
