from __future__ import annotations

from twitter.application.pagination import Page, PageRequest, page_of
from twitter.application.ports import UnitOfWork
from twitter.application.use_cases._guards import existing_user
from twitter.domain.model import Tweet


class ListUserTweets:
    """One user's tweets, newest first; UserNotFound for an unknown user."""

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    def __call__(self, user_id: int, page: PageRequest) -> Page[Tweet]:
        with self._uow as uow:
            existing_user(uow, user_id)
            return page_of(uow.tweets.list_by_owner(user_id, page), page)
