from __future__ import annotations

from twitter.application.consistency import read_as
from twitter.application.ports import TokenService
from twitter.application.queries import AccountView, Reads
from twitter.domain.errors import InvalidToken


class IdentifyUser:
    """The user an access token speaks for; InvalidToken if it is bad, revoked, or the
    user is gone (one read answers both of the last two). A read: it never waits for
    a thread, so a write pays for one hop only."""

    def __init__(self, reads: Reads, tokens: TokenService) -> None:
        self._reads = reads
        self._tokens = tokens

    async def __call__(self, token: str) -> AccountView:
        claims = self._tokens.read(token)
        read_as(claims.user_id)
        account = await self._reads.account(claims.user_id, claims.token_id)
        if account is None:
            raise InvalidToken()
        return account
