from typing import Annotated

from fastapi import Request, Response

from twitter.adapters.client_address import client_address
from twitter.adapters.http import schemas
from twitter.adapters.http.dependencies import ActorId, CurrentUser, Paging, run, use_case
from twitter.adapters.http.pagination import with_next_link
from twitter.adapters.http.routing import Router, errors
from twitter.application import commands
from twitter.application.use_cases import (
    DeleteUser,
    GetUser,
    GetUserByUsername,
    ListUsers,
    RegisterUser,
)
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
    register_user: Annotated[RegisterUser, use_case("register_user")],
) -> User:
    """Sign-ups are limited per client address in a time window; past the limit the
    answer is 429 with `Retry-After`, before any password is hashed."""
    client = client_address(request)
    command = commands.RegisterUser(
        email=body.email, password=body.password, username=body.username, client=client
    )
    return await run(register_user, command)


@router.get(
    "/", response_model=list[schemas.User], summary="All users, oldest first", responses=errors(422)
)
async def list_users(
    page: Paging,
    request: Request,
    response: Response,
    list_users: Annotated[ListUsers, use_case("list_users")],
) -> list[User]:
    return with_next_link(await run(list_users, page), request, response, cursor="since_id")


@router.get(
    "/me",
    response_model=schemas.UserWithEmail,
    summary="The authenticated user",
    responses=errors(401),
)
async def me(user: CurrentUser) -> User:
    return user


@router.get(
    "/by/username/{username}",
    response_model=schemas.User,
    summary="A user by username, in any letter case",
    responses=errors(404),
)
async def by_username(
    username: str,
    get_user_by_username: Annotated[GetUserByUsername, use_case("get_user_by_username")],
) -> User:
    return await run(get_user_by_username, username)


@router.get("/{user_id}", response_model=schemas.User, summary="A user", responses=errors(404, 422))
async def get_user(user_id: int, get_user: Annotated[GetUser, use_case("get_user")]) -> User:
    return await run(get_user, user_id)


@router.delete(
    "/{user_id}",
    status_code=204,
    summary="Delete one's own account, with its tweets, likes and follows",
    responses=errors(401, 403, 404, 422),
)
async def delete_user(
    user_id: int,
    actor_id: ActorId,
    delete_user: Annotated[DeleteUser, use_case("delete_user")],
) -> Response:
    await run(delete_user, commands.DeleteUser(actor_id=actor_id, user_id=user_id))
    return Response(status_code=204)
