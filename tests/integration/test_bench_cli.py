"""bench/run.py is told where the yardstick is; a wrong folder stops it before anything runs."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

RUN = Path(__file__).resolve().parents[2] / "bench" / "run.py"
URLS = ["--small-url", "postgresql://nowhere/a", "--large-url", "postgresql://nowhere/b"]


def _bench(*arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(RUN), *arguments], capture_output=True, text=True, timeout=60
    )


def test_the_yardstick_folder_is_an_argument() -> None:
    result = _bench("--help")
    assert result.returncode == 0, result.stderr
    assert "--yardstick [DIR]" in result.stdout


def test_a_missing_yardstick_folder_is_a_usage_error(tmp_path: Path) -> None:
    result = _bench(*URLS, "--yardstick", str(tmp_path / "absent"))
    assert result.returncode == 2
    assert f"there is no folder {tmp_path / 'absent'}" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_folder_without_the_yardstick_app_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("fastapi\n")
    result = _bench(*URLS, "--yardstick", str(tmp_path))
    assert result.returncode == 2
    assert "is not the seed_reference app (it lacks alembic.ini, twitter_api/main.py)" in (
        result.stderr
    )
