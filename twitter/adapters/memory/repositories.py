"""Repositories over dicts, keeping the same constraints the database keeps."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from datetime import datetime, timedelta
from typing import TypeVar

from twitter.adapters.memory.state import MemoryState
from twitter.application.pagination import PageRequest
from twitter.domain.errors import (
    AlreadyFollowing,
    AlreadyLiked,
    EmailAlreadyRegistered,
    TweetNotFound,
    UsernameTaken,
    UserNotFound,
)
from twitter.domain.model import Follow, Like, Tweet, User

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

    def lock_for_deletion(self, user: User) -> None:
        """Nothing to do: the unit of work holds the whole database's lock."""

    def delete(self, user: User) -> None:
        state = self._state
        for like in [like for like in state.likes.values() if like.owner_id == user.id]:
            del state.likes[_id(like)]
        for tweet in [t for t in state.tweets.values() if t.owner_id == user.id]:
            MemoryTweetRepository(state).delete(tweet)
        for follow_id in [
            key
            for key, follow in state.follows.items()
            if user.id in (follow.follower_id, follow.followee_id)
        ]:
            del state.follows[follow_id]
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
        if tweet.owner_id not in self._state.users:
            raise UserNotFound()
        tweet.id = self._state.next_id("tweets")
        self._state.tweets[tweet.id] = tweet

    def get(self, tweet_id: int) -> Tweet | None:
        return self._state.tweets.get(tweet_id)

    def delete(self, tweet: Tweet) -> None:
        likes = self._state.likes
        for like_id in [key for key, like in likes.items() if like.tweet_id == tweet.id]:
            del likes[like_id]
        del self._state.tweets[_id(tweet)]

    def change_like_count(self, tweet_id: int, delta: int) -> None:
        tweet = self._state.tweets.get(tweet_id)
        if tweet is not None:
            tweet.like_count += delta

    def uncount_likes_by(self, owner_id: int) -> None:
        tweets = self._state.tweets
        for like in self._state.likes.values():
            if like.owner_id == owner_id:
                tweets[like.tweet_id].like_count -= 1

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
        authors = {user_id} | {
            f.followee_id for f in self._state.follows.values() if f.follower_id == user_id
        }
        tweets = self._state.tweets.items()
        return _items(_page(((k, t) for k, t in tweets if t.owner_id in authors), page))

    def count_by_owner(self, owner_id: int) -> int:
        return sum(1 for tweet in self._state.tweets.values() if tweet.owner_id == owner_id)


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

    def count_followers(self, user_id: int) -> int:
        return sum(1 for f in self._state.follows.values() if f.followee_id == user_id)

    def count_following(self, user_id: int) -> int:
        return sum(1 for f in self._state.follows.values() if f.follower_id == user_id)

    def _find(self, follower_id: int, followee_id: int) -> Follow | None:
        return next(
            (
                f
                for f in self._state.follows.values()
                if f.follower_id == follower_id and f.followee_id == followee_id
            ),
            None,
        )


def _id(entity: User | Tweet | Like | Follow) -> int:
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


class MemoryRevokedTokenRepository:
    def __init__(self, state: MemoryState) -> None:
        self._revoked = state.revoked_tokens

    def add(self, token_id: str, expires_at: datetime) -> None:
        self._revoked.setdefault(token_id, expires_at)

    def prune(self, expired_by: datetime) -> None:
        for token_id in [key for key, expires in self._revoked.items() if expires <= expired_by]:
            del self._revoked[token_id]
