"""Notifications over HTTP: the kinds, their owner alone, ?unread=true, read markers
and the unread count on /users/me."""

from __future__ import annotations

from tests.integration.api import Api


def test_each_action_notifies_its_target_with_the_actor(api: Api) -> None:
    ada, bob = api.signup(username="ada"), api.signup(username="bob")
    tweet = ada.tweet("hello")
    assert bob.follow(ada.id).status_code == 201
    assert bob.like(tweet["id"]).status_code == 201
    reply = bob.reply(tweet["id"], "hi @ada")
    assert bob.retweet(tweet["id"]).status_code == 201
    quote = bob.quote(tweet["id"])
    mention = bob.tweet("hey @ADA")
    found = ada.notifications()
    assert [(n["type"], n["tweet_id"]) for n in found] == [
        ("mention", mention["id"]),
        ("quote", quote["id"]),
        ("retweet", tweet["id"]),
        ("reply", reply["id"]),
        ("like", tweet["id"]),
        ("follow", None),
    ]
    first = found[0]
    assert list(first) == ["id", "type", "actor", "tweet_id", "created_at", "read"]
    assert first["actor"] == {key: bob.user[key] for key in first["actor"]}
    assert first["read"] is False and first["created_at"].endswith(("Z", "+00:00"))
    assert bob.notifications() == []


def test_undoing_removes_the_notification(api: Api) -> None:
    ada, bob = api.signup(), api.signup()
    tweet = ada.tweet()
    bob.follow(ada.id)
    bob.like(tweet["id"])
    bob.retweet(tweet["id"])
    reply = bob.reply(tweet["id"])
    assert len(ada.notifications()) == 4
    assert bob.unfollow(ada.id).status_code == 204
    assert bob.unlike(tweet["id"]).status_code == 204
    assert bob.undo_retweet(tweet["id"]).status_code == 204
    assert bob.delete_tweet(reply["id"]).status_code == 204
    assert ada.notifications() == []


def test_unread_filter_read_markers_and_the_count_on_me(api: Api) -> None:
    ada, bob = api.signup(username="ada"), api.signup()
    for n in range(3):
        bob.tweet(f"@ada {n}")
    assert ada.me()["unread_notifications"] == 3
    newest, middle, _ = ada.notifications()
    response = api.client.post(
        f"/users/{ada.id}/notifications/read", json={"max_id": middle["id"]}, headers=ada.headers
    )
    assert response.status_code == 204 and response.content == b""
    assert ada.me()["unread_notifications"] == 1
    assert [n["id"] for n in ada.notifications("?unread=true")] == [newest["id"]]
    assert [n["read"] for n in ada.notifications()] == [False, True, True]
    me = ada.me()
    assert list(me)[-2:] == ["email", "unread_notifications"]


def test_notifications_are_their_owners_alone(api: Api) -> None:
    ada, bob = api.signup(), api.signup()
    url = f"/users/{ada.id}/notifications"
    assert api.client.get(url).status_code == 401
    assert api.client.get(url, headers=bob.headers).status_code == 403
    read = api.client.post(f"{url}/read", json={"max_id": 1}, headers=bob.headers)
    assert read.status_code == 403
    assert api.client.post(f"{url}/read", json={}, headers=ada.headers).status_code == 422
    assert api.client.get(f"{url}?unread=maybe", headers=ada.headers).status_code == 422
