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


def test_every_handler_that_django_request_and_server_lines_reach_masks_secrets() -> None:
    for name in ("django.request", "django.server", "sleutelnet.api", "axes.handlers.database"):
        logger: logging.Logger | None = logging.getLogger(name)
        reached = []
        while logger is not None:
            reached += logger.handlers
            logger = logger.parent if logger.propagate else None
        reached = [h for h in reached if type(h).__name__ != "_LogCapture" and not type(h).__module__.startswith("_pytest")]  # the test run's own
        assert reached, name
        for handler in reached:
            assert any(isinstance(f, SecretPathFilter) for f in handler.filters), (name, handler)
