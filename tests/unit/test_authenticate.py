"""Authenticate (log in for a token), IdentifyUser (the user a token speaks for) and
RevokeToken (log out)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.awaiting import run_to_end
from tests.unit.support import (
    PASSWORD,
    TOKEN_LIFETIME,
    FakeClock,
    RegisterFn,
    SpyHasher,
    UseCases,
    cheap_hasher,
    stored_user,
)
from twitter.adapters.memory import MemoryDatabase, MemoryUnitOfWork
from twitter.adapters.security import JwtTokenService
from twitter.application import commands, use_cases
from twitter.application.queries import AccountView
from twitter.domain.errors import InvalidCredentials, InvalidToken


def login(app: UseCases, login: str, password: str = PASSWORD) -> str:
    return app.authenticate(commands.LoginAttempt(login=login, password=password))


def identify(app: UseCases, token: str) -> AccountView:
    """IdentifyUser, awaited."""
    return run_to_end(app.identify_user(token))


def test_login_by_email_answers_a_token_for_the_user(
    register: RegisterFn, app: UseCases, tokens: JwtTokenService
) -> None:
    user = register("ada@example.com")
    assert tokens.read(login(app, "ada@example.com")).user_id == user.id


@pytest.mark.parametrize("typed", ["ADA@EXAMPLE.COM", "Ada@Example.com", "  ada@example.com  "])
def test_login_by_email_ignores_case_and_surrounding_space(
    register: RegisterFn, app: UseCases, tokens: JwtTokenService, typed: str
) -> None:
    user = register("ada@example.com")
    assert tokens.read(login(app, typed)).user_id == user.id


@pytest.mark.parametrize("typed", ["Ada_L", "ada_l", "ADA_L", " ada_l "])
def test_login_by_username_ignores_case(
    register: RegisterFn, app: UseCases, tokens: JwtTokenService, typed: str
) -> None:
    user = register(username="Ada_L")
    assert tokens.read(login(app, typed)).user_id == user.id


def test_login_picks_the_right_user_among_several(
    register: RegisterFn, app: UseCases, tokens: JwtTokenService
) -> None:
    register("first@example.com", username="first")
    second = register("second@example.com", username="second")
    assert tokens.read(login(app, "second")).user_id == second.id


def test_password_is_compared_after_nfkc_normalisation(
    register: RegisterFn, app: UseCases, tokens: JwtTokenService
) -> None:
    user = register("ada@example.com", password="\ufb01\ufb01 secret")  # "fi" ligatures
    assert tokens.read(login(app, "ada@example.com", "fifi secret")).user_id == user.id


def test_wrong_password_is_refused(register: RegisterFn, app: UseCases) -> None:
    register("ada@example.com", username="ada")
    with pytest.raises(InvalidCredentials):
        login(app, "ada@example.com", "not the password")


def test_wrong_password_by_username_is_refused(register: RegisterFn, app: UseCases) -> None:
    register(username="ada")
    with pytest.raises(InvalidCredentials):
        login(app, "ada", "not the password")


@pytest.mark.parametrize("password", ["short", "p" * 129, "password\ud800"])
def test_password_that_breaks_the_rules_is_refused_as_bad_credentials(
    register: RegisterFn, app: UseCases, password: str
) -> None:
    register("ada@example.com")
    with pytest.raises(InvalidCredentials):
        login(app, "ada@example.com", password)


@pytest.mark.parametrize(
    "unknown", ["nobody@example.com", "nobody", "not an email or name", "bad@", "", "a\x00@x.io"]
)
def test_unknown_login_is_refused(register: RegisterFn, app: UseCases, unknown: str) -> None:
    register("ada@example.com", username="ada")
    with pytest.raises(InvalidCredentials):
        login(app, unknown)


def test_unknown_login_fails_with_the_same_error_as_a_wrong_password(
    register: RegisterFn, app: UseCases
) -> None:
    register("ada@example.com")
    with pytest.raises(InvalidCredentials) as unknown:
        login(app, "nobody@example.com")
    with pytest.raises(InvalidCredentials) as wrong:
        login(app, "ada@example.com", "not the password")
    assert unknown.value.message == wrong.value.message


def test_unknown_login_spends_a_password_verification(
    register: RegisterFn, uow: MemoryUnitOfWork, tokens: JwtTokenService, clock: FakeClock
) -> None:
    register("ada@example.com")
    spy = SpyHasher(cheap_hasher())
    authenticate = use_cases.Authenticate(uow, spy, tokens, clock)
    with pytest.raises(InvalidCredentials):
        authenticate(commands.LoginAttempt(login="nobody@example.com", password=PASSWORD))
    assert spy.burnt == [PASSWORD]


def test_rehash_replaces_a_hash_made_with_outdated_parameters(
    register: RegisterFn,
    uow: MemoryUnitOfWork,
    tokens: JwtTokenService,
    clock: FakeClock,
) -> None:
    user = register("ada@example.com")
    assert user.id is not None
    stronger = cheap_hasher(time_cost=2)
    assert stronger.needs_rehash(user.hashed_password)

    token = use_cases.Authenticate(uow, stronger, tokens, clock)(
        commands.LoginAttempt(login="ada@example.com", password=PASSWORD)
    )

    stored = stored_user(uow, user.id).hashed_password
    assert tokens.read(token).user_id == user.id
    assert stored != user.hashed_password
    assert ",t=2," in stored
    assert stronger.verify(stored, PASSWORD)
    assert not stronger.needs_rehash(stored)


def test_hash_with_current_parameters_is_left_alone(
    register: RegisterFn, app: UseCases, uow: MemoryUnitOfWork
) -> None:
    user = register("ada@example.com")
    assert user.id is not None
    login(app, "ada@example.com")
    assert stored_user(uow, user.id).hashed_password == user.hashed_password


def test_failed_login_does_not_rehash(
    register: RegisterFn,
    uow: MemoryUnitOfWork,
    tokens: JwtTokenService,
    clock: FakeClock,
) -> None:
    user = register("ada@example.com")
    assert user.id is not None
    authenticate = use_cases.Authenticate(uow, cheap_hasher(time_cost=2), tokens, clock)
    with pytest.raises(InvalidCredentials):
        authenticate(commands.LoginAttempt(login="ada@example.com", password="wrong password"))
    assert stored_user(uow, user.id).hashed_password == user.hashed_password


# --- IdentifyUser ------------------------------------------------------------------


def test_token_identifies_its_user(register: RegisterFn, app: UseCases) -> None:
    user = register("ada@example.com")
    identified = identify(app, login(app, "ada@example.com"))
    assert (identified.id, identified.email) == (user.id, "ada@example.com")


def test_garbage_token_is_invalid(app: UseCases) -> None:
    with pytest.raises(InvalidToken):
        identify(app, "not.a.token")


def test_token_of_a_user_that_never_existed_is_invalid(
    app: UseCases, tokens: JwtTokenService
) -> None:
    with pytest.raises(InvalidToken):
        identify(app, tokens.issue(404))


def test_token_of_a_deleted_user_is_invalid(register: RegisterFn, app: UseCases) -> None:
    user = register("ada@example.com")
    assert user.id is not None
    token = login(app, "ada@example.com")
    app.delete_user(commands.AccountRemoval(actor_id=user.id, user_id=user.id))
    with pytest.raises(InvalidToken):
        identify(app, token)


# --- RevokeToken ------------------------------------------------------------------


def test_a_revoked_token_no_longer_identifies_anyone(register: RegisterFn, app: UseCases) -> None:
    register("ada@example.com")
    token = login(app, "ada@example.com")
    app.revoke_token(token)
    with pytest.raises(InvalidToken):
        identify(app, token)


def test_revoking_one_token_leaves_the_users_other_sessions(
    register: RegisterFn, app: UseCases
) -> None:
    user = register("ada@example.com")
    phone, laptop = login(app, "ada@example.com"), login(app, "ada@example.com")
    app.revoke_token(phone)
    assert identify(app, laptop).id == user.id


def test_a_revoked_token_cannot_revoke_again(register: RegisterFn, app: UseCases) -> None:
    register("ada@example.com")
    token = login(app, "ada@example.com")
    app.revoke_token(token)
    with pytest.raises(InvalidToken):
        app.revoke_token(token)


@pytest.mark.parametrize("token", ["not.a.token", ""])
def test_a_bad_token_cannot_be_revoked(app: UseCases, token: str) -> None:
    with pytest.raises(InvalidToken):
        app.revoke_token(token)


def test_a_token_of_a_deleted_user_cannot_be_revoked(
    register: RegisterFn, app: UseCases, database: MemoryDatabase
) -> None:
    user = register("ada@example.com")
    assert user.id is not None
    token = login(app, "ada@example.com")
    app.delete_user(commands.AccountRemoval(actor_id=user.id, user_id=user.id))
    with pytest.raises(InvalidToken):
        app.revoke_token(token)
    assert database.state.revoked_tokens == {}


def test_revocations_of_expired_tokens_are_pruned(
    register: RegisterFn, app: UseCases, clock: FakeClock, database: MemoryDatabase
) -> None:
    register("ada@example.com")
    first = login(app, "ada@example.com")
    app.revoke_token(first)
    clock.advance(TOKEN_LIFETIME - timedelta(seconds=1))
    second = login(app, "ada@example.com")
    app.revoke_token(second)
    assert len(database.state.revoked_tokens) == 2  # the first is still unexpired
    clock.advance(timedelta(seconds=1))
    third = login(app, "ada@example.com")
    app.revoke_token(third)
    assert len(database.state.revoked_tokens) == 2  # the first expired: forgotten
