"""Every list route pages the same way: ``limit`` (1..200, default 50), ``skip``, the keyset
cursors ``max_id`` / ``since_id``, and an RFC 8288 ``Link: <...>; rel="next"`` header.

The lists are seeded through the use cases (fast, no HTTP) and read over HTTP.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.integration.api import Api, next_link
from tests.integration.lists import LISTS, Listing, Seed, tweets_listing, users_listing
from twitter.application import commands
from twitter.container import Container

BIG = 2**62
MAX_ID = 2**63 - 1


@pytest.fixture(params=list(LISTS))
def make(
    request: pytest.FixtureRequest, container: Container, api: Api
) -> Callable[[int], Listing]:
    """Seeds the parametrised list with n items; ``api`` is requested so the app is started."""
    build = LISTS[request.param]
    seed = Seed(container)
    return lambda n: build(seed, n)


def _get(api: Api, listing: Listing, query: str = "") -> list[int]:
    body = api.get_ok(f"{listing.path}{'?' if query else ''}{query}", headers=listing.headers)
    return [item["id"] for item in body]


def _query_of(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query, keep_blank_values=True)


def test_default_limit_is_50_and_limit_is_honoured_up_to_200(
    api: Api, make: Callable[[int], Listing]
) -> None:
    listing = make(51)

    response = api.client.get(listing.path, headers=listing.headers)

    assert response.status_code == 200
    assert [item["id"] for item in response.json()] == listing.keys[:50]
    assert all(item["created_at"].endswith(("Z", "+00:00")) for item in response.json())
    assert next_link(response) is not None
    assert _get(api, listing, "limit=50") == listing.keys[:50]
    for limit in (1, 2, 3, 49):
        assert _get(api, listing, f"limit={limit}") == listing.keys[:limit]
    full = api.client.get(f"{listing.path}?limit=200", headers=listing.headers)
    assert [item["id"] for item in full.json()] == listing.keys
    assert next_link(full) is None
    assert _get(api, listing, "limit=51") == listing.keys


INVALID = [
    ("limit", "0"),
    ("limit", "-1"),
    ("limit", "201"),
    ("limit", "abc"),
    ("limit", ""),
    ("limit", str(2**64)),
    ("skip", "-1"),
    ("skip", "abc"),
    ("skip", str(MAX_ID + 1)),
    ("max_id", "-1"),
    ("max_id", "abc"),
    ("max_id", str(MAX_ID + 1)),
    ("max_id", str(2**64)),
    ("max_id", "1" + "0" * 40),
    ("since_id", "-1"),
    ("since_id", str(MAX_ID + 1)),
    ("since_id", str(2**64)),
]


def test_invalid_page_parameters_are_422(api: Api, make: Callable[[int], Listing]) -> None:
    listing = make(1)
    for name, value in INVALID:
        response = api.client.get(f"{listing.path}?{name}={value}", headers=listing.headers)
        assert response.status_code == 422, (name, value, response.text)
        assert [issue["loc"] for issue in response.json()["detail"]] == [["query", name]]


def test_huge_but_valid_cursors_and_skips(api: Api, make: Callable[[int], Listing]) -> None:
    listing = make(3)
    everything = listing.keys

    for query, expected in [
        (f"skip={BIG}", []),
        (f"since_id={BIG}", []),
        (f"since_id={MAX_ID}", []),
        (f"max_id={BIG}", everything),
        (f"max_id={MAX_ID}", everything),
        ("max_id=0", []),
        ("since_id=0", everything),
        ("skip=0", everything),
        (f"skip=3&limit={200}", []),
    ]:
        response = api.client.get(f"{listing.path}?{query}", headers=listing.headers)
        assert response.status_code == 200, (query, response.text)
        assert [item["id"] for item in response.json()] == expected, query
        assert next_link(response) is None, query


def test_the_largest_skip_answers_an_empty_page(api: Api, make: Callable[[int], Listing]) -> None:
    listing = make(3)
    for skip in (MAX_ID - 1, MAX_ID):
        response = api.client.get(f"{listing.path}?skip={skip}", headers=listing.headers)
        assert response.status_code == 200, (skip, response.text)
        assert response.json() == []
        assert next_link(response) is None


def test_following_links_visits_every_item_once_in_order(
    api: Api, make: Callable[[int], Listing]
) -> None:
    listing = make(5)

    pages = api.walk(f"{listing.path}?limit=2", headers=listing.headers)

    assert [[item["id"] for item in page.json()] for page in pages] == [
        listing.keys[0:2],
        listing.keys[2:4],
        listing.keys[4:5],
    ]
    first, middle, last = pages
    assert next_link(first) is not None
    assert next_link(middle) is not None
    assert next_link(last) is None


def test_no_link_on_a_last_page_that_is_full(api: Api, make: Callable[[int], Listing]) -> None:
    listing = make(4)

    pages = api.walk(f"{listing.path}?limit=2", headers=listing.headers)

    assert [[item["id"] for item in page.json()] for page in pages] == [
        listing.keys[0:2],
        listing.keys[2:4],
    ]
    exact = api.client.get(f"{listing.path}?limit=4", headers=listing.headers)
    assert next_link(exact) is None


def test_an_empty_list_has_no_link(api: Api, make: Callable[[int], Listing]) -> None:
    listing = make(0)
    response = api.client.get(listing.path, headers=listing.headers)
    assert response.status_code == 200
    assert response.json() == []
    assert "link" not in response.headers


def test_the_link_carries_the_cursor_and_keeps_the_limit_and_path(
    api: Api, make: Callable[[int], Listing]
) -> None:
    listing = make(5)

    first = api.client.get(f"{listing.path}?limit=2", headers=listing.headers)

    url = next_link(first)
    assert url is not None
    parts = urlsplit(url)
    assert parts.path == listing.path
    query = _query_of(url)
    assert query["limit"] == ["2"]
    assert "skip" not in query
    other = "since_id" if listing.cursor == "max_id" else "max_id"
    assert other not in query
    (cursor,) = query[listing.cursor]
    assert cursor.isdecimal()
    if listing.keyed_by_item:
        # The last id served: the second item's own id.
        assert int(cursor) == listing.keys[1]

    # Asked without (or with) the trailing slash, the Link keeps the path as asked.
    twin = listing.path[:-1] if listing.path.endswith("/") else listing.path + "/"
    response = api.client.get(f"{twin}?limit=3", headers=listing.headers)
    assert [item["id"] for item in response.json()] == listing.keys[:3]
    twin_url = next_link(response)
    assert twin_url is not None
    assert urlsplit(twin_url).path == twin
    rest = api.client.get(twin_url, headers=listing.headers, follow_redirects=False)
    assert rest.status_code == 200
    assert [item["id"] for item in rest.json()] == listing.keys[3:]


def test_a_page_asked_by_skip_links_on_with_a_cursor(
    api: Api, make: Callable[[int], Listing]
) -> None:
    listing = make(6)

    response = api.client.get(f"{listing.path}?limit=2&skip=1", headers=listing.headers)

    assert [item["id"] for item in response.json()] == listing.keys[1:3]
    url = next_link(response)
    assert url is not None
    query = _query_of(url)
    assert "skip" not in query
    assert listing.cursor in query
    if listing.keyed_by_item:
        assert query[listing.cursor] == [str(listing.keys[2])]
    rest = api.walk(url, headers=listing.headers)
    assert [item["id"] for page in rest for item in page.json()] == listing.keys[3:]
    for skip in range(8):
        assert _get(api, listing, f"limit=2&skip={skip}") == listing.keys[skip : skip + 2]


def test_cursors_filter_by_id(api: Api, make: Callable[[int], Listing]) -> None:
    """``max_id`` keeps keys below it and ``since_id`` keys above it. Where the key is a
    relation's id, the cursor value is taken from a Link, as a client would."""
    listing = make(5)
    if listing.keyed_by_item:
        second, fourth = listing.keys[1], listing.keys[3]
    else:
        second = _link_cursor(api, listing, limit=2)
        fourth = _link_cursor(api, listing, limit=4)
    if listing.cursor == "max_id":  # newest first: keys fall along the list
        assert _get(api, listing, f"max_id={second}") == listing.keys[2:]
        assert _get(api, listing, f"since_id={fourth}") == listing.keys[:3]
        assert _get(api, listing, f"since_id={fourth}&max_id={second}") == listing.keys[2:3]
    else:  # the users list: ascending
        assert _get(api, listing, f"since_id={second}") == listing.keys[2:]
        assert _get(api, listing, f"max_id={fourth}") == listing.keys[:3]
        assert _get(api, listing, f"since_id={second}&max_id={fourth}") == listing.keys[2:3]

    # The far bound stays in the Link: a walk from it ends where it says.
    bound = "since_id" if listing.cursor == "max_id" else "max_id"
    pages = api.walk(f"{listing.path}?limit=2&{bound}={fourth}", headers=listing.headers)
    assert [[item["id"] for item in page.json()] for page in pages] == [
        listing.keys[0:2],
        listing.keys[2:3],
    ]


def _link_cursor(api: Api, listing: Listing, *, limit: int) -> int:
    response = api.client.get(f"{listing.path}?limit={limit}", headers=listing.headers)
    url = next_link(response)
    assert url is not None
    return int(_query_of(url)[listing.cursor][0])


def test_a_cursor_page_is_stable_when_new_tweets_arrive(api: Api, container: Container) -> None:
    """Keyset paging: tweets posted after the first page was read do not shift the next."""
    seed = Seed(container)
    listing = tweets_listing(seed, 4)
    first = api.client.get("/tweets/?limit=2")
    url = next_link(first)
    assert url is not None

    newer = seed.tweet(seed.user(), "posted meanwhile")

    assert [item["id"] for item in api.get_ok(url)] == listing.keys[2:4]
    assert _get(api, listing, "limit=1") == [newer]


def test_a_cursor_page_of_users_is_stable_when_users_sign_up(
    api: Api, container: Container
) -> None:
    seed = Seed(container)
    listing = users_listing(seed, 3)
    first = api.client.get("/users/?limit=2")
    url = next_link(first)
    assert url is not None

    newcomer = seed.user()

    pages = api.walk(url)
    assert [item["id"] for page in pages for item in page.json()] == [*listing.keys[2:], newcomer]


def test_polling_with_since_id_sees_a_tweet_posted_after_the_newest_was_deleted(
    api: Api, container: Container
) -> None:
    """A client that last saw tweet N polls ``since_id=N``: it must see every newer tweet,
    even when N itself was deleted in between (ids must never be handed out twice)."""
    seed = Seed(container)
    author = seed.user()
    seed.tweet(author, "older")
    newest = seed.tweet(author, "newest")
    seen = api.get_ok("/tweets/")[0]["id"]
    assert seen == newest
    container.delete_tweet()(commands.TweetRemoval(actor_id=author, tweet_id=newest))

    posted = seed.tweet(author, "posted after the deletion")

    assert [t["id"] for t in api.get_ok(f"/tweets/?since_id={seen}")] == [posted]


@pytest.mark.parametrize(
    "path",
    [
        "/users/{id}/tweets/",
        "/users/{id}/likes/",
        "/users/{id}/liked_tweets/",
        "/users/{id}/followers",
        "/users/{id}/following",
        "/tweets/{id}/liking_users",
    ],
)
def test_lists_under_an_unknown_parent_are_404(api: Api, path: str) -> None:
    api.signup().tweet()
    for unknown in (999, 2**63 - 1, 2**64):
        response = api.client.get(path.format(id=unknown))
        assert response.status_code == 404, (unknown, response.text)
        assert response.json()["detail"] in ("User not found", "Tweet not found")
