"""Search v2: accounts by the start of their username, statuses by their words."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse

from twitter.adapters.driving import services
from twitter.adapters.mastodon import entities
from twitter.adapters.mastodon.accounts import base_url
from twitter.adapters.mastodon.paging import ACCOUNTS_DEFAULT, page_of
from twitter.adapters.mastodon.routing import both
from twitter.adapters.mastodon.statuses import statuses_json, viewer_id
from twitter.application.pagination import Page
from twitter.application.queries import TweetCard
from twitter.domain.errors import InvalidInput

router = APIRouter()
_KINDS = ("accounts", "statuses", "hashtags")


@both(router, "/v2/search", ["GET"])
async def search(
    request: Request, q: str = "", kind: Annotated[str, Query(alias="type")] = ""
) -> JSONResponse:
    """``type`` narrows to one kind. A query without words finds no statuses (an
    empty list, as Mastodon answers). Hashtags are not listed yet (there is no
    directory of them): that list is always empty."""
    if kind and kind not in _KINDS:
        return JSONResponse({"error": f"type must be one of {', '.join(_KINDS)}"}, 422)
    svc, viewer = services(request), await viewer_id(request)
    found: dict[str, list[object]] = {each: [] for each in _KINDS}
    if kind in ("", "accounts"):
        limit = page_of(request, ACCOUNTS_DEFAULT).limit
        handle = q.strip().removeprefix("@").split("@", 1)[0]  # user@this.server too
        try:
            people = await svc.search_users()(handle, limit)
        except InvalidInput:
            people = []
        counts = await svc.reads().account_counts(user.id for user in people)
        found["accounts"] = [
            entities.account(base_url(request), user, counts.get(user.id, entities.NO_COUNTS))
            for user in people
        ]
    if kind in ("", "statuses"):
        page: Page[TweetCard]
        try:
            page = await svc.search_tweets()(q, page_of(request), viewer)
        except InvalidInput:
            page = Page(items=[], next_cursor=None)
        found["statuses"] = list(await statuses_json(request, page.items))
    return JSONResponse(found)
