"""Running a coroutine to its end from a synchronous test."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")


def run_to_end(call: Coroutine[Any, Any, T]) -> T:
    """``asyncio.run(call)`` in a thread of its own, so that it works even while an event
    loop runs in the test's thread: Playwright's synchronous API keeps one running for
    the whole session once the browser tests have started it."""
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="test-loop") as pool:
        return pool.submit(asyncio.run, call).result()
