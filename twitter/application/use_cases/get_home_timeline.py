from __future__ import annotations

from twitter.application.pagination import Page, PageRequest, page_of
from twitter.application.ports import UnitOfWork
from twitter.application.use_cases._guards import act_as, existing_user
from twitter.domain.model import Tweet


class GetHomeTimeline:
    """A user's own tweets and those of everyone they follow, newest first; theirs alone."""

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    def __call__(self, actor_id: int, user_id: int, page: PageRequest) -> Page[Tweet]:
        act_as(actor_id, user_id)
        with self._uow as uow:
            existing_user(uow, user_id)
            return page_of(uow.tweets.list_home_timeline(user_id, page), page)
