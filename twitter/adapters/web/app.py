"""The web pages as an application of their own, mounted under ``/web``.

Its own error handlers answer HTML (the JSON API's never see a page's error), and
its own middleware gives every answer the pages' Content-Security-Policy.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse, Response
from starlette.exceptions import HTTPException
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from twitter.adapters.driving import RETRY_AFTER_UNAVAILABLE, UNAVAILABLE, status_of
from twitter.adapters.web import actions, authorize, pages
from twitter.adapters.web.context import PREFIX as PREFIX
from twitter.adapters.web.context import CsrfRefused, LoginRequired, page_policy, wants_fragment
from twitter.adapters.web.rendering import render
from twitter.application.errors import StorageUnavailable
from twitter.domain.errors import (
    DomainError,
)

logger = logging.getLogger("twitter.web")

CONTENT_SECURITY_POLICY = page_policy()
# With "no-referrer" (the JSON API's), Chromium sends ``Origin: null`` on a page's own
# form posts, which the CSRF check must refuse; "same-origin" still tells other sites nothing.
REFERRER_POLICY = "same-origin"
STATIC = Path(__file__).parent / "static"

_OWN_HEADERS = {
    b"content-security-policy": CONTENT_SECURITY_POLICY.encode(),
    b"referrer-policy": REFERRER_POLICY.encode(),
}
_TITLES = {
    400: "Bad request",
    401: "Not logged in",
    403: "Not allowed",
    404: "Not found",
    405: "Not allowed",
    413: "Too large",
    422: "Not valid",
    429: "Too many attempts",
    500: "Something went wrong",
    503: "Unavailable",
}


class PageSecurityPolicy:
    """Gives every answer the pages' CSP and referrer policy, unless the page set its
    own (the app-wide security headers keep those already set)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def with_policy(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                chosen = {name.lower() for name, _ in headers}
                headers.extend(item for item in _OWN_HEADERS.items() if item[0] not in chosen)
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, with_policy)


def _error_page(
    request: Request, status: int, message: str, headers: Mapping[str, str] | None = None
) -> Response:
    return render(
        request,
        "error.html",
        status_code=status,
        headers=headers,
        title=_TITLES.get(status, "Error"),
        message=message,
    )


def _domain_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, DomainError)
    return _error_page(request, status_of(error), error.message)


def _csrf_refused(request: Request, _: Exception) -> Response:
    return _error_page(
        request, 403, "This form has expired or did not come from this site. Reload the page "
        "and try again.",
    )  # fmt: skip


def _login_required(request: Request, _: Exception) -> Response:
    if wants_fragment(request):
        return _error_page(request, 401, "Log in first.")
    return RedirectResponse(f"{PREFIX}/login", status_code=303)


def _invalid_request(request: Request, error: Exception) -> Response:
    assert isinstance(error, RequestValidationError)
    if any(issue.get("loc", ("",))[0] == "path" for issue in error.errors()):
        return _error_page(request, 404, "There is no such page.")
    return _error_page(request, 400, "The address or the form is not valid.")


def _http_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, HTTPException)
    messages = {404: "There is no such page.", 405: "This page cannot do that."}
    message = messages.get(error.status_code, str(error.detail))
    return _error_page(request, error.status_code, message, headers=error.headers)


def _unavailable(request: Request, error: Exception) -> Response:
    logger.warning("storage unavailable: %r", error.__cause__ or error)
    message = UNAVAILABLE + "."
    return _error_page(request, 503, message, headers={"Retry-After": RETRY_AFTER_UNAVAILABLE})


def _unexpected(request: Request, error: Exception) -> Response:
    logger.exception("unhandled error", exc_info=error)
    return _error_page(request, 500, "Something went wrong on our side.")


def build_web_app() -> FastAPI:
    web = FastAPI(openapi_url=None, docs_url=None, redoc_url=None, redirect_slashes=False)
    web.add_exception_handler(DomainError, _domain_error)
    web.add_exception_handler(CsrfRefused, _csrf_refused)
    web.add_exception_handler(LoginRequired, _login_required)
    web.add_exception_handler(RequestValidationError, _invalid_request)
    web.add_exception_handler(HTTPException, _http_error)
    web.add_exception_handler(StorageUnavailable, _unavailable)
    web.add_exception_handler(Exception, _unexpected)
    web.add_middleware(PageSecurityPolicy)
    web.include_router(pages.router)
    web.include_router(actions.router)
    web.include_router(authorize.router)
    web.mount("/static", StaticFiles(directory=STATIC), name="static")
    return web


def install_web(app: FastAPI) -> None:
    """Mount the pages under ``/web`` of ``app``; they use ``app``'s container."""
    web = build_web_app()
    web.state.container = app.state.container
    web.state.services = app.state.services

    async def to_pages() -> RedirectResponse:
        return RedirectResponse(f"{PREFIX}/", status_code=308)

    app.add_api_route(PREFIX, to_pages, methods=["GET"], include_in_schema=False)
    app.mount(PREFIX, web)
