"""Repositories over dicts, keeping the same constraints the database keeps."""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Callable, Collection, Iterable
from datetime import datetime, timedelta
from typing import TypeVar

from twitter.adapters.memory.state import MemoryState
from twitter.application.pagination import PageRequest
from twitter.application.ports import StoredAnswer
from twitter.domain.errors import (
    AlreadyBlocking,
    AlreadyBookmarked,
    AlreadyFollowing,
    AlreadyLiked,
    AlreadyMuting,
    AlreadyRetweeted,
    EmailAlreadyRegistered,
    TweetNotFound,
    UsernameTaken,
    UserNotFound,
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
from twitter.domain.oauth import AuthorizationCode, OAuthApp

T = TypeVar("T")


def _page(
    rows: Iterable[tuple[int, T]], page: PageRequest, *, newest_first: bool = True
) -> list[tuple[int, T]]:
    """Apply cursors, order, skip and fetch size to ``(key, item)`` rows."""
    kept = [
        (key, item)
        for key, item in rows
        if (page.max_id is None or key < page.max_id)
        and (page.since_id is None or key > page.since_id)
    ]
    kept.sort(key=lambda row: row[0], reverse=newest_first)
    return kept[page.skip : page.skip + page.fetch_size]


def _items(rows: list[tuple[int, T]]) -> list[T]:
    return [item for _, item in rows]


def _keyed(entities: dict[int, T]) -> Iterable[tuple[int, T]]:
    return entities.items()


class MemoryUserRepository:
    def __init__(self, state: MemoryState) -> None:
        self._state = state

    def add(self, user: User) -> None:
        if self.get_by_email(user.email) is not None:
            raise EmailAlreadyRegistered()
        if self.get_by_username(user.username) is not None:
            raise UsernameTaken()
        user.id = self._state.next_id("users")
        self._state.users[user.id] = user

    def get(self, user_id: int) -> User | None:
        return self._state.users.get(user_id)

    def get_unless_revoked(self, user_id: int, token_id: str) -> User | None:
        return None if token_id in self._state.revoked_tokens else self.get(user_id)

    def get_by_email(self, email: str) -> User | None:
        return next((u for u in self._state.users.values() if u.email == email), None)

    def get_by_username(self, username: str) -> User | None:
        wanted = username.lower()
        return next((u for u in self._state.users.values() if u.username.lower() == wanted), None)

    def get_many(self, user_ids: Collection[int]) -> list[User]:
        users = self._state.users
        return [users[user_id] for user_id in set(user_ids) if user_id in users]

    def hold(self, user_ids: Collection[int]) -> None:
        """Nothing to do: the unit of work holds the whole database's lock."""

    def lock(self, user_ids: Collection[int]) -> None:
        """Nothing to do: the unit of work holds the whole database's lock."""

    def ids_by_username(self, usernames: Collection[str]) -> dict[str, int]:
        wanted = {username.lower() for username in usernames}
        return {
            user.username.lower(): _id(user)
            for user in self._state.users.values()
            if user.username.lower() in wanted
        }

    def lock_for_deletion(self, user: User) -> None:
        """Nothing to do: the unit of work holds the whole database's lock."""

    def delete(self, user: User) -> None:
        state = self._state
        for tweet in [t for t in state.tweets.values() if t.owner_id == user.id]:
            if tweet.id in state.tweets:  # not gone with a tweet deleted before it
                MemoryTweetRepository(state).delete(tweet)
        _drop(state.likes, lambda like: like.owner_id == user.id)
        _drop(state.follows, lambda f: user.id in (f.follower_id, f.followee_id))
        _drop(state.blocks, lambda b: user.id in (b.blocker_id, b.blocked_id))
        _drop(state.mutes, lambda m: user.id in (m.muter_id, m.muted_id))
        _drop(state.bookmarks, lambda bookmark: bookmark.owner_id == user.id)
        _drop(state.notifications, lambda n: user.id in (n.actor_id, n.recipient_id))
        del state.users[_id(user)]

    def list_page(self, page: PageRequest) -> list[User]:
        return _items(_page(_keyed(self._state.users), page, newest_first=False))

    def list_liking(self, tweet_id: int, page: PageRequest) -> list[tuple[int, User]]:
        return self._through(
            self._state.likes.items(),
            lambda like: like.tweet_id == tweet_id,
            lambda like: like.owner_id,
            page,
        )

    def list_followers(self, user_id: int, page: PageRequest) -> list[tuple[int, User]]:
        return self._through(
            self._state.follows.items(),
            lambda f: f.followee_id == user_id,
            lambda f: f.follower_id,
            page,
        )

    def list_following(self, user_id: int, page: PageRequest) -> list[tuple[int, User]]:
        return self._through(
            self._state.follows.items(),
            lambda f: f.follower_id == user_id,
            lambda f: f.followee_id,
            page,
        )

    def list_retweeting(self, tweet_id: int, page: PageRequest) -> list[tuple[int, User]]:
        return self._through(
            self._state.tweets.items(),
            lambda t: t.retweeted_id == tweet_id,
            lambda t: t.owner_id,
            page,
        )

    def list_blocked(self, user_id: int, page: PageRequest) -> list[tuple[int, User]]:
        return self._through(
            self._state.blocks.items(),
            lambda b: b.blocker_id == user_id,
            lambda b: b.blocked_id,
            page,
        )

    def list_muted(self, user_id: int, page: PageRequest) -> list[tuple[int, User]]:
        return self._through(
            self._state.mutes.items(),
            lambda m: m.muter_id == user_id,
            lambda m: m.muted_id,
            page,
        )

    def search_by_prefix(self, prefix: str, limit: int) -> list[User]:
        found = [u for u in self._state.users.values() if u.username.lower().startswith(prefix)]
        found.sort(key=lambda user: (len(user.username), user.username.lower()))
        return found[:limit]

    def _through(
        self,
        relations: Iterable[tuple[int, T]],
        wanted: Callable[[T], bool],
        user_of: Callable[[T], int],
        page: PageRequest,
    ) -> list[tuple[int, User]]:
        users = self._state.users
        return _page(((key, users[user_of(rel)]) for key, rel in relations if wanted(rel)), page)


class MemoryTweetRepository:
    def __init__(self, state: MemoryState) -> None:
        self._state = state

    def add(self, tweet: Tweet) -> None:
        tweets = self._state.tweets
        if tweet.owner_id not in self._state.users:
            raise UserNotFound()
        if any(key is not None and key not in tweets for key in _foreign_keys(tweet)):
            raise TweetNotFound()
        if tweet.retweeted_id is not None and self.find_retweet(tweet.owner_id, tweet.retweeted_id):
            raise AlreadyRetweeted()
        tweet.id = self._state.next_id("tweets")
        tweets[tweet.id] = tweet

    def get(self, tweet_id: int) -> Tweet | None:
        return self._state.tweets.get(tweet_id)

    def get_many(self, tweet_ids: Collection[int]) -> list[Tweet]:
        tweets = self._state.tweets
        return [tweets[tweet_id] for tweet_id in set(tweet_ids) if tweet_id in tweets]

    def retweeted_among(self, owner_id: int, tweet_ids: Collection[int]) -> set[int]:
        wanted = set(tweet_ids)
        return {
            t.retweeted_id
            for t in self._state.tweets.values()
            if t.owner_id == owner_id and t.retweeted_id in wanted
        }

    def find_retweet(self, owner_id: int, original_id: int) -> Tweet | None:
        return next(
            (
                t
                for t in self._state.tweets.values()
                if t.owner_id == owner_id and t.retweeted_id == original_id
            ),
            None,
        )

    def lock_for_deletion(self, tweet: Tweet) -> bool:
        """Nothing to lock: the unit of work holds the whole database's lock."""
        return tweet.id in self._state.tweets

    def delete(self, tweet: Tweet) -> None:
        """As the database cascades: its likes, its retweets (as tweets deleted) and
        the notifications about it go; its replies lose their parent."""
        state = self._state
        del state.tweets[_id(tweet)]
        for retweet in [t for t in state.tweets.values() if t.retweeted_id == tweet.id]:
            self.delete(retweet)
        for reply in state.tweets.values():
            if reply.in_reply_to_id == tweet.id:
                reply.in_reply_to_id = None
        _drop(state.likes, lambda like: like.tweet_id == tweet.id)
        _drop(state.bookmarks, lambda bookmark: bookmark.tweet_id == tweet.id)
        _drop(state.notifications, lambda n: n.tweet_id == tweet.id)

    def change_like_count(self, tweet_id: int, delta: int) -> None:
        tweet = self._state.tweets.get(tweet_id)
        if tweet is not None:
            tweet.like_count += delta

    def uncount_likes_by(self, owner_id: int) -> None:
        tweets = self._state.tweets
        for like in self._state.likes.values():
            if like.owner_id == owner_id:
                tweets[like.tweet_id].like_count -= 1

    def count_references(self, tweet: Tweet, delta: int) -> None:
        tweets = self._state.tweets
        for key, counter in (
            (tweet.in_reply_to_id, "reply_count"),
            (tweet.quoted_id, "quote_count"),
            (tweet.retweeted_id, "retweet_count"),
        ):
            referenced = tweets.get(key) if key is not None else None
            if referenced is not None:
                setattr(referenced, counter, getattr(referenced, counter) + delta)

    def uncount_references_by(self, owner_id: int) -> None:
        for tweet in list(self._state.tweets.values()):
            if tweet.owner_id == owner_id:
                self.count_references(tweet, -1)

    def list_page(self, page: PageRequest) -> list[Tweet]:
        return _items(_page(_keyed(self._state.tweets), page))

    def list_by_owner(self, owner_id: int, page: PageRequest) -> list[Tweet]:
        tweets = self._state.tweets.items()
        return _items(_page(((k, t) for k, t in tweets if t.owner_id == owner_id), page))

    def list_liked_by(self, user_id: int, page: PageRequest) -> list[tuple[int, Tweet]]:
        tweets = self._state.tweets
        likes = self._state.likes.items()
        return _page(
            ((k, tweets[like.tweet_id]) for k, like in likes if like.owner_id == user_id), page
        )

    def list_home_timeline(self, user_id: int, page: PageRequest) -> list[Tweet]:
        state = self._state
        hidden = state.hidden_from(user_id)
        authors = {user_id} | {
            f.followee_id for f in state.follows.values() if f.follower_id == user_id
        }
        return self._where(
            lambda t: t.owner_id in authors - hidden and not self._shares_any(t, hidden), page
        )

    def _shares_any(self, tweet: Tweet, authors: set[int]) -> bool:
        """Whether ``tweet`` retweets a tweet by one of ``authors``."""
        original = self._state.tweets.get(tweet.retweeted_id or 0)
        return original is not None and original.owner_id in authors

    def list_bookmarked(self, user_id: int, page: PageRequest) -> list[tuple[int, Tweet]]:
        tweets = self._state.tweets
        bookmarks = self._state.bookmarks.items()
        return _page(((k, tweets[b.tweet_id]) for k, b in bookmarks if b.owner_id == user_id), page)

    def bookmarked_among(self, owner_id: int, tweet_ids: Collection[int]) -> set[int]:
        wanted = set(tweet_ids)
        return {
            b.tweet_id
            for b in self._state.bookmarks.values()
            if b.owner_id == owner_id and b.tweet_id in wanted
        }

    def search(
        self, words: Collection[str], page: PageRequest, viewer_id: int | None = None
    ) -> list[Tweet]:
        wanted = set(words)
        blocked = self._state.blocked_by(viewer_id) if viewer_id is not None else set()
        return self._where(
            lambda t: (
                t.search_text is not None
                and wanted <= set(t.search_text.split())
                and t.owner_id not in blocked
            ),
            page,
        )

    def list_quotes(self, tweet_id: int, page: PageRequest) -> list[Tweet]:
        return self._where(lambda t: t.quoted_id == tweet_id, page)

    def list_tagged(self, tag_key: str, page: PageRequest) -> list[Tweet]:
        return self._where(
            lambda t: t.retweeted_id is None and tag_key in t.entities.tag_keys, page
        )

    def list_mentioning(self, user_id: int, page: PageRequest) -> list[Tweet]:
        if user_id not in self._state.users:  # mentions of someone gone are gone too
            return []
        return self._where(
            lambda t: t.retweeted_id is None and user_id in t.entities.mentioned_ids, page
        )

    def _where(self, wanted: Callable[[Tweet], bool], page: PageRequest) -> list[Tweet]:
        return _items(_page(((k, t) for k, t in self._state.tweets.items() if wanted(t)), page))

    def ancestors(self, tweet: Tweet) -> list[Tweet]:
        tweets = self._state.tweets
        found: list[Tweet] = []
        key = tweet.in_reply_to_id
        while key is not None and key in tweets:
            found.append(tweets[key])
            key = tweets[key].in_reply_to_id
        return found[::-1]

    def descendants(self, tweet: Tweet) -> list[Tweet]:
        found: list[Tweet] = []
        parents = {tweet.id}
        while parents:
            children = [t for t in self._state.tweets.values() if t.in_reply_to_id in parents]
            found += children
            parents = {child.id for child in children}
        return found

    def count_by_owner(self, owner_id: int) -> int:
        return sum(1 for tweet in self._state.tweets.values() if tweet.owner_id == owner_id)

    def count_by_owners(self, owner_ids: Collection[int]) -> dict[int, int]:
        return _counts(
            tweet.owner_id for tweet in self._state.tweets.values() if tweet.owner_id in owner_ids
        )


class MemoryLikeRepository:
    def __init__(self, state: MemoryState) -> None:
        self._state = state

    def add(self, like: Like) -> None:
        if like.tweet_id not in self._state.tweets:
            raise TweetNotFound()
        if like.owner_id not in self._state.users:
            raise UserNotFound()
        if self._find(like.owner_id, like.tweet_id) is not None:
            raise AlreadyLiked()
        like.id = self._state.next_id("likes")
        self._state.likes[like.id] = like

    def remove(self, owner_id: int, tweet_id: int) -> bool:
        like = self._find(owner_id, tweet_id)
        if like is None:
            return False
        del self._state.likes[_id(like)]
        return True

    def list_by_owner(self, owner_id: int, page: PageRequest) -> list[Like]:
        likes = self._state.likes.items()
        return _items(_page(((k, like) for k, like in likes if like.owner_id == owner_id), page))

    def count_by_owner(self, owner_id: int) -> int:
        return sum(1 for like in self._state.likes.values() if like.owner_id == owner_id)

    def liked_among(self, owner_id: int, tweet_ids: Collection[int]) -> set[int]:
        wanted = set(tweet_ids)
        return {
            like.tweet_id
            for like in self._state.likes.values()
            if like.owner_id == owner_id and like.tweet_id in wanted
        }

    def _find(self, owner_id: int, tweet_id: int) -> Like | None:
        return next(
            (
                like
                for like in self._state.likes.values()
                if like.owner_id == owner_id and like.tweet_id == tweet_id
            ),
            None,
        )


class MemoryFollowRepository:
    def __init__(self, state: MemoryState) -> None:
        self._state = state

    def add(self, follow: Follow) -> None:
        users = self._state.users
        if follow.follower_id not in users or follow.followee_id not in users:
            raise UserNotFound()
        if self._find(follow.follower_id, follow.followee_id) is not None:
            raise AlreadyFollowing()
        follow.id = self._state.next_id("follows")
        self._state.follows[follow.id] = follow

    def remove(self, follower_id: int, followee_id: int) -> bool:
        follow = self._find(follower_id, followee_id)
        if follow is None:
            return False
        del self._state.follows[_id(follow)]
        return True

    def exists(self, follower_id: int, followee_id: int) -> bool:
        return self._find(follower_id, followee_id) is not None

    def followed_among(self, follower_id: int, user_ids: Collection[int]) -> set[int]:
        follows = self._state.follows.values()
        return {f.followee_id for f in follows if f.follower_id == follower_id} & set(user_ids)

    def followers_among(self, followee_id: int, user_ids: Collection[int]) -> set[int]:
        follows = self._state.follows.values()
        return {f.follower_id for f in follows if f.followee_id == followee_id} & set(user_ids)

    def count_followers(self, user_id: int) -> int:
        return sum(1 for f in self._state.follows.values() if f.followee_id == user_id)

    def count_following(self, user_id: int) -> int:
        return sum(1 for f in self._state.follows.values() if f.follower_id == user_id)

    def count_followers_of(self, user_ids: Collection[int]) -> dict[int, int]:
        return _counts(
            f.followee_id for f in self._state.follows.values() if f.followee_id in user_ids
        )

    def count_following_of(self, user_ids: Collection[int]) -> dict[int, int]:
        return _counts(
            f.follower_id for f in self._state.follows.values() if f.follower_id in user_ids
        )

    def _find(self, follower_id: int, followee_id: int) -> Follow | None:
        return next(
            (
                f
                for f in self._state.follows.values()
                if f.follower_id == follower_id and f.followee_id == followee_id
            ),
            None,
        )


class MemoryNotificationRepository:
    def __init__(self, state: MemoryState) -> None:
        self._state = state

    def add(self, notification: Notification) -> None:
        state = self._state
        users_there = {notification.recipient_id, notification.actor_id} <= state.users.keys()
        tweet_there = notification.tweet_id is None or notification.tweet_id in state.tweets
        if users_there and tweet_there:
            notification.id = state.next_id("notifications")
            state.notifications[notification.id] = notification

    def withdraw(
        self,
        kind: NotificationType,
        actor_id: int,
        *,
        tweet_id: int | None = None,
        recipient_id: int | None = None,
    ) -> None:
        assert tweet_id is not None or recipient_id is not None, "withdraw what?"
        _drop(
            self._state.notifications,
            lambda n: (
                n.type == kind
                and n.actor_id == actor_id
                and tweet_id in (None, n.tweet_id)
                and recipient_id in (None, n.recipient_id)
            ),
        )

    def dismiss(self, recipient_id: int, notification_id: int | None = None) -> int:
        kept = self._state.notifications
        gone = [
            key
            for key, notification in kept.items()
            if notification.recipient_id == recipient_id and notification_id in (None, key)
        ]
        for key in gone:
            del kept[key]
        return len(gone)

    def mark_read(self, recipient_id: int, max_id: int) -> None:
        for key, notification in self._state.notifications.items():
            if notification.recipient_id == recipient_id and key <= max_id:
                notification.read = True

    def list_for(
        self, recipient_id: int, page: PageRequest, *, unread_only: bool = False
    ) -> list[Notification]:
        return _items(_page(self._shown_to(recipient_id, unread_only=unread_only), page))

    def count_unread(self, recipient_id: int) -> int:
        return sum(1 for _ in self._shown_to(recipient_id, unread_only=True))

    def _shown_to(
        self, recipient_id: int, *, unread_only: bool
    ) -> Iterable[tuple[int, Notification]]:
        hidden = self._state.hidden_from(recipient_id)
        for key, n in self._state.notifications.items():
            mine = n.recipient_id == recipient_id and n.actor_id not in hidden
            if mine and not (unread_only and n.read):
                yield key, n


class MemoryBlockRepository:
    def __init__(self, state: MemoryState) -> None:
        self._state = state

    def add(self, block: Block) -> None:
        if not {block.blocker_id, block.blocked_id} <= self._state.users.keys():
            raise UserNotFound()
        if self.exists(block.blocker_id, block.blocked_id):
            raise AlreadyBlocking()
        block.id = self._state.next_id("blocks")
        self._state.blocks[block.id] = block

    def remove(self, blocker_id: int, blocked_id: int) -> bool:
        return _remove(
            self._state.blocks, lambda b: (b.blocker_id, b.blocked_id) == (blocker_id, blocked_id)
        )

    def exists(self, blocker_id: int, blocked_id: int) -> bool:
        return blocked_id in self._state.blocked_by(blocker_id)

    def blocked_among(self, blocker_id: int, user_ids: Collection[int]) -> set[int]:
        return self._state.blocked_by(blocker_id) & set(user_ids)

    def blockers_among(self, blocked_id: int, user_ids: Collection[int]) -> set[int]:
        wanted = set(user_ids)
        return {
            b.blocker_id
            for b in self._state.blocks.values()
            if b.blocked_id == blocked_id and b.blocker_id in wanted
        }


class MemoryMuteRepository:
    def __init__(self, state: MemoryState) -> None:
        self._state = state

    def add(self, mute: Mute) -> None:
        mutes = self._state.mutes
        if not {mute.muter_id, mute.muted_id} <= self._state.users.keys():
            raise UserNotFound()
        if any((m.muter_id, m.muted_id) == (mute.muter_id, mute.muted_id) for m in mutes.values()):
            raise AlreadyMuting()
        mute.id = self._state.next_id("mutes")
        mutes[mute.id] = mute

    def muted_among(self, muter_id: int, user_ids: Collection[int]) -> set[int]:
        mutes = self._state.mutes.values()
        return {m.muted_id for m in mutes if m.muter_id == muter_id} & set(user_ids)

    def exists(self, muter_id: int, muted_id: int) -> bool:
        mutes = self._state.mutes.values()
        return any((m.muter_id, m.muted_id) == (muter_id, muted_id) for m in mutes)

    def remove(self, muter_id: int, muted_id: int) -> bool:
        return _remove(
            self._state.mutes, lambda m: (m.muter_id, m.muted_id) == (muter_id, muted_id)
        )


class MemoryBookmarkRepository:
    def __init__(self, state: MemoryState) -> None:
        self._state = state

    def add(self, bookmark: Bookmark) -> None:
        state = self._state
        if bookmark.tweet_id not in state.tweets:
            raise TweetNotFound()
        if bookmark.owner_id not in state.users:
            raise UserNotFound()
        if bookmark.tweet_id in MemoryTweetRepository(state).bookmarked_among(
            bookmark.owner_id, {bookmark.tweet_id}
        ):
            raise AlreadyBookmarked()
        bookmark.id = state.next_id("bookmarks")
        state.bookmarks[bookmark.id] = bookmark

    def remove(self, owner_id: int, tweet_id: int) -> bool:
        return _remove(
            self._state.bookmarks, lambda b: (b.owner_id, b.tweet_id) == (owner_id, tweet_id)
        )


def _remove(rows: dict[int, T], doomed: Callable[[T], bool]) -> bool:
    """Drop the rows ``doomed`` picks; whether there was any."""
    before = len(rows)
    _drop(rows, doomed)
    return len(rows) < before


def _foreign_keys(tweet: Tweet) -> tuple[int | None, int | None]:
    """The references the database keeps with a foreign key (a quote may dangle)."""
    return tweet.in_reply_to_id, tweet.retweeted_id


def _drop(rows: dict[int, T], doomed: Callable[[T], bool]) -> None:
    for key in [key for key, row in rows.items() if doomed(row)]:
        del rows[key]


def _id(entity: User | Tweet | Like | Follow | Notification) -> int:
    assert entity.id is not None
    return entity.id


class MemoryLoginAttemptRepository:
    def __init__(self, state: MemoryState) -> None:
        self._attempts = state.login_attempts

    def count(self, key: str, now: datetime, window: timedelta) -> tuple[int, datetime]:
        attempts, started_at = self._attempts.get(key, (0, now))
        if started_at <= now - window:
            attempts, started_at = 0, now
        self._attempts[key] = (attempts + 1, started_at)
        return self._attempts[key]

    def peek(self, key: str) -> tuple[int, datetime] | None:
        return self._attempts.get(key)

    def refund(self, key: str) -> None:
        if key in self._attempts:
            attempts, started_at = self._attempts[key]
            self._attempts[key] = (max(0, attempts - 1), started_at)

    def forget(self, key: str) -> None:
        self._attempts.pop(key, None)

    def prune(self, ended_by: datetime, prefixes: tuple[str, ...] = ()) -> None:
        for key, (_, started) in list(self._attempts.items()):
            if started < ended_by and (not prefixes or key.startswith(prefixes)):
                del self._attempts[key]


class MemoryIdempotencyKeyRepository:
    def __init__(self, state: MemoryState) -> None:
        self._keys = state.idempotency_keys

    def reserve(self, caller: str, key: str, fingerprint: str, now: datetime) -> bool:
        if (caller, key) in self._keys:
            return False
        self._keys[caller, key] = StoredAnswer(fingerprint=fingerprint, created_at=now)
        return True

    def find(self, caller: str, key: str) -> StoredAnswer | None:
        return self._keys.get((caller, key))

    def complete(
        self, caller: str, key: str, status: int, content_type: str | None, body: bytes
    ) -> None:
        claimed = self._keys.get((caller, key))
        if claimed is not None:
            self._keys[caller, key] = dataclasses.replace(
                claimed, status=status, content_type=content_type, body=body
            )

    def release(self, caller: str, key: str) -> None:
        self._keys.pop((caller, key), None)

    def prune(self, created_before: datetime) -> None:
        for name in [name for name, kept in self._keys.items() if kept.created_at < created_before]:
            del self._keys[name]


class MemoryOAuthAppRepository:
    def __init__(self, state: MemoryState) -> None:
        self._state = state

    def add(self, app: OAuthApp) -> None:
        app.id = self._state.next_id("oauth_apps")
        self._state.oauth_apps[app.id] = app

    def by_client_id(self, client_id: str) -> OAuthApp | None:
        apps = self._state.oauth_apps.values()
        return next((app for app in apps if app.client_id == client_id), None)

    def get(self, app_id: int) -> OAuthApp | None:
        return self._state.oauth_apps.get(app_id)


class MemoryAuthorizationCodeRepository:
    def __init__(self, state: MemoryState) -> None:
        self._state = state

    def add(self, code: AuthorizationCode) -> None:
        self._state.authorization_codes[code.code_hash] = code

    def take(self, code_hash: str) -> AuthorizationCode | None:
        code = self._state.authorization_codes.pop(code_hash, None)
        users = self._state.users
        # As the table's foreign keys have it: a deleted user's consents go with them.
        return code if code is not None and code.user_id in users else None

    def prune(self, expired_by: datetime) -> None:
        codes = self._state.authorization_codes
        for code_hash in [key for key, code in codes.items() if code.expires_at <= expired_by]:
            del codes[code_hash]


class MemoryRevokedTokenRepository:
    def __init__(self, state: MemoryState) -> None:
        self._revoked = state.revoked_tokens

    def add(self, token_id: str, expires_at: datetime) -> None:
        self._revoked.setdefault(token_id, expires_at)

    def prune(self, expired_by: datetime) -> None:
        for token_id in [key for key, expires in self._revoked.items() if expires <= expired_by]:
            del self._revoked[token_id]


def _counts(keys: Iterable[int]) -> dict[int, int]:
    return dict(Counter(keys))
