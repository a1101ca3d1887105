"""One helper to read settings from the environment, with documented defaults.

Every variable read here must be listed in docs/configuration.md (a test keeps it complete).
"""

from __future__ import annotations

import os

from django.core.exceptions import ImproperlyConfigured

#: Every variable this module has been asked for, with its default, for the docs test.
READ: dict[str, str | None] = {}

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str) -> str:
    """A string setting."""
    READ[name] = default
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    """A boolean setting; refuses values that are neither true nor false."""
    READ[name] = str(default)
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}")


def env_int(name: str, default: int) -> int:
    """An integer setting."""
    READ[name] = str(default)
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}") from exc


def env_list(name: str, default: str) -> list[str]:
    """A comma-separated list setting."""
    READ[name] = default
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]
