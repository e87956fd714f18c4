"""Keeping tweets for later, privately."""

from __future__ import annotations

from twitter.application import commands
from twitter.application.pagination import Page, PageRequest
from twitter.application.ports import Clock, UnitOfWork
from twitter.application.queries import Reads, TweetCard
from twitter.application.use_cases._guards import act_as, original_tweet
from twitter.domain.errors import BookmarkNotFound
from twitter.domain.model import Bookmark


class BookmarkTweet:
    """A user bookmarks a tweet once (a retweet: its original). Nobody hears of it."""

    def __init__(self, uow: UnitOfWork, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    def __call__(self, command: commands.BookmarkChange) -> Bookmark:
        act_as(command.actor_id, command.user_id)
        with self._uow as uow:
            tweet = original_tweet(uow, command.tweet_id)
            assert tweet.id is not None
            bookmark = Bookmark(
                owner_id=command.user_id, tweet_id=tweet.id, created_at=self._clock.now()
            )
            uow.bookmarks.add(bookmark)
            uow.commit()
        return bookmark


class RemoveBookmark:
    """A user removes their bookmark of a tweet (or of the original a retweet shares)."""

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    def __call__(self, command: commands.BookmarkChange) -> None:
        act_as(command.actor_id, command.user_id)
        with self._uow as uow:
            tweet = uow.tweets.get(command.tweet_id)
            tweet_id = tweet.original_id if tweet is not None else None
            if not uow.bookmarks.remove(command.user_id, tweet_id or command.tweet_id):
                raise BookmarkNotFound()
            uow.commit()


class ListBookmarks:
    """A user's bookmarks, newest bookmark first; theirs alone to see. ``mark_liked``:
    flag what the user liked, retweeted and bookmarked (the pages show it, the API
    does not), as ``GetHomeTimeline``."""

    def __init__(self, reads: Reads) -> None:
        self._reads = reads

    async def __call__(
        self, actor_id: int, user_id: int, page: PageRequest, *, mark_liked: bool = False
    ) -> Page[TweetCard]:
        act_as(actor_id, user_id)
        return await self._reads.bookmarks(user_id, page, actor_id if mark_liked else None)
