"""Build the FastAPI application; the container is wired into this package beforehand."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

from anyio import to_thread
from fastapi import FastAPI

from twitter.adapters.http.errors import install_error_handlers
from twitter.adapters.http.routers import auth, follows, likes, meta, tweets, users

DESCRIPTION = """
A Twitter-like API: users, tweets, likes and follows.

Writes need `Authorization: Bearer <token>` of the acting user: get one from
`POST /token` (the **Authorize** button does it for you). Lists are bare arrays;
follow the `Link: <...>; rel="next"` header to the next page.
"""


def build_app(*, version: str, on_shutdown: Callable[[], None], threads: int) -> FastAPI:
    """``threads``: how many use cases run at once, each in a thread of its own.

    Sized to the connection pool, so that no thread ever waits for a connection
    while holding its place: under overload requests queue on the event loop.
    """

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        to_thread.current_default_thread_limiter().total_tokens = threads
        yield
        on_shutdown()

    app = FastAPI(
        title="twitter",
        version=version,
        description=DESCRIPTION,
        lifespan=lifespan,
        redirect_slashes=False,
    )
    install_error_handlers(app)
    for module in (meta, auth, users, tweets, likes, follows):
        app.include_router(module.router)
    return app
