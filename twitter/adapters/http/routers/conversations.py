"""Retweets, quotes, threads, hashtags and mentions."""

from typing import Annotated

from fastapi import Path, Request, Response

from twitter.adapters.driving import run
from twitter.adapters.http import schemas
from twitter.adapters.http.dependencies import ActorId, Paging, Svc
from twitter.adapters.http.responses import json_answer, page_answer, tweets_answer
from twitter.adapters.http.routing import Router, errors
from twitter.application import commands
from twitter.domain.model import TWEET_MAX_LENGTH, Tweet

router = Router(tags=["conversations"])


@router.post(
    "/users/{user_id}/retweets",
    status_code=201,
    response_model=schemas.Tweet,
    summary="Retweet a tweet as this user (the token's own); a retweet's original is retweeted",
    responses=errors(400, 401, 403, 404, 422),
)
async def retweet(user_id: int, body: schemas.RetweetCreate, actor_id: ActorId, svc: Svc) -> Tweet:
    command = commands.NewRetweet(actor_id=actor_id, user_id=user_id, tweet_id=body.tweet_id)
    return await run(svc.retweet_tweet(), command)


@router.delete(
    "/users/{user_id}/retweets/{tweet_id}",
    status_code=204,
    summary="Take a retweet back",
    responses=errors(401, 403, 404, 422),
)
async def undo_retweet(user_id: int, tweet_id: int, actor_id: ActorId, svc: Svc) -> Response:
    command = commands.RetweetRemoval(actor_id=actor_id, user_id=user_id, tweet_id=tweet_id)
    await run(svc.undo_retweet(), command)
    return Response(status_code=204)


@router.get(
    "/tweets/{tweet_id}/retweeted_by",
    response_model=list[schemas.User],
    summary="The users who retweeted a tweet, newest retweet first",
    responses=errors(404, 422),
)
async def retweeted_by(tweet_id: int, page: Paging, request: Request, svc: Svc) -> Response:
    return page_answer(await svc.reads().retweeted_by(tweet_id, page), request, cursor="max_id")


@router.get(
    "/tweets/{tweet_id}/quote_tweets",
    response_model=list[schemas.Tweet],
    summary="The tweets quoting a tweet, newest first",
    responses=errors(404, 422),
)
async def quote_tweets(tweet_id: int, page: Paging, request: Request, svc: Svc) -> Response:
    return tweets_answer(await svc.reads().quote_tweets(tweet_id, page), request)


@router.get(
    "/tweets/{tweet_id}/context",
    response_model=schemas.Context,
    summary="A tweet's thread: its parents up to the first tweet, and every reply below it",
    responses=errors(404, 422),
)
async def context(tweet_id: int, svc: Svc) -> Response:
    thread = await svc.reads().context(tweet_id)
    return json_answer(
        {
            "ancestors": [card.tweet for card in thread.ancestors],
            "descendants": [reply.card.tweet for reply in thread.descendants],
        }
    )


Tag = Annotated[
    str,
    Path(
        min_length=1,
        max_length=TWEET_MAX_LENGTH,
        description="With or without the #; any letter case.",
        examples=["python"],
    ),
]


@router.get(
    "/tags/{tag}/tweets",
    response_model=list[schemas.Tweet],
    summary="The tweets carrying a hashtag, newest first",
    responses=errors(422),
)
async def tagged(tag: Tag, page: Paging, request: Request, svc: Svc) -> Response:
    tag = tag.removeprefix("#").removeprefix("\uff03")
    return tweets_answer(await svc.reads().tagged_tweets(tag, page), request)


@router.get(
    "/users/{user_id}/mentions",
    response_model=list[schemas.Tweet],
    summary="The tweets mentioning a user, newest first",
    responses=errors(404, 422),
)
async def mentions(user_id: int, page: Paging, request: Request, svc: Svc) -> Response:
    return tweets_answer(await svc.reads().mentions(user_id, page), request)
