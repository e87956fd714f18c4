from __future__ import annotations

from twitter.application import commands
from twitter.application.ports import UnitOfWork
from twitter.application.use_cases._guards import act_as
from twitter.domain.errors import LikeNotFound
from twitter.domain.model import NotificationType


class UnlikeTweet:
    """A user takes back a like (of a tweet, or of the original a retweet shares); the
    counter goes down only if a like was removed, and its notification goes."""

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    def __call__(self, command: commands.LikeRemoval) -> None:
        act_as(command.actor_id, command.user_id)
        with self._uow as uow:
            tweet = uow.tweets.get(command.tweet_id)
            tweet_id = tweet.original_id if tweet is not None else None
            if tweet_id is None or not uow.likes.remove(command.user_id, tweet_id):
                raise LikeNotFound()
            uow.tweets.change_like_count(tweet_id, -1)
            uow.notifications.withdraw(NotificationType.LIKE, command.user_id, tweet_id=tweet_id)
            uow.commit()
