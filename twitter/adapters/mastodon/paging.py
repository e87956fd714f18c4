"""Mastodon's pagination: a clamped ``limit``, exclusive ``max_id``/``since_id``/
``min_id``, and a ``Link`` header with ``next`` first, then ``prev``."""

from __future__ import annotations

from fastapi import Request

from twitter.adapters.mastodon.params import parse_id
from twitter.application.pagination import PageRequest

STATUSES_DEFAULT, STATUSES_MOST = 20, 40
ACCOUNTS_DEFAULT, ACCOUNTS_MOST = 40, 80
_CURSORS = ("max_id", "since_id", "min_id")


def page_of(
    request: Request, default: int = STATUSES_DEFAULT, most: int = STATUSES_MOST
) -> PageRequest:
    """The page a Mastodon list asks for. A bad value is ignored (as Mastodon does),
    never 422. ``min_id`` is taken as ``since_id``: the newest items above it rather
    than those just above it, which the read port cannot walk up to (yet)."""
    query = request.query_params
    limit = parse_id(query.get("limit"))
    return PageRequest(
        limit=default if limit is None else max(1, min(limit, most)),
        max_id=parse_id(query.get("max_id")),
        since_id=parse_id(query.get("since_id")) or parse_id(query.get("min_id")),
    )


def link_header(request: Request, next_key: int | None, prev_key: int | None) -> dict[str, str]:
    """``<…max_id=next_key>; rel="next", <…min_id=prev_key>; rel="prev"``, each link
    with its own cursor and the request's other filters; either left out without its
    key (no ``next`` on the last page; no ``prev`` for lists keyed by a relation,
    whose first key the page does not tell)."""
    plain = request.url.remove_query_params(_CURSORS)
    links = []
    if next_key is not None:
        links.append(f'<{plain.include_query_params(max_id=next_key)}>; rel="next"')
    if prev_key is not None:
        links.append(f'<{plain.include_query_params(min_id=prev_key)}>; rel="prev"')
    return {"Link": ", ".join(links)} if links else {}
