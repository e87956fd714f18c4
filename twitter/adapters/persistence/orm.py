"""Imperative mapping of the domain dataclasses onto the tables, done once on request."""

from __future__ import annotations

from sqlalchemy.orm import registry

from twitter.adapters.persistence.tables import follows, likes, metadata, tweets, users
from twitter.domain.model import Follow, Like, Tweet, User

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
    _started = True
