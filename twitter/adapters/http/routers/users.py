from dataclasses import asdict

from fastapi import Request, Response

from twitter.adapters.driving import client_address, run
from twitter.adapters.http import schemas
from twitter.adapters.http.dependencies import ActorId, CurrentUser, Paging, Svc
from twitter.adapters.http.responses import json_answer, page_answer
from twitter.adapters.http.routing import Router, errors
from twitter.application import commands
from twitter.domain.model import User

router = Router(prefix="/users", tags=["users"])


@router.post(
    "/",
    status_code=201,
    response_model=schemas.UserWithEmail,
    summary="Sign up",
    responses=errors(400, 422, 429),
)
async def register(
    request: Request,
    body: schemas.UserCreate,
    svc: Svc,
) -> User:
    """Sign-ups are limited per client address in a time window; past the limit the
    answer is 429 with `Retry-After`, before any password is hashed."""
    client = client_address(request)
    command = commands.Registration(
        email=body.email, password=body.password, username=body.username, client=client
    )
    return await run(svc.register_user(), command)


@router.get(
    "/", response_model=list[schemas.User], summary="All users, oldest first", responses=errors(422)
)
async def list_users(page: Paging, request: Request, svc: Svc) -> Response:
    return page_answer(await svc.reads().users(page), request, cursor="since_id")


@router.get(
    "/me",
    response_model=schemas.Me,
    summary="The authenticated user, with their email and unread notifications",
    responses=errors(401),
)
async def me(user: CurrentUser, svc: Svc) -> Response:
    unread = await svc.reads().unread_notifications(user.id)
    return json_answer({**asdict(user), "unread_notifications": unread})


@router.patch(
    "/me",
    response_model=schemas.UserWithEmail,
    summary="Change one's display name or bio",
    responses=errors(401, 422),
)
async def edit_me(body: schemas.ProfileUpdate, actor_id: ActorId, svc: Svc) -> User:
    command = commands.ProfileEdit(actor_id=actor_id, display_name=body.display_name, bio=body.bio)
    return await run(svc.edit_profile(), command)


@router.get(
    "/by/username/{username}",
    response_model=schemas.User,
    summary="A user by username, in any letter case",
    responses=errors(404),
)
async def by_username(username: str, svc: Svc) -> Response:
    return json_answer(await svc.reads().user_by_username(username))


@router.get("/{user_id}", response_model=schemas.User, summary="A user", responses=errors(404, 422))
async def get_user(user_id: int, svc: Svc) -> Response:
    return json_answer(await svc.reads().user(user_id))


@router.delete(
    "/{user_id}",
    status_code=204,
    summary="Delete one's own account, with its tweets, likes and follows",
    responses=errors(401, 403, 404, 422),
)
async def delete_user(
    user_id: int,
    actor_id: ActorId,
    svc: Svc,
) -> Response:
    await run(svc.delete_user(), commands.AccountRemoval(actor_id=actor_id, user_id=user_id))
    return Response(status_code=204)
