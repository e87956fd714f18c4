"""The HTTP status of each kind of domain error: one table for both driving adapters
(the JSON API and the web pages), which may not import each other."""

from __future__ import annotations

from twitter.application.errors import IdempotencyKeyPending, IdempotencyKeyReused
from twitter.domain.errors import (
    AuthenticationFailed,
    DomainError,
    Forbidden,
    InvalidInput,
    NotFound,
    RuleViolation,
    Throttled,
)

STATUS_OF: list[tuple[type[DomainError], int]] = [
    (IdempotencyKeyReused, 422),  # as the IETF draft on the Idempotency-Key header
    (IdempotencyKeyPending, 409),
    (NotFound, 404),
    (RuleViolation, 400),
    (Forbidden, 403),
    (AuthenticationFailed, 401),
    (InvalidInput, 422),
    (Throttled, 429),
]


def status_of(error: DomainError) -> int:
    return next((status for kind, status in STATUS_OF if isinstance(error, kind)), 400)
