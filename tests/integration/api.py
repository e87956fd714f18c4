"""A thin client for the HTTP API, so tests read as what a user does."""

from __future__ import annotations

import itertools
from typing import Any

from fastapi.testclient import TestClient
from httpx2 import Response

PASSWORD = "correct horse battery"
_numbers = itertools.count(1)


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

    def like(self, tweet_id: int) -> Response:
        return self.api.client.post(
            f"/users/{self.id}/likes/", json={"tweet_id": tweet_id}, headers=self.headers
        )

    def follow(self, target_id: int) -> Response:
        return self.api.client.post(
            f"/users/{self.id}/following", json={"target_user_id": target_id}, headers=self.headers
        )


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
