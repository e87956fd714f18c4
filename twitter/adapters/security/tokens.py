"""JWT access tokens: HS256 only, with expiry, issued-at and the user id as subject."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

import jwt

from twitter.domain.errors import InvalidToken

ALGORITHM = "HS256"
MIN_SECRET_BYTES = 32
CLOCK_SKEW = 30  # seconds a token's issue time may lie ahead of ours


class JwtTokenService:
    def __init__(self, *, secret: str, lifetime: timedelta, now: Callable[[], datetime]) -> None:
        if len(secret.encode()) < MIN_SECRET_BYTES:
            raise ValueError(f"the token secret must be at least {MIN_SECRET_BYTES} bytes")
        self._secret = secret
        self._lifetime = lifetime
        self._now = now

    def issue(self, user_id: int) -> str:
        issued = self._now()
        claims = {"sub": str(user_id), "iat": issued, "exp": issued + self._lifetime}
        return jwt.encode(claims, self._secret, algorithm=ALGORITHM)

    def user_id_of(self, token: str) -> int:
        try:
            claims = jwt.decode(
                token,
                self._secret,
                algorithms=[ALGORITHM],
                # Expiry is judged by the injected clock below, not PyJWT's own.
                options={
                    "require": ["exp", "iat", "sub"],
                    "verify_exp": False,
                    "verify_iat": False,
                },
            )
        except jwt.PyJWTError:
            raise InvalidToken() from None
        expires, issued = claims["exp"], claims["iat"]
        now = self._now().timestamp()
        if (
            not _is_number(expires)
            or not _is_number(issued)
            or not issued - CLOCK_SKEW <= now < expires
        ):
            raise InvalidToken()
        subject = claims["sub"]
        if not isinstance(subject, str) or not subject.isdecimal() or len(subject) > 19:
            raise InvalidToken()
        return int(subject)


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)
