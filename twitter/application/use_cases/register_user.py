from __future__ import annotations

from twitter.application import commands
from twitter.application.ports import Clock, PasswordHasher, UnitOfWork
from twitter.application.throttling import SignUpThrottle, count_attempt
from twitter.domain.errors import EmailAlreadyRegistered, TooManySignUps, UsernameTaken
from twitter.domain.model import (
    User,
    normalise_email,
    username_candidates,
    validate_password,
    validate_username,
)

USERNAME_ATTEMPTS = 50
"""How many derived usernames a sign-up tries when concurrent sign-ups keep taking them."""


class RegisterUser:
    """Sign up: a unique email, a unique (or derived) username, a hashed password.

    A taken email or chosen username is refused by a cheap read before the password is
    hashed; when a concurrent sign-up takes either in the meantime, the unique
    constraints refuse the insert with the same errors. A derived username
    that a concurrent sign-up takes between that check and the insert (the unique
    constraint refuses ours) is replaced by the next free candidate, in a fresh
    transaction, up to ``USERNAME_ATTEMPTS`` times.

    Sign-ups are counted per client (``SignUpThrottle``), in the login throttle's
    table, before anything is read or hashed; past the limit, ``TooManySignUps``."""

    def __init__(
        self,
        uow: UnitOfWork,
        hasher: PasswordHasher,
        clock: Clock,
        throttle: SignUpThrottle | None = None,
    ) -> None:
        self._uow = uow
        self._hasher = hasher
        self._clock = clock
        self._throttle = throttle or SignUpThrottle()

    def __call__(self, command: commands.Registration) -> User:
        email = normalise_email(command.email)
        chosen = None if command.username is None else validate_username(command.username)
        password = validate_password(command.password)
        throttle = self._throttle
        allowances = throttle.allowances(command.client)
        # In a transaction of its own, before any hashing.
        count_attempt(self._uow, self._clock.now(), throttle, allowances, TooManySignUps)
        with self._uow as uow:  # refuse what is taken before the slow hash
            self._refuse_taken(uow, email, chosen)
        # Hash outside any transaction: it is slow and needs no connection.
        hashed = self._hasher.hash(password)
        lost: set[str] = set()  # derived usernames concurrent sign-ups took from us
        for _ in range(USERNAME_ATTEMPTS):
            try:
                return self._store(email, chosen, hashed, lost)
            except UsernameTaken:
                if chosen is not None:
                    raise
        raise UsernameTaken()

    def _store(self, email: str, chosen: str | None, hashed: str, lost: set[str]) -> User:
        with self._uow as uow:
            username = chosen or next(
                name
                for name in username_candidates(email)
                if name.lower() not in lost and uow.users.get_by_username(name) is None
            )
            user = User.register(
                email=email, username=username, hashed_password=hashed, created_at=self._clock.now()
            )
            try:
                uow.users.add(user)
            except UsernameTaken:
                lost.add(username.lower())
                raise
            uow.commit()
        return user

    @staticmethod
    def _refuse_taken(uow: UnitOfWork, email: str, chosen: str | None) -> None:
        if uow.users.get_by_email(email) is not None:
            raise EmailAlreadyRegistered()
        if chosen is not None and uow.users.get_by_username(chosen) is not None:
            raise UsernameTaken()
