"""The day before, a key person gets one reminder per accepted assignment, and only one."""

from __future__ import annotations

import datetime as dt

from django.core.management import call_command
from django.test import override_settings

from sleutelnet.core import clock
from sleutelnet.deployments import services
from sleutelnet.notifications.models import OutboxMessage


def _accepted(world, **overrides):  # type: ignore[no-untyped-def]
    req = services.file_request(actor=world.requester, organisation=world.organisation, data=world.request_data(**overrides))
    [a] = services.offer(actor=world.coordinator, request=req, key_persons=[world.key_person])
    services.accept(actor=world.key_person_user, assignment=a)
    return a


def test_one_reminder_within_24_hours_of_the_start(world):
    a = _accepted(world)  # tomorrow 10:00
    before = OutboxMessage.objects.filter(to_email=world.key_person.email).count()
    with clock.at(a.request.starts_at - dt.timedelta(hours=30)):
        assert services.send_reminders() == 0  # too early
    with clock.at(a.request.starts_at - dt.timedelta(hours=20)):
        assert services.send_reminders() == 1
        assert services.send_reminders() == 0  # never twice
    a.refresh_from_db()
    assert a.reminded_at is not None
    new = OutboxMessage.objects.filter(to_email=world.key_person.email).order_by("-id")
    assert new.count() == before + 1
    assert world.request_data().title in new.first().subject


def test_no_reminder_for_offers_cancelled_or_past_assignments(world):
    req = services.file_request(actor=world.requester, organisation=world.organisation, data=world.request_data())
    services.offer(actor=world.coordinator, request=req, key_persons=[world.key_person])  # only offered
    with clock.at(req.starts_at - dt.timedelta(hours=2)):
        assert services.send_reminders() == 0
    with clock.at(req.starts_at + dt.timedelta(hours=1)):
        assert services.send_reminders() == 0


def test_the_worker_queues_and_sends_reminders(world):
    a = _accepted(world)
    with clock.at(a.request.starts_at - dt.timedelta(hours=12)):
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            call_command("run_worker", "--once")
    a.refresh_from_db()
    assert a.reminded_at is not None
    assert not OutboxMessage.objects.filter(status="pending").exists()
