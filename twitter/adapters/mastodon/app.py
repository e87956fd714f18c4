"""The Mastodon API as two apps of its own, mounted at ``/api`` and ``/oauth`` of the
service: their own error shape, no OpenAPI document (Mastodon's is its docs)."""

from __future__ import annotations

import contextlib

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import JSONResponse, RedirectResponse

from twitter.adapters.driving import client_address, run, services
from twitter.adapters.mastodon import (
    accounts,
    entities,
    notifications,
    search,
    statuses,
    unsupported,
)
from twitter.adapters.mastodon.auth import bearer_of
from twitter.adapters.mastodon.errors import install_error_handlers
from twitter.adapters.mastodon.params import parameters
from twitter.adapters.mastodon.routing import both
from twitter.application import commands
from twitter.domain.errors import AuthenticationFailed

api = APIRouter()
AUTHORIZE_PAGE = "/web/oauth/authorize"
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
    return JSONResponse(
        {
            **entities.application(registered.app),
            "client_id": registered.app.client_id,
            "client_secret": registered.client_secret,
            "client_secret_expires_at": 0,
        }
    )


@both(oauth, "/token", ["POST"])
async def token(request: Request) -> JSONResponse:
    """OAuth's token endpoint, with the password, authorization-code and
    client-credentials grants."""
    given = await parameters(request)
    grant = given.get("grant_type", "")
    client = given.get("client_id", ""), given.get("client_secret", "")
    svc = services(request)
    if grant == "password":
        command = commands.PasswordGrant(
            *client,
            username=given.get("username", ""),
            password=given.get("password", ""),
            scope=given.get("scope"),
            client=client_address(request),
        )
        access_token, scopes = await run(svc.grant_password_token(), command)
    elif grant == "authorization_code":
        code_grant = commands.CodeGrant(
            *client,
            code=given.get("code", ""),
            redirect_uri=given.get("redirect_uri"),
            code_verifier=given.get("code_verifier"),
        )
        access_token, scopes = await run(svc.grant_authorization_code(), code_grant)
    elif grant == "client_credentials":
        access_token, scopes = await run(
            svc.grant_client_credentials(), *client, given.get("scope")
        )
    else:
        body = {
            "error": "unsupported_grant_type",
            "error_description": "grant_type must be password, authorization_code or "
            "client_credentials",
        }
        return JSONResponse(body, status_code=400)
    return JSONResponse(
        {
            "access_token": access_token,
            "token_type": "Bearer",
            "scope": " ".join(sorted(scopes)),
            "created_at": int(svc.clock().now().timestamp()),
        }
    )


@both(oauth, "/authorize", ["GET", "POST"])
async def authorize(request: Request) -> RedirectResponse:
    """The consent page is one of the web pages: the browser goes there, query kept
    (307 keeps a POST a POST)."""
    query = request.url.query
    target = AUTHORIZE_PAGE + (f"?{query}" if query else "")
    return RedirectResponse(target, status_code=303 if request.method == "GET" else 307)


@both(api, "/v1/apps/verify_credentials", ["GET"])
async def verify_app(request: Request) -> JSONResponse:
    """The app a token belongs to: its own (client credentials) or a user's."""
    app = await run(services(request).identify_app(), bearer_of(request))
    return JSONResponse(entities.application(app))


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
    mastodon_api = (
        api,
        accounts.router,
        statuses.router,
        search.router,
        notifications.router,
        unsupported.router,
    )
    for prefix, routers in (("/api", mastodon_api), ("/oauth", (oauth,))):
        mounted = _app(*routers)
        mounted.state.container = app.state.container
        mounted.state.services = app.state.services
        app.mount(prefix, mounted)
