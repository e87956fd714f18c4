from typing import Annotated

from fastapi import Request, Response

from twitter.adapters.http import schemas
from twitter.adapters.http.dependencies import ActorId, Paging, run, use_case
from twitter.adapters.http.pagination import with_next_link
from twitter.adapters.http.routing import Router, errors
from twitter.application import commands
from twitter.application.use_cases import (
    LikeTweet,
    ListLikedTweets,
    ListLikingUsers,
    ListUserLikes,
    UnlikeTweet,
)
from twitter.domain.model import Like, Tweet, User

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
    like_tweet: Annotated[LikeTweet, use_case("like_tweet")],
) -> Like:
    return await run(
        like_tweet, commands.LikeTweet(actor_id=actor_id, user_id=user_id, tweet_id=body.tweet_id)
    )


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
    unlike_tweet: Annotated[UnlikeTweet, use_case("unlike_tweet")],
) -> Response:
    await run(
        unlike_tweet, commands.UnlikeTweet(actor_id=actor_id, user_id=user_id, tweet_id=tweet_id)
    )
    return Response(status_code=204)


@router.get(
    "/users/{user_id}/likes/",
    response_model=list[schemas.Like],
    summary="A user's likes, newest first",
    responses=errors(404, 422),
)
async def list_likes(
    user_id: int,
    page: Paging,
    request: Request,
    response: Response,
    list_user_likes: Annotated[ListUserLikes, use_case("list_user_likes")],
) -> list[Like]:
    return with_next_link(
        await run(list_user_likes, user_id, page), request, response, cursor="max_id"
    )


@router.get(
    "/users/{user_id}/liked_tweets/",
    response_model=list[schemas.Tweet],
    summary="The tweets a user liked, newest like first",
    responses=errors(404, 422),
)
async def list_liked_tweets(
    user_id: int,
    page: Paging,
    request: Request,
    response: Response,
    list_liked_tweets: Annotated[ListLikedTweets, use_case("list_liked_tweets")],
) -> list[Tweet]:
    return with_next_link(
        await run(list_liked_tweets, user_id, page), request, response, cursor="max_id"
    )


@router.get(
    "/tweets/{tweet_id}/liking_users",
    response_model=list[schemas.User],
    summary="The users who liked a tweet, newest like first",
    responses=errors(404, 422),
)
async def list_liking_users(
    tweet_id: int,
    page: Paging,
    request: Request,
    response: Response,
    list_liking_users: Annotated[ListLikingUsers, use_case("list_liking_users")],
) -> list[User]:
    return with_next_link(
        await run(list_liking_users, tweet_id, page), request, response, cursor="max_id"
    )
