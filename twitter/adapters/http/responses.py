"""Answers built straight from the read port's views: orjson writes the dataclasses
as they are, with no per-item validation. Each view has the fields of its declared
response model, in the same order, so ``/openapi.json`` still tells the truth (a
test holds every reading route's JSON to what the models produced)."""

from __future__ import annotations

from typing import Any, TypeVar

import orjson
from fastapi import Request, Response

from twitter.application.pagination import Page
from twitter.application.queries import TweetCard

T = TypeVar("T")

_OPTIONS = orjson.OPT_UTC_Z  # 2026-03-01T12:00:00Z, as pydantic writes UTC times


def json_answer(content: Any) -> Response:
    return Response(orjson.dumps(content, option=_OPTIONS), media_type="application/json")


def tweets_answer(page: Page[TweetCard], request: Request) -> Response:
    """A page of cards as the JSON API shows tweets: the tweets alone, newest first."""
    return page_answer(page, request, cursor="max_id", items=[card.tweet for card in page.items])


def page_answer(page: Page[Any], request: Request, *, cursor: str, items: Any = None) -> Response:
    """The page's items (or ``items``, made from them) as a JSON array, with an
    RFC 8288 ``Link: <...>; rel="next"`` header when there is a next page.

    The next page is always a cursor page (``max_id`` on newest-first lists,
    ``since_id`` on the users list), never an offset.
    """
    response = json_answer(page.items if items is None else items)
    if page.next_cursor is not None:
        params = dict(request.query_params)
        params.pop("skip", None)
        params[cursor] = str(page.next_cursor)
        url = request.url.replace_query_params(**params)
        response.headers["Link"] = f'<{url}>; rel="next"'
    return response
