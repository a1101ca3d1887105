"""Requests (inzetverzoeken), assignments (inzet) and activity reports (verslagen)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from sleutelnet.core.models import Municipality, Organisation, PublicIdModel, Region, User
from sleutelnet.people.models import (
    Gender,
    KeyPerson,
    KeyPersonRole,
    Language,
    LifeDomain,
    Newcomer,
)


class RequestKind(models.TextChoices):
    INDIVIDUAL_SUPPORT = "individual_support", _("Individual support")
    GROUP_SESSION = "group_session", _("Group session")
    OUTREACH = "outreach", _("Outreach")
    DOCUMENT_REVIEW = "document_review", _("Document review")
    CONSULTATION = "consultation", _("Consultation")
    ACCOMPANIMENT = "accompaniment", _("Accompaniment")
    MEDIATION = "mediation", _("Mediation")


class ChainLink(models.TextChoices):
    """The link of the integration chain (inburgeringsketen) a request serves."""

    RECEPTION = "reception", _("Reception (COA, azc)")
    INTAKE = "intake", _("Broad intake and PIP")
    EXECUTION = "execution", _("Carrying out the PIP")
    COMPLETION = "completion", _("Completion")


class Urgency(models.IntegerChoices):
    LOW = 1, _("Low")
    NORMAL = 2, _("Normal")
    URGENT = 3, _("Urgent")


class RequestStatus(models.TextChoices):
    OPEN = "open", _("Open")
    FILLED = "filled", _("Key persons confirmed")
    CLOSED = "closed", _("Closed")
    CANCELLED = "cancelled", _("Cancelled")


class Request(PublicIdModel):
    """A request (inzetverzoek): an organisation asks for one or more key persons."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="requests")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="requests")
    requested_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="requests_filed")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("what is needed"), max_length=4000, blank=True)
    kind = models.CharField(_("kind"), max_length=32, choices=RequestKind.choices)
    language = models.ForeignKey(Language, on_delete=models.PROTECT, related_name="+", verbose_name=_("language"))
    roles = models.ManyToManyField(KeyPersonRole, related_name="+", verbose_name=_("roles needed"))
    life_domains = models.ManyToManyField(LifeDomain, blank=True, related_name="+", verbose_name=_("life domains"))
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="requests")
    place = models.CharField(_("place"), max_length=200)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    chain_link = models.CharField(_("link in the integration chain"), max_length=16, choices=ChainLink.choices)
    key_persons_needed = models.PositiveSmallIntegerField(
        _("number of key persons"), default=1, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    gender_preference = models.CharField(_("preferred gender"), max_length=1, choices=Gender.choices, blank=True)
    gender_required = models.BooleanField(_("gender is required"), default=False)
    requires_vog = models.BooleanField(_("VOG required"), default=False)
    urgency = models.PositiveSmallIntegerField(_("urgency"), choices=Urgency.choices, default=Urgency.NORMAL)
    newcomer = models.ForeignKey(
        Newcomer, on_delete=models.PROTECT, null=True, blank=True, related_name="requests", verbose_name=_("newcomer")
    )
    needs_certified_interpreter = models.BooleanField(
        _("a certified interpreter is needed"),
        default=False,
        help_text=_("Medical, legal and child-protection conversations need a certified interpreter."),
    )
    participants_expected = models.PositiveIntegerField(_("expected participants"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=RequestStatus.choices, default=RequestStatus.OPEN)
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=500, blank=True)
    #: Set when retention or erasure took the free text and the links to persons away.
    anonymised_at = models.DateTimeField(_("anonymised at"), null=True, blank=True)
    #: For a past activity brought in from a spreadsheet: the region's reference of that row.
    external_ref = models.CharField(_("reference"), max_length=64, blank=True)

    class Meta:
        ordering = ["starts_at", "id"]
        indexes = [
            models.Index(fields=["region", "status", "starts_at"]),
            # A page of a list in the default order (the API, the requester's list): without
            # these, every request of a big organisation or region is read and sorted (bench/load.py).
            models.Index(fields=["organisation", "starts_at", "id"], name="request_org_starts_idx"),
            models.Index(fields=["region", "starts_at", "id"], name="request_region_starts_idx"),
            # What overlaps a month from now on (the candidates' planned hours): few requests end
            # after the start of the current month, against every request a key person ever had.
            models.Index(fields=["ends_at"], name="request_ends_idx"),
            # The same for one region (the candidates of a request: its region's key persons).
            models.Index(fields=["region", "ends_at"], include=["starts_at"], name="request_region_ends_idx"),
            # The requests of a region by id with their times, from the index alone: joined with
            # the current assignments (the coordinator's today counts) without reading the table.
            models.Index(fields=["region", "id"], include=["starts_at", "ends_at"], name="request_region_id_cover_idx"),
            # A request's municipality, region and times by its id without reading the table: the month's
            # reports of one municipality (the figures) and the region checks of current assignments.
            models.Index(fields=["id"], include=["municipality", "region", "starts_at", "ends_at"], name="request_id_times_cover_idx"),
            # The requests a municipality received in a month (the figures' recomputation).
            models.Index(fields=["municipality", "created_at"], name="request_muni_created_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_at__gt=models.F("starts_at")), name="request_positive_duration"),
            models.UniqueConstraint(
                fields=["region", "external_ref"], condition=~models.Q(external_ref=""), name="request_unique_external_ref"
            ),
        ]
        verbose_name = _("request")
        verbose_name_plural = _("requests")

    def __str__(self) -> str:
        return self.title

    @property
    def hours(self) -> Decimal:
        """Planned duration in hours."""
        return Decimal((self.ends_at - self.starts_at).total_seconds() / 3600).quantize(Decimal("0.1"))


class AssignmentStatus(models.TextChoices):
    OFFERED = "offered", _("Offered")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    REPORTED = "reported", _("Report filed")
    APPROVED = "approved", _("Approved")
    CANCELLED = "cancelled", _("Cancelled")


class DeclineReason(models.TextChoices):
    """The short list a key person picks from when saying no: one tap, and a note only for "other"."""

    NOT_AVAILABLE = "not_available", _("I am not free at that time")
    TOO_FAR = "too_far", _("It is too far for me")
    TOO_BUSY = "too_busy", _("I have too much to do now")
    NOT_SUITABLE = "not_suitable", _("This assignment does not suit me")
    PERSONAL = "personal", _("Personal reasons")
    OTHER = "other", _("Something else")


class ReportOutcome(models.TextChoices):
    """How an assignment went, in one tap (the note can say more)."""

    DONE = "done", _("It went well: done")
    PARTLY = "partly", _("Partly done")
    NO_SHOW = "no_show", _("The person did not come")
    OTHER = "other", _("Something else")


class ReportFollowUp(models.TextChoices):
    """Whether anything still needs doing after the assignment."""

    NONE = "none", _("No follow-up needed")
    KEY_PERSON = "key_person", _("I will do the follow-up")
    ORGANISATION = "organisation", _("The organisation does the follow-up")
    COORDINATOR = "coordinator", _("Please call me about it")


#: Assignments in these states hold the key person's time.
ACTIVE_ASSIGNMENT_STATES = (AssignmentStatus.OFFERED, AssignmentStatus.ACCEPTED, AssignmentStatus.REPORTED, AssignmentStatus.APPROVED)
#: The assignments still under way (their partial indexes: `assignment_current_*`).
CURRENT_ASSIGNMENT_STATES = (AssignmentStatus.OFFERED, AssignmentStatus.ACCEPTED, AssignmentStatus.REPORTED)
#: Assignments in these states count as "someone is coming".
CONFIRMED_ASSIGNMENT_STATES = (AssignmentStatus.ACCEPTED, AssignmentStatus.REPORTED, AssignmentStatus.APPROVED)


class Assignment(PublicIdModel):
    """An assignment (inzet): a key person offered to, and then working on, a request."""

    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="assignments")
    #: The request's region, copied when the assignment is saved (a request keeps its region): a
    #: region's current assignments come from one small index (today's counts, the approvals)
    #: instead of a join with every request the region ever had.
    region = models.ForeignKey(Region, on_delete=models.CASCADE, null=True, editable=False, related_name="+", db_index=False)
    #: Empty only after retention or erasure cut the link to the person (the figures stay).
    key_person = models.ForeignKey(KeyPerson, on_delete=models.PROTECT, null=True, related_name="assignments")
    status = models.CharField(_("status"), max_length=16, choices=AssignmentStatus.choices, default=AssignmentStatus.OFFERED)
    offered_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    offered_at = models.DateTimeField(_("offered at"))
    responded_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    match_reasons = models.JSONField(_("why this key person"), default=list, blank=True)
    decline_code = models.CharField(_("why declined"), max_length=16, choices=DeclineReason.choices, blank=True)
    decline_reason = models.CharField(_("reason for declining"), max_length=500, blank=True)
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=500, blank=True)
    review_comment = models.CharField(_("comment of the coordinator"), max_length=1000, blank=True)
    reminded_at = models.DateTimeField(_("reminder sent at"), null=True, blank=True)

    class Meta:
        ordering = ["request__starts_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["request", "key_person"],
                condition=~models.Q(status__in=["declined", "cancelled"]),
                name="assignment_one_live_per_key_person",
            )
        ]
        indexes = [
            # The current assignments (offered, accepted, reported: a few percent of them all), per
            # key person (the key-person list's count) and per status and request (the coordinator's
            # today counts, the approvals); partial, so they stay small.
            models.Index(
                fields=["key_person", "status"],
                condition=models.Q(status__in=["offered", "accepted", "reported"]),
                name="assignment_current_kp_idx",
            ),
            models.Index(
                fields=["status", "request"],
                include=["offered_at"],
                condition=models.Q(status__in=["offered", "accepted", "reported"]),
                name="assignment_current_status_idx",
            ),
            # A region's key persons' assignments by state and request, from the index alone (the
            # candidates' planned hours, load and continuity: matching.candidates_for).
            models.Index(fields=["key_person", "status", "request"], include=["id"], name="assignment_kp_status_req_idx"),
            # An assignment's state, request and key person by its id without reading the table (the
            # reports of a month joined to their assignments: the figures' recomputation).
            models.Index(fields=["id"], include=["status", "request", "key_person"], name="assignment_id_cover_idx"),
            # A region's current assignments by state (today's counts, the approvals).
            models.Index(
                fields=["region", "status"],
                include=["request", "offered_at"],
                condition=models.Q(status__in=["offered", "accepted", "reported"]),
                name="assignment_current_region_idx",
            ),
        ]
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")

    def __str__(self) -> str:
        return f"{self.key_person} · {self.request}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.region_id is None and self.request_id is not None:
            self.region_id = self.request.region_id
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "region"}
        super().save(*args, **kwargs)


class ActivityReport(PublicIdModel):
    """An activity report (verslag): what happened, the hours, the roles used and who was reached."""

    assignment = models.OneToOneField(Assignment, on_delete=models.CASCADE, related_name="report")
    #: The assignment's key person, copied when the report is saved (and cut with it by retention):
    #: a key person's reports of a period come from one index (the allowance ledger, the portal's
    #: hours, the candidates' recent load) instead of every report of those days.
    key_person = models.ForeignKey(
        KeyPerson, on_delete=models.PROTECT, null=True, editable=False, related_name="+", db_index=False
    )
    date = models.DateField(_("date"))
    hours = models.DecimalField(
        _("hours"), max_digits=4, decimal_places=1, validators=[MinValueValidator(Decimal("0.1")), MaxValueValidator(24)]
    )
    roles_used = models.ManyToManyField(KeyPersonRole, related_name="+", verbose_name=_("roles used"))
    life_domains = models.ManyToManyField(LifeDomain, blank=True, related_name="+", verbose_name=_("life domains touched"))
    languages_used = models.ManyToManyField(Language, blank=True, related_name="+", verbose_name=_("languages used"))
    participants = models.PositiveIntegerField(_("participants"), validators=[MaxValueValidator(10000)])
    participants_little_dutch = models.PositiveIntegerField(_("of whom speak little Dutch"), default=0)
    participants_first_contact = models.PositiveIntegerField(
        _("of whom reached for the first time or distant from institutions"), default=0
    )
    outcome_code = models.CharField(_("how it went"), max_length=16, choices=ReportOutcome.choices, blank=True)
    follow_up_code = models.CharField(_("follow-up needed"), max_length=16, choices=ReportFollowUp.choices, blank=True)
    outcome = models.TextField(_("outcome"), max_length=2000, blank=True)
    follow_up = models.TextField(_("follow-up"), max_length=1000, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"))
    reviewed_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)

    class Meta:
        ordering = ["-date", "id"]
        # The last weeks' reports (the candidates' recent load, the reach): a range of days.
        indexes = [
            # The last 30 days' hours per key person (matching.candidates_for) from the index alone;
            # it also serves every range of days (the former report_date_idx).
            models.Index(fields=["date"], include=["assignment", "hours"], name="report_date_cover_idx"),
            models.Index(fields=["key_person", "date"], include=["assignment", "hours"], name="report_kp_date_cover_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(participants_little_dutch__lte=models.F("participants"))
                & models.Q(participants_first_contact__lte=models.F("participants")),
                name="report_reach_within_participants",
            ),
        ]
        verbose_name = _("activity report")
        verbose_name_plural = _("activity reports")

    def __str__(self) -> str:
        return f"{self.assignment} · {self.date}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.key_person_id is None and self.assignment_id is not None:
            self.key_person_id = self.assignment.key_person_id
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "key_person"}
        super().save(*args, **kwargs)
