"""The notifications' repository."""

from __future__ import annotations

from sqlalchemy import ColumnElement, delete, exists, false, insert, literal, select, update
from sqlalchemy.orm import Session

from twitter.adapters.persistence.repositories._shared import (
    _apply,
    _count,
    _hidden_from,
    _paged,
)
from twitter.adapters.persistence.tables import notifications, tweets, users
from twitter.application.pagination import MAX_ID, PageRequest, storable_id
from twitter.domain.model import Notification, NotificationType

_UNREAD = notifications.c.read == false()


class SqlAlchemyNotificationRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, notification: Notification) -> None:
        """One INSERT ... SELECT, which finds nothing to insert when the users or the
        tweet are gone (a failed insert would end the transaction on PostgreSQL)."""
        n = notification
        ids = {"recipient_id": n.recipient_id, "actor_id": n.actor_id}
        there = [exists().where(users.c.id == user_id) for user_id in (n.recipient_id, n.actor_id)]
        if n.tweet_id is not None:  # else left out (NULL): untyped, it would be text
            ids["tweet_id"] = n.tweet_id
            there.append(exists().where(tweets.c.id == n.tweet_id))
        if not all(storable_id(i) for i in ids.values()):
            return
        values = {**ids, "type": n.type.value, "created_at": n.created_at, "read": n.read}
        row = select(*(literal(v, notifications.c[k].type) for k, v in values.items()))
        statement = (
            insert(notifications)
            .from_select(list(values), row.where(*there))
            .returning(notifications.c.id)
        )
        n.id = self._session.execute(statement).scalar_one_or_none()

    def withdraw(
        self,
        kind: NotificationType,
        actor_id: int,
        *,
        tweet_id: int | None = None,
        recipient_id: int | None = None,
    ) -> None:
        assert tweet_id is not None or recipient_id is not None, "withdraw what?"
        where: list[ColumnElement[bool]] = [
            notifications.c.type == kind.value,
            notifications.c.actor_id == actor_id,
        ]
        if tweet_id is not None:
            where.append(notifications.c.tweet_id == tweet_id)
        if recipient_id is not None:
            where.append(notifications.c.recipient_id == recipient_id)
        ids = [i for i in (actor_id, tweet_id, recipient_id) if i is not None]
        if all(storable_id(i) for i in ids):
            self._session.execute(delete(notifications).where(*where))

    def dismiss(self, recipient_id: int, notification_id: int | None = None) -> int:
        where = [notifications.c.recipient_id == recipient_id]
        if notification_id is not None:
            where.append(notifications.c.id == notification_id)
        result = self._session.execute(delete(notifications).where(*where))
        return int(getattr(result, "rowcount", 0))

    def mark_read(self, recipient_id: int, max_id: int) -> None:
        if not (storable_id(recipient_id) and max_id > 0):
            return
        mine = notifications.c.recipient_id == recipient_id
        statement = (
            update(notifications)
            .where(mine, _UNREAD, notifications.c.id <= min(max_id, MAX_ID))
            .values(read=True)
        )
        _apply(self._session, statement, Notification, [notifications.c.read])

    def list_for(
        self, recipient_id: int, page: PageRequest, *, unread_only: bool = False
    ) -> list[Notification]:
        if not storable_id(recipient_id):
            return []
        statement = select(Notification).where(_shown_to(recipient_id))
        if unread_only:
            statement = statement.where(_UNREAD)
        return list(self._session.scalars(_paged(statement, notifications.c.id, page)))

    def count_unread(self, recipient_id: int) -> int:
        if not storable_id(recipient_id):
            return 0
        return _count(self._session, notifications, _shown_to(recipient_id) & _UNREAD)


def _shown_to(recipient_id: int) -> ColumnElement[bool]:
    """The recipient's notifications, but none from users they mute or block."""
    return (notifications.c.recipient_id == recipient_id) & notifications.c.actor_id.not_in(
        _hidden_from(recipient_id)
    )
