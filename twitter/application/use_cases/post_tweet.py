from __future__ import annotations

from twitter.application import commands
from twitter.application.ports import Clock, UnitOfWork
from twitter.application.use_cases._guards import act_as, existing_user
from twitter.domain.model import Tweet


class PostTweet:
    """A user posts a tweet on their own account."""

    def __init__(self, uow: UnitOfWork, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    def __call__(self, command: commands.NewTweet) -> Tweet:
        act_as(command.actor_id, command.owner_id)
        tweet = Tweet.post(
            owner_id=command.owner_id, text=command.text, created_at=self._clock.now()
        )
        with self._uow as uow:
            existing_user(uow, command.owner_id)
            uow.tweets.add(tweet)
            uow.commit()
        return tweet
