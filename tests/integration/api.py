"""A thin client for the HTTP API, so tests read as what a user does."""

from __future__ import annotations

import itertools
import re
from typing import Any

from fastapi.testclient import TestClient
from httpx2 import Response

PASSWORD = "correct horse battery"
_numbers = itertools.count(1)
_NEXT_LINK = re.compile(r'^<([^>]+)>; rel="next"$')
# A Tweet's fields, in the order every answer has them.
TWEET_FIELDS = [
    "id",
    "text",
    "owner_id",
    "like_count",
    "created_at",
    "conversation_id",
    "in_reply_to_user_id",
    "referenced_tweets",
    "reply_count",
    "retweet_count",
    "quote_count",
    "entities",
]


def next_link(response: Response) -> str | None:
    """The URL of the RFC 8288 ``rel="next"`` link, or None when there is no Link header.

    The header must be exactly ``<url>; rel="next"``: anything else fails the test.
    """
    header = response.headers.get("link")
    if header is None:
        return None
    match = _NEXT_LINK.fullmatch(header)
    assert match is not None, f"malformed Link header: {header!r}"
    return match.group(1)


class Account:
    def __init__(self, api: Api, user: dict[str, Any], headers: dict[str, str]) -> None:
        self.api = api
        self.user = user
        self.id: int = user["id"]
        self.headers = headers

    def tweet(self, text: str = "hello") -> dict[str, Any]:
        response = self.api.client.post(
            f"/users/{self.id}/tweets/", json={"text": text}, headers=self.headers
        )
        assert response.status_code == 201, response.text
        return dict(response.json())

    def post(self, text: str = "hello", **more: Any) -> Response:
        """``POST /tweets/`` with ``more`` in the body (``reply``, ``quote_tweet_id``)."""
        return self.api.client.post("/tweets/", json={"text": text, **more}, headers=self.headers)

    def reply(self, parent_id: int, text: str = "a reply") -> dict[str, Any]:
        response = self.post(text, reply={"in_reply_to_tweet_id": parent_id})
        assert response.status_code == 201, response.text
        return dict(response.json())

    def quote(self, quoted_id: int, text: str = "look") -> dict[str, Any]:
        response = self.post(text, quote_tweet_id=quoted_id)
        assert response.status_code == 201, response.text
        return dict(response.json())

    def retweet(self, tweet_id: int) -> Response:
        return self.api.client.post(
            f"/users/{self.id}/retweets", json={"tweet_id": tweet_id}, headers=self.headers
        )

    def undo_retweet(self, tweet_id: int) -> Response:
        return self.api.client.delete(f"/users/{self.id}/retweets/{tweet_id}", headers=self.headers)

    def notifications(self, query: str = "") -> list[dict[str, Any]]:
        response = self.api.client.get(
            f"/users/{self.id}/notifications{query}", headers=self.headers
        )
        assert response.status_code == 200, response.text
        return list(response.json())

    def me(self) -> dict[str, Any]:
        return dict(self.api.get_ok("/users/me", headers=self.headers))

    def like(self, tweet_id: int) -> Response:
        return self.api.client.post(
            f"/users/{self.id}/likes/", json={"tweet_id": tweet_id}, headers=self.headers
        )

    def follow(self, target_id: int) -> Response:
        return self.api.client.post(
            f"/users/{self.id}/following", json={"target_user_id": target_id}, headers=self.headers
        )

    def unlike(self, tweet_id: int) -> Response:
        return self.api.client.delete(f"/users/{self.id}/likes/{tweet_id}", headers=self.headers)

    def unfollow(self, target_id: int) -> Response:
        return self.api.client.delete(
            f"/users/{self.id}/following/{target_id}", headers=self.headers
        )

    def bookmark(self, tweet_id: int) -> Response:
        return self.api.client.post(
            f"/users/{self.id}/bookmarks", json={"tweet_id": tweet_id}, headers=self.headers
        )

    def unbookmark(self, tweet_id: int) -> Response:
        return self.api.client.delete(
            f"/users/{self.id}/bookmarks/{tweet_id}", headers=self.headers
        )

    def block(self, target_id: int) -> Response:
        return self._target("blocking", target_id)

    def unblock(self, target_id: int) -> Response:
        return self.api.client.delete(
            f"/users/{self.id}/blocking/{target_id}", headers=self.headers
        )

    def mute(self, target_id: int) -> Response:
        return self._target("muting", target_id)

    def unmute(self, target_id: int) -> Response:
        return self.api.client.delete(f"/users/{self.id}/muting/{target_id}", headers=self.headers)

    def _target(self, relation: str, target_id: int) -> Response:
        return self.api.client.post(
            f"/users/{self.id}/{relation}", json={"target_user_id": target_id}, headers=self.headers
        )

    def get(self, url: str) -> Response:
        """GET with this account's token."""
        return self.api.client.get(url, headers=self.headers)

    def delete_tweet(self, tweet_id: int) -> Response:
        return self.api.client.delete(f"/tweets/{tweet_id}", headers=self.headers)

    def delete_account(self) -> Response:
        return self.api.client.delete(f"/users/{self.id}", headers=self.headers)


class Api:
    def __init__(self, client: TestClient) -> None:
        self.client = client

    def register(
        self, email: str | None = None, password: str = PASSWORD, username: str | None = None
    ) -> Response:
        body: dict[str, Any] = {
            "email": email or f"user{next(_numbers)}@example.com",
            "password": password,
        }
        if username is not None:
            body["username"] = username
        return self.client.post("/users/", json=body)

    def token(self, login: str, password: str = PASSWORD) -> Response:
        return self.client.post("/token", data={"username": login, "password": password})

    def signup(
        self, email: str | None = None, password: str = PASSWORD, username: str | None = None
    ) -> Account:
        """Register and log in; answers the account with its bearer headers."""
        response = self.register(email, password, username)
        assert response.status_code == 201, response.text
        user = response.json()
        token = self.token(user["email"], password)
        assert token.status_code == 200, token.text
        headers = {"Authorization": f"Bearer {token.json()['access_token']}"}
        return Account(self, user, headers)

    def get_ok(self, url: str, headers: dict[str, str] | None = None) -> Any:
        """GET that must answer 200; answers the JSON body."""
        response = self.client.get(url, headers=headers)
        assert response.status_code == 200, response.text
        return response.json()

    def walk(self, url: str, headers: dict[str, str] | None = None) -> list[Response]:
        """Every page of a list, from ``url`` on, following ``rel="next"`` links."""
        pages: list[Response] = []
        next_url: str | None = url
        while next_url is not None:
            assert len(pages) < 1000, "the Link headers never end"
            response = self.client.get(next_url, headers=headers)
            assert response.status_code == 200, response.text
            pages.append(response)
            next_url = next_link(response)
        return pages
