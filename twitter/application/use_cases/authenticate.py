from __future__ import annotations

from twitter.application import commands
from twitter.application.ports import Clock, PasswordHasher, TokenService, UnitOfWork
from twitter.application.throttling import Allowance, LoginThrottle, count_attempt
from twitter.domain.errors import InvalidCredentials, InvalidInput, TooManyAttempts
from twitter.domain.model import User, is_valid_username, normalise_email, validate_password


class Authenticate:
    """Log in with an email or a username; answers an access token.

    An unknown login and a wrong password fail the same way and take about the
    same time. Attempts are counted per client, per client on the login and per
    login (see ``LoginThrottle``) before any password is checked; past a limit they
    are refused until its window ends.
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

    def __call__(self, command: commands.LoginAttempt) -> str:
        allowances = self._throttle.allowances(command.login, command.client)
        self._count_attempt(allowances)
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
            for allowance in allowances:  # in counting order, the lock order
                if allowance.cleared_by_success:
                    uow.login_attempts.forget(allowance.key)
                else:
                    uow.login_attempts.refund(allowance.key)
            uow.commit()
            assert user.id is not None
            return self._tokens.issue(
                user.id, scopes=command.scopes, app_id=command.app_id, lifetime=command.lifetime
            )

    def _count_attempt(self, allowances: list[Allowance]) -> None:
        """Count this attempt (see ``count_attempt``); past a limit, ``TooManyAttempts``."""
        count_attempt(self._uow, self._clock.now(), self._throttle, allowances, TooManyAttempts)

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
