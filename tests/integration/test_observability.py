"""What an operator watches: request ids on every answer and log line, JSON logs,
Prometheus metrics (added up over worker processes), liveness and readiness, and a
graceful stop on SIGTERM."""

from __future__ import annotations

import json
import re
import signal
import socket
import threading
import time
from pathlib import Path

import httpx2
import pytest
from prometheus_client import REGISTRY
from sqlalchemy import create_engine, text
from starlette.testclient import TestClient
from starlette.types import Receive, Scope, Send

from tests.integration.api import Api
from tests.integration.conftest import api_with, empty_database_at_head
from tests.integration.live_server import serve
from twitter.adapters.http.metrics import Metrics, Sample
from twitter.adapters.persistence import migrations

GENERATED_ID = re.compile(r"[0-9a-f]{32}")


def _sqlite_at_head(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    return empty_database_at_head("sqlite", request, tmp_path)


# --- request ids ------------------------------------------------------------------------


def test_every_answer_carries_a_request_id_the_callers_own_when_it_is_a_plain_token(
    api: Api,
) -> None:
    client = api.client
    generated = [client.get("/health/live").headers["X-Request-ID"] for _ in range(3)]
    assert all(GENERATED_ID.fullmatch(each) for each in generated), generated
    assert len(set(generated)) == 3

    given = "lb-7f3a.2:req/41"
    for method, path in (("GET", "/tweets/"), ("GET", "/tweets/999999"), ("POST", "/tweets/")):
        answer = client.request(method, path, headers={"X-Request-ID": given})
        assert answer.headers["X-Request-ID"] == given, f"{method} {path}"
    # An error answered before any route (a body too large) carries it too.
    too_large = client.post("/users/", content=b"x" * 100_000, headers={"X-Request-ID": given})
    assert too_large.status_code == 413
    assert too_large.headers["X-Request-ID"] == given

    # What could forge or break a log line is replaced, not echoed.
    for unsafe in ('a" b', "x" * 129, "id;drop", ""):
        answer = client.get("/health/live", headers={"X-Request-ID": unsafe})
        assert GENERATED_ID.fullmatch(answer.headers["X-Request-ID"]), unsafe


# --- liveness and readiness ------------------------------------------------------------


def test_live_and_ready_answer_ok_on_a_migrated_database(api: Api) -> None:
    assert api.client.get("/health/live").json() == {"status": "ok"}
    ready = api.client.get("/health/ready")
    assert ready.status_code == 200
    assert ready.json() == {"status": "ok", "database": "ok", "schema": "ok"}


def test_not_ready_while_the_schema_is_behind_the_code(
    request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    url = _sqlite_at_head(request, tmp_path)
    with api_with(url) as api:
        migrations.downgrade(url, "-1")
        ready = api.client.get("/health/ready")
        assert ready.status_code == 503
        assert ready.json() == {
            "status": "unavailable",
            "database": "ok",
            "schema": "not at the newest migration",
        }
        assert api.client.get("/health/live").status_code == 200
        migrations.upgrade(url)
        assert api.client.get("/health/ready").status_code == 200


# --- metrics ------------------------------------------------------------------------------


def _counted(route: str, status: int, method: str = "GET") -> float:
    labels = {"method": method, "route": route, "status": str(status)}
    return REGISTRY.get_sample_value("twitter_http_requests_total", labels) or 0.0


def test_metrics_count_requests_by_route_template_and_status(api: Api) -> None:
    route = "/tweets/{tweet_id}"
    before, unmatched = _counted(route, 404), _counted("unmatched", 404)
    for tweet_id in (999_991, 999_992, 999_993):
        assert api.client.get(f"/tweets/{tweet_id}").status_code == 404
    api.client.get("/no/such/path/42")
    assert _counted(route, 404) == before + 3  # one series for every id
    assert _counted("unmatched", 404) == unmatched + 1

    page = api.client.get("/metrics")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/plain")
    assert 'twitter_http_request_duration_seconds_bucket{le="0.05",method="GET",route=' in page.text
    assert 'twitter_db_pool_connections_open{pool="writes"}' in page.text
    assert "/tweets/999991" not in page.text


def test_metrics_count_throttle_refusals(database_url: str) -> None:
    labels = {"route": "/users/{user_id}/tweets/"}
    before = REGISTRY.get_sample_value("twitter_throttle_refusals_total", labels) or 0.0
    with api_with(database_url, writes_per_user=1) as api:
        ada = api.signup()
        ada.tweet("the one write allowed")
        refused = api.client.post(
            f"/users/{ada.id}/tweets/", json={"text": "one too many"}, headers=ada.headers
        )
        assert refused.status_code == 429
    assert REGISTRY.get_sample_value("twitter_throttle_refusals_total", labels) == before + 1


def test_a_sampler_that_fails_costs_no_answer(caplog: pytest.LogCaptureFixture) -> None:
    async def no_content(scope: Scope, receive: Receive, send: Send) -> None:
        await send({"type": "http.response.start", "status": 204, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    def broken() -> Sample:
        raise RuntimeError("the pool is gone")

    assert TestClient(Metrics(no_content, broken)).get("/").status_code == 204
    assert "could not sample the pools" in caplog.text


def _total(page: str, route: str) -> float:
    labels = f'method="GET",route="{re.escape(route)}",status="404"'
    pattern = rf"^twitter_http_requests_total\{{{labels}\}} (\S+)$"
    found = re.search(pattern, page, re.MULTILINE)
    return float(found.group(1)) if found else 0.0


def test_metrics_add_up_over_worker_processes(
    request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    """Whichever worker answers the scrape reports every worker's requests."""
    folder = tmp_path / "metrics"
    folder.mkdir()
    (folder / "counter_1.db").write_bytes(b"")  # an earlier run's: emptied at start
    url = _sqlite_at_head(request, tmp_path)
    environment = {"PROMETHEUS_MULTIPROC_DIR": str(folder)}
    with serve(url, tmp_path, workers=2, environment=environment) as server:
        sent = 0

        def fetch(count: int) -> None:
            for index in range(count):  # a connection each: the workers take turns
                httpx2.get(f"{server.base_url}/users/{900_000 + index}", timeout=10)

        for _ in range(10):  # until both workers have counted some
            threads = [threading.Thread(target=fetch, args=(10,)) for _ in range(4)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            sent += 40
            counters = {path.name for path in folder.glob("counter_*.db")}
            if len(counters) >= 2:
                break
        assert len(counters) == 2, f"one worker took every request: {counters}"
        assert "counter_1.db" not in counters
        for _ in range(6):
            page = httpx2.get(f"{server.base_url}/metrics", timeout=10).text
            assert _total(page, "/users/{user_id}") == sent


# --- logs -------------------------------------------------------------------------------


@pytest.mark.parametrize("log_format", ["text", "json"])
def test_each_log_line_names_its_request(
    request: pytest.FixtureRequest, tmp_path: Path, log_format: str
) -> None:
    url = _sqlite_at_head(request, tmp_path)
    settings = {"log_format": log_format}
    with serve(url, tmp_path, settings=settings, access_log=True) as server:
        server.mark_log()
        with server.client() as http:
            given = http.get("/tweets/", headers={"X-Request-ID": "trace-4711"})
            generated = http.get("/tweets/424242")
        answered = {"trace-4711": ("/tweets/", 200), generated.headers["X-Request-ID"]: None}
        assert given.headers["X-Request-ID"] == "trace-4711"
        time.sleep(0.2)  # the access line is written as the answer starts
        lines = [line for line in server.log_since_mark().splitlines() if line.strip()]
    if log_format == "text":
        assert any(
            "[trace-4711]" in line and '"GET /tweets/ HTTP/1.1" 200' in line for line in lines
        )
        assert any(f"[{generated.headers['X-Request-ID']}]" in line for line in lines), lines
        return
    entries = [json.loads(line) for line in lines]  # every line is one JSON object
    access = {e["request_id"]: e for e in entries if e["logger"] == "uvicorn.access"}
    assert set(answered) <= set(access), entries
    first = access["trace-4711"]
    assert (first["method"], first["path"], first["status"], first["level"]) == (
        "GET",
        "/tweets/",
        200,
        "info",
    )
    assert access[generated.headers["X-Request-ID"]]["status"] == 404


# --- a graceful stop -------------------------------------------------------------------


def test_on_sigterm_a_request_in_flight_finishes_and_no_new_one_is_taken(
    request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    url = _sqlite_at_head(request, tmp_path)
    body = json.dumps({"email": "inflight@example.com", "password": "correct horse battery"})
    head = (
        "POST /users/ HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    ).encode()
    with serve(url, tmp_path) as server:
        in_flight = socket.create_connection(("127.0.0.1", server.port), timeout=10)
        in_flight.sendall(head + body[:10].encode())  # the request has begun: half a body
        time.sleep(0.3)
        server.process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + 5
        while True:  # the listener closes: new connections are refused
            try:
                socket.create_connection(("127.0.0.1", server.port), timeout=1).close()
            except ConnectionRefusedError:
                break
            assert time.monotonic() < deadline, "still taking connections after SIGTERM"
            time.sleep(0.05)
        assert server.process.poll() is None, "it stopped without finishing the request"
        in_flight.sendall(body[10:].encode())
        answer = b""
        while chunk := in_flight.recv(65536):
            answer += chunk
        in_flight.close()
        assert answer.startswith(b"HTTP/1.1 201 "), answer[:200]
        # uvicorn ends by raising the signal again, once every request has finished.
        assert server.process.wait(timeout=10) in (0, -signal.SIGTERM)
        assert "Finished server process" in server.log()
    engine = create_engine(url)
    with engine.connect() as connection:
        emails = connection.execute(text("SELECT email FROM users")).scalars().all()
    engine.dispose()
    assert emails == ["inflight@example.com"]
