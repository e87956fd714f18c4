"""A router whose every path answers with and without the trailing slash, no redirect,
and the error responses routes declare in the OpenAPI document."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel

from twitter.adapters.http.schemas import Message, ValidationFailure


class Router(APIRouter):
    def add_api_route(self, path: str, endpoint: Callable[..., Any], **kwargs: Any) -> None:
        responses = kwargs.get("responses") or {}
        writes = set(kwargs.get("methods") or ()) - {"GET", "HEAD"}
        if 401 in responses and writes and not path.startswith("/token"):
            # Every authenticated write counts against the user's write limit (logging
            # out does not: it must work however much one wrote).
            kwargs["responses"] = {**responses, **errors(429)}
        super().add_api_route(path, endpoint, **kwargs)
        twin = path[:-1] if path.endswith("/") else path + "/"
        if (twin or self.prefix) and twin != "/" and twin != path:
            super().add_api_route(twin, endpoint, **{**kwargs, "include_in_schema": False})


_ERRORS: dict[int, tuple[type[BaseModel], str]] = {
    400: (Message, "The current state forbids it (already exists, self-follow ...)"),
    401: (Message, "No valid bearer token"),
    403: (Message, "The token belongs to another user"),
    404: (Message, "No such user, tweet, like or follow"),
    422: (ValidationFailure, "The request is malformed"),
    429: (Message, "Too many attempts or writes; wait for the seconds `Retry-After` says"),
}


def errors(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """The ``responses`` a route declares for the error statuses it can answer."""
    return {
        status: {"model": _ERRORS[status][0], "description": _ERRORS[status][1]}
        for status in statuses
    }
