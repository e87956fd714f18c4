from __future__ import annotations

from twitter.application import commands
from twitter.application.ports import Clock, PasswordHasher, UnitOfWork
from twitter.domain.errors import EmailAlreadyRegistered, UsernameTaken
from twitter.domain.model import (
    User,
    normalise_email,
    username_candidates,
    validate_password,
    validate_username,
)


class RegisterUser:
    """Sign up: a unique email, a unique (or derived) username, a hashed password."""

    def __init__(self, uow: UnitOfWork, hasher: PasswordHasher, clock: Clock) -> None:
        self._uow = uow
        self._hasher = hasher
        self._clock = clock

    def __call__(self, command: commands.RegisterUser) -> User:
        email = normalise_email(command.email)
        chosen = None if command.username is None else validate_username(command.username)
        # Hash before the transaction opens: it is slow and needs no connection.
        hashed = self._hasher.hash(validate_password(command.password))
        with self._uow as uow:
            if uow.users.get_by_email(email) is not None:
                raise EmailAlreadyRegistered()
            if chosen is not None and uow.users.get_by_username(chosen) is not None:
                raise UsernameTaken()
            username = chosen or next(
                name
                for name in username_candidates(email)
                if uow.users.get_by_username(name) is None
            )
            user = User.register(
                email=email, username=username, hashed_password=hashed, created_at=self._clock.now()
            )
            uow.users.add(user)
            uow.commit()
        return user
