from __future__ import annotations

from twitter.application import commands
from twitter.application.ports import PasswordHasher, TokenService, UnitOfWork
from twitter.domain.errors import InvalidCredentials, InvalidInput
from twitter.domain.model import User, is_valid_username, normalise_email, validate_password


class Authenticate:
    """Log in with an email or a username; answers an access token.

    An unknown login and a wrong password fail the same way and take about the
    same time. A hash made with outdated parameters is replaced on success.
    """

    def __init__(self, uow: UnitOfWork, hasher: PasswordHasher, tokens: TokenService) -> None:
        self._uow = uow
        self._hasher = hasher
        self._tokens = tokens

    def __call__(self, command: commands.Authenticate) -> str:
        try:
            password = validate_password(command.password)
        except InvalidInput:
            raise InvalidCredentials() from None
        with self._uow as uow:
            user = self._find(uow, command.login)
            if user is None:
                self._hasher.burn(password)
                raise InvalidCredentials()
            if not self._hasher.verify(user.hashed_password, password):
                raise InvalidCredentials()
            if self._hasher.needs_rehash(user.hashed_password):
                user.hashed_password = self._hasher.hash(password)
                uow.commit()
            assert user.id is not None
            return self._tokens.issue(user.id)

    @staticmethod
    def _find(uow: UnitOfWork, login: str) -> User | None:
        login = login.strip()
        if "@" in login:
            try:
                return uow.users.get_by_email(normalise_email(login))
            except InvalidInput:
                return None
        if is_valid_username(login):
            return uow.users.get_by_username(login)
        return None
