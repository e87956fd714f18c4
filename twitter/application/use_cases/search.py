"""Finding tweets by their words and people by the start of their username."""

from __future__ import annotations

from twitter.application.pagination import MAX_LIMIT, Page, PageRequest
from twitter.application.queries import Reads, TweetCard, UserView
from twitter.domain.search import query_words, username_prefix


class SearchTweets:
    """The tweets holding every word of a query, newest first; InvalidInput for a
    query without words. A viewer does not find the tweets of those they block."""

    def __init__(self, reads: Reads) -> None:
        self._reads = reads

    async def __call__(
        self, query: str, page: PageRequest, viewer_id: int | None = None
    ) -> Page[TweetCard]:
        return await self._reads.search_tweets(query_words(query), page, viewer_id)


class SearchUsers:
    """The users whose username starts with a query (``@`` allowed), shortest first."""

    def __init__(self, reads: Reads) -> None:
        self._reads = reads

    async def __call__(self, query: str, limit: int) -> list[UserView]:
        prefix = username_prefix(query)
        if prefix is None:
            return []
        return await self._reads.search_users(prefix, max(1, min(limit, MAX_LIMIT)))
