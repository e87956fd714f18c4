"""The whole in-memory database: one dict per table and the last id each handed out.

A tweet's hashtags and mentions are read from its ``entities``: no table of their own."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from twitter.application.ports import StoredAnswer
from twitter.domain.model import Block, Bookmark, Follow, Like, Mute, Notification, Tweet, User
from twitter.domain.oauth import AuthorizationCode, OAuthApp


@dataclass
class MemoryState:
    users: dict[int, User] = field(default_factory=dict)
    tweets: dict[int, Tweet] = field(default_factory=dict)
    likes: dict[int, Like] = field(default_factory=dict)
    follows: dict[int, Follow] = field(default_factory=dict)
    notifications: dict[int, Notification] = field(default_factory=dict)
    blocks: dict[int, Block] = field(default_factory=dict)
    mutes: dict[int, Mute] = field(default_factory=dict)
    bookmarks: dict[int, Bookmark] = field(default_factory=dict)
    login_attempts: dict[str, tuple[int, datetime]] = field(default_factory=dict)
    """key -> (attempts in the window, when the window started)"""
    revoked_tokens: dict[str, datetime] = field(default_factory=dict)
    """token id -> when the token expires"""
    idempotency_keys: dict[tuple[str, str], StoredAnswer] = field(default_factory=dict)
    """(caller, key) -> the answer, or the claim of a request being answered"""
    oauth_apps: dict[int, OAuthApp] = field(default_factory=dict)
    authorization_codes: dict[str, AuthorizationCode] = field(default_factory=dict)
    last_ids: dict[str, int] = field(default_factory=dict)

    def hidden_from(self, user_id: int) -> set[int]:
        """Whom the user mutes or blocks."""
        muted = {mute.muted_id for mute in self.mutes.values() if mute.muter_id == user_id}
        return muted | self.blocked_by(user_id)

    def blocked_by(self, user_id: int) -> set[int]:
        return {b.blocked_id for b in self.blocks.values() if b.blocker_id == user_id}

    def next_id(self, table: str) -> int:
        self.last_ids[table] = self.last_ids.get(table, 0) + 1
        return self.last_ids[table]
