"""Entities and the rules they keep.

Entities are plain dataclasses that the persistence adapter maps imperatively, so
they are never frozen or slotted and compare by identity (``eq=False``).
Factories (``User.register``, ``Tweet.post`` ...) are the only way the domain
creates them, and they check every invariant before an entity exists.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from twitter.domain.entities import TweetEntities
from twitter.domain.errors import CannotBlockSelf, CannotFollowSelf, CannotMuteSelf, InvalidInput
from twitter.domain.search import search_text_of

EMAIL_MAX_LENGTH = 254
USERNAME_MAX_LENGTH = 15
TWEET_MAX_LENGTH = 280
PASSWORD_MIN_LENGTH = 8
PASSWORD_MAX_LENGTH = 128
DISPLAY_NAME_MAX_LENGTH = 50
BIO_MAX_LENGTH = 160

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


def clean_profile_text(field: str, raw: str, max_length: int) -> str:
    """A display name or bio: plain text, trimmed, on one line for a name, at most
    ``max_length`` characters."""
    _require_storable(field, raw)
    text = raw.strip()
    if field == "display_name" and any(char in text for char in "\r\n"):
        raise _invalid(field, "must be on one line")
    if len(text) > max_length:
        raise _invalid(field, f"must be at most {max_length} characters")
    return text


@dataclass(eq=False)
class User:
    email: str
    username: str
    hashed_password: str
    created_at: datetime
    id: int | None = None
    display_name: str = ""
    """As the user wants to be called; their username until they choose."""
    bio: str = ""

    @classmethod
    def register(
        cls, *, email: str, username: str, hashed_password: str, created_at: datetime
    ) -> User:
        username = validate_username(username)
        return cls(
            email=normalise_email(email),
            username=username,
            hashed_password=hashed_password,
            created_at=created_at,
            display_name=username,
        )

    def edit_profile(self, *, display_name: str | None = None, bio: str | None = None) -> None:
        """Change what is given, all or nothing; an empty display name is the username
        again."""
        name = self.display_name
        if display_name is not None:
            name = clean_profile_text("display_name", display_name, DISPLAY_NAME_MAX_LENGTH)
        if bio is not None:
            bio = clean_profile_text("bio", bio, BIO_MAX_LENGTH)
        self.display_name = name or self.username
        if bio is not None:
            self.bio = bio


class ReferenceType(StrEnum):
    REPLIED_TO = "replied_to"
    QUOTED = "quoted"
    RETWEETED = "retweeted"


@dataclass(frozen=True, slots=True)
class ReferencedTweet:
    type: ReferenceType
    id: int


@dataclass(eq=False)
class Tweet:
    """A tweet, a reply (``in_reply_to_id``), a quote (``quoted_id``) or a retweet
    (``retweeted_id``: the original's text, no text of its own). References point at
    older tweets only, so their ids are always smaller than the tweet's own."""

    text: str
    owner_id: int
    created_at: datetime
    like_count: int = 0
    id: int | None = None
    thread_root_id: int | None = None
    """The conversation a reply belongs to (its root's id); None: the tweet starts one."""
    in_reply_to_id: int | None = None
    """The parent of a reply; None once the parent is deleted."""
    in_reply_to_user_id: int | None = None
    quoted_id: int | None = None
    """Kept when the quoted tweet is deleted: the reference then dangles."""
    retweeted_id: int | None = None
    reply_count: int = 0
    retweet_count: int = 0
    quote_count: int = 0
    entities: TweetEntities = field(default_factory=TweetEntities)
    search_text: str | None = None
    """The words it is found by (``search.search_text_of``); None for a retweet,
    which search leaves to its original."""

    @classmethod
    def post(
        cls,
        *,
        owner_id: int,
        text: str,
        created_at: datetime,
        reply_to: Tweet | None = None,
        quoting: Tweet | None = None,
        user_ids: Mapping[str, int] | None = None,
    ) -> Tweet:
        """A new tweet; ``reply_to`` and ``quoting`` are originals, never retweets
        (replying to or quoting a retweet means its original: ``Tweet.original_id``).
        ``user_ids``: the users its text may mention, as ``TweetEntities.found_in``
        takes them."""
        text = clean_tweet_text(text)
        for target in (reply_to, quoting):
            assert target is None or (target.id is not None and target.retweeted_id is None)
        return cls(
            text=text,
            owner_id=owner_id,
            created_at=created_at,
            thread_root_id=reply_to.conversation_id if reply_to else None,
            in_reply_to_id=reply_to.id if reply_to else None,
            in_reply_to_user_id=reply_to.owner_id if reply_to else None,
            quoted_id=quoting.id if quoting else None,
            entities=TweetEntities.found_in(text, user_ids or {}),
            search_text=search_text_of(text),
        )

    @classmethod
    def retweet(cls, *, owner_id: int, original: Tweet, created_at: datetime) -> Tweet:
        """``owner_id`` shares ``original`` (an original, never a retweet) as their own
        entry: its text and entities, and a reference to it."""
        assert original.id is not None and original.retweeted_id is None
        return cls(
            text=original.text,
            owner_id=owner_id,
            created_at=created_at,
            retweeted_id=original.id,
            entities=original.entities,
        )

    @property
    def conversation_id(self) -> int | None:
        """The id of the thread's first tweet (the tweet's own for one that starts it)."""
        return self.thread_root_id if self.thread_root_id is not None else self.id

    @property
    def original_id(self) -> int | None:
        """What a like, a reply, a quote or a retweet of this tweet is about: the
        original of a retweet, else the tweet itself."""
        return self.retweeted_id if self.retweeted_id is not None else self.id

    @property
    def referenced_tweets(self) -> tuple[ReferencedTweet, ...]:
        return references(self.in_reply_to_id, self.quoted_id, self.retweeted_id)


def references(
    in_reply_to_id: int | None, quoted_id: int | None, retweeted_id: int | None
) -> tuple[ReferencedTweet, ...]:
    """A tweet's references in X's order: what it retweets or replies to, what it quotes."""
    found = (
        (ReferenceType.RETWEETED, retweeted_id),
        (ReferenceType.REPLIED_TO, in_reply_to_id),
        (ReferenceType.QUOTED, quoted_id),
    )
    return tuple(ReferencedTweet(kind, key) for kind, key in found if key is not None)


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


@dataclass(eq=False)
class Block:
    """``blocker_id`` shuts ``blocked_id`` out: no follows either way, and none of the
    blocked user's likes, retweets, replies, quotes or follows."""

    blocker_id: int
    blocked_id: int
    created_at: datetime
    id: int | None = None

    @classmethod
    def between(cls, *, blocker_id: int, blocked_id: int, created_at: datetime) -> Block:
        if blocker_id == blocked_id:
            raise CannotBlockSelf()
        return cls(blocker_id=blocker_id, blocked_id=blocked_id, created_at=created_at)


@dataclass(eq=False)
class Mute:
    """``muter_id`` stops hearing of ``muted_id``, who cannot tell."""

    muter_id: int
    muted_id: int
    created_at: datetime
    id: int | None = None

    @classmethod
    def between(cls, *, muter_id: int, muted_id: int, created_at: datetime) -> Mute:
        if muter_id == muted_id:
            raise CannotMuteSelf()
        return cls(muter_id=muter_id, muted_id=muted_id, created_at=created_at)


@dataclass(eq=False)
class Bookmark:
    """A tweet kept for later, seen by its owner alone."""

    owner_id: int
    tweet_id: int
    created_at: datetime
    id: int | None = None


class NotificationType(StrEnum):
    LIKE = "like"
    FOLLOW = "follow"
    REPLY = "reply"
    MENTION = "mention"
    RETWEET = "retweet"
    QUOTE = "quote"


@dataclass(eq=False)
class Notification:
    """``actor_id`` did something to ``recipient_id``. ``tweet_id``: the tweet liked
    or retweeted, or the new reply, quote or mentioning tweet; None for a follow."""

    recipient_id: int
    actor_id: int
    type: NotificationType
    tweet_id: int | None
    created_at: datetime
    read: bool = False
    id: int | None = None


def notifications_of_post(
    tweet: Tweet, parent_owner_id: int | None, quoted_owner_id: int | None
) -> list[Notification]:
    """Who hears of a new tweet: the author replied to, the author quoted, and everyone
    it mentions, each once (a reply or a quote is news enough), never its author."""
    assert tweet.id is not None and tweet.retweeted_id is None
    kinds: dict[int, NotificationType] = {}
    for user_id in sorted(tweet.entities.mentioned_ids):
        kinds[user_id] = NotificationType.MENTION
    if quoted_owner_id is not None:
        kinds[quoted_owner_id] = NotificationType.QUOTE
    if parent_owner_id is not None:
        kinds[parent_owner_id] = NotificationType.REPLY
    return [
        Notification(recipient, tweet.owner_id, kind, tweet.id, tweet.created_at)
        for recipient, kind in kinds.items()
        if recipient != tweet.owner_id
    ]


def notification_of(
    kind: NotificationType, *, actor_id: int, recipient_id: int, tweet_id: int | None, at: datetime
) -> Notification | None:
    """A like, follow or retweet's notification; None for one's own action."""
    if actor_id == recipient_id:
        return None
    return Notification(recipient_id, actor_id, kind, tweet_id, at)
