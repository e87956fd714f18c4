from typing import Annotated

from fastapi import Request, Response

from twitter.adapters.http import schemas
from twitter.adapters.http.dependencies import ActorId, Paging, run, use_case
from twitter.adapters.http.pagination import with_next_link
from twitter.adapters.http.routing import Router, errors
from twitter.application import commands
from twitter.application.use_cases import FollowUser, ListFollowers, ListFollowing, UnfollowUser
from twitter.domain.model import Follow, User

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
    follow_user: Annotated[FollowUser, use_case("follow_user")],
) -> Follow:
    return await run(
        follow_user,
        commands.FollowUser(actor_id=actor_id, user_id=user_id, target_user_id=body.target_user_id),
    )


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
    unfollow_user: Annotated[UnfollowUser, use_case("unfollow_user")],
) -> Response:
    await run(
        unfollow_user,
        commands.UnfollowUser(actor_id=actor_id, user_id=user_id, target_user_id=target_user_id),
    )
    return Response(status_code=204)


@router.get(
    "/users/{user_id}/following",
    response_model=list[schemas.User],
    summary="Whom a user follows, newest follow first",
    responses=errors(404, 422),
)
async def list_following(
    user_id: int,
    page: Paging,
    request: Request,
    response: Response,
    list_following: Annotated[ListFollowing, use_case("list_following")],
) -> list[User]:
    return with_next_link(
        await run(list_following, user_id, page), request, response, cursor="max_id"
    )


@router.get(
    "/users/{user_id}/followers",
    response_model=list[schemas.User],
    summary="Who follows a user, newest follow first",
    responses=errors(404, 422),
)
async def list_followers(
    user_id: int,
    page: Paging,
    request: Request,
    response: Response,
    list_followers: Annotated[ListFollowers, use_case("list_followers")],
) -> list[User]:
    return with_next_link(
        await run(list_followers, user_id, page), request, response, cursor="max_id"
    )
