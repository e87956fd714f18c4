"""The SQLAlchemy unit of work: reading ones refuse to write; failed ones leave nothing."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest
from dependency_injector import providers
from sqlalchemy import text

from tests.integration.conftest import test_settings
from twitter.adapters.persistence.unit_of_work import ReadOnlyUnitOfWork
from twitter.application.errors import StorageUnavailable
from twitter.container import Container
from twitter.domain.model import User

NOW = datetime(2026, 1, 1, tzinfo=UTC)


def _user(name: str) -> User:
    return User(email=f"{name}@example.com", username=name, hashed_password="x", created_at=NOW)


def test_a_reading_unit_of_work_refuses_to_write(container: Container) -> None:
    container.init_resources()
    with pytest.raises(ReadOnlyUnitOfWork), container.reading_unit_of_work() as uow:
        uow.users.add(_user("sneaky"))
    with pytest.raises(ReadOnlyUnitOfWork), container.reading_unit_of_work() as uow:
        uow.commit()
    with container.reading_unit_of_work() as uow:
        assert uow.users.get_by_username("sneaky") is None


def test_a_reading_unit_of_work_sees_what_writers_committed(container: Container) -> None:
    container.init_resources()
    with container.unit_of_work() as uow:
        uow.users.add(_user("ada"))
        uow.commit()
    with container.reading_unit_of_work() as uow:
        found = uow.users.get_by_username("ADA")
    assert found is not None
    assert found.email == "ada@example.com"


def test_an_error_inside_a_writing_unit_of_work_leaves_nothing(container: Container) -> None:
    container.init_resources()
    with pytest.raises(RuntimeError, match="crash"), container.unit_of_work() as uow:
        uow.users.add(_user("ghost"))
        raise RuntimeError("crash mid use case")
    with container.reading_unit_of_work() as uow:
        assert uow.users.get_by_username("ghost") is None


@pytest.mark.postgres
def test_a_statement_past_the_timeout_is_cancelled_and_answers_unavailable(
    database_url: str,
) -> None:
    """PostgreSQL cancels it (statement_timeout): the caller gets StorageUnavailable,
    which the HTTP adapter answers 503, instead of waiting for as long as it runs."""
    if database_url.startswith("sqlite"):
        pytest.skip("statement_timeout is PostgreSQL's")
    container = Container()
    container.settings.override(
        providers.Object(test_settings(database_url, db_statement_timeout_ms=200))
    )
    container.init_resources()
    try:
        began = time.monotonic()
        with pytest.raises(StorageUnavailable), container.reading_unit_of_work() as uow:
            uow._session.execute(text("SELECT pg_sleep(5)"))  # type: ignore[attr-defined]
        assert time.monotonic() - began < 2
        with container.reading_unit_of_work() as uow:  # the pool serves again at once
            assert uow.users.get(1) is None
    finally:
        container.shutdown_resources()
