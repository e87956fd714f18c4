"""A use case that crashes half-way leaves nothing behind: its unit of work rolls back.

The crash is injected between two writes of one use case (a like's row, then the
tweet's counter) and just before a commit; the request answers 500 with no detail
of the crash, and the database holds exactly what it held before.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from httpx2 import Response
from sqlalchemy import Engine, text

from tests.integration.api import Api
from twitter.adapters.persistence.repositories import SqlAlchemyTweetRepository
from twitter.adapters.persistence.unit_of_work import SqlAlchemyUnitOfWork
from twitter.container import Container
from twitter.main import create_app


class PowerCut(RuntimeError):
    pass


def _cut(*_: object, **__: object) -> None:
    raise PowerCut("the power went out mid use case")


@pytest.fixture
def api(container: Container) -> Iterator[Api]:
    with TestClient(create_app(container), raise_server_exceptions=False) as client:
        yield Api(client)


def _rows(engine: Engine) -> dict[str, object]:
    with engine.connect() as connection:
        return {
            "users": connection.execute(text("SELECT count(*) FROM users")).scalar_one(),
            "likes": connection.execute(text("SELECT count(*) FROM likes")).scalar_one(),
            "like_counts": connection.execute(
                text("SELECT coalesce(sum(like_count), 0) FROM tweets")
            ).scalar_one(),
        }


def _crashed(response: Response) -> None:
    assert response.status_code == 500
    assert response.json() == {"detail": "Internal server error"}
    # Answered by the framework's last resort, yet with its id, for the log's traceback.
    assert len(response.headers.get("X-Request-ID", "")) == 32


def test_a_like_that_crashes_between_its_two_writes_leaves_neither(
    api: Api, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    ada = api.signup()
    tweet = ada.tweet("like me")
    before = _rows(engine)

    with monkeypatch.context() as patch:
        patch.setattr(SqlAlchemyTweetRepository, "change_like_count", _cut)
        _crashed(ada.like(tweet["id"]))

    assert _rows(engine) == before
    assert ada.like(tweet["id"]).status_code == 201  # nothing half-done stands in the way
    assert api.get_ok(f"/tweets/{tweet['id']}")["like_count"] == 1


def test_a_registration_that_crashes_before_its_commit_creates_nobody(
    api: Api, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = _rows(engine)
    real_commit = SqlAlchemyUnitOfWork.commit

    def flush_then_cut(self: SqlAlchemyUnitOfWork) -> None:
        self._session.flush()  # the row reaches the database, uncommitted
        _cut()

    with monkeypatch.context() as patch:
        patch.setattr(SqlAlchemyUnitOfWork, "commit", flush_then_cut)
        _crashed(api.register("ada@example.com"))

    assert SqlAlchemyUnitOfWork.commit is real_commit
    assert _rows(engine) == before
    assert api.register("ada@example.com").status_code == 201
