"""The Mastodon API as two apps of its own, mounted at ``/api`` and ``/oauth`` of the
service: their own error shape, no OpenAPI document (Mastodon's is its docs)."""

from __future__ import annotations

import contextlib

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import JSONResponse

from twitter.adapters.driving import client_address, run, services
from twitter.adapters.mastodon import accounts, entities, notifications, search, statuses
from twitter.adapters.mastodon.errors import install_error_handlers
from twitter.adapters.mastodon.params import parameters
from twitter.adapters.mastodon.routing import both
from twitter.application import commands
from twitter.domain.errors import AuthenticationFailed

api = APIRouter()
oauth = APIRouter()


def _host(request: Request) -> str:
    return request.url.netloc


@both(api, "/v1/instance", ["GET"])
async def instance_v1(request: Request) -> JSONResponse:
    return JSONResponse(entities.instance_v1(_host(request)))


@both(api, "/v2/instance", ["GET"])
async def instance_v2(request: Request) -> JSONResponse:
    return JSONResponse(entities.instance_v2(_host(request)))


@both(api, "/v1/apps", ["POST"])
async def register_app(request: Request) -> JSONResponse:
    given = await parameters(request)
    command = commands.AppRegistration(
        name=given.get("client_name", ""),
        redirect_uris=given.get("redirect_uris"),
        scopes=given.get("scopes"),
        website=given.get("website"),
    )
    registered = await run(services(request).register_app(), command)
    app = registered.app
    return JSONResponse(
        {
            "id": str(app.id),
            "name": app.name,
            "website": app.website,
            "scopes": sorted(app.scopes),
            "redirect_uri": "\n".join(app.redirect_uris),
            "redirect_uris": list(app.redirect_uris),
            "client_id": app.client_id,
            "client_secret": registered.client_secret,
            "client_secret_expires_at": 0,
            "vapid_key": "",
        }
    )


@both(oauth, "/token", ["POST"])
async def token(request: Request) -> JSONResponse:
    given = await parameters(request)
    grant = given.get("grant_type", "")
    if grant != "password":
        body = {
            "error": "unsupported_grant_type",
            "error_description": "Only the password grant is supported yet",
        }
        return JSONResponse(body, status_code=400)
    command = commands.PasswordGrant(
        client_id=given.get("client_id", ""),
        client_secret=given.get("client_secret", ""),
        username=given.get("username", ""),
        password=given.get("password", ""),
        scope=given.get("scope"),
        client=client_address(request),
    )
    svc = services(request)
    access_token, scopes = await run(svc.grant_password_token(), command)
    return JSONResponse(
        {
            "access_token": access_token,
            "token_type": "Bearer",
            "scope": " ".join(sorted(scopes)),
            "created_at": int(svc.clock().now().timestamp()),
        }
    )


@both(oauth, "/revoke", ["POST"])
async def revoke(request: Request) -> JSONResponse:
    """The token stops working (RFC 7009: an unknown or spent token is no error)."""
    given = await parameters(request)
    svc = services(request)
    await run(svc.authenticate_app(), given.get("client_id", ""), given.get("client_secret", ""))
    with contextlib.suppress(AuthenticationFailed):
        await run(svc.revoke_token(), given.get("token", ""))
    return JSONResponse({})


def _app(*routers: APIRouter) -> FastAPI:
    app = FastAPI(openapi_url=None, docs_url=None, redoc_url=None, redirect_slashes=False)
    install_error_handlers(app)
    for each in routers:
        app.include_router(each)
    return app


def install_mastodon(app: FastAPI) -> None:
    """Mount the Mastodon API at ``/api`` and its OAuth at ``/oauth`` of ``app``."""
    mastodon_api = (api, accounts.router, statuses.router, search.router, notifications.router)
    for prefix, routers in (("/api", mastodon_api), ("/oauth", (oauth,))):
        mounted = _app(*routers)
        mounted.state.container = app.state.container
        mounted.state.services = app.state.services
        app.mount(prefix, mounted)
