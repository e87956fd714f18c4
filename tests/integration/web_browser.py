"""A person's browser over the test client: cookies of its own, the CSRF token of the
last page, and a way to fill in the forms; for the web pages' tests."""

from __future__ import annotations

import itertools
import re
from typing import Any

from fastapi.testclient import TestClient
from httpx2 import Response

PASSWORD = "correct horse battery"
XSS = '<script>alert(1)</script><img src=x onerror="alert(2)">'
numbers = itertools.count(1)
_CSRF_FIELD = re.compile(r'name="csrf_token" value="([0-9a-f]{64})"')


def csrf_token_of(response: Response) -> str:
    match = _CSRF_FIELD.search(response.text)
    assert match is not None, "the page has no CSRF field"
    return match.group(1)


def assert_html(response: Response, status: int = 200) -> None:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("text/html")
    assert not response.text.lstrip().startswith("{")
    assert "Traceback" not in response.text


class Browser:
    """One person's browser: its own cookies, and the CSRF token the last page gave."""

    def __init__(self, client: TestClient) -> None:
        self.client = client
        self.token = ""
        self.username = ""

    def get(self, path: str, **options: Any) -> Response:
        response = self.client.get(path, **options)
        if response.status_code == 200:  # a page without forms leaves none to submit
            self.token = csrf_token_of(response) if "csrf_token" in response.text else ""
        return response

    def post(self, path: str, data: dict[str, str] | None = None, **options: Any) -> Response:
        """Submit a form; answers the form's own response. Like a browser, it then loads
        the page a 303 sends it to (whose forms carry the token for the session now held)."""
        if not self.token:
            self.get("/web/login")
        options.setdefault("follow_redirects", False)
        response = self.client.post(
            path, data={"csrf_token": self.token, **(data or {})}, **options
        )
        location = response.headers.get("location", "")
        if response.status_code == 303 and location.startswith("/web/"):
            self.get(location)
        return response

    def sign_up(self, username: str | None = None) -> Response:
        self.username = username or f"web{next(numbers)}"
        self.get("/web/signup")
        response = self.post(
            "/web/signup",
            {"email": f"{self.username}@example.com", "username": self.username,
             "password": PASSWORD},
        )  # fmt: skip
        assert response.status_code == 303, response.text
        return response

    def tweet(self, text: str) -> int:
        response = self.post("/web/tweets", {"text": text})
        assert response.status_code == 303, response.text
        page = self.get(f"/web/u/{self.username}")
        ids = re.findall(r'href="/web/tweets/(\d+)"', page.text)
        return int(ids[0])
