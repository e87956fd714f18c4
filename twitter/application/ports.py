"""The ports: what the use cases need from the outside world, as Protocols.

Repositories never commit; the unit of work is the transaction boundary and the
use case owns it. Lists take a ``PageRequest`` and return up to ``fetch_size``
items. Lists seen through a relation return ``(relation_id, item)`` pairs, the
relation's id being the list's cursor.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta
from types import TracebackType
from typing import Protocol, Self

from twitter.application.pagination import PageRequest
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
from twitter.domain.oauth import AuthorizationCode, OAuthApp


class UserRepository(Protocol):
    def add(self, user: User) -> None:
        """Store a new user and give it an id; EmailAlreadyRegistered / UsernameTaken."""

    def get(self, user_id: int) -> User | None: ...

    def get_by_email(self, email: str) -> User | None:
        """``email`` is already normalised."""

    def get_by_username(self, username: str) -> User | None:
        """Case-insensitive."""

    def get_unless_revoked(self, user_id: int, token_id: str) -> User | None:
        """The user, unless the token ``token_id`` was revoked: one read, one round trip."""

    def get_many(self, user_ids: Collection[int]) -> list[User]:
        """The users among ``user_ids`` that exist, in no particular order."""

    def hold(self, user_ids: Collection[int]) -> None:
        """Keep these users from being deleted until the unit of work ends (a shared
        lock, taken in ascending id, before any tweet is touched): a write that
        notifies or mentions someone takes it first, so that it cannot deadlock with
        their account's deletion, which locks the user and then their tweets."""

    def lock(self, user_ids: Collection[int]) -> None:
        """Lock these users exclusively until the unit of work ends (in ascending id):
        a block takes it on both users, so that it waits for every write between them
        that holds them (``hold``) and each such write that comes after sees the block."""

    def ids_by_username(self, usernames: Collection[str]) -> dict[str, int]:
        """The id of each existing user among ``usernames`` (lower-cased), by the
        lower-cased username."""

    def lock_for_deletion(self, user: User) -> None:
        """Lock, for the rest of the unit of work, what deleting the user touches: the
        user first, then every tweet they liked or wrote and every tweet their tweets
        reference, in one global order (ascending id). Call it before anything else
        changes, so that a deletion neither races a like, reply or retweet of theirs
        nor deadlocks with an unlike, a tweet's deletion or another account's."""

    def delete(self, user: User) -> None:
        """Remove the user with their tweets, retweets, likes, follows and
        notifications, after ``lock_for_deletion``. The counters of the tweets they
        liked, replied to, quoted or retweeted are the use case's to correct first
        (``TweetRepository.uncount_likes_by`` and ``uncount_references_by``)."""

    def list_page(self, page: PageRequest) -> list[User]:
        """All users, ascending id."""

    def list_liking(self, tweet_id: int, page: PageRequest) -> list[tuple[int, User]]:
        """Users who liked a tweet, newest like first, keyed by like id."""

    def list_followers(self, user_id: int, page: PageRequest) -> list[tuple[int, User]]:
        """Newest follow first, keyed by follow id."""

    def list_following(self, user_id: int, page: PageRequest) -> list[tuple[int, User]]:
        """Newest follow first, keyed by follow id."""

    def list_retweeting(self, tweet_id: int, page: PageRequest) -> list[tuple[int, User]]:
        """Users who retweeted a tweet, newest retweet first, keyed by the retweet's id."""

    def list_blocked(self, user_id: int, page: PageRequest) -> list[tuple[int, User]]:
        """Whom a user blocks, newest block first, keyed by block id."""

    def list_muted(self, user_id: int, page: PageRequest) -> list[tuple[int, User]]:
        """Whom a user mutes, newest mute first, keyed by mute id."""

    def search_by_prefix(self, prefix: str, limit: int) -> list[User]:
        """Up to ``limit`` users whose lower-cased username starts with ``prefix``
        (lower-cased already), shortest username first, then alphabetically."""


class TweetRepository(Protocol):
    def add(self, tweet: Tweet) -> None:
        """Store a new tweet with its hashtags and mentions and give it an id;
        UserNotFound if the owner is gone, TweetNotFound if a tweet it replies to or
        retweets is, AlreadyRetweeted for a second retweet of one tweet by one user."""

    def get(self, tweet_id: int) -> Tweet | None: ...

    def get_many(self, tweet_ids: Collection[int]) -> list[Tweet]:
        """The tweets among ``tweet_ids`` that exist, in no particular order."""

    def retweeted_among(self, owner_id: int, tweet_ids: Collection[int]) -> set[int]:
        """Which of ``tweet_ids`` the user has retweeted."""

    def find_retweet(self, owner_id: int, original_id: int) -> Tweet | None:
        """The user's retweet of ``original_id``, if they retweeted it."""

    def lock_for_deletion(self, tweet: Tweet) -> bool:
        """Lock the tweet and those it references in ascending id order, the order every
        writer follows, before its counters are corrected and it is deleted; False
        when the tweet is gone meanwhile (someone else deleted it first)."""

    def delete(self, tweet: Tweet) -> None:
        """Remove the tweet with its likes, retweets, hashtags, mentions and the
        notifications about it; its replies stay (without that parent), as do its
        quotes (with a dangling reference)."""

    def change_like_count(self, tweet_id: int, delta: int) -> None:
        """Add ``delta`` to the counter atomically, in the store, never read-modify-write."""

    def count_references(self, tweet: Tweet, delta: int) -> None:
        """Add ``delta`` to the counters of what ``tweet`` references: its parent's
        replies, its quoted tweet's quotes, its original's retweets. Atomic in the
        store; a referenced tweet that is gone is skipped."""

    def uncount_likes_by(self, owner_id: int) -> None:
        """Take one like back from every tweet the user liked, atomically in the store and
        in one go, not tweet by tweet; the likes themselves stay."""

    def uncount_references_by(self, owner_id: int) -> None:
        """``count_references(tweet, -1)`` for every tweet of the user, in one go."""

    def list_page(self, page: PageRequest) -> list[Tweet]:
        """All tweets, newest first."""

    def list_by_owner(self, owner_id: int, page: PageRequest) -> list[Tweet]:
        """One user's tweets, newest first."""

    def list_liked_by(self, user_id: int, page: PageRequest) -> list[tuple[int, Tweet]]:
        """Tweets a user liked, newest like first, keyed by like id."""

    def list_home_timeline(self, user_id: int, page: PageRequest) -> list[Tweet]:
        """The user's own tweets and those of everyone they follow, newest first;
        without those of users they mute, nor retweets of tweets by users they mute
        or block."""

    def list_bookmarked(self, user_id: int, page: PageRequest) -> list[tuple[int, Tweet]]:
        """The tweets a user bookmarked, newest bookmark first, keyed by bookmark id."""

    def bookmarked_among(self, owner_id: int, tweet_ids: Collection[int]) -> set[int]:
        """Which of ``tweet_ids`` the user has bookmarked."""

    def search(
        self, words: Collection[str], page: PageRequest, viewer_id: int | None = None
    ) -> list[Tweet]:
        """The tweets (not retweets) whose ``search_text`` holds every one of
        ``words``, newest first; without those of users the viewer blocks."""

    def list_quotes(self, tweet_id: int, page: PageRequest) -> list[Tweet]:
        """The tweets quoting a tweet, newest first."""

    def list_tagged(self, tag_key: str, page: PageRequest) -> list[Tweet]:
        """The tweets (not retweets) carrying a hashtag, by ``entities.tag_key``, newest first."""

    def list_mentioning(self, user_id: int, page: PageRequest) -> list[Tweet]:
        """The tweets (not retweets) mentioning a user, newest first."""

    def ancestors(self, tweet: Tweet) -> list[Tweet]:
        """The parents of a reply up to the first one that has none, oldest first."""

    def descendants(self, tweet: Tweet) -> list[Tweet]:
        """Every reply below the tweet, at any depth, in no particular order."""

    def count_by_owner(self, owner_id: int) -> int: ...

    def count_by_owners(self, owner_ids: Collection[int]) -> dict[int, int]:
        """Tweets (retweets included) per owner (one without any: absent)."""
        ...


class LikeRepository(Protocol):
    def add(self, like: Like) -> None:
        """Store a new like and give it an id; AlreadyLiked, or TweetNotFound if gone."""

    def remove(self, owner_id: int, tweet_id: int) -> bool:
        """Delete the like; False when there was none."""

    def list_by_owner(self, owner_id: int, page: PageRequest) -> list[Like]:
        """One user's likes, newest first."""

    def count_by_owner(self, owner_id: int) -> int: ...

    def liked_among(self, owner_id: int, tweet_ids: Collection[int]) -> set[int]:
        """Which of ``tweet_ids`` the user has liked."""


class FollowRepository(Protocol):
    def add(self, follow: Follow) -> None:
        """Store a new follow; AlreadyFollowing, or UserNotFound if either user is gone."""

    def remove(self, follower_id: int, followee_id: int) -> bool:
        """Delete the follow; False when there was none."""

    def exists(self, follower_id: int, followee_id: int) -> bool: ...

    def followed_among(self, follower_id: int, user_ids: Collection[int]) -> set[int]:
        """Those of ``user_ids`` whom ``follower_id`` follows."""
        ...

    def followers_among(self, followee_id: int, user_ids: Collection[int]) -> set[int]:
        """Those of ``user_ids`` who follow ``followee_id``."""
        ...

    def count_followers(self, user_id: int) -> int: ...

    def count_followers_of(self, user_ids: Collection[int]) -> dict[int, int]:
        """Followers per user (a user without any: absent)."""
        ...

    def count_following_of(self, user_ids: Collection[int]) -> dict[int, int]: ...

    def count_following(self, user_id: int) -> int: ...


class BlockRepository(Protocol):
    def add(self, block: Block) -> None:
        """Store a new block; AlreadyBlocking, or UserNotFound if either user is gone."""

    def remove(self, blocker_id: int, blocked_id: int) -> bool:
        """Delete the block; False when there was none."""

    def exists(self, blocker_id: int, blocked_id: int) -> bool: ...

    def blocked_among(self, blocker_id: int, user_ids: Collection[int]) -> set[int]:
        """Those of ``user_ids`` whom ``blocker_id`` blocks."""
        ...

    def blockers_among(self, blocked_id: int, user_ids: Collection[int]) -> set[int]:
        """Which of ``user_ids`` block ``blocked_id``."""


class MuteRepository(Protocol):
    def add(self, mute: Mute) -> None:
        """Store a new mute; AlreadyMuting, or UserNotFound if either user is gone."""

    def exists(self, muter_id: int, muted_id: int) -> bool: ...

    def muted_among(self, muter_id: int, user_ids: Collection[int]) -> set[int]:
        """Those of ``user_ids`` whom ``muter_id`` mutes."""
        ...

    def remove(self, muter_id: int, muted_id: int) -> bool:
        """Delete the mute; False when there was none."""


class BookmarkRepository(Protocol):
    def add(self, bookmark: Bookmark) -> None:
        """Store a new bookmark; AlreadyBookmarked, or TweetNotFound / UserNotFound
        if the tweet or its owner is gone."""

    def remove(self, owner_id: int, tweet_id: int) -> bool:
        """Delete the bookmark; False when there was none."""


class NotificationRepository(Protocol):
    def add(self, notification: Notification) -> None:
        """Store it and give it an id; a notification whose tweet or users are gone
        meanwhile is not stored."""

    def withdraw(
        self,
        kind: NotificationType,
        actor_id: int,
        *,
        tweet_id: int | None = None,
        recipient_id: int | None = None,
    ) -> None:
        """Remove the notification of an action undone: a like or retweet (by tweet),
        a follow (by recipient)."""

    def dismiss(self, recipient_id: int, notification_id: int | None = None) -> int:
        """Drop the recipient's notification (all of theirs with None): how many went."""
        ...

    def mark_read(self, recipient_id: int, max_id: int) -> None:
        """Mark the recipient's notifications with ids up to ``max_id`` read."""

    def list_for(
        self, recipient_id: int, page: PageRequest, *, unread_only: bool = False
    ) -> list[Notification]:
        """Newest first; none from users the recipient mutes or blocks."""

    def count_unread(self, recipient_id: int) -> int:
        """Unread ones, as ``list_for`` shows them."""


class LoginAttemptRepository(Protocol):
    """Login attempts counted per key (a client, a client on a login, a login) in fixed
    time windows."""

    def count(self, key: str, now: datetime, window: timedelta) -> tuple[int, datetime]:
        """Count one attempt more under ``key``, in a new window if the last one ended
        by ``now``; answers the attempts in the window, this one included, and its start.
        Atomic: concurrent attempts each get their own number."""
        ...

    def peek(self, key: str) -> tuple[int, datetime] | None:
        """The attempts counted under ``key`` and the start of their window, counting
        none; None when there are none."""
        ...

    def refund(self, key: str) -> None:
        """Take back one attempt counted under ``key`` (it proved legitimate)."""
        ...

    def forget(self, key: str) -> None:
        """Drop every attempt counted under ``key``."""
        ...

    def prune(self, ended_by: datetime, prefixes: tuple[str, ...] = ()) -> None:
        """Drop the counts of windows that started before ``ended_by``, of the keys
        starting with one of ``prefixes`` (every key when there are none)."""
        ...


class RevokedTokenRepository(Protocol):
    """Access tokens revoked before they expired, kept until they would have."""

    def add(self, token_id: str, expires_at: datetime) -> None:
        """Revoke the token; revoking it again changes nothing."""
        ...

    def prune(self, expired_by: datetime) -> None:
        """Forget the revocations of tokens that have expired by then (they are refused anyway)."""
        ...


@dataclass(frozen=True, slots=True)
class StoredAnswer:
    """What a request made with an idempotency key answered (``status`` None while it
    is still being answered), and what it was, as its fingerprint."""

    fingerprint: str
    created_at: datetime
    status: int | None = None
    content_type: str | None = None
    body: bytes = b""


class IdempotencyKeyRepository(Protocol):
    """The answers to requests made with an idempotency key, per caller and key."""

    def reserve(self, caller: str, key: str, fingerprint: str, now: datetime) -> bool:
        """Claim the key for a request being answered; False when it is already
        claimed (a row of the primary key decides, whatever the concurrency)."""
        ...

    def find(self, caller: str, key: str) -> StoredAnswer | None: ...

    def complete(
        self, caller: str, key: str, status: int, content_type: str | None, body: bytes
    ) -> None:
        """Keep the answer of the request that claimed the key."""
        ...

    def release(self, caller: str, key: str) -> None:
        """Forget the key (its request failed, or its answer expired)."""
        ...

    def prune(self, created_before: datetime) -> None:
        """Forget the keys claimed before then (rows others hold are skipped)."""
        ...


class OAuthAppRepository(Protocol):
    def add(self, app: OAuthApp) -> None: ...

    def by_client_id(self, client_id: str) -> OAuthApp | None: ...

    def get(self, app_id: int) -> OAuthApp | None: ...


class AuthorizationCodeRepository(Protocol):
    """The codes users' consents gave apps, until they are exchanged or expire."""

    def add(self, code: AuthorizationCode) -> None: ...

    def take(self, code_hash: str) -> AuthorizationCode | None:
        """The code, removed in the same step: of two exchanges racing, one gets it."""
        ...

    def prune(self, expired_by: datetime) -> None: ...


class UnitOfWork(Protocol):
    """One transaction. ``with uow:`` opens it; leaving without ``commit()`` rolls back."""

    users: UserRepository
    tweets: TweetRepository
    likes: LikeRepository
    follows: FollowRepository
    notifications: NotificationRepository
    blocks: BlockRepository
    mutes: MuteRepository
    bookmarks: BookmarkRepository
    login_attempts: LoginAttemptRepository
    revoked_tokens: RevokedTokenRepository
    idempotency_keys: IdempotencyKeyRepository
    oauth_apps: OAuthAppRepository
    authorization_codes: AuthorizationCodeRepository

    def __enter__(self) -> Self: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...

    def commit(self) -> None: ...

    def rollback(self) -> None: ...


class PasswordHasher(Protocol):
    def hash(self, password: str) -> str: ...

    def verify(self, hashed: str, password: str) -> bool: ...

    def needs_rehash(self, hashed: str) -> bool: ...

    def burn(self, password: str) -> None:
        """Spend the time a verification takes, for a user who does not exist."""


@dataclass(frozen=True)
class TokenClaims:
    """What a valid access token says."""

    user_id: int
    token_id: str
    """Unique to the token: what its revocation is stored under."""
    expires_at: datetime
    scopes: frozenset[str] | None = None
    """An app's token: what it may do (None: the service's own token, which may do all)."""
    app_id: int | None = None


class TokenService(Protocol):
    def issue(
        self,
        user_id: int,
        *,
        scopes: frozenset[str] | None = None,
        app_id: int | None = None,
        lifetime: timedelta | None = None,
    ) -> str:
        """A token of the user; an app's (``app_id``) carries its ``scopes``, and may
        live longer than the service's own (``lifetime``)."""
        ...

    def read(self, token: str) -> TokenClaims:
        """What the token says, once its signature and times check; InvalidToken if not."""

    def issue_app(self, app_id: int, *, scopes: frozenset[str], lifetime: timedelta) -> str:
        """A token of the app itself, no user's (OAuth's client credentials): ``read``
        refuses it, as it identifies nobody."""
        ...

    def app_of(self, token: str) -> int | None:
        """The app of a valid token (an app's own or a user's through it); None for the
        service's own tokens; InvalidToken if the token is not valid."""
        ...


class Clock(Protocol):
    def now(self) -> datetime:
        """The current time, timezone-aware, in UTC."""


class HealthProbe(Protocol):
    def database_ok(self) -> bool: ...

    def schema_current(self) -> bool | None:
        """Whether the schema is at the newest migration this code has; None when the
        database cannot be reached."""
