from typing import Annotated

from fastapi import Query, Request, Response

from twitter.adapters.driving import run
from twitter.adapters.http import schemas
from twitter.adapters.http.dependencies import ActorId, Paging, Svc
from twitter.adapters.http.responses import page_answer
from twitter.adapters.http.routing import Router, errors
from twitter.application import commands

router = Router(tags=["notifications"])


@router.get(
    "/users/{user_id}/notifications",
    response_model=list[schemas.Notification],
    summary="One's own notifications, newest first",
    responses=errors(401, 403, 404, 422),
)
async def list_notifications(
    user_id: int,
    actor_id: ActorId,
    page: Paging,
    request: Request,
    svc: Svc,
    unread: Annotated[bool, Query(description="Only the unread ones.")] = False,
) -> Response:
    found = await svc.list_notifications()(actor_id, user_id, page, unread_only=unread)
    return page_answer(found, request, cursor="max_id")


@router.post(
    "/users/{user_id}/notifications/read",
    status_code=204,
    summary="Mark one's notifications up to max_id read",
    responses=errors(401, 403, 422),
)
async def mark_read(
    user_id: int, body: schemas.NotificationsRead, actor_id: ActorId, svc: Svc
) -> Response:
    command = commands.NotificationsRead(actor_id=actor_id, user_id=user_id, max_id=body.max_id)
    await run(svc.mark_notifications_read(), command)
    return Response(status_code=204)
