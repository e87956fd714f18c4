"""docs/api.md describes every operation of the live OpenAPI document: each has its row in
the routes table, naming every status the operation declares."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from dependency_injector import providers
from fastapi.testclient import TestClient

from tests.integration.conftest import test_settings
from twitter.container import Container
from twitter.main import create_app

API_DOC = Path(__file__).resolve().parents[2] / "docs" / "api.md"
ROW = re.compile(r"^\| `(GET|POST|PUT|PATCH|DELETE) (/[^`]*)`[^|]*\|[^|]*\|(.*)\|\s*$", re.M)


@pytest.fixture(scope="module")
def operations() -> Iterator[dict[tuple[str, str], set[str]]]:
    """Each operation of the document, as (method, path), with the statuses it declares."""
    container = Container()
    container.settings.override(providers.Object(test_settings("sqlite://")))
    with TestClient(create_app(container)) as client:
        doc: dict[str, Any] = client.get("/openapi.json").json()
    container.reset_singletons()
    yield {
        (method.upper(), path): set(operation["responses"])
        for path, item in doc["paths"].items()
        for method, operation in item.items()
    }


def documented() -> dict[tuple[str, str], str]:
    """The routes table of docs/api.md: (method, path) to the row's answer column."""
    rows = ROW.findall(API_DOC.read_text(encoding="utf-8"))
    table = {(method, path): answer for method, path, answer in rows}
    assert len(table) == len(rows), "a route has two rows"
    return table


def test_every_operation_has_a_row(operations: dict[tuple[str, str], set[str]]) -> None:
    assert len(operations) >= 25
    assert sorted(set(operations) - set(documented())) == []


def test_every_row_names_the_statuses_its_operation_declares(
    operations: dict[tuple[str, str], set[str]],
) -> None:
    rows = documented()
    missing = {
        f"{method} {path}": sorted(
            status for status in statuses if not re.search(rf"\b{status}\b", rows[method, path])
        )
        for (method, path), statuses in operations.items()
        if (method, path) in rows
    }
    assert {route: codes for route, codes in missing.items() if codes} == {}
