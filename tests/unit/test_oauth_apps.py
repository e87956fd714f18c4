"""OAuth apps and their tokens on the memory adapter: registration rules, client
authentication, and the password grant's scopes."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.unit.support import PASSWORD, FakeClock, RegisterFn, UseCases
from twitter.adapters.memory import MemoryUnitOfWork
from twitter.adapters.security import JwtTokenService
from twitter.application import commands
from twitter.application.use_cases import (
    AuthenticateApp,
    AuthorizeApp,
    GrantAuthorizationCode,
    GrantClientCredentials,
    GrantPasswordToken,
    IdentifyApp,
    RegisterApp,
    ReviewAuthorization,
)
from twitter.application.use_cases.oauth_apps import InvalidClient
from twitter.domain.errors import InvalidCredentials, InvalidInput, InvalidToken
from twitter.domain.oauth import InvalidGrant, ScopeNotAllowed, covers, parse_scopes

OOB = "urn:ietf:wg:oauth:2.0:oob"


def test_scopes_parse_as_clients_send_them() -> None:
    assert parse_scopes("read write follow push") == {"read", "write", "follow", "push"}
    assert parse_scopes("read+write:statuses") == {"read", "write:statuses"}
    assert parse_scopes(None) == parse_scopes("") == {"read"}
    for bad in ("admin", "read:", "read:1", "write:stat*s"):
        with pytest.raises(InvalidInput):
            parse_scopes(bad)


def test_a_scope_covers_its_granular_forms_and_follow_the_relationships() -> None:
    assert covers(frozenset({"read"}), "read:accounts")
    assert not covers(frozenset({"read:statuses"}), "read:accounts")
    assert not covers(frozenset({"write"}), "read:accounts")
    assert covers(frozenset({"follow"}), "write:follows")
    assert not covers(frozenset({"follow"}), "write:statuses")


def test_an_app_is_kept_with_the_hash_of_its_secret(
    uow: MemoryUnitOfWork, clock: FakeClock
) -> None:
    registered = RegisterApp(uow, clock)(
        commands.AppRegistration(name=" tester ", redirect_uris=OOB, scopes="read write")
    )

    app = registered.app
    assert (app.name, app.redirect_uris, app.scopes) == ("tester", (OOB,), {"read", "write"})
    assert registered.client_secret not in app.client_secret_hash
    assert AuthenticateApp(uow)(app.client_id, registered.client_secret).id == app.id
    for client_id, secret in ((app.client_id, "wrong"), ("nobody", registered.client_secret)):
        with pytest.raises(InvalidClient):
            AuthenticateApp(uow)(client_id, secret)


@pytest.mark.parametrize(
    ("name", "uris", "field"),
    [("", OOB, "client_name"), ("x" * 101, OOB, "client_name"), ("ok", "", "redirect_uris")],
)
def test_a_bad_app_is_refused(
    uow: MemoryUnitOfWork, clock: FakeClock, name: str, uris: str, field: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        RegisterApp(uow, clock)(commands.AppRegistration(name=name, redirect_uris=uris))
    assert refused.value.field == field


def test_the_password_grant_gives_a_long_lived_token_with_the_scopes_asked(
    app: UseCases, uow: MemoryUnitOfWork, clock: FakeClock, tokens: JwtTokenService,
    register: RegisterFn,
) -> None:  # fmt: skip
    ada = register("ada@example.com")
    registered = RegisterApp(uow, clock)(
        commands.AppRegistration(name="tester", redirect_uris=OOB, scopes="read write")
    )
    grant = GrantPasswordToken(AuthenticateApp(uow), app.authenticate)
    client = registered.app.client_id, registered.client_secret

    token, scopes = grant(commands.PasswordGrant(*client, "ada@example.com", PASSWORD, "read"))

    claims = tokens.read(token)
    assert (claims.user_id, claims.scopes, claims.app_id) == (ada.id, {"read"}, registered.app.id)
    assert scopes == {"read"}
    assert claims.expires_at - clock.now() == timedelta(days=365)
    everything = grant(commands.PasswordGrant(*client, "ada@example.com", PASSWORD))
    assert everything[1] == {"read", "write"}  # no scope asked: the app's
    with pytest.raises(ScopeNotAllowed):
        grant(commands.PasswordGrant(*client, "ada@example.com", PASSWORD, "read push"))
    with pytest.raises(InvalidCredentials):
        grant(commands.PasswordGrant(*client, "ada@example.com", "wrong password", "read"))


CALLBACK = "https://app.example/callback"
VERIFIER = "v" * 20 + "-._~" + "V" * 30  # RFC 7636 B's alphabet, 54 characters
CHALLENGE = "6qA5V5ENemRvXzXNsOpZ_N5af534ngwWhDIig9LOBvI"  # BASE64URL(SHA256(VERIFIER))


def _register_app(uow: MemoryUnitOfWork, clock: FakeClock, uris: str = CALLBACK) -> tuple[str, str]:
    registered = RegisterApp(uow, clock)(
        commands.AppRegistration(name="tester", redirect_uris=uris, scopes="read write")
    )
    return registered.app.client_id, registered.client_secret


def _consent(
    uow: MemoryUnitOfWork, clock: FakeClock, user_id: int, client_id: str, **asked: str | None
) -> str:
    request = commands.AuthorizationRequest(client_id, asked.pop("redirect_uri", CALLBACK), **asked)
    review = ReviewAuthorization(uow)
    return AuthorizeApp(review, uow, clock)(user_id, request)[1]


def test_the_authorization_code_is_exchanged_once_for_the_consented_scopes(
    uow: MemoryUnitOfWork, clock: FakeClock, tokens: JwtTokenService, register: RegisterFn
) -> None:
    ada = register("ada@example.com")
    assert ada.id is not None
    client = _register_app(uow, clock)
    grant = GrantAuthorizationCode(AuthenticateApp(uow), uow, tokens, clock)
    code = _consent(uow, clock, ada.id, client[0], scope="read")

    token, scopes = grant(commands.CodeGrant(*client, code, CALLBACK))

    claims = tokens.read(token)
    assert (claims.user_id, claims.scopes, scopes) == (ada.id, {"read"}, {"read"})
    with pytest.raises(InvalidGrant):  # spent
        grant(commands.CodeGrant(*client, code, CALLBACK))


def test_a_code_is_refused_to_another_app_another_uri_or_after_ten_minutes(
    uow: MemoryUnitOfWork, clock: FakeClock, tokens: JwtTokenService, register: RegisterFn
) -> None:
    ada = register("ada@example.com")
    assert ada.id is not None
    client, other = _register_app(uow, clock), _register_app(uow, clock)
    grant = GrantAuthorizationCode(AuthenticateApp(uow), uow, tokens, clock)

    stolen = _consent(uow, clock, ada.id, client[0])
    elsewhere = _consent(uow, clock, ada.id, client[0])
    late = _consent(uow, clock, ada.id, client[0])

    with pytest.raises(InvalidGrant):
        grant(commands.CodeGrant(*other, stolen, CALLBACK))
    with pytest.raises(InvalidGrant):
        grant(commands.CodeGrant(*client, elsewhere, "https://evil.example/"))
    clock.advance(timedelta(minutes=10))
    with pytest.raises(InvalidGrant):
        grant(commands.CodeGrant(*client, late, CALLBACK))
    with pytest.raises(InvalidGrant):  # a refused code is spent too
        grant(commands.CodeGrant(*client, stolen, CALLBACK))


def test_pkce_s256_binds_the_code_to_its_verifier(
    uow: MemoryUnitOfWork, clock: FakeClock, tokens: JwtTokenService, register: RegisterFn
) -> None:
    ada = register("ada@example.com")
    assert ada.id is not None
    client = _register_app(uow, clock)
    grant = GrantAuthorizationCode(AuthenticateApp(uow), uow, tokens, clock)
    pkce = {"code_challenge": CHALLENGE, "code_challenge_method": "S256"}

    without = _consent(uow, clock, ada.id, client[0], **pkce)
    with_verifier = _consent(uow, clock, ada.id, client[0], **pkce)

    with pytest.raises(InvalidGrant):
        grant(commands.CodeGrant(*client, without, CALLBACK))
    assert grant(commands.CodeGrant(*client, with_verifier, CALLBACK, VERIFIER))[0]
    with pytest.raises(InvalidInput) as plain:
        _consent(uow, clock, ada.id, client[0], code_challenge=CHALLENGE)
    assert plain.value.field == "code_challenge_method"


def test_an_authorization_request_names_a_registered_uri_and_scopes_the_app_has(
    uow: MemoryUnitOfWork, clock: FakeClock
) -> None:
    client_id, _ = _register_app(uow, clock, uris=f"{CALLBACK}\n{OOB}")
    review = ReviewAuthorization(uow)

    consent = review(commands.AuthorizationRequest(client_id, OOB, "read"))

    assert (consent.redirect_uri, consent.scopes, consent.app.name) == (OOB, {"read"}, "tester")
    for request, field_name in (
        (commands.AuthorizationRequest(client_id, None), "redirect_uri"),  # two to choose from
        (commands.AuthorizationRequest(client_id, "https://evil.example/"), "redirect_uri"),
        (commands.AuthorizationRequest(client_id, OOB, "read push"), "scope"),
        (commands.AuthorizationRequest(client_id, OOB, response_type="token"), "response_type"),
    ):
        with pytest.raises(InvalidInput) as refused:
            review(request)
        assert refused.value.field == field_name
    with pytest.raises(InvalidClient):
        review(commands.AuthorizationRequest("nobody", OOB))


def test_client_credentials_give_the_app_a_token_that_is_nobody_s(
    uow: MemoryUnitOfWork, clock: FakeClock, tokens: JwtTokenService
) -> None:
    client = _register_app(uow, clock)

    token, scopes = GrantClientCredentials(AuthenticateApp(uow), tokens)(*client, "read")

    assert scopes == {"read"}
    assert IdentifyApp(uow, tokens)(token).client_id == client[0]
    with pytest.raises(InvalidToken):
        tokens.read(token)
