from typing import Annotated

from fastapi import Form, Request, Response

from twitter.adapters.driving import client_address, run
from twitter.adapters.http.dependencies import BearerToken, Svc
from twitter.adapters.http.routing import Router, errors
from twitter.adapters.http.schemas import AccessToken
from twitter.application import commands

router = Router(tags=["auth"])


@router.post(
    "/token",
    response_model=AccessToken,
    summary="Log in: trade an email or username and a password for a bearer token",
    responses=errors(401, 422, 429),
)
async def login(
    request: Request,
    username: Annotated[
        str, Form(description="The email or the username.", examples=["ada@example.com"])
    ],
    password: Annotated[str, Form(examples=["correct horse"])],
    svc: Svc,
    grant_type: Annotated[  # noqa: ARG001 - validated by FastAPI, nothing more to do
        str | None, Form(pattern="^password$", description="OAuth2: 'password' or absent.")
    ] = None,
) -> AccessToken:
    """An OAuth2 password form, as Swagger UI's **Authorize** button sends it.

    Attempts are limited per client address, per client on one login and per login
    in a time window; past a limit the answer is 429 with `Retry-After`, before any
    password is checked.
    """
    client = client_address(request)
    command = commands.LoginAttempt(login=username, password=password, client=client)
    token = await run(svc.authenticate(), command)
    return AccessToken(access_token=token)


@router.post(
    "/token/revoke",
    status_code=204,
    response_class=Response,
    summary="Log out: this bearer token stops working, in every process",
    responses=errors(401),
)
async def revoke(token: BearerToken, svc: Svc) -> Response:
    """The token sent is refused from now on (401); the user's other tokens keep working.

    A token already revoked, expired or of a deleted account answers 401.
    """
    await run(svc.revoke_token(), token)
    return Response(status_code=204)
