from __future__ import annotations

from twitter.application.ports import UnitOfWork
from twitter.application.use_cases._guards import existing_tweet
from twitter.domain.model import Tweet


class GetTweet:
    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    def __call__(self, tweet_id: int) -> Tweet:
        with self._uow as uow:
            return existing_tweet(uow, tweet_id)
