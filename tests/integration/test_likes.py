"""Liking, unliking and who liked what, over HTTP."""

from __future__ import annotations

from tests.integration.api import Api


def _like_count(api: Api, tweet_id: int) -> int:
    count: int = api.get_ok(f"/tweets/{tweet_id}")["like_count"]
    return count


def test_like_answers_201_with_the_like_and_bumps_the_counter(api: Api) -> None:
    author, fan = api.signup(), api.signup()
    tweet = author.tweet("like me")

    response = fan.like(tweet["id"])

    assert response.status_code == 201, response.text
    like = response.json()
    assert set(like) == {"id", "owner_id", "tweet_id", "created_at"}
    assert (like["owner_id"], like["tweet_id"]) == (fan.id, tweet["id"])
    assert like["created_at"].endswith(("Z", "+00:00"))
    assert _like_count(api, tweet["id"]) == 1


def test_unlike_answers_204_without_body_and_the_counter_goes_back_down(api: Api) -> None:
    author, fan, other = api.signup(), api.signup(), api.signup()
    tweet = author.tweet()
    assert fan.like(tweet["id"]).status_code == 201
    assert other.like(tweet["id"]).status_code == 201
    assert _like_count(api, tweet["id"]) == 2

    response = fan.unlike(tweet["id"])

    assert response.status_code == 204
    assert response.content == b""
    assert _like_count(api, tweet["id"]) == 1
    assert api.get_ok(f"/users/{fan.id}/likes/") == []
    assert api.get_ok(f"/users/{fan.id}/liked_tweets/") == []
    assert [u["id"] for u in api.get_ok(f"/tweets/{tweet['id']}/liking_users")] == [other.id]


def test_a_tweet_can_be_liked_again_after_an_unlike(api: Api) -> None:
    author, fan = api.signup(), api.signup()
    tweet = author.tweet()
    assert fan.like(tweet["id"]).status_code == 201
    assert fan.unlike(tweet["id"]).status_code == 204

    again = fan.like(tweet["id"])

    assert again.status_code == 201, again.text
    assert _like_count(api, tweet["id"]) == 1


def test_unlike_without_a_like_is_404_and_changes_no_counter(api: Api) -> None:
    author, fan, other = api.signup(), api.signup(), api.signup()
    tweet = author.tweet()
    assert other.like(tweet["id"]).status_code == 201

    response = fan.unlike(tweet["id"])

    assert response.status_code == 404
    assert response.json() == {"detail": "Like not found"}
    assert _like_count(api, tweet["id"]) == 1


def test_unlike_twice_is_404_the_second_time(api: Api) -> None:
    author, fan = api.signup(), api.signup()
    tweet = author.tweet()
    assert fan.like(tweet["id"]).status_code == 201
    assert fan.unlike(tweet["id"]).status_code == 204

    second = fan.unlike(tweet["id"])

    assert second.status_code == 404
    assert _like_count(api, tweet["id"]) == 0


def test_unlike_of_an_unknown_tweet_is_404(api: Api) -> None:
    fan = api.signup()
    for tweet_id in (999, 2**63 - 1, 2**64):
        response = fan.unlike(tweet_id)
        assert response.status_code == 404, (tweet_id, response.text)


def test_unlike_with_another_users_token_is_403_and_keeps_the_like(api: Api) -> None:
    author, fan, intruder = api.signup(), api.signup(), api.signup()
    tweet = author.tweet()
    assert fan.like(tweet["id"]).status_code == 201

    response = api.client.delete(f"/users/{fan.id}/likes/{tweet['id']}", headers=intruder.headers)

    assert response.status_code == 403
    assert response.json() == {"detail": "You can only act on your own account"}
    assert _like_count(api, tweet["id"]) == 1
    assert len(api.get_ok(f"/users/{fan.id}/likes/")) == 1


def test_unlike_without_a_token_is_401(api: Api) -> None:
    author, fan = api.signup(), api.signup()
    tweet = author.tweet()
    assert fan.like(tweet["id"]).status_code == 201

    for headers in ({}, {"Authorization": "Bearer not-a-token"}):
        response = api.client.delete(f"/users/{fan.id}/likes/{tweet['id']}", headers=headers)
        assert response.status_code == 401, response.text
        assert response.headers["www-authenticate"] == "Bearer"
    assert _like_count(api, tweet["id"]) == 1


def test_liking_users_are_listed_newest_like_first(api: Api) -> None:
    author = api.signup()
    fans = [api.signup() for _ in range(4)]
    tweet = author.tweet()
    # Like in an order that differs from the users' ids.
    order = [fans[2], fans[0], fans[3], fans[1]]
    for fan in order:
        assert fan.like(tweet["id"]).status_code == 201

    users = api.get_ok(f"/tweets/{tweet['id']}/liking_users")

    assert [u["id"] for u in users] == [fan.id for fan in reversed(order)]
    assert all(set(u) == {"id", "username", "created_at", "display_name", "bio"} for u in users)
    assert api.get_ok(f"/tweets/{tweet['id']}/liking_users/") == users


def test_liking_users_of_a_tweet_nobody_liked_is_empty(api: Api) -> None:
    tweet = api.signup().tweet()
    assert api.get_ok(f"/tweets/{tweet['id']}/liking_users") == []


def test_liking_users_of_an_unknown_tweet_is_404(api: Api) -> None:
    for tweet_id in (999, 2**64):
        response = api.client.get(f"/tweets/{tweet_id}/liking_users")
        assert response.status_code == 404
        assert response.json() == {"detail": "Tweet not found"}


def test_liked_tweets_are_newest_like_first(api: Api) -> None:
    author, fan = api.signup(), api.signup()
    tweets = [author.tweet(f"t{i}") for i in range(4)]
    order = [tweets[1], tweets[3], tweets[0], tweets[2]]
    for tweet in order:
        assert fan.like(tweet["id"]).status_code == 201

    liked = api.get_ok(f"/users/{fan.id}/liked_tweets/")

    assert [t["id"] for t in liked] == [t["id"] for t in reversed(order)]
    assert all(t["like_count"] == 1 for t in liked)
    likes = api.get_ok(f"/users/{fan.id}/likes/")
    assert [like["tweet_id"] for like in likes] == [t["id"] for t in reversed(order)]


def test_like_of_an_unknown_tweet_is_404(api: Api) -> None:
    fan = api.signup()
    for tweet_id in (999, 0, -1, 2**63 - 1, 2**64):
        response = fan.like(tweet_id)
        assert response.status_code == 404, (tweet_id, response.text)
        assert response.json() == {"detail": "Tweet not found"}
    assert api.get_ok(f"/users/{fan.id}/likes/") == []


def test_liking_as_another_user_is_403(api: Api) -> None:
    author, fan, intruder = api.signup(), api.signup(), api.signup()
    tweet = author.tweet()

    response = api.client.post(
        f"/users/{fan.id}/likes/", json={"tweet_id": tweet["id"]}, headers=intruder.headers
    )

    assert response.status_code == 403
    assert response.json() == {"detail": "You can only act on your own account"}
    assert _like_count(api, tweet["id"]) == 0
    assert api.get_ok(f"/users/{fan.id}/likes/") == []


def test_liking_without_a_token_is_401(api: Api) -> None:
    author, fan = api.signup(), api.signup()
    tweet = author.tweet()

    response = api.client.post(f"/users/{fan.id}/likes/", json={"tweet_id": tweet["id"]})

    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    assert _like_count(api, tweet["id"]) == 0


def test_liking_twice_is_400_and_counts_once(api: Api) -> None:
    author, fan = api.signup(), api.signup()
    tweet = author.tweet()
    assert fan.like(tweet["id"]).status_code == 201

    again = fan.like(tweet["id"])

    assert again.status_code == 400
    assert again.json() == {"detail": "Tweet already liked"}
    assert _like_count(api, tweet["id"]) == 1


def test_like_body_without_tweet_id_is_422(api: Api) -> None:
    fan = api.signup()
    response = api.client.post(f"/users/{fan.id}/likes/", json={}, headers=fan.headers)

    assert response.status_code == 422
    issues = response.json()["detail"]
    assert [issue["loc"] for issue in issues] == [["body", "tweet_id"]]


def test_like_body_with_a_non_integer_tweet_id_is_422(api: Api) -> None:
    author, fan = api.signup(), api.signup()
    tweet = author.tweet()
    for bad in ("abc", "1.5", 1.5, None, [tweet["id"]], {"id": tweet["id"]}):
        response = api.client.post(
            f"/users/{fan.id}/likes/", json={"tweet_id": bad}, headers=fan.headers
        )
        assert response.status_code == 422, (bad, response.text)
        assert response.json()["detail"][0]["loc"] == ["body", "tweet_id"]
    assert _like_count(api, tweet["id"]) == 0


def test_like_with_a_malformed_body_is_422(api: Api) -> None:
    fan = api.signup()
    headers = {**fan.headers, "Content-Type": "application/json"}
    for body in (b"not json", b"[1]", b""):
        response = api.client.post(f"/users/{fan.id}/likes/", content=body, headers=headers)
        assert response.status_code == 422, (body, response.text)
