"""Structured logs: one JSON object per line in production, request fields, secrets masked."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys

from django.test import RequestFactory

from sleutelnet.core.log_filters import SecretPathFilter
from sleutelnet.core.log_format import JsonFormatter

SECRET = "Q2kXy7-RfV9sLw3pNz0AbC1dEf2GhI3jK4lM5nO6pQ7"


def record(name: str, msg: str, args: object = None, **extra: object) -> logging.LogRecord:
    rec = logging.LogRecord(name, logging.WARNING, __file__, 1, msg, args, None)  # type: ignore[arg-type]
    rec.__dict__.update(extra)
    return rec


def line(rec: logging.LogRecord, *, filtered: bool = False) -> dict[str, object]:
    if filtered:
        SecretPathFilter().filter(rec)
    text = JsonFormatter().format(rec)
    assert "\n" not in text  # one line, whatever the message
    return json.loads(text)  # type: ignore[no-any-return]


def test_a_line_has_time_level_logger_and_message() -> None:
    entry = line(record("sleutelnet.worker", "Outbox message %s failed, will retry: %s", ("abc", "SMTPException")))
    assert entry["level"] == "WARNING" and entry["logger"] == "sleutelnet.worker"
    assert entry["message"] == "Outbox message abc failed, will retry: SMTPException"
    assert str(entry["time"]).endswith("Z") and "T" in str(entry["time"])


def test_a_traceback_stays_one_line() -> None:
    try:
        raise ValueError(f"bad /calendar/{SECRET}.ics")
    except ValueError:
        rec = logging.LogRecord("django.request", logging.ERROR, __file__, 1, "Internal Server Error", None, sys.exc_info())
    entry = line(rec)
    assert "ValueError" in str(entry["exception"]) and "Traceback" in str(entry["exception"])
    assert SECRET not in json.dumps(entry)


def test_gunicorn_access_lines_carry_method_path_status_and_duration() -> None:
    atoms = {"m": "GET", "U": f"/login/link/{SECRET}/", "q": "q=Tesfaye", "s": "302", "D": 12345, "M": 12, "h": "10.0.0.9"}
    for filtered in (True, False):  # the formatter masks the path even without the handler's filter
        entry = line(record("gunicorn.access", "%(m)s %(U)s %(s)s %(M)sms", dict(atoms)), filtered=filtered)
        assert entry["method"] == "GET" and entry["status"] == 302 and entry["duration_ms"] == 12.3
        assert entry["path"] == "/login/link/[secret]/"
        text = json.dumps(entry)
        assert SECRET not in text and "Tesfaye" not in text and "10.0.0.9" not in text


def test_django_request_lines_carry_method_path_and_status() -> None:
    request = RequestFactory().post(f"/calendar/{SECRET}.ics")
    entry = line(record("django.request", "Not Found: %s", (request.path,), request=request, status_code=404), filtered=True)
    assert entry["method"] == "POST" and entry["path"] == "/calendar/[secret].ics" and entry["status"] == 404
    assert SECRET not in json.dumps(entry)


def test_the_development_server_records_are_not_mistaken_for_requests() -> None:
    entry = line(record("django.server", '"%s" %s %s', ("GET / HTTP/1.1", "200", "12"), request=object(), status_code=200))
    assert "path" not in entry and entry["status"] == 200


def _logging_settings(env: dict[str, str]) -> dict[str, object]:
    clean = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG", "SLEUTELNET_MODE", "PROCESSING_LOG_KEY", "LOG_FORMAT"}}
    code = (
        "import json, logging, django; django.setup(); from django.conf import settings;"
        "h = logging.getLogger().handlers[0];"
        "logging.getLogger('sleutelnet.test').warning('Not Found: %s', '/calendar/Q2kXy7-RfV9sLw3pNz0AbC1dEf2GhI3jK4lM5nO6pQ7.ics');"
        "print(json.dumps({'format': settings.LOG_FORMAT, 'formatter': type(h.formatter).__name__}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], env={**clean, **env, "DJANGO_SETTINGS_MODULE": "sleutelnet.conf.settings"},
        capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return {**json.loads(result.stdout), "stderr": result.stderr}


def test_production_logs_json_and_development_text() -> None:
    secret = "k3J9-vQ2m!xR7pL0zW5tY8uB1nC4eF6gH2jK9sD3aQ7wE5rT1yU"
    production = {"SLEUTELNET_MODE": "production", "SECRET_KEY": secret, "PROCESSING_LOG_KEY": "p" * 8 + secret}
    prod = _logging_settings(production)
    assert prod["format"] == "json" and prod["formatter"] == "JsonFormatter"
    [logged] = [json.loads(x) for x in str(prod["stderr"]).splitlines() if x.startswith("{")]
    assert logged["logger"] == "sleutelnet.test" and logged["message"] == "Not Found: /calendar/[secret].ics"
    assert SECRET not in str(prod["stderr"])
    assert _logging_settings({"LOG_FORMAT": "json"})["format"] == "json"  # development on request
    dev = _logging_settings({})
    assert dev["format"] == "text" and dev["formatter"] != "JsonFormatter"
    assert "Not Found: /calendar/[secret].ics" in str(dev["stderr"]) and not str(dev["stderr"]).startswith("{")
    assert _logging_settings({**production, "LOG_FORMAT": "text"})["format"] == "text"
