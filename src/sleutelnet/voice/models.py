"""Signals (signalen) and consultations (adviesvragen, klankbord): the voice of newcomers in policy.

Both are about groups, never named individuals: a signal names a community or language group and
roughly how many people; free text is checked like every note (core.sensitive).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from sleutelnet.core.models import Municipality, Organisation, PublicIdModel, Region, User
from sleutelnet.people.models import KeyPerson, KeyPersonRole, Language, LifeDomain


class SignalStatus(models.TextChoices):
    NEW = "new", _("New")
    TRIAGE = "triage", _("In triage")
    ROUTED = "routed", _("Routed")
    IN_PROGRESS = "in_progress", _("In progress")
    ANSWERED = "answered", _("Answered")
    CLOSED = "closed", _("Closed")


#: States in which the signal waits for its owner.
OPEN_FOR_OWNER = (SignalStatus.ROUTED, SignalStatus.IN_PROGRESS)


class PeopleAffected(models.TextChoices):
    FEW = "few", _("A few (1 to 5)")
    SOME = "some", _("A group (6 to 20)")
    MANY = "many", _("Many (21 to 100)")
    VERY_MANY = "very_many", _("Very many (more than 100)")


class SignalUrgency(models.TextChoices):
    LOW = "low", _("Can wait")
    NORMAL = "normal", _("Normal")
    HIGH = "high", _("Urgent")


class Signal(PublicIdModel):
    """A signal (signaal): what a key person or coordinator notices in a community, for policy."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="signals")
    raised_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="signals_raised")
    theme = models.CharField(_("theme"), max_length=200)
    description = models.TextField(_("what was noticed"), max_length=4000)
    life_domains = models.ManyToManyField(LifeDomain, blank=True, related_name="+", verbose_name=_("life domains"))
    community = models.CharField(_("community or language group"), max_length=200)
    language = models.ForeignKey(
        Language, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("language group")
    )
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="signals", verbose_name=_("municipality"))
    people_affected = models.CharField(_("how many people"), max_length=16, choices=PeopleAffected.choices)
    urgency = models.CharField(_("urgency"), max_length=8, choices=SignalUrgency.choices, default=SignalUrgency.NORMAL)
    distressing = models.BooleanField(_("distressing for the person who raised it"), default=False)
    status = models.CharField(_("status"), max_length=16, choices=SignalStatus.choices, default=SignalStatus.NEW)
    #: A duplicate points at the signal it was merged into; it follows that one from then on.
    merged_into = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="duplicates")
    owner_user = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="signals_owned", verbose_name=_("owner")
    )
    owner_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="signals_owned",
        verbose_name=_("owning organisation"),
    )
    deadline = models.DateField(_("answer before"), null=True, blank=True)
    routed_at = models.DateTimeField(_("routed at"), null=True, blank=True)
    answer = models.TextField(_("answer"), max_length=4000, blank=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    first_answered_at = models.DateTimeField(_("first answered at"), null=True, blank=True)
    answered_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    published = models.BooleanField(_("shown on 'You said, we did'"), default=False)
    reopened = models.PositiveSmallIntegerField(_("times reopened"), default=0)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["region", "status"]), models.Index(fields=["region", "created_at"])]
        verbose_name = _("signal")
        verbose_name_plural = _("signals")

    def __str__(self) -> str:
        return self.theme


class SignalEvent(models.Model):
    """One step in a signal's life: who did what, when, with an optional text (a reason, an answer)."""

    signal = models.ForeignKey(Signal, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField()
    actor = models.ForeignKey(User, on_delete=models.PROTECT, null=True, related_name="+")
    status = models.CharField(max_length=16, choices=SignalStatus.choices)
    kind = models.CharField(max_length=24)
    text = models.TextField(max_length=4000, blank=True)

    class Meta:
        ordering = ["at", "id"]


class ConsultationStatus(models.TextChoices):
    OPEN = "open", _("Open for answers")
    CLOSED = "closed", _("Closed: being summarised")
    PUBLISHED = "published", _("Outcome shared")


class ConsultationKind(models.TextChoices):
    WRITTEN = "written", _("Written advice")
    MEETING = "meeting", _("Sounding-board meeting")


class Consultation(PublicIdModel):
    """A consultation (adviesvraag): a question or a draft text for key persons to advise on,
    in writing or at a sounding-board meeting (klankbord)."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="consultations")
    asked_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="consultations_asked")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="consultations",
        verbose_name=_("for organisation"),
    )
    kind = models.CharField(_("kind"), max_length=8, choices=ConsultationKind.choices, default=ConsultationKind.WRITTEN)
    title = models.CharField(_("title"), max_length=200)
    question = models.TextField(_("question"), max_length=4000)
    draft_text = models.TextField(_("draft text"), max_length=20000, blank=True)
    deadline = models.DateField(_("answers before"))
    languages = models.ManyToManyField(Language, blank=True, related_name="+", verbose_name=_("key persons who speak"))
    roles = models.ManyToManyField(KeyPersonRole, blank=True, related_name="+", verbose_name=_("key persons with the role"))
    key_persons = models.ManyToManyField(KeyPerson, blank=True, related_name="consultations", verbose_name=_("key persons by name"))
    meeting_at = models.DateTimeField(_("meeting at"), null=True, blank=True)
    meeting_place = models.CharField(_("meeting place"), max_length=200, blank=True)
    attendees = models.ManyToManyField(KeyPerson, blank=True, related_name="meetings_attended", verbose_name=_("attendees"))
    minutes = models.TextField(_("minutes"), max_length=20000, blank=True)
    meeting_hours = models.DecimalField(_("meeting hours"), max_digits=4, decimal_places=1, null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=ConsultationStatus.choices, default=ConsultationStatus.OPEN)
    summary = models.TextField(_("summary"), max_length=8000, blank=True)
    revised_text = models.TextField(_("new text"), max_length=20000, blank=True)
    published_at = models.DateTimeField(_("outcome shared at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")

    def __str__(self) -> str:
        return self.title

    def paragraphs(self) -> list[str]:
        """The draft text cut at blank lines: key persons may answer per paragraph."""
        return [p.strip() for p in self.draft_text.replace("\r\n", "\n").split("\n\n") if p.strip()]


class ConsultationAnswer(PublicIdModel):
    """A key person's written advice, on the whole or on one paragraph of the draft."""

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="answers")
    key_person = models.ForeignKey(KeyPerson, on_delete=models.PROTECT, null=True, related_name="consultation_answers")
    paragraph = models.PositiveSmallIntegerField(_("paragraph"), null=True, blank=True)
    text = models.TextField(_("advice"), max_length=4000)
    hours = models.DecimalField(_("hours spent"), max_digits=3, decimal_places=1, default=0)
    submitted_at = models.DateTimeField(_("sent at"))

    class Meta:
        ordering = ["paragraph", "submitted_at"]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")


class Adoption(models.TextChoices):
    ADOPTED = "adopted", _("Adopted")
    PARTLY = "partly", _("Partly adopted")
    NOT_ADOPTED = "not_adopted", _("Not adopted")


class AdvicePoint(models.Model):
    """One point of advice, and what the asker did with it."""

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="advice_points")
    text = models.CharField(_("advice point"), max_length=1000)
    adoption = models.CharField(_("what was done with it"), max_length=12, choices=Adoption.choices)
    change = models.CharField(_("what changed, or why not"), max_length=2000, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("advice point")
        verbose_name_plural = _("advice points")
