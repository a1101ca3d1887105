"""A Redis-backed worker (RQ) for the background tasks, for TASK_BACKEND=rq (docs/deploy.md).

Run as many as the machine carries, on as many machines as share the Redis and the database.
`run_worker` still runs once (the outbox and the daily jobs) and takes any task Redis refused.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run background tasks from the Redis queue (RQ), for TASK_BACKEND=rq."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--burst", action="store_true", help="Run what is queued, then stop.")

    def handle(self, *args: Any, **options: Any) -> None:
        from rq import SimpleWorker

        from sleutelnet.tasks.services import rq_queue

        queue = rq_queue()
        # SimpleWorker runs each job in this process (no fork): Django's connections stay valid.
        worker = SimpleWorker([queue], connection=queue.connection)
        self.stdout.write(f"RQ worker started on queue {queue.name!r}.")
        worker.work(burst=options["burst"], with_scheduler=False)
        self.stdout.write("RQ worker stopped.")
