from __future__ import annotations

from twitter.application import commands
from twitter.application.ports import UnitOfWork
from twitter.application.use_cases._guards import existing_tweet
from twitter.application.use_cases._tweet_removal import remove_tweet
from twitter.domain.errors import NotYourTweet, TweetNotFound


class DeleteTweet:
    """Its owner deletes a tweet (or a retweet): its likes and retweets go with it, its
    replies stay without that parent, its quotes keep a dangling reference, and what it
    replied to, quoted or retweeted counts it no more."""

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    def __call__(self, command: commands.TweetRemoval) -> None:
        with self._uow as uow:
            tweet = existing_tweet(uow, command.tweet_id)
            if tweet.owner_id != command.actor_id:
                raise NotYourTweet()
            remove_tweet(uow, tweet, TweetNotFound)
            uow.commit()
