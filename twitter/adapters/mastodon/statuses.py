"""Statuses and timelines: tweets as Mastodon shows them, over the same use cases."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse

from twitter.adapters.driving import run, services
from twitter.adapters.mastodon import entities
from twitter.adapters.mastodon.auth import scoped
from twitter.adapters.mastodon.paging import link_header, page_of
from twitter.adapters.mastodon.params import parameters
from twitter.adapters.mastodon.routing import both
from twitter.application import commands
from twitter.application.pagination import Page
from twitter.application.queries import AccountView, TweetCard
from twitter.domain.errors import InvalidInput, TweetNotFound

router = APIRouter()

Writer = Annotated[AccountView, Depends(scoped("write:statuses"))]
Reader = Annotated[AccountView, Depends(scoped("read:statuses"))]
_read_statuses = scoped("read:statuses")

_TRUE = ("1", "true", "on", "yes")
# What a status may ask for that this service has not: refused, never dropped.
_REFUSED = {
    "media_ids": "Media attachments are not supported here",
    "media_ids[]": "Media attachments are not supported here",
    "spoiler_text": "Content warnings are not supported here",
    "scheduled_at": "Scheduled statuses are not supported here",
    "quote_id": "Quotes are not supported through this API yet",
}


async def _viewer_id(request: Request) -> int | None:
    """Who reads a public list: nobody, or the token's user (for their flags)."""
    if "authorization" not in request.headers:
        return None
    return (await _read_statuses(request)).id


def _base(request: Request) -> str:
    return str(request.base_url).rstrip("/")


async def _statuses(request: Request, cards: list[TweetCard]) -> list[dict[str, Any]]:
    counts = await services(request).reads().account_counts(entities.authors_of(cards))
    return [entities.status(_base(request), card, counts) for card in cards]


async def _one(request: Request, card: TweetCard, *, with_text: bool = False) -> JSONResponse:
    counts = await services(request).reads().account_counts(entities.authors_of([card]))
    return JSONResponse(entities.status(_base(request), card, counts, with_text=with_text))


async def _listed(request: Request, page: Page[TweetCard]) -> JSONResponse:
    keys = [card.tweet.id for card in page.items]
    headers = link_header(request, keys, page.next_cursor is not None)
    return JSONResponse(await _statuses(request, page.items), headers=headers)


def _status_id(value: str) -> int:
    if not value.isdecimal() or len(value) > 19:
        raise TweetNotFound()
    return int(value)


def _refuse_what_we_cannot_honour(given: dict[str, str]) -> None:
    for name, message in _REFUSED.items():
        if given.get(name):
            raise InvalidInput(name, message)
    if any(name.startswith("poll") for name in given):
        raise InvalidInput("poll", "Polls are not supported here")
    if given.get("visibility", "public") not in ("", "public"):
        raise InvalidInput("visibility", "Only public statuses are supported here")
    if given.get("sensitive", "").lower() in _TRUE:
        raise InvalidInput("sensitive", "Sensitive marks are not supported here")


@both(router, "/v1/statuses", ["POST"])
async def post_status(request: Request, user: Writer) -> JSONResponse:
    given = await parameters(request)
    _refuse_what_we_cannot_honour(given)
    reply_to = given.get("in_reply_to_id") or None
    command = commands.NewTweet(
        actor_id=user.id,
        owner_id=user.id,
        text=given.get("status", ""),
        in_reply_to_id=None if reply_to is None else _status_id(reply_to),
    )
    tweet = await run(services(request).post_tweet(), command)
    assert tweet.id is not None
    return await _one(request, await services(request).reads().tweet(tweet.id, user.id))


@both(router, "/v1/statuses/{status_id}", ["GET"])
async def get_status(request: Request, status_id: str) -> JSONResponse:
    viewer = await _viewer_id(request)
    return await _one(request, await services(request).reads().tweet(_status_id(status_id), viewer))


@both(router, "/v1/statuses/{status_id}", ["DELETE"])
async def delete_status(request: Request, status_id: str, user: Writer) -> JSONResponse:
    """Answers the deleted status with its ``text`` (Mastodon.py refuses a 204)."""
    svc = services(request)
    card = await svc.reads().tweet(_status_id(status_id), user.id)
    await run(svc.delete_tweet(), commands.TweetRemoval(actor_id=user.id, tweet_id=card.tweet.id))
    return await _one(request, card, with_text=True)


@both(router, "/v1/timelines/home", ["GET"])
async def home(request: Request, user: Reader) -> JSONResponse:
    timeline = services(request).get_home_timeline()
    return await _listed(
        request, await timeline(user.id, user.id, page_of(request), mark_liked=True)
    )


@both(router, "/v1/timelines/public", ["GET"])
async def public(request: Request) -> JSONResponse:
    """Every tweet (all of them are local; ``remote=true`` is none)."""
    if request.query_params.get("remote", "").lower() in _TRUE:
        return JSONResponse([])
    viewer = await _viewer_id(request)
    return await _listed(request, await services(request).reads().tweets(page_of(request), viewer))


@both(router, "/v1/timelines/tag/{hashtag}", ["GET"])
async def tag(request: Request, hashtag: str) -> JSONResponse:
    viewer = await _viewer_id(request)
    page = await services(request).reads().tagged_tweets(hashtag, page_of(request), viewer)
    return await _listed(request, page)
