"""OAuth apps and their tokens on the memory adapter: registration rules, client
authentication, and the password grant's scopes."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.unit.support import PASSWORD, FakeClock, RegisterFn, UseCases
from twitter.adapters.memory import MemoryUnitOfWork
from twitter.adapters.security import JwtTokenService
from twitter.application import commands
from twitter.application.use_cases import AuthenticateApp, GrantPasswordToken, RegisterApp
from twitter.application.use_cases.oauth_apps import InvalidClient, ScopeNotAllowed
from twitter.domain.errors import InvalidCredentials, InvalidInput
from twitter.domain.oauth import covers, parse_scopes

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
