"""Search and bookmarks on the memory adapter: which words find a tweet, what a query
may hold, who finds whom, and bookmarks private to their owner."""

from __future__ import annotations

import pytest

from tests.awaiting import run_to_end
from tests.unit.support import PostFn, RegisterFn, SyncReads, UseCases
from twitter.application import commands
from twitter.application.pagination import PageRequest
from twitter.domain.errors import (
    AlreadyBookmarked,
    BookmarkNotFound,
    InvalidInput,
    NotYourAccount,
    TweetNotFound,
)
from twitter.domain.model import Tweet, User
from twitter.domain.search import query_words, search_text_of, username_prefix, words

EVERYTHING = PageRequest(limit=200)


def _id(entity: User | Tweet) -> int:
    assert entity.id is not None
    return entity.id


def found(app: UseCases, query: str, viewer: User | None = None, **paging: int) -> list[str]:
    page = PageRequest(limit=paging.pop("limit", 200), **paging)
    viewer_id = _id(viewer) if viewer else None
    return [card.tweet.text for card in run_to_end(app.search_tweets(query, page, viewer_id)).items]


def people(app: UseCases, query: str, limit: int = 20) -> list[str]:
    return [user.username for user in run_to_end(app.search_users(query, limit))]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Café au LAIT!", ["cafe", "au", "lait"]),
        ("STRASSE Straße", ["strasse", "strasse"]),
        ("\ufb01ne \uff26\uff55\uff4c\uff4c width", ["fine", "full", "width"]),
        ("don't #tag @who snake_case", ["don", "t", "tag", "who", "snake", "case"]),
        ("emoji 🎉 only 日本語", ["emoji", "only", "日本語"]),
        ("%_\\ & | ! ( ) \" '", []),
    ],
)
def test_words_fold_case_accents_and_compatibility_forms(text: str, expected: list[str]) -> None:
    assert words(text) == expected


def test_a_tweets_search_text_holds_each_word_once_in_order() -> None:
    assert search_text_of("Go go GO, café Cafe!") == "go cafe"


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("", "at least one word"),
        ("!!! ()&| 🎉", "at least one word"),
        ("a\x00b", "NUL"),
        ("x" * 501, "at most 500"),
        (" ".join(f"w{n}" for n in range(17)), "at most 16"),
    ],
)
def test_a_query_without_words_or_too_big_is_refused_clearly(query: str, message: str) -> None:
    with pytest.raises(InvalidInput, match=message) as refused:
        query_words(query)
    assert refused.value.field == "q"


def test_search_matches_every_word_regardless_of_case_and_accents_newest_first(
    app: UseCases, register: RegisterFn, post: PostFn
) -> None:
    ada = register(username="ada")
    post(ada, "Un café à Paris")
    post(ada, "coffee in Paris")
    post(ada, "CAFE time")

    assert found(app, "cafe") == ["CAFE time", "Un café à Paris"]
    assert found(app, "CAFÉ paris") == ["Un café à Paris"]
    assert found(app, "paris   CAFE!!") == ["Un café à Paris"]
    assert found(app, "café london") == []
    assert found(app, "par") == []  # words, not prefixes


def test_search_pages_by_max_id_and_leaves_out_retweets(
    app: UseCases, register: RegisterFn, post: PostFn
) -> None:
    ada, bob = register(username="ada"), register(username="bob")
    tweets = [post(ada, f"news number {n}") for n in range(3)]
    app.retweet_tweet(
        commands.NewRetweet(actor_id=_id(bob), user_id=_id(bob), tweet_id=_id(tweets[0]))
    )

    assert found(app, "news") == ["news number 2", "news number 1", "news number 0"]
    assert found(app, "news", limit=1, max_id=_id(tweets[2])) == ["news number 1"]


def test_the_viewer_does_not_find_the_tweets_of_whom_they_block(
    app: UseCases, register: RegisterFn, post: PostFn
) -> None:
    ada, bob = register(username="ada"), register(username="bob")
    post(bob, "bob says hello")
    app.block_user(
        commands.UserTarget(actor_id=_id(ada), user_id=_id(ada), target_user_id=_id(bob))
    )

    assert found(app, "hello", viewer=ada) == []
    assert found(app, "hello", viewer=bob) == ["bob says hello"]
    assert found(app, "hello") == ["bob says hello"]


def test_people_are_found_by_the_start_of_their_username_shortest_first(
    app: UseCases, register: RegisterFn
) -> None:
    for name in ("Alexandra", "alex", "al_ex", "Alexa", "bob"):
        register(username=name)

    assert people(app, "ALEX") == ["alex", "Alexa", "Alexandra"]
    assert people(app, "@al") == ["alex", "al_ex", "Alexa", "Alexandra"]
    assert people(app, "al_") == ["al_ex"]
    assert people(app, "al", limit=1) == ["alex"]
    assert people(app, "a%") == [] and people(app, "\uff41l") == []  # nobody's name starts so


def test_a_username_query_must_name_something() -> None:
    with pytest.raises(InvalidInput, match="start of a username"):
        username_prefix("  @ ")
    assert username_prefix("x" * 16) is None


def bookmark(app: UseCases, user: User, tweet: Tweet) -> None:
    app.bookmark_tweet(
        commands.BookmarkChange(actor_id=_id(user), user_id=_id(user), tweet_id=_id(tweet))
    )


def bookmarks(app: UseCases, user: User) -> list[str]:
    page = run_to_end(app.list_bookmarks(_id(user), _id(user), EVERYTHING))
    return [card.tweet.text for card in page.items]


def test_bookmarks_are_listed_newest_bookmark_first_and_flag_the_card(
    app: UseCases, reads: SyncReads, register: RegisterFn, post: PostFn
) -> None:
    ada, bob = register(username="ada"), register(username="bob")
    old, new = post(bob, "old"), post(bob, "new")
    bookmark(app, ada, new)
    bookmark(app, ada, old)

    assert bookmarks(app, ada) == ["old", "new"]
    assert reads.tweet(_id(old), _id(ada)).bookmarked_by_viewer
    assert not reads.tweet(_id(old), _id(bob)).bookmarked_by_viewer
    with pytest.raises(AlreadyBookmarked):
        bookmark(app, ada, old)


def test_bookmarks_are_private_and_notify_nobody(
    app: UseCases, register: RegisterFn, post: PostFn
) -> None:
    ada, bob = register(username="ada"), register(username="bob")
    bookmark(app, ada, post(bob, "secretly kept"))

    with pytest.raises(NotYourAccount):
        run_to_end(app.list_bookmarks(_id(bob), _id(ada), EVERYTHING))
    page = run_to_end(app.list_notifications(_id(bob), _id(bob), EVERYTHING))
    assert page.items == []


def test_a_bookmark_of_a_retweet_keeps_its_original_and_removal_works_either_way(
    app: UseCases, register: RegisterFn, post: PostFn
) -> None:
    ada, bob = register(username="ada"), register(username="bob")
    original = post(bob, "worth keeping")
    retweet = app.retweet_tweet(
        commands.NewRetweet(actor_id=_id(ada), user_id=_id(ada), tweet_id=_id(original))
    )
    bookmark(app, ada, retweet)
    assert bookmarks(app, ada) == ["worth keeping"]
    with pytest.raises(AlreadyBookmarked):
        bookmark(app, ada, original)

    app.remove_bookmark(commands.BookmarkChange(_id(ada), _id(ada), tweet_id=_id(retweet)))

    assert bookmarks(app, ada) == []
    with pytest.raises(BookmarkNotFound):
        app.remove_bookmark(commands.BookmarkChange(_id(ada), _id(ada), tweet_id=_id(original)))


def test_a_deleted_tweet_leaves_the_bookmarks(
    app: UseCases, register: RegisterFn, post: PostFn
) -> None:
    ada, bob = register(username="ada"), register(username="bob")
    tweet = post(bob, "soon gone")
    bookmark(app, ada, tweet)

    app.delete_tweet(commands.TweetRemoval(actor_id=_id(bob), tweet_id=_id(tweet)))

    assert bookmarks(app, ada) == []
    with pytest.raises(TweetNotFound):
        bookmark(app, ada, tweet)
