"""Care for the key persons themselves: onboarding, agreements, trainings, check-ins and the
experience statement. Allowances, claims and statements live in `allowances`."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from sleutelnet.core.models import PublicIdModel, Region, User
from sleutelnet.people.models import KeyPerson


class Step(models.TextChoices):
    """The onboarding pipeline from candidate to active, in order."""

    INTAKE = "intake", _("Intake conversation")
    BASIC_TRAINING = "basic_training", _("Basic training")
    VOG = "vog", _("VOG received")
    AGREEMENT = "agreement", _("Agreement signed")
    CONFIDENTIALITY = "confidentiality", _("Confidentiality signed")


STEPS: tuple[str, ...] = tuple(Step.values)


class OnboardingStep(models.Model):
    """One step of a key person's onboarding: when it was done and by whom."""

    key_person = models.ForeignKey(KeyPerson, on_delete=models.CASCADE, related_name="onboarding_steps")
    step = models.CharField(_("step"), max_length=20, choices=Step.choices)
    done_on = models.DateField(_("done on"))
    done_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["key_person", "step"], name="onboarding_step_once")]
        ordering = ["key_person", "done_on"]


class AgreementKind(models.TextChoices):
    VOLUNTEER = "volunteer", _("Volunteer agreement")
    EMPLOYMENT = "employment", _("Employment")
    FREELANCE = "freelance", _("Freelance")


class Agreement(models.Model):
    """The basis a key person works on. Paid key persons (employment, freelance) have an hourly
    rate and fall outside the tax-free volunteer limits."""

    key_person = models.ForeignKey(KeyPerson, on_delete=models.CASCADE, related_name="agreements")
    kind = models.CharField(_("kind"), max_length=16, choices=AgreementKind.choices)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"), null=True, blank=True)
    hourly_rate = models.DecimalField(
        _("hourly rate"), max_digits=7, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(Decimal(0))]
    )
    signed_on = models.DateField(_("signed on"))
    confidentiality_signed_on = models.DateField(_("confidentiality signed on"), null=True, blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["key_person", "-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True) | models.Q(ends_on__gte=models.F("starts_on")),
                name="agreement_period",
            ),
        ]

    @property
    def paid(self) -> bool:
        return self.kind != AgreementKind.VOLUNTEER

    def valid_on(self, day: dt.date) -> bool:
        return self.starts_on <= day and (self.ends_on is None or day <= self.ends_on)


class CourseKind(models.TextChoices):
    BASIC = "basic", _("Basic training")
    HEALTH = "health", _("Health track")
    LIVED_EXPERIENCE = "lived_experience", _("Using lived experience")
    INTERVISION = "intervision", _("Peer meeting (intervision)")
    OTHER = "other", _("Other")


class Course(PublicIdModel):
    """A training (e.g. the three-day basic training) or a series of peer meetings."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="courses")
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=CourseKind.choices)
    days = models.PositiveSmallIntegerField(_("days"), default=1)
    #: Months a certificate of this course stays valid; empty: no certificate, or it does not expire.
    certificate_months = models.PositiveSmallIntegerField(_("certificate valid (months)"), null=True, blank=True)
    gives_certificate = models.BooleanField(_("gives a certificate"), default=True)

    class Meta:
        ordering = ["region", "name"]

    def __str__(self) -> str:
        return self.name


class TrainingSession(PublicIdModel):
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="sessions")
    starts_at = models.DateTimeField(_("starts at"))
    place = models.CharField(_("place"), max_length=200, blank=True)

    class Meta:
        ordering = ["-starts_at"]


class Attendance(models.Model):
    session = models.ForeignKey(TrainingSession, on_delete=models.CASCADE, related_name="attendance")
    key_person = models.ForeignKey(KeyPerson, on_delete=models.CASCADE, related_name="attendance")
    attended = models.BooleanField(_("attended"), default=True)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["session", "key_person"], name="attendance_once")]


class Certificate(models.Model):
    key_person = models.ForeignKey(KeyPerson, on_delete=models.CASCADE, related_name="certificates")
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="certificates")
    issued_on = models.DateField(_("issued on"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    issued_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["key_person", "-issued_on"]

    def valid_on(self, day: dt.date) -> bool:
        return self.issued_on <= day and (self.valid_until is None or day <= self.valid_until)


class CheckInReason(models.TextChoices):
    HEAVY_ASSIGNMENT = "heavy_assignment", _("After a heavy assignment")
    DISTRESSING_SIGNAL = "distressing_signal", _("After a distressing signal")
    WORKLOAD = "workload", _("Workload")
    REGULAR = "regular", _("Regular conversation")


class CheckIn(models.Model):
    """A check-in conversation with a key person: when and by whom. No content is required."""

    key_person = models.ForeignKey(KeyPerson, on_delete=models.CASCADE, related_name="check_ins")
    on = models.DateField(_("date"))
    by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("reason"), max_length=20, choices=CheckInReason.choices)
    note = models.CharField(_("note (optional)"), max_length=300, blank=True)

    class Meta:
        ordering = ["key_person", "-on"]


class VogReminder(models.Model):
    """A VOG reminder sent, so each one goes out once per VOG and moment."""

    key_person = models.ForeignKey(KeyPerson, on_delete=models.CASCADE, related_name="+")
    valid_until = models.DateField()
    days_before = models.PositiveSmallIntegerField()
    sent_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["key_person", "valid_until", "days_before"], name="vog_reminder_once")
        ]


class ExperienceStatement(models.Model):
    """An experience statement (ervaringsverklaring) signed off by a coordinator: a snapshot of
    roles, hours, life domains, languages and trainings, to show when applying for paid work."""

    key_person = models.ForeignKey(KeyPerson, on_delete=models.CASCADE, related_name="experience_statements")
    signed_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    signed_on = models.DateField(_("signed on"))
    content = models.JSONField(default=dict)

    class Meta:
        ordering = ["key_person", "-signed_on"]
