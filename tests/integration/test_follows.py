"""Following and unfollowing, and the lists of followers and following."""

from __future__ import annotations

import pytest

from tests.integration.api import Api


def _ids(users: list[dict[str, object]]) -> list[object]:
    return [user["id"] for user in users]


def test_follow_answers_201_with_the_follow(api: Api) -> None:
    ada, bob = api.signup(), api.signup()

    response = ada.follow(bob.id)

    assert response.status_code == 201, response.text
    follow = response.json()
    assert set(follow) == {"follower_id", "followee_id", "created_at"}
    assert (follow["follower_id"], follow["followee_id"]) == (ada.id, bob.id)
    assert follow["created_at"].endswith(("Z", "+00:00"))
    assert _ids(api.get_ok(f"/users/{ada.id}/following")) == [bob.id]
    assert _ids(api.get_ok(f"/users/{bob.id}/followers")) == [ada.id]
    assert api.get_ok(f"/users/{bob.id}/following") == []
    assert api.get_ok(f"/users/{ada.id}/followers") == []


def test_following_back_is_a_separate_follow(api: Api) -> None:
    ada, bob = api.signup(), api.signup()
    assert ada.follow(bob.id).status_code == 201
    assert bob.follow(ada.id).status_code == 201
    assert _ids(api.get_ok(f"/users/{ada.id}/followers")) == [bob.id]
    assert _ids(api.get_ok(f"/users/{bob.id}/followers")) == [ada.id]


def test_following_twice_is_400(api: Api) -> None:
    ada, bob = api.signup(), api.signup()
    assert ada.follow(bob.id).status_code == 201

    again = ada.follow(bob.id)

    assert again.status_code == 400
    assert again.json() == {"detail": "Already following this user"}
    assert _ids(api.get_ok(f"/users/{bob.id}/followers")) == [ada.id]


def test_following_oneself_is_400(api: Api) -> None:
    ada = api.signup()

    response = ada.follow(ada.id)

    assert response.status_code == 400
    assert response.json() == {"detail": "Users cannot follow themselves"}
    assert api.get_ok(f"/users/{ada.id}/following") == []


def test_following_an_unknown_user_is_404(api: Api) -> None:
    ada = api.signup()

    for target in (999, 0, -1, 2**63 - 1, 2**64):
        response = ada.follow(target)
        assert response.status_code == 404, (target, response.text)
        assert response.json() == {"detail": "User not found"}
    assert api.get_ok(f"/users/{ada.id}/following") == []


def test_following_as_another_user_is_403(api: Api) -> None:
    ada, bob, intruder = api.signup(), api.signup(), api.signup()

    response = api.client.post(
        f"/users/{ada.id}/following", json={"target_user_id": bob.id}, headers=intruder.headers
    )

    assert response.status_code == 403
    assert response.json() == {"detail": "You can only act on your own account"}
    assert api.get_ok(f"/users/{ada.id}/following") == []


def test_following_without_a_token_is_401(api: Api) -> None:
    ada, bob = api.signup(), api.signup()

    response = api.client.post(f"/users/{ada.id}/following", json={"target_user_id": bob.id})

    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    assert api.get_ok(f"/users/{bob.id}/followers") == []


@pytest.mark.parametrize("body", [{}, {"target_user_id": "abc"}, {"target_user_id": None}])
def test_follow_with_a_bad_body_is_422(api: Api, body: dict[str, object]) -> None:
    ada = api.signup()

    response = api.client.post(f"/users/{ada.id}/following", json=body, headers=ada.headers)

    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "target_user_id"]


def test_unfollow_answers_204_then_404(api: Api) -> None:
    ada, bob, cy = api.signup(), api.signup(), api.signup()
    assert ada.follow(bob.id).status_code == 201
    assert ada.follow(cy.id).status_code == 201

    response = ada.unfollow(bob.id)

    assert response.status_code == 204
    assert response.content == b""
    assert _ids(api.get_ok(f"/users/{ada.id}/following")) == [cy.id]
    assert api.get_ok(f"/users/{bob.id}/followers") == []

    again = ada.unfollow(bob.id)
    assert again.status_code == 404
    assert again.json() == {"detail": "Not following this user"}


def test_follow_again_after_unfollow(api: Api) -> None:
    ada, bob = api.signup(), api.signup()
    assert ada.follow(bob.id).status_code == 201
    assert ada.unfollow(bob.id).status_code == 204

    assert ada.follow(bob.id).status_code == 201
    assert _ids(api.get_ok(f"/users/{bob.id}/followers")) == [ada.id]


def test_unfollowing_someone_not_followed_is_404(api: Api) -> None:
    ada, bob = api.signup(), api.signup()
    assert bob.follow(ada.id).status_code == 201

    for target in (bob.id, 999, 2**63 - 1, 2**64):
        response = ada.unfollow(target)
        assert response.status_code == 404, (target, response.text)
        assert response.json() == {"detail": "Not following this user"}


def test_unfollowing_as_another_user_is_403(api: Api) -> None:
    ada, bob, intruder = api.signup(), api.signup(), api.signup()
    assert ada.follow(bob.id).status_code == 201

    response = api.client.delete(f"/users/{ada.id}/following/{bob.id}", headers=intruder.headers)

    assert response.status_code == 403
    assert _ids(api.get_ok(f"/users/{ada.id}/following")) == [bob.id]


def test_unfollowing_without_a_token_is_401(api: Api) -> None:
    ada, bob = api.signup(), api.signup()
    assert ada.follow(bob.id).status_code == 201

    response = api.client.delete(f"/users/{ada.id}/following/{bob.id}")

    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    assert _ids(api.get_ok(f"/users/{ada.id}/following")) == [bob.id]


def test_following_is_listed_newest_follow_first(api: Api) -> None:
    ada = api.signup()
    others = [api.signup() for _ in range(4)]
    order = [others[2], others[0], others[3], others[1]]
    for other in order:
        assert ada.follow(other.id).status_code == 201

    following = api.get_ok(f"/users/{ada.id}/following")

    assert _ids(following) == [other.id for other in reversed(order)]
    assert all(
        set(user) == {"id", "username", "created_at", "display_name", "bio"} for user in following
    )
    assert api.get_ok(f"/users/{ada.id}/following/") == following


def test_followers_are_listed_newest_follow_first(api: Api) -> None:
    ada = api.signup()
    others = [api.signup() for _ in range(4)]
    order = [others[1], others[3], others[0], others[2]]
    for other in order:
        assert other.follow(ada.id).status_code == 201

    followers = api.get_ok(f"/users/{ada.id}/followers")

    assert _ids(followers) == [other.id for other in reversed(order)]
    assert all(
        set(user) == {"id", "username", "created_at", "display_name", "bio"} for user in followers
    )
    assert api.get_ok(f"/users/{ada.id}/followers/") == followers


def test_a_refollow_counts_as_the_newest_follow(api: Api) -> None:
    ada, bob, cy = api.signup(), api.signup(), api.signup()
    assert bob.follow(ada.id).status_code == 201
    assert cy.follow(ada.id).status_code == 201
    assert bob.unfollow(ada.id).status_code == 204
    assert bob.follow(ada.id).status_code == 201

    assert _ids(api.get_ok(f"/users/{ada.id}/followers")) == [bob.id, cy.id]


@pytest.mark.parametrize("relation", ["following", "followers"])
def test_lists_of_an_unknown_user_are_404(api: Api, relation: str) -> None:
    api.signup()

    for user_id in (999, 0, 2**63 - 1, 2**64):
        response = api.client.get(f"/users/{user_id}/{relation}")
        assert response.status_code == 404, (user_id, response.text)
        assert response.json() == {"detail": "User not found"}
