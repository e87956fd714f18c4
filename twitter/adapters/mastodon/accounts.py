"""Accounts and relationships: who someone is, and where the viewer stands with them."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse

from twitter.adapters.driving import Services, run, services
from twitter.adapters.mastodon import entities
from twitter.adapters.mastodon.auth import scoped
from twitter.adapters.mastodon.entities import NO_COUNTS
from twitter.adapters.mastodon.paging import ACCOUNTS_DEFAULT, ACCOUNTS_MOST, link_header, page_of
from twitter.adapters.mastodon.params import parameters, parse_id, status_id_of
from twitter.adapters.mastodon.routing import both
from twitter.application import commands
from twitter.application.pagination import Page, PageRequest
from twitter.application.queries import AccountView, RelationshipView, UserView
from twitter.domain.errors import (
    AlreadyBlocking,
    AlreadyFollowing,
    AlreadyMuting,
    BlockNotFound,
    DomainError,
    FollowNotFound,
    MuteNotFound,
    UserNotFound,
)

router = APIRouter()

Reader = Annotated[AccountView, Depends(scoped("read:accounts"))]
FollowsReader = Annotated[AccountView, Depends(scoped("read:follows"))]
MutesReader = Annotated[AccountView, Depends(scoped("read:mutes"))]
BlocksReader = Annotated[AccountView, Depends(scoped("read:blocks"))]
AccountsWriter = Annotated[AccountView, Depends(scoped("write:accounts"))]


def base_url(request: Request) -> str:
    return str(request.base_url).rstrip("/")


async def account_json(request: Request, user: UserView, viewer_id: int | None = None) -> Any:
    profile = await services(request).reads().profile(user.username, viewer_id)
    return entities.account(base_url(request), user, profile)


async def user_of(request: Request, account_id: str) -> UserView:
    """The user an ``:id`` names (Mastodon's ids are strings; a non-number names nobody)."""
    user_id = parse_id(account_id)
    if user_id is None:
        raise UserNotFound()
    return await services(request).reads().user(user_id)


def relationship_json(view: RelationshipView) -> dict[str, Any]:
    return {
        "id": str(view.user_id),
        "following": view.following,
        "showing_reblogs": view.following,
        "notifying": False,
        "languages": None,
        "followed_by": view.followed_by,
        "blocking": view.blocking,
        "blocked_by": view.blocked_by,
        "muting": view.muting,
        "muting_notifications": view.muting,
        "requested": False,
        "requested_by": False,
        "domain_blocking": False,
        "endorsed": False,
        "note": "",
    }


@both(router, "/v1/accounts/verify_credentials", ["GET"])
async def verify_credentials(request: Request, user: Reader) -> JSONResponse:
    profile = await services(request).reads().profile(user.username, user.id)
    return JSONResponse(entities.credential_account(base_url(request), user, profile))


@both(router, "/v1/accounts/update_credentials", ["PATCH"])
async def update_credentials(request: Request, user: AccountsWriter) -> JSONResponse:
    given = await parameters(request)
    command = commands.ProfileEdit(
        actor_id=user.id, display_name=given.get("display_name"), bio=given.get("note")
    )
    await run(services(request).edit_profile(), command)
    fresh = await services(request).reads().user(user.id)
    profile = await services(request).reads().profile(fresh.username, user.id)
    account = AccountView(
        id=fresh.id,
        username=fresh.username,
        created_at=fresh.created_at,
        display_name=fresh.display_name,
        bio=fresh.bio,
        email=user.email,
    )
    return JSONResponse(entities.credential_account(base_url(request), account, profile))


@both(router, "/v1/accounts/lookup", ["GET"])
async def lookup(request: Request, acct: str = "") -> JSONResponse:
    """By username, with or without ``@`` and this server's domain."""
    username = acct.removeprefix("@").split("@", 1)[0]
    user = await services(request).reads().user_by_username(username)
    return JSONResponse(await account_json(request, user))


@both(router, "/v1/accounts/relationships", ["GET"])
async def relationships(request: Request, viewer: FollowsReader) -> JSONResponse:
    asked = [*request.query_params.getlist("id[]"), *request.query_params.getlist("id")]
    wanted = [user_id for user_id in map(parse_id, asked) if user_id is not None]
    views = await services(request).reads().relationships(viewer.id, wanted)
    return JSONResponse([relationship_json(view) for view in views])


@both(router, "/v1/accounts/{account_id}", ["GET"])
async def account(request: Request, account_id: str) -> JSONResponse:
    return JSONResponse(await account_json(request, await user_of(request, account_id)))


Action = Callable[[Services], Callable[[commands.UserTarget], object]]


def _relation(path: str, action: Action, done_already: type[DomainError], needs: Any) -> None:
    """``POST /v1/accounts/:id/<path>``: idempotent, answering the Relationship."""

    async def act(request: Request, account_id: str, viewer: AccountView = needs) -> JSONResponse:
        svc = services(request)
        target = await user_of(request, account_id)
        command = commands.UserTarget(
            actor_id=viewer.id, user_id=viewer.id, target_user_id=target.id
        )
        with contextlib.suppress(done_already):
            await run(action(svc), command)
        views = await svc.reads().relationships(viewer.id, [target.id])
        if not views:  # deleted meanwhile
            raise UserNotFound()
        return JSONResponse(relationship_json(views[0]))

    both(router, f"/v1/accounts/{{account_id}}/{path}", ["POST"])(act)


def _follow(svc: Services) -> Callable[[commands.UserTarget], object]:
    follow = svc.follow_user()
    return lambda c: follow(commands.NewFollow(c.actor_id, c.user_id, c.target_user_id))


def _unfollow(svc: Services) -> Callable[[commands.UserTarget], object]:
    unfollow = svc.unfollow_user()
    return lambda c: unfollow(commands.FollowRemoval(c.actor_id, c.user_id, c.target_user_id))


_relation("follow", _follow, AlreadyFollowing, Depends(scoped("write:follows")))
_relation("unfollow", _unfollow, FollowNotFound, Depends(scoped("write:follows")))
_relation("block", lambda svc: svc.block_user(), AlreadyBlocking, Depends(scoped("write:blocks")))
_relation("unblock", lambda svc: svc.unblock_user(), BlockNotFound, Depends(scoped("write:blocks")))
_relation("mute", lambda svc: svc.mute_user(), AlreadyMuting, Depends(scoped("write:mutes")))
_relation("unmute", lambda svc: svc.unmute_user(), MuteNotFound, Depends(scoped("write:mutes")))


async def _accounts_page(request: Request, page: Page[UserView]) -> JSONResponse:
    """A page of accounts with their counts (one read for all) and a ``next`` link on
    the relation's key, as Mastodon.py's ``fetch_next`` reads it from ``max_id``."""
    counts = await services(request).reads().account_counts(user.id for user in page.items)
    base = base_url(request)
    shown = [entities.account(base, user, counts.get(user.id, NO_COUNTS)) for user in page.items]
    return JSONResponse(shown, headers=link_header(request, page.next_cursor, None))


def _accounts_page_of(request: Request) -> PageRequest:
    return page_of(request, ACCOUNTS_DEFAULT, ACCOUNTS_MOST)


@both(router, "/v1/accounts/{account_id}/followers", ["GET"])
async def followers(request: Request, account_id: str) -> JSONResponse:
    user = await user_of(request, account_id)
    page = await services(request).reads().followers(user.id, _accounts_page_of(request))
    return await _accounts_page(request, page)


@both(router, "/v1/accounts/{account_id}/following", ["GET"])
async def following(request: Request, account_id: str) -> JSONResponse:
    user = await user_of(request, account_id)
    page = await services(request).reads().following(user.id, _accounts_page_of(request))
    return await _accounts_page(request, page)


@both(router, "/v1/mutes", ["GET"])
async def mutes(request: Request, user: MutesReader) -> JSONResponse:
    page = await services(request).list_muting()(user.id, user.id, _accounts_page_of(request))
    return await _accounts_page(request, page)


@both(router, "/v1/blocks", ["GET"])
async def blocks(request: Request, user: BlocksReader) -> JSONResponse:
    page = await services(request).list_blocking()(user.id, user.id, _accounts_page_of(request))
    return await _accounts_page(request, page)


@both(router, "/v1/statuses/{status_id}/favourited_by", ["GET"])
async def favourited_by(request: Request, status_id: str) -> JSONResponse:
    tweet_id = status_id_of(status_id)
    page = await services(request).reads().liking_users(tweet_id, _accounts_page_of(request))
    return await _accounts_page(request, page)


@both(router, "/v1/statuses/{status_id}/reblogged_by", ["GET"])
async def reblogged_by(request: Request, status_id: str) -> JSONResponse:
    tweet_id = status_id_of(status_id)
    page = await services(request).reads().retweeted_by(tweet_id, _accounts_page_of(request))
    return await _accounts_page(request, page)
