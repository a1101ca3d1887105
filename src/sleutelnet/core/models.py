"""Regions (tenants), municipalities, organisations, users and their roles."""

from __future__ import annotations

import uuid

from django.contrib.auth.models import AbstractUser
from django.core.validators import RegexValidator
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

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["region", "name"], name="organisation_unique_name")]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A person who logs in. What they may do comes from their memberships."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    preferred_language = models.CharField(_("interface language"), max_length=8, default="nl")

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
