"""Configuration from ``TWITTER_*`` environment variables and a ``.env`` file."""

from __future__ import annotations

import os
import secrets
import tempfile
from pathlib import Path
from typing import Any, Literal

from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy import make_url

MIN_SECRET_BYTES = 32


class ConfigurationError(RuntimeError):
    """The configuration cannot run safely; the message says what to set."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="TWITTER_", env_file=".env", extra="ignore", populate_by_name=True
    )

    database_url: str = Field(
        default="sqlite:///./twitter.db",
        validation_alias=AliasChoices("TWITTER_DATABASE_URL", "POSTGRES_DATABASE_URL"),
        description="SQLAlchemy URL; the seed's POSTGRES_DATABASE_URL is read as a fallback.",
    )
    secret_key: SecretStr | None = Field(
        default=None, description="Signs access tokens; at least 32 bytes. Required off SQLite."
    )
    access_token_minutes: int = Field(default=60, ge=1, le=60 * 24 * 30)
    # OWASP's minimum for Argon2id, the hasher's own defaults (a test holds them equal).
    argon2_memory_kib: int = Field(default=19_456, ge=8)
    argon2_time_cost: int = Field(default=2, ge=1)
    argon2_parallelism: int = Field(default=1, ge=1)
    max_body_bytes: int = Field(
        default=16 * 1024, ge=1024, description="Longer request bodies are answered 413."
    )
    cors_origins: list[str] = Field(
        default=[],
        description='Origins whose web pages may call the API, as JSON: ["https://a.example"].',
    )
    hsts_seconds: int = Field(
        default=365 * 24 * 3600,
        ge=0,
        description="Strict-Transport-Security max-age on answers over HTTPS; 0 sends none.",
    )
    cookie_secure: Literal["auto", "true", "false"] = Field(
        default="auto",
        description="The web pages' cookies are Secure: 'auto' when the request came over HTTPS.",
    )
    login_attempts_per_account: int = Field(
        default=50,
        ge=1,
        description="Login attempts one login gets per window from all clients together.",
    )
    login_attempts_per_client: int = Field(
        default=100,
        ge=1,
        description="Login attempts one client (IPv4 address, IPv6 /64) gets per window.",
    )
    login_attempts_per_account_and_client: int = Field(
        default=5, ge=1, description="Login attempts one client gets on one login per window."
    )
    login_window_seconds: int = Field(default=900, ge=1)
    signups_per_client: int = Field(
        default=20,
        ge=1,
        description="Sign-ups one client (IPv4 address, IPv6 /64) gets per window.",
    )
    signup_window_seconds: int = Field(default=3600, ge=1)
    writes_per_user: int = Field(
        default=300,
        ge=1,
        description="Writes (posts, likes, follows, deletions ...) one user gets per window.",
    )
    write_window_seconds: int = Field(default=300, ge=1)
    argon2_concurrency: int = Field(
        default_factory=lambda: os.cpu_count() or 1,
        ge=1,
        description="Password hashes and checks one process runs at once.",
    )
    db_pool_size: int = Field(
        default=10,
        ge=1,
        description="Connections each pool keeps open, all of them, and the threads that "
        "run writes: as many as connections, so that none is ever opened per request.",
    )
    db_statement_cache_size: int = Field(
        default=100,
        ge=0,
        description="Statements each PostgreSQL read connection keeps prepared; 0 behind "
        "pgbouncer in transaction mode, which cannot keep them.",
    )
    db_pool_timeout_seconds: float = Field(default=10.0, gt=0)
    db_connect_timeout_seconds: int = Field(default=5, ge=1)
    db_statement_timeout_ms: int = Field(
        default=15_000, ge=1, description="PostgreSQL cancels a statement that runs longer."
    )
    database_replica_urls: list[str] = Field(
        default=[],
        description="PostgreSQL streaming replicas that take reads, as JSON: "
        '["postgresql+psycopg2://...:5433/twitter"]. Writes, and the reads of whoever '
        "wrote until a replica has replayed the write, stay on the primary.",
    )
    replica_max_lag_seconds: float = Field(
        default=30.0,
        gt=0,
        description="A replica further behind the primary than this takes no reads.",
    )
    replica_check_seconds: float = Field(
        default=1.0, gt=0, description="How often a process checks each replica's position."
    )
    log_format: Literal["text", "json"] = Field(
        default="text",
        description="How `twitter serve` writes its log lines: text, or one JSON object each.",
    )

    @property
    def has_replicas(self) -> bool:
        return bool(self.database_replica_urls)

    @property
    def is_sqlite(self) -> bool:
        return make_url(self.database_url).get_backend_name() == "sqlite"

    def token_secret(self) -> str:
        """The configured secret; on the embedded SQLite default, one kept beside the file."""
        if self.secret_key is not None:
            secret = self.secret_key.get_secret_value()
            if len(secret.encode()) < MIN_SECRET_BYTES:
                raise ConfigurationError(
                    f"TWITTER_SECRET_KEY must be at least {MIN_SECRET_BYTES} bytes long; "
                    'make one with: python -c "import secrets; print(secrets.token_urlsafe(48))"'
                )
            return secret
        if not self.is_sqlite:
            raise ConfigurationError(
                "TWITTER_SECRET_KEY is not set. A deployment on a database server needs an "
                "explicit secret shared by every process; make one with: "
                'python -c "import secrets; print(secrets.token_urlsafe(48))"'
            )
        database = make_url(self.database_url).database
        if not database or database == ":memory:":
            return secrets.token_urlsafe(48)
        return _secret_beside(Path(database))


def _secret_beside(database: Path) -> str:
    """Read, or create once (safely against other processes), a secret file next to the db."""
    path = database.with_name(database.name + ".secret")
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".secret-")
        with os.fdopen(handle, "w") as file:
            file.write(secrets.token_urlsafe(48))
        try:
            os.link(temporary, path)  # atomic: the first process to get here wins
        except FileExistsError:
            pass
        finally:
            os.unlink(temporary)
    return path.read_text().strip()


def default(setting: str) -> Any:
    """A setting's default, for an adapter's keyword default: each value is written
    here once, and a caller that passes nothing gets what the service runs with."""
    return Settings.model_fields[setting].get_default(call_default_factory=True)
