"""The application factory: a container (given or built from settings) behind the JSON API
and the web pages."""

from __future__ import annotations

from fastapi import FastAPI
from sqlalchemy import Engine
from sqlalchemy.pool import QueuePool

from twitter import __version__
from twitter.adapters.driving import Services
from twitter.adapters.http.app import build_app
from twitter.adapters.http.metrics import Sample, Sampler
from twitter.adapters.mastodon.app import install_mastodon
from twitter.adapters.reads.postgres import AsyncpgReads
from twitter.adapters.web.app import PREFIX as WEB_PREFIX
from twitter.adapters.web.app import install_web
from twitter.container import Container, close_reads


def create_app(container: Container | None = None) -> FastAPI:
    """The one factory; ``twitter serve`` hands it to uvicorn. Fails fast on bad settings."""
    container = container or Container()
    container.token_service()  # resolve the secret now: a missing one stops the start
    container.init_resources()

    async def shutdown() -> None:
        await close_reads(container.reads())
        container.shutdown_resources()  # disposes the engines, if any were made

    settings = container.settings()
    app = build_app(
        version=__version__,
        on_shutdown=shutdown,
        threads=settings.db_pool_size,
        max_body_bytes=settings.max_body_bytes,
        cors_origins=settings.cors_origins,
        hsts_seconds=settings.hsts_seconds,
        browser_home=f"{WEB_PREFIX}/",
        read_replicas=settings.has_replicas,
        metrics_sampler=_metrics_sampler(container),
    )
    app.state.container = container
    services: Services = container  # mypy checks the container offers every service
    app.state.services = services
    install_web(app)
    install_mastodon(app)
    return app


def _metrics_sampler(container: Container) -> Sampler:
    """What ``/metrics`` reports of the pools and replicas this process has."""

    def sample() -> Sample:
        pools: dict[str, tuple[int, int]] = {}
        engines: dict[str, Engine] = {
            "writes": container.engine(),
            "write-side reads": container.reading_engine(),
        }
        seen: set[int] = set()
        for name, engine in engines.items():
            pool = engine.pool
            if id(pool) in seen or not isinstance(pool, QueuePool):
                continue  # shared with the writes (SQLite), or a single static connection
            seen.add(id(pool))
            pools[name] = (pool.checkedout(), pool.checkedout() + pool.checkedin())
        reads = container.reads()
        if not isinstance(reads, AsyncpgReads):
            return Sample(pools=pools)
        pools.update({f"reads {name}": usage for name, usage in reads.pools().items()})
        return Sample(pools=pools, replicas=reads.replica_lags())

    return sample
