"""Notifications as Mastodon shows them: each with its account and status."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse

from twitter.adapters.driving import run, services
from twitter.adapters.mastodon import entities
from twitter.adapters.mastodon.accounts import base_url
from twitter.adapters.mastodon.auth import scoped
from twitter.adapters.mastodon.paging import link_header, page_of
from twitter.adapters.mastodon.params import parameters, parse_id
from twitter.adapters.mastodon.routing import both
from twitter.application import commands
from twitter.application.pagination import MAX_ID, PageRequest
from twitter.application.queries import AccountView, NotificationView
from twitter.domain.errors import NotificationNotFound
from twitter.domain.model import NotificationType

router = APIRouter()

Reader = Annotated[AccountView, Depends(scoped("read:notifications"))]
Dismisser = Annotated[AccountView, Depends(scoped("write:notifications"))]

# Mastodon 4.2's names. It has no quote notification: a quote of one's tweet is
# shown as the mention it nearly is (clients know no other type for it).
MASTODON_TYPE = {
    NotificationType.LIKE: "favourite",
    NotificationType.RETWEET: "reblog",
    NotificationType.FOLLOW: "follow",
    NotificationType.MENTION: "mention",
    NotificationType.REPLY: "mention",
    NotificationType.QUOTE: "mention",
}


async def _shown(
    request: Request, user: AccountView, notifications: list[NotificationView]
) -> list[dict[str, Any]]:
    """The notifications with their accounts and statuses: one read of the cards and
    one of the counts, however many."""
    reads = services(request).reads()
    tweet_ids = [n.tweet_id for n in notifications if n.tweet_id is not None]
    cards = {card.tweet.id: card for card in await reads.cards(tweet_ids, user.id)}
    actors = {n.actor.id for n in notifications} | entities.authors_of(list(cards.values()))
    counts = await reads.account_counts(actors)
    base = base_url(request)
    shown = []
    for n in notifications:
        card = cards.get(n.tweet_id) if n.tweet_id is not None else None
        if n.tweet_id is not None and card is None:
            continue  # its tweet went between the two reads
        shown.append(
            {
                "id": str(n.id),
                "type": MASTODON_TYPE[n.type],
                "created_at": entities.instant(n.created_at),
                "account": entities.account(
                    base, n.actor, counts.get(n.actor.id, entities.NO_COUNTS)
                ),
                "status": None if card is None else entities.status(base, card, counts),
            }
        )
    return shown


@both(router, "/v1/notifications", ["GET"])
async def notifications(request: Request, user: Reader) -> JSONResponse:
    """Newest first. ``types[]`` and ``exclude_types[]`` (Mastodon's names) leave the
    others out of each page: a page may come out short, its ``next`` link goes on."""
    query = request.query_params
    only = set(query.getlist("types[]") + query.getlist("types"))
    hidden = set(query.getlist("exclude_types[]") + query.getlist("exclude_types"))
    listing = services(request).list_notifications()
    page = await listing(user.id, user.id, page_of(request, most=80))
    kept = [
        n
        for n in page.items
        if (not only or MASTODON_TYPE[n.type] in only) and MASTODON_TYPE[n.type] not in hidden
    ]
    first = page.items[0].id if page.items else None
    headers = link_header(request, page.next_cursor, first)
    return JSONResponse(await _shown(request, user, kept), headers=headers)


@both(router, "/v1/notifications/{notification_id}", ["GET"])
async def notification(request: Request, notification_id: str, user: Reader) -> JSONResponse:
    wanted = parse_id(notification_id)
    if wanted is None or wanted >= MAX_ID:
        raise NotificationNotFound()
    exactly = PageRequest(limit=1, max_id=wanted + 1, since_id=wanted - 1 if wanted else None)
    page = await services(request).list_notifications()(user.id, user.id, exactly)
    shown = await _shown(request, user, page.items)
    if not shown:
        raise NotificationNotFound()
    return JSONResponse(shown[0])


async def _dismiss(
    request: Request, user: AccountView, notification_id: int | None
) -> JSONResponse:
    command = commands.NotificationsDismissed(user.id, user.id, notification_id)
    await run(services(request).dismiss_notifications(), command)
    return JSONResponse({})


@both(router, "/v1/notifications/clear", ["POST"])
async def clear(request: Request, user: Dismisser) -> JSONResponse:
    """Every notification of the user is dropped."""
    return await _dismiss(request, user, None)


@both(router, "/v1/notifications/{notification_id}/dismiss", ["POST"])
async def dismiss(request: Request, notification_id: str, user: Dismisser) -> JSONResponse:
    wanted = parse_id(notification_id)
    if wanted is None:
        raise NotificationNotFound()
    return await _dismiss(request, user, wanted)


@both(router, "/v1/notifications/dismiss", ["POST"])
async def dismiss_by_parameter(request: Request, user: Dismisser) -> JSONResponse:
    """Mastodon's older form, the id as a parameter (Mastodon.py still sends it)."""
    wanted = parse_id((await parameters(request)).get("id"))
    if wanted is None:
        raise NotificationNotFound()
    return await _dismiss(request, user, wanted)
