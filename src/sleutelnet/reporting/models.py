"""Rollups: the sums the dashboards read, kept current by `reporting.services` as work is approved.

A dashboard never scans the activity reports. Every approved report and every request adds to a
few rows per municipality and month, one per breakdown (kind, role, language, ...). A national
year is then about 300,000 small rows instead of two million reports (see decision 0008).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from sleutelnet.core.models import Municipality, Region
from sleutelnet.people.models import KeyPerson, Newcomer


class Subject(models.TextChoices):
    REPORT = "report", _("Approved reports")
    REQUEST = "request", _("Requests")


class Rollup(models.Model):
    """Sums for one municipality, one month and one value of one breakdown.

    `dimension` "total" with an empty `value` holds the month's totals. Breakdowns over a
    many-to-many (roles, life domains) count a report once for each value, so they add up to
    more than the total; the others add up to it exactly.
    """

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="+")
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    subject = models.CharField(max_length=8, choices=Subject.choices)
    dimension = models.CharField(max_length=16)
    value = models.CharField(max_length=40, blank=True)
    count = models.PositiveIntegerField(default=0)
    hours = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    participants = models.PositiveIntegerField(default=0)
    little_dutch = models.PositiveIntegerField(default=0)
    first_contact = models.PositiveIntegerField(default=0)
    allowance = models.DecimalField(max_digits=14, decimal_places=2, default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "month", "subject", "dimension", "value"], name="rollup_unique_cell"
            )
        ]
        indexes = [
            models.Index(fields=["region", "month"], name="rollup_region_month"),
            models.Index(fields=["dimension", "month"], name="rollup_dimension_month"),
        ]
        verbose_name = _("rollup")
        verbose_name_plural = _("rollups")


class NewcomerMonth(models.Model):
    """A newcomer supported individually in a municipality in a month: for the unique count.

    Unique counts do not add up over months, so they cannot live in `Rollup`. These rows hold no
    more than the reports do; they go with the newcomer when the newcomer is erased.
    """

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="+")
    month = models.DateField()
    newcomer = models.ForeignKey(Newcomer, on_delete=models.CASCADE, related_name="+")
    little_dutch = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["municipality", "month", "newcomer"], name="newcomer_month_unique"),
        ]
        indexes = [models.Index(fields=["month", "region"], name="newcomer_month_region")]


class KeyPersonMonth(models.Model):
    """Approved hours of one key person in one municipality in a month: for the spread of work.

    The dashboards show only distributions of these (top-5 share, Gini), never a person.
    """

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="+")
    month = models.DateField()
    key_person = models.ForeignKey(KeyPerson, on_delete=models.CASCADE, related_name="+")
    reports = models.PositiveIntegerField(default=0)
    hours = models.DecimalField(max_digits=10, decimal_places=2, default=0)
    allowance = models.DecimalField(max_digits=12, decimal_places=2, default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["municipality", "month", "key_person"], name="key_person_month_unique"),
        ]
        indexes = [models.Index(fields=["month", "region"], name="key_person_month_region")]


class PeriodKind(models.TextChoices):
    MONTH = "month", _("Month")
    QUARTER = "quarter", _("Quarter")
    YEAR = "year", _("Year")


class RegionRollup(models.Model):
    """`Rollup` summed over the municipalities of a region: what a national or multi-region
    dashboard reads (25 regions instead of 342 municipalities: fourteen times fewer rows)."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    month = models.DateField()
    subject = models.CharField(max_length=8, choices=Subject.choices)
    dimension = models.CharField(max_length=16)
    value = models.CharField(max_length=40, blank=True)
    count = models.PositiveIntegerField(default=0)
    hours = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    participants = models.PositiveIntegerField(default=0)
    little_dutch = models.PositiveIntegerField(default=0)
    first_contact = models.PositiveIntegerField(default=0)
    allowance = models.DecimalField(max_digits=16, decimal_places=2, default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["region", "month", "subject", "dimension", "value"], name="region_rollup_unique_cell")
        ]
        indexes = [models.Index(fields=["month", "region"], name="region_rollup_month")]


class PeriodCount(models.Model):
    """Distinct newcomers supported individually in a municipality in a month, quarter or year:
    unique counts do not add up over months, so each standard period is counted once here."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=8, choices=PeriodKind.choices)
    start = models.DateField()
    newcomers = models.PositiveIntegerField(default=0)
    newcomers_little_dutch = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["municipality", "kind", "start"], name="period_count_unique")]
        indexes = [models.Index(fields=["kind", "start", "region"], name="period_count_lookup")]


class KeyPersonPeriod(models.Model):
    """A key person's approved hours and allowance in a month, quarter or year (all
    municipalities together): the spread of work without summing months per person."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    key_person = models.ForeignKey(KeyPerson, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=8, choices=PeriodKind.choices)
    start = models.DateField()
    hours = models.DecimalField(max_digits=10, decimal_places=2, default=0)
    allowance = models.DecimalField(max_digits=12, decimal_places=2, default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["key_person", "kind", "start"], name="key_person_period_unique")]
        indexes = [models.Index(fields=["kind", "start", "region"], name="key_person_period_lookup")]


class PendingRefresh(models.Model):
    """A municipality-month whose rollups a change made stale, with `REPORTING_REFRESH=deferred`:
    the change writes this row in its own transaction (an insert, no lock), and the worker
    recomputes the month from the raw records within seconds (`services.refresh_pending`)."""

    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="+")
    month = models.DateField()
    reports = models.BooleanField(default=True)
    requests = models.BooleanField(default=True)
    queued_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["municipality", "month"], name="pending_refresh_lookup")]
