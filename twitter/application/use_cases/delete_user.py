from __future__ import annotations

from twitter.application import commands
from twitter.application.ports import UnitOfWork
from twitter.application.use_cases._guards import act_as, existing_user


class DeleteUser:
    """A user deletes their account: their tweets, retweets, likes, follows and
    notifications go too, and every tweet they liked, replied to, quoted or retweeted
    counts them no more."""

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    def __call__(self, command: commands.AccountRemoval) -> None:
        act_as(command.actor_id, command.user_id)
        with self._uow as uow:
            user = existing_user(uow, command.user_id)
            # First lock what the deletion touches (the user, then the tweets they liked,
            # wrote or referenced, in id order), then uncount them, then delete: a like
            # or reply racing the deletion waits and fails instead of staying counted,
            # and deletions, unlikes and replies cannot deadlock.
            uow.users.lock_for_deletion(user)
            uow.tweets.uncount_likes_by(command.user_id)
            uow.tweets.uncount_references_by(command.user_id)
            uow.users.delete(user)
            uow.commit()
