from __future__ import annotations

from twitter.application.ports import TokenService, UnitOfWork
from twitter.domain.errors import InvalidToken
from twitter.domain.model import User


class IdentifyUser:
    """The user an access token speaks for; InvalidToken if it is bad or the user is gone."""

    def __init__(self, uow: UnitOfWork, tokens: TokenService) -> None:
        self._uow = uow
        self._tokens = tokens

    def __call__(self, token: str) -> User:
        user_id = self._tokens.user_id_of(token)
        with self._uow as uow:
            user = uow.users.get(user_id)
        if user is None:
            raise InvalidToken()
        return user
