"""Volunteer allowances (vrijwilligersvergoeding): tax-free limits as data, and each region's rate."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from sleutelnet.core.models import Region

MONEY = {"max_digits": 8, "decimal_places": 2, "validators": [MinValueValidator(Decimal("0"))]}


class AllowanceLimit(models.Model):
    """The tax-free limits for volunteer allowances over a period (usually a calendar year).

    All three apply at once: per hour, per month and per year. A row without a region holds
    the national limits; an administrator enters each new year's figures.
    """

    region = models.ForeignKey(Region, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"))
    per_hour_adult = models.DecimalField(_("per hour, 21 and older"), **MONEY)
    per_hour_young = models.DecimalField(_("per hour, younger than 21"), null=True, blank=True, **MONEY)
    per_month = models.DecimalField(_("per month"), **MONEY)
    per_year = models.DecimalField(_("per year"), **MONEY)
    source = models.CharField(_("source"), max_length=200, blank=True)

    class Meta:
        ordering = ["-valid_from"]
        constraints = [
            models.CheckConstraint(condition=models.Q(valid_until__gte=models.F("valid_from")), name="allowance_limit_period"),
        ]
        verbose_name = _("allowance limit")
        verbose_name_plural = _("allowance limits")

    def __str__(self) -> str:
        return f"{self.valid_from:%Y}: {self.per_month}/{self.per_year}"


class AllowanceRate(models.Model):
    """What a region pays its volunteer key persons per hour, from a date on."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="allowance_rates")
    valid_from = models.DateField(_("valid from"))
    per_hour = models.DecimalField(_("allowance per hour"), **MONEY)

    class Meta:
        ordering = ["region", "-valid_from"]
        constraints = [models.UniqueConstraint(fields=["region", "valid_from"], name="allowance_rate_unique_start")]
        verbose_name = _("allowance rate")
        verbose_name_plural = _("allowance rates")

    def __str__(self) -> str:
        return f"{self.region}: {self.per_hour} ({self.valid_from})"
