"""The cookies of the web pages: the session (an access token) and the CSRF value."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

SESSION_COOKIE = "twitter_session"
CSRF_COOKIE = "twitter_csrf"


def cookie_is_secure(request: Request) -> bool:
    """``TWITTER_COOKIE_SECURE``: "true", "false", or "auto" (Secure over HTTPS)."""
    setting: str = request.app.state.container.settings().cookie_secure
    if setting == "auto":
        return request.url.scheme == "https"
    return setting == "true"


def _set(request: Request, response: Response, name: str, value: str, max_age: int | None) -> None:
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        path="/",
        secure=cookie_is_secure(request),
        httponly=True,
        samesite="lax",
    )


def start_session(request: Request, response: Response, access_token: str) -> None:
    minutes: int = request.app.state.container.settings().access_token_minutes
    _set(request, response, SESSION_COOKIE, access_token, max_age=minutes * 60)


def end_session(request: Request, response: Response) -> None:
    response.delete_cookie(
        SESSION_COOKIE,
        path="/",
        secure=cookie_is_secure(request),
        httponly=True,
        samesite="lax",
    )


def set_csrf_cookie(request: Request, response: Response, value: str) -> None:
    """A session cookie (no Max-Age): it lives as long as the browser does."""
    _set(request, response, CSRF_COOKIE, value, max_age=None)
