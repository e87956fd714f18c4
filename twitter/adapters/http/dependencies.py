"""What routes share: the services, the authenticated user and the page a list asks for."""

from typing import Annotated

from fastapi import Depends, Query, Request
from fastapi.security import OAuth2PasswordBearer

from twitter.adapters.driving import Services, rate_limit, services
from twitter.application.pagination import DEFAULT_LIMIT, MAX_ID, MAX_LIMIT, PageRequest
from twitter.application.queries import AccountView
from twitter.domain.errors import AuthenticationFailed

bearer = OAuth2PasswordBearer(tokenUrl="token", auto_error=False)


async def app_services(request: Request) -> Services:
    """An ``async`` dependency: a plain one would cost a hop to a thread."""
    return services(request)


Svc = Annotated[Services, Depends(app_services)]


async def bearer_token(token: Annotated[str | None, Depends(bearer)]) -> str:
    """The request's bearer token, which must be there (401 otherwise)."""
    if not token:
        raise AuthenticationFailed("Not authenticated")
    return token


async def current_user(
    request: Request, token: Annotated[str, Depends(bearer_token)], svc: Svc
) -> AccountView:
    """The token's user, whose writes are counted (see ``rate_limit``)."""
    user = await svc.identify_user()(token)
    await rate_limit(request, svc, user.id)
    return user


async def current_user_id(user: Annotated[AccountView, Depends(current_user)]) -> int:
    return user.id


async def optional_user_id(request: Request, svc: Svc) -> int | None:
    """The token's user where there is a token (401 for a bad one), else None. Read
    from the header itself: the route is public, and the OpenAPI document says so."""
    token = await bearer(request)
    if not token:
        return None
    user = await svc.identify_user()(token)
    await rate_limit(request, svc, user.id)
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
ViewerId = Annotated[int | None, Depends(optional_user_id)]
BearerToken = Annotated[str, Depends(bearer_token)]
CurrentUser = Annotated[AccountView, Depends(current_user)]
Paging = Annotated[PageRequest, Depends(page_request)]
