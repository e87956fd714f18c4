"""End-to-end fixtures: the real app served by uvicorn on a free port, in a thread, over a
temporary SQLite file; Debian's Chromium driven by Playwright.

The browser (``tests/conftest.py``) is the one ``TWITTER_TEST_BROWSER`` names (CI's
``.ci/run`` installs the ``chromium`` package and sets it); without it these tests are
skipped, with it they always run.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from dependency_injector import providers
from playwright.sync_api import Browser, BrowserContext

from twitter.adapters.persistence import migrations
from twitter.container import Container
from twitter.main import create_app
from twitter.settings import Settings

STARTUP_TIMEOUT_SECONDS = 20.0


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture(scope="session")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app, served on 127.0.0.1 until the session ends."""
    database = tmp_path_factory.mktemp("e2e") / "twitter.db"
    url = f"sqlite:///{database}"
    migrations.upgrade(url)
    container = Container()
    settings = Settings(
        database_url=url,
        secret_key="e2e-secret-" + "x" * 40,
        argon2_memory_kib=64,  # cheap hashing: the browser is the slow part
        argon2_time_cost=1,
    )
    container.settings.override(providers.Object(settings))
    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(container), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, name="e2e-server", daemon=True)
    thread.start()
    deadline = time.monotonic() + STARTUP_TIMEOUT_SECONDS
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            pytest.fail("the app did not start for the end-to-end tests", pytrace=False)
        time.sleep(0.02)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture
def screenshots(tmp_path: Path) -> Path:
    """Where the tests save screenshots: ``TWITTER_SCREENSHOTS_DIR``, else a temporary dir."""
    wanted = os.environ.get("TWITTER_SCREENSHOTS_DIR")
    directory = Path(wanted) if wanted else tmp_path
    directory.mkdir(parents=True, exist_ok=True)
    return directory


@pytest.fixture
def contexts(browser: Browser) -> Iterator[list[BrowserContext]]:
    """Contexts a test opens (one per person); all closed at its end."""
    opened: list[BrowserContext] = []
    yield opened
    for context in opened:
        context.close()
