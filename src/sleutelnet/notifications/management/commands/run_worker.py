"""The background worker: drains the outbox until stopped (Ctrl-C or SIGTERM)."""

from __future__ import annotations

import signal
import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import close_old_connections

from sleutelnet.care.services import send_vog_reminders
from sleutelnet.core import processing
from sleutelnet.deployments.services import send_reminders
from sleutelnet.imports.services import expire as expire_imports
from sleutelnet.notifications.services import deliver_due
from sleutelnet.people.services import end_expired_pauses
from sleutelnet.privacy.services import run_daily_retention
from sleutelnet.reporting.services import refresh_pending, refresh_started
from sleutelnet.tasks.services import purge_finished, reap_stuck, run_next


class Command(BaseCommand):
    help = "Run the background worker (queues reminders for tomorrow's assignments, sends queued e-mail)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--once", action="store_true", help="Drain what is due once, then stop.")

    def handle(self, *args: Any, **options: Any) -> None:
        stopping = False

        def stop(*_: object) -> None:
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        self.stdout.write("Worker started: sending queued e-mail.")
        while not stopping:
            busy = False
            if not options["once"]:
                # A long-running worker must not keep a connection the database has dropped.
                close_old_connections()
            try:
                with processing.operation(channel="worker", activity="notifications", description="worker round"):
                    reminders = send_reminders()
                    end_expired_pauses()
                    if reminders:
                        self.stdout.write(f"Worker: {reminders} reminders queued.")
                    sent, failed = deliver_due()
                # The figures that changes queued (REPORTING_REFRESH=deferred), oldest first.
                busy = refresh_pending() > 0  # go round again at once: more may wait
                # Background tasks of the embedded queue, one per round (mail goes out in between).
                task = run_next()
                if task is not None:
                    self.stdout.write(f"Worker: task {task.pk} ({task.name}) {task.status}.")
                    sent += 1  # go round again at once: more may wait
                # One step of the daily retention (a region, a batch of records) per round.
                retained = run_daily_retention()
                if retained is not None and not retained.finished:
                    busy = True  # go round again at once: more is due
                elif retained is not None:  # the last step of today's run
                    self.stdout.write(f"Worker: daily retention done ({sum(retained.done.values())} records in the last step).")
                    # Once a day too: requests that started yesterday without anyone now count as unfilled.
                    refresh_started()
                    send_vog_reminders()
                    reap_stuck()
                    purge_finished()
                    expire_imports()
            except Exception as exc:  # noqa: BLE001 - the worker keeps running when the database blinks
                self.stderr.write(f"Worker: {exc}")
                sent, failed = 0, 0
            if sent or failed:
                self.stdout.write(f"Worker: {sent} sent, {failed} to retry.")
            if options["once"]:
                break
            if not (sent or busy):
                for _ in range(settings.WORKER_POLL_SECONDS * 10):
                    if stopping:
                        break
                    time.sleep(0.1)
        self.stdout.write("Worker stopped.")
