"""An import of a region's spreadsheet, and what it wrote (so it can be undone)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from sleutelnet.core.models import PublicIdModel, Region, User


class ImportKind(models.TextChoices):
    KEY_PERSONS = "key_persons", _("Key persons")
    NEWCOMERS = "newcomers", _("Newcomers")
    ORGANISATIONS = "organisations", _("Organisations")
    ACTIVITIES = "activities", _("Past activities")


class ImportStatus(models.TextChoices):
    UPLOADED = "uploaded", _("choose the columns")
    CHECKING = "checking", _("being checked")
    CHECKED = "checked", _("checked")
    IMPORTING = "importing", _("being imported")
    DONE = "done", _("imported")
    FAILED = "failed", _("not imported")
    UNDONE = "undone", _("undone")


class ImportBatch(PublicIdModel):
    """One uploaded file: its columns, the mapping, the check, the outcome, and who did what."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="imports")
    kind = models.CharField(_("what"), max_length=16, choices=ImportKind.choices)
    file_name = models.CharField(_("file"), max_length=200)
    file_sha256 = models.CharField(max_length=64)
    #: The file itself, until the import is done or dropped (it holds personal data).
    content = models.BinaryField(null=True, blank=True, editable=False)
    file_format = models.CharField(max_length=8)
    encoding = models.CharField(max_length=32, blank=True)
    delimiter = models.CharField(max_length=4, blank=True)
    headers = models.JSONField(default=list)
    #: field -> the column header it is read from
    mapping = models.JSONField(default=dict)
    status = models.CharField(_("status"), max_length=16, choices=ImportStatus.choices, default=ImportStatus.UPLOADED)
    total_rows = models.PositiveIntegerField(default=0)
    valid_rows = models.PositiveIntegerField(default=0)
    #: {"create": n, "update": n, "unchanged": n} from the check; the same keys after the import
    counts = models.JSONField(default=dict)
    #: [{"row": 7, "column": "E-mail", "message": "..."}], the first MAX_ERRORS of them
    errors = models.JSONField(default=list)
    error_count = models.PositiveIntegerField(default=0)
    #: The first rows as they will be imported: [{"row": 2, "action": "create", "cells": [...]}]
    preview = models.JSONField(default=list)
    only_valid = models.BooleanField(default=False)
    #: After IMPORT_UNDO_DAYS the old values are removed (retention) and undo is no longer possible.
    undo_expired = models.BooleanField(default=False)
    message = models.TextField(blank=True)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    imported_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    imported_at = models.DateTimeField(null=True, blank=True)
    undone_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    undone_at = models.DateTimeField(null=True, blank=True)
    task = models.ForeignKey("tasks.Task", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.file_name}"


class ImportedRecord(models.Model):
    """A record an import created or changed; `before` holds the changed fields' old values."""

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="records")
    model = models.CharField(max_length=40)  # "people.KeyPerson"
    object_id = models.BigIntegerField()
    action = models.CharField(max_length=8)  # "create" or "update"
    before = models.JSONField(default=dict, blank=True)

    class Meta:
        indexes = [models.Index(fields=["model", "object_id"], name="imported_record_object")]
