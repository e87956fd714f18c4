"""The address a request comes from, as the throttles count it: one definition for both
driving adapters (the JSON API and the web pages), which may not import each other."""

from __future__ import annotations

from starlette.requests import Request


def client_address(request: Request) -> str | None:
    """The peer's address (the proxy's client when uvicorn trusts the proxy); None when
    the server does not know it."""
    return request.client.host if request.client else None
