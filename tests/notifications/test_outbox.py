"""The outbox keeps every message when the mail server fails, and the worker sends it later."""

from __future__ import annotations

import socket
import subprocess
import sys

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from sleutelnet.core.exceptions import DomainError
from sleutelnet.deployments import services
from sleutelnet.notifications.models import OutboxMessage, OutboxStatus
from sleutelnet.notifications.services import deliver_due


def _closed_port() -> int:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()  # nothing listens there now: a real SMTP connection is refused
    return port


def test_failing_mail_server_loses_nothing(world):
    services.file_request(actor=world.requester, organisation=world.organisation, data=world.request_data())
    queued = OutboxMessage.objects.filter(status=OutboxStatus.PENDING)
    assert queued.count() == 1
    with override_settings(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend", EMAIL_HOST="127.0.0.1", EMAIL_PORT=_closed_port()
    ):
        sent, failed = deliver_due()
    assert (sent, failed) == (0, 1)
    msg = queued.get()
    assert msg.attempts == 1 and msg.last_error and msg.next_attempt_at > timezone.now()

    OutboxMessage.objects.update(next_attempt_at=timezone.now())
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        assert deliver_due() == (1, 0)
    assert mail.outbox[0].to == [world.coordinator.email]
    assert "Ouderavond" in mail.outbox[0].subject
    msg.refresh_from_db()
    assert msg.status == OutboxStatus.SENT and msg.sent_at


def test_gives_up_after_max_attempts(world):
    services.file_request(actor=world.requester, organisation=world.organisation, data=world.request_data())
    with override_settings(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=_closed_port(),
        OUTBOX_MAX_ATTEMPTS=2,
    ):
        deliver_due()
        OutboxMessage.objects.update(next_attempt_at=timezone.now())
        deliver_due()
    assert OutboxMessage.objects.get().status == OutboxStatus.FAILED


def test_message_is_in_the_recipients_language(world):
    world.coordinator.preferred_language = "en"
    world.coordinator.save()
    services.file_request(actor=world.requester, organisation=world.organisation, data=world.request_data())
    assert OutboxMessage.objects.get().subject.startswith("New request")


def test_worker_command_drains_once(world):
    services.file_request(actor=world.requester, organisation=world.organisation, data=world.request_data())
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        call_command("run_worker", "--once")
    assert OutboxMessage.objects.get().status == OutboxStatus.SENT


def test_no_message_without_the_change(world):
    data = world.request_data(title="")
    with pytest.raises(DomainError):
        services.file_request(actor=world.requester, organisation=world.organisation, data=data)
    assert OutboxMessage.objects.count() == 0


def test_worker_process_stops_on_sigterm(tmp_path):
    """The real worker process starts, polls and stops cleanly on SIGTERM (what Ctrl-C in make run does)."""
    import os
    import signal
    import time

    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'w.sqlite3'}", "SLEUTELNET_DATA_DIR": str(tmp_path)}
    subprocess.run([sys.executable, "-m", "sleutelnet.manage", "migrate", "-v0"], env=env, check=True, timeout=120)
    proc = subprocess.Popen(
        [sys.executable, "-m", "sleutelnet.manage", "run_worker"], env=env, stdout=subprocess.PIPE, text=True
    )
    time.sleep(2)
    proc.send_signal(signal.SIGTERM)
    out, _ = proc.communicate(timeout=20)
    assert proc.returncode == 0
    assert "Worker started" in out and "Worker stopped" in out
