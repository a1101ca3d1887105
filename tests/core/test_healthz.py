"""/healthz for the load balancer: database and queue, plain JSON, no session, no log lines."""

from __future__ import annotations

import datetime as dt
import json
import socket
import time
from unittest import mock

import pytest
from django.contrib.sessions.models import Session
from django.db import OperationalError
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse
from django.utils import timezone

from sleutelnet.core.models import AuditLogEntry, ProcessingLogEntry
from sleutelnet.notifications.models import OutboxMessage, OutboxStatus
from sleutelnet.web import health

pytestmark = pytest.mark.django_db

REDIS_URL = "redis://127.0.0.1:6379/0"


def closed_port() -> int:
    """A local port nobody listens on (bound, then released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def redis_answers() -> bool:
    try:
        health.ping_redis(REDIS_URL)
    except Exception:  # noqa: BLE001 - any failure: no Redis to test against
        return False
    return True


def get(client: Client | None = None, **extra: str) -> tuple[int, dict[str, object]]:
    response = (client or Client()).get("/healthz", **extra)
    assert response["Content-Type"] == "application/json"
    assert "Traceback" not in response.content.decode()
    return response.status_code, json.loads(response.content)


def test_the_url_is_the_path_the_middleware_answers() -> None:
    assert reverse("healthz") == health.HEALTH_PATH


def test_ok_when_the_database_and_the_outbox_answer() -> None:
    status, body = get()
    assert status == 200
    assert body["status"] == body["database"] == body["queue"] == "ok"
    assert body["queue_backend"] == "embedded"
    assert body["outbox_backlog"] == 0 and body["outbox_oldest_due_seconds"] is None


def test_reports_the_outbox_backlog_and_the_age_of_the_oldest_due_message() -> None:
    now = timezone.now()
    for minutes, status in ((-90, OutboxStatus.PENDING), (-5, OutboxStatus.PENDING), (30, OutboxStatus.PENDING), (-600, OutboxStatus.SENT), (-900, OutboxStatus.FAILED)):
        OutboxMessage.objects.create(to_email="iemand@example.org", subject="Herinnering", body="...", status=status, next_attempt_at=now + dt.timedelta(minutes=minutes))
    status, body = get()
    assert status == 200  # a backlog is a figure for the monitoring, not a reason to leave the balancer
    assert body["outbox_backlog"] == 2  # due and not sent; the one waiting for a later try is not due yet
    assert 90 * 60 <= body["outbox_oldest_due_seconds"] < 90 * 60 + 60


def test_503_naming_the_database_when_it_does_not_answer() -> None:
    with mock.patch.object(health.connection, "cursor", side_effect=OperationalError("could not connect to server: secret-host")):
        status, body = get()
    assert status == 503
    assert body["status"] == "error" and body["database"] == "error"
    assert "secret-host" not in json.dumps(body)  # no error text in the answer


@override_settings(TASK_BACKEND="rq")
def test_503_naming_the_queue_when_redis_does_not_answer() -> None:
    with override_settings(REDIS_URL=f"redis://127.0.0.1:{closed_port()}/0"):
        started = time.monotonic()
        status, body = get()
    assert time.monotonic() - started < 5
    assert status == 503
    assert body == {**body, "status": "error", "database": "ok", "queue": "error", "queue_backend": "rq"}


@override_settings(TASK_BACKEND="rq", REDIS_URL=REDIS_URL)
def test_ok_when_redis_answers() -> None:
    if not redis_answers():
        pytest.skip(f"no Redis answers at {REDIS_URL}")
    status, body = get()
    assert status == 200
    assert body["queue"] == "ok" and body["queue_backend"] == "rq"


def test_no_session_and_no_processing_log_even_for_a_signed_in_browser(world) -> None:  # type: ignore[no-untyped-def]
    def counts() -> tuple[int, int, int]:
        return Session.objects.count(), AuditLogEntry.objects.count(), ProcessingLogEntry.objects.count()

    before = counts()
    response = Client().get("/healthz")
    assert response.status_code == 200 and not response.cookies
    assert counts() == before
    signed_in = Client()
    signed_in.force_login(world.coordinator)
    key = signed_in.session.session_key
    stored = Session.objects.values_list("session_data", "expire_date").get(pk=key)
    before = counts()
    for _ in range(3):
        response = signed_in.get("/healthz")
        assert response.status_code == 200 and not response.cookies
    assert Session.objects.values_list("session_data", "expire_date").get(pk=key) == stored  # not refreshed
    assert counts() == before


@override_settings(ALLOWED_HOSTS=["sleutelnet.example.org"], SECURE_SSL_REDIRECT=True, SECURE_REDIRECT_EXEMPT=[r"^healthz$"])
def test_answers_a_probe_by_ip_address_over_plain_http() -> None:
    status, _body = get(HTTP_HOST="10.0.0.5")
    assert status == 200
    assert Client().get("/login/", HTTP_HOST="10.0.0.5").status_code == 400  # any other page keeps the host check


def test_other_methods_get_the_matrix_answer() -> None:
    assert Client().post("/healthz").status_code == 405
    assert Client().head("/healthz").status_code == 200
    # (the test client drops a HEAD body itself; gunicorn would warn about one)
    assert health.healthz(RequestFactory().head("/healthz")).content == b""
