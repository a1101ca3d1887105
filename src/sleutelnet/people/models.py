"""Key persons (sleutelpersonen), newcomers (inburgeraars) and the vocabularies they use."""

from __future__ import annotations

import datetime as dt

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from sleutelnet.core.models import Municipality, PublicIdModel, Region, User


class VocabularyTerm(models.Model):
    """A term of a fixed vocabulary, valid for a period (so the list can change without losing history)."""

    code = models.SlugField(max_length=40, unique=True)
    label = models.CharField(max_length=100)
    position = models.PositiveSmallIntegerField(default=0)
    valid_from = models.DateField(default=dt.date(2020, 1, 1))
    valid_until = models.DateField(null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["position"]

    def __str__(self) -> str:
        return str(_(self.label))


class KeyPersonRole(VocabularyTerm):
    """One of the seven roles of a key person (rol), e.g. translator or trust builder."""

    class Meta(VocabularyTerm.Meta):
        verbose_name = _("role")
        verbose_name_plural = _("roles")


class LifeDomain(VocabularyTerm):
    """A life domain (leefgebied), e.g. health, housing or work."""

    class Meta(VocabularyTerm.Meta):
        verbose_name = _("life domain")
        verbose_name_plural = _("life domains")


class Language(models.Model):
    """A language (taal), with an optional variant such as a dialect, its own name and direction."""

    code = models.CharField(_("code"), max_length=8, help_text=_("ISO 639-1, or 639-3 when there is none"))
    variant = models.CharField(_("variant"), max_length=40, blank=True)
    name = models.CharField(_("name"), max_length=100)
    native_name = models.CharField(_("native name"), max_length=100)
    direction = models.CharField(_("text direction"), max_length=3, choices=[("ltr", "ltr"), ("rtl", "rtl")])

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["code", "variant"], name="language_unique_code_variant")]
        verbose_name = _("language")
        verbose_name_plural = _("languages")

    def __str__(self) -> str:
        return str(_(self.name))

    @property
    def tag(self) -> str:
        """Code plus variant, e.g. 'ar-syrian': what the API and the matching engine use."""
        return f"{self.code}-{self.variant}" if self.variant else self.code


class KeyPersonStatus(models.TextChoices):
    CANDIDATE = "candidate", _("Candidate")
    ACTIVE = "active", _("Active")
    PAUSED = "paused", _("Paused")
    STOPPED = "stopped", _("Stopped")


class Gender(models.TextChoices):
    FEMALE = "f", _("Woman")
    MALE = "m", _("Man")
    OTHER = "x", _("Other")


class KeyPerson(PublicIdModel):
    """A key person (sleutelpersoon): trusted in their community, bridges newcomers and institutions."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="key_persons")
    user = models.OneToOneField(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="key_person"
    )
    full_name = models.CharField(_("name"), max_length=200)
    #: The region's own reference (from its spreadsheet); imports match rows on it.
    external_ref = models.CharField(_("reference"), max_length=64, blank=True)
    email = models.EmailField(_("e-mail address"), blank=True)
    phone = models.CharField(_("phone number"), max_length=32, blank=True)
    ui_language = models.CharField(_("interface language"), max_length=8, default="nl")
    communication_language = models.ForeignKey(
        Language,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("preferred language for contact"),
    )
    roles = models.ManyToManyField(KeyPersonRole, blank=True, verbose_name=_("roles"))
    life_domains = models.ManyToManyField(LifeDomain, blank=True, verbose_name=_("life domains"))
    municipalities = models.ManyToManyField(
        Municipality, blank=True, related_name="key_persons", verbose_name=_("municipalities served")
    )
    capacity_hours_per_month = models.DecimalField(
        _("capacity (hours per month)"),
        max_digits=5,
        decimal_places=1,
        default=16,
        validators=[MinValueValidator(0), MaxValueValidator(200)],
    )
    status = models.CharField(
        _("status"), max_length=16, choices=KeyPersonStatus.choices, default=KeyPersonStatus.CANDIDATE
    )
    vog_issued_on = models.DateField(_("VOG issued on"), null=True, blank=True)
    vog_valid_until = models.DateField(_("VOG valid until"), null=True, blank=True)
    #: Only for the allowance limit per hour, which is lower below 21.
    born_on = models.DateField(_("date of birth"), null=True, blank=True, help_text=_("Only for the allowance limit: it is lower below 21."))
    #: A pause the key person took themselves (they may end it); the worker ends it after this day.
    paused_by_self = models.BooleanField(_("paused by the key person"), default=False)
    paused_until = models.DateField(_("paused until"), null=True, blank=True)
    gender = models.CharField(_("gender (self-described)"), max_length=1, choices=Gender.choices, blank=True)
    #: Set when retention or erasure removed who this was; the record stays for the figures.
    anonymised_at = models.DateTimeField(_("anonymised at"), null=True, blank=True)

    class Meta:
        ordering = ["full_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "external_ref"], condition=~models.Q(external_ref=""), name="key_person_unique_external_ref"
            )
        ]
        verbose_name = _("key person")
        verbose_name_plural = _("key persons")

    def __str__(self) -> str:
        return self.full_name

    def vog_valid_on(self, day: dt.date) -> bool:
        """Whether the VOG (certificate of conduct) is still valid on `day`."""
        return self.vog_valid_until is not None and self.vog_valid_until >= day


class KeyPersonLanguage(models.Model):
    """A language a key person speaks, with a level from 1 (a little) to 5 (native)."""

    key_person = models.ForeignKey(KeyPerson, on_delete=models.CASCADE, related_name="languages")
    language = models.ForeignKey(Language, on_delete=models.PROTECT, related_name="+")
    level = models.PositiveSmallIntegerField(
        _("level"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )

    class Meta:
        ordering = ["-level", "language__name"]
        constraints = [
            models.UniqueConstraint(fields=["key_person", "language"], name="kp_language_unique"),
            models.CheckConstraint(condition=models.Q(level__gte=1, level__lte=5), name="kp_language_level_1_5"),
        ]


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class WeeklyAvailability(models.Model):
    """A recurring weekly window in which a key person can be deployed (local time)."""

    key_person = models.ForeignKey(KeyPerson, on_delete=models.CASCADE, related_name="availability")
    weekday = models.PositiveSmallIntegerField(_("day"), choices=Weekday.choices)
    start_time = models.TimeField(_("from"))
    end_time = models.TimeField(_("until"))

    class Meta:
        ordering = ["weekday", "start_time"]
        constraints = [
            models.CheckConstraint(condition=models.Q(end_time__gt=models.F("start_time")), name="availability_positive"),
        ]


class AvailabilityException(models.Model):
    """A period in which a key person is not available (holiday, illness, exams)."""

    key_person = models.ForeignKey(KeyPerson, on_delete=models.CASCADE, related_name="unavailable")
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta:
        ordering = ["starts_on"]
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_on__gte=models.F("starts_on")), name="exception_positive"),
        ]


class DutchLevel(models.TextChoices):
    NONE = "none", _("None")
    A0 = "a0", _("A0 (beginner)")
    A1 = "a1", "A1"
    A2 = "a2", "A2"
    B1 = "b1", "B1"
    B2 = "b2", _("B2 or higher")


class LearningRoute(models.TextChoices):
    B1 = "b1", _("B1 route")
    EDUCATION = "education", _("Education route")
    Z = "z", _("Z route (self-reliance)")
    UNKNOWN = "unknown", _("Not yet known")


class ConsentMethod(models.TextChoices):
    PAPER = "paper", _("Signed form")
    VERBAL = "verbal", _("Verbal, noted by a professional")
    DIGITAL = "digital", _("Digital")


class Newcomer(PublicIdModel):
    """A newcomer (inburgeraar / statushouder), pseudonymous: a reference and first name, never a BSN."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="newcomers")
    reference = models.CharField(
        _("reference"), max_length=40, help_text=_("A reference chosen by the municipality. Never a BSN.")
    )
    display_name = models.CharField(_("first name or initials"), max_length=80)
    languages = models.ManyToManyField(Language, blank=True, related_name="+", verbose_name=_("languages"))
    dutch_level = models.CharField(_("Dutch level"), max_length=8, choices=DutchLevel.choices, default=DutchLevel.NONE)
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="newcomers", verbose_name=_("municipality")
    )
    learning_route = models.CharField(
        _("learning route"), max_length=16, choices=LearningRoute.choices, default=LearningRoute.UNKNOWN
    )
    phone = models.CharField(
        _("phone number"), max_length=32, blank=True,
        help_text=_("Only when the newcomer gave it. A key person sees it only with consent to share it."),
    )
    email = models.EmailField(
        _("e-mail address"), blank=True,
        help_text=_("Only when the newcomer gave it. A key person sees it only with consent to share it."),
    )
    excluded_key_persons = models.ManyToManyField(
        KeyPerson,
        blank=True,
        related_name="excluded_for_newcomers",
        verbose_name=_("key persons never to offer"),
        help_text=_("Family, neighbours or a conflict: these key persons are never offered for this newcomer."),
    )

    class Meta:
        ordering = ["reference"]
        constraints = [models.UniqueConstraint(fields=["region", "reference"], name="newcomer_unique_reference")]
        verbose_name = _("newcomer")
        verbose_name_plural = _("newcomers")

    def __str__(self) -> str:
        return f"{self.display_name} ({self.reference})"

    @property
    def has_consent(self) -> bool:
        """Whether the newcomer agreed to support by a key person, today (consents prefetched or not)."""
        return self.consent_for(ConsentPurpose.KEY_PERSON_SUPPORT) is not None

    def consent_for(self, purpose: str, *, request_id: int | None = None, on: dt.date | None = None) -> Consent | None:
        """The consent for `purpose` that holds on `on` (today), for `request_id` when it is tied to one.

        Uses the prefetched `consents` when they were prefetched (no query per row on list pages).
        """
        from sleutelnet.core import clock

        day = on or clock.today()
        for consent in self.consents.all():
            if consent.purpose == purpose and consent.holds_on(day) and consent.request_id in (None, request_id):
                return consent
        return None


class ConsentPurpose(models.TextChoices):
    KEY_PERSON_SUPPORT = "key_person_support", _("Support by a key person")
    SHARE_CONTACT = "share_contact", _("Share contact details with the key person")


class Consent(PublicIdModel):
    """Consent (toestemming) of a newcomer, as given and recorded; withdrawn, never deleted.

    Support by a key person needs it before any offer. Sharing contact details with the key
    person needs its own consent, for every request or for one.
    """

    newcomer = models.ForeignKey(Newcomer, on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(_("consent for"), max_length=32, choices=ConsentPurpose.choices)
    request = models.ForeignKey(
        "deployments.Request",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="consents",
        verbose_name=_("only for the request"),
    )
    given_on = models.DateField(_("given on"))
    method = models.CharField(_("given as"), max_length=16, choices=ConsentMethod.choices)
    scope = models.CharField(_("what it covers"), max_length=300)
    text_version = models.CharField(
        _("version of the consent text"), max_length=40, blank=True,
        help_text=_("The form or text the newcomer agreed to, e.g. 'toestemming 2026-01'."),
    )
    recorded_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("recorded by")
    )
    recorded_at = models.DateTimeField(_("recorded at"))
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("withdrawal recorded by")
    )
    withdrawal_note = models.CharField(_("note on the withdrawal"), max_length=500, blank=True)

    class Meta:
        ordering = ["-given_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(withdrawn_on__isnull=True) | models.Q(withdrawn_on__gte=models.F("given_on")),
                name="consent_withdrawn_after_given",
            ),
        ]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} · {self.given_on}"

    def holds_on(self, day: dt.date) -> bool:
        return self.given_on <= day and (self.withdrawn_on is None or self.withdrawn_on > day)

    @property
    def is_active(self) -> bool:
        from sleutelnet.core import clock

        return self.holds_on(clock.today())
