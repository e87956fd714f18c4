"""Routes as Mastodon clients call them: with and without the trailing slash."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from fastapi import APIRouter

Endpoint = TypeVar("Endpoint", bound=Callable[..., Any])


def both(router: APIRouter, path: str, methods: list[str]) -> Callable[[Endpoint], Endpoint]:
    """A route with and without the trailing slash (toot adds it, Mastodon.py not)."""

    def add(endpoint: Endpoint) -> Endpoint:
        for each in (path, path + "/"):
            router.add_api_route(each, endpoint, methods=methods)
        return endpoint

    return add
