"""A write's parameters as Mastodon takes them: query, form or JSON alike."""

from __future__ import annotations

import json

from fastapi import Request

from twitter.application.pagination import MAX_ID
from twitter.domain.errors import InvalidInput, TweetNotFound


def parse_id(value: str | None) -> int | None:
    """One of our ids from Mastodon's string form; None for anything no row can have
    (not a decimal number, or beyond a bigint)."""
    if value is None or not value.isdecimal() or len(value) > 19:
        return None
    number = int(value)
    return number if number <= MAX_ID else None


def status_id_of(value: str) -> int:
    """The tweet a status ``:id`` names; TweetNotFound for what names none."""
    tweet_id = parse_id(value)
    if tweet_id is None:
        raise TweetNotFound()
    return tweet_id


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
