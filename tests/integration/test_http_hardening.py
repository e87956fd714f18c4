"""What every answer carries and what no request may do: body size, security headers, CORS."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from dependency_injector import providers
from fastapi.testclient import TestClient
from httpx2 import Response
from sqlalchemy import Engine, text

from tests.integration.api import PASSWORD, Api
from tests.integration.conftest import test_settings
from twitter.container import Container
from twitter.main import create_app
from twitter.settings import Settings

LIMIT = 16 * 1024


def _users(engine: Engine) -> int:
    with engine.connect() as connection:
        return int(connection.execute(text("SELECT count(*) FROM users")).scalar_one())


def _too_large(response: Response) -> None:
    assert response.status_code == 413, response.text
    assert response.json() == {"detail": f"The request body is larger than {LIMIT} bytes"}


def test_the_default_limit_is_what_these_tests_assume() -> None:
    assert Settings.model_fields["max_body_bytes"].default == LIMIT


def test_a_json_body_over_the_limit_is_413_and_stores_nothing(api: Api, engine: Engine) -> None:
    body = {"email": "ada@example.com", "password": PASSWORD, "padding": "x" * LIMIT}
    _too_large(api.client.post("/users/", json=body))
    assert _users(engine) == 0


def test_a_form_over_the_limit_is_413(api: Api) -> None:
    _too_large(api.client.post("/token", data={"username": "a" * LIMIT, "password": PASSWORD}))


def test_a_streamed_body_without_a_length_is_cut_off_at_the_limit(api: Api, engine: Engine) -> None:
    payload = json.dumps({"email": "ada@example.com", "password": PASSWORD, "x": "y" * LIMIT})

    def chunks() -> Iterator[bytes]:
        data = payload.encode()
        for start in range(0, len(data), 1000):
            yield data[start : start + 1000]

    response = api.client.post(
        "/users/", content=chunks(), headers={"Content-Type": "application/json"}
    )
    assert "content-length" not in response.request.headers
    _too_large(response)
    assert _users(engine) == 0


def test_a_body_within_the_limit_is_read(api: Api, engine: Engine) -> None:
    body = {"email": "ada@example.com", "password": PASSWORD, "padding": "x" * (LIMIT - 200)}
    assert len(json.dumps(body)) < LIMIT
    assert api.client.post("/users/", json=body).status_code == 201
    assert _users(engine) == 1


SECURITY_HEADERS = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
    "cache-control": "no-store",
    "content-security-policy": "default-src 'none'; frame-ancestors 'none'",
}


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("GET", "/health", 200),
        ("GET", "/users/", 200),
        ("GET", "/users/999", 404),
        ("GET", "/users/abc", 422),
        ("GET", "/users/me", 401),
        ("POST", "/users/", 422),
        ("GET", "/nowhere", 404),
    ],
)
def test_every_api_answer_carries_the_security_headers(
    api: Api, method: str, path: str, status: int
) -> None:
    response = api.client.request(method, path)
    assert response.status_code == status
    assert {name: response.headers.get(name) for name in SECURITY_HEADERS} == SECURITY_HEADERS
    assert "strict-transport-security" not in response.headers  # plain HTTP here


def test_a_413_carries_the_security_headers_too(api: Api) -> None:
    response = api.client.post("/users/", content=b"x" * (LIMIT + 1))
    assert response.status_code == 413
    assert response.headers["x-content-type-options"] == "nosniff"


def test_swagger_ui_gets_a_policy_of_its_own(api: Api) -> None:
    # Its files are served from here (tests/integration/test_docs_offline.py): no CDN to allow.
    response = api.client.get("/docs")
    assert response.status_code == 200
    assert response.headers["content-security-policy"].startswith("default-src 'none'; ")
    assert "script-src 'self' 'unsafe-inline'" in response.headers["content-security-policy"]
    assert response.headers["x-frame-options"] == "DENY"


def test_over_https_answers_ask_for_https_from_then_on(client: TestClient) -> None:
    with TestClient(client.app, base_url="https://testserver") as secure:
        response = secure.get("/health")
    assert response.headers["strict-transport-security"].startswith("max-age=31536000")


@pytest.mark.parametrize(("seconds", "expected"), [(0, None), (600, "max-age=600")])
def test_hsts_is_configurable(database_url: str, seconds: int, expected: str | None) -> None:
    container = Container()
    settings = test_settings(database_url, hsts_seconds=seconds)
    container.settings.override(providers.Object(settings))
    with TestClient(create_app(container), base_url="https://testserver") as secure:
        header = secure.get("/health").headers.get("strict-transport-security")
    container.shutdown_resources()
    assert header == (None if expected is None else f"{expected}; includeSubDomains")


def test_by_default_no_other_origin_may_call_the_api(api: Api) -> None:
    preflight = api.client.options(
        "/users/",
        headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"},
    )
    assert "access-control-allow-origin" not in preflight.headers
    simple = api.client.get("/users/", headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in simple.headers


@pytest.fixture
def cors_api(database_url: str) -> Iterator[Api]:
    container = Container()
    settings = test_settings(database_url, cors_origins=["https://app.example"])
    container.settings.override(providers.Object(settings))
    with TestClient(create_app(container)) as client:
        yield Api(client)
    container.shutdown_resources()


def test_configured_origins_may_call_the_api_and_others_still_may_not(cors_api: Api) -> None:
    preflight = cors_api.client.options(
        "/users/1/tweets/",
        headers={
            "Origin": "https://app.example",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization, content-type",
        },
    )
    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] == "https://app.example"
    assert "POST" in preflight.headers["access-control-allow-methods"]
    listed = cors_api.client.get("/users/", headers={"Origin": "https://app.example"})
    assert listed.headers["access-control-allow-origin"] == "https://app.example"
    assert "Link" in listed.headers["access-control-expose-headers"]

    other = cors_api.client.get("/users/", headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in other.headers


def test_cors_origins_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TWITTER_CORS_ORIGINS", '["https://app.example", "https://b.example"]')
    assert Settings().cors_origins == ["https://app.example", "https://b.example"]
