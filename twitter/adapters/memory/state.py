"""The whole in-memory database: one dict per table and the last id each handed out.

A tweet's hashtags and mentions are read from its ``entities``: no table of their own."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from twitter.domain.model import Follow, Like, Notification, Tweet, User


@dataclass
class MemoryState:
    users: dict[int, User] = field(default_factory=dict)
    tweets: dict[int, Tweet] = field(default_factory=dict)
    likes: dict[int, Like] = field(default_factory=dict)
    follows: dict[int, Follow] = field(default_factory=dict)
    notifications: dict[int, Notification] = field(default_factory=dict)
    login_attempts: dict[str, tuple[int, datetime]] = field(default_factory=dict)
    """key -> (attempts in the window, when the window started)"""
    revoked_tokens: dict[str, datetime] = field(default_factory=dict)
    """token id -> when the token expires"""
    last_ids: dict[str, int] = field(default_factory=dict)

    def next_id(self, table: str) -> int:
        self.last_ids[table] = self.last_ids.get(table, 0) + 1
        return self.last_ids[table]
