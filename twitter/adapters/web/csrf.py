"""CSRF tokens, OWASP's signed double-submit cookie, bound to the session.

The browser holds a random value in a cookie; every form carries
HMAC-SHA256(key, that value and the session cookie). A POST is accepted only when
the token agrees with both cookies as they arrive: another site can make the browser
send the cookies, but cannot read them to sign them; and a cookie-and-token pair an
attacker got for their own visit (then planted from a sibling subdomain) was signed
for another session, or for none, so it fails for the victim's.

The key is derived from the application's secret, never the secret itself: the
cookie value is whatever a client sends, and an HMAC under the token-signing key
of a chosen value would be a signature an attacker could reuse elsewhere.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets

_COOKIE_VALUE = re.compile(r"[A-Za-z0-9_-]{43}")  # token_urlsafe(32)
_PURPOSE = b"twitter.adapters.web.csrf"


def derive_key(secret: str) -> bytes:
    return hmac.new(secret.encode(), _PURPOSE, hashlib.sha256).digest()


def new_cookie_value() -> str:
    return secrets.token_urlsafe(32)


def is_cookie_value(value: str | None) -> bool:
    """Whether ``value`` looks like one we made (anything else is replaced, never signed)."""
    return value is not None and _COOKIE_VALUE.fullmatch(value) is not None


def token_for(key: bytes, cookie_value: str, session: str | None) -> str:
    """The token for forms shown with these cookies; ``session`` is the session cookie's
    value (None when logged out)."""
    # Neither cookie value can hold a newline, so the message is unambiguous.
    message = f"{cookie_value}\n{session or ''}"
    return hmac.new(key, message.encode("utf-8", "surrogatepass"), hashlib.sha256).hexdigest()


def token_matches(
    key: bytes, cookie_value: str | None, session: str | None, token: str | None
) -> bool:
    if not is_cookie_value(cookie_value) or not token:
        return False
    assert cookie_value is not None
    expected = token_for(key, cookie_value, session)
    return hmac.compare_digest(expected.encode(), token.encode("utf-8", "surrogatepass"))
