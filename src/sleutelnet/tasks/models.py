"""A background task: a long import or export that runs on the worker while the user goes on.

The row is the truth for the user (status, progress, outcome, the file to download) whichever
queue runs it: the embedded queue (this table, polled by `run_worker`) or Redis (RQ).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from sleutelnet.core.models import PublicIdModel, Region, User


class TaskStatus(models.TextChoices):
    QUEUED = "queued", _("waiting")
    RUNNING = "running", _("running")
    DONE = "done", _("done")
    FAILED = "failed", _("failed")


class Task(PublicIdModel):
    """One run of a registered task function (sleutelnet.tasks.registry) for one user."""

    name = models.CharField(max_length=100)
    owner = models.ForeignKey(User, on_delete=models.CASCADE, related_name="tasks")
    region = models.ForeignKey(Region, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    #: What the user sees in the list: never a person's name.
    title = models.CharField(_("task"), max_length=200)
    arguments = models.JSONField(default=dict)
    backend = models.CharField(max_length=16)
    #: The language the owner used when queueing it: messages and the e-mail are in it.
    language = models.CharField(max_length=8, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=TaskStatus.choices, default=TaskStatus.QUEUED)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    #: An English msgid (marked with gettext_noop where it is set), translated when shown.
    phase = models.CharField(max_length=200, blank=True)
    #: The outcome in the owner's language, or why it failed.
    message = models.TextField(blank=True)
    #: Where the outcome lives (an import's page), if not a file.
    result_url = models.CharField(max_length=300, blank=True)
    result_file = models.BinaryField(null=True, blank=True, editable=False)
    result_name = models.CharField(max_length=200, blank=True)
    result_type = models.CharField(max_length=100, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "backend", "created_at"], name="task_queue")]
        verbose_name = _("background task")
        verbose_name_plural = _("background tasks")

    def __str__(self) -> str:
        return self.title

    @property
    def percent(self) -> int | None:
        """Progress in whole percent, or None while the size is unknown (an indeterminate bar)."""
        if self.status == TaskStatus.DONE:
            return 100
        if not self.total:
            return None
        return min(100, int(self.done * 100 / self.total))

    @property
    def phase_label(self) -> str:
        return gettext(self.phase) if self.phase else ""

    @property
    def finished(self) -> bool:
        return self.status in (TaskStatus.DONE, TaskStatus.FAILED)
