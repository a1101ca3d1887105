"""The background tasks of imports: checking and importing a large file."""

from __future__ import annotations

from django.utils.translation import gettext as _

from sleutelnet.core.exceptions import DomainError
from sleutelnet.imports import services
from sleutelnet.imports.models import ImportBatch
from sleutelnet.tasks.models import Task
from sleutelnet.tasks.registry import job


def _batch(task: Task) -> ImportBatch:
    return ImportBatch.objects.select_related("region").get(pk=task.arguments["batch"])


def _activity(task: Task) -> str:
    kind = ImportBatch.objects.filter(pk=task.arguments["batch"]).values_list("kind", flat=True).first() or "key_persons"
    return services.activity_of(kind)


@job("imports.check", activity=_activity)
def check_file(task: Task) -> None:
    batch = _batch(task)
    task.result_url = services.batch_url(batch)
    try:
        batch = services.check(actor=task.owner, batch=batch, task=task)
    except DomainError as exc:
        services.fail(batch.pk, str(exc.message))
        raise
    except Exception:
        services.fail(batch.pk, _("Something went wrong on our side; nothing was saved. Please try again later."))
        raise
    task.message = _("%(valid)s of %(total)s rows can be imported.") % {"valid": batch.valid_rows, "total": batch.total_rows}


@job("imports.run", activity=_activity)
def import_file(task: Task) -> None:
    batch = _batch(task)
    task.result_url = services.batch_url(batch)
    try:
        batch = services.run_import(actor=task.owner, batch=batch, only_valid=bool(task.arguments.get("only_valid")), task=task)
    except DomainError as exc:
        services.fail(batch.pk, str(exc.message))
        raise
    except Exception:
        services.fail(batch.pk, _("Something went wrong on our side; nothing was saved. Please try again later."))
        raise
    c = batch.counts
    task.message = _("%(create)s new, %(update)s changed, %(unchanged)s unchanged.") % {
        "create": c.get("create", 0), "update": c.get("update", 0), "unchanged": c.get("unchanged", 0)
    }
