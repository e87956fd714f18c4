"""Schemathesis fuzzes every operation of the OpenAPI document the app serves.

There is one test per operation and backend (SQLite, and PostgreSQL when
TWITTER_TEST_POSTGRES_URL is set), each on a fresh database through the ``client``
fixture. Before the fuzzing starts the database holds two users (ids 1 and 2), a
tweet by each (ids 1 and 2), a like and a follow; every request carries user 1's
bearer token, and generated ids, usernames and body references are often swapped
for those real ones, so that authenticated routes get past the token and ownership
checks and reach their use cases (log-in bodies likewise get real credentials).

Every answer must be free of server errors and conform to the document: its status
code is declared for the operation, its content type is the declared one, and its
body matches the declared schema. Generation is derandomized, so every run sends
the same requests.

Schemathesis' ``from_fixture`` loader does not work with this pytest (it needs the
removed ``Node._nodeid``), so the document is fetched once, at import, from an app
on an empty in-memory database; ``test_the_fuzzed_document_is_the_one_served``
checks that the app under test serves the same one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
import schemathesis
from dependency_injector import providers
from fastapi.testclient import TestClient
from httpx2 import Response
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.checks import CheckFunction, not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.integration.api import PASSWORD, Api
from tests.integration.conftest import test_settings
from twitter.container import Container
from twitter.main import create_app

CHECKS: list[CheckFunction] = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
# Examples per operation for the fuzzing phase; the examples and coverage phases add
# their own deterministic cases (boundary values, wrong types, missing fields ...).
MAX_EXAMPLES = 30
SEED = 0

# What the ``world`` fixture creates, by id: these values name real things.
ADA, GRACE = 1, 2
REAL_PATH_VALUES: dict[str, tuple[Any, ...]] = {
    "user_id": (ADA, GRACE),
    "target_user_id": (ADA, GRACE),
    "tweet_id": (1, 2),
    "username": ("ada", "GRACE"),
}
REAL_BODY_VALUES: dict[str, tuple[Any, ...]] = {
    "tweet_id": (1, 2),
    "target_user_id": (ADA, GRACE),
}
REAL_LOGIN_VALUES: dict[str, tuple[Any, ...]] = {
    "username": ("ada", "ADA@example.com"),
    "password": (PASSWORD,),
}


def _served_document() -> dict[str, Any]:
    """The document as the app serves it at /openapi.json (it needs no database)."""
    container = Container()
    container.settings.override(providers.Object(test_settings("sqlite://")))
    try:
        with TestClient(create_app(container)) as client:
            response = client.get("/openapi.json")
            assert response.status_code == 200, response.text
            return dict(response.json())
    finally:
        container.unwire()
        container.reset_singletons()


DOCUMENT = _served_document()
schema = schemathesis.openapi.from_dict(
    DOCUMENT, config=schemathesis.Config.from_dict({"seed": SEED})
)


def _with_real(values: dict[str, tuple[Any, ...]], generated: Any) -> st.SearchStrategy[Any]:
    """``generated`` with the entries that ``values`` knows replaced by real values."""
    if not isinstance(generated, dict) or not any(name in values for name in generated):
        return st.just(generated)
    return st.fixed_dictionaries(
        {
            name: st.sampled_from(values[name]) if name in values else st.just(value)
            for name, value in generated.items()
        }
    )


@schema.hook
def before_generate_path_parameters(
    context: schemathesis.HookContext, strategy: st.SearchStrategy[Any]
) -> st.SearchStrategy[Any]:
    return st.one_of(strategy, strategy.flatmap(lambda p: _with_real(REAL_PATH_VALUES, p)))


@schema.hook
def before_generate_body(
    context: schemathesis.HookContext, strategy: st.SearchStrategy[Any]
) -> st.SearchStrategy[Any]:
    login = context.operation is not None and context.operation.path == "/token"
    values = REAL_LOGIN_VALUES if login else REAL_BODY_VALUES
    return st.one_of(strategy, strategy.flatmap(lambda b: _with_real(values, b)))


@dataclass(frozen=True)
class World:
    headers: dict[str, str]
    """User 1's bearer token."""


@pytest.fixture
def world(client: TestClient) -> World:
    api = Api(client)
    ada = api.signup("ada@example.com", username="ada")
    grace = api.signup("grace@example.com", username="Grace")
    assert (ada.id, grace.id) == (ADA, GRACE)
    assert ada.tweet("The first tweet")["id"] == 1
    assert grace.tweet("The second tweet")["id"] == 2
    assert ada.like(2).status_code == 201
    assert grace.follow(ADA).status_code == 201
    return World(headers=ada.headers)


def send(client: TestClient, case: schemathesis.Case[Any], headers: dict[str, str]) -> Response:
    """Send ``case`` through the test client. Schemathesis serialises for ``requests``,
    whose keywords differ a little from those of the test client."""
    kwargs = case.as_transport_kwargs(headers=headers)
    method, url = kwargs.pop("method"), kwargs.pop("url")
    request_headers = dict(kwargs.pop("headers", None) or {})
    cookies = kwargs.pop("cookies", None)
    if cookies:
        request_headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in cookies.items())
    body: dict[str, Any] = {}
    if "data" in kwargs:
        data = kwargs.pop("data")
        body["data" if isinstance(data, dict) else "content"] = data
    for name in ("json", "files", "params"):
        if name in kwargs:
            body[name] = kwargs.pop(name)
    assert not kwargs, f"cannot pass {sorted(kwargs)} to the test client"
    response: Response = client.request(method, url, headers=request_headers, **body)
    return response


def test_the_fuzzed_document_is_the_one_served(client: TestClient) -> None:
    assert client.get("/openapi.json").json() == DOCUMENT


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    # One database for all the examples of an operation, on purpose: state builds up.
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_every_answer_conforms_to_the_document(
    case: schemathesis.Case[Any], client: TestClient, world: World
) -> None:
    response = send(client, case, world.headers)
    case.validate_response(response, checks=CHECKS)
