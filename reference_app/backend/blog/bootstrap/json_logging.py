"""Structured logging: one JSON object per line, through the standard ``logging`` module.

Application code logs as usual, ``logger.info("post created", extra={"post_id": ...})``; the
formatter turns the record, its ``extra`` fields included, into JSON that a log pipeline can
filter and correlate. Configuring handlers is the entry point's job (:mod:`blog.main`), not
the app factory's: tests and embedding processes keep their own logging set-up.
"""

from __future__ import annotations

import json
import logging
from datetime import datetime, timezone

# The attributes every LogRecord has; anything else on a record came from ``extra``
# (except uvicorn's ``color_message``, the message again with terminal colours).
_STANDARD_ATTRIBUTES = frozenset(
    vars(logging.LogRecord("", logging.INFO, "", 0, "", None, None))
) | {"message", "asctime", "taskName", "color_message"}


class JsonFormatter(logging.Formatter):
    """Formats a record as a JSON object: time, level, logger, message, extra fields."""

    def format(self, record: logging.LogRecord) -> str:
        payload: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, tz=timezone.utc).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD_ATTRIBUTES and not key.startswith("_"):
                payload[key] = value
        if record.exc_info:
            payload["exception"] = self.formatException(record.exc_info)
        return json.dumps(payload, default=str)


def configure_logging(level: str = "INFO") -> None:
    """Send every log record of the process to stderr as JSON."""
    handler = logging.StreamHandler()
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.handlers = [handler]
    root.setLevel(level.upper())
    # Uvicorn's loggers have handlers of their own: route them through the root's. Its
    # access log is replaced by the app's (blog.middleware.access_log), which is structured
    # and carries the request id.
    for name in ("uvicorn", "uvicorn.error"):
        uvicorn_logger = logging.getLogger(name)
        uvicorn_logger.handlers = []
        uvicorn_logger.propagate = True
    access = logging.getLogger("uvicorn.access")
    access.handlers = []
    access.propagate = False
