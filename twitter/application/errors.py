"""Failures of the outside world, and of a client's idempotency keys, named in the
application's words."""

from twitter.domain.errors import DomainError


class StorageUnavailable(Exception):
    """The store cannot be reached right now; the operation did not happen."""


class IdempotencyKeyReused(DomainError):
    """An idempotency key sent again with another request than the one it was first
    sent with: that request is not answered (with the first one's answer or any)."""

    def __init__(self) -> None:
        super().__init__("This Idempotency-Key was used for a different request")


class IdempotencyKeyPending(DomainError):
    """The request first sent with this idempotency key is still being answered."""

    def __init__(self) -> None:
        super().__init__("A request with this Idempotency-Key is still being answered; retry")
