"""Background tasks: the same task runs on the embedded queue and on Redis (RQ), reports progress,
fails with a clear message, mails its owner, and is never run twice (issue #9)."""

from __future__ import annotations

import csv
import io
import socket
import uuid

import pytest
from django.core.management import call_command
from django.urls import reverse

from sleutelnet.core.exceptions import DomainError
from sleutelnet.notifications.models import OutboxMessage
from sleutelnet.people.models import KeyPerson
from sleutelnet.tasks import services
from sleutelnet.tasks.models import Task, TaskStatus
from sleutelnet.tasks.registry import job


@job("tests.key_person_count", activity="key-person-registry", read_operation="export")
def key_person_count(task: Task) -> None:
    """A small export: the names of the region's key persons, with progress per person."""
    people = list(KeyPerson.objects.filter(region_id=task.arguments["region"]).order_by("id"))
    out = io.StringIO()
    writer = csv.writer(out)
    for i, kp in enumerate(people, start=1):
        writer.writerow([kp.full_name])
        services.progress(task, i, len(people), force=True)
    services.attach_file(task, out.getvalue().encode(), name="people.csv", content_type="text/csv")
    task.message = f"{len(people)} people"


@job("tests.refuse")
def refuse(task: Task) -> None:
    raise DomainError("Dit kan niet.")


@job("tests.crash")
def crash(task: Task) -> None:
    raise RuntimeError("boom")


def redis_answers() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            return True
    except OSError:
        return False


def enqueue(world, name: str = "tests.key_person_count") -> Task:  # type: ignore[no-untyped-def]
    return services.enqueue(name, owner=world.coordinator, title="Export", region=world.region, arguments={"region": world.region.pk})


def test_the_embedded_queue_runs_a_task_with_progress_and_a_file(world, settings) -> None:  # type: ignore[no-untyped-def]
    settings.TASK_BACKEND = "embedded"
    task = enqueue(world)
    assert task.status == TaskStatus.QUEUED and task.backend == "embedded"
    ran = services.run_next()
    assert ran is not None and ran.pk == task.pk
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE and task.percent == 100 and task.message == "1 people"
    assert bytes(task.result_file).decode().strip() == world.key_person.full_name
    assert services.run_next() is None  # nothing left, and nothing runs twice
    mail = OutboxMessage.objects.get(to_email=world.coordinator.email)
    assert "Export" in mail.subject and str(task.uuid) in mail.body
    from sleutelnet.core.models import ProcessingLogEntry

    assert ProcessingLogEntry.objects.filter(operation="export", subject_kind="key_person").count() == 1


@pytest.mark.skipif(not redis_answers(), reason="Redis does not answer on 127.0.0.1:6379")
def test_the_same_task_runs_through_redis_and_gives_the_same_outcome(world, settings, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    from rq import SimpleWorker

    settings.TASK_BACKEND = "embedded"
    embedded = enqueue(world)
    services.run_next()
    embedded.refresh_from_db()

    settings.TASK_BACKEND = "rq"
    settings.TASK_QUEUE = f"sleutelnet-test-{uuid.uuid4().hex[:8]}"
    queue = services.rq_queue()
    try:
        with django_capture_on_commit_callbacks(execute=True):
            on_redis = enqueue(world)
        assert on_redis.backend == "rq" and len(queue) == 1
        assert services.run_next() is None  # the embedded queue leaves it to Redis
        SimpleWorker([queue], connection=queue.connection).work(burst=True)
        on_redis.refresh_from_db()
        assert on_redis.status == TaskStatus.DONE, on_redis.message
        assert (bytes(on_redis.result_file), on_redis.message) == (bytes(embedded.result_file), embedded.message)
        assert len(queue) == 0
        # RQ delivers at least once: a second delivery of the same id does nothing
        assert services.execute(on_redis.pk) == TaskStatus.DONE
    finally:
        queue.empty()
        queue.delete(delete_jobs=True)


def test_when_redis_does_not_answer_the_embedded_queue_takes_the_task(world, settings, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    settings.TASK_BACKEND = "rq"
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    with django_capture_on_commit_callbacks(execute=True):
        task = enqueue(world)
    task.refresh_from_db()
    assert task.backend == "embedded"
    call_command("run_worker", "--once")
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE


def test_a_refusal_and_a_crash_fail_with_a_plain_message(world, settings, caplog) -> None:  # type: ignore[no-untyped-def]
    settings.TASK_BACKEND = "embedded"
    refused, crashed = enqueue(world, "tests.refuse"), enqueue(world, "tests.crash")
    services.run_next()
    services.run_next()
    refused.refresh_from_db()
    crashed.refresh_from_db()
    assert (refused.status, refused.message) == (TaskStatus.FAILED, "Dit kan niet.")
    assert crashed.status == TaskStatus.FAILED and "boom" not in crashed.message and crashed.message
    assert "boom" in caplog.text  # the team sees the cause in the log
    assert OutboxMessage.objects.filter(to_email=world.coordinator.email).count() == 2


def test_an_unknown_task_is_refused_when_queued(world) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(LookupError):
        enqueue(world, "tests.no_such_task")
    assert not Task.objects.exists()


def test_two_workers_never_run_one_task_twice(world) -> None:  # type: ignore[no-untyped-def]
    task = enqueue(world)
    assert services._claim(task.pk) is not None
    assert services._claim(task.pk) is None


def test_finished_tasks_and_their_files_are_deleted_after_the_retention(world, settings) -> None:  # type: ignore[no-untyped-def]
    import datetime as dt

    from django.utils import timezone

    task = enqueue(world)
    services.run_next()
    assert services.purge_finished() == 0
    Task.objects.filter(pk=task.pk).update(finished_at=timezone.now() - dt.timedelta(days=settings.TASK_RETENTION_DAYS + 1))
    assert services.purge_finished() == 1


def test_the_task_page_shows_progress_and_only_to_its_owner(world, client) -> None:  # type: ignore[no-untyped-def]
    from tests.auth import login

    task = enqueue(world)
    login(client, world.coordinator)
    page = client.get(reverse("tasks:detail", args=[task.uuid]))
    assert page.status_code == 200 and b'hx-trigger="every 2s"' in page.content and b"<progress" in page.content
    services.run_next()
    part = client.get(reverse("tasks:detail", args=[task.uuid]) + "?part=progress")
    assert b"hx-trigger" not in part.content and reverse("tasks:download", args=[task.uuid]).encode() in part.content
    download = client.get(reverse("tasks:download", args=[task.uuid]))
    assert download.status_code == 200 and download["Content-Disposition"] == 'attachment; filename="people.csv"'
    assert b"Export" in client.get(reverse("tasks:list")).content
    client.logout()
    login(client, world.requester)
    assert client.get(reverse("tasks:detail", args=[task.uuid])).status_code == 404
    assert client.get(reverse("tasks:download", args=[task.uuid])).status_code == 404
