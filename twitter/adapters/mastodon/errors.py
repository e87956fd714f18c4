"""Errors as Mastodon answers them: ``{"error": "..."}``, and OAuth's own on /oauth."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from twitter.adapters.driving import RETRY_AFTER_UNAVAILABLE, UNAVAILABLE, headers_of, status_of
from twitter.application.errors import StorageUnavailable
from twitter.application.use_cases.oauth_apps import InvalidClient
from twitter.domain.errors import (
    AuthenticationFailed,
    DomainError,
    InvalidCredentials,
    InvalidInput,
)
from twitter.domain.oauth import InvalidGrant, ScopeNotAllowed

logger = logging.getLogger("twitter.mastodon")


def error(status: int, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status, headers=headers)


def _domain_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, DomainError)
    if isinstance(exc, InvalidClient):
        body = {"error": "invalid_client", "error_description": exc.message}
        return JSONResponse(body, status_code=401)
    if request.url.path.rstrip("/").endswith("/token"):
        oauth_error = _oauth_error(exc)
        if oauth_error is not None:
            body = {"error": oauth_error, "error_description": exc.message}
            return JSONResponse(body, status_code=400)
    headers = headers_of(exc) or {}
    if isinstance(exc, AuthenticationFailed):
        headers["WWW-Authenticate"] = 'Bearer error="invalid_token"'
    return error(status_of(exc), exc.message, headers)


def _oauth_error(exc: DomainError) -> str | None:
    """RFC 6749 5.2's name for what went wrong at the token endpoint, if it has one."""
    if isinstance(exc, InvalidCredentials | InvalidGrant):
        return "invalid_grant"
    if isinstance(exc, ScopeNotAllowed):
        return "invalid_scope"
    if isinstance(exc, InvalidInput):
        return "invalid_request"
    return None


def _invalid_request(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    issues = exc.errors()
    where = ".".join(str(part) for part in issues[0].get("loc", ())[1:]) if issues else ""
    message = issues[0].get("msg", "invalid") if issues else "invalid"
    return error(422, f"Validation failed: {where} {message}".strip())


def _http_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, HTTPException)
    message = "Record not found" if exc.status_code == 404 else str(exc.detail)
    return error(exc.status_code, message, dict(exc.headers or {}))


def _unavailable(_: Request, exc: Exception) -> JSONResponse:
    logger.warning("storage unavailable: %r", exc.__cause__ or exc)
    return error(503, UNAVAILABLE, {"Retry-After": RETRY_AFTER_UNAVAILABLE})


def _unexpected(_: Request, exc: Exception) -> JSONResponse:
    logger.exception("unhandled error", exc_info=exc)
    return error(500, "Something went wrong on our side")


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(DomainError, _domain_error)
    app.add_exception_handler(RequestValidationError, _invalid_request)
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(StorageUnavailable, _unavailable)
    app.add_exception_handler(Exception, _unexpected)
