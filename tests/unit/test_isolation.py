"""The core, the memory adapter, the security adapters and these unit tests load no
framework, ORM or database driver.

Checked in a fresh interpreter, since the test run itself may have loaded anything.
One interpreter imports three groups of modules in turn and reports, after each
group, which forbidden modules it holds by then; the last group is a control that
must be caught, so that the probe is known to work.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[2]
UNIT_TESTS = Path(__file__).resolve().parent
FORBIDDEN = ("sqlalchemy", "fastapi", "starlette", "psycopg2", "pydantic", "alembic")

STAGES = {
    "core": [
        "twitter.domain.model",
        "twitter.application.use_cases",
        "twitter.adapters.memory",
        "twitter.adapters.security",
    ],
    "unit_tests": sorted(f"tests.unit.{path.stem}" for path in UNIT_TESTS.glob("*.py")),
    # The cheapest forbidden import: it proves the probe sees what gets loaded.
    "control": ["psycopg2"],
}

PROBE = """
import importlib, json, sys
stages, forbidden = json.loads(sys.argv[1]), json.loads(sys.argv[2])
report = {}
for stage, modules in stages.items():
    for name in modules:
        importlib.import_module(name)
    report[stage] = sorted(m for m in sys.modules if m.split(".")[0] in forbidden)
print(json.dumps(report))
"""


@pytest.fixture(scope="module")
def loaded_after() -> dict[str, list[str]]:
    """For each stage, the forbidden modules a fresh interpreter holds after importing it."""
    result = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(STAGES), json.dumps(FORBIDDEN)],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    report: dict[str, list[str]] = json.loads(result.stdout)
    return report


def test_core_memory_and_security_adapters_import_no_framework_orm_or_driver(
    loaded_after: dict[str, list[str]],
) -> None:
    assert loaded_after["core"] == []


def test_unit_test_modules_import_no_framework_orm_or_driver(
    loaded_after: dict[str, list[str]],
) -> None:
    assert "tests.unit.conftest" in STAGES["unit_tests"]
    assert "tests.unit.test_isolation" in STAGES["unit_tests"]
    assert loaded_after["unit_tests"] == []


def test_the_probe_notices_a_forbidden_import(loaded_after: dict[str, list[str]]) -> None:
    assert "psycopg2" in loaded_after["control"]
