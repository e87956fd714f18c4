from fastapi import Request, Response

from twitter.adapters.driving import run
from twitter.adapters.http import schemas
from twitter.adapters.http.dependencies import ActorId, Paging, Svc
from twitter.adapters.http.responses import page_answer
from twitter.adapters.http.routing import Router, errors
from twitter.application import commands
from twitter.domain.model import Like

router = Router(tags=["likes"])


@router.post(
    "/users/{user_id}/likes/",
    status_code=201,
    response_model=schemas.Like,
    summary="Like a tweet as this user (the token's own)",
    responses=errors(400, 401, 403, 404, 422),
)
async def like(
    user_id: int,
    body: schemas.LikeCreate,
    actor_id: ActorId,
    svc: Svc,
) -> Like:
    command = commands.NewLike(actor_id=actor_id, user_id=user_id, tweet_id=body.tweet_id)
    return await run(svc.like_tweet(), command)


@router.delete(
    "/users/{user_id}/likes/{tweet_id}",
    status_code=204,
    summary="Take a like back",
    responses=errors(401, 403, 404, 422),
)
async def unlike(
    user_id: int,
    tweet_id: int,
    actor_id: ActorId,
    svc: Svc,
) -> Response:
    command = commands.LikeRemoval(actor_id=actor_id, user_id=user_id, tweet_id=tweet_id)
    await run(svc.unlike_tweet(), command)
    return Response(status_code=204)


@router.get(
    "/users/{user_id}/likes/",
    response_model=list[schemas.Like],
    summary="A user's likes, newest first",
    responses=errors(404, 422),
)
async def list_likes(user_id: int, page: Paging, request: Request, svc: Svc) -> Response:
    return page_answer(await svc.reads().user_likes(user_id, page), request, cursor="max_id")


@router.get(
    "/users/{user_id}/liked_tweets/",
    response_model=list[schemas.Tweet],
    summary="The tweets a user liked, newest like first",
    responses=errors(404, 422),
)
async def list_liked_tweets(user_id: int, page: Paging, request: Request, svc: Svc) -> Response:
    liked = await svc.reads().liked_tweets(user_id, page)
    return page_answer(liked, request, cursor="max_id", items=[c.tweet for c in liked.items])


@router.get(
    "/tweets/{tweet_id}/liking_users",
    response_model=list[schemas.User],
    summary="The users who liked a tweet, newest like first",
    responses=errors(404, 422),
)
async def list_liking_users(tweet_id: int, page: Paging, request: Request, svc: Svc) -> Response:
    return page_answer(await svc.reads().liking_users(tweet_id, page), request, cursor="max_id")
