from __future__ import annotations

from twitter.application import commands
from twitter.application.ports import UnitOfWork
from twitter.application.use_cases._guards import act_as
from twitter.domain.errors import FollowNotFound
from twitter.domain.model import NotificationType


class UnfollowUser:
    """A user stops following another; the follow's notification goes too."""

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    def __call__(self, command: commands.FollowRemoval) -> None:
        act_as(command.actor_id, command.user_id)
        with self._uow as uow:
            if not uow.follows.remove(command.user_id, command.target_user_id):
                raise FollowNotFound()
            uow.notifications.withdraw(
                NotificationType.FOLLOW, command.user_id, recipient_id=command.target_user_id
            )
            uow.commit()
