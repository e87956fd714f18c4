"""Checks several use cases share."""

from __future__ import annotations

from twitter.application.ports import UnitOfWork
from twitter.domain.errors import NotYourAccount, TweetNotFound, UserNotFound
from twitter.domain.model import Tweet, User


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
