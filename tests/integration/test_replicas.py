"""Reads on a real streaming replica (a second PostgreSQL cluster, see
``replica_cluster``): anonymous reads land on the replica; a person's own reads see
their writes at once while replay is paused, everyone else's once it resumes; a
replica that stops costs no answer and is used again once it is back."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator

import pytest

from tests.integration.api import Api
from tests.integration.conftest import POSTGRES_URL, api_with
from tests.integration.replica_cluster import StreamingPair, postgres_bin, streaming_pair
from twitter.adapters.persistence import migrations

pytestmark = pytest.mark.skipif(
    POSTGRES_URL is None, reason="replicas are tested with PostgreSQL (TWITTER_TEST_POSTGRES_URL)"
)


@pytest.fixture(scope="module")
def pair() -> Iterator[StreamingPair]:
    assert postgres_bin() is not None, "TWITTER_TEST_POSTGRES_URL is set: initdb must be here"
    with streaming_pair() as started:
        migrations.upgrade(started.primary.url)
        started.caught_up()
        yield started


def _api(pair: StreamingPair) -> Iterator[Api]:
    return api_with(  # type: ignore[return-value]
        pair.primary.url, database_replica_urls=[pair.replica.url], replica_check_seconds=0.2
    )


def _eventually(check: Callable[[], bool], timeout: float = 15.0) -> bool:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True


def test_a_writer_sees_their_tweet_at_once_others_once_the_replica_replays_it(
    pair: StreamingPair,
) -> None:
    with _api(pair) as api:
        ada, bob = api.signup(), api.signup()
        assert bob.follow(ada.id).status_code == 201
        pair.caught_up()
        time.sleep(0.3)
        api.get_ok("/tweets/")  # a check is due: it finds the replica caught up
        pair.replica.sql("SELECT pg_wal_replay_pause()")
        try:
            tweet = ada.tweet("written while the replica stands still")

            def ids(response_json: list[dict[str, object]]) -> list[object]:
                return [each["id"] for each in response_json]

            own_list = ids(ada.get(f"/users/{ada.id}/tweets/").json())
            own_timeline = ids(ada.get(f"/users/{ada.id}/timeline").json())
            followers_timeline = ids(bob.get(f"/users/{bob.id}/timeline").json())
            anonymous_list = ids(api.get_ok(f"/users/{ada.id}/tweets/"))
            linked = api.client.get(f"/tweets/{tweet['id']}")  # not there yet: asks the primary
        finally:
            pair.replica.sql("SELECT pg_wal_replay_resume()")

        assert own_list == [tweet["id"]] and own_timeline == [tweet["id"]]
        assert followers_timeline == [] and anonymous_list == []
        assert linked.status_code == 200
        assert _eventually(lambda: ids(api.get_ok(f"/users/{ada.id}/tweets/")) == [tweet["id"]])
        assert ids(bob.get(f"/users/{bob.id}/timeline").json()) == [tweet["id"]]


def test_anonymous_reads_are_served_by_the_replica_not_the_primary(pair: StreamingPair) -> None:
    with _api(pair) as api:
        ada = api.signup()
        ada.tweet("read me")
        pair.caught_up()
        api.get_ok("/tweets/")
        primary_before, replica_before = pair.commits(pair.primary), pair.commits(pair.replica)
        for _ in range(200):
            api.get_ok("/tweets/")
            api.get_ok(f"/users/{ada.id}/tweets/")
    # The app is closed: its connections are gone and their statistics flushed.

    assert _eventually(lambda: pair.commits(pair.replica) - replica_before >= 400)
    # What the primary saw: the replica checks (one every 0.2 s) and the statistics queries.
    assert pair.commits(pair.primary) - primary_before < 60


def test_a_replica_that_stops_mid_load_costs_no_answer_and_is_used_again(
    pair: StreamingPair,
) -> None:
    with _api(pair) as api:
        ada = api.signup()
        tweet = ada.tweet("still readable")
        pair.caught_up()
        statuses: list[int] = []
        stopper = threading.Timer(0.5, pair.replica.stop)
        stopper.start()
        deadline = time.monotonic() + 3.0
        while time.monotonic() < deadline:
            statuses.append(api.client.get("/tweets/").status_code)
            statuses.append(ada.get(f"/users/{ada.id}/timeline").status_code)
        stopper.join()
        during_the_outage = [api.get_ok(f"/users/{ada.id}/tweets/") for _ in range(20)]
        left_out = _replica_metrics(api, pair)

        pair.replica.start()
        pair.caught_up()
        replica_before = pair.commits(pair.replica)
        time.sleep(0.5)  # a check is due: the replica is taken back
        for _ in range(100):
            api.get_ok("/tweets/")
        taken_back = _replica_metrics(api, pair)

    assert len(statuses) > 50 and set(statuses) == {200}
    assert all([t["id"] for t in page] == [tweet["id"]] for page in during_the_outage)
    assert _eventually(lambda: pair.commits(pair.replica) - replica_before >= 100)
    # /metrics says so as well: left out (lag unknown), then taken back.
    assert left_out == {"takes_reads": 0.0, "lag_seconds": float("inf")}
    assert taken_back["takes_reads"] == 1.0
    assert 0.0 <= taken_back["lag_seconds"] < 30.0


def _replica_metrics(api: Api, pair: StreamingPair) -> dict[str, float]:
    """The replica's gauges on this app's ``/metrics``."""
    page = api.client.get("/metrics").text
    label = f'{{replica="127.0.0.1:{pair.replica.port}/twitter"}}'
    found = {}
    for line in page.splitlines():
        name, _, value = line.partition(label + " ")
        if value and name.startswith("twitter_replica_"):
            found[name.removeprefix("twitter_replica_")] = float(value)
    return found
