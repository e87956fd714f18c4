from typing import Annotated

from fastapi import Request, Response

from twitter.adapters.http import schemas
from twitter.adapters.http.dependencies import ActorId, Paging, run, use_case
from twitter.adapters.http.pagination import with_next_link
from twitter.adapters.http.routing import Router, errors
from twitter.application import commands
from twitter.application.use_cases import (
    DeleteTweet,
    GetHomeTimeline,
    GetTweet,
    ListTweets,
    ListUserTweets,
    PostTweet,
)
from twitter.domain.model import Tweet

router = Router(tags=["tweets"])


@router.post(
    "/users/{user_id}/tweets/",
    status_code=201,
    response_model=schemas.Tweet,
    summary="Post a tweet as this user (the token's own)",
    responses=errors(401, 403, 404, 422),
)
async def post_for_user(
    user_id: int,
    body: schemas.TweetCreate,
    actor_id: ActorId,
    post_tweet: Annotated[PostTweet, use_case("post_tweet")],
) -> Tweet:
    return await run(
        post_tweet, commands.PostTweet(actor_id=actor_id, owner_id=user_id, text=body.text)
    )


@router.post(
    "/tweets/",
    status_code=201,
    response_model=schemas.Tweet,
    summary="Post a tweet as the token's user",
    responses=errors(401, 422),
)
async def post(
    body: schemas.TweetCreate,
    actor_id: ActorId,
    post_tweet: Annotated[PostTweet, use_case("post_tweet")],
) -> Tweet:
    return await run(
        post_tweet, commands.PostTweet(actor_id=actor_id, owner_id=actor_id, text=body.text)
    )


@router.get(
    "/tweets/",
    response_model=list[schemas.Tweet],
    summary="All tweets, newest first",
    responses=errors(422),
)
async def list_tweets(
    page: Paging,
    request: Request,
    response: Response,
    list_tweets: Annotated[ListTweets, use_case("list_tweets")],
) -> list[Tweet]:
    return with_next_link(await run(list_tweets, page), request, response, cursor="max_id")


@router.get(
    "/users/{user_id}/tweets/",
    response_model=list[schemas.Tweet],
    summary="A user's tweets, newest first",
    responses=errors(404, 422),
)
async def list_user_tweets(
    user_id: int,
    page: Paging,
    request: Request,
    response: Response,
    list_user_tweets: Annotated[ListUserTweets, use_case("list_user_tweets")],
) -> list[Tweet]:
    return with_next_link(
        await run(list_user_tweets, user_id, page), request, response, cursor="max_id"
    )


@router.get(
    "/users/{user_id}/timeline",
    response_model=list[schemas.Tweet],
    summary="Home timeline: one's own tweets and those of the people one follows",
    responses=errors(401, 403, 404, 422),
)
async def home_timeline(
    user_id: int,
    actor_id: ActorId,
    page: Paging,
    request: Request,
    response: Response,
    get_home_timeline: Annotated[GetHomeTimeline, use_case("get_home_timeline")],
) -> list[Tweet]:
    timeline = await run(get_home_timeline, actor_id, user_id, page)
    return with_next_link(timeline, request, response, cursor="max_id")


@router.get(
    "/tweets/{tweet_id}",
    response_model=schemas.Tweet,
    summary="A tweet",
    responses=errors(404, 422),
)
async def get_tweet(tweet_id: int, get_tweet: Annotated[GetTweet, use_case("get_tweet")]) -> Tweet:
    return await run(get_tweet, tweet_id)


@router.delete(
    "/tweets/{tweet_id}",
    status_code=204,
    summary="Delete one's own tweet; its likes go with it",
    responses=errors(401, 403, 404, 422),
)
async def delete_tweet(
    tweet_id: int,
    actor_id: ActorId,
    delete_tweet: Annotated[DeleteTweet, use_case("delete_tweet")],
) -> Response:
    await run(delete_tweet, commands.DeleteTweet(actor_id=actor_id, tweet_id=tweet_id))
    return Response(status_code=204)
