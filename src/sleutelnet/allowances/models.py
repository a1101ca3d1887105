"""Volunteer allowances (vrijwilligersvergoeding): tax-free limits as data, each region's rates,
expense claims (onkostendeclaraties), allowances from elsewhere, monthly statements and the
accounts they are paid from and to."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from sleutelnet.allowances.iban import normalise_bic, normalise_iban, validate_bic, validate_iban
from sleutelnet.core.models import PublicIdModel, Region, User
from sleutelnet.people.models import KeyPerson

MONEY = {"max_digits": 8, "decimal_places": 2, "validators": [MinValueValidator(Decimal("0"))]}
#: Sums of a month or a year: more digits than one amount.
TOTAL = {"max_digits": 10, "decimal_places": 2}
HOURS = {"max_digits": 7, "decimal_places": 1}


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
    per_km = models.DecimalField(
        _("expenses per kilometre"),
        default=Decimal("0.23"),
        help_text=_("What a key person gets per kilometre travelled for an assignment."),
        **MONEY,
    )

    class Meta:
        ordering = ["region", "-valid_from"]
        constraints = [models.UniqueConstraint(fields=["region", "valid_from"], name="allowance_rate_unique_start")]
        verbose_name = _("allowance rate")
        verbose_name_plural = _("allowance rates")

    def __str__(self) -> str:
        return f"{self.region}: {self.per_hour} ({self.valid_from})"


class PaymentSettings(models.Model):
    """The region's own bank account: the debtor of the SEPA credit transfer of the allowances."""

    region = models.OneToOneField(Region, on_delete=models.CASCADE, related_name="payment_settings")
    debtor_name = models.CharField(_("name of the account holder"), max_length=70)
    iban = models.CharField(_("IBAN"), max_length=34, validators=[validate_iban])
    bic = models.CharField(_("BIC"), max_length=11, blank=True, validators=[validate_bic])

    class Meta:
        verbose_name = _("payment account of the region")
        verbose_name_plural = _("payment accounts of the regions")

    def __str__(self) -> str:
        return f"{self.region}: {self.debtor_name}"

    def clean(self) -> None:
        """Stored without spaces, in capitals, as the bank file needs it."""
        self.iban, self.bic = normalise_iban(self.iban), normalise_bic(self.bic)


class PaymentDetails(models.Model):
    """Where a key person's allowance is paid to (rekeninggegevens); kept apart from the profile
    so that only the allowance pages and the payment export read it."""

    key_person = models.OneToOneField(KeyPerson, on_delete=models.CASCADE, related_name="payment_details")
    iban = models.CharField(_("IBAN"), max_length=34)
    account_holder = models.CharField(_("name of the account holder"), max_length=70)
    updated_at = models.DateTimeField(_("changed at"))
    updated_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("payment details")
        verbose_name_plural = _("payment details")


class DeclaredAllowance(PublicIdModel):
    """A volunteer allowance the key person gets from another organisation in a month: it counts
    towards the same month and year limits. Withdrawn when entered by mistake, never deleted."""

    key_person = models.ForeignKey(KeyPerson, on_delete=models.CASCADE, related_name="declared_allowances")
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    amount = models.DecimalField(_("amount"), **MONEY)
    organisation = models.CharField(_("organisation"), max_length=200)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["key_person", "month", "id"]
        constraints = [models.CheckConstraint(condition=models.Q(month__day=1), name="declared_allowance_whole_month")]
        verbose_name = _("allowance from another organisation")
        verbose_name_plural = _("allowances from other organisations")


class ClaimKind(models.TextChoices):
    KILOMETRES = "kilometres", _("Kilometres (own car or bicycle)")
    PUBLIC_TRANSPORT = "public_transport", _("Public transport")
    OTHER = "other", _("Other costs")


class ClaimStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for the coordinator")
    APPROVED = "approved", _("Approved")
    DECLINED = "declined", _("Declined")


class ExpenseClaim(PublicIdModel):
    """Costs a key person made for an assignment (onkostendeclaratie): paid back as they are,
    outside the volunteer limits. Declined with a reason, never deleted."""

    key_person = models.ForeignKey(KeyPerson, on_delete=models.PROTECT, related_name="expense_claims")
    date = models.DateField(_("date of the costs"))
    kind = models.CharField(_("kind of costs"), max_length=20, choices=ClaimKind.choices)
    kilometres = models.DecimalField(_("kilometres"), max_digits=6, decimal_places=1, null=True, blank=True)
    #: The region's amount per kilometre on the day, kept: a later change of rate does not change the claim.
    per_km = models.DecimalField(_("per kilometre"), max_digits=5, decimal_places=2, null=True, blank=True)
    amount = models.DecimalField(_("amount"), **MONEY)
    description = models.CharField(_("description"), max_length=300, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=ClaimStatus.choices, default=ClaimStatus.PENDING)
    decided_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decline_reason = models.CharField(_("reason for declining"), max_length=500, blank=True)
    #: The approved statement that pays it; empty until then.
    statement = models.ForeignKey(
        "MonthlyStatement", on_delete=models.PROTECT, null=True, blank=True, related_name="claims"
    )

    class Meta:
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["key_person", "status", "date"])]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="declined") | ~models.Q(decline_reason=""), name="expense_claim_declined_with_reason"
            ),
            models.CheckConstraint(
                condition=models.Q(statement__isnull=True) | models.Q(status="approved"), name="expense_claim_paid_when_approved"
            ),
        ]
        verbose_name = _("expense claim")
        verbose_name_plural = _("expense claims")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.date} · {self.amount}"


class ClaimReceipt(models.Model):
    """The receipt of a claim, in the database: never among the public files, served only by a
    page that checks who asks, and gone with the claim's key person when the record is erased."""

    claim = models.OneToOneField(ExpenseClaim, on_delete=models.CASCADE, related_name="receipt")
    kind = models.CharField(max_length=4, choices=[("pdf", "PDF"), ("jpeg", "JPEG"), ("png", "PNG")])
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    data = models.BinaryField()

    CONTENT_TYPES = {"pdf": "application/pdf", "jpeg": "image/jpeg", "png": "image/png"}

    @property
    def content_type(self) -> str:
        return self.CONTENT_TYPES[self.kind]


class MonthlyStatement(PublicIdModel):
    """A key person's approved statement of a month (maandoverzicht): the amounts are frozen at
    approval, so a later change of rates or limits never changes what was paid."""

    key_person = models.ForeignKey(KeyPerson, on_delete=models.PROTECT, related_name="statements")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    month = models.DateField(_("month"))
    volunteer_hours = models.DecimalField(_("volunteer hours"), **HOURS)
    volunteer_amount = models.DecimalField(_("volunteer allowance"), **TOTAL)
    paid_hours = models.DecimalField(_("paid hours"), **HOURS)
    paid_amount = models.DecimalField(_("pay for paid hours"), **TOTAL)
    expenses = models.DecimalField(_("expenses"), **TOTAL)
    total = models.DecimalField(_("total"), **TOTAL)
    declared_elsewhere = models.DecimalField(_("allowances from other organisations"), **TOTAL)
    #: The limit warnings at approval: [{"kind", "limit", "amount", "excess"}].
    warnings = models.JSONField(default=list, blank=True)
    approved_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    approved_at = models.DateTimeField(_("approved at"))

    class Meta:
        ordering = ["month", "key_person__full_name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["key_person", "month"], name="statement_once_a_month"),
            models.CheckConstraint(condition=models.Q(month__day=1), name="statement_whole_month"),
        ]
        verbose_name = _("monthly statement")
        verbose_name_plural = _("monthly statements")

    def __str__(self) -> str:
        return f"{self.key_person} · {self.month:%Y-%m}"


class LineKind(models.TextChoices):
    VOLUNTEER = "volunteer", _("Volunteer allowance")
    PAID = "paid", _("Paid hours")


class StatementLine(models.Model):
    """One approved activity report on a statement, with the rate it was paid at. A report is on
    one statement at most (the database says so): nothing is paid twice."""

    statement = models.ForeignKey(MonthlyStatement, on_delete=models.CASCADE, related_name="lines")
    report = models.OneToOneField(
        "deployments.ActivityReport", on_delete=models.SET_NULL, null=True, blank=True, related_name="statement_line"
    )
    kind = models.CharField(max_length=10, choices=LineKind.choices)
    date = models.DateField()
    hours = models.DecimalField(max_digits=4, decimal_places=1)
    rate = models.DecimalField(max_digits=7, decimal_places=2)
    amount = models.DecimalField(**TOTAL)

    class Meta:
        ordering = ["statement", "date", "id"]
