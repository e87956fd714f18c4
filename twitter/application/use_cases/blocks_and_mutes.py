"""Blocking and muting another user, and taking it back."""

from __future__ import annotations

from twitter.application import commands
from twitter.application.pagination import Page, PageRequest
from twitter.application.ports import Clock, UnitOfWork
from twitter.application.queries import Reads, UserView
from twitter.application.use_cases._guards import act_as, existing_user
from twitter.domain.errors import BlockNotFound, MuteNotFound
from twitter.domain.model import Block, Mute, NotificationType


class BlockUser:
    """A user blocks another, once; never themself. The follows between the two go,
    both ways, with the notifications they made."""

    def __init__(self, uow: UnitOfWork, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    def __call__(self, command: commands.UserTarget) -> Block:
        act_as(command.actor_id, command.user_id)
        block = Block.between(
            blocker_id=command.user_id,
            blocked_id=command.target_user_id,
            created_at=self._clock.now(),
        )
        with self._uow as uow:
            existing_user(uow, block.blocked_id)
            uow.users.lock({block.blocker_id, block.blocked_id})
            uow.blocks.add(block)
            pair = (block.blocker_id, block.blocked_id)
            for follower_id, followee_id in (pair, pair[::-1]):
                if uow.follows.remove(follower_id, followee_id):
                    uow.notifications.withdraw(
                        NotificationType.FOLLOW, follower_id, recipient_id=followee_id
                    )
            uow.commit()
        return block


class UnblockUser:
    """A user takes back their block; the follows it removed stay removed."""

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    def __call__(self, command: commands.UserTarget) -> None:
        act_as(command.actor_id, command.user_id)
        with self._uow as uow:
            if not uow.blocks.remove(command.user_id, command.target_user_id):
                raise BlockNotFound()
            uow.commit()


class MuteUser:
    """A user mutes another, once; never themself. Nothing else changes."""

    def __init__(self, uow: UnitOfWork, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    def __call__(self, command: commands.UserTarget) -> Mute:
        act_as(command.actor_id, command.user_id)
        mute = Mute.between(
            muter_id=command.user_id,
            muted_id=command.target_user_id,
            created_at=self._clock.now(),
        )
        with self._uow as uow:
            existing_user(uow, mute.muted_id)
            uow.mutes.add(mute)
            uow.commit()
        return mute


class UnmuteUser:
    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    def __call__(self, command: commands.UserTarget) -> None:
        act_as(command.actor_id, command.user_id)
        with self._uow as uow:
            if not uow.mutes.remove(command.user_id, command.target_user_id):
                raise MuteNotFound()
            uow.commit()


class ListBlocking:
    """Whom a user blocks, newest first; theirs alone to see."""

    def __init__(self, reads: Reads) -> None:
        self._reads = reads

    async def __call__(self, actor_id: int, user_id: int, page: PageRequest) -> Page[UserView]:
        act_as(actor_id, user_id)
        return await self._reads.blocking(user_id, page)


class ListMuting:
    """Whom a user mutes, newest first; theirs alone to see."""

    def __init__(self, reads: Reads) -> None:
        self._reads = reads

    async def __call__(self, actor_id: int, user_id: int, page: PageRequest) -> Page[UserView]:
        act_as(actor_id, user_id)
        return await self._reads.muting(user_id, page)
