"""The read port for synchronous code (scripts, notebooks, the README's examples):
each method waits for the port's answer.

The port's coroutines run on an event loop of the facade's own, in a daemon
thread, so that a connection pool bound to that loop lives across calls; calling
from inside another running loop works as well.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Coroutine, Iterable, Sequence
from datetime import datetime
from typing import Any, TypeVar

from twitter.application.pagination import Page, PageRequest
from twitter.application.queries import (
    AccountCounts,
    AccountView,
    ConversationView,
    LikeView,
    NotificationView,
    ProfileView,
    Reads,
    RelationshipView,
    TweetCard,
    TweetView,
    UserView,
)

T = TypeVar("T")


class BlockingReads:
    def __init__(self, reads: Reads) -> None:
        self._reads = reads
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def _wait(self, call: Coroutine[Any, Any, T]) -> T:
        return asyncio.run_coroutine_threadsafe(call, self._running_loop()).result()

    def _running_loop(self) -> asyncio.AbstractEventLoop:
        with self._lock:
            if self._loop is None:
                self._loop = asyncio.new_event_loop()
                self._thread = threading.Thread(
                    target=self._loop.run_forever, name="twitter-reads", daemon=True
                )
                self._thread.start()
            return self._loop

    def close(self) -> None:
        """Close the port's connections and stop the loop; a later call starts anew."""
        with self._lock:
            loop, thread, self._loop, self._thread = self._loop, self._thread, None, None
        if loop is None or thread is None:
            return
        aclose = getattr(self._reads, "aclose", None)
        if aclose is not None:
            asyncio.run_coroutine_threadsafe(aclose(), loop).result()
        asyncio.run_coroutine_threadsafe(loop.shutdown_asyncgens(), loop).result()
        loop.call_soon_threadsafe(loop.stop)
        thread.join()
        loop.close()

    def user(self, user_id: int) -> UserView:
        return self._wait(self._reads.user(user_id))

    def user_by_username(self, username: str) -> UserView:
        return self._wait(self._reads.user_by_username(username))

    def account(self, user_id: int, token_id: str) -> AccountView | None:
        return self._wait(self._reads.account(user_id, token_id))

    def profile(self, username: str, viewer_id: int | None = None) -> ProfileView:
        return self._wait(self._reads.profile(username, viewer_id))

    def users(self, page: PageRequest) -> Page[UserView]:
        return self._wait(self._reads.users(page))

    def followers(self, user_id: int, page: PageRequest) -> Page[UserView]:
        return self._wait(self._reads.followers(user_id, page))

    def following(self, user_id: int, page: PageRequest) -> Page[UserView]:
        return self._wait(self._reads.following(user_id, page))

    def liking_users(self, tweet_id: int, page: PageRequest) -> Page[UserView]:
        return self._wait(self._reads.liking_users(tweet_id, page))

    def tweet(self, tweet_id: int, viewer_id: int | None = None) -> TweetCard:
        return self._wait(self._reads.tweet(tweet_id, viewer_id))

    def bare_tweet(self, tweet_id: int) -> TweetView:
        return self._wait(self._reads.bare_tweet(tweet_id))

    def tweets(self, page: PageRequest, viewer_id: int | None = None) -> Page[TweetCard]:
        return self._wait(self._reads.tweets(page, viewer_id))

    def user_tweets(
        self, user_id: int, page: PageRequest, viewer_id: int | None = None
    ) -> Page[TweetCard]:
        return self._wait(self._reads.user_tweets(user_id, page, viewer_id))

    def liked_tweets(
        self, user_id: int, page: PageRequest, viewer_id: int | None = None
    ) -> Page[TweetCard]:
        return self._wait(self._reads.liked_tweets(user_id, page, viewer_id))

    def home_timeline(
        self, user_id: int, page: PageRequest, viewer_id: int | None = None
    ) -> Page[TweetCard]:
        return self._wait(self._reads.home_timeline(user_id, page, viewer_id))

    def user_likes(self, user_id: int, page: PageRequest) -> Page[LikeView]:
        return self._wait(self._reads.user_likes(user_id, page))

    def retweeted_by(self, tweet_id: int, page: PageRequest) -> Page[UserView]:
        return self._wait(self._reads.retweeted_by(tweet_id, page))

    def quote_tweets(
        self, tweet_id: int, page: PageRequest, viewer_id: int | None = None
    ) -> Page[TweetCard]:
        return self._wait(self._reads.quote_tweets(tweet_id, page, viewer_id))

    def context(self, tweet_id: int, viewer_id: int | None = None) -> ConversationView:
        return self._wait(self._reads.context(tweet_id, viewer_id))

    def tagged_tweets(
        self, tag: str, page: PageRequest, viewer_id: int | None = None
    ) -> Page[TweetCard]:
        return self._wait(self._reads.tagged_tweets(tag, page, viewer_id))

    def mentions(
        self, user_id: int, page: PageRequest, viewer_id: int | None = None
    ) -> Page[TweetCard]:
        return self._wait(self._reads.mentions(user_id, page, viewer_id))

    def notifications(
        self, user_id: int, page: PageRequest, *, unread_only: bool = False
    ) -> Page[NotificationView]:
        return self._wait(self._reads.notifications(user_id, page, unread_only=unread_only))

    def unread_notifications(self, user_id: int) -> int:
        return self._wait(self._reads.unread_notifications(user_id))

    def relationships(self, viewer_id: int, user_ids: Sequence[int]) -> list[RelationshipView]:
        return self._wait(self._reads.relationships(viewer_id, user_ids))

    def cards(self, tweet_ids: Sequence[int], viewer_id: int | None = None) -> list[TweetCard]:
        return self._wait(self._reads.cards(tweet_ids, viewer_id))

    def account_counts(self, user_ids: Iterable[int]) -> dict[int, AccountCounts]:
        return self._wait(self._reads.account_counts(user_ids))

    def counted(self, key: str) -> tuple[int, datetime] | None:
        return self._wait(self._reads.counted(key))

    def search_tweets(
        self, words: tuple[str, ...], page: PageRequest, viewer_id: int | None = None
    ) -> Page[TweetCard]:
        return self._wait(self._reads.search_tweets(words, page, viewer_id))

    def search_users(self, prefix: str, limit: int) -> list[UserView]:
        return self._wait(self._reads.search_users(prefix, limit))

    def bookmarks(
        self, user_id: int, page: PageRequest, viewer_id: int | None = None
    ) -> Page[TweetCard]:
        return self._wait(self._reads.bookmarks(user_id, page, viewer_id))

    def blocking(self, user_id: int, page: PageRequest) -> Page[UserView]:
        return self._wait(self._reads.blocking(user_id, page))

    def muting(self, user_id: int, page: PageRequest) -> Page[UserView]:
        return self._wait(self._reads.muting(user_id, page))
