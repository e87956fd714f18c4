from typing import Annotated

from fastapi import Form, Request

from twitter.adapters.http.dependencies import run, use_case
from twitter.adapters.http.routing import Router, errors
from twitter.adapters.http.schemas import AccessToken
from twitter.application import commands
from twitter.application.use_cases import Authenticate

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
    authenticate: Annotated[Authenticate, use_case("authenticate")],
    grant_type: Annotated[  # noqa: ARG001 - validated by FastAPI, nothing more to do
        str | None, Form(pattern="^password$", description="OAuth2: 'password' or absent.")
    ] = None,
) -> AccessToken:
    """An OAuth2 password form, as Swagger UI's **Authorize** button sends it.

    Attempts are limited per client address, per client on one login and per login
    in a time window; past a limit the answer is 429 with `Retry-After`, before any
    password is checked.
    """
    client = request.client.host if request.client else None
    token = await run(
        authenticate, commands.Authenticate(login=username, password=password, client=client)
    )
    return AccessToken(access_token=token)
