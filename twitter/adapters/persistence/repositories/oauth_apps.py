"""The OAuth apps' repository, in Core: scopes and redirect URIs are stored as text."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from twitter.adapters.persistence.tables import authorization_codes, oauth_apps
from twitter.domain.oauth import AuthorizationCode, OAuthApp


class SqlAlchemyOAuthAppRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, app: OAuthApp) -> None:
        values = {
            "client_id": app.client_id,
            "client_secret_hash": app.client_secret_hash,
            "name": app.name,
            "website": app.website,
            "redirect_uris": "\n".join(app.redirect_uris),
            "scopes": " ".join(sorted(app.scopes)),
            "created_at": app.created_at,
        }
        statement = insert(oauth_apps).values(**values).returning(oauth_apps.c.id)
        app.id = self._session.execute(statement).scalar_one()

    def by_client_id(self, client_id: str) -> OAuthApp | None:
        statement = select(oauth_apps).where(oauth_apps.c.client_id == client_id)
        row = self._session.execute(statement).mappings().one_or_none()
        return None if row is None else _app(row)

    def get(self, app_id: int) -> OAuthApp | None:
        statement = select(oauth_apps).where(oauth_apps.c.id == app_id)
        row = self._session.execute(statement).mappings().one_or_none()
        return None if row is None else _app(row)


class SqlAlchemyAuthorizationCodeRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, code: AuthorizationCode) -> None:
        values = {
            "code_hash": code.code_hash,
            "app_id": code.app_id,
            "user_id": code.user_id,
            "scopes": " ".join(sorted(code.scopes)),
            "redirect_uri": code.redirect_uri,
            "code_challenge": code.code_challenge,
            "expires_at": code.expires_at,
        }
        self._session.execute(insert(authorization_codes).values(**values))

    def take(self, code_hash: str) -> AuthorizationCode | None:
        table = authorization_codes
        statement = delete(table).where(table.c.code_hash == code_hash).returning(*table.c)
        row = self._session.execute(statement).mappings().one_or_none()
        if row is None:
            return None
        return AuthorizationCode(
            code_hash=row["code_hash"],
            app_id=row["app_id"],
            user_id=row["user_id"],
            scopes=frozenset(row["scopes"].split()),
            redirect_uri=row["redirect_uri"],
            code_challenge=row["code_challenge"],
            expires_at=row["expires_at"],
        )

    def prune(self, expired_by: datetime) -> None:
        table = authorization_codes
        self._session.execute(delete(table).where(table.c.expires_at <= expired_by))


def _app(row: Any) -> OAuthApp:
    return OAuthApp(
        id=row["id"],
        client_id=row["client_id"],
        client_secret_hash=row["client_secret_hash"],
        name=row["name"],
        website=row["website"],
        redirect_uris=tuple(row["redirect_uris"].split("\n")),
        scopes=frozenset(row["scopes"].split()),
        created_at=row["created_at"],
    )
