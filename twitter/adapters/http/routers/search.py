from typing import Annotated

from fastapi import Query, Request, Response

from twitter.adapters.http import schemas
from twitter.adapters.http.dependencies import Paging, Svc, ViewerId
from twitter.adapters.http.responses import json_answer, tweets_answer
from twitter.adapters.http.routing import Router, errors
from twitter.application.pagination import DEFAULT_LIMIT, MAX_LIMIT

router = Router(tags=["search"])

Words = Annotated[
    str,
    Query(
        description="Words a tweet must all hold, in any case and with or without accents.",
        examples=["café latte"],
    ),
]


@router.get(
    "/search/tweets",
    response_model=list[schemas.Tweet],
    summary="Tweets holding every word of q, newest first",
    responses=errors(401, 422),
)
async def search_tweets(
    q: Words, page: Paging, request: Request, svc: Svc, viewer_id: ViewerId
) -> Response:
    return tweets_answer(await svc.search_tweets()(q, page, viewer_id), request)


@router.get(
    "/search/users",
    response_model=list[schemas.User],
    summary="Users whose username starts with q (an @ allowed), shortest first",
    responses=errors(422),
)
async def search_users(
    q: Annotated[str, Query(description="The start of a username.", examples=["ada"])],
    svc: Svc,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description="At most this many.")] = (
        DEFAULT_LIMIT
    ),
) -> Response:
    return json_answer(await svc.search_users()(q, limit))
