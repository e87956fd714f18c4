"""Prometheus metrics, served at ``/metrics``: requests and their latency by route
template and status, 429 refusals, database pool use and replica lag as this
process sees them.

With several worker processes (``twitter serve --workers N``) each keeps its values
in files under ``PROMETHEUS_MULTIPROC_DIR`` and a scrape of any of them adds up all
(prometheus-client's multiprocess mode; ``twitter serve`` sets the folder up).
"""

from __future__ import annotations

import logging
import math
import os
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)
from starlette.types import ASGIApp, Message, Receive, Scope, Send

logger = logging.getLogger("twitter.metrics")

MULTIPROCESS_FOLDER = "PROMETHEUS_MULTIPROC_DIR"
METRICS_PATH = "/metrics"
UNMATCHED = "unmatched"
"""The route of a request no route matched: one label for every such path."""
_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})

REQUESTS = Counter(
    "twitter_http_requests",
    "HTTP requests answered, by method, route template and status",
    ["method", "route", "status"],
)
LATENCY = Histogram(
    "twitter_http_request_duration_seconds",
    "Time from a request's arrival to the end of its answer, by method, route template and status",
    ["method", "route", "status"],
    buckets=(0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
THROTTLE_REFUSALS = Counter(
    "twitter_throttle_refusals",
    "Requests refused with 429 by a limit (logins, sign-ups, writes), by route template",
    ["route"],
)
POOL_IN_USE = Gauge(
    "twitter_db_pool_connections_in_use",
    "Database connections lent out, by pool",
    ["pool"],
    multiprocess_mode="livesum",
)
POOL_OPEN = Gauge(
    "twitter_db_pool_connections_open",
    "Database connections a pool holds open, by pool",
    ["pool"],
    multiprocess_mode="livesum",
)
REPLICA_LAG = Gauge(
    "twitter_replica_lag_seconds",
    "How far behind the primary a replica was at this process's last check (+Inf: unknown)",
    ["replica"],
    multiprocess_mode="liveall",
)
REPLICA_TAKES_READS = Gauge(
    "twitter_replica_takes_reads",
    "1 while this process sends reads to the replica, 0 while it is left out",
    ["replica"],
    multiprocess_mode="liveall",
)


@dataclass(frozen=True)
class Sample:
    """What the composition root reads off the pools and replicas for the gauges."""

    pools: Mapping[str, tuple[int, int]] = field(default_factory=dict)
    """By pool: connections in use, connections open."""
    replicas: Mapping[str, float | None] = field(default_factory=dict)
    """By replica: its lag in seconds, None while it takes no reads."""


Sampler = Callable[[], Sample]


def record(sample: Sample) -> None:
    for pool, (in_use, open_) in sample.pools.items():
        POOL_IN_USE.labels(pool).set(in_use)
        POOL_OPEN.labels(pool).set(open_)
    for replica, lag in sample.replicas.items():
        REPLICA_LAG.labels(replica).set(math.inf if lag is None else lag)
        REPLICA_TAKES_READS.labels(replica).set(0 if lag is None else 1)


def exposition() -> tuple[bytes, str]:
    """The metrics in Prometheus' text format: every worker's, in multiprocess mode."""
    registry = REGISTRY
    if os.environ.get(MULTIPROCESS_FOLDER):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
    return generate_latest(registry), CONTENT_TYPE_LATEST


def process_ended() -> None:
    """Drop this process's live gauges from the shared files, as it stops."""
    if os.environ.get(MULTIPROCESS_FOLDER):
        multiprocess.mark_process_dead(os.getpid())  # type: ignore[no-untyped-call]


def route_of(scope: Scope) -> str:
    """The template of the route that served the request (``/tweets/{tweet_id}``):
    the label stays one per route, whatever ids the paths hold."""
    template = getattr(scope.get("route"), "path", None)
    return template if isinstance(template, str) else UNMATCHED


class Metrics:
    """Counts and times every request, its answer's status included (a 500 too: this
    wraps the framework's error handling), and samples the gauges at most once a
    ``sample_every_seconds``."""

    def __init__(
        self, app: ASGIApp, sampler: Sampler | None = None, sample_every_seconds: float = 1.0
    ) -> None:
        self.app = app
        self.sampler = sampler
        self.every = sample_every_seconds
        self.sampled_at = -math.inf

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def observed(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, observed)
        finally:
            route = route_of(scope)
            method = scope["method"] if scope["method"] in _METHODS else "other"
            REQUESTS.labels(method, route, str(status)).inc()
            LATENCY.labels(method, route, str(status)).observe(time.perf_counter() - started)
            if status == 429:
                THROTTLE_REFUSALS.labels(route).inc()
            if self.sampler is not None and time.monotonic() - self.sampled_at >= self.every:
                self.sampled_at = time.monotonic()
                self._sample()

    def _sample(self) -> None:
        """The gauges, once the answer is sent: a pool that cannot be read (the
        process is stopping) costs a log line, never the request's outcome."""
        assert self.sampler is not None
        try:
            record(self.sampler())
        except Exception:
            logger.warning("could not sample the pools for /metrics", exc_info=True)
