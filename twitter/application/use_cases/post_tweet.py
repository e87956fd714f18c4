from __future__ import annotations

from twitter.application import commands
from twitter.application.ports import Clock, UnitOfWork
from twitter.application.use_cases._guards import act_as, existing_user, original_tweet
from twitter.domain.entities import mentioned_names
from twitter.domain.model import Tweet, clean_tweet_text, notifications_of_post


class PostTweet:
    """A user posts a tweet on their own account: maybe a reply, maybe a quote. Its
    references count it at once, and whoever it replies to, quotes or mentions hears
    of it."""

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
            involved = {command.owner_id, *tweet.entities.mentioned_ids}
            uow.users.hold(involved | {o for o in (parent_owner, quoted_owner) if o is not None})
            uow.tweets.add(tweet)
            uow.tweets.count_references(tweet, +1)
            for notification in notifications_of_post(tweet, parent_owner, quoted_owner):
                uow.notifications.add(notification)
            uow.commit()
        return tweet
