from __future__ import annotations

from twitter.application.pagination import Page, PageRequest, page_of_keyed
from twitter.application.ports import UnitOfWork
from twitter.application.use_cases._guards import existing_tweet
from twitter.domain.model import User


class ListLikingUsers:
    """The users who liked a tweet, newest like first; TweetNotFound for an unknown tweet."""

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    def __call__(self, tweet_id: int, page: PageRequest) -> Page[User]:
        with self._uow as uow:
            existing_tweet(uow, tweet_id)
            return page_of_keyed(uow.users.list_liking(tweet_id, page), page)
