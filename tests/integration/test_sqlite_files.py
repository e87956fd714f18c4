"""The embedded database's files hold password hashes: only their owner may read them."""

from __future__ import annotations

import stat
from pathlib import Path

from sqlalchemy import text

from tests.integration.conftest import test_settings
from twitter.adapters.persistence import migrations
from twitter.adapters.persistence.database import build_engine


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_new_sqlite_database_and_its_wal_and_shm_files_are_private(tmp_path: Path) -> None:
    path = tmp_path / "data" / "twitter.db"
    migrations.upgrade(f"sqlite:///{path}")
    engine = build_engine(f"sqlite:///{path}")
    with engine.connect() as connection:
        connection.execute(text("SELECT count(*) FROM users"))
        files = {p.name: _mode(p) for p in path.parent.iterdir()}
    engine.dispose()
    assert {"twitter.db", "twitter.db-wal", "twitter.db-shm"} <= set(files)
    assert files == dict.fromkeys(files, 0o600)


def test_the_secret_beside_the_database_is_private(tmp_path: Path) -> None:
    path = tmp_path / "twitter.db"
    settings = test_settings(f"sqlite:///{path}").model_copy(update={"secret_key": None})
    settings.token_secret()
    assert _mode(tmp_path / "twitter.db.secret") == 0o600


def test_an_existing_database_keeps_its_permissions(tmp_path: Path) -> None:
    path = tmp_path / "shared.db"
    path.touch(mode=0o640)
    path.chmod(0o640)
    build_engine(f"sqlite:///{path}").dispose()
    assert _mode(path) == 0o640
