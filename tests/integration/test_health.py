"""The service's own routes, and how it behaves while its database is away and after it
is back. The outage is made by a TCP proxy between the app and PostgreSQL that the test
stops and starts again; the app itself is never restarted."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from dependency_injector import providers
from fastapi.testclient import TestClient
from sqlalchemy import make_url, text

from tests.integration import conftest
from tests.integration.api import PASSWORD, Api
from twitter import __version__
from twitter.adapters.persistence.database import build_engine
from twitter.container import Container
from twitter.main import create_app


def test_health_says_ok_when_the_database_answers(api: Api) -> None:
    response = api.client.get("/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_the_root_names_the_service_and_links_to_docs_and_health(api: Api) -> None:
    response = api.client.get("/")
    assert response.status_code == 200
    info = response.json()
    assert info["name"] == "twitter"
    assert info["version"] == __version__
    assert info["docs"] == "/docs"
    assert info["health"] == "/health"
    assert api.client.get(info["docs"]).status_code == 200
    assert api.client.get(info["health"]).status_code == 200


# --- a TCP proxy that can cut the database off ------------------------------------------


class TcpProxy:
    """Forwards 127.0.0.1:<port> to ``upstream``. ``stop()`` closes the listener and every
    forwarded connection (the database looks gone); ``start()`` listens on the same port."""

    def __init__(self, upstream: tuple[str, int]) -> None:
        self.upstream = upstream
        self.port = 0
        self._lock = threading.Lock()
        self._listener: socket.socket | None = None
        self._acceptor: threading.Thread | None = None
        self._stopping = threading.Event()
        self._sockets: list[socket.socket] = []
        self._pumps: list[threading.Thread] = []

    @property
    def running(self) -> bool:
        return self._listener is not None

    def start(self) -> None:
        assert not self.running
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(32)
        listener.settimeout(0.05)
        self.port = listener.getsockname()[1]
        self._stopping = threading.Event()
        self._listener = listener
        self._acceptor = threading.Thread(
            target=self._accept, args=(listener, self._stopping), daemon=True
        )
        self._acceptor.start()

    def stop(self) -> None:
        if not self.running:
            return
        assert self._listener is not None and self._acceptor is not None
        self._stopping.set()
        self._acceptor.join(timeout=5)
        self._listener.close()
        self._listener = None
        with self._lock:
            sockets, self._sockets = self._sockets, []
            pumps, self._pumps = self._pumps, []
        for sock in sockets:
            self._shut(sock)
        for pump in pumps:
            pump.join(timeout=5)
        for sock in sockets:
            sock.close()

    @property
    def open_connections(self) -> int:
        with self._lock:
            return len(self._sockets) // 2

    def _accept(self, listener: socket.socket, stopping: threading.Event) -> None:
        while not stopping.is_set():
            try:
                client, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            client.settimeout(None)
            try:
                server = socket.create_connection(self.upstream, timeout=5)
            except OSError:
                client.close()
                continue
            server.settimeout(None)
            pumps = [
                threading.Thread(target=self._pump, args=(client, server), daemon=True),
                threading.Thread(target=self._pump, args=(server, client), daemon=True),
            ]
            with self._lock:
                self._sockets += [client, server]
                self._pumps += pumps
            for pump in pumps:
                pump.start()

    @staticmethod
    def _pump(source: socket.socket, target: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                target.sendall(data)
        except OSError:
            pass
        # One side ended: end both, so the other pump and the peers see it at once.
        TcpProxy._shut(source)
        TcpProxy._shut(target)

    @staticmethod
    def _shut(sock: socket.socket) -> None:
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def test_the_proxy_forwards_and_cuts_off() -> None:
    """The tool itself: bytes go through while it runs; nothing connects while stopped."""
    with socket.socket() as echo:
        echo.bind(("127.0.0.1", 0))
        echo.listen()
        echo.settimeout(5)

        def serve() -> None:
            for _ in range(2):
                try:
                    connection, _ = echo.accept()
                except OSError:
                    return
                with connection:
                    while data := connection.recv(1024):
                        connection.sendall(data)

        server = threading.Thread(target=serve, daemon=True)
        server.start()
        proxy = TcpProxy(echo.getsockname())
        proxy.start()
        port = proxy.port
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=5) as first:
                first.sendall(b"ping")
                assert first.recv(1024) == b"ping"
                proxy.stop()
                assert first.recv(1024) == b""  # the open connection was closed
            with pytest.raises(OSError):
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
            proxy.start()
            assert proxy.port == port
            with socket.create_connection(("127.0.0.1", port), timeout=5) as second:
                second.sendall(b"pong")
                assert second.recv(1024) == b"pong"
        finally:
            proxy.stop()
        server.join(timeout=5)


# --- the outage ---------------------------------------------------------------------------


@pytest.fixture
def proxy(postgres_migrated: str) -> Iterator[TcpProxy]:
    url = make_url(postgres_migrated)
    proxy = TcpProxy((url.host or "127.0.0.1", url.port or 5432))
    proxy.port = _free_port()
    proxy.start()
    yield proxy
    proxy.stop()


@pytest.fixture
def proxied_client(postgres_migrated: str, proxy: TcpProxy) -> Iterator[tuple[TestClient, str]]:
    """An app whose every database connection goes through the proxy."""
    url = (
        make_url(postgres_migrated)
        .set(host="127.0.0.1", port=proxy.port)
        .render_as_string(hide_password=False)
    )
    container = Container()
    settings = conftest.test_settings(url, db_connect_timeout_seconds=2, db_pool_timeout_seconds=2)
    container.settings.override(providers.Object(settings))
    try:
        with TestClient(create_app(container), raise_server_exceptions=False) as client:
            yield client, url
    finally:
        container.unwire()
        container.reset_singletons()


def _poll_health(client: TestClient, status: int, seconds: float = 5) -> Any:
    """GET /health until it answers ``status``; fails after ``seconds``."""
    started = time.monotonic()
    while True:
        response = client.get("/health")
        if response.status_code == status:
            return response
        if time.monotonic() - started > seconds:
            pytest.fail(f"GET /health still answers {response.status_code} after {seconds}s")
        time.sleep(0.1)


def _reveals_the_database(body: str, url: str, proxy: TcpProxy) -> list[str]:
    parsed = make_url(url)
    clues = [
        url,
        parsed.render_as_string(hide_password=True),
        f"127.0.0.1:{proxy.port}",
        str(proxy.port),
        "psycopg2",
        "OperationalError",
        "postgresql",
        "Traceback",
        "SELECT",
        parsed.database or "",
    ]
    return [clue for clue in clues if clue and clue in body]


@pytest.mark.postgres
@pytest.mark.skipif(conftest.POSTGRES_URL is None, reason="TWITTER_TEST_POSTGRES_URL is not set")
def test_the_service_says_unavailable_while_the_database_is_away_and_recovers_after(
    proxied_client: tuple[TestClient, str], proxy: TcpProxy
) -> None:
    client, url = proxied_client
    api = Api(client)
    email = f"outage-{uuid.uuid4().hex[:12]}@example.com"

    # Up: healthy, and a write goes through the proxy.
    assert client.get("/health").json() == {"status": "ok", "database": "ok"}
    account = api.signup(email)
    assert account.tweet("before the outage")["owner_id"] == account.id
    assert proxy.open_connections >= 1, "the app does not talk to the database via the proxy"

    # Down.
    proxy.stop()
    health = _poll_health(client, 503)
    assert health.json()["status"] == "unavailable"
    assert set(health.json()) == {"status", "database"}
    assert _reveals_the_database(health.text, url, proxy) == []
    # The process itself is fine (a balancer keeps it) but must not take requests.
    assert client.get("/health/live").status_code == 200
    ready = client.get("/health/ready")
    assert ready.status_code == 503
    assert ready.json() == {"status": "unavailable", "database": "unreachable", "schema": "unknown"}

    for method, path, kwargs in (
        ("GET", "/users/", {}),
        ("GET", f"/users/{account.id}", {}),
        ("GET", "/tweets/", {}),
        ("POST", "/tweets/", {"json": {"text": "during"}, "headers": account.headers}),
        ("GET", "/users/me", {"headers": account.headers}),
        ("POST", "/token", {"data": {"username": email, "password": PASSWORD}}),
        ("POST", "/users/", {"json": {"email": "x" + email, "password": PASSWORD}}),
    ):
        began = time.monotonic()
        response = client.request(method, path, **kwargs)
        assert time.monotonic() - began < 5, f"{method} {path} hung"
        assert response.status_code == 503, f"{method} {path}: {response.text}"
        assert isinstance(response.json()["detail"], str), f"{method} {path}"
        assert _reveals_the_database(response.text, url, proxy) == [], f"{method} {path}"

    # Back: the same app, without a restart.
    proxy.start()
    health = _poll_health(client, 200)
    assert health.json() == {"status": "ok", "database": "ok"}
    assert client.get("/health/ready").status_code == 200
    users = client.get("/users/", params={"limit": 200})
    assert users.status_code == 200
    me = client.get("/users/me", headers=account.headers)
    assert me.status_code == 200
    assert me.json()["email"] == email
    assert account.tweet("after the outage")["owner_id"] == account.id
    tweets = client.get(f"/users/{account.id}/tweets/").json()
    assert [t["text"] for t in tweets] == ["after the outage", "before the outage"]


def test_health_answers_at_once_while_another_connection_holds_the_write_lock(
    api: Api, database_url: str
) -> None:
    """A long write elsewhere (a migration, a bulk seed) must not make the service look down."""
    holder = build_engine(database_url)
    with holder.connect() as connection:
        transaction = connection.begin()  # BEGIN IMMEDIATE on SQLite: the write lock
        connection.execute(text("DELETE FROM login_attempts"))
        started = time.monotonic()
        response = api.client.get("/health")
        elapsed = time.monotonic() - started
        transaction.rollback()
    holder.dispose()
    assert response.status_code == 200, response.text
    assert elapsed < 2, f"/health waited {elapsed:.1f}s on the write lock"
