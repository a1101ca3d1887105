"""Retention rules per region, the daily retention runs, and data-subject requests."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from sleutelnet.core.models import PublicIdModel, Region, User


class RetentionKind(models.TextChoices):
    """Kinds of record with a retention period (docs/privacy.md gives the defaults and why)."""

    REQUEST = "request", _("Requests that ended, with their assignments and reports")
    NEWCOMER = "newcomer", _("Newcomers without a request")
    KEY_PERSON = "key_person", _("Key persons who stopped")
    PROCESSING_LOG = "processing_log", _("Processing log")


class RetentionRule(models.Model):
    """A region's own retention period for one kind of record (bewaartermijn), in months."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="retention_rules")
    kind = models.CharField(_("kind of record"), max_length=32, choices=RetentionKind.choices)
    months = models.PositiveSmallIntegerField(_("months"))
    changed_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    changed_at = models.DateTimeField(_("changed at"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["region", "kind"], name="retention_rule_unique_kind")]
        verbose_name = _("retention rule")
        verbose_name_plural = _("retention rules")

    def __str__(self) -> str:
        return f"{self.region} · {self.get_kind_display()} · {self.months}"


class RetentionRun(models.Model):
    """One daily run of the retention job; the unique day makes it run once, whatever the workers.

    The run goes region by region, at most RETENTION_BATCH records of a kind per worker round
    (privacy.services.run_daily_retention): `done_through_region` is the id of the last region
    it finished, and `finished_at` is set when every region and the platform-wide logs are done."""

    day = models.DateField(unique=True)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    counts = models.JSONField(default=dict, blank=True)
    done_through_region = models.BigIntegerField(default=0)

    class Meta:
        ordering = ["-day"]
        verbose_name = _("retention run")
        verbose_name_plural = _("retention runs")


class SubjectRequestKind(models.TextChoices):
    ACCESS = "access", _("Access: everything held, exported")
    ERASURE = "erasure", _("Erasure")


class DataSubjectRequest(PublicIdModel):
    """A request of a data subject (AVG art. 15 to 20) and how it was handled, for accountability.

    The person is named by the processing log's pseudonym: after an erasure nothing else is left.
    """

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=16, choices=SubjectRequestKind.choices)
    subject_kind = models.CharField(_("kind of person"), max_length=16)
    subject = models.CharField(_("person (pseudonym)"), max_length=64, db_index=True)
    handled_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    handled_at = models.DateTimeField(_("handled at"))
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        ordering = ["-handled_at", "-id"]
        verbose_name = _("data-subject request")
        verbose_name_plural = _("data-subject requests")
