"""Entities and the rules they keep.

Entities are plain dataclasses that the persistence adapter maps imperatively, so
they are never frozen or slotted and compare by identity (``eq=False``).
Factories (``User.register``, ``Tweet.post`` ...) are the only way the domain
creates them, and they check every invariant before an entity exists.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from twitter.domain.errors import CannotFollowSelf, InvalidInput

EMAIL_MAX_LENGTH = 254
USERNAME_MAX_LENGTH = 15
TWEET_MAX_LENGTH = 280
PASSWORD_MIN_LENGTH = 8
PASSWORD_MAX_LENGTH = 128

_USERNAME = re.compile(r"[A-Za-z0-9_]{1,15}")
_NOT_USERNAME_CHAR = re.compile(r"[^A-Za-z0-9_]+")
EMAIL_LOCAL_MAX_LENGTH = 64
EMAIL_LABEL_MAX_LENGTH = 63
# RFC 5322 atext: the characters of a dot-atom besides the dots.
_ATEXT = frozenset(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'*+/=?^_`{|}~-"
)
_LABEL_ASCII = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-")


def _require_storable(field: str, value: str) -> None:
    """Reject what no database can store: NUL characters and lone surrogates."""
    if "\x00" in value:
        raise _invalid(field, "must not contain NUL characters")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise _invalid(field, "must be valid Unicode text") from None


def _invalid(field: str, message: str) -> InvalidInput:
    return InvalidInput(field, f"{field} {message}")


def normalise_email(raw: str) -> str:
    """The canonical form of an email: trimmed, Unicode NFC, lower-cased; raises when
    malformed.

    Valid: at most 254 characters; a local part that is an RFC 5322 dot-atom (atext,
    and letters of any script, between single dots) of at most 64; a domain of two or
    more labels of 1..63 letters (of any script), digits and hyphens, none starting
    or ending with a hyphen, the last not all digits."""
    _require_storable("email", raw)
    email = unicodedata.normalize("NFC", raw.strip()).lower()
    local, at, domain = email.rpartition("@")
    labels = [_unicode_label(label) for label in domain.split(".")]
    if not at or None in labels:
        raise _invalid("email", "must be a valid email address")
    email = f"{local}@{'.'.join(label for label in labels if label is not None)}"
    if not _is_valid_email(email):
        raise _invalid("email", "must be a valid email address")
    return email


def _unicode_label(label: str) -> str | None:
    """A domain label in its Unicode form: ``xn--bcher-kva`` is ``bücher`` (so both
    spellings are one address); None for punycode that decodes to no such label."""
    if not label.startswith("xn--"):
        return label
    try:
        decoded = label[4:].encode("ascii").decode("punycode")
    except UnicodeError:
        return None
    decoded = unicodedata.normalize("NFC", decoded).lower()
    return decoded if decoded and not decoded.isascii() else None


def _is_valid_email(email: str) -> bool:
    if len(email) > EMAIL_MAX_LENGTH or email.count("@") != 1:
        return False
    local, domain = email.split("@")
    if not 1 <= len(local) <= EMAIL_LOCAL_MAX_LENGTH:
        return False
    atoms = local.split(".")
    if not all(atom and all(_in(char, _ATEXT) for char in atom) for atom in atoms):
        return False
    labels = domain.split(".")
    return (
        len(labels) >= 2 and all(_is_label(label) for label in labels) and not labels[-1].isdigit()
    )


def _is_label(label: str) -> bool:
    return (
        1 <= len(label) <= EMAIL_LABEL_MAX_LENGTH
        and not label.startswith("-")
        and not label.endswith("-")
        and all(_in(char, _LABEL_ASCII) for char in label)
    )


def _in(char: str, ascii_allowed: frozenset[str]) -> bool:
    """``char`` is one of ``ascii_allowed``, or a non-ASCII letter (or its combining mark)."""
    if char.isascii():
        return char in ascii_allowed
    return unicodedata.category(char)[0] in "LM"


def is_valid_username(raw: str) -> bool:
    return _USERNAME.fullmatch(raw) is not None


def validate_username(raw: str) -> str:
    """A username as given (case kept): 1..15 of letters, digits and underscore."""
    if not is_valid_username(raw):
        raise _invalid(
            "username",
            f"must be 1..{USERNAME_MAX_LENGTH} characters of letters, digits and underscore",
        )
    return raw


def username_candidates(email: str) -> Iterator[str]:
    """Usernames to try, in order, for someone who signed up without choosing one."""
    local = email.split("@", 1)[0]
    base = _NOT_USERNAME_CHAR.sub("_", local).strip("_")[:USERNAME_MAX_LENGTH] or "user"
    yield base
    seen = {base}
    suffix = 2
    while True:
        tail = str(suffix)
        candidate = base[: USERNAME_MAX_LENGTH - len(tail)] + tail
        if candidate not in seen:  # a shortened base may meet an earlier suffix
            seen.add(candidate)
            yield candidate
        suffix += 1


def validate_password(raw: str) -> str:
    """Passwords are any characters, NFKC-normalised (NIST 800-63B), then 8..128 long.

    Measured after normalising, so that every equivalent way of typing a password
    (composed or decomposed accents, ligatures ...) is equally valid at login."""
    try:
        raw.encode("utf-8")
    except UnicodeEncodeError:
        raise _invalid("password", "must be valid Unicode text") from None
    password = unicodedata.normalize("NFKC", raw)
    if not PASSWORD_MIN_LENGTH <= len(password) <= PASSWORD_MAX_LENGTH:
        raise _invalid(
            "password", f"must be {PASSWORD_MIN_LENGTH}..{PASSWORD_MAX_LENGTH} characters"
        )
    return password


def clean_tweet_text(raw: str) -> str:
    """Tweet text trimmed of surrounding white space; 1..280 characters remain."""
    _require_storable("text", raw)
    text = raw.strip()
    if not 1 <= len(text) <= TWEET_MAX_LENGTH:
        raise _invalid("text", f"must be 1..{TWEET_MAX_LENGTH} characters after trimming")
    return text


@dataclass(eq=False)
class User:
    email: str
    username: str
    hashed_password: str
    created_at: datetime
    id: int | None = None

    @classmethod
    def register(
        cls, *, email: str, username: str, hashed_password: str, created_at: datetime
    ) -> User:
        return cls(
            email=normalise_email(email),
            username=validate_username(username),
            hashed_password=hashed_password,
            created_at=created_at,
        )


@dataclass(eq=False)
class Tweet:
    text: str
    owner_id: int
    created_at: datetime
    like_count: int = 0
    id: int | None = None

    @classmethod
    def post(cls, *, owner_id: int, text: str, created_at: datetime) -> Tweet:
        return cls(text=clean_tweet_text(text), owner_id=owner_id, created_at=created_at)


@dataclass(eq=False)
class Like:
    owner_id: int
    tweet_id: int
    created_at: datetime
    id: int | None = None


@dataclass(eq=False)
class Follow:
    follower_id: int
    followee_id: int
    created_at: datetime
    id: int | None = None

    @classmethod
    def between(cls, *, follower_id: int, followee_id: int, created_at: datetime) -> Follow:
        if follower_id == followee_id:
            raise CannotFollowSelf()
        return cls(follower_id=follower_id, followee_id=followee_id, created_at=created_at)
