"""The background task of list exports: a large list written to a file for its owner."""

from __future__ import annotations

from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import ngettext

from sleutelnet.core import list_exports
from sleutelnet.core.exports import FORMATS, csv_bytes, xlsx_bytes
from sleutelnet.tasks import services
from sleutelnet.tasks.models import Task
from sleutelnet.tasks.registry import job


def _activity(task: Task) -> str:
    return list_exports.get(task.arguments["list"]).activity


@job("exports.list", activity=_activity, read_operation="export")
def export_list(task: Task) -> None:
    """The list as the owner may see it now (their scope is applied again, on the worker)."""
    spec = list_exports.get(task.arguments["list"])
    qs = spec.queryset(task.owner, QueryDict(task.arguments.get("query", "")))
    total = qs.count()
    fmt = task.arguments["format"]

    def counted():  # type: ignore[no-untyped-def]
        for i, row in enumerate(list_exports.rows(spec, qs), start=1):
            services.progress(task, i, total)
            yield row

    header = spec.header()
    body = csv_bytes(header, counted()) if fmt == "csv" else xlsx_bytes(header, counted(), title=spec.title())
    name = f"{spec.title()} {timezone.localdate():%Y-%m-%d}.{fmt}"
    services.attach_file(task, body, name=name, content_type=FORMATS[fmt])
    task.total = total
    task.message = ngettext("%(n)s row.", "%(n)s rows.", total) % {"n": total}
