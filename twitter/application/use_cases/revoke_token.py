from __future__ import annotations

from twitter.application.ports import Clock, TokenService, UnitOfWork
from twitter.domain.errors import InvalidToken


class RevokeToken:
    """Log out: the access token is refused from now on, by every process.

    Only a token that still identifies someone can be revoked (the caller proves
    who they are with it). The revocation is kept until the token would have
    expired; those of tokens expired by now are dropped on the way.
    """

    def __init__(self, uow: UnitOfWork, tokens: TokenService, clock: Clock) -> None:
        self._uow = uow
        self._tokens = tokens
        self._clock = clock

    def __call__(self, token: str) -> None:
        claims = self._tokens.read(token)
        with self._uow as uow:
            if uow.users.get_unless_revoked(claims.user_id, claims.token_id) is None:
                raise InvalidToken()
            uow.revoked_tokens.add(claims.token_id, claims.expires_at)
            uow.revoked_tokens.prune(self._clock.now())
            uow.commit()
