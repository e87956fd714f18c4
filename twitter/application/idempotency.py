"""Idempotency keys: a create sent again with the same key by the same caller gets
the first answer, and creates nothing twice, whichever adapter it came through."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

from twitter.application.errors import IdempotencyKeyReused
from twitter.application.ports import Clock, StoredAnswer, UnitOfWork
from twitter.domain.errors import InvalidInput

KEY_LIFETIME = timedelta(hours=1)
"""How long an answer is kept, and a key names it."""

_VALID_KEY = re.compile(r"[\x21-\x7e]{1,255}")  # visible ASCII, as a header carries it


@dataclass(frozen=True, slots=True)
class Proceed:
    """The key is the caller's now: answer the request, then ``finish`` or ``abandon``."""


@dataclass(frozen=True, slots=True)
class Replay:
    """The request was answered before: answer it so again."""

    answer: StoredAnswer


@dataclass(frozen=True, slots=True)
class Pending:
    """The first request with the key is still being answered: wait, and ask again."""


Outcome = Proceed | Replay | Pending


class IdempotencyKeys:
    """Claims a caller's key for one request, and keeps or forgets what it answered.

    The claim is a row of the (caller, key) primary key, so of ten repeats arriving at
    once, on any number of workers, exactly one proceeds; the others find it pending,
    then answered. ``fingerprint`` tells the request the key was first sent with (the
    adapter's choice: method, path and body); another request under the same key is
    IdempotencyKeyReused. Keys of different callers never meet. Keys older than
    ``lifetime`` are forgotten, pruned as new ones are claimed."""

    def __init__(self, uow: UnitOfWork, clock: Clock, lifetime: timedelta = KEY_LIFETIME) -> None:
        self._uow = uow
        self._clock = clock
        self._lifetime = lifetime

    def begin(self, caller: str, key: str, fingerprint: str) -> Outcome:
        if not _VALID_KEY.fullmatch(key):
            raise InvalidInput(
                "Idempotency-Key", "Idempotency-Key must be 1 to 255 visible ASCII characters"
            )
        for _ in range(3):  # a key released or expired between two looks is claimed anew
            now = self._clock.now()
            with self._uow as uow:
                keys = uow.idempotency_keys
                if keys.reserve(caller, key, fingerprint, now):
                    keys.prune(now - self._lifetime)
                    uow.commit()
                    return Proceed()
                found = keys.find(caller, key)
                if found is not None and found.created_at <= now - self._lifetime:
                    keys.release(caller, key)
                    found = None
                uow.commit()
            if found is None:
                continue
            if found.fingerprint != fingerprint:
                raise IdempotencyKeyReused()
            return Pending() if found.status is None else Replay(found)
        return Pending()

    def finish(
        self, caller: str, key: str, status: int, content_type: str | None, body: bytes
    ) -> None:
        with self._uow as uow:
            uow.idempotency_keys.complete(caller, key, status, content_type, body)
            uow.commit()

    def abandon(self, caller: str, key: str) -> None:
        """Forget the claim: the request failed in a way worth trying again."""
        with self._uow as uow:
            uow.idempotency_keys.release(caller, key)
            uow.commit()
