"""RegisterUser: unique email, unique (or derived) username, hashed password."""

from __future__ import annotations

import pytest

from tests.unit.support import PASSWORD, FakeClock, RegisterFn, UseCases, snapshot
from twitter.adapters.memory import MemoryDatabase
from twitter.adapters.security import Argon2PasswordHasher
from twitter.application import commands
from twitter.domain.errors import EmailAlreadyRegistered, InvalidInput, UsernameTaken


def test_registration_stores_the_user_with_an_id(register: RegisterFn, app: UseCases) -> None:
    user = register("ada@example.com", username="ada")
    assert user.id is not None
    stored = app.get_user(user.id)
    assert (stored.email, stored.username) == ("ada@example.com", "ada")


def test_registration_stamps_the_clock_time(register: RegisterFn, clock: FakeClock) -> None:
    assert register().created_at == clock.now()


def test_registration_gives_increasing_ids(register: RegisterFn) -> None:
    first, second = register(), register()
    assert first.id is not None and second.id is not None
    assert second.id > first.id


def test_registration_stores_the_email_trimmed_and_lower_cased(register: RegisterFn) -> None:
    assert register("  Ada.Lovelace@Example.COM ").email == "ada.lovelace@example.com"


def test_registration_keeps_the_username_case(register: RegisterFn) -> None:
    assert register(username="AdaLovelace").username == "AdaLovelace"


def test_registration_stores_an_argon2id_hash_not_the_password(
    register: RegisterFn, hasher: Argon2PasswordHasher
) -> None:
    user = register(password=PASSWORD)
    assert PASSWORD not in user.hashed_password
    assert user.hashed_password.startswith("$argon2id$")
    assert hasher.verify(user.hashed_password, PASSWORD)


def test_registration_derives_the_username_from_the_email_when_omitted(
    register: RegisterFn,
) -> None:
    assert register("grace.hopper@x.io").username == "grace_hopper"


def test_derived_usernames_get_a_number_when_the_name_is_taken(register: RegisterFn) -> None:
    register("ada@a.io")
    assert register("ada@b.io").username == "ada2"
    assert register("Ada@c.io").username == "ada3"


def test_derived_username_avoids_names_taken_in_another_case(register: RegisterFn) -> None:
    register("someone@x.io", username="ADA")
    assert register("ada@x.io").username == "ada2"


def test_derived_username_of_a_long_local_part_stays_within_15_characters(
    register: RegisterFn,
) -> None:
    register("abcdefghijklmnopq@a.io")
    assert register("abcdefghijklmnopq@b.io").username == "abcdefghijklmn2"


def test_duplicate_email_is_refused(register: RegisterFn) -> None:
    register("ada@example.com")
    with pytest.raises(EmailAlreadyRegistered):
        register("ada@example.com")


def test_duplicate_email_in_another_letter_case_is_refused(register: RegisterFn) -> None:
    register("ada@example.com")
    with pytest.raises(EmailAlreadyRegistered):
        register("  ADA@Example.Com")


def test_taken_username_is_refused(register: RegisterFn) -> None:
    register(username="ada")
    with pytest.raises(UsernameTaken):
        register(username="ada")


def test_taken_username_in_another_letter_case_is_refused(register: RegisterFn) -> None:
    register(username="ada_l")
    with pytest.raises(UsernameTaken):
        register(username="ADA_L")


def test_email_is_checked_before_username(register: RegisterFn) -> None:
    register("ada@example.com", username="ada")
    with pytest.raises(EmailAlreadyRegistered):
        register("ada@example.com", username="ada")


@pytest.mark.parametrize(
    ("field", "overrides"),
    [
        ("email", {"email": "not-an-email"}),
        ("username", {"username": "no spaces"}),
        ("username", {"username": ""}),
        ("password", {"password": "short"}),
        ("password", {"password": "p" * 129}),
    ],
)
def test_invalid_input_is_refused_and_nothing_is_stored(
    app: UseCases, database: MemoryDatabase, field: str, overrides: dict[str, str]
) -> None:
    before = snapshot(database)
    values = {"email": "ada@example.com", "password": PASSWORD, "username": None} | overrides
    with pytest.raises(InvalidInput) as error:
        app.register_user(commands.RegisterUser(**values))
    assert error.value.field == field
    assert snapshot(database) == before


def test_refused_registration_stores_nothing(
    register: RegisterFn, database: MemoryDatabase
) -> None:
    register("ada@example.com", username="ada")
    before = snapshot(database)
    with pytest.raises(UsernameTaken):
        register("other@example.com", username="Ada")
    assert snapshot(database) == before
