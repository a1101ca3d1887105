"""One JSON object per log line, for production (settings.LOG_FORMAT = "json").

A log collector (journald, Loki, Elastic, a municipality's SIEM) can then read the level, the
logger and the request fields without guessing at a text layout, and a multi-line traceback stays
one line. Request lines come from two places: gunicorn's access log (method, path, status and
duration; see sleutelnet.conf.gunicorn) and Django's own 4xx/5xx records ("Not Found: ..."),
which carry the request. Only the path is written, never the query string (it holds search terms,
which may be names) or the client's headers. Every string that leaves here has the secrets of
sign-in links and calendar feeds masked (core.log_filters), also when the handler has no filter.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Mapping
from typing import Any

from sleutelnet.core.log_filters import redact

#: The logger of gunicorn's access lines; their arguments are gunicorn's atoms (a mapping).
GUNICORN_ACCESS = "gunicorn.access"


def _int(value: object) -> int | None:
    try:
        return int(value)  # type: ignore[call-overload, no-any-return]
    except (TypeError, ValueError):
        return None


class JsonFormatter(logging.Formatter):
    """Formats a record as one line of JSON: time, level, logger, message, and the request fields."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": dt.datetime.fromtimestamp(record.created, tz=dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "level": record.levelname,
            "logger": record.name,
            "message": redact(record.getMessage()),
            "pid": record.process,
        }
        entry.update(self.request_fields(record))
        if record.exc_info:
            entry["exception"] = redact(self.formatException(record.exc_info))
        elif record.exc_text:
            entry["exception"] = redact(record.exc_text)
        if record.stack_info:
            entry["stack"] = redact(self.formatStack(record.stack_info))
        return json.dumps(entry, ensure_ascii=False, default=str)

    @staticmethod
    def request_fields(record: logging.LogRecord) -> dict[str, Any]:
        """method, path, status and duration_ms of a request line, when the record is one."""
        args = record.args
        if record.name == GUNICORN_ACCESS and isinstance(args, Mapping):
            micros = _int(args.get("D"))
            return {
                "method": args.get("m"),
                "path": redact(args.get("U") or ""),
                "status": _int(args.get("s")),
                "duration_ms": round(micros / 1000, 1) if micros is not None else None,
            }
        fields: dict[str, Any] = {}
        request = getattr(record, "request", None)  # Django's django.request records
        if isinstance(getattr(request, "path", None), str):
            fields["method"] = getattr(request, "method", None)
            fields["path"] = redact(request.path)  # type: ignore[union-attr]
        status = getattr(record, "status_code", None)
        if isinstance(status, int):
            fields["status"] = status
        return fields
