"""JWT access tokens: HS256 only, with expiry, issued-at and the user id as subject."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

import jwt

from twitter.domain.errors import InvalidToken

ALGORITHM = "HS256"
MIN_SECRET_BYTES = 32


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
                options={"require": ["exp", "iat", "sub"]},
            )
        except jwt.PyJWTError:
            raise InvalidToken() from None
        subject = claims["sub"]
        if not isinstance(subject, str) or not subject.isdecimal() or len(subject) > 19:
            raise InvalidToken()
        return int(subject)
