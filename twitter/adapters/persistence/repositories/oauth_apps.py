"""The OAuth apps' repository, in Core: scopes and redirect URIs are stored as text."""

from __future__ import annotations

from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from twitter.adapters.persistence.tables import oauth_apps
from twitter.domain.oauth import OAuthApp


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
