"""Pages of background tasks: my tasks, one task with its progress bar, the file it made."""

from __future__ import annotations

from uuid import UUID

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from sleutelnet.core import list_exports
from sleutelnet.core.exports import FORMATS, table_response
from sleutelnet.tasks import services
from sleutelnet.tasks.models import TaskStatus
from sleutelnet.tasks.selectors import tasks_for


def list_download(request: HttpRequest, name: str, fmt: str) -> HttpResponse:
    """A list page's download: the same scope and filters as the page (its query string).

    Up to BACKGROUND_ROWS rows come at once; a larger list becomes a background task and the
    user goes to its page (progress bar, e-mail when ready).
    """
    if fmt not in FORMATS:
        raise Http404
    spec = list_exports.get(name)
    params = request.GET.copy()
    params.pop("page", None)
    qs = spec.queryset(request.user, params)  # type: ignore[arg-type]
    if qs.count() > settings.BACKGROUND_ROWS:
        task = services.enqueue(
            "exports.list", owner=request.user, title=_("Download: %(list)s") % {"list": spec.title()},  # type: ignore[arg-type]
            arguments={"list": name, "format": fmt, "query": params.urlencode()},
        )
        messages.info(request, _("This is a long list: we make the file in the background."))
        return redirect("tasks:detail", uuid=task.uuid)
    filename = f"{spec.title()} {timezone.localdate():%Y-%m-%d}"
    return table_response(fmt, spec.header(), list_exports.rows(spec, qs), filename=filename)


def task_list(request: HttpRequest) -> HttpResponse:
    tasks = tasks_for(request.user)[:100]  # type: ignore[arg-type]
    return render(request, "tasks/task_list.html", {"tasks": tasks, "retention_days": settings.TASK_RETENTION_DAYS})


def task_detail(request: HttpRequest, uuid: UUID) -> HttpResponse:
    """The task's progress; htmx polls the progress part every 2 s until the task is finished."""
    task = get_object_or_404(tasks_for(request.user), uuid=uuid)  # type: ignore[arg-type]
    template = "tasks/_progress.html" if request.GET.get("part") == "progress" else "tasks/task_detail.html"
    return render(request, template, {"task": task})


def task_download(request: HttpRequest, uuid: UUID) -> HttpResponse:
    task = get_object_or_404(
        tasks_for(request.user).defer(None).filter(status=TaskStatus.DONE).exclude(result_name=""), uuid=uuid  # type: ignore[arg-type]
    )
    response = HttpResponse(bytes(task.result_file or b""), content_type=task.result_type)
    response["Content-Disposition"] = f'attachment; filename="{task.result_name}"'
    response["Cache-Control"] = "no-store"
    return response
