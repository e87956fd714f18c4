from __future__ import annotations

from twitter.application.pagination import Page, PageRequest
from twitter.application.queries import Reads, TweetCard
from twitter.application.use_cases._guards import act_as


class GetHomeTimeline:
    """A user's own tweets and those of everyone they follow, newest first; theirs alone.
    ``mark_liked``: flag the tweets the user liked (the pages show it, the API does not)."""

    def __init__(self, reads: Reads) -> None:
        self._reads = reads

    async def __call__(
        self, actor_id: int, user_id: int, page: PageRequest, *, mark_liked: bool = False
    ) -> Page[TweetCard]:
        act_as(actor_id, user_id)
        return await self._reads.home_timeline(
            user_id, page, viewer_id=actor_id if mark_liked else None
        )
