"""Whom the current reads are for: read-your-writes across a primary and its replicas.

Identifying a user (``IdentifyUser``) marks the rest of that request's work as done
for them. A store that keeps copies which lag behind (streaming replicas) notes how
far each of their writes went and serves their reads only from a copy that has come
that far; everyone else's reads may be a moment behind. Each request (each asyncio
task, each thread it hands work to) sees its own reader.
"""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass


@dataclass
class Reader:
    user_id: int
    last_write: int | None = None
    """Where the store stood after this user's latest write, once a store has looked it
    up or made one in this request (a store's own measure: a WAL position)."""
    looked_up: bool = False


_reader: ContextVar[Reader | None] = ContextVar("reader", default=None)


def read_as(user_id: int) -> Reader:
    """From here on, the current request reads (and writes) on behalf of ``user_id``."""
    current = _reader.get()
    if current is None or current.user_id != user_id:
        current = Reader(user_id)
        _reader.set(current)
    return current


def current_reader() -> Reader | None:
    return _reader.get()
