"""Hashtags and mentions are found as X finds them, with offsets into the text."""

from __future__ import annotations

import pytest

from twitter.domain.entities import Hashtag, Mention, hashtags, key_of_tag, mentions, tag_key


def tags(text: str) -> list[str]:
    return [text[h.start : h.end] for h in hashtags(text)]


def names(text: str) -> list[str]:
    return [m.username for m in mentions(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a #hashtag here", ["#hashtag"]),
        ("this is #hashtag1", ["#hashtag1"]),
        ("#1hashtag is this", ["#1hashtag"]),
        ("#under_score and #_lead", ["#under_score", "#_lead"]),
        ("On the #16 bus", []),
        ("#0", []),
        ("#_123 is digits and an underscore, no letter", []),
        ("#日本語 and #Ελληνικά and #русский", ["#日本語", "#Ελληνικά", "#русский"]),
        ("#café #naïve", ["#café", "#naïve"]),
        ("combining: #cafe\u0301", ["#cafe\u0301"]),
        ("fullwidth \uff03タグ", ["\uff03タグ"]),
        ("#one,#two.#three!", ["#one", "#two", "#three"]),
        ("no#tag here, nor &#39; an entity", []),
        ("#tag#second", []),
        ("#http://example.com", []),
        ("keycap #\ufe0f\u20e3 is an emoji", []),
        ("(#paren) [#bracket]", ["#paren", "#bracket"]),
        ("# alone and ## twice", []),
        ("", []),
    ],
)
def test_hashtags_follow_xs_rules(text: str, expected: list[str]) -> None:
    assert tags(text) == expected


def test_hashtag_offsets_are_characters_and_the_tag_is_as_written() -> None:
    text = "🎉 I love #Python and #日本"
    assert hashtags(text) == [
        Hashtag(start=9, end=16, tag="Python"),
        Hashtag(start=21, end=24, tag="日本"),
    ]
    for hashtag in hashtags(text):
        assert text[hashtag.start] == "#"
        assert text[hashtag.start + 1 : hashtag.end] == hashtag.tag


def test_tags_match_whatever_their_letter_case() -> None:
    assert tag_key("Python") == tag_key("PYTHON") == tag_key("python")
    assert tag_key("Straße") == tag_key("STRASSE")
    assert tag_key("\uff50\uff59\uff54\uff48\uff4f\uff4e") == tag_key("python")  # fullwidth letters
    assert tag_key("café") != tag_key("cafe")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("hello @ada", ["ada"]),
        ("@ada at the start", ["ada"]),
        ("@ada, @bob_2: and (@Cy)", ["ada", "bob_2", "Cy"]),
        ("fullwidth \uff20ada", ["ada"]),
        ("mail ada@example.com", []),
        ("ada@bob", []),
        ("@ada@example.com", []),
        ("@ada://x", []),
        ("@adaé", []),
        ("!@ada #@bob $@cy %@dee &@eve *@fay", []),
        ("_@ada", []),
        ("@" + "a" * 20, ["a" * 20]),
        ("@" + "a" * 21, []),
        ("@ and @@ada", []),
        ("RT @ada: hello", ["ada"]),
        ("", []),
    ],
)
def test_mentions_follow_xs_rules(text: str, expected: list[str]) -> None:
    assert names(text) == expected


def test_mention_offsets_are_characters() -> None:
    text = "👋 @ada and @Bob"
    assert mentions(text) == [
        Mention(start=2, end=6, username="ada"),
        Mention(start=11, end=15, username="Bob"),
    ]
    for mention in mentions(text):
        assert text[mention.start + 1 : mention.end] == mention.username


@pytest.mark.parametrize(
    ("tag", "key"),
    [
        ("Python", "python"),
        ("ÜBER", "über"),
        ("py_3", "py_3"),
        ("\uff50\uff59\uff54\uff48\uff4f\uff4e", "python"),
    ],
)
def test_a_tag_as_typed_in_a_list_is_keyed_as_tweets_are(tag: str, key: str) -> None:
    assert key_of_tag(tag) == key


@pytest.mark.parametrize("tag", ["", "#x", "py thon", "16", "a\x00b", "x/y"])
def test_a_text_that_is_no_hashtag_tags_nothing(tag: str) -> None:
    assert key_of_tag(tag) is None
