"""Inputs of the use cases that change something. ``actor_id`` is the authenticated user."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Registration:
    email: str
    password: str
    username: str | None = None
    client: str | None = None
    """Where the sign-up comes from (an IP address), for the per-client throttle."""


@dataclass(frozen=True)
class LoginAttempt:
    login: str
    """An email or a username."""
    password: str
    client: str | None = None
    """Where the attempt comes from (an IP address), for the per-client throttle."""


@dataclass(frozen=True)
class NewTweet:
    actor_id: int
    owner_id: int
    text: str


@dataclass(frozen=True)
class TweetRemoval:
    actor_id: int
    tweet_id: int


@dataclass(frozen=True)
class NewLike:
    actor_id: int
    user_id: int
    tweet_id: int


@dataclass(frozen=True)
class LikeRemoval:
    actor_id: int
    user_id: int
    tweet_id: int


@dataclass(frozen=True)
class NewFollow:
    actor_id: int
    user_id: int
    target_user_id: int


@dataclass(frozen=True)
class FollowRemoval:
    actor_id: int
    user_id: int
    target_user_id: int


@dataclass(frozen=True)
class AccountRemoval:
    actor_id: int
    user_id: int
