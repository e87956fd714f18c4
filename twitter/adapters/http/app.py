"""Build the FastAPI application; the container is wired into this package beforehand."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager

from anyio import to_thread
from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi_offline import FastAPIOffline

from twitter.adapters.driving import RATE_LIMIT_HEADERS
from twitter.adapters.http.errors import install_error_handlers
from twitter.adapters.http.idempotency import IdempotentCreates
from twitter.adapters.http.metrics import Metrics, Sampler, process_ended
from twitter.adapters.http.middleware import (
    DOCS_ASSETS_PATH,
    BodySizeLimit,
    RateLimitHeaders,
    ReadsAsTheBearer,
    SecurityHeaders,
)
from twitter.adapters.http.request_ids import RequestIds
from twitter.adapters.http.routers import (
    auth,
    bookmarks,
    conversations,
    follows,
    likes,
    meta,
    notifications,
    safety,
    search,
    tweets,
    users,
)
from twitter.adapters.http.routers.meta import FAVICON_PATH

DESCRIPTION = """
A Twitter-like API: users, tweets, likes and follows; replies, retweets, quotes,
hashtags, mentions and notifications.

Writes need `Authorization: Bearer <token>` of the acting user: get one from
`POST /token` (the **Authorize** button does it for you). Lists are bare arrays;
follow the `Link: <...>; rel="next"` header to the next page.
"""


def build_app(
    *,
    version: str,
    on_shutdown: Callable[[], Awaitable[None]],
    threads: int,
    max_body_bytes: int,
    cors_origins: Sequence[str] = (),
    hsts_seconds: int = 365 * 24 * 3600,
    browser_home: str | None = None,
    read_replicas: bool = False,
    metrics_sampler: Sampler | None = None,
) -> FastAPI:
    """``threads``: how many use cases run at once, each in a thread of its own.

    Sized to the connection pool, so that no thread ever waits for a connection
    while holding its place: under overload requests queue on the event loop.
    ``cors_origins``: the web origins whose pages may call the API (none by default).
    ``hsts_seconds``: how long browsers must use HTTPS only, once served over it (0: no HSTS).
    ``browser_home``: where ``GET /`` sends a browser (one that prefers HTML); without
    it, ``GET /`` always answers JSON.
    ``read_replicas``: reads may be served by replicas, so a bearer's reads are marked
    theirs on every route (``ReadsAsTheBearer``).
    ``metrics_sampler``: reads the pools and replicas for ``/metrics``' gauges.
    """

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        to_thread.current_default_thread_limiter().total_tokens = threads
        yield
        await on_shutdown()
        process_ended()

    # /docs (Swagger UI) with its script and styles served from the installed package,
    # never from a CDN: it works offline and runs no one else's code. No ReDoc: it shows
    # an image from its vendor's site, and Swagger UI already shows every operation.
    app = FastAPIOffline(
        redoc_url=None,
        title="twitter",
        version=version,
        description=DESCRIPTION,
        lifespan=lifespan,
        redirect_slashes=False,
        static_url=DOCS_ASSETS_PATH,
        favicon_url=FAVICON_PATH,
    )
    app.state.browser_home = browser_home
    app.state.metrics_sampler = metrics_sampler
    install_error_handlers(app)
    app.add_middleware(IdempotentCreates)
    app.add_middleware(BodySizeLimit, max_bytes=max_body_bytes)
    if cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=list(cors_origins),
            allow_methods=["GET", "POST", "PATCH", "DELETE"],
            allow_headers=["Authorization", "Content-Type", "Idempotency-Key"],
            expose_headers=["Link", "Retry-After", *RATE_LIMIT_HEADERS],
            max_age=600,
        )
    app.add_middleware(RateLimitHeaders)
    if read_replicas:
        app.add_middleware(ReadsAsTheBearer)
    # Added last: the outermost of these, on every answer.
    app.add_middleware(SecurityHeaders, hsts_seconds=hsts_seconds)
    # Outside even the framework's last-resort error handler, so that an answer it
    # makes (a 500) is counted and carries its request id like every other.
    framework_stack = app.build_middleware_stack
    app.build_middleware_stack = lambda: RequestIds(  # type: ignore[method-assign]
        Metrics(framework_stack(), metrics_sampler)
    )
    routers = (meta, auth, users, tweets, likes, follows, conversations, notifications)
    for module in (*routers, search, bookmarks, safety):
        app.include_router(module.router)
    return app
