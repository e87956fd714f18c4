"""OAuth apps: registering one, and logging a user in through one (the password grant,
or the user's consent in a browser exchanged for a token: the authorization code)."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta

from twitter.application import commands
from twitter.application.ports import Clock, TokenService, UnitOfWork
from twitter.application.use_cases.authenticate import Authenticate
from twitter.domain.errors import InvalidInput, InvalidToken, RuleViolation
from twitter.domain.oauth import (
    AUTHORIZATION_CODE_LIFETIME,
    AuthorizationCode,
    InvalidGrant,
    OAuthApp,
    code_challenge_of,
)

APP_TOKEN_LIFETIME = timedelta(days=365)
"""An app keeps its token: Mastodon clients have no way to refresh one."""
CLIENT_ID_BYTES = 32


class InvalidClient(RuleViolation):
    """No app has this client id and secret."""

    def __init__(self) -> None:
        super().__init__("Client authentication failed due to unknown client")


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
        scopes = app.scopes_for(command.scope)
        attempt = commands.LoginAttempt(
            login=command.username,
            password=command.password,
            client=command.client,
            scopes=scopes,
            app_id=app.id,
            lifetime=APP_TOKEN_LIFETIME,
        )
        return self._authenticate(attempt), scopes


@dataclass(frozen=True)
class Consent:
    """An authorization request as checked: the app, where the user goes back to, and
    what the token will allow."""

    app: OAuthApp
    redirect_uri: str
    scopes: frozenset[str]
    code_challenge: str | None


class ReviewAuthorization:
    """Check an app's authorization request before its user is asked to consent."""

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    def __call__(self, request: commands.AuthorizationRequest) -> Consent:
        with self._uow as uow:
            app = uow.oauth_apps.by_client_id(request.client_id) if request.client_id else None
        if app is None:
            raise InvalidClient()
        if request.response_type != "code":
            raise InvalidInput("response_type", "Only the response_type code is supported")
        challenge = code_challenge_of(request.code_challenge, request.code_challenge_method)
        return Consent(
            app,
            app.redirect_uri_for(request.redirect_uri),
            app.scopes_for(request.scope),
            challenge,
        )


class AuthorizeApp:
    """The user consents: a code, shown or sent to the app once, for a token later."""

    def __init__(self, review: ReviewAuthorization, uow: UnitOfWork, clock: Clock) -> None:
        self._review = review
        self._uow = uow
        self._clock = clock

    def __call__(self, user_id: int, request: commands.AuthorizationRequest) -> tuple[Consent, str]:
        consent = self._review(request)
        code = secrets.token_urlsafe(CLIENT_ID_BYTES)
        assert consent.app.id is not None
        now = self._clock.now()
        stored = AuthorizationCode(
            code_hash=secret_hash(code),
            app_id=consent.app.id,
            user_id=user_id,
            scopes=consent.scopes,
            redirect_uri=consent.redirect_uri,
            code_challenge=consent.code_challenge,
            expires_at=now + AUTHORIZATION_CODE_LIFETIME,
        )
        with self._uow as uow:
            uow.authorization_codes.prune(now)
            uow.authorization_codes.add(stored)
            uow.commit()
        return consent, code


class GrantAuthorizationCode:
    """OAuth's authorization-code grant: the code, once, for the user's token with the
    scopes they consented to. A code tried by another app, with another redirect URI
    or without its PKCE verifier is spent all the same (RFC 6749 10.5)."""

    def __init__(
        self, apps: AuthenticateApp, uow: UnitOfWork, tokens: TokenService, clock: Clock
    ) -> None:
        self._apps = apps
        self._uow = uow
        self._tokens = tokens
        self._clock = clock

    def __call__(self, command: commands.CodeGrant) -> tuple[str, frozenset[str]]:
        app = self._apps(command.client_id, command.client_secret)
        with self._uow as uow:
            code = uow.authorization_codes.take(secret_hash(command.code))
            uow.commit()
        now = self._clock.now()
        if code is None or not code.redeemable(
            app.id, command.redirect_uri, command.code_verifier, now
        ):
            raise InvalidGrant()
        token = self._tokens.issue(
            code.user_id, scopes=code.scopes, app_id=app.id, lifetime=APP_TOKEN_LIFETIME
        )
        return token, code.scopes


class GrantClientCredentials:
    """OAuth's client-credentials grant: a token of the app itself, no user's, for
    what needs no one logged in (``GET /api/v1/apps/verify_credentials``, public reads)."""

    def __init__(self, apps: AuthenticateApp, tokens: TokenService) -> None:
        self._apps = apps
        self._tokens = tokens

    def __call__(
        self, client_id: str, client_secret: str, scope: str | None
    ) -> tuple[str, frozenset[str]]:
        app = self._apps(client_id, client_secret)
        scopes = app.scopes_for(scope)
        assert app.id is not None
        return self._tokens.issue_app(app.id, scopes=scopes, lifetime=APP_TOKEN_LIFETIME), scopes


class IdentifyApp:
    """The app a token belongs to, an app's own or one of its users'."""

    def __init__(self, uow: UnitOfWork, tokens: TokenService) -> None:
        self._uow = uow
        self._tokens = tokens

    def __call__(self, token: str) -> OAuthApp:
        app_id = self._tokens.app_of(token)
        with self._uow as uow:
            app = uow.oauth_apps.get(app_id) if app_id is not None else None
        if app is None:
            raise InvalidToken()
        return app
