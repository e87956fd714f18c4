from fastapi import Request, Response

from twitter.adapters.driving import run
from twitter.adapters.http import schemas
from twitter.adapters.http.dependencies import ActorId, Paging, Svc
from twitter.adapters.http.responses import json_answer, tweets_answer
from twitter.adapters.http.routing import Router, errors
from twitter.application import commands
from twitter.domain.model import Tweet

router = Router(tags=["tweets"])


def _new_tweet(actor_id: int, owner_id: int, body: schemas.TweetCreate) -> commands.NewTweet:
    return commands.NewTweet(
        actor_id=actor_id,
        owner_id=owner_id,
        text=body.text,
        in_reply_to_id=body.reply.in_reply_to_tweet_id if body.reply else None,
        quote_tweet_id=body.quote_tweet_id,
    )


@router.post(
    "/users/{user_id}/tweets/",
    status_code=201,
    response_model=schemas.Tweet,
    summary="Post a tweet, reply or quote as this user (the token's own)",
    responses=errors(401, 403, 404, 422),
)
async def post_for_user(
    user_id: int,
    body: schemas.TweetCreate,
    actor_id: ActorId,
    svc: Svc,
) -> Tweet:
    return await run(svc.post_tweet(), _new_tweet(actor_id, user_id, body))


@router.post(
    "/tweets/",
    status_code=201,
    response_model=schemas.Tweet,
    summary="Post a tweet, reply or quote as the token's user",
    responses=errors(401, 404, 422),
)
async def post(
    body: schemas.TweetCreate,
    actor_id: ActorId,
    svc: Svc,
) -> Tweet:
    return await run(svc.post_tweet(), _new_tweet(actor_id, actor_id, body))


@router.get(
    "/tweets/",
    response_model=list[schemas.Tweet],
    summary="All tweets, newest first",
    responses=errors(422),
)
async def list_tweets(page: Paging, request: Request, svc: Svc) -> Response:
    return tweets_answer(await svc.reads().tweets(page), request)


@router.get(
    "/users/{user_id}/tweets/",
    response_model=list[schemas.Tweet],
    summary="A user's tweets, newest first",
    responses=errors(404, 422),
)
async def list_user_tweets(user_id: int, page: Paging, request: Request, svc: Svc) -> Response:
    return tweets_answer(await svc.reads().user_tweets(user_id, page), request)


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
    svc: Svc,
) -> Response:
    return tweets_answer(await svc.get_home_timeline()(actor_id, user_id, page), request)


@router.get(
    "/tweets/{tweet_id}",
    response_model=schemas.Tweet,
    summary="A tweet",
    responses=errors(404, 422),
)
async def get_tweet(tweet_id: int, svc: Svc) -> Response:
    return json_answer(await svc.reads().bare_tweet(tweet_id))


@router.delete(
    "/tweets/{tweet_id}",
    status_code=204,
    summary="Delete one's own tweet; its likes and retweets go with it, its replies stay",
    responses=errors(401, 403, 404, 422),
)
async def delete_tweet(
    tweet_id: int,
    actor_id: ActorId,
    svc: Svc,
) -> Response:
    await run(svc.delete_tweet(), commands.TweetRemoval(actor_id=actor_id, tweet_id=tweet_id))
    return Response(status_code=204)
