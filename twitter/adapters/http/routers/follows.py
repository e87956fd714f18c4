from fastapi import Request, Response

from twitter.adapters.driving import run
from twitter.adapters.http import schemas
from twitter.adapters.http.dependencies import ActorId, Paging, Svc
from twitter.adapters.http.responses import page_answer
from twitter.adapters.http.routing import Router, errors
from twitter.application import commands
from twitter.domain.model import Follow

router = Router(tags=["follows"])


@router.post(
    "/users/{user_id}/following",
    status_code=201,
    response_model=schemas.Follow,
    summary="Follow a user as this user (the token's own)",
    responses=errors(400, 401, 403, 404, 422),
)
async def follow(
    user_id: int,
    body: schemas.FollowCreate,
    actor_id: ActorId,
    svc: Svc,
) -> Follow:
    target = body.target_user_id
    command = commands.NewFollow(actor_id=actor_id, user_id=user_id, target_user_id=target)
    return await run(svc.follow_user(), command)


@router.delete(
    "/users/{user_id}/following/{target_user_id}",
    status_code=204,
    summary="Stop following a user",
    responses=errors(401, 403, 404, 422),
)
async def unfollow(
    user_id: int,
    target_user_id: int,
    actor_id: ActorId,
    svc: Svc,
) -> Response:
    target = target_user_id
    command = commands.FollowRemoval(actor_id=actor_id, user_id=user_id, target_user_id=target)
    await run(svc.unfollow_user(), command)
    return Response(status_code=204)


@router.get(
    "/users/{user_id}/following",
    response_model=list[schemas.User],
    summary="Whom a user follows, newest follow first",
    responses=errors(404, 422),
)
async def list_following(user_id: int, page: Paging, request: Request, svc: Svc) -> Response:
    return page_answer(await svc.reads().following(user_id, page), request, cursor="max_id")


@router.get(
    "/users/{user_id}/followers",
    response_model=list[schemas.User],
    summary="Who follows a user, newest follow first",
    responses=errors(404, 422),
)
async def list_followers(user_id: int, page: Paging, request: Request, svc: Svc) -> Response:
    return page_answer(await svc.reads().followers(user_id, page), request, cursor="max_id")
