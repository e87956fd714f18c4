from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from twitter.application.ports import UnitOfWork
from twitter.domain.model import Tweet, User


@dataclass(frozen=True)
class TweetView:
    tweet: Tweet
    author: User
    liked_by_viewer: bool


class DescribeTweets:
    """Tweets with their authors and whether the viewer liked each: what a reader sees.

    Two queries whatever the number of tweets. A tweet whose author is gone
    meanwhile (a deletion between two reads) is left out.
    """

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    def __call__(self, tweets: Sequence[Tweet], viewer_id: int | None = None) -> list[TweetView]:
        if not tweets:
            return []
        tweet_ids = [tweet.id for tweet in tweets if tweet.id is not None]
        with self._uow as uow:
            authors = {user.id: user for user in uow.users.get_many({t.owner_id for t in tweets})}
            liked = uow.likes.liked_among(viewer_id, tweet_ids) if viewer_id else set()
        return [
            TweetView(
                tweet=tweet, author=authors[tweet.owner_id], liked_by_viewer=tweet.id in liked
            )
            for tweet in tweets
            if tweet.owner_id in authors
        ]
