"""Replies, retweets and quotes on the memory adapter: references, threads, counters
that equal the rows, and what deleting a tweet or an account leaves behind."""

from __future__ import annotations

import pytest

from tests.awaiting import run_to_end
from tests.unit.support import PostFn, RegisterFn, SyncReads, UseCases, snapshot
from twitter.adapters.memory import MemoryDatabase
from twitter.application import commands
from twitter.application.pagination import PageRequest
from twitter.domain.entities import Hashtag, MentionedUser
from twitter.domain.errors import (
    AlreadyRetweeted,
    InvalidInput,
    NotYourAccount,
    RetweetNotFound,
    TweetNotFound,
)
from twitter.domain.model import ReferencedTweet, ReferenceType, Tweet, User

EVERYTHING = PageRequest(limit=200)


def _id(entity: User | Tweet) -> int:
    assert entity.id is not None
    return entity.id


def reply(app: UseCases, author: User, parent: Tweet, text: str = "a reply") -> Tweet:
    return app.post_tweet(
        commands.NewTweet(
            actor_id=_id(author), owner_id=_id(author), text=text, in_reply_to_id=_id(parent)
        )
    )


def quote(app: UseCases, author: User, quoted: Tweet, text: str = "look at this") -> Tweet:
    return app.post_tweet(
        commands.NewTweet(
            actor_id=_id(author), owner_id=_id(author), text=text, quote_tweet_id=_id(quoted)
        )
    )


def retweet(app: UseCases, user: User, tweet: Tweet) -> Tweet:
    return app.retweet_tweet(
        commands.NewRetweet(actor_id=_id(user), user_id=_id(user), tweet_id=_id(tweet))
    )


def undo_retweet(app: UseCases, user: User, tweet: Tweet) -> None:
    app.undo_retweet(
        commands.RetweetRemoval(actor_id=_id(user), user_id=_id(user), tweet_id=_id(tweet))
    )


def delete(app: UseCases, tweet: Tweet) -> None:
    app.delete_tweet(commands.TweetRemoval(actor_id=tweet.owner_id, tweet_id=_id(tweet)))


def counts(reads: SyncReads, tweet: Tweet) -> tuple[int, int, int]:
    view = reads.tweet(_id(tweet)).tweet
    return view.reply_count, view.retweet_count, view.quote_count


def test_a_plain_tweet_starts_its_own_conversation(
    register: RegisterFn, post: PostFn, reads: SyncReads
) -> None:
    tweet = post(register())
    view = reads.tweet(_id(tweet)).tweet
    assert view.conversation_id == tweet.id
    assert view.in_reply_to_user_id is None
    assert view.referenced_tweets == ()
    assert counts(reads, tweet) == (0, 0, 0)


def test_a_reply_joins_its_parents_conversation_and_is_counted(
    app: UseCases, register: RegisterFn, post: PostFn, reads: SyncReads
) -> None:
    ada, bob = register(), register()
    root = post(ada)
    first = reply(app, bob, root)
    second = reply(app, ada, first)
    view = reads.tweet(_id(second)).tweet
    assert view.conversation_id == root.id
    assert view.in_reply_to_user_id == bob.id
    assert view.referenced_tweets == (ReferencedTweet(ReferenceType.REPLIED_TO, _id(first)),)
    assert counts(reads, root) == (1, 0, 0)
    assert counts(reads, first) == (1, 0, 0)


def test_replying_to_a_missing_tweet_is_not_found_and_stores_nothing(
    app: UseCases, register: RegisterFn, database: MemoryDatabase
) -> None:
    ada = register()
    before = snapshot(database)
    with pytest.raises(TweetNotFound):
        app.post_tweet(
            commands.NewTweet(actor_id=_id(ada), owner_id=_id(ada), text="hi", in_reply_to_id=999)
        )
    with pytest.raises(TweetNotFound):
        app.post_tweet(
            commands.NewTweet(actor_id=_id(ada), owner_id=_id(ada), text="hi", quote_tweet_id=999)
        )
    assert snapshot(database) == before


def test_bad_text_is_refused_before_the_parent_is_looked_up(
    app: UseCases, register: RegisterFn
) -> None:
    ada = register()
    with pytest.raises(InvalidInput):
        app.post_tweet(
            commands.NewTweet(actor_id=_id(ada), owner_id=_id(ada), text=" ", in_reply_to_id=999)
        )


def test_a_retweet_is_a_tweet_with_the_originals_text_referencing_it(
    app: UseCases, register: RegisterFn, post: PostFn, reads: SyncReads
) -> None:
    ada, bob = register(), register()
    original = post(ada, "#Python by @" + ada.username)
    shared = retweet(app, bob, original)
    view = reads.tweet(_id(shared)).tweet
    assert (view.owner_id, view.text) == (bob.id, original.text)
    assert view.referenced_tweets == (ReferencedTweet(ReferenceType.RETWEETED, _id(original)),)
    assert view.entities == reads.tweet(_id(original)).tweet.entities
    assert _id(shared) > _id(original)  # the same id space: one cursor for every timeline
    assert counts(reads, original) == (0, 1, 0)


def test_one_retweet_per_user_and_tweet_and_a_retweet_of_a_retweet_is_of_the_original(
    app: UseCases, register: RegisterFn, post: PostFn, reads: SyncReads
) -> None:
    ada, bob, cy = register(), register(), register()
    original = post(ada)
    bobs = retweet(app, bob, original)
    with pytest.raises(AlreadyRetweeted):
        retweet(app, bob, original)
    with pytest.raises(AlreadyRetweeted):
        retweet(app, bob, bobs)
    cys = retweet(app, cy, bobs)
    assert cys.retweeted_id == original.id
    assert counts(reads, original) == (0, 2, 0)
    assert [u.id for u in reads.retweeted_by(_id(original), EVERYTHING).items] == [cy.id, bob.id]


def test_undoing_a_retweet_removes_it_and_uncounts_it(
    app: UseCases, register: RegisterFn, post: PostFn, reads: SyncReads
) -> None:
    ada, bob = register(), register()
    original = post(ada)
    shared = retweet(app, bob, original)
    undo_retweet(app, bob, shared)  # through the retweet's id, as through the original's
    assert counts(reads, original) == (0, 0, 0)
    with pytest.raises(TweetNotFound):
        reads.tweet(_id(shared))
    with pytest.raises(RetweetNotFound):
        undo_retweet(app, bob, original)


def test_only_the_user_retweets_for_themself(
    app: UseCases, register: RegisterFn, post: PostFn
) -> None:
    ada, bob = register(), register()
    tweet = post(ada)
    with pytest.raises(NotYourAccount):
        app.retweet_tweet(commands.NewRetweet(actor_id=_id(ada), user_id=_id(bob), tweet_id=1))
    with pytest.raises(NotYourAccount):
        app.undo_retweet(
            commands.RetweetRemoval(actor_id=_id(ada), user_id=_id(bob), tweet_id=_id(tweet))
        )


def test_replying_to_liking_and_quoting_a_retweet_mean_its_original(
    app: UseCases, register: RegisterFn, post: PostFn, reads: SyncReads
) -> None:
    ada, bob, cy = register(), register(), register()
    original = post(ada)
    shared = retweet(app, bob, original)
    answer = reply(app, cy, shared)
    quoted = quote(app, cy, shared)
    like = app.like_tweet(commands.NewLike(actor_id=_id(cy), user_id=_id(cy), tweet_id=_id(shared)))
    assert answer.in_reply_to_id == original.id and answer.in_reply_to_user_id == ada.id
    assert quoted.quoted_id == original.id
    assert like.tweet_id == original.id
    assert counts(reads, original) == (1, 1, 1)
    assert counts(reads, shared) == (0, 0, 0)


def test_a_quote_references_the_quoted_tweet_and_is_listed_under_it(
    app: UseCases, register: RegisterFn, post: PostFn, reads: SyncReads
) -> None:
    ada, bob = register(), register()
    original = post(ada)
    first, second = quote(app, bob, original), quote(app, ada, original, "myself")
    view = reads.tweet(_id(first)).tweet
    assert view.referenced_tweets == (ReferencedTweet(ReferenceType.QUOTED, _id(original)),)
    assert view.conversation_id == first.id  # a quote starts a conversation of its own
    assert counts(reads, original) == (0, 0, 2)
    listed = reads.quote_tweets(_id(original), EVERYTHING).items
    assert [card.tweet.id for card in listed] == [second.id, first.id]


def test_a_reply_that_quotes_references_both(
    app: UseCases, register: RegisterFn, post: PostFn, reads: SyncReads
) -> None:
    ada, bob = register(), register()
    parent, quoted = post(ada), post(bob)
    both = app.post_tweet(
        commands.NewTweet(
            actor_id=_id(bob),
            owner_id=_id(bob),
            text="both",
            in_reply_to_id=_id(parent),
            quote_tweet_id=_id(quoted),
        )
    )
    assert [ref.type for ref in both.referenced_tweets] == ["replied_to", "quoted"]
    assert counts(reads, parent) == (1, 0, 0) and counts(reads, quoted) == (0, 0, 1)


def test_the_context_has_ancestors_oldest_first_and_descendants_depth_first(
    app: UseCases, register: RegisterFn, post: PostFn, reads: SyncReads
) -> None:
    ada, bob = register(), register()
    root = post(ada, "root")
    a = reply(app, bob, root, "a")
    a1 = reply(app, ada, a, "a1")
    b = reply(app, ada, root, "b")
    a2 = reply(app, bob, a, "a2")
    a1x = reply(app, bob, a1, "a1x")
    post(ada, "unrelated")

    around_root = reads.context(_id(root))
    assert around_root.ancestors == []
    order = [(r.depth, r.card.tweet.text) for r in around_root.descendants]
    assert order == [(1, "a"), (2, "a1"), (3, "a1x"), (2, "a2"), (1, "b")]

    around_a1 = reads.context(_id(a1))
    assert [card.tweet.id for card in around_a1.ancestors] == [root.id, a.id]
    assert [r.card.tweet.id for r in around_a1.descendants] == [a1x.id]
    assert b.id and a2.id


def test_deleting_a_tweet_keeps_its_replies_without_that_ancestor(
    app: UseCases, register: RegisterFn, post: PostFn, reads: SyncReads
) -> None:
    ada, bob = register(), register()
    root = post(ada)
    middle = reply(app, bob, root)
    leaf = reply(app, ada, middle)
    delete(app, middle)
    assert counts(reads, root) == (0, 0, 0)
    kept = reads.tweet(_id(leaf)).tweet
    assert kept.referenced_tweets == ()
    assert kept.conversation_id == root.id and kept.in_reply_to_user_id == bob.id
    assert reads.context(_id(leaf)).ancestors == []
    assert reads.context(_id(root)).descendants == []


def test_deleting_a_tweet_deletes_its_retweets_and_leaves_its_quotes_dangling(
    app: UseCases, register: RegisterFn, post: PostFn, reads: SyncReads
) -> None:
    ada, bob = register(), register()
    original = post(ada)
    shared = retweet(app, bob, original)
    quoting = quote(app, bob, original)
    delete(app, original)
    with pytest.raises(TweetNotFound):
        reads.tweet(_id(shared))
    dangling = reads.tweet(_id(quoting)).tweet
    assert dangling.referenced_tweets == (ReferencedTweet(ReferenceType.QUOTED, _id(original)),)
    assert [card.tweet.id for card in reads.user_tweets(_id(bob), EVERYTHING).items] == [quoting.id]


def test_deleting_a_reply_quote_or_retweet_uncounts_it(
    app: UseCases, register: RegisterFn, post: PostFn, reads: SyncReads
) -> None:
    ada, bob = register(), register()
    original = post(ada)
    made = [reply(app, bob, original), retweet(app, bob, original), quote(app, bob, original)]
    assert counts(reads, original) == (1, 1, 1)
    for tweet in made:
        delete(app, tweet)
    assert counts(reads, original) == (0, 0, 0)


def test_deleting_an_account_keeps_every_counter_elsewhere_true(
    app: UseCases, register: RegisterFn, post: PostFn, reads: SyncReads
) -> None:
    ada, bob, cy = register(), register(), register()
    original = post(ada)
    own_reply = reply(app, ada, original)  # ada's own tweets go with her
    bobs_tweet = post(bob)
    for tweet in (original, bobs_tweet):
        reply(app, cy, tweet)
        retweet(app, cy, tweet)
        quote(app, cy, tweet)
    cys_tweet = post(cy)
    reply(app, bob, cys_tweet)
    app.delete_user(commands.AccountRemoval(actor_id=_id(cy), user_id=_id(cy)))
    assert counts(reads, original) == (1, 0, 0)  # ada's own reply stays counted
    assert counts(reads, bobs_tweet) == (0, 0, 0)
    assert [c.tweet.id for c in reads.user_tweets(_id(ada), EVERYTHING).items] == [
        own_reply.id,
        original.id,
    ]


def test_retweets_are_their_own_entries_in_timelines(
    app: UseCases, register: RegisterFn, post: PostFn, reads: SyncReads
) -> None:
    ada, bob, cy = register(), register(), register()
    original = post(ada)
    shared = retweet(app, bob, original)
    app.follow_user(commands.NewFollow(actor_id=_id(cy), user_id=_id(cy), target_user_id=_id(bob)))
    assert home_ids(app, cy) == [shared.id]
    assert [c.tweet.id for c in reads.tweets(EVERYTHING).items] == [shared.id, original.id]
    assert [c.tweet.id for c in reads.user_tweets(_id(bob), EVERYTHING).items] == [shared.id]


def home_ids(app: UseCases, user: User) -> list[int]:
    page = run_to_end(app.get_home_timeline(_id(user), _id(user), EVERYTHING))
    return [card.tweet.id for card in page.items]


def test_hashtags_and_mentions_are_entities_with_offsets(
    app: UseCases, register: RegisterFn, post: PostFn, reads: SyncReads
) -> None:
    ada = register(username="Ada")
    bob = register(username="bob")
    tweet = post(ada, "Hi @BOB and @nobody, #Python #16 #ünïcode")
    entities = reads.tweet(_id(tweet)).tweet.entities
    assert entities.mentions == (MentionedUser(3, 7, "BOB", _id(bob)),)
    assert entities.hashtags == (Hashtag(21, 28, "Python"), Hashtag(33, 41, "ünïcode"))
    assert tweet.text[3:7] == "@BOB" and tweet.text[21:28] == "#Python"


def test_tag_lists_match_any_case_and_leave_retweets_out(
    app: UseCases, register: RegisterFn, post: PostFn, reads: SyncReads
) -> None:
    ada, bob = register(), register()
    first = post(ada, "#Python rocks")
    second = post(bob, "I like #PYTHON and #python")
    retweet(app, bob, first)
    post(ada, "#pythonic is another tag")
    for spelling in ("python", "Python", "PYTHON"):
        tagged = reads.tagged_tweets(spelling, EVERYTHING).items
        assert [card.tweet.id for card in tagged] == [second.id, first.id]
    assert reads.tagged_tweets("nothing", EVERYTHING).items == []


def test_mention_lists_show_tweets_naming_the_user(
    app: UseCases, register: RegisterFn, post: PostFn, reads: SyncReads
) -> None:
    ada, bob = register(username="ada"), register(username="bob")
    first = post(bob, "hello @ada")
    second = post(bob, "@Ada again, and @ada twice")
    retweet(app, bob, first)
    post(bob, "email ada@example.com is no mention")
    listed = reads.mentions(_id(ada), EVERYTHING).items
    assert [card.tweet.id for card in listed] == [second.id, first.id]
