"""Background tasks: put one on the queue, run it, report its progress, tell its owner.

Two queues run the same task functions, chosen by `settings.TASK_BACKEND`:

* "embedded" (the default, what `make run` uses): the task row itself is the queue entry;
  `run_worker` claims the oldest waiting task with an atomic UPDATE and runs it.
* "rq": the row is written the same way, and after the commit its id goes on a Redis queue
  (RQ); `sleutelnet rq_worker` processes run it. Several workers on several machines may share
  one Redis. When Redis does not answer at the moment of queueing, the task falls back to the
  embedded queue (run_worker always runs too, for the outbox), so no task is lost.

Either way the task function gets the Task row, reports progress with `progress()`, and ends by
returning (done) or raising DomainError (failed, with that message for the user). Anything else
fails the task with a general message and a log line for the team; nothing is half-saved
because each task function writes in its own transaction.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from typing import Any

from django.conf import settings
from django.db import close_old_connections, connection, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from sleutelnet.core import processing
from sleutelnet.core.exceptions import DomainError
from sleutelnet.core.models import Region, User
from sleutelnet.notifications.services import queue_mail
from sleutelnet.tasks import registry
from sleutelnet.tasks.models import Task, TaskStatus

log = logging.getLogger(__name__)

EMBEDDED, RQ = "embedded", "rq"
BACKENDS = (EMBEDDED, RQ)
#: Progress is written at most this often (seconds): a 10,000-row file costs a few dozen writes.
PROGRESS_INTERVAL = 0.5
_last_progress: dict[int, float] = {}


def backend() -> str:
    return getattr(settings, "TASK_BACKEND", EMBEDDED)


def rq_queue() -> Any:
    """The Redis queue of the tasks (RQ), from REDIS_URL and TASK_QUEUE."""
    import redis
    from rq import Queue

    connection = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2, socket_timeout=5)
    return Queue(settings.TASK_QUEUE, connection=connection, default_timeout=settings.TASK_TIMEOUT_SECONDS)


def enqueue(
    name: str, *, owner: User, title: str, arguments: dict[str, Any] | None = None, region: Region | None = None, total: int = 0
) -> Task:
    """Queue the registered task `name` for `owner`; it starts once the caller's transaction commits."""
    registry.get(name)  # fail now, not on the worker, for a task that does not exist
    task = Task.objects.create(
        name=name, owner=owner, title=title[:200], arguments=arguments or {}, region=region, backend=backend(), total=total,
        language=translation.get_language() or "",
    )
    if task.backend == RQ:
        transaction.on_commit(lambda: _submit_rq(task))
    return task


def _submit_rq(task: Task) -> None:
    try:
        rq_queue().enqueue("sleutelnet.tasks.services.execute", task.pk, job_id=f"task-{task.uuid}")
    except Exception as exc:  # noqa: BLE001 - any Redis failure: the embedded queue takes the task
        log.warning("Redis did not take task %s (%s); it runs on the embedded queue.", task.pk, type(exc).__name__)
        Task.objects.filter(pk=task.pk, status=TaskStatus.QUEUED).update(backend=EMBEDDED)


def _claim(task_id: int) -> Task | None:
    """Move a waiting task to running; None when another worker was first (exactly one runs it)."""
    now = timezone.now()
    if not Task.objects.filter(pk=task_id, status=TaskStatus.QUEUED).update(status=TaskStatus.RUNNING, started_at=now, updated_at=now):
        return None
    return Task.objects.select_related("owner").get(pk=task_id)


def run_next() -> Task | None:
    """The embedded queue: claim and run the oldest waiting task, if any (called by run_worker)."""
    for task_id in Task.objects.filter(status=TaskStatus.QUEUED, backend=EMBEDDED).order_by("created_at", "id").values_list("id", flat=True)[:5]:
        task = _claim(task_id)
        if task is not None:
            _run(task)
            return task
    return None


def _fresh_connections() -> None:
    # A long-lived worker must not use a connection the database dropped (not inside a transaction).
    if not connection.in_atomic_block:
        close_old_connections()


def execute(task_id: int) -> str:
    """The RQ job: run the task `task_id` (a no-op if it already ran). Returns its final status."""
    _fresh_connections()
    try:
        task = _claim(task_id)
        if task is None:
            return Task.objects.filter(pk=task_id).values_list("status", flat=True).first() or "missing"
        _run(task)
        return task.status
    finally:
        _fresh_connections()


def _language(task: Task) -> str:
    """The language the owner worked in when they queued the task (their page's), else theirs."""
    return task.language or task.owner.preferred_language or settings.LANGUAGE_CODE


def _run(task: Task) -> None:
    job = registry.get(task.name)
    with translation.override(_language(task)):
        try:
            with processing.operation(
                channel="worker", activity=job.activity_of(task), actor=task.owner, description=f"task {task.name}",
                read_operation=job.read_operation,
            ):
                job.fn(task)
        except DomainError as exc:
            _finish(task, TaskStatus.FAILED, str(exc.message))
        except Exception:
            log.exception("Background task %s (%s) failed", task.pk, task.name)
            _finish(task, TaskStatus.FAILED, _("Something went wrong on our side; nothing was saved. Please try again later, or tell your administrator."))
        else:
            _finish(task, TaskStatus.DONE, task.message)
    _last_progress.pop(task.pk, None)


def _finish(task: Task, status: str, message: str) -> None:
    task.status = status
    task.message = message
    task.finished_at = timezone.now()
    if status == TaskStatus.DONE and task.total:
        task.done = task.total
    task.save(update_fields=["status", "message", "finished_at", "done", "result_url", "result_file", "result_name", "result_type", "updated_at"])
    owner = task.owner
    url = settings.SITE_URL.rstrip("/") + reverse("tasks:detail", kwargs={"uuid": task.uuid})
    queue_mail(to=[(owner.email, _language(task))], template="task_finished", context={"task": task, "url": url, "failed": status == TaskStatus.FAILED})


def progress(task: Task, done: int, total: int | None = None, *, phase: str | None = None, force: bool = False) -> None:
    """The task function tells how far it is; written at most every PROGRESS_INTERVAL seconds.

    Written outside the task's own transaction (call it between chunks, not inside an atomic
    block) so the page shows it while the task runs.
    """
    task.done = done
    if total is not None:
        task.total = total
    if phase is not None:
        task.phase = phase
    now = time.monotonic()
    if not force and phase is None and now - _last_progress.get(task.pk, 0.0) < PROGRESS_INTERVAL:
        return
    _last_progress[task.pk] = now
    Task.objects.filter(pk=task.pk).update(done=task.done, total=task.total, phase=task.phase, updated_at=timezone.now())


def attach_file(task: Task, content: bytes, *, name: str, content_type: str) -> None:
    """The task's outcome is a file for its owner to download (an export)."""
    task.result_file, task.result_name, task.result_type = content, name[:200], content_type[:100]


def reap_stuck(*, now: dt.datetime | None = None) -> int:
    """Tasks still "running" long after the time a task may take (a worker that was killed):
    failed, with a message, so their owners know and can try again."""
    now = now or timezone.now()
    stuck = Task.objects.filter(status=TaskStatus.RUNNING, started_at__lt=now - dt.timedelta(seconds=settings.TASK_TIMEOUT_SECONDS + 60))
    reaped = 0
    for task in stuck.select_related("owner"):
        with translation.override(_language(task)):
            _finish(task, TaskStatus.FAILED, _("This task was interrupted and did not finish. Nothing was saved; please try again."))
        reaped += 1
    return reaped


def purge_finished(*, older_than_days: int | None = None) -> int:
    """Delete finished tasks (and their files) after TASK_RETENTION_DAYS: exports hold personal data."""
    days = older_than_days if older_than_days is not None else settings.TASK_RETENTION_DAYS
    cutoff = timezone.now() - dt.timedelta(days=days)
    deleted, _per_model = Task.objects.filter(status__in=(TaskStatus.DONE, TaskStatus.FAILED), finished_at__lt=cutoff).delete()
    return deleted
