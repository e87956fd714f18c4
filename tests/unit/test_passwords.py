"""Argon2PasswordHasher: Argon2id hashes, verification and rehash detection."""

from __future__ import annotations

from tests.unit.support import PASSWORD, cheap_hasher
from twitter.adapters.security import Argon2PasswordHasher


def test_default_parameters_are_owasps_argon2id_minimum() -> None:
    hasher = Argon2PasswordHasher()
    first, second = hasher.hash(PASSWORD), hasher.hash(PASSWORD)
    assert first.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
    assert first != second  # a fresh salt each time
    assert hasher.verify(first, PASSWORD)
    assert hasher.verify(second, PASSWORD)


def test_the_right_password_verifies() -> None:
    hasher = cheap_hasher()
    assert hasher.verify(hasher.hash(PASSWORD), PASSWORD)


def test_a_wrong_password_does_not_verify() -> None:
    hasher = cheap_hasher()
    assert not hasher.verify(hasher.hash(PASSWORD), PASSWORD + "!")


def test_a_malformed_hash_does_not_verify() -> None:
    assert not cheap_hasher().verify("not a hash", PASSWORD)


def test_a_hash_made_with_other_parameters_needs_rehash() -> None:
    old = cheap_hasher(time_cost=1).hash(PASSWORD)
    assert cheap_hasher(time_cost=2).needs_rehash(old)


def test_a_hash_made_with_the_same_parameters_needs_no_rehash() -> None:
    hasher = cheap_hasher()
    assert not hasher.needs_rehash(hasher.hash(PASSWORD))
