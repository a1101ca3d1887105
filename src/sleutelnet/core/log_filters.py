"""Keep secrets that travel in URLs (sign-in links, calendar feeds) out of the logs.

Django logs the path of every 4xx answer ("Not Found: /login/link/<token>/") and the development
server logs every request line; a sign-in link in a log file would be half of someone's sign-in.
"""

from __future__ import annotations

import logging
import re

SECRET_IN_PATH = re.compile(r"(/login/link/|/calendar/)[A-Za-z0-9_\-]{16,}")


def redact(text: str) -> str:
    """`text` with the secret part of sign-in link and calendar feed paths replaced."""
    return SECRET_IN_PATH.sub(r"\1[secret]", text)


def _clean(value: object) -> object:
    return redact(value) if isinstance(value, str) else value


class SecretPathFilter(logging.Filter):
    """Replaces the secret part of such paths in the message and its arguments."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = _clean(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(_clean(a) for a in record.args)
        elif isinstance(record.args, dict):
            record.args = {k: _clean(v) for k, v in record.args.items()}
        return True
