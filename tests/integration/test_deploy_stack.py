"""The example deployment (``deploy/stack.py``) as a whole: haproxy in front of two
``twitter serve`` processes, pgbouncer in transaction mode, a PostgreSQL primary and
a streaming replica, all started once for this module and stopped at the end,
leaving no process and no cluster behind.

Requests through the balancer are spread over both processes (each logs the ids of
the requests it served; haproxy counts them too); a like race through it keeps
``like_count`` exact; a process killed mid-load costs at most the requests it held,
and the other one serves everything after.
"""

from __future__ import annotations

import subprocess
import threading
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx2
import pytest

from deploy.stack import Stack, running_stack
from tests.integration.api import PASSWORD
from tests.integration.conftest import POSTGRES_URL

pytestmark = pytest.mark.skipif(
    POSTGRES_URL is None,
    reason="the deployment is tested with PostgreSQL (TWITTER_TEST_POSTGRES_URL)",
)


def _running(pids: dict[int, str]) -> list[str]:
    """Those of ``pids`` still running the command they ran (``ps``)."""
    listed = subprocess.run(
        ["ps", "-o", "pid=,args=", "-p", ",".join(map(str, pids))],
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    left = []
    for line in listed.splitlines():
        pid, _, args = line.strip().partition(" ")
        if pids.get(int(pid), "\0") in args:
            left.append(line.strip())
    return left


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    workdir = tmp_path_factory.mktemp("stack")
    pids: dict[int, str] = {}
    clusters: list[Path] = []
    with running_stack(workdir) as started:
        for process in started.processes():
            pids[process.pid] = " ".join(process.argv[1:])
        for cluster in (started.pair.primary, started.pair.replica):
            postmaster = int((cluster.data / "postmaster.pid").read_text().split()[0])
            pids[postmaster] = str(cluster.data)
            clusters.append(cluster.data)
        yield started
    # Everything it started has stopped, and the clusters are gone.
    assert _running(pids) == []
    assert [path for path in clusters if path.exists()] == []
    assert not (workdir / "postgres").exists()


def _signup(http: httpx2.Client, name: str) -> tuple[int, dict[str, str]]:
    email = f"{name}@example.com"
    created = http.post("/users/", json={"email": email, "password": PASSWORD})
    assert created.status_code == 201, created.text
    token = http.post("/token", data={"username": email, "password": PASSWORD})
    assert token.status_code == 200, token.text
    return created.json()["id"], {"Authorization": f"Bearer {token.json()['access_token']}"}


def _served(stack: Stack) -> dict[str, int]:
    """2xx answers per process, as haproxy counts them."""
    return {name: int(row["hrsp_2xx"]) for name, row in stack.balancer.stats().items()}


def test_requests_through_the_balancer_are_spread_over_both_processes(stack: Stack) -> None:
    before = _served(stack)
    ids = [f"spread-{uuid.uuid4().hex}" for _ in range(40)]
    with httpx2.Client(base_url=stack.balancer_url, timeout=10) as http:
        for request_id in ids:
            response = http.get("/tweets/", headers={"X-Request-ID": request_id})
            assert response.status_code == 200
            assert response.headers.get("x-request-id") == request_id
    after = _served(stack)

    # haproxy's counters: round robin, twenty each (give or take a retried one).
    served = {name: after[name] - before[name] for name in after}
    assert sum(served.values()) == 40 and min(served.values()) >= 15, served
    # The processes' own logs: each served some of them, together all of them.
    time.sleep(0.2)  # the last access log lines
    logs = [app.process.log() for app in stack.apps]
    in_each = [{request_id for request_id in ids if request_id in log} for log in logs]
    assert all(in_each), "one process served none of the requests"
    assert set.union(*in_each) == set(ids)


def test_a_like_race_through_the_balancer_keeps_the_count_exact(stack: Stack) -> None:
    run = uuid.uuid4().hex[:8]
    with httpx2.Client(base_url=stack.balancer_url, timeout=30) as http:
        _, headers = _signup(http, f"author-{run}")
        posted = http.post("/tweets/", json={"text": "like me"}, headers=headers)
        assert posted.status_code == 201
        tweet_id = posted.json()["id"]

    def signup(number: int) -> tuple[int, dict[str, str]]:
        with httpx2.Client(base_url=stack.balancer_url, timeout=30) as http:
            return _signup(http, f"fan{number}-{run}")

    with ThreadPoolExecutor(8) as pool:
        fans = list(pool.map(signup, range(20)))
    barrier = threading.Barrier(len(fans))

    def like(fan: tuple[int, dict[str, str]]) -> int:
        fan_id, fan_headers = fan
        with httpx2.Client(base_url=stack.balancer_url, timeout=30) as http:
            barrier.wait(timeout=10)
            response = http.post(
                f"/users/{fan_id}/likes/", json={"tweet_id": tweet_id}, headers=fan_headers
            )
            return response.status_code

    with ThreadPoolExecutor(len(fans)) as pool:
        statuses = list(pool.map(like, fans))

    assert statuses == [201] * len(fans)
    assert stack.primary.sql(f"SELECT count(*) FROM likes WHERE tweet_id = {tweet_id}") == [(20,)]
    stack.pair.caught_up()  # anonymous reads go to the replica
    with httpx2.Client(base_url=stack.balancer_url, timeout=10) as http:
        assert http.get(f"/tweets/{tweet_id}").json()["like_count"] == len(fans)
        assert http.get(f"/tweets/{tweet_id}", headers=headers).json()["like_count"] == 20


def test_metrics_are_scraped_from_each_process_not_through_the_balancer(stack: Stack) -> None:
    with httpx2.Client(timeout=10) as http:
        assert http.get(f"{stack.balancer_url}/metrics").status_code == 404
        for app in stack.apps:
            page = http.get(f"{app.url}/metrics")
            assert page.status_code == 200
            assert 'twitter_http_requests_total{method="GET",route="/health/live"' in page.text


def test_killing_a_process_mid_load_costs_at_most_the_requests_it_held(stack: Stack) -> None:
    """Last in this module: it leaves one process dead (the stack stops it anyway)."""
    threads, seconds, kill_after = 4, 3.0, 1.0
    outcomes: list[tuple[float, bool]] = []  # (when, whether it answered 2xx)
    lock = threading.Lock()
    start = time.monotonic()

    def load() -> None:
        with httpx2.Client(base_url=stack.balancer_url, timeout=10) as http:
            while time.monotonic() - start < seconds:
                try:
                    ok = http.get("/tweets/", params={"limit": 5}).is_success
                except httpx2.HTTPError:
                    ok = False
                with lock:
                    outcomes.append((time.monotonic() - start, ok))

    workers = [threading.Thread(target=load) for _ in range(threads)]
    for worker in workers:
        worker.start()
    time.sleep(kill_after)
    victim = stack.apps[0]
    victim.process.kill()
    killed_at = time.monotonic() - start
    for worker in workers:
        worker.join()

    failures = [when for when, ok in outcomes if not ok]
    after = [ok for when, ok in outcomes if when > killed_at + 0.5]
    assert len(outcomes) > 100
    assert len(failures) <= threads, f"{len(failures)} failed: {failures}"
    assert len(after) > 20 and all(after)
    assert not victim.process.alive()
    deadline = time.monotonic() + 5
    while stack.balancer.stats()["app1"]["status"] == "UP":  # its checks fail in ~0.5 s
        assert time.monotonic() < deadline, "haproxy still sends to the dead process"
        time.sleep(0.1)
