"""OAuth apps and scopes, as Mastodon clients use them: an app registers once, and
each of its tokens may do what its scopes say and no more."""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from twitter.domain.errors import InvalidInput, RuleViolation

TOP_SCOPES = frozenset({"read", "write", "follow", "push"})
OUT_OF_BAND = "urn:ietf:wg:oauth:2.0:oob"
"""The redirect URI of an app that shows the user the code instead."""
APP_NAME_MAX_LENGTH = 100
MAX_REDIRECT_URIS = 10
AUTHORIZATION_CODE_LIFETIME = timedelta(minutes=10)
"""RFC 6749 asks for a short life: long enough to come back from a browser."""
PKCE_METHOD = "S256"
_PKCE_VALUE = re.compile(r"[A-Za-z0-9._~-]{43,128}")  # RFC 7636's verifier and S256 challenge


class ScopeNotAllowed(InvalidInput):
    def __init__(self) -> None:
        super().__init__("scope", "The requested scope is invalid, unknown, or malformed")


class InvalidGrant(RuleViolation):
    """An authorization code that is unknown, spent, expired, or not this app's."""

    def __init__(self) -> None:
        super().__init__(
            "The provided authorization grant is invalid, expired, revoked, does not match "
            "the redirection URI used in the authorization request, or was issued to "
            "another client"
        )


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


def code_challenge_of(challenge: str | None, method: str | None) -> str | None:
    """The PKCE challenge an authorization request carries, if any: S256 only (a plain
    challenge would be the verifier itself, sent through the browser)."""
    if not challenge:
        return None
    if (method or "plain") != PKCE_METHOD:
        raise InvalidInput(
            "code_challenge_method", "Only the S256 code challenge method is supported"
        )
    if not _PKCE_VALUE.fullmatch(challenge):
        raise InvalidInput("code_challenge", "code_challenge is not an S256 challenge")
    return challenge


def verifier_matches(verifier: str | None, challenge: str) -> bool:
    """RFC 7636: BASE64URL(SHA256(verifier)), without padding, is the challenge."""
    if not verifier or not _PKCE_VALUE.fullmatch(verifier):
        return False
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    computed = base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")
    return hmac.compare_digest(computed, challenge)


@dataclass(frozen=True)
class AuthorizationCode:
    """A user's consent to an app, kept by its hash until it is exchanged, once, for a
    token (or expires)."""

    code_hash: str
    app_id: int
    user_id: int
    scopes: frozenset[str]
    redirect_uri: str
    code_challenge: str | None
    expires_at: datetime

    def redeemable(
        self, app_id: int | None, redirect_uri: str | None, verifier: str | None, now: datetime
    ) -> bool:
        """Whether the app that asked may have its token: before expiry, to the same
        redirect URI, and with the verifier of its challenge when it made one."""
        if self.app_id != app_id or now >= self.expires_at:
            return False
        if (redirect_uri or self.redirect_uri) != self.redirect_uri:
            return False
        return self.code_challenge is None or verifier_matches(verifier, self.code_challenge)


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

    def scopes_for(self, requested: str | None) -> frozenset[str]:
        """The scopes a token of this app gets when ``requested`` (all the app's when
        none): never more than the app registered."""
        scopes = parse_scopes(requested, field_name="scope") if requested else self.scopes
        if not scopes <= self.scopes:
            raise ScopeNotAllowed()
        return scopes

    def redirect_uri_for(self, requested: str | None) -> str:
        """The registered redirect URI the user goes back to (the only one, when
        none is named)."""
        if requested and requested in self.redirect_uris:
            return requested
        if not requested and len(self.redirect_uris) == 1:
            return self.redirect_uris[0]
        raise InvalidInput("redirect_uri", "The redirect URI included is not valid for this app")
