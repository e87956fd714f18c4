from fastapi import Request, Response

from twitter.adapters.driving import run
from twitter.adapters.http import schemas
from twitter.adapters.http.dependencies import ActorId, Paging, Svc
from twitter.adapters.http.responses import tweets_answer
from twitter.adapters.http.routing import Router, errors
from twitter.application import commands
from twitter.domain.model import Bookmark

router = Router(tags=["bookmarks"])


@router.post(
    "/users/{user_id}/bookmarks",
    status_code=201,
    response_model=schemas.Bookmark,
    summary="Bookmark a tweet (a retweet's original); private, nobody is notified",
    responses=errors(400, 401, 403, 404, 422),
)
async def bookmark(
    user_id: int,
    body: schemas.BookmarkCreate,
    actor_id: ActorId,
    svc: Svc,
) -> Bookmark:
    command = commands.BookmarkChange(actor_id=actor_id, user_id=user_id, tweet_id=body.tweet_id)
    return await run(svc.bookmark_tweet(), command)


@router.delete(
    "/users/{user_id}/bookmarks/{tweet_id}",
    status_code=204,
    summary="Remove a bookmark",
    responses=errors(401, 403, 404, 422),
)
async def remove_bookmark(
    user_id: int,
    tweet_id: int,
    actor_id: ActorId,
    svc: Svc,
) -> Response:
    command = commands.BookmarkChange(actor_id=actor_id, user_id=user_id, tweet_id=tweet_id)
    await run(svc.remove_bookmark(), command)
    return Response(status_code=204)


@router.get(
    "/users/{user_id}/bookmarks",
    response_model=list[schemas.Tweet],
    summary="One's own bookmarked tweets, newest bookmark first",
    responses=errors(401, 403, 404, 422),
)
async def list_bookmarks(
    user_id: int, actor_id: ActorId, page: Paging, request: Request, svc: Svc
) -> Response:
    return tweets_answer(await svc.list_bookmarks()(actor_id, user_id, page), request)
