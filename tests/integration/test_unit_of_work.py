"""The SQLAlchemy unit of work: reading ones refuse to write; failed ones leave nothing."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from twitter.adapters.persistence.unit_of_work import ReadOnlyUnitOfWork
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
