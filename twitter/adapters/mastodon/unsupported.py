"""What Mastodon apps can ask for and this service has no notion of: refused with 422
and the reason, so that an app shows an error instead of a silent loss."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends

from twitter.adapters.mastodon.auth import scoped
from twitter.adapters.mastodon.routing import both
from twitter.application.queries import AccountView
from twitter.domain.errors import InvalidInput

router = APIRouter()

Uploader = Annotated[AccountView, Depends(scoped("write:media"))]
Editor = Annotated[AccountView, Depends(scoped("write:statuses"))]


@both(router, "/v1/media", ["POST"])
@both(router, "/v2/media", ["POST"])
async def upload_media(_: Uploader) -> None:
    raise InvalidInput("file", "Media attachments are not supported here")


@both(router, "/v1/statuses/{status_id}", ["PUT"])
async def edit_status(_: Editor) -> None:
    raise InvalidInput("status", "Editing statuses is not supported here")


@both(router, "/v1/polls/{poll_id}/votes", ["POST"])
async def vote(_: Editor) -> None:
    raise InvalidInput("choices", "Polls are not supported here")
