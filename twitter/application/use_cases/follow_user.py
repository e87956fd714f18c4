from __future__ import annotations

from twitter.application import commands
from twitter.application.ports import Clock, UnitOfWork
from twitter.application.use_cases._guards import (
    act_as,
    existing_user,
    notify,
    refuse_if_blocked,
)
from twitter.domain.errors import YouBlockedThem
from twitter.domain.model import Follow, NotificationType


class FollowUser:
    """A user follows another, once; never themself, nor someone who blocks them or
    whom they block. The one followed hears of it."""

    def __init__(self, uow: UnitOfWork, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    def __call__(self, command: commands.NewFollow) -> Follow:
        act_as(command.actor_id, command.user_id)
        follow = Follow.between(
            follower_id=command.user_id,
            followee_id=command.target_user_id,
            created_at=self._clock.now(),
        )
        with self._uow as uow:
            existing_user(uow, command.target_user_id)
            uow.users.hold({follow.follower_id, follow.followee_id})
            refuse_if_blocked(uow, follow.follower_id, {follow.followee_id})
            if uow.blocks.exists(follow.follower_id, follow.followee_id):
                raise YouBlockedThem()
            uow.follows.add(follow)
            notify(
                uow,
                NotificationType.FOLLOW,
                actor_id=follow.follower_id,
                recipient_id=follow.followee_id,
                tweet_id=None,
                at=follow.created_at,
            )
            uow.commit()
        return follow
