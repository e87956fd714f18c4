"""The one place where errors become HTTP answers."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from twitter.adapters.driving import RETRY_AFTER_UNAVAILABLE, UNAVAILABLE, headers_of, status_of
from twitter.application.errors import StorageUnavailable
from twitter.domain.errors import (
    DomainError,
    InvalidInput,
)

logger = logging.getLogger("twitter.http")

BEARER_CHALLENGE = {"WWW-Authenticate": "Bearer"}
BODY_PARSE_FAILURE = "There was an error parsing the body"


def _domain_error(request: Request, error: Exception) -> JSONResponse:
    assert isinstance(error, DomainError)
    status = status_of(error)
    if isinstance(error, InvalidInput):
        # The field is where the client sent it: a query parameter (search's q) or the body.
        where = "query" if error.field in request.query_params else "body"
        issue = {"loc": [where, error.field], "msg": error.message, "type": "value_error"}
        return JSONResponse({"detail": [issue]}, status_code=status)
    headers = BEARER_CHALLENGE if status == 401 else headers_of(error)
    return JSONResponse({"detail": error.message}, status_code=status, headers=headers)


def _validation_error(_: Request, error: Exception) -> JSONResponse:
    """FastAPI's 422 shape without ``input``/``ctx``: a password must never come back."""
    assert isinstance(error, RequestValidationError)
    issues: list[dict[str, Any]] = [
        {
            "loc": list(issue.get("loc", ())),
            "msg": issue.get("msg", ""),
            "type": issue.get("type", ""),
        }
        for issue in error.errors()
    ]
    return JSONResponse({"detail": issues}, status_code=422)


def _http_error(_: Request, error: Exception) -> JSONResponse:
    """The framework's own HTTP errors. Its only 400s are bodies it could not even
    decode (broken JSON, a multipart form without its boundary ...): malformed input, 422."""
    assert isinstance(error, StarletteHTTPException)
    if error.status_code == 400:
        if error.detail == BODY_PARSE_FAILURE:
            issue = {"loc": ["body"], "msg": "The body is not valid JSON", "type": "json_invalid"}
        else:
            issue = {"loc": ["body"], "msg": str(error.detail), "type": "body_invalid"}
        return JSONResponse({"detail": [issue]}, status_code=422)
    return JSONResponse(
        {"detail": error.detail}, status_code=error.status_code, headers=error.headers
    )


def _unavailable(_: Request, error: Exception) -> JSONResponse:
    logger.warning("storage unavailable: %r", error.__cause__ or error)
    return JSONResponse(
        {"detail": UNAVAILABLE},
        status_code=503,
        headers={"Retry-After": RETRY_AFTER_UNAVAILABLE},
    )


def _unexpected(_: Request, error: Exception) -> JSONResponse:
    logger.exception("unhandled error", exc_info=error)
    return JSONResponse({"detail": "Internal server error"}, status_code=500)


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(DomainError, _domain_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(StorageUnavailable, _unavailable)
    app.add_exception_handler(Exception, _unexpected)
