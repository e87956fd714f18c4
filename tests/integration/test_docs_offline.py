"""The API's docs and the site's icon come from the package itself: /docs names no other
host, every file it loads answers from here, and /favicon.ico is a real icon."""

from __future__ import annotations

import re
import struct

from fastapi.testclient import TestClient

ICON_TYPES = {"image/x-icon", "image/vnd.microsoft.icon"}
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _referenced(page: str) -> list[str]:
    return re.findall(r'(?:src|href)="([^"]+)"', page)


def test_the_swagger_ui_page_names_no_other_host(client: TestClient) -> None:
    response = client.get("/docs")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert re.findall(r"https?://\S+", response.text) == []
    assert all(
        url.startswith("/") and not url.startswith("//") for url in _referenced(response.text)
    )


def test_every_file_the_swagger_ui_page_loads_answers_here(client: TestClient) -> None:
    expected = {".js": "javascript", ".css": "text/css", ".ico": "image/"}
    references = _referenced(client.get("/docs").text)
    assert {url.rsplit(".", 1)[-1] for url in references} == {"js", "css", "ico"}
    for url in references:
        response = client.get(url)
        assert response.status_code == 200, url
        assert expected["." + url.rsplit(".", 1)[-1]] in response.headers["content-type"], url
        assert len(response.content) > 100, url


def test_the_swagger_ui_may_run_this_origins_scripts_only(client: TestClient) -> None:
    policy = client.get("/docs").headers["content-security-policy"]
    directives = dict(item.strip().split(" ", 1) for item in policy.split(";"))
    assert directives["default-src"] == "'none'"
    assert directives["script-src"] == "'self' 'unsafe-inline'"  # its start-up code is inline
    assert directives["connect-src"] == "'self'"  # the OpenAPI document and POST /token
    assert "http" not in policy
    assert client.get("/openapi.json").status_code == 200


def test_redoc_is_not_served(client: TestClient) -> None:
    # It shows an image from its vendor's site; Swagger UI at /docs shows every operation.
    assert client.get("/redoc").status_code == 404


def test_favicon_is_an_icon_the_browser_may_keep(client: TestClient) -> None:
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response.headers["content-type"] in ICON_TYPES
    assert "max-age" in response.headers["cache-control"]
    icon = response.content
    reserved, kind, count = struct.unpack_from("<HHH", icon)
    assert (reserved, kind) == (0, 1) and count >= 1
    sizes = set()
    for index in range(count):
        width, _, _, _, _, _, length, offset = struct.unpack_from("<BBBBHHII", icon, 6 + 16 * index)
        assert icon[offset : offset + len(PNG_SIGNATURE)] == PNG_SIGNATURE
        assert offset + length <= len(icon)
        sizes.add(width)
    assert {16, 32} <= sizes


def test_the_web_pages_name_the_icon_their_policy_allows(client: TestClient) -> None:
    page = client.get("/web/login")
    assert '<link rel="icon" href="/favicon.ico">' in page.text
    assert "img-src 'self'" in page.headers["content-security-policy"]
