"""The seed exercise's whole flow over HTTP, with this product's rules on top."""

from __future__ import annotations

from tests.integration.api import PASSWORD, Api


def test_the_seed_flow_end_to_end(api: Api) -> None:
    client = api.client

    created = api.register("Ada@Example.com", username="Ada_L")
    assert created.status_code == 201
    ada = created.json()
    assert set(ada) == {"id", "username", "created_at", "display_name", "bio", "email"}
    assert ada["email"] == "ada@example.com"
    assert ada["username"] == "Ada_L"
    assert ada["created_at"].endswith(("Z", "+00:00"))

    duplicate = api.register("ADA@example.com")
    assert duplicate.status_code == 400
    assert duplicate.json() == {"detail": "Email already registered"}

    grace = api.register("grace.hopper@example.com").json()
    assert grace["username"] == "grace_hopper"

    users = client.get("/users/").json()
    assert [u["id"] for u in users] == [ada["id"], grace["id"]]
    assert all(set(u) == {"id", "username", "created_at", "display_name", "bio"} for u in users)
    assert client.get(f"/users/{ada['id']}").json() == {
        k: v for k, v in ada.items() if k != "email"
    }
    assert client.get("/users/999").status_code == 404
    assert client.get("/users/999").json() == {"detail": "User not found"}

    login = api.token("ADA@EXAMPLE.COM", PASSWORD)
    assert login.status_code == 200
    assert login.json()["token_type"] == "bearer"
    headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
    assert client.get("/users/me", headers=headers).json() == {**ada, "unread_notifications": 0}

    posted = client.post(
        f"/users/{ada['id']}/tweets/", json={"text": "  first!  "}, headers=headers
    )
    assert posted.status_code == 201
    tweet = posted.json()
    assert tweet["text"] == "first!"
    assert tweet["owner_id"] == ada["id"]
    assert tweet["like_count"] == 0

    assert client.get("/tweets/").json() == [tweet]
    assert client.get(f"/users/{ada['id']}/tweets/").json() == [tweet]
    assert client.get("/users/999/tweets/").status_code == 404

    liked = client.post(
        f"/users/{ada['id']}/likes/", json={"tweet_id": tweet["id"]}, headers=headers
    )
    assert liked.status_code == 201
    like = liked.json()
    assert (like["owner_id"], like["tweet_id"]) == (ada["id"], tweet["id"])

    again = client.post(
        f"/users/{ada['id']}/likes/", json={"tweet_id": tweet["id"]}, headers=headers
    )
    assert again.status_code == 400
    assert again.json() == {"detail": "Tweet already liked"}

    assert client.get(f"/users/{ada['id']}/likes/").json() == [like]
    tweets = client.get("/tweets/").json()
    assert tweets[0]["like_count"] == 1
    assert client.get(f"/users/{ada['id']}/liked_tweets/").json() == tweets


def test_no_answer_carries_a_password_or_hash(api: Api) -> None:
    account = api.signup("secretive@example.com", password="hunter2-but-longer")
    client = api.client
    bodies = [
        api.register("secretive@example.com", password="hunter2-but-longer").text,
        client.get("/users/").text,
        client.get(f"/users/{account.id}").text,
        client.get("/users/me", headers=account.headers).text,
        client.post("/users/", json={"email": "x@example.com", "password": "short"}).text,
        client.post("/users/", json={"email": "nope", "password": "hunter2-but-longer"}).text,
        client.post("/users/", json={"email": "a@example.com", "password": "p" * 129}).text,
    ]
    for body in bodies:
        assert "hunter2" not in body
        assert "$argon2" not in body
        assert "hashed_password" not in body
        assert "p" * 129 not in body


def test_collections_answer_with_and_without_trailing_slash(api: Api) -> None:
    account = api.signup()
    account.tweet("hi")
    for path in ("/users", "/tweets", f"/users/{account.id}/tweets", f"/users/{account.id}/likes"):
        bare = api.client.get(path, follow_redirects=False)
        slashed = api.client.get(path + "/", follow_redirects=False)
        assert bare.status_code == slashed.status_code == 200
        assert bare.json() == slashed.json()
    created = api.client.post(
        f"/users/{account.id}/tweets", json={"text": "no slash"}, headers=account.headers
    )
    assert created.status_code == 201
