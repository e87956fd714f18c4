"""Jinja2 templates to HTML responses; every page also gets the viewer and a CSRF token."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, PackageLoader, StrictUndefined

from twitter.adapters.driving import services
from twitter.adapters.web import csrf
from twitter.adapters.web.context import csrf_key, here
from twitter.adapters.web.linking import linked_text
from twitter.adapters.web.session import csrf_cookie, end_session, session_token, set_csrf_cookie
from twitter.adapters.web.timefmt import exact_time, iso_time, relative_time
from twitter.domain.model import TWEET_MAX_LENGTH


@cache
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("twitter.adapters.web", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(ago=relative_time, exact=exact_time, iso=iso_time)
    env.globals.update(linked_text=linked_text)
    env.globals.update(tweet_max_length=TWEET_MAX_LENGTH)
    return env


def render(
    request: Request,
    template: str,
    *,
    status_code: int = 200,
    headers: Mapping[str, str] | None = None,
    **context: Any,
) -> HTMLResponse:
    """``template`` with ``context``, the viewer, ``csrf_token``, ``now`` and ``here``.

    Sets the CSRF cookie when the browser has none (or one we did not make), and
    drops a session cookie that no longer identifies anyone.
    """
    cookie = csrf_cookie(request)
    fresh_cookie = None if csrf.is_cookie_value(cookie) else csrf.new_cookie_value()
    session_expired = getattr(request.state, "session_expired", False)
    # The forms are for the session the browser will hold once this answer arrives.
    session = None if session_expired else session_token(request)
    context.setdefault("viewer", getattr(request.state, "viewer", None))
    context.setdefault("unread", getattr(request.state, "unread", 0))
    context.setdefault("here", here(request))
    html = (
        environment()
        .get_template(template)
        .render(
            csrf_token=csrf.token_for(csrf_key(request), fresh_cookie or cookie or "", session),
            now=services(request).clock().now(),
            **context,
        )
    )
    response = HTMLResponse(html, status_code=status_code, headers=headers)
    if fresh_cookie is not None:
        set_csrf_cookie(request, response, fresh_cookie)
    if session_expired:
        end_session(request, response)
    return response
