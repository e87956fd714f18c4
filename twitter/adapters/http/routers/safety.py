"""Blocks and mutes: each user's own, listed to them alone."""

from fastapi import Request, Response

from twitter.adapters.driving import run
from twitter.adapters.http import schemas
from twitter.adapters.http.dependencies import ActorId, Paging, Svc
from twitter.adapters.http.responses import page_answer
from twitter.adapters.http.routing import Router, errors
from twitter.application import commands
from twitter.domain.model import Block, Mute

router = Router(tags=["blocks and mutes"])


@router.post(
    "/users/{user_id}/blocking",
    status_code=201,
    response_model=schemas.Block,
    summary="Block a user: the follows between you end, and they can no longer reach you",
    responses=errors(400, 401, 403, 404, 422),
)
async def block(user_id: int, body: schemas.UserTargetCreate, actor_id: ActorId, svc: Svc) -> Block:
    target = body.target_user_id
    command = commands.UserTarget(actor_id=actor_id, user_id=user_id, target_user_id=target)
    return await run(svc.block_user(), command)


@router.delete(
    "/users/{user_id}/blocking/{target_user_id}",
    status_code=204,
    summary="Unblock a user (the follows that ended stay ended)",
    responses=errors(401, 403, 404, 422),
)
async def unblock(user_id: int, target_user_id: int, actor_id: ActorId, svc: Svc) -> Response:
    target = target_user_id
    command = commands.UserTarget(actor_id=actor_id, user_id=user_id, target_user_id=target)
    await run(svc.unblock_user(), command)
    return Response(status_code=204)


@router.get(
    "/users/{user_id}/blocking",
    response_model=list[schemas.User],
    summary="Whom one blocks, newest block first",
    responses=errors(401, 403, 404, 422),
)
async def list_blocking(
    user_id: int, actor_id: ActorId, page: Paging, request: Request, svc: Svc
) -> Response:
    blocked = await svc.list_blocking()(actor_id, user_id, page)
    return page_answer(blocked, request, cursor="max_id")


@router.post(
    "/users/{user_id}/muting",
    status_code=201,
    response_model=schemas.Mute,
    summary="Mute a user: their tweets, retweets and notifications leave your view",
    responses=errors(400, 401, 403, 404, 422),
)
async def mute(user_id: int, body: schemas.UserTargetCreate, actor_id: ActorId, svc: Svc) -> Mute:
    target = body.target_user_id
    command = commands.UserTarget(actor_id=actor_id, user_id=user_id, target_user_id=target)
    return await run(svc.mute_user(), command)


@router.delete(
    "/users/{user_id}/muting/{target_user_id}",
    status_code=204,
    summary="Unmute a user",
    responses=errors(401, 403, 404, 422),
)
async def unmute(user_id: int, target_user_id: int, actor_id: ActorId, svc: Svc) -> Response:
    target = target_user_id
    command = commands.UserTarget(actor_id=actor_id, user_id=user_id, target_user_id=target)
    await run(svc.unmute_user(), command)
    return Response(status_code=204)


@router.get(
    "/users/{user_id}/muting",
    response_model=list[schemas.User],
    summary="Whom one mutes, newest mute first",
    responses=errors(401, 403, 404, 422),
)
async def list_muting(
    user_id: int, actor_id: ActorId, page: Paging, request: Request, svc: Svc
) -> Response:
    muted = await svc.list_muting()(actor_id, user_id, page)
    return page_answer(muted, request, cursor="max_id")
