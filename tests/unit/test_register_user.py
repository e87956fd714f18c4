"""RegisterUser: unique email, unique (or derived) username, hashed password."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest

from tests.unit.support import (
    PASSWORD,
    CountingHasher,
    FakeClock,
    RegisterFn,
    SyncReads,
    UseCases,
    account_of,
    cheap_hasher,
    snapshot,
)
from twitter.adapters.memory import MemoryDatabase, MemoryUnitOfWork
from twitter.adapters.memory.repositories import MemoryUserRepository
from twitter.adapters.security import Argon2PasswordHasher
from twitter.application import commands, use_cases
from twitter.application.ports import PasswordHasher
from twitter.application.throttling import SignUpThrottle
from twitter.application.use_cases.register_user import USERNAME_ATTEMPTS
from twitter.domain.errors import (
    EmailAlreadyRegistered,
    InvalidInput,
    TooManySignUps,
    UsernameTaken,
)
from twitter.domain.model import User


def test_registration_stores_the_user_with_an_id(register: RegisterFn, reads: SyncReads) -> None:
    user = register("ada@example.com", username="ada")
    assert user.id is not None
    stored = account_of(reads, user.id)
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
        app.register_user(commands.Registration(**values))
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


# Concurrent sign-ups and the work done before the transaction


class ConcurrentWinnerUnitOfWork(MemoryUnitOfWork):
    """The in-memory store where, between a sign-up's check and its insert, other
    sign-ups commit first: each of the first ``losses`` inserts finds its username (and,
    with ``same_email``, its email too) just taken, and is refused ``UsernameTaken``, the
    way the database's unique constraint refuses it."""

    def __init__(self, database: MemoryDatabase, *, losses: int, same_email: bool = False) -> None:
        super().__init__(database)
        self.losses = losses
        self.same_email = same_email
        self.inserts = 0

    def _begin(self) -> None:
        super()._begin()
        add = self.users.add

        def add_after_a_winner(user: User) -> None:
            self.inserts += 1
            if self.inserts > self.losses:
                return add(user)
            winner = User(
                email=user.email if self.same_email else f"winner.{user.username}@example.com",
                username=user.username.upper(),
                hashed_password="x",
                created_at=user.created_at,
            )
            MemoryUserRepository(self.database.state).add(winner)  # committed elsewhere
            raise UsernameTaken()

        self.users.add = add_after_a_winner  # type: ignore[method-assign]


def register_with(
    uow: MemoryUnitOfWork, hasher: PasswordHasher, clock: FakeClock
) -> Callable[..., User]:
    sign_up = use_cases.RegisterUser(uow, hasher, clock)
    return lambda email, username=None: sign_up(
        commands.Registration(email=email, password=PASSWORD, username=username)
    )


def test_a_derived_username_taken_by_a_concurrent_sign_up_is_replaced_by_the_next(
    database: MemoryDatabase, hasher: Argon2PasswordHasher, clock: FakeClock
) -> None:
    uow = ConcurrentWinnerUnitOfWork(database, losses=2)

    user = register_with(uow, hasher, clock)("twin.x@d0.example.com")

    assert user.username == "twin_x3"
    stored = sorted(database.state.users.values(), key=lambda u: u.id or 0)
    assert [u.username for u in stored] == ["TWIN_X", "TWIN_X2", "twin_x3"]

    # A username the user chose is theirs or nothing: it is not replaced.
    uow = ConcurrentWinnerUnitOfWork(database, losses=1)
    with pytest.raises(UsernameTaken):
        register_with(uow, hasher, clock)("ada@example.com", "ada")
    assert uow.inserts == 1
    assert "ada@example.com" not in [u.email for u in database.state.users.values()]


def test_an_email_taken_by_a_concurrent_sign_up_is_refused_as_such(
    database: MemoryDatabase, hasher: Argon2PasswordHasher, clock: FakeClock
) -> None:
    uow = ConcurrentWinnerUnitOfWork(database, losses=1, same_email=True)
    with pytest.raises(EmailAlreadyRegistered):
        register_with(uow, hasher, clock)("twin.x@d0.example.com")
    assert len(database.state.users) == 1


def test_derived_usernames_are_tried_a_bounded_number_of_times(
    database: MemoryDatabase, hasher: Argon2PasswordHasher, clock: FakeClock
) -> None:
    uow = ConcurrentWinnerUnitOfWork(database, losses=10_000)
    with pytest.raises(UsernameTaken):
        register_with(uow, hasher, clock)("twin.x@d0.example.com")
    assert uow.inserts == USERNAME_ATTEMPTS


@pytest.fixture
def counting() -> CountingHasher:
    return CountingHasher(cheap_hasher())


@pytest.mark.parametrize(
    ("email", "username", "error"),
    [
        ("ADA@example.com", None, EmailAlreadyRegistered),
        ("other@example.com", "ADA", UsernameTaken),
    ],
)
def test_a_taken_email_or_username_is_refused_before_the_password_is_hashed(
    register: RegisterFn,
    uow: MemoryUnitOfWork,
    counting: CountingHasher,
    clock: FakeClock,
    email: str,
    username: str | None,
    error: type[Exception],
) -> None:
    register("ada@example.com", username="ada")
    with pytest.raises(error):
        register_with(uow, counting, clock)(email, username)
    assert counting.hashes == 0


# The sign-up throttle


def test_past_the_limit_a_client_is_refused_before_any_hashing(
    uow: MemoryUnitOfWork, counting: CountingHasher, clock: FakeClock
) -> None:
    throttle = SignUpThrottle(per_client=2, window=timedelta(hours=1))
    sign_up = use_cases.RegisterUser(uow, counting, clock, throttle)

    def attempt(n: int, client: str | None = "203.0.113.7") -> User:
        return sign_up(
            commands.Registration(email=f"u{n}@example.com", password=PASSWORD, client=client)
        )

    attempt(1)
    clock.advance(timedelta(minutes=20))
    attempt(2)
    with pytest.raises(TooManySignUps) as refused:
        attempt(3)
    assert refused.value.retry_after_seconds == 40 * 60
    assert counting.hashes == 2
    assert attempt(4, "198.51.100.1").username == "u4"  # another client has its own count
    assert attempt(5, None).username == "u5"  # a Python caller is not limited
    clock.advance(timedelta(minutes=40))
    assert attempt(6).username == "u6"  # the window has ended
