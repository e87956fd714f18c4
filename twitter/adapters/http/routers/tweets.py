from fastapi import Request, Response

from twitter.adapters.driving import run
from twitter.adapters.http import schemas
from twitter.adapters.http.dependencies import ActorId, Paging, Svc
from twitter.adapters.http.responses import json_answer, page_answer
from twitter.adapters.http.routing import Router, errors
from twitter.application import commands
from twitter.application.pagination import Page
from twitter.application.queries import TweetCard
from twitter.domain.model import Tweet

router = Router(tags=["tweets"])


def _tweets_answer(page: Page[TweetCard], request: Request) -> Response:
    return page_answer(page, request, cursor="max_id", items=[card.tweet for card in page.items])


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
    svc: Svc,
) -> Tweet:
    command = commands.NewTweet(actor_id=actor_id, owner_id=user_id, text=body.text)
    return await run(svc.post_tweet(), command)


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
    svc: Svc,
) -> Tweet:
    command = commands.NewTweet(actor_id=actor_id, owner_id=actor_id, text=body.text)
    return await run(svc.post_tweet(), command)


@router.get(
    "/tweets/",
    response_model=list[schemas.Tweet],
    summary="All tweets, newest first",
    responses=errors(422),
)
async def list_tweets(page: Paging, request: Request, svc: Svc) -> Response:
    return _tweets_answer(await svc.reads().tweets(page), request)


@router.get(
    "/users/{user_id}/tweets/",
    response_model=list[schemas.Tweet],
    summary="A user's tweets, newest first",
    responses=errors(404, 422),
)
async def list_user_tweets(user_id: int, page: Paging, request: Request, svc: Svc) -> Response:
    return _tweets_answer(await svc.reads().user_tweets(user_id, page), request)


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
    return _tweets_answer(await svc.get_home_timeline()(actor_id, user_id, page), request)


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
    summary="Delete one's own tweet; its likes go with it",
    responses=errors(401, 403, 404, 422),
)
async def delete_tweet(
    tweet_id: int,
    actor_id: ActorId,
    svc: Svc,
) -> Response:
    await run(svc.delete_tweet(), commands.TweetRemoval(actor_id=actor_id, tweet_id=tweet_id))
    return Response(status_code=204)
