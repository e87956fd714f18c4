"""OAuth apps: registering one, and logging a user in through one (the password grant)."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta

from twitter.application import commands
from twitter.application.ports import Clock, UnitOfWork
from twitter.application.use_cases.authenticate import Authenticate
from twitter.domain.errors import InvalidInput, RuleViolation
from twitter.domain.oauth import OAuthApp, parse_scopes

APP_TOKEN_LIFETIME = timedelta(days=365)
"""An app keeps its token: Mastodon clients have no way to refresh one."""
CLIENT_ID_BYTES = 32


class InvalidClient(RuleViolation):
    """No app has this client id and secret."""

    def __init__(self) -> None:
        super().__init__("Client authentication failed due to unknown client")


class ScopeNotAllowed(InvalidInput):
    def __init__(self) -> None:
        super().__init__("scope", "The requested scope is invalid, unknown, or malformed")


@dataclass(frozen=True)
class RegisteredApp:
    app: OAuthApp
    client_secret: str
    """Shown once: only its hash is kept."""


def secret_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


class RegisterApp:
    def __init__(self, uow: UnitOfWork, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    def __call__(self, command: commands.AppRegistration) -> RegisteredApp:
        client_secret = secrets.token_urlsafe(CLIENT_ID_BYTES)
        app = OAuthApp.register(
            name=command.name,
            website=command.website,
            redirect_uris=command.redirect_uris,
            scopes=command.scopes,
            client_id=secrets.token_urlsafe(CLIENT_ID_BYTES),
            client_secret_hash=secret_hash(client_secret),
            created_at=self._clock.now(),
        )
        with self._uow as uow:
            uow.oauth_apps.add(app)
            uow.commit()
        return RegisteredApp(app, client_secret)


class AuthenticateApp:
    """The app named by its client id and secret; InvalidClient otherwise."""

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    def __call__(self, client_id: str, client_secret: str) -> OAuthApp:
        with self._uow as uow:
            app = uow.oauth_apps.by_client_id(client_id) if client_id else None
        # Compared in constant time, and a hash is worked out even for no app.
        expected = app.client_secret_hash if app is not None else secret_hash("")
        if not hmac.compare_digest(expected, secret_hash(client_secret)) or app is None:
            raise InvalidClient()
        return app


class GrantPasswordToken:
    """OAuth's password grant: a user's token for an app, with the scopes asked for
    (those the app registered at most), through ``Authenticate`` and its throttle."""

    def __init__(self, apps: AuthenticateApp, authenticate: Authenticate) -> None:
        self._apps = apps
        self._authenticate = authenticate

    def __call__(self, command: commands.PasswordGrant) -> tuple[str, frozenset[str]]:
        app = self._apps(command.client_id, command.client_secret)
        scopes = parse_scopes(command.scope, field_name="scope") if command.scope else app.scopes
        if not scopes <= app.scopes:
            raise ScopeNotAllowed()
        attempt = commands.LoginAttempt(
            login=command.username,
            password=command.password,
            client=command.client,
            scopes=scopes,
            app_id=app.id,
            lifetime=APP_TOKEN_LIFETIME,
        )
        return self._authenticate(attempt), scopes
