"""A write's parameters as Mastodon takes them: query, form or JSON alike."""

from __future__ import annotations

import json

from fastapi import Request

from twitter.domain.errors import InvalidInput


async def parameters(request: Request) -> dict[str, str]:
    """Every parameter the request carries, as text (JSON scalars too); the body's win
    over the query's."""
    found = dict(request.query_params.items())
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind == "application/json":
        try:
            body = json.loads(await request.body() or b"{}")
        except ValueError:
            raise InvalidInput("body", "The body is not valid JSON") from None
        if not isinstance(body, dict):
            raise InvalidInput("body", "The body must be a JSON object")
        for key, value in body.items():
            if isinstance(value, bool):
                found[key] = "true" if value else "false"
            elif isinstance(value, str | int | float):
                found[key] = str(value)
    elif kind in ("application/x-www-form-urlencoded", "multipart/form-data"):
        form = await request.form()
        for key, value in form.items():
            if isinstance(value, str):
                found[key] = value
    return found
