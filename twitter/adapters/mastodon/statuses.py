"""Statuses and timelines: tweets as Mastodon shows them, over the same use cases."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse

from twitter.adapters.driving import Services, run, services
from twitter.adapters.mastodon import entities
from twitter.adapters.mastodon.auth import app_token, scoped
from twitter.adapters.mastodon.paging import link_header, page_of
from twitter.adapters.mastodon.params import parameters, parse_id, status_id_of
from twitter.adapters.mastodon.routing import both
from twitter.application import commands
from twitter.application.pagination import Page
from twitter.application.queries import AccountView, TweetCard
from twitter.domain.errors import (
    AlreadyBookmarked,
    AlreadyLiked,
    AlreadyRetweeted,
    BookmarkNotFound,
    DomainError,
    InvalidInput,
    LikeNotFound,
    RetweetNotFound,
    UserNotFound,
)
from twitter.domain.model import ReferenceType

router = APIRouter()

Writer = Annotated[AccountView, Depends(scoped("write:statuses"))]
Reader = Annotated[AccountView, Depends(scoped("read:statuses"))]
BookmarksReader = Annotated[AccountView, Depends(scoped("read:bookmarks"))]
FavouritesReader = Annotated[AccountView, Depends(scoped("read:favourites"))]
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


async def viewer_id(request: Request) -> int | None:
    """Who reads a public list: nobody, or the token's user (for their flags)."""
    if "authorization" not in request.headers or app_token(request):
        return None
    return (await _read_statuses(request)).id


def _base(request: Request) -> str:
    return str(request.base_url).rstrip("/")


async def statuses_json(request: Request, cards: list[TweetCard]) -> list[dict[str, Any]]:
    counts = await services(request).reads().account_counts(entities.authors_of(cards))
    return [entities.status(_base(request), card, counts) for card in cards]


async def _one(request: Request, card: TweetCard, *, with_text: bool = False) -> JSONResponse:
    counts = await services(request).reads().account_counts(entities.authors_of([card]))
    return JSONResponse(entities.status(_base(request), card, counts, with_text=with_text))


async def listed(
    request: Request, page: Page[TweetCard], *, keyed_by_item: bool = True
) -> JSONResponse:
    """A page of statuses with its Link header: ``next`` from the page's cursor (a
    relation's key for lists of likes or bookmarks), ``prev`` from the first status."""
    first = page.items[0].tweet.id if page.items and keyed_by_item else None
    headers = link_header(request, page.next_cursor, first)
    return JSONResponse(await statuses_json(request, page.items), headers=headers)


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
        in_reply_to_id=None if reply_to is None else status_id_of(reply_to),
    )
    tweet = await run(services(request).post_tweet(), command)
    assert tweet.id is not None
    return await _one(request, await services(request).reads().tweet(tweet.id, user.id))


@both(router, "/v1/statuses/{status_id}", ["GET"])
async def get_status(request: Request, status_id: str) -> JSONResponse:
    viewer = await viewer_id(request)
    return await _one(
        request, await services(request).reads().tweet(status_id_of(status_id), viewer)
    )


@both(router, "/v1/statuses/{status_id}", ["DELETE"])
async def delete_status(request: Request, status_id: str, user: Writer) -> JSONResponse:
    """Answers the deleted status with its ``text`` (Mastodon.py refuses a 204)."""
    svc = services(request)
    card = await svc.reads().tweet(status_id_of(status_id), user.id)
    await run(svc.delete_tweet(), commands.TweetRemoval(actor_id=user.id, tweet_id=card.tweet.id))
    return await _one(request, card, with_text=True)


@both(router, "/v1/timelines/home", ["GET"])
async def home(request: Request, user: Reader) -> JSONResponse:
    timeline = services(request).get_home_timeline()
    return await listed(
        request, await timeline(user.id, user.id, page_of(request), mark_liked=True)
    )


@both(router, "/v1/timelines/public", ["GET"])
async def public(request: Request) -> JSONResponse:
    """Every tweet (all of them are local; ``remote=true`` is none)."""
    if request.query_params.get("remote", "").lower() in _TRUE:
        return JSONResponse([])
    viewer = await viewer_id(request)
    return await listed(request, await services(request).reads().tweets(page_of(request), viewer))


@both(router, "/v1/timelines/tag/{hashtag}", ["GET"])
async def tag(request: Request, hashtag: str) -> JSONResponse:
    viewer = await viewer_id(request)
    page = await services(request).reads().tagged_tweets(hashtag, page_of(request), viewer)
    return await listed(request, page)


# The status actions: each idempotent (a repeat finds it done), each answering the
# status as it is now. (command, use case, the error meaning "done already", scope)
_ACTIONS: dict[str, tuple[Any, Callable[[Services], Any], type[DomainError], str]] = {
    "favourite": (commands.NewLike, lambda s: s.like_tweet(), AlreadyLiked, "write:favourites"),
    "unfavourite": (
        commands.LikeRemoval,
        lambda s: s.unlike_tweet(),
        LikeNotFound,
        "write:favourites",
    ),
    "reblog": (
        commands.NewRetweet,
        lambda s: s.retweet_tweet(),
        AlreadyRetweeted,
        "write:statuses",
    ),
    "unreblog": (
        commands.RetweetRemoval,
        lambda s: s.undo_retweet(),
        RetweetNotFound,
        "write:statuses",
    ),
    "bookmark": (
        commands.BookmarkChange,
        lambda s: s.bookmark_tweet(),
        AlreadyBookmarked,
        "write:bookmarks",
    ),
    "unbookmark": (
        commands.BookmarkChange,
        lambda s: s.remove_bookmark(),
        BookmarkNotFound,
        "write:bookmarks",
    ),
}


def _action(name: str) -> None:
    command_type, use_case, done_already, scope = _ACTIONS[name]
    needs = Depends(scoped(scope))

    async def act(request: Request, status_id: str, user: AccountView = needs) -> JSONResponse:
        svc = services(request)
        tweet_id = status_id_of(status_id)
        command = command_type(actor_id=user.id, user_id=user.id, tweet_id=tweet_id)
        done = None
        with contextlib.suppress(done_already):
            done = await run(use_case(svc), command)
        # A new reblog is answered as Mastodon does, itself (wrapping the status);
        # anything else, and a repeated reblog, as the status now stands.
        shown_id = done.id if name == "reblog" and done is not None else tweet_id
        card = await svc.reads().tweet(shown_id, user.id)
        return await _one(request, card)

    both(router, f"/v1/statuses/{{status_id}}/{name}", ["POST"])(act)


for _name in _ACTIONS:
    _action(_name)


@both(router, "/v1/statuses/{status_id}/context", ["GET"])
async def context(request: Request, status_id: str) -> JSONResponse:
    viewer = await viewer_id(request)
    thread = await services(request).reads().context(status_id_of(status_id), viewer)
    cards = [*thread.ancestors, *(reply.card for reply in thread.descendants)]
    shown = await statuses_json(request, cards)
    split = len(thread.ancestors)
    return JSONResponse({"ancestors": shown[:split], "descendants": shown[split:]})


@both(router, "/v1/bookmarks", ["GET"])
async def bookmarks(
    request: Request, user: Annotated[AccountView, Depends(scoped("read:bookmarks"))]
) -> JSONResponse:
    listing = services(request).list_bookmarks()
    page = await listing(user.id, user.id, page_of(request), mark_liked=True)
    return await listed(request, page, keyed_by_item=False)


@both(router, "/v1/favourites", ["GET"])
async def favourites(
    request: Request, user: Annotated[AccountView, Depends(scoped("read:favourites"))]
) -> JSONResponse:
    page = await services(request).reads().liked_tweets(user.id, page_of(request), user.id)
    return await listed(request, page, keyed_by_item=False)


@both(router, "/v1/accounts/{account_id}/statuses", ["GET"])
async def account_statuses(request: Request, account_id: str) -> JSONResponse:
    """A user's statuses and reblogs, newest first. ``exclude_replies`` and
    ``exclude_reblogs`` leave those out of each page (a page may come out short;
    its ``next`` link still goes on); nobody has pinned statuses."""
    query = request.query_params
    user_id = parse_id(account_id)
    if user_id is None:
        raise UserNotFound()
    if query.get("pinned", "").lower() in _TRUE:
        return JSONResponse([])
    viewer = await viewer_id(request)
    page = await services(request).reads().user_tweets(user_id, page_of(request), viewer)
    kept = [
        card
        for card in page.items
        if not (query.get("exclude_reblogs", "").lower() in _TRUE and card.original)
        and not (
            query.get("exclude_replies", "").lower() in _TRUE
            and any(ref.type == ReferenceType.REPLIED_TO for ref in card.tweet.referenced_tweets)
        )
    ]
    first = page.items[0].tweet.id if page.items else None
    headers = link_header(request, page.next_cursor, first)
    return JSONResponse(await statuses_json(request, kept), headers=headers)
