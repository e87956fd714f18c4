"""What routes share: the authenticated user and the page a list asks for."""

from typing import Annotated, Any

from fastapi import Depends, Query, Request
from fastapi.security import OAuth2PasswordBearer
from starlette.concurrency import run_in_threadpool

from twitter.application.pagination import DEFAULT_LIMIT, MAX_ID, MAX_LIMIT, PageRequest
from twitter.application.use_cases import IdentifyUser
from twitter.domain.errors import AuthenticationFailed
from twitter.domain.model import User

bearer = OAuth2PasswordBearer(tokenUrl="token", auto_error=False)


run = run_in_threadpool
"""Run a use case off the event loop: routes are ``async`` and hop to a thread once."""


def use_case(name: str) -> Any:
    """A use case from the container the app was built with (``app.state.container``).

    Resolved per request, so overriding a provider of the container takes effect
    at once; an ``async`` resolver, so that it costs no hop to a thread.
    """

    async def resolve(request: Request) -> Any:
        return getattr(request.app.state.container, name)()

    return Depends(resolve)


async def bearer_token(token: Annotated[str | None, Depends(bearer)]) -> str:
    """The request's bearer token, which must be there (401 otherwise)."""
    if not token:
        raise AuthenticationFailed("Not authenticated")
    return token


async def current_user(
    token: Annotated[str, Depends(bearer_token)],
    identify_user: Annotated[IdentifyUser, use_case("identify_user")],
) -> User:
    return await run(identify_user, token)


async def current_user_id(user: Annotated[User, Depends(current_user)]) -> int:
    assert user.id is not None
    return user.id


async def page_request(
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Items per page.")] = DEFAULT_LIMIT,
    skip: Annotated[int, Query(ge=0, le=MAX_ID, description="Items to skip (offset).")] = 0,
    max_id: Annotated[
        int | None, Query(ge=0, le=MAX_ID, description="Only items with a cursor below this.")
    ] = None,
    since_id: Annotated[
        int | None, Query(ge=0, le=MAX_ID, description="Only items with a cursor above this.")
    ] = None,
) -> PageRequest:
    return PageRequest(limit=limit, skip=skip, max_id=max_id, since_id=since_id)


ActorId = Annotated[int, Depends(current_user_id)]
BearerToken = Annotated[str, Depends(bearer_token)]
CurrentUser = Annotated[User, Depends(current_user)]
Paging = Annotated[PageRequest, Depends(page_request)]
