"""OAuth apps and scopes, as Mastodon clients use them: an app registers once, and
each of its tokens may do what its scopes say and no more."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urlsplit

from twitter.domain.errors import InvalidInput

TOP_SCOPES = frozenset({"read", "write", "follow", "push"})
OUT_OF_BAND = "urn:ietf:wg:oauth:2.0:oob"
"""The redirect URI of an app that shows the user the code instead."""
APP_NAME_MAX_LENGTH = 100
MAX_REDIRECT_URIS = 10


def parse_scopes(text: str | None, *, field_name: str = "scopes") -> frozenset[str]:
    """Scopes as a client sends them (space- or plus-separated; none means ``read``):
    the four of Mastodon and their granular forms (``read:statuses`` ...)."""
    words = (text or "").replace("+", " ").split()
    if not words:
        return frozenset({"read"})
    for word in words:
        top, colon, detail = word.partition(":")
        if top not in TOP_SCOPES or (
            colon and not (detail.isascii() and detail.replace("_", "").isalpha())
        ):
            raise InvalidInput(field_name, f"Unknown scope: {word[:40]}")
    return frozenset(words)


def covers(granted: frozenset[str], needed: str) -> bool:
    """Whether ``granted`` allows ``needed``: itself, its top scope (``read`` allows
    ``read:statuses``), or for relationships the legacy ``follow``, as Mastodon has it."""
    if needed in granted or needed.partition(":")[0] in granted:
        return True
    return "follow" in granted and needed.endswith((":follows", ":blocks", ":mutes"))


def redirect_uris_of(text: str | None) -> tuple[str, ...]:
    """The app's redirect URIs (newline-separated, as Mastodon takes them)."""
    uris = tuple(line.strip() for line in (text or "").splitlines() if line.strip())
    if not uris:
        raise InvalidInput("redirect_uris", "redirect_uris must name at least one URI")
    if len(uris) > MAX_REDIRECT_URIS:
        raise InvalidInput("redirect_uris", f"At most {MAX_REDIRECT_URIS} redirect URIs")
    for uri in uris:
        if uri == OUT_OF_BAND:
            continue
        parts = urlsplit(uri)
        if not parts.scheme or not (parts.netloc or parts.path) or len(uri) > 2000:
            raise InvalidInput("redirect_uris", f"Not an absolute URI: {uri[:80]}")
    return uris


@dataclass(eq=False)
class OAuthApp:
    """A client program registered to ask its users for tokens."""

    name: str
    website: str | None
    redirect_uris: tuple[str, ...]
    scopes: frozenset[str]
    client_id: str
    client_secret_hash: str
    created_at: datetime
    id: int | None = field(default=None)

    @classmethod
    def register(
        cls,
        *,
        name: str,
        website: str | None,
        redirect_uris: str | None,
        scopes: str | None,
        client_id: str,
        client_secret_hash: str,
        created_at: datetime,
    ) -> OAuthApp:
        name = name.strip()
        if not 1 <= len(name) <= APP_NAME_MAX_LENGTH:
            raise InvalidInput(
                "client_name", f"client_name must be 1 to {APP_NAME_MAX_LENGTH} characters"
            )
        website = (website or "").strip() or None
        if website is not None and (len(website) > 2000 or not urlsplit(website).scheme):
            raise InvalidInput("website", "website must be an absolute URL")
        return cls(
            name=name,
            website=website,
            redirect_uris=redirect_uris_of(redirect_uris),
            scopes=parse_scopes(scopes),
            client_id=client_id,
            client_secret_hash=client_secret_hash,
            created_at=created_at,
        )
