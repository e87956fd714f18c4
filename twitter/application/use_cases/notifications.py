from __future__ import annotations

from twitter.application import commands
from twitter.application.pagination import MAX_ID, Page, PageRequest, storable_id
from twitter.application.ports import UnitOfWork
from twitter.application.queries import NotificationView, Reads
from twitter.application.use_cases._guards import act_as
from twitter.domain.errors import NotificationNotFound


class ListNotifications:
    """A user's notifications, newest first (maybe only the unread); theirs alone."""

    def __init__(self, reads: Reads) -> None:
        self._reads = reads

    async def __call__(
        self, actor_id: int, user_id: int, page: PageRequest, *, unread_only: bool = False
    ) -> Page[NotificationView]:
        act_as(actor_id, user_id)
        return await self._reads.notifications(user_id, page, unread_only=unread_only)


class MarkNotificationsRead:
    """A user marks their notifications up to one read (those after it stay unread)."""

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    def __call__(self, command: commands.NotificationsRead) -> None:
        act_as(command.actor_id, command.user_id)
        if command.max_id < 1:
            return
        with self._uow as uow:
            uow.notifications.mark_read(command.user_id, min(command.max_id, MAX_ID))
            uow.commit()


class DismissNotifications:
    """A user drops one of their notifications, or all of them: gone, not just read."""

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    def __call__(self, command: commands.NotificationsDismissed) -> None:
        act_as(command.actor_id, command.user_id)
        one = command.notification_id
        if one is not None and not storable_id(one):
            raise NotificationNotFound()
        with self._uow as uow:
            dismissed = uow.notifications.dismiss(command.user_id, one)
            if one is not None and dismissed == 0:
                raise NotificationNotFound()
            uow.commit()
