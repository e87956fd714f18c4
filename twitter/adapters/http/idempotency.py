"""``Idempotency-Key`` on the JSON API's creates: a repeat by the same caller gets the
first answer, byte for byte, and nothing is created twice (the rule itself is
``twitter.application.idempotency``; this is where HTTP meets it)."""

from __future__ import annotations

import asyncio
import hashlib
import json
import time
from collections.abc import Awaitable, Callable

from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from twitter.adapters.driving import (
    RETRY_AFTER_UNAVAILABLE,
    UNAVAILABLE,
    Services,
    run,
    status_of,
)
from twitter.application.errors import IdempotencyKeyPending, StorageUnavailable
from twitter.application.idempotency import Pending, Proceed, Replay
from twitter.application.throttling import client_key
from twitter.domain.errors import DomainError, InvalidInput, InvalidToken

WAIT_SECONDS = 10.0
"""How long a repeat waits for the first request to be answered before 409."""
POLL_SECONDS = 0.025

MASTODON_PREFIX = "/api/"
_EXEMPT_PREFIXES = ("/token", "/web", "/docs", "/openapi.json", "/oauth")


class IdempotentCreates:
    """For a ``POST`` with an ``Idempotency-Key``: claim the key, answer the request
    and keep its answer (not a 5xx or a 429: those may go better the next time), or
    answer with the kept one. The caller is the token's user, or for a request
    without a token (a sign-up) the client's address group, as the throttles count
    it; a request whose token is bad is answered as if it had no key (it gets 401)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "POST":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        key = headers.get("idempotency-key")
        if key is None or scope["path"].startswith(_EXEMPT_PREFIXES):
            await self.app(scope, receive, send)
            return
        svc: Services = scope["app"].state.services
        caller = _caller(svc, headers, scope)
        try:
            body = await _whole_body(receive)
        except HTTPException as error:  # the body size limit
            await _answer(send, error.status_code, {"detail": error.detail})
            return
        if caller is None:
            await self.app(scope, _replaying(body, receive), send)
            return
        fingerprint = _fingerprint(scope, body)
        await self._once(scope, _replaying(body, receive), send, svc, (caller, key), fingerprint)

    async def _once(
        self,
        scope: Scope,
        receive: Receive,
        send: Send,
        svc: Services,
        name: tuple[str, str],
        fingerprint: str,
    ) -> None:
        keys = svc.idempotency_keys()
        deadline = time.monotonic() + WAIT_SECONDS
        try:
            while True:
                outcome = await run(keys.begin, *name, fingerprint)
                if isinstance(outcome, Replay):
                    stored = outcome.answer
                    assert stored.status is not None
                    await _send(
                        send, stored.status, stored.content_type, stored.body, replayed=True
                    )
                    return
                if isinstance(outcome, Proceed):
                    break
                assert isinstance(outcome, Pending)
                if time.monotonic() > deadline:
                    raise IdempotencyKeyPending()
                await asyncio.sleep(POLL_SECONDS)
        except DomainError as error:
            await _answer(send, status_of(error), _detail_of(error, scope["path"]))
            return
        except StorageUnavailable:
            await _answer(send, 503, {"detail": UNAVAILABLE}, RETRY_AFTER_UNAVAILABLE)
            return
        answer = _Recorder(send)
        try:
            await self.app(scope, receive, answer.send)
        except BaseException:
            await run(keys.abandon, *name)
            raise
        if answer.status is None or answer.status >= 500 or answer.status == 429:
            await run(keys.abandon, *name)
        else:
            await run(keys.finish, *name, answer.status, answer.content_type, answer.body)


class _Recorder:
    """Passes an answer on while keeping its status, type and body."""

    def __init__(self, send: Send) -> None:
        self._send = send
        self.status: int | None = None
        self.content_type: str | None = None
        self._chunks: list[bytes] = []

    @property
    def body(self) -> bytes:
        return b"".join(self._chunks)

    async def send(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            self.status = message["status"]
            self.content_type = Headers(raw=message.get("headers", [])).get("content-type")
        elif message["type"] == "http.response.body":
            self._chunks.append(message.get("body", b""))
        await self._send(message)


def _caller(svc: Services, headers: Headers, scope: Scope) -> str | None:
    scheme, _, token = headers.get("authorization", "").partition(" ")
    if scheme.lower() == "bearer" and token:
        try:
            return f"user:{svc.token_service().read(token.strip()).user_id}"
        except InvalidToken:
            return None
    if headers.get("authorization"):
        return None
    client = scope.get("client")
    return client_key(client[0] if client else "unknown")  # "client:" and a digest


def _fingerprint(scope: Scope, body: bytes) -> str:
    digest = hashlib.sha256()
    for part in (scope["method"], scope["path"], scope.get("query_string", b"").decode("latin-1")):
        digest.update(part.encode("utf-8", "surrogatepass") + b"\0")
    digest.update(body)
    return digest.hexdigest()


async def _whole_body(receive: Receive) -> bytes:
    chunks = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


def _replaying(body: bytes, receive: Receive) -> Callable[[], Awaitable[Message]]:
    """The request's body again, for the application, then what the client sends
    (its disconnection)."""
    sent = False

    async def replayed() -> Message:
        nonlocal sent
        if sent:
            return await receive()
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return replayed


def _detail_of(error: DomainError, path: str) -> dict[str, object]:
    """The refusal in the shape of the API asked: Mastodon's under /api, else ours."""
    if path.startswith(MASTODON_PREFIX):
        return {"error": error.message}
    if isinstance(error, InvalidInput):
        issue = {"loc": ["header", error.field], "msg": error.message, "type": "value_error"}
        return {"detail": [issue]}
    return {"detail": error.message}


async def _answer(send: Send, status: int, content: object, retry_after: str | None = None) -> None:
    await _send(
        send, status, "application/json", json.dumps(content).encode(), retry_after=retry_after
    )


async def _send(
    send: Send,
    status: int,
    content_type: str | None,
    body: bytes,
    *,
    replayed: bool = False,
    retry_after: str | None = None,
) -> None:
    headers = [(b"content-length", str(len(body)).encode())]
    if content_type is not None:
        headers.append((b"content-type", content_type.encode("latin-1")))
    if replayed:
        headers.append((b"idempotent-replayed", b"true"))
    if retry_after is not None:
        headers.append((b"retry-after", retry_after.encode()))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
