"""The application factory: a container (given or built from settings) behind the JSON API
and the web pages."""

from __future__ import annotations

from fastapi import FastAPI

from twitter import __version__
from twitter.adapters.http.app import build_app
from twitter.adapters.web.app import PREFIX as WEB_PREFIX
from twitter.adapters.web.app import install_web
from twitter.container import Container


def create_app(container: Container | None = None) -> FastAPI:
    """The one factory; ``twitter serve`` hands it to uvicorn. Fails fast on bad settings."""
    container = container or Container()
    container.token_service()  # resolve the secret now: a missing one stops the start
    container.init_resources()

    def shutdown() -> None:
        container.shutdown_resources()  # disposes the engine, if one was made

    settings = container.settings()
    app = build_app(
        version=__version__,
        on_shutdown=shutdown,
        threads=settings.db_pool_size + settings.db_max_overflow,
        max_body_bytes=settings.max_body_bytes,
        cors_origins=settings.cors_origins,
        hsts_seconds=settings.hsts_seconds,
        browser_home=f"{WEB_PREFIX}/",
    )
    app.state.container = container
    install_web(app)
    return app
