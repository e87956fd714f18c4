from __future__ import annotations

from twitter.application import commands
from twitter.application.ports import Clock, UnitOfWork
from twitter.application.use_cases._guards import (
    act_as,
    notify,
    original_tweet,
    refuse_if_blocked,
)
from twitter.application.use_cases._tweet_removal import remove_tweet
from twitter.domain.errors import RetweetNotFound
from twitter.domain.model import NotificationType, Tweet


class RetweetTweet:
    """A user shares a tweet as their own entry, once; a retweet of a retweet shares
    its original. The original counts it and its author hears of it. Not a tweet of
    someone who blocks them."""

    def __init__(self, uow: UnitOfWork, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    def __call__(self, command: commands.NewRetweet) -> Tweet:
        act_as(command.actor_id, command.user_id)
        with self._uow as uow:
            original = original_tweet(uow, command.tweet_id)
            uow.users.hold({command.user_id, original.owner_id})
            refuse_if_blocked(uow, command.user_id, {original.owner_id})
            retweet = Tweet.retweet(
                owner_id=command.user_id, original=original, created_at=self._clock.now()
            )
            uow.tweets.add(retweet)
            uow.tweets.count_references(retweet, +1)
            notify(
                uow,
                NotificationType.RETWEET,
                actor_id=command.user_id,
                recipient_id=original.owner_id,
                tweet_id=original.id,
                at=retweet.created_at,
            )
            uow.commit()
        return retweet


class UndoRetweet:
    """A user takes back their retweet of a tweet (or of the original a retweet shares)."""

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    def __call__(self, command: commands.RetweetRemoval) -> None:
        act_as(command.actor_id, command.user_id)
        with self._uow as uow:
            original = original_tweet(uow, command.tweet_id)
            assert original.id is not None
            retweet = uow.tweets.find_retweet(command.user_id, original.id)
            if retweet is None:
                raise RetweetNotFound()
            remove_tweet(uow, retweet, RetweetNotFound)
            uow.commit()
