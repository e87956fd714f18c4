"""Inputs of the use cases that change something. ``actor_id`` is the authenticated user."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RegisterUser:
    email: str
    password: str
    username: str | None = None
    client: str | None = None
    """Where the sign-up comes from (an IP address), for the per-client throttle."""


@dataclass(frozen=True)
class Authenticate:
    login: str
    """An email or a username."""
    password: str
    client: str | None = None
    """Where the attempt comes from (an IP address), for the per-client throttle."""


@dataclass(frozen=True)
class PostTweet:
    actor_id: int
    owner_id: int
    text: str


@dataclass(frozen=True)
class DeleteTweet:
    actor_id: int
    tweet_id: int


@dataclass(frozen=True)
class LikeTweet:
    actor_id: int
    user_id: int
    tweet_id: int


@dataclass(frozen=True)
class UnlikeTweet:
    actor_id: int
    user_id: int
    tweet_id: int


@dataclass(frozen=True)
class FollowUser:
    actor_id: int
    user_id: int
    target_user_id: int


@dataclass(frozen=True)
class UnfollowUser:
    actor_id: int
    user_id: int
    target_user_id: int


@dataclass(frozen=True)
class DeleteUser:
    actor_id: int
    user_id: int
