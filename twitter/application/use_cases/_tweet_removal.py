"""Deleting a tweet, as its owner's deletion and the undoing of a retweet both do."""

from __future__ import annotations

from twitter.application.ports import UnitOfWork
from twitter.domain.model import NotificationType, Tweet


def remove_tweet(uow: UnitOfWork, tweet: Tweet, missing: type[Exception]) -> None:
    """Delete a tweet or retweet, its references counting it no more and the notice of
    a retweet withdrawn (the others go with the tweet); ``missing`` when someone else
    deleted it first."""
    if not uow.tweets.lock_for_deletion(tweet):
        raise missing()
    uow.tweets.count_references(tweet, -1)
    if tweet.retweeted_id is not None:
        uow.notifications.withdraw(
            NotificationType.RETWEET, tweet.owner_id, tweet_id=tweet.retweeted_id
        )
    uow.tweets.delete(tweet)
