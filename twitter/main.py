"""The application factory: a container (given or built from settings) behind the JSON API
and the web pages."""

from __future__ import annotations

from fastapi import FastAPI

from twitter import __version__
from twitter.adapters.driving import Services
from twitter.adapters.http.app import build_app
from twitter.adapters.mastodon.app import install_mastodon
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
    )
    app.state.container = container
    services: Services = container  # mypy checks the container offers every service
    app.state.services = services
    install_web(app)
    install_mastodon(app)
    return app
