"""Argon2id password hashing (argon2-cffi)."""

from __future__ import annotations

import os
import threading

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError

# OWASP Password Storage Cheat Sheet minimum for Argon2id: 19 MiB, 2 passes, 1 lane.
OWASP_MEMORY_KIB = 19_456
OWASP_TIME_COST = 2
OWASP_PARALLELISM = 1


class Argon2PasswordHasher:
    """Argon2id; at most ``concurrency`` hashes and checks run at once (default: one
    per core) across the threads sharing this hasher (the container makes one per
    process), so a burst of sign-ups or logins queues instead of taking every thread
    and 19 MiB each from the reads."""

    def __init__(
        self,
        *,
        memory_kib: int = OWASP_MEMORY_KIB,
        time_cost: int = OWASP_TIME_COST,
        parallelism: int = OWASP_PARALLELISM,
        concurrency: int | None = None,
    ) -> None:
        self._running = threading.BoundedSemaphore(concurrency or os.cpu_count() or 1)
        self._hasher = PasswordHasher(
            time_cost=time_cost,
            memory_cost=memory_kib,
            parallelism=parallelism,
            type=Type.ID,
        )
        # A real hash to verify against when the user does not exist, so that
        # unknown logins cost the same time as wrong passwords.
        self._decoy = self._hasher.hash("decoy password, never a real one")

    def hash(self, password: str) -> str:
        with self._running:
            return self._hasher.hash(password)

    def verify(self, hashed: str, password: str) -> bool:
        try:
            with self._running:
                return self._hasher.verify(hashed, password)
        except (VerificationError, InvalidHashError):
            return False

    def needs_rehash(self, hashed: str) -> bool:
        return self._hasher.check_needs_rehash(hashed)

    def burn(self, password: str) -> None:
        self.verify(self._decoy, password)
