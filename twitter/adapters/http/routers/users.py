from typing import Annotated

from dependency_injector.wiring import Provide, inject
from fastapi import Depends, Request, Response

from twitter.adapters.http import schemas
from twitter.adapters.http.dependencies import ActorId, CurrentUser, Paging
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
    responses=errors(400, 422),
)
@inject
def register(
    body: schemas.UserCreate,
    register_user: Annotated[RegisterUser, Depends(Provide["register_user"])],
) -> User:
    return register_user(
        commands.RegisterUser(email=body.email, password=body.password, username=body.username)
    )


@router.get(
    "/", response_model=list[schemas.User], summary="All users, oldest first", responses=errors(422)
)
@inject
def list_users(
    page: Paging,
    request: Request,
    response: Response,
    list_users: Annotated[ListUsers, Depends(Provide["list_users"])],
) -> list[User]:
    return with_next_link(list_users(page), request, response, cursor="since_id")


@router.get(
    "/me",
    response_model=schemas.UserWithEmail,
    summary="The authenticated user",
    responses=errors(401),
)
def me(user: CurrentUser) -> User:
    return user


@router.get(
    "/by/username/{username}",
    response_model=schemas.User,
    summary="A user by username, in any letter case",
    responses=errors(404),
)
@inject
def by_username(
    username: str,
    get_user_by_username: Annotated[GetUserByUsername, Depends(Provide["get_user_by_username"])],
) -> User:
    return get_user_by_username(username)


@router.get("/{user_id}", response_model=schemas.User, summary="A user", responses=errors(404, 422))
@inject
def get_user(user_id: int, get_user: Annotated[GetUser, Depends(Provide["get_user"])]) -> User:
    return get_user(user_id)


@router.delete(
    "/{user_id}",
    status_code=204,
    summary="Delete one's own account, with its tweets, likes and follows",
    responses=errors(401, 403, 404, 422),
)
@inject
def delete_user(
    user_id: int,
    actor_id: ActorId,
    delete_user: Annotated[DeleteUser, Depends(Provide["delete_user"])],
) -> Response:
    delete_user(commands.DeleteUser(actor_id=actor_id, user_id=user_id))
    return Response(status_code=204)
