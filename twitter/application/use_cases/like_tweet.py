from __future__ import annotations

from twitter.application import commands
from twitter.application.ports import Clock, UnitOfWork
from twitter.application.use_cases._guards import (
    act_as,
    notify,
    original_tweet,
    refuse_if_blocked,
)
from twitter.domain.model import Like, NotificationType


class LikeTweet:
    """A user likes a tweet once (liking a retweet likes its original); the tweet's
    counter goes up in the same transaction and its author hears of it. Not a tweet
    of someone who blocks them."""

    def __init__(self, uow: UnitOfWork, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    def __call__(self, command: commands.NewLike) -> Like:
        act_as(command.actor_id, command.user_id)
        with self._uow as uow:
            tweet = original_tweet(uow, command.tweet_id)
            assert tweet.id is not None
            uow.users.hold({command.user_id, tweet.owner_id})
            refuse_if_blocked(uow, command.user_id, {tweet.owner_id})
            like = Like(owner_id=command.user_id, tweet_id=tweet.id, created_at=self._clock.now())
            uow.likes.add(like)
            uow.tweets.change_like_count(tweet.id, +1)
            notify(
                uow,
                NotificationType.LIKE,
                actor_id=command.user_id,
                recipient_id=tweet.owner_id,
                tweet_id=tweet.id,
                at=like.created_at,
            )
            uow.commit()
        return like
