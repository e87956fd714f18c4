"""The home timeline: one's own tweets and those of the people one follows, newest first."""

from __future__ import annotations

from tests.integration.api import Api, next_link
from tests.integration.test_tweets import TWEET_KEYS


def _ids(items: list[dict[str, object]]) -> list[object]:
    return [item["id"] for item in items]


def test_timeline_has_own_and_followed_tweets_newest_first_and_nobody_elses(api: Api) -> None:
    me, friend, other_friend, stranger = (api.signup() for _ in range(4))
    assert me.follow(friend.id).status_code == 201
    assert me.follow(other_friend.id).status_code == 201
    assert stranger.follow(me.id).status_code == 201  # being followed adds nothing
    posted = [
        me.tweet("mine 1"),
        friend.tweet("friend 1"),
        stranger.tweet("stranger 1"),
        other_friend.tweet("other friend 1"),
        me.tweet("mine 2"),
        stranger.tweet("stranger 2"),
        friend.tweet("friend 2"),
    ]
    expected = [t["id"] for t in reversed(posted) if t["owner_id"] != stranger.id]

    timeline = api.get_ok(f"/users/{me.id}/timeline", headers=me.headers)

    assert _ids(timeline) == expected
    assert all(set(t) == set(TWEET_KEYS) for t in timeline)
    assert stranger.id not in {t["owner_id"] for t in timeline}


def test_timeline_of_someone_who_follows_nobody_is_their_own_tweets(api: Api) -> None:
    me, other = api.signup(), api.signup()
    mine = [me.tweet("one"), me.tweet("two")]
    other.tweet("not mine")

    timeline = api.get_ok(f"/users/{me.id}/timeline", headers=me.headers)

    assert _ids(timeline) == [mine[1]["id"], mine[0]["id"]]


def test_an_empty_timeline_is_an_empty_list(api: Api) -> None:
    me, other = api.signup(), api.signup()
    other.tweet("not followed")
    response = api.client.get(f"/users/{me.id}/timeline", headers=me.headers)
    assert response.status_code == 200
    assert response.json() == []
    assert "link" not in response.headers


def test_timeline_follows_follows_and_unfollows(api: Api) -> None:
    me, friend = api.signup(), api.signup()
    theirs = friend.tweet("before the follow")
    assert api.get_ok(f"/users/{me.id}/timeline", headers=me.headers) == []

    assert me.follow(friend.id).status_code == 201
    # Older tweets of someone newly followed show up too.
    assert _ids(api.get_ok(f"/users/{me.id}/timeline", headers=me.headers)) == [theirs["id"]]

    assert me.unfollow(friend.id).status_code == 204
    assert api.get_ok(f"/users/{me.id}/timeline", headers=me.headers) == []


def test_timeline_shows_current_like_counts_and_drops_deleted_tweets(api: Api) -> None:
    me, friend = api.signup(), api.signup()
    assert me.follow(friend.id).status_code == 201
    kept, doomed = friend.tweet("kept"), friend.tweet("doomed")
    assert me.like(kept["id"]).status_code == 201
    assert friend.delete_tweet(doomed["id"]).status_code == 204

    timeline = api.get_ok(f"/users/{me.id}/timeline", headers=me.headers)

    assert _ids(timeline) == [kept["id"]]
    assert timeline[0]["like_count"] == 1


def test_another_users_timeline_is_403(api: Api) -> None:
    me, intruder = api.signup(), api.signup()
    me.tweet("private-ish")

    response = api.client.get(f"/users/{me.id}/timeline", headers=intruder.headers)

    assert response.status_code == 403
    assert response.json() == {"detail": "You can only act on your own account"}


def test_timeline_without_a_valid_token_is_401(api: Api) -> None:
    me = api.signup()
    me.tweet("hello")
    for headers in ({}, {"Authorization": "Bearer garbage"}):
        response = api.client.get(f"/users/{me.id}/timeline", headers=headers)
        assert response.status_code == 401, response.text
        assert response.headers["www-authenticate"] == "Bearer"


def test_timeline_is_paginated_with_link_headers(api: Api) -> None:
    me, friend, stranger = api.signup(), api.signup(), api.signup()
    assert me.follow(friend.id).status_code == 201
    posted = []
    for i in range(7):
        posted.append((me if i % 2 else friend).tweet(f"t{i}"))
        stranger.tweet(f"noise {i}")
    expected = [t["id"] for t in reversed(posted)]

    pages = api.walk(f"/users/{me.id}/timeline?limit=3", headers=me.headers)

    assert [_ids(page.json()) for page in pages] == [expected[0:3], expected[3:6], expected[6:]]
    first, middle, last = pages
    assert next_link(first) is not None
    assert f"max_id={expected[2]}" in (next_link(first) or "")
    assert f"max_id={expected[5]}" in (next_link(middle) or "")
    assert next_link(last) is None


def test_timeline_link_pages_still_need_the_token(api: Api) -> None:
    me = api.signup()
    for i in range(3):
        me.tweet(f"t{i}")
    first = api.client.get(f"/users/{me.id}/timeline?limit=2", headers=me.headers)
    url = next_link(first)
    assert url is not None

    assert api.client.get(url).status_code == 401
    assert api.client.get(url, headers=me.headers).status_code == 200
