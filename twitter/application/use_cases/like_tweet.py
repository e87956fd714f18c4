from __future__ import annotations

from twitter.application import commands
from twitter.application.ports import Clock, UnitOfWork
from twitter.application.use_cases._guards import act_as, existing_tweet
from twitter.domain.model import Like


class LikeTweet:
    """A user likes a tweet once; the tweet's counter goes up in the same transaction."""

    def __init__(self, uow: UnitOfWork, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    def __call__(self, command: commands.NewLike) -> Like:
        act_as(command.actor_id, command.user_id)
        with self._uow as uow:
            existing_tweet(uow, command.tweet_id)
            like = Like(
                owner_id=command.user_id, tweet_id=command.tweet_id, created_at=self._clock.now()
            )
            uow.likes.add(like)
            uow.tweets.change_like_count(command.tweet_id, +1)
            uow.commit()
        return like
