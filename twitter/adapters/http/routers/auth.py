from typing import Annotated

from dependency_injector.wiring import Provide, inject
from fastapi import Depends
from fastapi.security import OAuth2PasswordRequestForm

from twitter.adapters.http.routing import Router, errors
from twitter.adapters.http.schemas import AccessToken
from twitter.application import commands
from twitter.application.use_cases import Authenticate

router = Router(tags=["auth"])


@router.post(
    "/token",
    response_model=AccessToken,
    summary="Log in: trade an email or username and a password for a bearer token",
    responses=errors(401, 422),
)
@inject
def login(
    form: Annotated[OAuth2PasswordRequestForm, Depends()],
    authenticate: Annotated[Authenticate, Depends(Provide["authenticate"])],
) -> AccessToken:
    token = authenticate(commands.Authenticate(login=form.username, password=form.password))
    return AccessToken(access_token=token)
