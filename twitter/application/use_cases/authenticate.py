from __future__ import annotations

import math
from datetime import datetime

from twitter.application import commands
from twitter.application.ports import Clock, PasswordHasher, TokenService, UnitOfWork
from twitter.application.throttling import LoginThrottle, account_key, client_key
from twitter.domain.errors import InvalidCredentials, InvalidInput, TooManyAttempts
from twitter.domain.model import User, is_valid_username, normalise_email, validate_password


class Authenticate:
    """Log in with an email or a username; answers an access token.

    An unknown login and a wrong password fail the same way and take about the
    same time. Attempts are counted per login and per client before any password
    is checked; past the throttle's limits they are refused until the window ends.
    A hash made with outdated parameters is replaced on success.
    """

    def __init__(
        self,
        uow: UnitOfWork,
        hasher: PasswordHasher,
        tokens: TokenService,
        clock: Clock,
        throttle: LoginThrottle | None = None,
    ) -> None:
        self._uow = uow
        self._hasher = hasher
        self._tokens = tokens
        self._clock = clock
        self._throttle = throttle or LoginThrottle()

    def __call__(self, command: commands.Authenticate) -> str:
        limits = {account_key(command.login): self._throttle.per_account}
        if command.client is not None:
            limits[client_key(command.client)] = self._throttle.per_client
        self._count_attempt(limits)
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
            account, *client = limits
            uow.login_attempts.forget(account)
            for key in client:
                uow.login_attempts.refund(key)
            uow.commit()
            assert user.id is not None
            return self._tokens.issue(user.id)

    def _count_attempt(self, limits: dict[str, int]) -> None:
        """Count this attempt under each key (in its own transaction, so that concurrent
        attempts see it); raises ``TooManyAttempts`` when a key is over its limit."""
        now = self._clock.now()
        window = self._throttle.window
        blocked_until: datetime | None = None
        with self._uow as uow:
            for key, limit in limits.items():  # always the account first: one lock order
                attempts, started_at = uow.login_attempts.count(key, now, window)
                if attempts > limit:
                    blocked_until = max(blocked_until or now, started_at + window)
            uow.login_attempts.prune(now - window)
            uow.commit()
        if blocked_until is not None:
            wait = (blocked_until - now).total_seconds()
            raise TooManyAttempts(retry_after_seconds=max(1, math.ceil(wait)))

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
