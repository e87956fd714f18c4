from __future__ import annotations

from twitter.application import commands
from twitter.application.ports import UnitOfWork
from twitter.application.use_cases._guards import existing_tweet
from twitter.domain.errors import NotYourTweet


class DeleteTweet:
    """Its owner deletes a tweet; its likes go with it."""

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    def __call__(self, command: commands.TweetRemoval) -> None:
        with self._uow as uow:
            tweet = existing_tweet(uow, command.tweet_id)
            if tweet.owner_id != command.actor_id:
                raise NotYourTweet()
            uow.tweets.delete(tweet)
            uow.commit()
