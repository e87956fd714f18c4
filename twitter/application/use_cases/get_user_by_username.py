from __future__ import annotations

from twitter.application.ports import UnitOfWork
from twitter.domain.errors import UserNotFound
from twitter.domain.model import User, is_valid_username


class GetUserByUsername:
    """Look a user up by handle, case-insensitively."""

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    def __call__(self, username: str) -> User:
        if not is_valid_username(username):
            raise UserNotFound()
        with self._uow as uow:
            user = uow.users.get_by_username(username)
        if user is None:
            raise UserNotFound()
        return user
