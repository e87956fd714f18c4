"""JWT access tokens: HS256 only, with expiry, issued-at, the user id as subject and a
random id (``jti``) that a revocation names."""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt

from twitter.application.ports import TokenClaims
from twitter.domain.errors import InvalidToken

ALGORITHM = "HS256"
MIN_SECRET_BYTES = 32
CLOCK_SKEW = 30  # seconds a token's issue time may lie ahead of ours
TOKEN_ID_BYTES = 16
_TOKEN_ID = re.compile(r"[A-Za-z0-9_-]{22}")  # token_urlsafe(16)


class JwtTokenService:
    def __init__(self, *, secret: str, lifetime: timedelta, now: Callable[[], datetime]) -> None:
        if len(secret.encode()) < MIN_SECRET_BYTES:
            raise ValueError(f"the token secret must be at least {MIN_SECRET_BYTES} bytes")
        self._secret = secret
        self._lifetime = lifetime
        self._now = now

    def issue(
        self,
        user_id: int,
        *,
        scopes: frozenset[str] | None = None,
        app_id: int | None = None,
        lifetime: timedelta | None = None,
    ) -> str:
        issued = self._now()
        claims: dict[str, object] = {
            "sub": str(user_id),
            "iat": issued,
            "exp": issued + (lifetime or self._lifetime),
            "jti": secrets.token_urlsafe(TOKEN_ID_BYTES),
        }
        if scopes is not None:
            claims["scope"] = " ".join(sorted(scopes))
        if app_id is not None:
            claims["app"] = app_id
        return jwt.encode(claims, self._secret, algorithm=ALGORITHM)

    def issue_app(self, app_id: int, *, scopes: frozenset[str], lifetime: timedelta) -> str:
        issued = self._now()
        claims: dict[str, object] = {
            "app": app_id,
            "scope": " ".join(sorted(scopes)),
            "iat": issued,
            "exp": issued + lifetime,
            "jti": secrets.token_urlsafe(TOKEN_ID_BYTES),
        }
        return jwt.encode(claims, self._secret, algorithm=ALGORITHM)

    def app_of(self, token: str) -> int | None:
        claims = self._checked(token, required=["exp", "iat", "jti"])
        app_id = claims.get("app")
        if app_id is None and "sub" not in claims:
            raise InvalidToken()
        return app_id

    def read(self, token: str) -> TokenClaims:
        claims = self._checked(token, required=["exp", "iat", "sub", "jti"])
        expires, subject, token_id = claims["exp"], claims["sub"], claims["jti"]
        if not isinstance(subject, str) or not subject.isdecimal() or len(subject) > 19:
            raise InvalidToken()
        scope, app_id = claims.get("scope"), claims.get("app")
        if scope is not None and not isinstance(scope, str):
            raise InvalidToken()
        return TokenClaims(
            user_id=int(subject),
            token_id=token_id,
            expires_at=datetime.fromtimestamp(expires, UTC),
            scopes=None if scope is None else frozenset(scope.split()),
            app_id=app_id,
        )

    def _checked(self, token: str, *, required: list[str]) -> dict[str, Any]:
        """The token's claims, once its signature, times, id and app check."""
        try:
            claims: dict[str, Any] = jwt.decode(
                token,
                self._secret,
                algorithms=[ALGORITHM],
                # Expiry is judged by the injected clock below, not PyJWT's own.
                options={"require": required, "verify_exp": False, "verify_iat": False},
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
        token_id, app_id = claims["jti"], claims.get("app")
        if not isinstance(token_id, str) or not _TOKEN_ID.fullmatch(token_id):
            raise InvalidToken()
        if app_id is not None and (not isinstance(app_id, int) or isinstance(app_id, bool)):
            raise InvalidToken()
        return claims


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)
