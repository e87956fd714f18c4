"""ASGI middleware: a cap on request bodies and the security headers of every answer."""

from __future__ import annotations

import contextlib
import json

from starlette.datastructures import Headers, MutableHeaders
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from twitter.adapters.driving import rate_limit_headers
from twitter.adapters.http.negotiation import prefers_html
from twitter.application.consistency import read_as
from twitter.domain.errors import DomainError

# The JSON API itself needs nothing loaded at all. Swagger UI loads its script and
# styles from this origin only (under DOCS_ASSETS_PATH), starts with inline code and
# styles elements inline.
DOCS_PATH = "/docs"
DOCS_ASSETS_PATH = "/docs/assets"
API_CONTENT_SECURITY_POLICY = b"default-src 'none'; frame-ancestors 'none'"
DOCS_CONTENT_SECURITY_POLICY = (
    b"default-src 'none'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    b"img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; "
    b"form-action 'self'"
)


class RateLimitHeaders:
    """Adds ``X-RateLimit-*`` to the answer of a request whose user was counted (see
    ``driving.rate_limit``): every authenticated answer, a refusal's included."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            status = scope.get("state", {}).get("rate_limit")
            if message["type"] == "http.response.start" and status is not None:
                headers = MutableHeaders(scope=message)
                for name, value in rate_limit_headers(status).items():
                    headers[name] = value
            await send(message)

        await self.app(scope, receive, with_headers)


class ReadsAsTheBearer:
    """With read replicas: a request with a valid bearer token reads as the token's
    user, also on public routes that do not ask who calls, so that they see their
    own writes at once (see ``twitter.application.consistency``). It decides where
    reads are made, nothing else: authorization stays with the routes."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            kind, _, token = Headers(scope=scope).get("authorization", "").partition(" ")
            if kind.lower() == "bearer" and token:
                services = scope["app"].state.services
                with contextlib.suppress(DomainError):
                    read_as(services.token_service().read(token.strip()).user_id)
        await self.app(scope, receive, send)


class BodySizeLimit:
    """Answers 413 to a body longer than ``max_bytes``, declared or streamed, before the
    application has read more than that. A streamed body that grows too long fails the
    application's read with an ``HTTPException(413)``: the error handlers answer it."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        declared = headers.get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            browser = prefers_html(headers.get(b"accept", b"").decode("latin-1"))
            await self._too_large(send, browser=browser)
            return
        received = 0

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise HTTPException(413, self._detail())
            return message

        await self.app(scope, counting_receive, send)

    def _detail(self) -> str:
        return f"The request body is larger than {self.max_bytes} bytes"

    async def _too_large(self, send: Send, *, browser: bool) -> None:
        """JSON for API clients; a plain page for a browser's form (a person reads it)."""
        if browser:
            page = f"<!doctype html><title>Too large</title><p>{self._detail()}.</p>"
            body, content_type = page.encode(), b"text/html; charset=utf-8"
        else:
            body = json.dumps({"detail": self._detail()}).encode()
            content_type = b"application/json"
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", content_type),
                    (b"content-length", str(len(body)).encode()),
                    (b"connection", b"close"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})


class SecurityHeaders:
    """``nosniff``, no framing, no referrer, no caching; a CSP that allows nothing on
    the JSON API and only this origin's scripts on its docs; HSTS for ``hsts_seconds``
    on answers served over HTTPS (0: none)."""

    def __init__(self, app: ASGIApp, hsts_seconds: int) -> None:
        self.app = app
        self.hsts = f"max-age={hsts_seconds}; includeSubDomains".encode() if hsts_seconds else b""
        self.always = [
            (b"x-content-type-options", b"nosniff"),
            (b"x-frame-options", b"DENY"),
            (b"referrer-policy", b"no-referrer"),
            (b"cache-control", b"no-store"),
            (b"cross-origin-opener-policy", b"same-origin"),
        ]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        extra = list(self.always)
        docs = scope["path"].startswith(DOCS_PATH)
        policy = DOCS_CONTENT_SECURITY_POLICY if docs else API_CONTENT_SECURITY_POLICY
        extra.append((b"content-security-policy", policy))
        if self.hsts and scope.get("scheme") == "https":
            extra.append((b"strict-transport-security", self.hsts))

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {name.lower() for name, _ in message.get("headers", [])}
                headers = list(message.get("headers", []))
                headers.extend(header for header in extra if header[0] not in names)
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, with_headers)
