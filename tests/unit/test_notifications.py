"""Notifications on the memory adapter: who hears of what, never of their own action,
undoing an action takes its notification back, read markers and the unread count."""

from __future__ import annotations

import pytest

from tests.awaiting import run_to_end
from tests.unit.support import PostFn, RegisterFn, SyncReads, UseCases
from twitter.application import commands
from twitter.application.pagination import PageRequest
from twitter.application.queries import NotificationView
from twitter.domain.errors import InvalidInput, NotificationNotFound, NotYourAccount
from twitter.domain.model import Tweet, User

EVERYTHING = PageRequest(limit=200)


def _id(entity: User | Tweet) -> int:
    assert entity.id is not None
    return entity.id


def inbox(app: UseCases, user: User, *, unread_only: bool = False) -> list[NotificationView]:
    page = run_to_end(
        app.list_notifications(_id(user), _id(user), EVERYTHING, unread_only=unread_only)
    )
    return page.items


def kinds(app: UseCases, user: User) -> list[tuple[str, int, int | None]]:
    return [(n.type.value, n.actor.id, n.tweet_id) for n in inbox(app, user)]


def tweet_as(app: UseCases, user: User, text: str, **refs: int) -> Tweet:
    return app.post_tweet(
        commands.NewTweet(actor_id=_id(user), owner_id=_id(user), text=text, **refs)
    )


def test_each_kind_of_action_notifies_the_one_it_concerns_newest_first(
    app: UseCases, register: RegisterFn, post: PostFn
) -> None:
    ada, bob = register(username="ada"), register(username="bob")
    tweet = post(ada, "hello")
    app.follow_user(
        commands.NewFollow(actor_id=_id(bob), user_id=_id(bob), target_user_id=_id(ada))
    )
    app.like_tweet(commands.NewLike(actor_id=_id(bob), user_id=_id(bob), tweet_id=_id(tweet)))
    answer = tweet_as(app, bob, "hi back", in_reply_to_id=_id(tweet))
    app.retweet_tweet(commands.NewRetweet(actor_id=_id(bob), user_id=_id(bob), tweet_id=_id(tweet)))
    quoting = tweet_as(app, bob, "see this", quote_tweet_id=_id(tweet))
    mention = tweet_as(app, bob, "hey @ada")
    assert kinds(app, ada) == [
        ("mention", _id(bob), _id(mention)),
        ("quote", _id(bob), _id(quoting)),
        ("retweet", _id(bob), _id(tweet)),
        ("reply", _id(bob), _id(answer)),
        ("like", _id(bob), _id(tweet)),
        ("follow", _id(bob), None),
    ]
    assert kinds(app, bob) == []
    first = inbox(app, ada)[0]
    assert first.actor.username == "bob" and first.read is False


def test_nobody_hears_of_their_own_action(
    app: UseCases, register: RegisterFn, post: PostFn
) -> None:
    ada = register(username="ada")
    tweet = post(ada, "mine")
    app.like_tweet(commands.NewLike(actor_id=_id(ada), user_id=_id(ada), tweet_id=_id(tweet)))
    tweet_as(app, ada, "me again @ada", in_reply_to_id=_id(tweet), quote_tweet_id=_id(tweet))
    app.retweet_tweet(commands.NewRetweet(actor_id=_id(ada), user_id=_id(ada), tweet_id=_id(tweet)))
    assert kinds(app, ada) == []


def test_a_reply_that_mentions_its_parents_author_notifies_once(
    app: UseCases, register: RegisterFn, post: PostFn
) -> None:
    ada, bob, cy = register(username="ada"), register(username="bob"), register(username="cy")
    tweet = post(ada, "hello")
    answer = tweet_as(app, bob, "@ada @cy @cy @nobody yes", in_reply_to_id=_id(tweet))
    assert kinds(app, ada) == [("reply", _id(bob), _id(answer))]
    assert kinds(app, cy) == [("mention", _id(bob), _id(answer))]


def test_undoing_an_action_takes_its_notification_back(
    app: UseCases, register: RegisterFn, post: PostFn
) -> None:
    ada, bob = register(username="ada"), register(username="bob")
    tweet = post(ada, "hello")
    bob_id, tweet_id = _id(bob), _id(tweet)
    app.follow_user(commands.NewFollow(actor_id=bob_id, user_id=bob_id, target_user_id=_id(ada)))
    app.like_tweet(commands.NewLike(actor_id=bob_id, user_id=bob_id, tweet_id=tweet_id))
    app.retweet_tweet(commands.NewRetweet(actor_id=bob_id, user_id=bob_id, tweet_id=tweet_id))
    answer = tweet_as(app, bob, "hey @ada", in_reply_to_id=tweet_id)
    assert len(inbox(app, ada)) == 4

    app.unfollow_user(
        commands.FollowRemoval(actor_id=bob_id, user_id=bob_id, target_user_id=_id(ada))
    )
    app.unlike_tweet(commands.LikeRemoval(actor_id=bob_id, user_id=bob_id, tweet_id=tweet_id))
    app.undo_retweet(commands.RetweetRemoval(actor_id=bob_id, user_id=bob_id, tweet_id=tweet_id))
    app.delete_tweet(commands.TweetRemoval(actor_id=bob_id, tweet_id=_id(answer)))
    assert inbox(app, ada) == []


def test_deleting_the_tweet_or_an_account_removes_their_notifications(
    app: UseCases, register: RegisterFn, post: PostFn
) -> None:
    ada, bob, cy = register(username="ada"), register(username="bob"), register(username="cy")
    tweet = post(ada, "hello")
    app.like_tweet(commands.NewLike(actor_id=_id(bob), user_id=_id(bob), tweet_id=_id(tweet)))
    app.follow_user(commands.NewFollow(actor_id=_id(cy), user_id=_id(cy), target_user_id=_id(ada)))
    app.follow_user(
        commands.NewFollow(actor_id=_id(ada), user_id=_id(ada), target_user_id=_id(bob))
    )
    app.delete_tweet(commands.TweetRemoval(actor_id=_id(ada), tweet_id=_id(tweet)))
    assert kinds(app, ada) == [("follow", _id(cy), None)]
    app.delete_user(commands.AccountRemoval(actor_id=_id(cy), user_id=_id(cy)))
    assert kinds(app, ada) == []
    app.delete_user(commands.AccountRemoval(actor_id=_id(ada), user_id=_id(ada)))
    assert kinds(app, bob) == []


def test_read_markers_and_the_unread_count(
    app: UseCases, register: RegisterFn, post: PostFn, reads: SyncReads
) -> None:
    ada, bob = register(username="ada"), register(username="bob")
    tweets = [tweet_as(app, bob, f"@ada number {n}") for n in range(3)]
    assert reads.unread_notifications(_id(ada)) == 3
    oldest, middle, newest = reversed(inbox(app, ada))
    app.mark_notifications_read(
        commands.NotificationsRead(actor_id=_id(ada), user_id=_id(ada), max_id=middle.id)
    )
    assert reads.unread_notifications(_id(ada)) == 1
    assert [n.id for n in inbox(app, ada, unread_only=True)] == [newest.id]
    assert [n.read for n in inbox(app, ada)] == [False, True, True]
    app.mark_notifications_read(
        commands.NotificationsRead(actor_id=_id(ada), user_id=_id(ada), max_id=2**70)
    )
    assert reads.unread_notifications(_id(ada)) == 0
    assert len(tweets) == 3 and oldest.id < middle.id


def test_notifications_are_their_owners_alone(app: UseCases, register: RegisterFn) -> None:
    ada, bob = register(), register()
    with pytest.raises(NotYourAccount):
        run_to_end(app.list_notifications(_id(bob), _id(ada), EVERYTHING))
    with pytest.raises(NotYourAccount):
        app.mark_notifications_read(
            commands.NotificationsRead(actor_id=_id(bob), user_id=_id(ada), max_id=1)
        )


def test_profiles_have_a_display_name_defaulting_to_the_username_and_a_bio(
    app: UseCases, register: RegisterFn, reads: SyncReads
) -> None:
    ada = register(username="ada")
    assert (reads.user(_id(ada)).display_name, reads.user(_id(ada)).bio) == ("ada", "")
    edited = app.edit_profile(
        commands.ProfileEdit(actor_id=_id(ada), display_name="  Ada Lovelace ", bio="Engines")
    )
    assert (edited.display_name, edited.bio) == ("Ada Lovelace", "Engines")
    app.edit_profile(commands.ProfileEdit(actor_id=_id(ada), bio=""))
    assert (reads.user(_id(ada)).display_name, reads.user(_id(ada)).bio) == ("Ada Lovelace", "")
    app.edit_profile(commands.ProfileEdit(actor_id=_id(ada), display_name=""))
    assert reads.user(_id(ada)).display_name == "ada"


@pytest.mark.parametrize(
    "change",
    [
        {"display_name": "x" * 51},
        {"display_name": "two\nlines"},
        {"bio": "x" * 161},
        {"bio": "nul\x00"},
        {"display_name": "\ud800"},
    ],
)
def test_bad_profile_text_is_refused_and_changes_nothing(
    app: UseCases, register: RegisterFn, reads: SyncReads, change: dict[str, str]
) -> None:
    ada = register(username="ada")
    with pytest.raises(InvalidInput):
        app.edit_profile(commands.ProfileEdit(actor_id=_id(ada), **change))
    assert (reads.user(_id(ada)).display_name, reads.user(_id(ada)).bio) == ("ada", "")


def test_a_dismissed_notification_is_gone_and_clearing_drops_only_ones_own(
    app: UseCases, register: RegisterFn, post: PostFn
) -> None:
    ada, bob = register(username="ada"), register(username="bob")
    tweet = post(ada, "hello")
    app.like_tweet(commands.NewLike(actor_id=_id(bob), user_id=_id(bob), tweet_id=_id(tweet)))
    tweet_as(app, bob, "hey @ada")
    tweet_as(app, ada, "and @bob")
    newest, oldest = inbox(app, ada)

    app.dismiss_notifications(commands.NotificationsDismissed(_id(ada), _id(ada), newest.id))
    assert [n.id for n in inbox(app, ada)] == [oldest.id]
    with pytest.raises(NotificationNotFound):
        app.dismiss_notifications(commands.NotificationsDismissed(_id(ada), _id(ada), newest.id))
    [bobs] = inbox(app, bob)
    with pytest.raises(NotificationNotFound):  # someone else's is not found, not dropped
        app.dismiss_notifications(commands.NotificationsDismissed(_id(ada), _id(ada), bobs.id))
    with pytest.raises(NotYourAccount):
        app.dismiss_notifications(commands.NotificationsDismissed(_id(ada), _id(bob)))

    app.dismiss_notifications(commands.NotificationsDismissed(_id(ada), _id(ada)))
    assert inbox(app, ada) == [] and [n.id for n in inbox(app, bob)] == [bobs.id]
