"""The README's library examples run as written and print what it says they print."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

README = Path(__file__).resolve().parents[2] / "README.md"


def _examples() -> list[str]:
    return re.findall(r"```python\n(.*?)```", README.read_text(), re.S)


def test_the_readme_has_a_memory_and_a_database_example() -> None:
    examples = _examples()
    assert any("MemoryUnitOfWork" in example for example in examples)
    assert any("sqlite:///" in example for example in examples)


def test_every_readme_example_runs_and_prints_what_it_promises(tmp_path: Path) -> None:
    for example in _examples():
        promised = re.findall(r"# (\S.*)$", example, re.M)
        result = subprocess.run(
            [sys.executable, "-c", example],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert result.returncode == 0, result.stderr
        printed = result.stdout.strip().splitlines()
        assert printed, example
        assert printed[-1] == promised[-1], (printed, promised)
