"""What routes share: the authenticated user and the page a list asks for."""

from typing import Annotated

from dependency_injector.wiring import Provide, inject
from fastapi import Depends, Query
from fastapi.security import OAuth2PasswordBearer

from twitter.application.pagination import DEFAULT_LIMIT, MAX_ID, MAX_LIMIT, PageRequest
from twitter.application.use_cases import IdentifyUser
from twitter.domain.errors import AuthenticationFailed
from twitter.domain.model import User

bearer = OAuth2PasswordBearer(tokenUrl="token", auto_error=False)


@inject
def current_user(
    token: Annotated[str | None, Depends(bearer)],
    identify_user: Annotated[IdentifyUser, Depends(Provide["identify_user"])],
) -> User:
    if not token:
        raise AuthenticationFailed("Not authenticated")
    return identify_user(token)


def current_user_id(user: Annotated[User, Depends(current_user)]) -> int:
    assert user.id is not None
    return user.id


def page_request(
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
CurrentUser = Annotated[User, Depends(current_user)]
Paging = Annotated[PageRequest, Depends(page_request)]
