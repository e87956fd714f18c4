"""Checks and steps several use cases share."""

from __future__ import annotations

from datetime import datetime

from twitter.application.ports import UnitOfWork
from twitter.domain.errors import NotYourAccount, TweetNotFound, UserNotFound, YouAreBlocked
from twitter.domain.model import NotificationType, Tweet, User, notification_of


def act_as(actor_id: int, user_id: int) -> None:
    """Only the user themself may act on their account."""
    if actor_id != user_id:
        raise NotYourAccount()


def existing_user(uow: UnitOfWork, user_id: int) -> User:
    user = uow.users.get(user_id)
    if user is None:
        raise UserNotFound()
    return user


def existing_tweet(uow: UnitOfWork, tweet_id: int) -> Tweet:
    tweet = uow.tweets.get(tweet_id)
    if tweet is None:
        raise TweetNotFound()
    return tweet


def original_tweet(uow: UnitOfWork, tweet_id: int) -> Tweet:
    """The tweet, or the original of a retweet: what a like, reply, quote or retweet of
    it is about. TweetNotFound if either is gone."""
    tweet = existing_tweet(uow, tweet_id)
    if tweet.retweeted_id is None:
        return tweet
    return existing_tweet(uow, tweet.retweeted_id)


def notify(
    uow: UnitOfWork,
    kind: NotificationType,
    *,
    actor_id: int,
    recipient_id: int,
    tweet_id: int | None,
    at: datetime,
) -> None:
    """Tell ``recipient_id`` of what ``actor_id`` did, unless it is their own doing."""
    notification = notification_of(
        kind, actor_id=actor_id, recipient_id=recipient_id, tweet_id=tweet_id, at=at
    )
    if notification is not None:
        uow.notifications.add(notification)


def refuse_if_blocked(uow: UnitOfWork, actor_id: int, owner_ids: set[int]) -> None:
    """YouAreBlocked when any of ``owner_ids`` blocks ``actor_id``. Ask it after
    ``users.hold`` on them, so that a block made meanwhile is seen (``users.lock``)."""
    others = owner_ids - {actor_id}
    if others and uow.blocks.blockers_among(actor_id, others):
        raise YouAreBlocked()
