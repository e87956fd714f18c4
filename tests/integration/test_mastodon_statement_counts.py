"""Mastodon's lists cost what the JSON API's cost: a page is a fixed number of
statements whatever its size, the accounts inside statuses (with their counts) and
the viewer's flags read for the whole page at once, never per item."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from tests.integration.api import Account, Api
from tests.integration.conftest import StatementCounter
from tests.integration.test_mastodon_login import _token

SMALL, LARGE = 1, 6


@dataclass(frozen=True)
class Pair:
    native: str
    mastodon: str
    of_statuses: bool
    """Statuses carry their accounts' counts: one statement more for the whole page."""


PAIRS = [
    Pair("/users/{ada}/timeline", "/api/v1/timelines/home", True),
    Pair("/tweets/", "/api/v1/timelines/public", True),
    Pair("/users/{bob}/tweets/", "/api/v1/accounts/{bob}/statuses", True),
    Pair("/users/{ada}/liked_tweets/", "/api/v1/favourites", True),
    Pair("/users/{ada}/bookmarks", "/api/v1/bookmarks", True),
    Pair("/users/{ada}/notifications", "/api/v1/notifications", True),
    Pair("/users/{ada}/followers", "/api/v1/accounts/{ada}/followers", False),
    Pair("/users/{ada}/following", "/api/v1/accounts/{ada}/following", False),
]


def _count(api: Api, counter: StatementCounter, path: str, headers: dict[str, str]) -> int:
    counter.statements.clear()
    with counter:
        response = api.client.get(path, headers=headers)
    assert response.status_code == 200, response.text
    return counter.count


@pytest.mark.parametrize("pair", PAIRS, ids=lambda pair: pair.mastodon)
def test_a_mastodon_page_costs_a_fixed_number_of_statements(
    api: Api, count_statements: StatementCounter, database_url: str, pair: Pair
) -> None:
    ada, *others = (api.signup() for _ in range(LARGE + 1))
    bob: Account = others[0]
    headers = _token(api, ada)
    for other in others:
        ada.follow(other.id)
        other.follow(ada.id)
        tweet_id = other.tweet("hello")["id"]
        ada.like(tweet_id)
        ada.bookmark(tweet_id)
        for _ in range(LARGE):
            bob.tweet("more")
    ids = {"ada": ada.id, "bob": bob.id}
    native, mastodon = pair.native.format(**ids), pair.mastodon.format(**ids)
    _count(api, count_statements, f"{mastodon}?limit={SMALL}", headers)  # warm up

    small = _count(api, count_statements, f"{mastodon}?limit={SMALL}", headers)
    large = _count(api, count_statements, f"{mastodon}?limit={LARGE}", headers)
    native_cost = _count(api, count_statements, f"{native}?limit={LARGE}", ada.headers)

    assert small == large, count_statements.statements
    if database_url.startswith("postgresql"):
        # The JSON API's page is one statement, two more when it names who asks (their
        # account and write allowance); Mastodon always knows who asks, and its
        # statuses carry their accounts' counts.
        authenticated_native = native_cost + 2 * (native_cost == 1)
        assert large == authenticated_native + pair.of_statuses, count_statements.statements
