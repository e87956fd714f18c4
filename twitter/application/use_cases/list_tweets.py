from __future__ import annotations

from twitter.application.pagination import Page, PageRequest, page_of
from twitter.application.ports import UnitOfWork
from twitter.domain.model import Tweet


class ListTweets:
    """Every tweet, newest first."""

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    def __call__(self, page: PageRequest) -> Page[Tweet]:
        with self._uow as uow:
            return page_of(uow.tweets.list_page(page), page)
