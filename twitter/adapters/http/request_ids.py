"""A request id for every request: the client's or balancer's ``X-Request-ID`` when it
is a plain token, else a new one. It comes back on the answer and is in every log line
written while the request runs (see ``twitter.adapters.http.logs``), so one request
can be followed from the balancer through the process that served it."""

from __future__ import annotations

import re
import uuid
from contextvars import ContextVar

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

HEADER = "X-Request-ID"
NONE = "-"
"""What log lines written outside any request show."""

# Letters, digits and a few separators, as balancers and tracing tools generate them:
# anything else (spaces, quotes, newlines) could forge or break a log line.
_ACCEPTED = re.compile(r"[A-Za-z0-9._:+=/@-]{1,128}")
_HEADER_KEY = HEADER.lower().encode()

_current: ContextVar[str] = ContextVar("request_id", default=NONE)


def current_request_id() -> str:
    """The id of the request being served, or ``-`` outside one."""
    return _current.get()


def accepted_or_new(given: str | None) -> str:
    if given is not None and _ACCEPTED.fullmatch(given):
        return given
    return uuid.uuid4().hex


class RequestIds:
    """Sets the request id for everything that runs for the request, and adds it to
    the answer. Each request runs in a task (a context) of its own, so the id is not
    reset afterwards: the server's own log line of a failed request still shows it."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = next((v for k, v in scope["headers"] if k == _HEADER_KEY), None)
        request_id = accepted_or_new(None if given is None else given.decode("latin-1"))
        _current.set(request_id)

        async def with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                MutableHeaders(scope=message)[HEADER] = request_id
            await send(message)

        await self.app(scope, receive, with_id)
