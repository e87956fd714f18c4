"""The Mastodon API as two apps of its own, mounted at ``/api`` and ``/oauth`` of the
service: their own error shape, no OpenAPI document (Mastodon's is its docs)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.responses import JSONResponse

from twitter.adapters.driving import client_address, run, services
from twitter.adapters.mastodon import entities
from twitter.adapters.mastodon.auth import scoped
from twitter.adapters.mastodon.errors import install_error_handlers
from twitter.adapters.mastodon.params import parameters
from twitter.application import commands
from twitter.application.queries import AccountView

Endpoint = TypeVar("Endpoint", bound=Callable[..., Any])

api = APIRouter()
oauth = APIRouter()

Reader = Annotated[AccountView, Depends(scoped("read:accounts"))]


def _base(request: Request) -> str:
    return str(request.base_url).rstrip("/")


def _host(request: Request) -> str:
    return request.url.netloc


def _both(router: APIRouter, path: str, methods: list[str]) -> Callable[[Endpoint], Endpoint]:
    """A route with and without the trailing slash (clients ask both ways)."""

    def add(endpoint: Endpoint) -> Endpoint:
        for each in (path, path + "/"):
            router.add_api_route(each, endpoint, methods=methods)
        return endpoint

    return add


@_both(api, "/v1/instance", ["GET"])
async def instance_v1(request: Request) -> JSONResponse:
    return JSONResponse(entities.instance_v1(_host(request)))


@_both(api, "/v2/instance", ["GET"])
async def instance_v2(request: Request) -> JSONResponse:
    return JSONResponse(entities.instance_v2(_host(request)))


@_both(api, "/v1/apps", ["POST"])
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


@_both(oauth, "/token", ["POST"])
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


@_both(api, "/v1/accounts/verify_credentials", ["GET"])
async def verify_credentials(request: Request, user: Reader) -> JSONResponse:
    profile = await services(request).reads().profile(user.username, user.id)
    return JSONResponse(entities.credential_account(_base(request), user, profile))


def _app(router: APIRouter) -> FastAPI:
    app = FastAPI(openapi_url=None, docs_url=None, redoc_url=None, redirect_slashes=False)
    install_error_handlers(app)
    app.include_router(router)
    return app


def install_mastodon(app: FastAPI) -> None:
    """Mount the Mastodon API at ``/api`` and its OAuth at ``/oauth`` of ``app``."""
    for prefix, router in (("/api", api), ("/oauth", oauth)):
        mounted = _app(router)
        mounted.state.container = app.state.container
        mounted.state.services = app.state.services
        app.mount(prefix, mounted)
