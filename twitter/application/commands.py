"""Inputs of the use cases that change something. ``actor_id`` is the authenticated user."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta


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
    scopes: frozenset[str] | None = None
    """For an app's login (OAuth's password grant): what its token may do."""
    app_id: int | None = None
    lifetime: timedelta | None = None


@dataclass(frozen=True)
class NewTweet:
    actor_id: int
    owner_id: int
    text: str
    in_reply_to_id: int | None = None
    """The tweet this one answers (a retweet stands for its original)."""
    quote_tweet_id: int | None = None
    """The tweet this one quotes (a retweet stands for its original)."""


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


@dataclass(frozen=True)
class NewRetweet:
    actor_id: int
    user_id: int
    tweet_id: int
    """What to retweet; retweeting a retweet retweets its original."""


@dataclass(frozen=True)
class RetweetRemoval:
    actor_id: int
    user_id: int
    tweet_id: int
    """The original (or a retweet of it) whose retweet by ``user_id`` goes."""


@dataclass(frozen=True)
class ProfileEdit:
    actor_id: int
    display_name: str | None = None
    """None: unchanged; empty: the username again."""
    bio: str | None = None
    """None: unchanged."""


@dataclass(frozen=True)
class NotificationsRead:
    actor_id: int
    user_id: int
    max_id: int
    """Every notification up to this id is read."""


@dataclass(frozen=True)
class NotificationsDismissed:
    actor_id: int
    user_id: int
    notification_id: int | None = None
    """The one to drop; None drops them all."""


@dataclass(frozen=True)
class UserTarget:
    """``user_id`` blocks, unblocks, mutes or unmutes ``target_user_id``."""

    actor_id: int
    user_id: int
    target_user_id: int


@dataclass(frozen=True)
class BookmarkChange:
    """``user_id`` bookmarks a tweet, or removes their bookmark of it (a retweet
    stands for its original)."""

    actor_id: int
    user_id: int
    tweet_id: int


@dataclass(frozen=True)
class AppRegistration:
    name: str
    redirect_uris: str | None
    scopes: str | None = None
    website: str | None = None


@dataclass(frozen=True)
class PasswordGrant:
    client_id: str
    client_secret: str
    username: str
    password: str
    scope: str | None = None
    client: str | None = None


@dataclass(frozen=True)
class AuthorizationRequest:
    """What an app asks a user's consent for (OAuth's ``/oauth/authorize`` query)."""

    client_id: str
    redirect_uri: str | None
    scope: str | None = None
    response_type: str = "code"
    code_challenge: str | None = None
    code_challenge_method: str | None = None


@dataclass(frozen=True)
class CodeGrant:
    client_id: str
    client_secret: str
    code: str
    redirect_uri: str | None = None
    code_verifier: str | None = None
