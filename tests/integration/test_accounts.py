"""Deleting an account, looking users up by username, and ``/users/me``."""

from __future__ import annotations

from typing import Any

import pytest

from tests.integration.api import Account, Api


def _assert_like_counts_are_true(api: Api) -> None:
    """Every tweet's like_count equals the number of users the API says liked it."""
    for tweet in api.get_ok("/tweets/?limit=200"):
        likers = api.get_ok(f"/tweets/{tweet['id']}/liking_users?limit=200")
        assert tweet["like_count"] == len(likers), tweet


def test_deleting_ones_account_answers_204_without_body(api: Api) -> None:
    account = api.signup()

    response = account.delete_account()

    assert response.status_code == 204
    assert response.content == b""
    missing = api.client.get(f"/users/{account.id}")
    assert missing.status_code == 404
    assert missing.json() == {"detail": "User not found"}
    assert api.get_ok("/users/") == []


def test_the_deleted_users_token_no_longer_works(api: Api) -> None:
    account, other = api.signup(), api.signup()
    assert account.delete_account().status_code == 204

    me = api.client.get("/users/me", headers=account.headers)
    assert me.status_code == 401
    assert me.headers["www-authenticate"] == "Bearer"
    posted = api.client.post("/tweets/", json={"text": "ghost"}, headers=account.headers)
    assert posted.status_code == 401
    assert account.delete_account().status_code == 401
    assert api.get_ok("/tweets/") == []
    assert [u["id"] for u in api.get_ok("/users/")] == [other.id]


def test_the_deleted_users_token_does_not_speak_for_whoever_signs_up_next(api: Api) -> None:
    """Ids are never handed out twice (SQLite needs AUTOINCREMENT for that): else the old
    token of the newest user, once deleted, would act as the next person to sign up."""
    api.signup()
    departed = api.signup()
    assert departed.delete_account().status_code == 204

    newcomer = api.signup()

    me = api.client.get("/users/me", headers=departed.headers)
    assert me.status_code == 401, f"the old token answered {me.status_code}: {me.text}"
    assert newcomer.id != departed.id


def test_the_login_of_a_deleted_account_fails_and_its_email_is_free_again(api: Api) -> None:
    account = api.signup("leaving@example.com", username="leaver")
    assert account.delete_account().status_code == 204

    assert api.token("leaving@example.com").status_code == 401
    assert api.token("leaver").status_code == 401
    assert api.client.get("/users/by/username/leaver").status_code == 404
    again = api.register("leaving@example.com", username="leaver")
    assert again.status_code == 201, again.text


def test_deleting_another_users_account_is_403(api: Api) -> None:
    victim, intruder = api.signup(), api.signup()

    response = api.client.delete(f"/users/{victim.id}", headers=intruder.headers)

    assert response.status_code == 403
    assert response.json() == {"detail": "You can only act on your own account"}
    assert api.client.get(f"/users/{victim.id}").status_code == 200
    assert api.client.get("/users/me", headers=victim.headers).status_code == 200


def test_deleting_an_account_without_a_token_is_401(api: Api) -> None:
    account = api.signup()

    response = api.client.delete(f"/users/{account.id}")

    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    assert api.client.get(f"/users/{account.id}").status_code == 200


def _busy_world(api: Api) -> tuple[Account, Account, Account, dict[str, dict[str, Any]]]:
    """Ada, Bob (who will leave) and Cy, with tweets, likes and follows among them."""
    ada, bob, cy = api.signup(), api.signup(), api.signup()
    tweets = {
        "ada": ada.tweet("ada's"),
        "bob1": bob.tweet("bob's first"),
        "cy": cy.tweet("cy's"),
        "bob2": bob.tweet("bob's second"),
    }
    for account, names in (
        (ada, ["bob1", "cy", "bob2"]),
        (bob, ["ada", "bob1", "cy"]),
        (cy, ["ada", "bob2"]),
    ):
        for name in names:
            assert account.like(tweets[name]["id"]).status_code == 201
    for follower, followee in ((ada, bob), (bob, ada), (bob, cy), (cy, bob), (cy, ada)):
        assert follower.follow(followee.id).status_code == 201
    return ada, bob, cy, tweets


def test_deleting_an_account_takes_its_tweets_likes_and_follows(api: Api) -> None:
    ada, bob, cy, tweets = _busy_world(api)
    _assert_like_counts_are_true(api)

    assert bob.delete_account().status_code == 204

    assert api.client.get(f"/users/{bob.id}").status_code == 404
    assert api.client.get(f"/users/{bob.id}/tweets/").status_code == 404
    assert api.client.get(f"/users/{bob.id}/likes/").status_code == 404
    assert api.client.get(f"/users/{bob.id}/liked_tweets/").status_code == 404
    assert api.client.get(f"/users/{bob.id}/followers").status_code == 404
    assert api.client.get(f"/users/{bob.id}/following").status_code == 404
    for name in ("bob1", "bob2"):
        assert api.client.get(f"/tweets/{tweets[name]['id']}").status_code == 404
    remaining = api.get_ok("/tweets/")
    assert [t["id"] for t in remaining] == [tweets["cy"]["id"], tweets["ada"]["id"]]
    assert all(t["owner_id"] != bob.id for t in remaining)

    # Bob's likes are gone, and the likes of his tweets with them.
    assert [like["tweet_id"] for like in api.get_ok(f"/users/{ada.id}/likes/")] == [
        tweets["cy"]["id"]
    ]
    assert [like["tweet_id"] for like in api.get_ok(f"/users/{cy.id}/likes/")] == [
        tweets["ada"]["id"]
    ]
    assert [u["id"] for u in api.get_ok(f"/tweets/{tweets['ada']['id']}/liking_users")] == [cy.id]
    assert [u["id"] for u in api.get_ok(f"/tweets/{tweets['cy']['id']}/liking_users")] == [ada.id]
    counts = {t["id"]: t["like_count"] for t in remaining}
    assert counts == {tweets["ada"]["id"]: 1, tweets["cy"]["id"]: 1}
    _assert_like_counts_are_true(api)

    # His follows, both ways, are gone.
    assert [u["id"] for u in api.get_ok(f"/users/{ada.id}/followers")] == [cy.id]
    assert api.get_ok(f"/users/{ada.id}/following") == []
    assert api.get_ok(f"/users/{cy.id}/followers") == []
    assert [u["id"] for u in api.get_ok(f"/users/{cy.id}/following")] == [ada.id]
    timeline = api.get_ok(f"/users/{cy.id}/timeline", headers=cy.headers)
    assert [t["id"] for t in timeline] == [tweets["cy"]["id"], tweets["ada"]["id"]]

    # The others carry on as before.
    assert ada.like(tweets["ada"]["id"]).status_code == 201
    assert cy.unlike(tweets["ada"]["id"]).status_code == 204
    _assert_like_counts_are_true(api)


def test_deleting_a_user_who_liked_their_own_tweets_keeps_other_counts_true(api: Api) -> None:
    solo, fan = api.signup(), api.signup()
    own = solo.tweet("mine")
    theirs = fan.tweet("theirs")
    assert solo.like(own["id"]).status_code == 201
    assert fan.like(own["id"]).status_code == 201
    assert solo.like(theirs["id"]).status_code == 201
    assert fan.like(theirs["id"]).status_code == 201

    assert solo.delete_account().status_code == 204

    assert api.get_ok(f"/tweets/{theirs['id']}")["like_count"] == 1
    assert [like["tweet_id"] for like in api.get_ok(f"/users/{fan.id}/likes/")] == [theirs["id"]]
    _assert_like_counts_are_true(api)


def test_a_deleted_account_cannot_be_deleted_again(api: Api) -> None:
    account = api.signup()
    assert account.delete_account().status_code == 204
    # The token no longer identifies anyone.
    assert account.delete_account().status_code == 401


@pytest.mark.parametrize("asked", ["Ada_L", "ada_l", "ADA_L", "aDa_l"])
def test_user_by_username_is_case_insensitive_and_keeps_the_given_case(
    api: Api, asked: str
) -> None:
    api.signup(username="someone")
    ada = api.signup("ada@example.com", username="Ada_L")

    response = api.client.get(f"/users/by/username/{asked}")

    assert response.status_code == 200
    assert response.json() == {k: v for k, v in ada.user.items() if k != "email"}
    assert response.json()["username"] == "Ada_L"


@pytest.mark.parametrize(
    "name",
    [
        "nobody",
        "Ada_Lx",
        "Ada",
        "a" * 15,
        "a" * 16,
        "bad-name",
        "ada.l",
        "ada%20l",
        "%C3%A9",
        "ada@example.com",
        "%25",
        "%27%20OR%201%3D1--",
    ],
)
def test_user_by_unknown_or_invalid_username_is_404(api: Api, name: str) -> None:
    api.signup("ada@example.com", username="Ada_L")

    response = api.client.get(f"/users/by/username/{name}")

    assert response.status_code == 404, response.text
    assert response.json() == {"detail": "User not found"}


def test_user_by_username_of_a_derived_username(api: Api) -> None:
    grace = api.signup("Grace.Hopper@example.com")
    assert grace.user["username"] == "grace_hopper"
    found = api.get_ok("/users/by/username/GRACE_HOPPER")
    assert found["id"] == grace.id


def test_me_answers_the_tokens_user_with_email(api: Api) -> None:
    api.signup()
    account = api.signup("Me@Example.com", username="MeMyself")

    me = api.get_ok("/users/me", headers=account.headers)

    assert me == {**account.user, "unread_notifications": 0}
    assert set(me) == {"id", "username", "created_at", "display_name", "bio", "email",
                       "unread_notifications"}  # fmt: skip
    assert me["email"] == "me@example.com"


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer"},
        {"Authorization": "Bearer "},
        {"Authorization": "Bearer not.a.jwt"},
        {"Authorization": "Token abc"},
        {"Authorization": "bearer-less"},
    ],
)
def test_me_without_a_valid_token_is_401(api: Api, headers: dict[str, str]) -> None:
    api.signup()

    response = api.client.get("/users/me", headers=headers)

    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    assert set(response.json()) == {"detail"}


def test_me_with_a_tampered_token_is_401(api: Api) -> None:
    account = api.signup()
    token = account.headers["Authorization"].removeprefix("Bearer ")
    header, payload, signature = token.split(".")
    tampered = f"{header}.{payload}.{signature[:-2]}{'AA' if signature[-2:] != 'AA' else 'BB'}"

    response = api.client.get("/users/me", headers={"Authorization": f"Bearer {tampered}"})

    assert response.status_code == 401


def test_get_user_never_shows_the_email_even_to_the_user(api: Api) -> None:
    account = api.signup()
    body = api.get_ok(f"/users/{account.id}", headers=account.headers)
    assert set(body) == {"id", "username", "created_at", "display_name", "bio"}
