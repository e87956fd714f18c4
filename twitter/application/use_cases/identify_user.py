from __future__ import annotations

from twitter.application.ports import TokenService, UnitOfWork
from twitter.domain.errors import InvalidToken
from twitter.domain.model import User


class IdentifyUser:
    """The user an access token speaks for; InvalidToken if it is bad, revoked, or the
    user is gone (one read answers both of the last two)."""

    def __init__(self, uow: UnitOfWork, tokens: TokenService) -> None:
        self._uow = uow
        self._tokens = tokens

    def __call__(self, token: str) -> User:
        claims = self._tokens.read(token)
        with self._uow as uow:
            user = uow.users.get_unless_revoked(claims.user_id, claims.token_id)
        if user is None:
            raise InvalidToken()
        return user
