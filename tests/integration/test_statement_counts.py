"""A list request runs a fixed number of SQL statements, however many items it serves:
no query per item (N+1) behind any list."""

from __future__ import annotations

import pytest

from tests.integration.api import Api
from tests.integration.conftest import StatementCounter
from tests.integration.lists import LISTS, Listing, Seed
from twitter.container import Container

ITEMS = 24
SMALL, LARGE = 2, 20
# A list needs at most: the token's user and where they stand in their write limit
# (lists of one's own only), the parent's existence check, and the page itself.
MOST_STATEMENTS = 4


@pytest.fixture(params=list(LISTS))
def listing(request: pytest.FixtureRequest, container: Container, api: Api) -> Listing:
    """The parametrised list with ITEMS items (``api`` is requested so the app is started)."""
    return LISTS[request.param](Seed(container), ITEMS)


def _statements_for(
    api: Api, counter: StatementCounter, listing: Listing, query: str
) -> tuple[int, int]:
    """How many statements one GET ran, and how many items it served."""
    counter.statements.clear()
    with counter:
        response = api.client.get(f"{listing.path}?{query}", headers=listing.headers)
    assert response.status_code == 200, response.text
    return counter.count, len(response.json())


def test_statements_do_not_grow_with_the_page_size(
    api: Api, listing: Listing, count_statements: StatementCounter, database_url: str
) -> None:
    # Warm up: the first request may load things once (dialect checks ...).
    _statements_for(api, count_statements, listing, f"limit={SMALL}")

    small, served_small = _statements_for(api, count_statements, listing, f"limit={SMALL}")
    large, served_large = _statements_for(api, count_statements, listing, f"limit={LARGE}")
    full, served_full = _statements_for(api, count_statements, listing, "limit=200")

    assert (served_small, served_large, served_full) == (SMALL, LARGE, ITEMS)
    assert small == large == full, count_statements.statements
    assert 1 <= full <= MOST_STATEMENTS, count_statements.statements
    if database_url.startswith("postgresql"):
        # The read port answers a whole list in one statement; the token's user and
        # their write count are two more.
        assert full == 1 + 2 * bool(listing.headers), count_statements.statements


def test_statements_do_not_grow_when_following_links(
    api: Api, listing: Listing, count_statements: StatementCounter
) -> None:
    _statements_for(api, count_statements, listing, f"limit={SMALL}")
    first, _ = _statements_for(api, count_statements, listing, f"limit={SMALL}")
    cursor_page, served = _statements_for(
        api, count_statements, listing, f"limit={LARGE}&max_id={2**62}&since_id=0"
    )
    assert served == LARGE
    assert cursor_page == first, count_statements.statements
