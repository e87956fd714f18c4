from __future__ import annotations

from twitter.application import commands
from twitter.application.ports import Clock, UnitOfWork
from twitter.application.use_cases._guards import (
    act_as,
    existing_user,
    original_tweet,
    refuse_if_blocked,
)
from twitter.domain.entities import mentioned_names
from twitter.domain.model import Tweet, clean_tweet_text, notifications_of_post


class PostTweet:
    """A user posts a tweet on their own account: maybe a reply, maybe a quote. Its
    references count it at once, and whoever it replies to, quotes or mentions hears
    of it. Not a reply to or quote of someone who blocks them; whoever blocks them
    hears nothing of their mentions."""

    def __init__(self, uow: UnitOfWork, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    def __call__(self, command: commands.NewTweet) -> Tweet:
        act_as(command.actor_id, command.owner_id)
        clean_tweet_text(command.text)  # bad text fails before the store is asked
        with self._uow as uow:
            parent = quoted = None
            if command.in_reply_to_id is not None:
                parent = original_tweet(uow, command.in_reply_to_id)
            if command.quote_tweet_id is not None:
                quoted = original_tweet(uow, command.quote_tweet_id)
            existing_user(uow, command.owner_id)
            tweet = Tweet.post(
                owner_id=command.owner_id,
                text=command.text,
                created_at=self._clock.now(),
                reply_to=parent,
                quoting=quoted,
                user_ids=uow.users.ids_by_username(mentioned_names(command.text)),
            )
            parent_owner = parent.owner_id if parent else None
            quoted_owner = quoted.owner_id if quoted else None
            answered = {owner for owner in (parent_owner, quoted_owner) if owner is not None}
            uow.users.hold({command.owner_id, *tweet.entities.mentioned_ids} | answered)
            refuse_if_blocked(uow, command.owner_id, answered)
            uow.tweets.add(tweet)
            uow.tweets.count_references(tweet, +1)
            told = notifications_of_post(tweet, parent_owner, quoted_owner)
            heard = {notification.recipient_id for notification in told}
            deaf = uow.blocks.blockers_among(command.owner_id, heard) if heard else set()
            for notification in told:
                if notification.recipient_id not in deaf:
                    uow.notifications.add(notification)
            uow.commit()
        return tweet
