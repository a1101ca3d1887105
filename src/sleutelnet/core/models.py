"""Regions (tenants), municipalities, organisations, users and their roles."""

from __future__ import annotations

import uuid

from django.contrib.auth.models import AbstractUser
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class PublicIdModel(models.Model):
    """Base for records shown outside: a UUID is the public identifier, never the row id."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class Region(PublicIdModel):
    """A region (regio / samenwerkingsverband): municipalities that share key persons; the tenant."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    matching_weights = models.JSONField(
        _("matching weights"),
        default=dict,
        blank=True,
        help_text=_(
            "Overrides of the matching weights for this region, e.g. {\"per_role\": 15}. "
            "Terms left out keep their default (see docs/matching.md)."
        ),
    )
    vog_valid_years = models.PositiveSmallIntegerField(
        _("VOG valid for (years)"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
        help_text=_("A VOG counts as valid this many years after it was issued."),
    )
    small_count_threshold = models.PositiveSmallIntegerField(
        _("smallest count shown"),
        default=5,
        validators=[MinValueValidator(2), MaxValueValidator(20)],
        help_text=_(
            "Counts from 1 up to this number minus one are shown as \"<5\" to policy officers and in exports, "
            "so nobody can be recognised in a figure."
        ),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        """Refuse weights the engine would refuse, naming the term."""
        from django.core.exceptions import ValidationError

        from sleutelnet.matching.engine import Weights, WeightsError

        try:
            Weights.from_dict(self.matching_weights or {})
        except WeightsError as exc:
            raise ValidationError({"matching_weights": str(exc)}) from exc


class Municipality(PublicIdModel):
    """A municipality (gemeente), identified by its CBS code such as GM0222."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="municipalities")
    name = models.CharField(_("name"), max_length=200)
    cbs_code = models.CharField(
        _("CBS code"),
        max_length=6,
        unique=True,
        validators=[RegexValidator(r"^GM\d{4}$", _("A CBS code looks like GM0222."))],
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")

    def __str__(self) -> str:
        return self.name


class OrganisationKind(models.TextChoices):
    MUNICIPALITY = "municipality", _("Municipality")
    REFUGEE_COUNCIL = "vluchtelingenwerk", _("VluchtelingenWerk")
    COA = "coa", _("COA")
    GGD = "ggd", _("GGD")
    SCHOOL = "school", _("School")
    GP_PRACTICE = "gp_practice", _("GP practice")
    HOUSING = "housing_corporation", _("Housing corporation")
    UWV = "uwv", _("UWV")
    LANGUAGE_SCHOOL = "language_school", _("Language school")
    EMPLOYER = "employer", _("Employer")
    WELFARE = "welfare", _("Welfare organisation")
    OTHER = "other", _("Other")


class Organisation(PublicIdModel):
    """A municipality department or a partner organisation (ketenpartner) that files requests."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="organisations")
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=32, choices=OrganisationKind.choices)
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, null=True, blank=True, related_name="organisations"
    )
    #: The region's own reference (from its spreadsheet); imports match rows on it.
    external_ref = models.CharField(_("reference"), max_length=64, blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["region", "name"], name="organisation_unique_name"),
            models.UniqueConstraint(
                fields=["region", "external_ref"], condition=~models.Q(external_ref=""), name="organisation_unique_external_ref"
            ),
        ]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A person who logs in. What they may do comes from their memberships."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    #: Empty until the user picks one: then the browser's language decides (accounts.languages).
    preferred_language = models.CharField(_("interface language"), max_length=8, default="", blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class Role(models.TextChoices):
    COORDINATOR = "coordinator", _("Coordinator")
    REQUESTER = "requester", _("Requester")
    KEY_PERSON = "key_person", _("Key person")
    POLICY_OFFICER = "policy_officer", _("Policy officer")
    PRIVACY_OFFICER = "privacy_officer", _("Privacy officer")
    ADMINISTRATOR = "administrator", _("Administrator")


class Membership(models.Model):
    """A user's role in one region; requesters also belong to one organisation."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, null=True, blank=True, related_name="memberships"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "region", "role"], name="membership_unique_role"),
            models.CheckConstraint(
                condition=~models.Q(role="requester") | models.Q(organisation__isnull=False),
                name="membership_requester_has_organisation",
            ),
        ]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.region}"


# --- the processing log and the audit log (see core/processing.py) ---------------------------


class AppendOnlyQuerySet(models.QuerySet):
    """Log rows are written once and never changed or removed by the application."""

    def update(self, **kwargs: object) -> int:
        raise PermissionError("The log is append-only.")

    def delete(self) -> tuple[int, dict[str, int]]:  # type: ignore[override]
        raise PermissionError("The log is append-only.")


class AppendOnlyModel(models.Model):
    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None and not self._state.adding:
            raise PermissionError("The log is append-only.")
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise PermissionError("The log is append-only.")


class ProcessingLogEntry(AppendOnlyModel):
    """One processing of one person's data (Logboek Dataverwerkingen): no actor, a pseudonym.

    The actor is in the audit log, joined by `operation_id`.
    """

    trace_id = models.CharField(max_length=32)
    operation_id = models.CharField(max_length=32)
    operation = models.CharField(_("operation"), max_length=16)
    started_at = models.DateTimeField(_("start"), db_index=True)
    ended_at = models.DateTimeField(_("end"))
    status = models.CharField(_("outcome"), max_length=8)
    processing_activity = models.CharField(_("processing activity"), max_length=64)
    subject_kind = models.CharField(_("kind of person"), max_length=16)
    subject = models.CharField(_("person (pseudonym)"), max_length=64)
    region_id = models.BigIntegerField(null=True, db_index=True)
    channel = models.CharField(_("channel"), max_length=16)

    class Meta:
        ordering = ["-started_at", "-id"]
        # Equality lookups only (a person's pseudonym, an operation): plain indexes, declared here
        # because `db_index=True` on a CharField also gets a LIKE index on PostgreSQL, which every
        # line written (a page writes one per person it shows) would pay for. Migration 0010.
        indexes = [
            models.Index(fields=["trace_id"], name="processing_trace_idx"),
            models.Index(fields=["operation_id"], name="processing_operation_idx"),
            models.Index(fields=["subject"], name="processing_subject_idx"),
        ]
        verbose_name = _("processing log line")
        verbose_name_plural = _("processing log")


class AuditLogEntry(AppendOnlyModel):
    """Who carried out an operation, from where, with which result: one entry per operation."""

    operation_id = models.CharField(max_length=32, unique=True)
    trace_id = models.CharField(max_length=32)
    at = models.DateTimeField(_("start"), db_index=True)
    ended_at = models.DateTimeField(_("end"))
    actor_id = models.BigIntegerField(null=True, db_index=True)
    actor = models.CharField(_("who"), max_length=150, blank=True)
    actor_roles = models.CharField(_("roles"), max_length=200, blank=True)
    channel = models.CharField(_("channel"), max_length=16)
    view = models.CharField(_("page or endpoint"), max_length=200, blank=True)
    method = models.CharField(max_length=10, blank=True)
    route = models.CharField(_("address pattern"), max_length=500, blank=True)
    status_code = models.PositiveSmallIntegerField(null=True)
    outcome = models.CharField(_("outcome"), max_length=8)
    subjects = models.PositiveIntegerField(_("persons concerned"), default=0)
    regions = models.CharField(max_length=500, default=",")
    origin = models.CharField(_("origin"), max_length=64, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("audit log entry")
        verbose_name_plural = _("audit log")
