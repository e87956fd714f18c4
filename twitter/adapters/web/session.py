"""The cookies of the web pages: the session (an access token) and the CSRF value.

When the cookies are Secure their names carry the ``__Host-`` prefix: a browser then
accepts them only from this very host over HTTPS, with ``Path=/`` and no ``Domain``,
so a sibling subdomain cannot plant its own in their place. Only the name that
fits the request is read.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from twitter.adapters.driving import services

SESSION_COOKIE = "twitter_session"
CSRF_COOKIE = "twitter_csrf"
SECURE_PREFIX = "__Host-"


def cookie_is_secure(request: Request) -> bool:
    """``TWITTER_COOKIE_SECURE``: "true", "false", or "auto" (Secure over HTTPS)."""
    setting: str = services(request).settings().cookie_secure
    if setting == "auto":
        return request.url.scheme == "https"
    return setting == "true"


def cookie_name(request: Request, name: str) -> str:
    return SECURE_PREFIX + name if cookie_is_secure(request) else name


def session_token(request: Request) -> str | None:
    return request.cookies.get(cookie_name(request, SESSION_COOKIE))


def csrf_cookie(request: Request) -> str | None:
    return request.cookies.get(cookie_name(request, CSRF_COOKIE))


def _set(request: Request, response: Response, name: str, value: str, max_age: int | None) -> None:
    response.set_cookie(
        cookie_name(request, name),
        value,
        max_age=max_age,
        path="/",
        secure=cookie_is_secure(request),
        httponly=True,
        samesite="lax",
    )


def start_session(request: Request, response: Response, access_token: str) -> None:
    minutes: int = services(request).settings().access_token_minutes
    _set(request, response, SESSION_COOKIE, access_token, max_age=minutes * 60)


def end_session(request: Request, response: Response) -> None:
    response.delete_cookie(
        cookie_name(request, SESSION_COOKIE),
        path="/",
        secure=cookie_is_secure(request),
        httponly=True,
        samesite="lax",
    )


def set_csrf_cookie(request: Request, response: Response, value: str) -> None:
    """A session cookie (no Max-Age): it lives as long as the browser does."""
    _set(request, response, CSRF_COOKIE, value, max_age=None)
