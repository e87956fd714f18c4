"""Who is asking, and whether their token's scopes allow it."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from fastapi import Request

from twitter.adapters.driving import rate_limit, services
from twitter.application.queries import AccountView
from twitter.domain.errors import AuthenticationFailed, Forbidden, InvalidInput
from twitter.domain.oauth import covers


class ScopeMissing(Forbidden):
    def __init__(self) -> None:
        super().__init__("This action is outside the authorized scopes")


def bearer_of(request: Request) -> str:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise AuthenticationFailed("The access token is invalid")
    return token.strip()


def app_token(request: Request) -> bool:
    """Whether the request carries an app's own token (client credentials), which
    names no user: it reads what anybody may, and writes nothing."""
    tokens = services(request).token_service()
    token = bearer_of(request)
    try:
        tokens.read(token)
    except AuthenticationFailed:
        try:
            return tokens.app_of(token) is not None
        except AuthenticationFailed:
            return False
    return False


def scoped(scope: str) -> Callable[[Request], Awaitable[AccountView]]:
    """A dependency: the token's user, when its scopes cover ``scope`` (the service's
    own tokens cover everything); 401 without a valid token, 403 outside the scopes.
    The request is counted against the user's writes, as on the JSON API."""

    async def user(request: Request) -> AccountView:
        token = bearer_of(request)
        svc = services(request)
        if app_token(request):
            raise InvalidInput("authorization", "This method requires an authenticated user")
        claims = svc.token_service().read(token)
        if claims.scopes is not None and not covers(claims.scopes, scope):
            raise ScopeMissing()
        account = await svc.identify_user()(token)
        await rate_limit(request, svc, account.id)
        return account

    return user
