from __future__ import annotations

from twitter.application import commands
from twitter.application.ports import UnitOfWork
from twitter.application.use_cases._guards import act_as, existing_user


class DeleteUser:
    """A user deletes their account: their tweets, likes and follows go too."""

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    def __call__(self, command: commands.DeleteUser) -> None:
        act_as(command.actor_id, command.user_id)
        with self._uow as uow:
            uow.users.delete(existing_user(uow, command.user_id))
            uow.commit()
