"""What a tweet is found by, and what a search asks for.

A tweet is found by its words: runs of letters and digits, compared without case or
accents (``Café`` is ``cafe``, ``STRASSE`` is ``straße``) and without stemming. The
words are worked out here, once, for every store: a tweet keeps them as its
``search_text`` (the words, space-separated, each once) and a store only indexes
that text, so no database's parser or dictionary can disagree with another's.
"""

from __future__ import annotations

import re
import unicodedata

from twitter.domain.errors import InvalidInput

QUERY_MAX_LENGTH = 500
QUERY_MAX_WORDS = 16

_WORD = re.compile(r"[^\W_]+")
_USERNAME_PREFIX = re.compile(r"[A-Za-z0-9_]{1,15}")


def words(text: str) -> list[str]:
    """The words of ``text`` in order, folded: no case, no accents, compatibility
    characters as their plain form (``ﬁ`` is ``fi``, a full-width letter is its ASCII one)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return _WORD.findall(unicodedata.normalize("NFKC", bare))


def search_text_of(text: str) -> str:
    """What a tweet with this text is found by: each of its words once, in order."""
    return " ".join(dict.fromkeys(words(text)))


def query_words(query: str) -> tuple[str, ...]:
    """The words a tweet must all hold to match ``query``; InvalidInput for a query
    that holds none (only punctuation or emoji), is too long, or has too many."""
    if "\x00" in query:
        raise InvalidInput("q", "q must not contain NUL characters")
    if len(query) > QUERY_MAX_LENGTH:
        raise InvalidInput("q", f"q must be at most {QUERY_MAX_LENGTH} characters")
    found = tuple(dict.fromkeys(words(query)))
    if not found:
        raise InvalidInput("q", "q must contain at least one word (letters or digits)")
    if len(found) > QUERY_MAX_WORDS:
        raise InvalidInput("q", f"q must contain at most {QUERY_MAX_WORDS} different words")
    return found


def username_prefix(query: str) -> str | None:
    """The lower-cased start of a username ``query`` asks for (a leading ``@`` is
    allowed); None when no username could start so (it matches nobody).
    InvalidInput for an empty query."""
    if "\x00" in query:
        raise InvalidInput("q", "q must not contain NUL characters")
    prefix = query.strip().removeprefix("@")
    if not prefix:
        raise InvalidInput("q", "q must name the start of a username")
    if _USERNAME_PREFIX.fullmatch(prefix) is None:
        return None
    return prefix.lower()
