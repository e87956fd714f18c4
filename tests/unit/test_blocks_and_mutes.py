"""Blocks and mutes on the memory adapter: what a block refuses and removes, what a
mute hides and from whom, and the rules on the relations themselves."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.awaiting import run_to_end
from tests.unit.support import FollowFn, PostFn, RegisterFn, SyncReads, UseCases
from twitter.application import commands
from twitter.application.pagination import PageRequest
from twitter.domain.errors import (
    AlreadyBlocking,
    AlreadyMuting,
    BlockNotFound,
    CannotBlockSelf,
    CannotMuteSelf,
    MuteNotFound,
    NotYourAccount,
    UserNotFound,
    YouAreBlocked,
    YouBlockedThem,
)
from twitter.domain.model import Tweet, User

EVERYTHING = PageRequest(limit=200)


def _id(entity: User | Tweet) -> int:
    assert entity.id is not None
    return entity.id


def _target(user: User, target: User) -> commands.UserTarget:
    return commands.UserTarget(actor_id=_id(user), user_id=_id(user), target_user_id=_id(target))


def block(app: UseCases, user: User, target: User) -> None:
    app.block_user(_target(user, target))


def mute(app: UseCases, user: User, target: User) -> None:
    app.mute_user(_target(user, target))


def home(app: UseCases, user: User) -> list[tuple[int, int | None]]:
    """(author, author of the original for a retweet) of each entry."""
    page = run_to_end(app.get_home_timeline(_id(user), _id(user), EVERYTHING))
    return [
        (card.author.id, card.original.author.id if card.original else None) for card in page.items
    ]


def inbox(app: UseCases, user: User) -> list[tuple[str, int]]:
    page = run_to_end(app.list_notifications(_id(user), _id(user), EVERYTHING))
    return [(n.type.value, n.actor.id) for n in page.items]


def follows(reads: SyncReads, user: User, target: User) -> bool:
    return reads.profile(target.username, _id(user)).followed_by_viewer


@pytest.fixture
def ada(register: RegisterFn) -> User:
    return register(username="ada")


@pytest.fixture
def bob(register: RegisterFn) -> User:
    return register(username="bob")


def test_a_block_removes_the_follows_both_ways_and_their_notifications(
    app: UseCases, reads: SyncReads, ada: User, bob: User, follow: FollowFn
) -> None:
    follow(ada, bob)
    follow(bob, ada)

    block(app, ada, bob)

    assert not follows(reads, ada, bob) and not follows(reads, bob, ada)
    assert inbox(app, bob) == [] and inbox(app, ada) == []


@pytest.mark.parametrize(
    "act",
    ["follow", "like", "retweet", "reply", "quote"],
)
def test_the_blocked_user_cannot_act_on_the_blocker(
    act: str, app: UseCases, reads: SyncReads, ada: User, bob: User, post: PostFn
) -> None:
    tweet = post(ada, "mine")
    block(app, ada, bob)
    acts: dict[str, Callable[[], object]] = {
        "follow": lambda: app.follow_user(
            commands.NewFollow(actor_id=_id(bob), user_id=_id(bob), target_user_id=_id(ada))
        ),
        "like": lambda: app.like_tweet(
            commands.NewLike(actor_id=_id(bob), user_id=_id(bob), tweet_id=_id(tweet))
        ),
        "retweet": lambda: app.retweet_tweet(
            commands.NewRetweet(actor_id=_id(bob), user_id=_id(bob), tweet_id=_id(tweet))
        ),
        "reply": lambda: app.post_tweet(
            commands.NewTweet(_id(bob), _id(bob), "no", in_reply_to_id=_id(tweet))
        ),
        "quote": lambda: app.post_tweet(
            commands.NewTweet(_id(bob), _id(bob), "look", quote_tweet_id=_id(tweet))
        ),
    }

    with pytest.raises(YouAreBlocked, match="You are blocked"):
        acts[act]()

    card = reads.tweet(_id(tweet))
    assert (card.tweet.like_count, card.tweet.retweet_count, card.tweet.reply_count) == (0, 0, 0)
    assert card.tweet.quote_count == 0 and inbox(app, ada) == []


def test_a_retweet_of_the_blockers_tweet_by_someone_else_is_refused_too(
    app: UseCases, ada: User, bob: User, register: RegisterFn, post: PostFn
) -> None:
    carol = register(username="carol")
    tweet = post(ada, "mine")
    retweet = app.retweet_tweet(
        commands.NewRetweet(actor_id=_id(carol), user_id=_id(carol), tweet_id=_id(tweet))
    )
    block(app, ada, bob)

    with pytest.raises(YouAreBlocked):
        app.like_tweet(commands.NewLike(actor_id=_id(bob), user_id=_id(bob), tweet_id=_id(retweet)))


def test_the_blocker_cannot_follow_whom_they_block_until_they_unblock(
    app: UseCases, reads: SyncReads, ada: User, bob: User, follow: FollowFn
) -> None:
    block(app, ada, bob)

    with pytest.raises(YouBlockedThem):
        follow(ada, bob)

    app.unblock_user(_target(ada, bob))
    follow(ada, bob)
    follow(bob, ada)
    assert follows(reads, ada, bob) and follows(reads, bob, ada)


def test_mentions_of_the_blocker_by_the_blocked_notify_nobody_but_others_hear(
    app: UseCases, ada: User, bob: User, register: RegisterFn, post: PostFn
) -> None:
    carol = register(username="carol")
    block(app, ada, bob)

    post(bob, "hey @ada and @carol")

    assert inbox(app, ada) == []
    assert inbox(app, carol) == [("mention", _id(bob))]


def test_the_blocker_no_longer_sees_the_blocked_in_home_or_notifications(
    app: UseCases, ada: User, bob: User, register: RegisterFn, post: PostFn, follow: FollowFn
) -> None:
    carol = register(username="carol")
    follow(ada, carol)
    tweet = post(bob, "bob speaks")
    app.retweet_tweet(
        commands.NewRetweet(actor_id=_id(carol), user_id=_id(carol), tweet_id=_id(tweet))
    )
    mine = post(ada, "ada speaks")
    app.like_tweet(commands.NewLike(actor_id=_id(bob), user_id=_id(bob), tweet_id=_id(mine)))
    assert (_id(carol), _id(bob)) in home(app, ada)
    assert ("like", _id(bob)) in inbox(app, ada)

    block(app, ada, bob)

    assert home(app, ada) == [(_id(ada), None)]
    assert inbox(app, ada) == []
    app.unblock_user(_target(ada, bob))
    assert ("like", _id(bob)) in inbox(app, ada)  # hidden, not deleted


def test_a_mute_hides_tweets_retweets_and_notifications_and_nothing_else(
    app: UseCases,
    reads: SyncReads,
    ada: User,
    bob: User,
    register: RegisterFn,
    post: PostFn,
    follow: FollowFn,
) -> None:
    carol = register(username="carol")
    follow(ada, bob)
    follow(ada, carol)
    tweet = post(bob, "bob speaks")
    app.retweet_tweet(
        commands.NewRetweet(actor_id=_id(carol), user_id=_id(carol), tweet_id=_id(tweet))
    )
    app.retweet_tweet(
        commands.NewRetweet(actor_id=_id(bob), user_id=_id(bob), tweet_id=_id(post(carol, "c")))
    )
    mine = post(ada, "ada speaks")
    app.like_tweet(commands.NewLike(actor_id=_id(bob), user_id=_id(bob), tweet_id=_id(mine)))

    mute(app, ada, bob)

    assert _id(bob) not in {author for author, _ in home(app, ada)}
    assert _id(bob) not in {original for _, original in home(app, ada)}
    assert (_id(carol), None) in home(app, ada)
    assert inbox(app, ada) == []
    # Nothing else changes: ada still follows bob, bob may still like and follow her.
    assert follows(reads, ada, bob)
    app.like_tweet(commands.NewLike(actor_id=_id(bob), user_id=_id(bob), tweet_id=_id(post(ada))))
    app.unmute_user(_target(ada, bob))
    assert ("like", _id(bob)) in inbox(app, ada)


def test_the_muted_user_cannot_tell(
    app: UseCases, reads: SyncReads, ada: User, bob: User, post: PostFn, follow: FollowFn
) -> None:
    follow(bob, ada)
    post(ada, "ada speaks")
    before = home(app, bob)

    mute(app, ada, bob)

    assert home(app, bob) == before
    assert follows(reads, bob, ada)
    with pytest.raises(NotYourAccount):
        run_to_end(app.list_muting(_id(bob), _id(ada), EVERYTHING))


def test_lists_of_blocks_and_mutes_are_their_owners_alone_newest_first(
    app: UseCases, ada: User, bob: User, register: RegisterFn
) -> None:
    carol = register(username="carol")
    block(app, ada, bob)
    block(app, ada, carol)
    mute(app, ada, carol)

    blocking = run_to_end(app.list_blocking(_id(ada), _id(ada), EVERYTHING))
    muting = run_to_end(app.list_muting(_id(ada), _id(ada), EVERYTHING))

    assert [user.username for user in blocking.items] == ["carol", "bob"]
    assert [user.username for user in muting.items] == ["carol"]
    with pytest.raises(NotYourAccount):
        run_to_end(app.list_blocking(_id(bob), _id(ada), EVERYTHING))


def test_the_relations_themselves_keep_their_rules(app: UseCases, ada: User, bob: User) -> None:
    with pytest.raises(CannotBlockSelf):
        block(app, ada, ada)
    with pytest.raises(CannotMuteSelf):
        mute(app, ada, ada)
    block(app, ada, bob)
    mute(app, ada, bob)
    with pytest.raises(AlreadyBlocking):
        block(app, ada, bob)
    with pytest.raises(AlreadyMuting):
        mute(app, ada, bob)
    with pytest.raises(BlockNotFound):
        app.unblock_user(_target(bob, ada))
    with pytest.raises(MuteNotFound):
        app.unmute_user(_target(bob, ada))
    with pytest.raises(NotYourAccount):
        app.block_user(commands.UserTarget(actor_id=_id(bob), user_id=_id(ada), target_user_id=2))
    with pytest.raises(UserNotFound):
        app.block_user(commands.UserTarget(_id(ada), _id(ada), target_user_id=999))


def test_blocks_and_mutes_go_with_either_account(
    app: UseCases, ada: User, bob: User, register: RegisterFn
) -> None:
    block(app, ada, bob)
    mute(app, bob, ada)

    app.delete_user(commands.AccountRemoval(actor_id=_id(bob), user_id=_id(bob)))

    assert run_to_end(app.list_blocking(_id(ada), _id(ada), EVERYTHING)).items == []
    carol = register(username="carol")
    block(app, ada, carol)  # ids and pairs of the deleted account are gone for good
