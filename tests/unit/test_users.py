"""The read port's users by id and by handle (formerly GetUser and GetUserByUsername),
and CheckHealth."""

from __future__ import annotations

import pytest

from tests.unit.support import RegisterFn, StubHealthProbe, SyncReads, account_of
from twitter.application.use_cases import CheckHealth, Health
from twitter.domain.errors import UserNotFound


def test_get_user_answers_the_stored_user(register: RegisterFn, reads: SyncReads) -> None:
    register("first@example.com")
    ada = register("ada@example.com", username="Ada")
    assert ada.id is not None
    found = reads.user(ada.id)
    assert (found.id, found.username, found.created_at) == (ada.id, "Ada", ada.created_at)
    account = account_of(reads, ada.id)  # the view with the email
    assert (account.id, account.email, account.username) == (ada.id, "ada@example.com", "Ada")


def test_get_user_of_an_unknown_id_fails(register: RegisterFn, reads: SyncReads) -> None:
    register()
    with pytest.raises(UserNotFound):
        reads.user(999)


@pytest.mark.parametrize("typed", ["Ada_L", "ada_l", "ADA_L"])
def test_user_is_found_by_username_in_any_case(
    register: RegisterFn, reads: SyncReads, typed: str
) -> None:
    register("other@example.com", username="other")
    ada = register(username="Ada_L")
    found = reads.user_by_username(typed)
    assert (found.id, found.username) == (ada.id, "Ada_L")


def test_unknown_username_is_not_found(register: RegisterFn, reads: SyncReads) -> None:
    register(username="ada")
    with pytest.raises(UserNotFound):
        reads.user_by_username("bob")


@pytest.mark.parametrize("malformed", ["", "a" * 16, "ada lovelace", "ada@example.com", "x\x00"])
def test_malformed_username_is_not_found(
    register: RegisterFn, reads: SyncReads, malformed: str
) -> None:
    register("ada@example.com", username="ada")
    with pytest.raises(UserNotFound):
        reads.user_by_username(malformed)


@pytest.mark.parametrize("database_ok", [True, False])
def test_health_reports_whether_the_database_is_reachable(database_ok: bool) -> None:
    check = CheckHealth(StubHealthProbe(database_ok=database_ok))
    assert check() == Health(database_ok=database_ok)


@pytest.mark.parametrize(
    ("database_ok", "schema_current", "expected"),
    [(True, True, True), (True, False, False), (False, True, False)],
)
def test_ready_only_with_the_database_up_and_its_schema_at_the_newest_migration(
    database_ok: bool, schema_current: bool, expected: bool
) -> None:
    probe = StubHealthProbe(database_ok=database_ok, schema_current=schema_current)
    health = CheckHealth(probe)(schema=True)
    assert health.ready is expected
    assert health.database_ok is database_ok
