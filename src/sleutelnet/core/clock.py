"""The current time, in one place, so the demo can replay three months of history through services."""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
from collections.abc import Iterator

from django.utils import timezone

_override: contextvars.ContextVar[dt.datetime | None] = contextvars.ContextVar("sleutelnet_now", default=None)


def now() -> dt.datetime:
    """The current moment (aware), or the moment set by `at()`."""
    return _override.get() or timezone.now()


def today() -> dt.date:
    """Today's date in the local time zone."""
    return timezone.localdate(now())


@contextlib.contextmanager
def at(moment: dt.datetime) -> Iterator[None]:
    """Let services see `moment` as now (the demo's history; never used by web or API)."""
    token = _override.set(moment)
    try:
        yield
    finally:
        _override.reset(token)
