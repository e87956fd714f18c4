"""Hashtags and mentions in a tweet's text, found as X (Twitter) finds them, with
character offsets into the text: ``text[start:end]`` is the entity, sign included.

Hashtags: a ``#`` (or the fullwidth one, U+FF03) at the start or after a character
that is neither a hashtag character nor ``&``, then hashtag characters (letters and
marks of any script, decimal digits, ``_`` and a few joiners) with at least one
letter or mark: ``#16`` is a bus, not a tag. One followed by another ``#`` or by
``://`` is none, and neither is a keycap emoji. Tags match case-insensitively
(``tag_key``) and are shown as written.

Mentions: an ``@`` (or the fullwidth one, U+FF20) at the start or after a character
that could not belong to a word, an email or another mention (not a letter, digit,
``_``, ``!#$%&*`` or an at sign), then 1..20 ASCII letters, digits or ``_``. One
followed by another at sign, a Latin accented letter or ``://`` is none (an email, a
URL). Whether a mention names someone is for the store to say: a handle nobody has
is no entity.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass

HASH_SIGNS = "#\uff03"
AT_SIGNS = "@\uff20"
# Characters X counts as part of a hashtag besides letters, marks, digits and "_":
# joiners and marks that some scripts write inside words.
_HASHTAG_EXTRA = set(
    "\u200c\u200d\ua67e\u05be\u05f3\u05f4\uff5e\u301c\u309b\u309c\u30a0\u30fb\u3003\u0f0b\u0f0c\u00b7"
)
_KEYCAP = "\ufe0f\u20e3"
_MENTION_NAME_MAX = 20
_NOT_BEFORE_A_MENTION = set("!#$%&*@\uff20")


@dataclass(frozen=True, slots=True)
class Hashtag:
    start: int
    end: int
    tag: str
    """As written, without the sign."""


@dataclass(frozen=True, slots=True)
class Mention:
    start: int
    end: int
    username: str
    """As written, without the sign; the store decides whom (case-insensitively)."""


def tag_key(tag: str) -> str:
    """What two spellings of one hashtag have in common: ``#Python`` is ``#python``."""
    return unicodedata.normalize("NFKC", tag).casefold()


def key_of_tag(tag: str) -> str | None:
    """The key of the hashtag written ``tag`` (without its sign); None for a text that
    is no hashtag, which therefore tags nothing."""
    found = hashtags(f"#{tag}")
    return tag_key(tag) if [hashtag.tag for hashtag in found] == [tag] else None


def _is_tag_letter(char: str) -> bool:
    return unicodedata.category(char)[0] in "LM"


def _is_tag_char(char: str) -> bool:
    return (
        _is_tag_letter(char)
        or unicodedata.category(char) == "Nd"
        or char == "_"
        or (char in _HASHTAG_EXTRA)
    )


def _is_mention_char(char: str) -> bool:
    return char.isascii() and (char.isalnum() or char == "_")


def _is_latin_accented(char: str) -> bool:
    return "\u00c0" <= char <= "\u024f" and char not in "\u00d7\u00f7"


def hashtags(text: str) -> list[Hashtag]:
    found: list[Hashtag] = []
    index = 0
    while index < len(text):
        sign = text[index]
        if sign not in HASH_SIGNS or not _may_start_hashtag(text, index):
            index += 1
            continue
        end = index + 1
        while end < len(text) and _is_tag_char(text[end]):
            end += 1
        tag = text[index + 1 : end]
        following = text[end : end + 3]
        valid = (
            tag
            and any(_is_tag_letter(char) for char in tag)
            and not text.startswith(_KEYCAP[0], index + 1)
            and not text.startswith(_KEYCAP[1], index + 1)
            and not (following[:1] and following[0] in HASH_SIGNS)
            and not following.startswith("://")
        )
        if valid:
            found.append(Hashtag(start=index, end=end, tag=tag))
        index = max(end, index + 1)
    return found


def _may_start_hashtag(text: str, index: int) -> bool:
    if index == 0:
        return True
    before = text[index - 1]
    return not _is_tag_char(before) and before != "&"


def mentions(text: str) -> list[Mention]:
    found: list[Mention] = []
    index = 0
    while index < len(text):
        if text[index] not in AT_SIGNS or not _may_start_mention(text, index):
            index += 1
            continue
        end = index + 1
        while end < len(text) and _is_mention_char(text[end]) and end - index <= _MENTION_NAME_MAX:
            end += 1
        name = text[index + 1 : end]
        following = text[end : end + 3]
        valid = (
            name
            and not (end < len(text) and _is_mention_char(text[end]))
            and not (
                following[:1] and (following[0] in AT_SIGNS or _is_latin_accented(following[0]))
            )
            and not following.startswith("://")
        )
        if valid:
            found.append(Mention(start=index, end=end, username=name))
        index = max(end, index + 1)
    return found


def _may_start_mention(text: str, index: int) -> bool:
    if index == 0:
        return True
    before = text[index - 1]
    return not (_is_mention_char(before) or before in _NOT_BEFORE_A_MENTION)


@dataclass(frozen=True, slots=True)
class MentionedUser:
    """A mention that names someone: where it is, the handle as written, and whom."""

    start: int
    end: int
    username: str
    id: int


@dataclass(frozen=True, slots=True)
class TweetEntities:
    """What a tweet's text holds, found once when it is posted: its hashtags, and its
    mentions of users who existed then."""

    hashtags: tuple[Hashtag, ...] = ()
    mentions: tuple[MentionedUser, ...] = ()

    @classmethod
    def found_in(cls, text: str, user_ids: Mapping[str, int]) -> TweetEntities:
        """``user_ids``: the id of each user mentioned, by lower-cased username
        (``mentioned_names``); a handle missing from it names nobody."""
        named = [
            MentionedUser(m.start, m.end, m.username, user_ids[m.username.lower()])
            for m in mentions(text)
            if m.username.lower() in user_ids
        ]
        return cls(hashtags=tuple(hashtags(text)), mentions=tuple(named))

    @property
    def tag_keys(self) -> frozenset[str]:
        """Each hashtag once, as it is matched."""
        return frozenset(tag_key(tag.tag) for tag in self.hashtags)

    @property
    def mentioned_ids(self) -> frozenset[int]:
        return frozenset(mention.id for mention in self.mentions)


def mentioned_names(text: str) -> frozenset[str]:
    """The lower-cased handles a text mentions, to look up before ``found_in``."""
    return frozenset(mention.username.lower() for mention in mentions(text))
