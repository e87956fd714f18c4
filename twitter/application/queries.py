"""The read port: whole views, answered in one call, awaited.

The write side loads entities into a unit of work to change them; a reader only
wants values to show. Each method here answers a finished view (frozen
dataclasses, no entity, no session) and raises ``UserNotFound`` or ``TweetNotFound``
when the thing it is about does not exist. Lists take a ``PageRequest`` and answer
a ``Page`` whose ``next_cursor`` is the key to pass as ``max_id`` (``since_id``
for the users list, which runs oldest first).

Reads that carry a rule (whose home timeline one may see, who a token speaks
for) have an async use case in front of the port; the rest are the port itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from twitter.application.pagination import Page, PageRequest


@dataclass(frozen=True, slots=True)
class UserView:
    id: int
    username: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class AccountView:
    """A user as they see themselves: with their email."""

    id: int
    username: str
    created_at: datetime
    email: str


@dataclass(frozen=True, slots=True)
class TweetView:
    id: int
    text: str
    owner_id: int
    like_count: int
    created_at: datetime


@dataclass(frozen=True, slots=True)
class LikeView:
    id: int
    owner_id: int
    tweet_id: int
    created_at: datetime


@dataclass(frozen=True, slots=True)
class TweetCard:
    """A tweet as a reader sees it: with its author and whether the viewer liked it
    (False when there is no viewer)."""

    tweet: TweetView
    author: UserView
    liked_by_viewer: bool


@dataclass(frozen=True, slots=True)
class ProfileView:
    user: UserView
    tweet_count: int
    like_count: int
    """Likes the user has given."""
    follower_count: int
    following_count: int
    followed_by_viewer: bool
    """Whether the viewer (when there is one) follows this user."""


class Reads(Protocol):
    """Everything the service shows, as views. ``viewer_id`` (None: nobody logged in)
    only decides the viewer's flags, never what may be seen."""

    async def user(self, user_id: int) -> UserView:
        """UserNotFound if there is none."""
        ...

    async def user_by_username(self, username: str) -> UserView:
        """Case-insensitive; UserNotFound if there is none."""
        ...

    async def account(self, user_id: int, token_id: str) -> AccountView | None:
        """The user an access token names, unless that token (``token_id``) was
        revoked or the user is gone: one read answers both."""
        ...

    async def profile(self, username: str, viewer_id: int | None = None) -> ProfileView:
        """A user by handle (case-insensitive) with their counts; UserNotFound."""
        ...

    async def users(self, page: PageRequest) -> Page[UserView]:
        """All users, oldest first (``next_cursor`` is a ``since_id``)."""
        ...

    async def followers(self, user_id: int, page: PageRequest) -> Page[UserView]:
        """Newest follow first, keyed by the follow's id; UserNotFound."""
        ...

    async def following(self, user_id: int, page: PageRequest) -> Page[UserView]:
        """Newest follow first, keyed by the follow's id; UserNotFound."""
        ...

    async def liking_users(self, tweet_id: int, page: PageRequest) -> Page[UserView]:
        """Who liked a tweet, newest like first, keyed by the like's id; TweetNotFound."""
        ...

    async def tweet(self, tweet_id: int, viewer_id: int | None = None) -> TweetCard:
        """TweetNotFound if there is none."""
        ...

    async def bare_tweet(self, tweet_id: int) -> TweetView:
        """The tweet alone, without its author or a viewer's flag (what the JSON API
        shows, at the cost of a point read); TweetNotFound."""
        ...

    async def tweets(self, page: PageRequest, viewer_id: int | None = None) -> Page[TweetCard]:
        """All tweets, newest first."""
        ...

    async def user_tweets(
        self, user_id: int, page: PageRequest, viewer_id: int | None = None
    ) -> Page[TweetCard]:
        """One user's tweets, newest first; UserNotFound."""
        ...

    async def liked_tweets(
        self, user_id: int, page: PageRequest, viewer_id: int | None = None
    ) -> Page[TweetCard]:
        """The tweets a user liked, newest like first, keyed by the like's id; UserNotFound."""
        ...

    async def home_timeline(
        self, user_id: int, page: PageRequest, viewer_id: int | None = None
    ) -> Page[TweetCard]:
        """The user's own tweets and those of everyone they follow, newest first;
        UserNotFound. Who may see it is the use case's rule, not the port's."""
        ...

    async def user_likes(self, user_id: int, page: PageRequest) -> Page[LikeView]:
        """One user's likes, newest first; UserNotFound."""
        ...
