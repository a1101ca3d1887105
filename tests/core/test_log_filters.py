"""Secrets in URLs (sign-in links, calendar feeds) never reach the log."""

from __future__ import annotations

import io
import logging

from django.conf import settings

from sleutelnet.core.log_filters import SecretPathFilter


def test_the_console_handler_filters_secret_paths() -> None:
    assert "secret_paths" in settings.LOGGING["handlers"]["console"]["filters"]
    assert "secret_paths" in settings.LOGGING["handlers"]["django.server"]["filters"]  # request lines of `serve`
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(SecretPathFilter())
    log = logging.getLogger("tests.secret_paths")
    log.addHandler(handler)
    try:
        log.warning("%s: %s", "Bad Request", "/login/link/Q2kXy7-RfV9sLw3pNz0AbC1dEf2GhI3jK4lM5nO6pQ7/")
        log.warning("Not Found: /calendar/abcdefghijklmnopqrstuvwxyz012345.ics")
        log.warning("Not Found: /me/offers/")
    finally:
        log.removeHandler(handler)
    text = stream.getvalue()
    assert "Q2kXy7" not in text and "abcdefghijklmnop" not in text
    assert "/login/link/[secret]/" in text and "/calendar/[secret].ics" in text and "/me/offers/" in text
    assert "path_info" in settings.AXES_SENSITIVE_PARAMETERS
