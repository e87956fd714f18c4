"""RFC 8288 ``Link: <...>; rel="next"`` headers for list pages."""

from __future__ import annotations

from typing import TypeVar

from fastapi import Request, Response

from twitter.application.pagination import Page

T = TypeVar("T")


def with_next_link(page: Page[T], request: Request, response: Response, *, cursor: str) -> list[T]:
    """The page's items; sets the Link header to the next page when there is one.

    The next page is always a cursor page (``max_id`` on newest-first lists,
    ``since_id`` on the users list), never an offset.
    """
    if page.next_cursor is not None:
        params = dict(request.query_params)
        params.pop("skip", None)
        params[cursor] = str(page.next_cursor)
        url = request.url.replace_query_params(**params)
        response.headers["Link"] = f'<{url}>; rel="next"'
    return page.items
