"""How ``twitter serve`` logs: uvicorn's lines and the service's own, each with the
request id of the request it was written for; as text for a person, or one JSON
object per line for a log collector (``TWITTER_LOG_FORMAT=json``)."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from typing import Any

from twitter.adapters.http.request_ids import current_request_id

_ACCESS_LOGGER = "uvicorn.access"


class RequestIdFilter(logging.Filter):
    """Gives every record the id of the request it was written for (``-``: none)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = current_request_id()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, request_id, message; an access
    line's client, method, path and status as fields of their own."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "request_id": getattr(record, "request_id", current_request_id()),
            "message": record.getMessage(),
        }
        access = record.name == _ACCESS_LOGGER and isinstance(record.args, tuple)
        if access and len(record.args) == 5:  # type: ignore[arg-type]
            client, method, path, _version, status = record.args  # type: ignore[misc]
            entry.update(client=client, method=method, path=path, status=status)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def log_config(*, as_json: bool) -> dict[str, Any]:
    """A ``logging.config.dictConfig`` for uvicorn (its ``log_config``): its loggers
    and ``twitter``'s, to standard error, each line with its request id."""
    request_id = {"()": f"{__name__}.RequestIdFilter"}
    if as_json:
        formatters: dict[str, Any] = {
            "default": {"()": f"{__name__}.JsonFormatter"},
            "access": {"()": f"{__name__}.JsonFormatter"},
        }
    else:
        formatters = {
            "default": {
                "()": "uvicorn.logging.DefaultFormatter",
                "fmt": "%(levelprefix)s [%(request_id)s] %(message)s",
            },
            "access": {
                "()": "uvicorn.logging.AccessFormatter",
                "fmt": '%(levelprefix)s [%(request_id)s] %(client_addr)s - "%(request_line)s" '
                "%(status_code)s",
            },
        }
    handler = {"class": "logging.StreamHandler", "stream": "ext://sys.stderr"}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": request_id},
        "formatters": formatters,
        "handlers": {
            "default": {**handler, "formatter": "default", "filters": ["request_id"]},
            "access": {**handler, "formatter": "access", "filters": ["request_id"]},
        },
        "loggers": {
            "uvicorn": {"handlers": ["default"], "level": "INFO", "propagate": False},
            "uvicorn.error": {"level": "INFO"},
            _ACCESS_LOGGER: {"handlers": ["access"], "level": "INFO", "propagate": False},
            "twitter": {"handlers": ["default"], "level": "INFO", "propagate": False},
        },
    }
