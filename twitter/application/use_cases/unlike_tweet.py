from __future__ import annotations

from twitter.application import commands
from twitter.application.ports import UnitOfWork
from twitter.application.use_cases._guards import act_as
from twitter.domain.errors import LikeNotFound


class UnlikeTweet:
    """A user takes back a like; the counter goes down only if a like was removed."""

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    def __call__(self, command: commands.LikeRemoval) -> None:
        act_as(command.actor_id, command.user_id)
        with self._uow as uow:
            if not uow.likes.remove(command.user_id, command.tweet_id):
                raise LikeNotFound()
            uow.tweets.change_like_count(command.tweet_id, -1)
            uow.commit()
