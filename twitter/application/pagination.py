"""Pages of lists: offset (``skip``) or keyset cursors (``max_id`` / ``since_id``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar

from twitter.domain.errors import InvalidInput

DEFAULT_LIMIT = 50
MAX_LIMIT = 200
MAX_ID = 2**63 - 1

T = TypeVar("T")


def storable_id(entity_id: int) -> bool:
    """Whether an id can exist at all: ids are 1..2**63-1 (a bigint). Asking a store
    about any other would only fail."""
    return 0 < entity_id <= MAX_ID


class _Identified(Protocol):
    @property
    def id(self) -> int | None: ...


E = TypeVar("E", bound=_Identified)


@dataclass(frozen=True)
class PageRequest:
    """Which slice of a list to read.

    Cursors filter on the list's key: the item's id, or for lists seen through a
    relation (liked tweets, followers ...) the relation's id. ``max_id`` keeps keys
    below it, ``since_id`` keys above it; ``skip`` then drops that many items.
    Repositories return up to ``limit + 1`` items so that a further page can be seen.
    """

    limit: int = DEFAULT_LIMIT
    skip: int = 0
    max_id: int | None = None
    since_id: int | None = None

    def __post_init__(self) -> None:
        if not 1 <= self.limit <= MAX_LIMIT:
            raise InvalidInput("limit", f"limit must be 1..{MAX_LIMIT}")
        if self.skip < 0:
            raise InvalidInput("skip", "skip must not be negative")
        for name in ("max_id", "since_id"):
            value = getattr(self, name)
            if value is not None and not 0 <= value <= MAX_ID:
                raise InvalidInput(name, f"{name} must be 0..{MAX_ID}")

    @property
    def fetch_size(self) -> int:
        """How many items a repository reads: one more than asked, to see a next page."""
        return self.limit + 1


@dataclass(frozen=True)
class Page(Generic[T]):
    """A slice of a list and the cursor of the next slice (None on the last page)."""

    items: list[T]
    next_cursor: int | None


def page_of(rows: Sequence[E], request: PageRequest) -> Page[E]:
    """A page of entities keyed by their own id."""
    items = list(rows[: request.limit])
    more = len(rows) > request.limit
    return Page(items=items, next_cursor=items[-1].id if more else None)


def page_of_keyed(rows: Sequence[tuple[int, T]], request: PageRequest) -> Page[T]:
    """A page of items seen through a relation, keyed by the relation's id."""
    kept = rows[: request.limit]
    more = len(rows) > request.limit
    return Page(items=[item for _, item in kept], next_cursor=kept[-1][0] if more else None)
