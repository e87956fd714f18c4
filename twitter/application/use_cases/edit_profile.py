from __future__ import annotations

from twitter.application import commands
from twitter.application.ports import UnitOfWork
from twitter.application.use_cases._guards import existing_user
from twitter.domain.model import User


class EditProfile:
    """A user changes their display name or bio (what they give; the rest stays)."""

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    def __call__(self, command: commands.ProfileEdit) -> User:
        with self._uow as uow:
            user = existing_user(uow, command.actor_id)
            user.edit_profile(display_name=command.display_name, bio=command.bio)
            uow.commit()
        return user
