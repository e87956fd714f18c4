"""The OpenAPI document at ``/openapi.json`` describes every route as it behaves: tags,
success and error responses, schemas with examples, paging parameters."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from dependency_injector import providers
from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from starlette.routing import BaseRoute

from tests.integration.conftest import test_settings
from twitter.container import Container
from twitter.main import create_app

# Every route of the contract (API.md), as method and OpenAPI path.
CONTRACT = {
    ("GET", "/"),
    ("GET", "/health"),
    ("GET", "/health/live"),  # these two: issue #15, for balancers and orchestrators
    ("GET", "/health/ready"),
    ("POST", "/token"),
    ("POST", "/token/revoke"),
    ("POST", "/users/"),
    ("GET", "/users/"),
    ("GET", "/users/me"),
    ("GET", "/users/by/username/{username}"),
    ("GET", "/users/{user_id}"),
    ("DELETE", "/users/{user_id}"),
    ("POST", "/users/{user_id}/tweets/"),
    ("GET", "/users/{user_id}/tweets/"),
    ("POST", "/tweets/"),
    ("GET", "/tweets/"),
    ("GET", "/tweets/{tweet_id}"),
    ("DELETE", "/tweets/{tweet_id}"),
    ("POST", "/users/{user_id}/likes/"),
    ("GET", "/users/{user_id}/likes/"),
    ("DELETE", "/users/{user_id}/likes/{tweet_id}"),
    ("GET", "/users/{user_id}/liked_tweets/"),
    ("GET", "/tweets/{tweet_id}/liking_users"),
    ("POST", "/users/{user_id}/following"),
    ("DELETE", "/users/{user_id}/following/{target_user_id}"),
    ("GET", "/users/{user_id}/following"),
    ("GET", "/users/{user_id}/followers"),
    ("GET", "/users/{user_id}/timeline"),
    # Conversations
    ("PATCH", "/users/me"),
    ("POST", "/users/{user_id}/retweets"),
    ("DELETE", "/users/{user_id}/retweets/{tweet_id}"),
    ("GET", "/tweets/{tweet_id}/retweeted_by"),
    ("GET", "/tweets/{tweet_id}/quote_tweets"),
    ("GET", "/tweets/{tweet_id}/context"),
    ("GET", "/tags/{tag}/tweets"),
    ("GET", "/users/{user_id}/mentions"),
    ("GET", "/users/{user_id}/notifications"),
    ("POST", "/users/{user_id}/notifications/read"),
    # Finding and safety
    ("GET", "/search/tweets"),
    ("GET", "/search/users"),
    ("POST", "/users/{user_id}/bookmarks"),
    ("DELETE", "/users/{user_id}/bookmarks/{tweet_id}"),
    ("GET", "/users/{user_id}/bookmarks"),
    ("POST", "/users/{user_id}/blocking"),
    ("DELETE", "/users/{user_id}/blocking/{target_user_id}"),
    ("GET", "/users/{user_id}/blocking"),
    ("POST", "/users/{user_id}/muting"),
    ("DELETE", "/users/{user_id}/muting/{target_user_id}"),
    ("GET", "/users/{user_id}/muting"),
}
# Needs the acting user's token: every write but sign-up and log-in (revoking included),
# and the reads of one's own (search takes a token too, but does not need one).
AUTHENTICATED = {
    (method, path)
    for method, path in CONTRACT
    if method != "GET" and path not in ("/users/", "/token")
} | {
    ("GET", "/users/me"),
    ("GET", "/users/{user_id}/timeline"),
    ("GET", "/users/{user_id}/notifications"),
    ("GET", "/users/{user_id}/bookmarks"),
    ("GET", "/users/{user_id}/blocking"),
    ("GET", "/users/{user_id}/muting"),
}
LISTS = {
    "/users/",
    "/tweets/",
    "/users/{user_id}/tweets/",
    "/users/{user_id}/likes/",
    "/users/{user_id}/liked_tweets/",
    "/tweets/{tweet_id}/liking_users",
    "/users/{user_id}/following",
    "/users/{user_id}/followers",
    "/users/{user_id}/timeline",
    "/tweets/{tweet_id}/retweeted_by",
    "/tweets/{tweet_id}/quote_tweets",
    "/tags/{tag}/tweets",
    "/users/{user_id}/mentions",
    "/users/{user_id}/notifications",
    "/search/tweets",
    "/users/{user_id}/bookmarks",
    "/users/{user_id}/blocking",
    "/users/{user_id}/muting",
}
# Arrays of the first matches only, with a limit but no cursors: people search.
TOP_MATCHES = {"/search/users"}
ACTIONS = {"/token/revoke", "/users/{user_id}/notifications/read"}  # POSTs creating nothing: 204
# Paths with a parameter that never answer 404: a tag without tweets is an empty list, and
# only a user themself marks their notifications read (anyone else: 403).
NEVER_MISSING = {("GET", "/tags/{tag}/tweets"), ("POST", "/users/{user_id}/notifications/read")}
CAN_BREAK_A_RULE = {  # 400: already exists, self-follow ...
    ("POST", "/users/"),
    ("POST", "/users/{user_id}/likes/"),
    ("POST", "/users/{user_id}/following"),
    ("POST", "/users/{user_id}/retweets"),
    ("POST", "/users/{user_id}/bookmarks"),
    ("POST", "/users/{user_id}/blocking"),
    ("POST", "/users/{user_id}/muting"),
}


@pytest.fixture(scope="module")
def app() -> Iterator[FastAPI]:
    """One app for the whole module: the document needs no database, so no parametrising."""
    container = Container()
    container.settings.override(providers.Object(test_settings("sqlite://")))
    yield create_app(container)
    container.unwire()
    container.reset_singletons()


@pytest.fixture(scope="module")
def doc(app: FastAPI) -> dict[str, Any]:
    with TestClient(app) as client:
        response = client.get("/openapi.json")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    body: dict[str, Any] = response.json()
    return body


def _operations(doc: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, item in doc["paths"].items():
        for method, operation in item.items():
            if method in ("get", "post", "put", "patch", "delete"):
                yield method.upper(), path, operation


def _resolve(doc: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    """Follows ``$ref`` and unwraps arrays and nullable ``anyOf`` down to an object schema."""
    while True:
        if "$ref" in schema:
            name = schema["$ref"].removeprefix("#/components/schemas/")
            schema = doc["components"]["schemas"][name]
        elif schema.get("type") == "array":
            schema = schema["items"]
        elif "anyOf" in schema:
            schema = next(s for s in schema["anyOf"] if s.get("type") != "null")
        else:
            return schema


def _has_example(doc: dict[str, Any], schema: dict[str, Any]) -> bool:
    resolved = _resolve(doc, schema)
    if "examples" in resolved or "example" in resolved:
        return True
    return any(
        "examples" in prop or "example" in prop or "examples" in _resolve(doc, prop)
        for prop in resolved.get("properties", {}).values()
    )


def _success(operation: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    successes = [(code, r) for code, r in operation["responses"].items() if code.startswith("2")]
    assert len(successes) == 1, successes
    return successes[0]


def _json_schema(response_or_body: dict[str, Any]) -> dict[str, Any]:
    schema: dict[str, Any] = response_or_body["content"]["application/json"]["schema"]
    return schema


def test_the_document_is_served_and_describes_the_service(doc: dict[str, Any]) -> None:
    assert doc["openapi"].startswith("3.")
    assert doc["info"]["title"] == "twitter"
    assert doc["info"]["version"]


def test_the_operations_are_exactly_the_contracts_routes(doc: dict[str, Any]) -> None:
    assert {(method, path) for method, path, _ in _operations(doc)} == CONTRACT


def _api_routes(routes: list[BaseRoute], prefix: str = "") -> Iterator[tuple[str, APIRoute]]:
    """Every APIRoute the app serves, with its full path. Newer FastAPI keeps included
    routers nested (``original_router`` plus an include prefix); older ones copy routes up."""
    for route in routes:
        if isinstance(route, APIRoute):
            yield prefix + route.path, route
        elif hasattr(route, "original_router"):
            context = getattr(route, "include_context", None)
            inner = prefix + getattr(context, "prefix", "")
            yield from _api_routes(route.original_router.routes, inner)


def test_the_documented_paths_are_the_apps_routes_in_the_schema(
    app: FastAPI, doc: dict[str, Any]
) -> None:
    routes = list(_api_routes(app.routes))
    assert len(routes) >= len(CONTRACT)
    in_schema = {
        (method, path)
        for path, route in routes
        if route.include_in_schema
        for method in route.methods
    }
    assert {path for _, path in in_schema} == set(doc["paths"])
    assert in_schema == {(method, path) for method, path, _ in _operations(doc)}


def test_the_twin_routes_without_or_with_slash_stay_out_of_the_schema(app: FastAPI) -> None:
    routes = list(_api_routes(app.routes))
    hidden = {path for path, route in routes if not route.include_in_schema}
    shown = {path for path, route in routes if route.include_in_schema}
    assert hidden.isdisjoint(shown)
    for path in shown - {"/"}:
        twin = path[:-1] if path.endswith("/") else path + "/"
        assert twin in hidden, f"{path} has no hidden twin {twin}"


def test_every_operation_has_a_tag_a_summary_and_an_id(doc: dict[str, Any]) -> None:
    ids = []
    for method, path, operation in _operations(doc):
        tags = operation.get("tags", [])
        assert tags and all(isinstance(tag, str) and tag for tag in tags), (method, path)
        assert operation.get("summary"), (method, path)
        ids.append(operation["operationId"])
    assert len(ids) == len(set(ids))


def test_every_operation_has_one_success_response_with_a_schema_unless_204(
    doc: dict[str, Any],
) -> None:
    for method, path, operation in _operations(doc):
        code, response = _success(operation)
        if method == "DELETE" or path in ACTIONS:
            assert code == "204", (method, path)
        elif method == "POST" and path != "/token":
            assert code == "201", (method, path)
        else:
            assert code == "200", (method, path)
        if code == "204":
            assert not response.get("content"), (method, path)
        else:
            assert _json_schema(response), (method, path)


def test_list_operations_answer_arrays_and_single_ones_objects(doc: dict[str, Any]) -> None:
    for method, path, operation in _operations(doc):
        code, response = _success(operation)
        if code == "204":
            continue
        schema = _json_schema(response)
        if method == "GET" and (path in LISTS or path in TOP_MATCHES):
            assert schema.get("type") == "array", path
        else:
            assert schema.get("type") != "array", (method, path)


def test_every_operation_declares_its_error_responses(doc: dict[str, Any]) -> None:
    for method, path, operation in _operations(doc):
        declared = set(operation["responses"])
        expected = set()
        if "{" in path and (method, path) not in NEVER_MISSING:
            expected.add("404")
        if operation.get("parameters") or operation.get("requestBody"):
            expected.add("422")
        if (method, path) in AUTHENTICATED:
            expected.add("401")
            if "{" in path:  # acting on a given user's (or tweet's) behalf
                expected.add("403")
        if (method, path) in CAN_BREAK_A_RULE:
            expected.add("400")
        assert expected <= declared, (method, path, sorted(expected - declared))


def test_authenticated_operations_declare_the_bearer_scheme(doc: dict[str, Any]) -> None:
    schemes = doc["components"]["securitySchemes"]
    (name, scheme), *_ = [(n, s) for n, s in schemes.items() if s["type"] == "oauth2"]
    assert scheme["flows"]["password"]["tokenUrl"].lstrip("/") == "token"
    assert "/token" in doc["paths"]
    for method, path, operation in _operations(doc):
        secured = any(name in requirement for requirement in operation.get("security", []))
        assert secured == ((method, path) in AUTHENTICATED), (method, path)


def test_error_responses_have_the_bodies_the_api_sends(doc: dict[str, Any]) -> None:
    for method, path, operation in _operations(doc):
        for code, response in operation["responses"].items():
            if not code.startswith("4"):
                continue
            schema = _resolve(doc, _json_schema(response))
            detail = schema["properties"]["detail"]
            if code == "422":
                issue = _resolve(doc, detail)
                assert {"loc", "msg", "type"} <= set(issue["properties"]), (method, path)
            else:
                assert detail["type"] == "string", (method, path, code)
                assert schema.get("required") == ["detail"], (method, path, code)


def test_request_bodies_have_examples(doc: dict[str, Any]) -> None:
    bodies = 0
    for method, path, operation in _operations(doc):
        if "requestBody" not in operation:
            continue
        bodies += 1
        content = operation["requestBody"]["content"]
        (schema,) = [entry["schema"] for entry in content.values()]
        assert _has_example(doc, schema), (method, path)
    assert bodies >= 5


def test_success_responses_have_examples(doc: dict[str, Any]) -> None:
    checked = 0
    for method, path, operation in _operations(doc):
        code, response = _success(operation)
        if code == "204":
            continue
        checked += 1
        assert _has_example(doc, _json_schema(response)), (method, path)
    assert checked >= 15


def test_list_operations_document_their_paging_parameters(doc: dict[str, Any]) -> None:
    for path in LISTS:
        parameters = {p["name"]: p for p in doc["paths"][path]["get"]["parameters"]}
        assert {"limit", "skip", "max_id", "since_id"} <= set(parameters), path
        for name in ("limit", "skip", "max_id", "since_id"):
            assert parameters[name]["in"] == "query", (path, name)
            assert not parameters[name].get("required", False), (path, name)
        limit = _resolve(doc, parameters["limit"]["schema"])
        assert (limit["minimum"], limit["maximum"], limit["default"]) == (1, 200, 50), path
        assert _resolve(doc, parameters["skip"]["schema"])["minimum"] == 0, path
        for cursor in ("max_id", "since_id"):
            schema = _resolve(doc, parameters[cursor]["schema"])
            assert (schema["minimum"], schema["maximum"]) == (0, 2**63 - 1), (path, cursor)


def test_user_schemas_never_mention_a_password_or_hash(doc: dict[str, Any]) -> None:
    for method, path, operation in _operations(doc):
        code, response = _success(operation)
        if code == "204":
            continue
        properties = _resolve(doc, _json_schema(response)).get("properties", {})
        assert not {"password", "hashed_password"} & set(properties), (method, path)
        if path != "/users/me" and not (method == "POST" and path == "/users/"):
            assert "email" not in properties, (method, path)
