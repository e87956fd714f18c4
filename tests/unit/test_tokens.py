"""JwtTokenService: HS256 access tokens whose subject is the user id."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from tests.unit.support import TOKEN_LIFETIME, TOKEN_SECRET, FakeClock
from twitter.adapters.security import JwtTokenService
from twitter.domain.errors import InvalidToken


def b64url(data: bytes | dict[str, Any]) -> str:
    raw = data if isinstance(data, bytes) else json.dumps(data, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def unb64url(part: str) -> Any:
    return json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))


def valid_claims(clock: FakeClock, **changes: Any) -> dict[str, Any]:
    issued = int(clock.now().timestamp())
    claims = {
        "sub": "7",
        "iat": issued,
        "exp": issued + int(TOKEN_LIFETIME.total_seconds()),
        "jti": "A" * 22,
    }
    claims.update(changes)
    return {key: value for key, value in claims.items() if value is not None}


DIGESTS = {"HS256": hashlib.sha256, "HS512": hashlib.sha512}


def signed(claims: dict[str, Any], secret: str = TOKEN_SECRET, algorithm: str = "HS256") -> str:
    """A JWT made by hand, so that any part of it can be made wrong on purpose."""
    signing_input = f"{b64url({'alg': algorithm, 'typ': 'JWT'})}.{b64url(claims)}"
    digest = hmac.new(secret.encode(), signing_input.encode(), DIGESTS[algorithm]).digest()
    return f"{signing_input}.{b64url(digest)}"


def test_token_round_trips_to_the_user_id(tokens: JwtTokenService) -> None:
    assert tokens.read(tokens.issue(7)).user_id == 7


def test_each_token_names_its_own_user(tokens: JwtTokenService) -> None:
    assert tokens.read(tokens.issue(1)).user_id == 1
    assert tokens.read(tokens.issue(2)).user_id == 2


def test_token_carries_subject_issued_at_and_expiry(
    tokens: JwtTokenService, clock: FakeClock
) -> None:
    header, claims = (unb64url(part) for part in tokens.issue(7).split(".")[:2])
    issued = int(clock.now().timestamp())
    assert header["alg"] == "HS256"
    assert claims == {"sub": "7", "iat": issued, "exp": issued + 300, "jti": claims["jti"]}


def test_every_token_has_its_own_id(tokens: JwtTokenService) -> None:
    # Two logins in the same second must be revocable one without the other.
    ids = {tokens.read(tokens.issue(7)).token_id for _ in range(50)}
    assert len(ids) == 50


def test_a_token_says_when_it_expires(tokens: JwtTokenService, clock: FakeClock) -> None:
    assert tokens.read(tokens.issue(7)).expires_at == clock.now() + TOKEN_LIFETIME


def test_hand_made_token_with_valid_claims_is_accepted(
    tokens: JwtTokenService, clock: FakeClock
) -> None:
    # The control for the refusals below: only the one thing each changes is wrong.
    assert tokens.read(signed(valid_claims(clock))).user_id == 7


def test_token_is_still_valid_just_before_it_expires(clock: FakeClock) -> None:
    issued_at = clock.now() - TOKEN_LIFETIME + timedelta(seconds=30)
    issuer = JwtTokenService(
        secret=TOKEN_SECRET, lifetime=TOKEN_LIFETIME, now=FakeClock(issued_at).now
    )
    verifier = JwtTokenService(secret=TOKEN_SECRET, lifetime=TOKEN_LIFETIME, now=clock.now)
    assert verifier.read(issuer.issue(7)).user_id == 7


def test_expired_token_is_invalid(clock: FakeClock) -> None:
    issued_at = clock.now() - TOKEN_LIFETIME - timedelta(seconds=1)
    issuer = JwtTokenService(
        secret=TOKEN_SECRET, lifetime=TOKEN_LIFETIME, now=FakeClock(issued_at).now
    )
    verifier = JwtTokenService(secret=TOKEN_SECRET, lifetime=TOKEN_LIFETIME, now=clock.now)
    with pytest.raises(InvalidToken):
        verifier.read(issuer.issue(7))


def test_token_expires_when_the_injected_clock_passes_its_lifetime(
    tokens: JwtTokenService, clock: FakeClock
) -> None:
    token = tokens.issue(7)
    clock.advance(TOKEN_LIFETIME + timedelta(seconds=1))
    with pytest.raises(InvalidToken):
        tokens.read(token)


def test_token_is_valid_within_its_lifetime_on_the_injected_clock() -> None:
    clock = FakeClock(datetime(2001, 1, 1, tzinfo=UTC))
    tokens = JwtTokenService(secret=TOKEN_SECRET, lifetime=TOKEN_LIFETIME, now=clock.now)
    token = tokens.issue(7)
    clock.advance(timedelta(minutes=1))
    assert tokens.read(token).user_id == 7


def test_token_signed_with_another_secret_is_invalid(
    tokens: JwtTokenService, clock: FakeClock
) -> None:
    with pytest.raises(InvalidToken):
        tokens.read(signed(valid_claims(clock), secret="y" * 40))


def test_token_of_another_service_instance_with_another_secret_is_invalid(
    tokens: JwtTokenService, clock: FakeClock
) -> None:
    other = JwtTokenService(secret="z" * 40, lifetime=TOKEN_LIFETIME, now=clock.now)
    with pytest.raises(InvalidToken):
        tokens.read(other.issue(7))


def test_unsigned_token_with_alg_none_is_invalid(tokens: JwtTokenService, clock: FakeClock) -> None:
    token = f"{b64url({'alg': 'none', 'typ': 'JWT'})}.{b64url(valid_claims(clock))}."
    with pytest.raises(InvalidToken):
        tokens.read(token)


def test_token_signed_with_another_algorithm_is_invalid(
    tokens: JwtTokenService, clock: FakeClock
) -> None:
    with pytest.raises(InvalidToken):
        tokens.read(signed(valid_claims(clock), algorithm="HS512"))


def test_token_with_tampered_payload_is_invalid(tokens: JwtTokenService, clock: FakeClock) -> None:
    header, _, signature = tokens.issue(7).split(".")
    forged = f"{header}.{b64url(valid_claims(clock, sub='1'))}.{signature}"
    with pytest.raises(InvalidToken):
        tokens.read(forged)


@pytest.mark.parametrize("claim", ["sub", "iat", "exp", "jti"])
def test_token_missing_a_required_claim_is_invalid(
    tokens: JwtTokenService, clock: FakeClock, claim: str
) -> None:
    with pytest.raises(InvalidToken):
        tokens.read(signed(valid_claims(clock, **{claim: None})))


@pytest.mark.parametrize("subject", ["abc", "", "-1", "1.5", " 7", "7a", "1" * 20, 7])
def test_token_with_a_subject_that_is_not_a_user_id_is_invalid(
    tokens: JwtTokenService, clock: FakeClock, subject: object
) -> None:
    with pytest.raises(InvalidToken):
        tokens.read(signed(valid_claims(clock, sub=subject)))


@pytest.mark.parametrize("token_id", ["", "A" * 21, "A" * 23, "A" * 21 + "!", 7, None])
def test_token_with_an_id_we_did_not_make_is_invalid(
    tokens: JwtTokenService, clock: FakeClock, token_id: object
) -> None:
    claims = valid_claims(clock) | {"jti": token_id}
    with pytest.raises(InvalidToken):
        tokens.read(signed(claims))


@pytest.mark.parametrize("token", ["", "abc", "a.b.c", "a.b", "...."])
def test_malformed_token_is_invalid(tokens: JwtTokenService, token: str) -> None:
    with pytest.raises(InvalidToken):
        tokens.read(token)


def test_secret_shorter_than_32_bytes_is_refused(clock: FakeClock) -> None:
    with pytest.raises(ValueError, match="32 bytes"):
        JwtTokenService(secret="x" * 31, lifetime=TOKEN_LIFETIME, now=clock.now)
