"""Imperative mapping of the domain dataclasses onto the tables, done once on request."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import event
from sqlalchemy.orm import registry
from sqlalchemy.orm.attributes import set_committed_value

from twitter.adapters.persistence.tables import (
    blocks,
    bookmarks,
    follows,
    likes,
    metadata,
    mutes,
    notifications,
    tweets,
    users,
)
from twitter.domain.model import (
    Block,
    Bookmark,
    Follow,
    Like,
    Mute,
    Notification,
    NotificationType,
    Tweet,
    User,
)

mapper_registry = registry(metadata=metadata)
_started = False


def start_mappers() -> None:
    """Map the entities; calling it again does nothing. No relationships: queries join."""
    global _started
    if _started:
        return
    mapper_registry.map_imperatively(User, users)
    mapper_registry.map_imperatively(Tweet, tweets)
    mapper_registry.map_imperatively(Like, likes)
    mapper_registry.map_imperatively(Follow, follows)
    mapper_registry.map_imperatively(Notification, notifications)
    mapper_registry.map_imperatively(Block, blocks)
    mapper_registry.map_imperatively(Mute, mutes)
    mapper_registry.map_imperatively(Bookmark, bookmarks)
    event.listen(Notification, "load", _typed_notification)
    event.listen(Notification, "refresh", _typed_notification)
    _started = True


def _typed_notification(
    notification: Notification, _context: object, attrs: Iterable[str] | None = None
) -> None:
    """The column holds the type's value; the entity holds the NotificationType."""
    if attrs is None or "type" in attrs:
        set_committed_value(notification, "type", NotificationType(notification.type))
