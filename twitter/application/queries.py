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

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol, TypeVar

from twitter.application.pagination import Page, PageRequest
from twitter.domain.entities import TweetEntities
from twitter.domain.model import NotificationType, ReferencedTweet

T = TypeVar("T")

MAX_DESCENDANTS = 1000
"""Replies a thread shows below a tweet at most (the oldest ones)."""


@dataclass(frozen=True, slots=True)
class UserView:
    id: int
    username: str
    created_at: datetime
    display_name: str
    bio: str


@dataclass(frozen=True, slots=True)
class AccountView:
    """A user as they see themselves: with their email."""

    id: int
    username: str
    created_at: datetime
    display_name: str
    bio: str
    email: str


@dataclass(frozen=True, slots=True)
class TweetView:
    id: int
    text: str
    owner_id: int
    like_count: int
    created_at: datetime
    conversation_id: int
    in_reply_to_user_id: int | None
    referenced_tweets: tuple[ReferencedTweet, ...]
    reply_count: int
    retweet_count: int
    quote_count: int
    entities: TweetEntities


@dataclass(frozen=True, slots=True)
class LikeView:
    id: int
    owner_id: int
    tweet_id: int
    created_at: datetime


@dataclass(frozen=True, slots=True)
class TweetCard:
    """A tweet as a reader sees it: with its author and whether the viewer liked it
    (False when there is no viewer) or retweeted it; a retweet with its original."""

    tweet: TweetView
    author: UserView
    liked_by_viewer: bool
    retweeted_by_viewer: bool = False
    """Whether the viewer retweeted it (False when there is no viewer)."""
    original: TweetCard | None = None
    """For a retweet, the card of the tweet it shares (what a reader sees of it)."""
    bookmarked_by_viewer: bool = False
    """Whether the viewer bookmarked it (False when there is no viewer)."""


@dataclass(frozen=True, slots=True)
class ThreadReply:
    """A reply below the tweet a thread is read from; ``depth`` 1 answers that tweet."""

    depth: int
    card: TweetCard


@dataclass(frozen=True, slots=True)
class ConversationView:
    """A tweet's context: its parents up to the root, oldest first, and every reply
    below it, depth-first with the oldest first at each level (Mastodon's order)."""

    ancestors: list[TweetCard]
    descendants: list[ThreadReply]


@dataclass(frozen=True, slots=True)
class NotificationView:
    id: int
    type: NotificationType
    actor: UserView
    tweet_id: int | None
    created_at: datetime
    read: bool


def depth_first(tweet_id: int, replies: Iterable[tuple[int, int, T]]) -> list[tuple[int, T]]:
    """``(depth, item)`` of every reply below ``tweet_id`` in thread order, from
    ``(id, parent id, item)`` rows in any order; at most ``MAX_DESCENDANTS``."""
    children: dict[int, list[tuple[int, T]]] = {}
    for key, parent_id, item in replies:
        children.setdefault(parent_id, []).append((key, item))
    ordered: list[tuple[int, T]] = []
    stack = [(1, row) for row in sorted(children.get(tweet_id, []), reverse=True, key=_key)]
    while stack and len(ordered) < MAX_DESCENDANTS:
        depth, (key, item) = stack.pop()
        ordered.append((depth, item))
        below = sorted(children.get(key, []), reverse=True, key=_key)
        stack.extend((depth + 1, row) for row in below)
    return ordered


def _key(row: tuple[int, object]) -> int:
    return row[0]


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
    blocked_by_viewer: bool = False
    muted_by_viewer: bool = False
    blocks_viewer: bool = False
    """Whether this user blocks the viewer (who then can follow them no more, nor reply ...)."""


@dataclass(frozen=True, slots=True)
class AccountCounts:
    """A user's counts, as a profile shows them (named as ``ProfileView``'s)."""

    tweet_count: int
    follower_count: int
    following_count: int


@dataclass(frozen=True, slots=True)
class RelationshipView:
    """Where a viewer stands with a user."""

    user_id: int
    following: bool
    """The viewer follows the user."""
    followed_by: bool
    blocking: bool
    """The viewer blocks the user."""
    blocked_by: bool
    muting: bool


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
        """The user's own tweets and those of everyone they follow, newest first,
        as ``TweetRepository.list_home_timeline`` leaves out mutes and blocks;
        UserNotFound. Who may see it is the use case's rule, not the port's."""
        ...

    async def user_likes(self, user_id: int, page: PageRequest) -> Page[LikeView]:
        """One user's likes, newest first; UserNotFound."""
        ...

    async def retweeted_by(self, tweet_id: int, page: PageRequest) -> Page[UserView]:
        """Who retweeted a tweet, newest retweet first, keyed by the retweet's id;
        TweetNotFound."""
        ...

    async def quote_tweets(
        self, tweet_id: int, page: PageRequest, viewer_id: int | None = None
    ) -> Page[TweetCard]:
        """The tweets quoting a tweet, newest first; TweetNotFound."""
        ...

    async def context(self, tweet_id: int, viewer_id: int | None = None) -> ConversationView:
        """The thread around a tweet (see ``ConversationView``); TweetNotFound."""
        ...

    async def tagged_tweets(
        self, tag: str, page: PageRequest, viewer_id: int | None = None
    ) -> Page[TweetCard]:
        """The tweets carrying a hashtag (matched as ``tag_key`` matches), newest first."""
        ...

    async def mentions(
        self, user_id: int, page: PageRequest, viewer_id: int | None = None
    ) -> Page[TweetCard]:
        """The tweets mentioning a user, newest first; UserNotFound."""
        ...

    async def notifications(
        self, user_id: int, page: PageRequest, *, unread_only: bool = False
    ) -> Page[NotificationView]:
        """A user's notifications, newest first, none from users they mute or block;
        UserNotFound. Whose they are to see is the use case's rule."""
        ...

    async def unread_notifications(self, user_id: int) -> int:
        """How many of the user's notifications are unread (0 for nobody)."""
        ...

    async def relationships(
        self, viewer_id: int, user_ids: Sequence[int]
    ) -> list[RelationshipView]:
        """Where the viewer stands with each of ``user_ids`` that exists, in the order
        asked, each once: one read however many."""
        ...

    async def cards(
        self, tweet_ids: Sequence[int], viewer_id: int | None = None
    ) -> list[TweetCard]:
        """The cards of those of ``tweet_ids`` that exist, in the order asked, each
        once: one read however many (the tweets a page of notifications names)."""
        ...

    async def account_counts(self, user_ids: Iterable[int]) -> dict[int, AccountCounts]:
        """The counts of each of ``user_ids`` that exists: one read however many
        (the authors of a page, each shown as an account with its counts)."""
        ...

    async def counted(self, key: str) -> tuple[int, datetime] | None:
        """What a throttle counted under ``key`` and when its window started (see
        ``LoginAttemptRepository``); None when nothing is counted."""
        ...

    async def search_tweets(
        self, words: tuple[str, ...], page: PageRequest, viewer_id: int | None = None
    ) -> Page[TweetCard]:
        """The tweets (not retweets) holding every one of ``words`` (as
        ``search.query_words`` finds them), newest first; none by users the viewer
        blocks."""
        ...

    async def search_users(self, prefix: str, limit: int) -> list[UserView]:
        """Up to ``limit`` users whose username starts with ``prefix`` (lower-cased,
        as ``search.username_prefix`` gives it), shortest first, then alphabetically."""
        ...

    async def bookmarks(
        self, user_id: int, page: PageRequest, viewer_id: int | None = None
    ) -> Page[TweetCard]:
        """A user's bookmarked tweets, newest bookmark first, keyed by the bookmark's
        id; UserNotFound. Whose they are to see is the use case's rule."""
        ...

    async def blocking(self, user_id: int, page: PageRequest) -> Page[UserView]:
        """Whom a user blocks, newest block first, keyed by the block's id; UserNotFound."""
        ...

    async def muting(self, user_id: int, page: PageRequest) -> Page[UserView]:
        """Whom a user mutes, newest mute first, keyed by the mute's id; UserNotFound."""
        ...
