"""What every web route needs: the viewer, the CSRF check, safe redirects."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlsplit

from fastapi import Depends, Request
from starlette.datastructures import FormData

from twitter.adapters.driving import rate_limit, services
from twitter.adapters.web import csrf
from twitter.adapters.web.session import csrf_cookie, session_token
from twitter.application.queries import AccountView
from twitter.domain.errors import AuthenticationFailed

PREFIX = "/web"


def page_policy(form_action: str = "'self'") -> str:
    """The pages' Content-Security-Policy; forms post only where ``form_action`` says."""
    return (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        f"form-action {form_action}; frame-ancestors 'none'; base-uri 'none'; "
        "connect-src 'self'"
    )


class CsrfRefused(Exception):
    """A state-changing request without a valid CSRF token, or from a foreign origin."""


class LoginRequired(Exception):
    """The action needs a logged-in user and there is none."""


def csrf_key(request: Request) -> bytes:
    return csrf.derive_key(services(request).secret())


async def current_viewer(request: Request) -> AccountView | None:
    """The logged-in user, from the session cookie; a bad or stale cookie is dropped."""
    request.state.viewer = None
    request.state.unread = 0
    token = session_token(request)
    if not token:
        return None
    try:
        viewer = await services(request).identify_user()(token)
    except AuthenticationFailed:
        request.state.session_expired = True
        return None
    request.state.viewer = viewer
    # The navigation's badge: the unread notifications.
    request.state.unread = await services(request).reads().unread_notifications(viewer.id)
    return viewer


async def logged_in_viewer(
    request: Request, viewer: Annotated[AccountView | None, Depends(current_viewer)]
) -> AccountView:
    if viewer is None:
        raise LoginRequired()
    # An action is a write: counted as the JSON API counts them (TooManyWrites past it).
    await rate_limit(request, services(request), viewer.id)
    return viewer


def _same_origin(request: Request, origin: str) -> bool:
    parts = urlsplit(origin)
    return (parts.scheme, parts.netloc) == (request.url.scheme, request.url.netloc)


async def checked_form(request: Request) -> FormData:
    """The submitted form, once its CSRF token matches the cookies and its origin is ours."""
    origin = request.headers.get("origin")
    if origin is not None and not _same_origin(request, origin):
        raise CsrfRefused()
    form = await request.form()
    token = form.get("csrf_token")
    matches = isinstance(token, str) and csrf.token_matches(
        csrf_key(request), csrf_cookie(request), session_token(request), token
    )
    if not matches:
        raise CsrfRefused()
    return form


def field(form: FormData, name: str) -> str:
    value = form.get(name)
    return value if isinstance(value, str) else ""


def safe_next(target: str, default: str) -> str:
    """A local page of this site to go back to: only ``/web/...`` paths, else ``default``."""
    allowed = (
        target.startswith(PREFIX + "/")
        and "//" not in target
        and "\\" not in target
        and target.isprintable()
    )
    return target if allowed else default


def wants_fragment(request: Request) -> bool:
    """The page's script asks for just the updated control, to swap it in place."""
    return request.headers.get("x-requested-with") == "fetch"


def here(request: Request) -> str:
    """This page's path and query: where its forms come back to."""
    query = request.url.query
    return request.url.path + (f"?{query}" if query else "")


Viewer = Annotated[AccountView | None, Depends(current_viewer)]
Actor = Annotated[AccountView, Depends(logged_in_viewer)]
Form = Annotated[FormData, Depends(checked_form)]
