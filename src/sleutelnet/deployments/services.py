"""Every state change of requests, assignments and reports: one function each, in a transaction.

Each function checks permission, validates, changes state and queues the notifications.
Views, the API and the demo call these; no business rule lives anywhere else.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from sleutelnet.core import clock, processing, sensitive
from sleutelnet.core.exceptions import DomainError, InvalidTransition, NotAllowed
from sleutelnet.core.models import Membership, Municipality, Organisation, Role, User
from sleutelnet.core.selectors import has_role, organisation_ids
from sleutelnet.deployments import matching
from sleutelnet.deployments.explain import Explainer
from sleutelnet.deployments.models import (
    ActivityReport,
    Assignment,
    AssignmentStatus,
    ChainLink,
    DeclineReason,
    ReportFollowUp,
    ReportOutcome,
    Request,
    RequestKind,
    RequestStatus,
    Urgency,
)
from sleutelnet.notifications import recipients
from sleutelnet.notifications.services import queue_mail
from sleutelnet.people.models import (
    Gender,
    KeyPerson,
    KeyPersonRole,
    Language,
    LifeDomain,
    Newcomer,
)
from sleutelnet.reporting.services import refresh_for_request

MAX_TEXT = 4000


@dataclass
class RequestData:
    """What a requester fills in; the same for the web form, the API and the demo."""

    title: str
    kind: str
    language: Language
    roles: Sequence[KeyPersonRole]
    municipality: Municipality
    place: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    chain_link: str
    description: str = ""
    life_domains: Sequence[LifeDomain] = field(default_factory=list)
    key_persons_needed: int = 1
    gender_preference: str = ""
    gender_required: bool = False
    requires_vog: bool = False
    urgency: int = Urgency.NORMAL
    newcomer: Newcomer | None = None
    needs_certified_interpreter: bool = False
    participants_expected: int | None = None


@dataclass
class ReportData:
    """What a key person reports after an assignment."""

    date: dt.date
    hours: Decimal
    roles_used: Sequence[KeyPersonRole]
    participants: int
    participants_little_dutch: int = 0
    participants_first_contact: int = 0
    life_domains: Sequence[LifeDomain] = field(default_factory=list)
    languages_used: Sequence[Language] = field(default_factory=list)
    outcome: str = ""
    follow_up: str = ""
    outcome_code: str = ""
    follow_up_code: str = ""


def _log(operation: str, actor: User | None, *subjects: object, activity: str = "deployment") -> None:
    """Processing-log lines for the newcomer and key persons a step changes (core.processing)."""
    processing.record(operation, [s for s in subjects if s is not None], activity=activity, actor=actor)


# --- checks ---------------------------------------------------------------------------------


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise NotAllowed(message)


def _is_coordinator(user: User, region_id: int) -> bool:
    return has_role(user, Role.COORDINATOR, region_id)


def _own_key_person(user: User, assignment: Assignment) -> None:
    kp = getattr(user, "key_person", None)
    _require(kp is not None and kp.id == assignment.key_person_id, _("Only the key person of this assignment can do this."))


def _clean_text(value: str, field_name: str, *, max_length: int = MAX_TEXT, required: bool = False) -> str:
    return sensitive.clean_text(value, field_name, max_length, required=required)


def _locked(model: type, pk: int):  # type: ignore[no-untyped-def]
    """Re-read a row under a lock (PostgreSQL), so two people cannot take the same step at once.

    Every service here locks in one order, so two of them never wait for each other: the key
    persons (by id), then the request, then its assignments (docs/architecture.md, "Concurrency").
    """
    return model.objects.select_for_update(no_key=True).get(pk=pk)


def _lock_key_persons(ids: Iterable[int | None]) -> None:
    """Lock key persons' rows, in id order, before their request: what one key person takes on
    (the agenda, the hours of the month) is then decided one step after another."""
    wanted = sorted({i for i in ids if i is not None})
    if wanted:
        list(KeyPerson.objects.select_for_update(no_key=True).filter(pk__in=wanted).order_by("pk").values_list("pk", flat=True))


def _validate_request(data: RequestData, *, region_id: int) -> None:
    """Validate a request's fields; raises DomainError naming the field."""
    _clean_text(data.title, "title", max_length=200, required=True)
    _clean_text(data.place, "place", max_length=200, required=True)
    _clean_text(data.description, "description")
    if data.kind not in RequestKind.values:
        raise DomainError(_("Choose a kind of request from the list."), field="kind")
    if data.chain_link not in ChainLink.values:
        raise DomainError(_("Choose a link of the integration chain from the list."), field="chain_link")
    if data.urgency not in Urgency.values:
        raise DomainError(_("Choose an urgency from the list."), field="urgency")
    if not data.roles:
        raise DomainError(_("Choose at least one role."), field="roles")
    if data.municipality.region_id != region_id:
        raise DomainError(_("Choose a municipality of your region."), field="municipality")
    if data.ends_at <= data.starts_at:
        raise DomainError(_("The end must be after the start."), field="ends_at")
    if data.ends_at - data.starts_at > dt.timedelta(hours=12):
        raise DomainError(_("A request can last at most 12 hours; file a series as separate requests."), field="ends_at")
    if data.starts_at < clock.now():
        raise DomainError(_("The start must be in the future."), field="starts_at")
    if not 1 <= data.key_persons_needed <= 10:
        raise DomainError(_("Ask for 1 to 10 key persons."), field="key_persons_needed")
    if data.gender_preference and data.gender_preference not in Gender.values:
        raise DomainError(_("Choose a gender from the list."), field="gender_preference")
    if data.gender_required and not data.gender_preference:
        raise DomainError(_("Say which gender is required, or untick 'required'."), field="gender_preference")
    if data.participants_expected is not None and not 0 <= data.participants_expected <= 10000:
        raise DomainError(_("Give a number between 0 and 10,000."), field="participants_expected")
    if data.newcomer is not None:
        if data.newcomer.region_id != region_id:
            raise DomainError(_("This newcomer is not known in your region."), field="newcomer")
        if not data.newcomer.has_consent:
            raise DomainError(
                _("This newcomer has not (yet) agreed to support by a key person. Ask for consent first."),
                field="newcomer",
            )


# --- requests -------------------------------------------------------------------------------


@transaction.atomic
def file_request(*, actor: User, organisation: Organisation, data: RequestData) -> Request:
    """A requester (or a coordinator on their behalf) files a request; coordinators are told."""
    membership_ok = Membership.objects.filter(
        Q(role=Role.REQUESTER, organisation=organisation) | Q(role=Role.COORDINATOR, region_id=organisation.region_id),
        user=actor,
    ).exists()
    _require(membership_ok, _("You cannot file requests for this organisation."))
    _validate_request(data, region_id=organisation.region_id)
    req = Request.objects.create(
        region_id=organisation.region_id,
        organisation=organisation,
        requested_by=actor,
        title=data.title.strip(),
        description=data.description.strip(),
        kind=data.kind,
        language=data.language,
        municipality=data.municipality,
        place=data.place.strip(),
        starts_at=data.starts_at,
        ends_at=data.ends_at,
        chain_link=data.chain_link,
        key_persons_needed=data.key_persons_needed,
        gender_preference=data.gender_preference,
        gender_required=data.gender_required,
        requires_vog=data.requires_vog,
        urgency=data.urgency,
        newcomer=data.newcomer,
        needs_certified_interpreter=data.needs_certified_interpreter,
        participants_expected=data.participants_expected,
    )
    req.roles.set(data.roles)
    req.life_domains.set(data.life_domains)
    _log(processing.CREATE, actor, req.newcomer)
    queue_mail(to=recipients.coordinators(req.region_id), template="request_filed", context={"request": req})
    refresh_for_request(req)
    return req


@transaction.atomic
def update_request(*, actor: User, request: Request, data: RequestData) -> Request:
    """Change an open request (before anyone accepted it)."""
    req = _locked(Request, request.pk)
    _require(
        req.organisation_id in organisation_ids(actor)
        or _is_coordinator(actor, req.region_id),
        _("You cannot change this request."),
    )
    if req.status != RequestStatus.OPEN or req.assignments.filter(status__in=("accepted", "reported", "approved")).exists():
        raise InvalidTransition(_("A request can only be changed while nobody has accepted it yet."))
    _validate_request(data, region_id=req.region_id)
    old_municipality = req.municipality_id
    for name in (
        "kind", "language", "municipality", "starts_at", "ends_at", "chain_link", "key_persons_needed",
        "gender_preference", "gender_required", "requires_vog", "urgency", "newcomer",
        "needs_certified_interpreter", "participants_expected",
    ):
        setattr(req, name, getattr(data, name))
    req.title, req.place, req.description = data.title.strip(), data.place.strip(), data.description.strip()
    req.save()
    req.roles.set(data.roles)
    req.life_domains.set(data.life_domains)
    _log(processing.UPDATE, actor, req.newcomer)
    # Key persons who have the offer open are told it changed, so nobody says yes to old facts.
    to: list[tuple[str, str]] = []
    for a in req.assignments.filter(status=AssignmentStatus.OFFERED).select_related("key_person__user"):
        to += recipients.key_person(a.key_person)
    queue_mail(to=to, template="offer_changed", context={"request": req})
    refresh_for_request(req, municipality_id=old_municipality)
    return req


@transaction.atomic
def cancel_request(*, actor: User, request: Request, reason: str) -> Request:
    """The requester withdraws, or a coordinator cancels, a request that has not happened yet."""
    req = _locked(Request, request.pk)
    is_own = req.organisation_id in organisation_ids(actor)
    _require(is_own or _is_coordinator(actor, req.region_id), _("You cannot cancel this request."))
    reason = _clean_text(reason, "reason", max_length=500, required=True)
    if req.status not in (RequestStatus.OPEN, RequestStatus.FILLED):
        raise InvalidTransition(_("Only an open or confirmed request can be cancelled."))
    if req.assignments.filter(status__in=("reported", "approved")).exists():
        raise InvalidTransition(_("A report was already filed for this request; it cannot be cancelled."))
    live = list(
        req.assignments.select_for_update(no_key=True, of=("self",))
        .filter(status__in=("offered", "accepted"))
        .select_related("key_person__user")
    )
    for a in live:
        a.status = AssignmentStatus.CANCELLED
        a.cancel_reason = reason
        a.save(update_fields=["status", "cancel_reason", "updated_at"])
    req.status = RequestStatus.CANCELLED
    req.cancel_reason = reason
    req.save(update_fields=["status", "cancel_reason", "updated_at"])
    _log(processing.UPDATE, actor, req.newcomer, *(a.key_person for a in live))
    to = recipients.coordinators(req.region_id) + recipients.user(req.requested_by)
    for a in live:
        to += recipients.key_person(a.key_person)
    queue_mail(to=to, template="request_cancelled", context={"request": req, "reason": reason})
    refresh_for_request(req)
    return req


# --- offers and answers ---------------------------------------------------------------------


@transaction.atomic
def offer(*, actor: User, request: Request, key_persons: Iterable[KeyPerson]) -> list[Assignment]:
    """A coordinator offers an open request to one or more key persons who meet every hard constraint.

    The key persons are locked before the request: two coordinators offering one key person two
    requests at once would otherwise both see the hours that are left this month.
    """
    people = list(key_persons)
    _lock_key_persons(kp.id for kp in people)
    req = _locked(Request, request.pk)
    _require(_is_coordinator(actor, req.region_id), _("Only a coordinator of this region can offer requests."))
    if req.status != RequestStatus.OPEN:
        raise InvalidTransition(_("Only an open request can be offered."))
    if req.newcomer_id is not None and not req.newcomer.has_consent:
        raise DomainError(
            _("This request is about a newcomer without consent to support by a key person. Record the consent first."),
            code="no_consent",
        )
    if not people:
        raise DomainError(_("Choose at least one key person."), field="key_persons")
    created = []
    explain = Explainer()
    ranked = {kp.id: cand for kp, cand in matching.candidates_for(req)}
    for kp in people:
        if kp.region_id != req.region_id or kp.id not in ranked:
            raise DomainError(_("This key person is not known in this region."), field="key_persons")
        if req.assignments.filter(key_person=kp, status__in=("offered", "accepted", "reported", "approved")).exists():
            raise DomainError(
                _("%(name)s already has this request.") % {"name": kp.full_name}, field="key_persons"
            )
        cand = ranked[kp.id]
        if cand.violations:
            raise DomainError(
                _("%(name)s cannot take this request: %(why)s.")
                % {"name": kp.full_name, "why": "; ".join(explain(r) for r in cand.violations)},
                field="key_persons",
            )
        a = Assignment.objects.create(
            request=req,
            key_person=kp,
            offered_by=actor,
            offered_at=clock.now(),
            match_reasons=[explain(r) for r in cand.reasons],
        )
        created.append(a)
        queue_mail(to=recipients.key_person(kp), template="offer_made", context={"assignment": a, "request": req})
    _log(processing.CREATE, actor, req.newcomer, *people)
    refresh_for_request(req)
    return created


@dataclass
class OfferOutcome:
    """What became of one request of a batch of offers: the assignments made, or why none were."""

    request: Request
    key_persons: list[KeyPerson]
    assignments: list[Assignment] = field(default_factory=list)
    error: str = ""

    @property
    def sent(self) -> bool:
        return not self.error


def offer_plan(*, actor: User, proposals: Sequence[tuple[Request, Sequence[KeyPerson]]]) -> list[OfferOutcome]:
    """Offer several requests at once (a planned week), each request in its own transaction.

    Every request goes through `offer`, which checks the role and re-checks every hard
    constraint. A request it refuses (a swap that is not possible, a request filled meanwhile)
    gets no assignment at all and says why; the other requests still go through.
    """
    outcomes = []
    for req, people in proposals:
        try:
            made = offer(actor=actor, request=req, key_persons=people)
        except DomainError as exc:
            outcomes.append(OfferOutcome(req, list(people), error=str(exc.message)))
        else:
            outcomes.append(OfferOutcome(req, list(people), assignments=made))
    return outcomes


@transaction.atomic
def accept(*, actor: User, assignment: Assignment) -> Assignment:
    """The key person accepts an offer; the requester learns who comes.

    Locked in the order key person, request, assignment: two key persons taking the last place
    wait for each other on the request, and one key person saying yes to two requests at the same
    time waits on their own row, so the second sees the first in the agenda check below.
    """
    kp_id, request_id = Assignment.objects.values_list("key_person_id", "request_id").get(pk=assignment.pk)
    own = getattr(actor, "key_person", None)
    _require(own is not None and own.id == kp_id, _("Only the key person of this assignment can do this."))
    _lock_key_persons([kp_id])
    req = _locked(Request, request_id)
    a = _locked(Assignment, assignment.pk)
    if a.status != AssignmentStatus.OFFERED:
        if a.status == AssignmentStatus.CANCELLED and req.status != RequestStatus.OPEN:
            # withdrawn because the request was filled or cancelled meanwhile: say that, not just "not open"
            raise InvalidTransition(_("This request no longer needs a key person."))
        raise InvalidTransition(_("Only an open offer can be accepted."))
    if req.status != RequestStatus.OPEN:
        raise InvalidTransition(_("This request no longer needs a key person."))
    confirmed = req.assignments.filter(status__in=("accepted", "reported", "approved")).count()
    if confirmed >= req.key_persons_needed:
        raise InvalidTransition(_("Enough key persons have already accepted this request."))
    clash = (
        Assignment.objects.filter(key_person_id=a.key_person_id, status__in=("accepted", "reported"))
        .filter(request__starts_at__lt=req.ends_at, request__ends_at__gt=req.starts_at)
        .select_related("request")
        .first()
    )
    if clash is not None:
        raise InvalidTransition(
            _("You already have an assignment at that time: %(title)s.") % {"title": clash.request.title}
        )
    a.status = AssignmentStatus.ACCEPTED
    a.responded_at = clock.now()
    a.save(update_fields=["status", "responded_at", "updated_at"])
    confirmed += 1
    withdrawn: list[Assignment] = []
    if confirmed >= req.key_persons_needed:
        req.status = RequestStatus.FILLED
        req.save(update_fields=["status", "updated_at"])
        withdrawn = list(
            req.assignments.select_for_update(no_key=True, of=("self",))
            .filter(status=AssignmentStatus.OFFERED)
            .select_related("key_person__user")
        )
        for other in withdrawn:
            other.status = AssignmentStatus.CANCELLED
            other.cancel_reason = _("Enough key persons accepted this request.")
            other.save(update_fields=["status", "cancel_reason", "updated_at"])
    _log(processing.UPDATE, actor, req.newcomer, a.key_person, *(other.key_person for other in withdrawn))
    queue_mail(
        to=recipients.user(req.requested_by) + recipients.coordinators(req.region_id),
        template="offer_accepted",
        context={"assignment": a, "request": req},
    )
    for other in withdrawn:
        queue_mail(to=recipients.key_person(other.key_person), template="offer_withdrawn", context={"assignment": other, "request": req})
    refresh_for_request(req)
    return a


@transaction.atomic
def decline(*, actor: User, assignment: Assignment, reason: str = "", code: str = "") -> Assignment:
    """The key person declines an offer with a reason from the short list, or in their own words
    (needed for "something else"); the coordinator is told."""
    a = _locked(Assignment, assignment.pk)
    _own_key_person(actor, a)
    if code and code not in DeclineReason.values:
        raise DomainError(_("Choose a reason from the list."), field="code")
    reason = _clean_text(reason, "reason", max_length=500, required=not code or code == DeclineReason.OTHER)
    if a.status != AssignmentStatus.OFFERED:
        raise InvalidTransition(_("Only an open offer can be declined."))
    a.status = AssignmentStatus.DECLINED
    a.decline_code = code
    a.decline_reason = reason
    a.responded_at = clock.now()
    a.save(update_fields=["status", "decline_code", "decline_reason", "responded_at", "updated_at"])
    _log(processing.UPDATE, actor, a.request.newcomer, a.key_person)
    queue_mail(to=recipients.coordinators(a.request.region_id), template="offer_declined", context={"assignment": a, "request": a.request})
    refresh_for_request(a.request)
    return a


@transaction.atomic
def cancel_assignment(*, actor: User, assignment: Assignment, reason: str) -> Assignment:
    """A coordinator withdraws an offer or assignment, or the key person steps back from one they accepted."""
    req = _locked(Request, Assignment.objects.values_list("request_id", flat=True).get(pk=assignment.pk))
    a = _locked(Assignment, assignment.pk)
    kp = getattr(actor, "key_person", None)
    is_own = kp is not None and kp.id == a.key_person_id
    _require(is_own or _is_coordinator(actor, req.region_id), _("You cannot cancel this assignment."))
    reason = _clean_text(reason, "reason", max_length=500, required=True)
    allowed = (AssignmentStatus.ACCEPTED,) if is_own and not _is_coordinator(actor, req.region_id) else (
        AssignmentStatus.OFFERED, AssignmentStatus.ACCEPTED
    )
    if a.status not in allowed:
        raise InvalidTransition(_("This assignment cannot be cancelled in its current state."))
    if allowed == (AssignmentStatus.ACCEPTED,) and req.starts_at <= clock.now():
        raise InvalidTransition(_("This assignment has already started; ask the coordinator."))
    a.status = AssignmentStatus.CANCELLED
    a.cancel_reason = reason
    a.save(update_fields=["status", "cancel_reason", "updated_at"])
    if req.status == RequestStatus.FILLED:
        req.status = RequestStatus.OPEN
        req.save(update_fields=["status", "updated_at"])
    _log(processing.UPDATE, actor, req.newcomer, a.key_person)
    to = recipients.coordinators(req.region_id) + recipients.key_person(a.key_person)
    if req.assignments.filter(pk=a.pk).exists():
        to += recipients.user(req.requested_by)
    queue_mail(to=to, template="assignment_cancelled", context={"assignment": a, "request": req, "reason": reason})
    refresh_for_request(req)
    return a


# --- reports --------------------------------------------------------------------------------


def _validate_report(data: ReportData, a: Assignment) -> None:
    try:
        hours = Decimal(data.hours)
    except (InvalidOperation, TypeError, ValueError) as exc:
        raise DomainError(_("Give the hours as a number, e.g. 2.5."), field="hours") from exc
    if not Decimal("0.1") <= hours <= Decimal("24"):
        raise DomainError(_("Give between 0.1 and 24 hours."), field="hours")
    if hours != hours.quantize(Decimal("0.1")):
        raise DomainError(_("Give the hours with at most one decimal, e.g. 2.5."), field="hours")
    if not data.roles_used:
        raise DomainError(_("Choose at least one role you used."), field="roles_used")
    if not 0 <= data.participants <= 10000:
        raise DomainError(_("Give a number of participants between 0 and 10,000."), field="participants")
    if not 0 <= data.participants_little_dutch <= data.participants:
        raise DomainError(_("This cannot be more than the number of participants."), field="participants_little_dutch")
    if not 0 <= data.participants_first_contact <= data.participants:
        raise DomainError(_("This cannot be more than the number of participants."), field="participants_first_contact")
    planned_day = timezone.localtime(a.request.starts_at).date()
    if data.date > clock.today():
        raise DomainError(_("The date cannot be in the future."), field="date")
    if data.date < planned_day - dt.timedelta(days=7):
        raise DomainError(_("The date is long before the planned date of this assignment."), field="date")
    if data.outcome_code and data.outcome_code not in ReportOutcome.values:
        raise DomainError(_("Choose how it went from the list."), field="outcome_code")
    if data.follow_up_code and data.follow_up_code not in ReportFollowUp.values:
        raise DomainError(_("Choose from the list whether follow-up is needed."), field="follow_up_code")
    _clean_text(data.outcome, "outcome", max_length=2000)
    _clean_text(data.follow_up, "follow_up", max_length=1000)


@transaction.atomic
def submit_report(*, actor: User, assignment: Assignment, data: ReportData) -> ActivityReport:
    """The key person reports what happened, after the start of the assignment; the coordinator reviews it."""
    a = _locked(Assignment, assignment.pk)
    _own_key_person(actor, a)
    if a.status != AssignmentStatus.ACCEPTED:
        raise InvalidTransition(_("You can file a report for an accepted assignment that has not been approved yet."))
    if a.request.starts_at > clock.now():
        raise InvalidTransition(_("You can file the report once the assignment has started."))
    _validate_report(data, a)
    report = ActivityReport.objects.filter(assignment=a).first() or ActivityReport(assignment=a)
    report.date = data.date
    report.hours = Decimal(data.hours)
    report.participants = data.participants
    report.participants_little_dutch = data.participants_little_dutch
    report.participants_first_contact = data.participants_first_contact
    report.outcome = data.outcome.strip()
    report.follow_up = data.follow_up.strip()
    report.outcome_code, report.follow_up_code = data.outcome_code, data.follow_up_code
    report.submitted_at = clock.now()
    report.reviewed_by = None
    report.reviewed_at = None
    report.save()
    report.roles_used.set(data.roles_used)
    report.life_domains.set(data.life_domains)
    report.languages_used.set(data.languages_used)
    a.status = AssignmentStatus.REPORTED
    a.review_comment = ""
    a.save(update_fields=["status", "review_comment", "updated_at"])
    _log(processing.CREATE, actor, a.request.newcomer, a.key_person, activity="activity-reporting")
    queue_mail(to=recipients.coordinators(a.request.region_id), template="report_filed", context={"assignment": a, "request": a.request})
    return report


def _close_if_done(req: Request) -> None:
    """Close a request when every live assignment is approved and it is filled or its time has passed.

    A request that got fewer key persons than asked for still closes once it has happened.
    """
    live = req.assignments.exclude(status__in=("declined", "cancelled"))
    happened = req.starts_at <= clock.now()
    if (
        live.exists()
        and not live.exclude(status=AssignmentStatus.APPROVED).exists()
        and (req.status == RequestStatus.FILLED or (req.status == RequestStatus.OPEN and happened))
    ):
        req.status = RequestStatus.CLOSED
        req.save(update_fields=["status", "updated_at"])
        queue_mail(to=recipients.user(req.requested_by), template="request_closed", context={"request": req})


@transaction.atomic
def approve_report(*, actor: User, assignment: Assignment) -> Assignment:
    """A coordinator approves a report; when every report of the request is approved, it closes."""
    req = _locked(Request, Assignment.objects.values_list("request_id", flat=True).get(pk=assignment.pk))
    a = _locked(Assignment, assignment.pk)
    _require(_is_coordinator(actor, req.region_id), _("Only a coordinator of this region can approve reports."))
    if a.status != AssignmentStatus.REPORTED:
        raise InvalidTransition(_("Only a filed report can be approved."))
    a.status = AssignmentStatus.APPROVED
    a.review_comment = ""
    a.save(update_fields=["status", "review_comment", "updated_at"])
    ActivityReport.objects.filter(assignment=a).update(reviewed_by=actor, reviewed_at=clock.now())
    _log(processing.UPDATE, actor, req.newcomer, a.key_person, activity="activity-reporting")
    queue_mail(to=recipients.key_person(a.key_person), template="report_approved", context={"assignment": a, "request": req})
    _close_if_done(req)
    refresh_for_request(req, reports=True, requests=False)  # reported and approved both count as filled
    return a


@transaction.atomic
def return_report(*, actor: User, assignment: Assignment, comment: str) -> Assignment:
    """A coordinator sends a report back to the key person with a comment."""
    a = _locked(Assignment, assignment.pk)
    _require(_is_coordinator(actor, a.request.region_id), _("Only a coordinator of this region can review reports."))
    comment = _clean_text(comment, "comment", max_length=1000, required=True)
    if a.status != AssignmentStatus.REPORTED:
        raise InvalidTransition(_("Only a filed report can be sent back."))
    a.status = AssignmentStatus.ACCEPTED
    a.review_comment = comment
    a.save(update_fields=["status", "review_comment", "updated_at"])
    _log(processing.UPDATE, actor, a.request.newcomer, a.key_person, activity="activity-reporting")
    queue_mail(to=recipients.key_person(a.key_person), template="report_returned", context={"assignment": a, "request": a.request, "comment": comment})
    return a


def withdraw_offers_for_newcomer(*, actor: User, newcomer: Newcomer) -> list[Assignment]:
    """The newcomer withdrew consent: withdraw every open offer of their requests (inside the
    caller's transaction), and tell the key persons and the coordinators."""
    reason = _("The newcomer withdrew consent to support by a key person.")
    withdrawn = list(
        Assignment.objects.select_for_update(no_key=True, of=("self",))
        .filter(request__newcomer=newcomer, status=AssignmentStatus.OFFERED)
        .select_related("request", "key_person__user")
    )
    for a in withdrawn:
        a.status = AssignmentStatus.CANCELLED
        a.cancel_reason = reason
        a.save(update_fields=["status", "cancel_reason", "updated_at"])
        to = recipients.key_person(a.key_person) + recipients.coordinators(a.request.region_id)
        queue_mail(to=to, template="assignment_cancelled", context={"assignment": a, "request": a.request, "reason": reason})
    _log(processing.UPDATE, actor, *(a.key_person for a in withdrawn))
    for req in {a.request_id: a.request for a in withdrawn}.values():
        refresh_for_request(req)
    return withdrawn


# --- reminders ------------------------------------------------------------------------------


def send_reminders(*, now: dt.datetime | None = None) -> int:
    """Remind key persons the day before: every accepted assignment starting within 24 hours, once.

    The worker calls this on every round; `reminded_at` makes it idempotent, and each reminder is
    written with its outbox row in one transaction, so a crash never sends one twice or loses one.
    """
    now = now or clock.now()
    due = Assignment.objects.filter(
        status=AssignmentStatus.ACCEPTED,
        reminded_at__isnull=True,
        request__starts_at__gt=now,
        request__starts_at__lte=now + dt.timedelta(hours=24),
    ).values_list("pk", flat=True)
    sent = 0
    for pk in list(due):
        with transaction.atomic():
            a = (
                Assignment.objects.select_for_update(no_key=True, of=("self",))
                .select_related("request__municipality", "key_person__user")
                .get(pk=pk)
            )
            if a.reminded_at is not None or a.status != AssignmentStatus.ACCEPTED:
                continue
            a.reminded_at = now
            a.save(update_fields=["reminded_at", "updated_at"])
            _log(processing.UPDATE, None, a.key_person, activity="notifications")
            queue_mail(to=recipients.key_person(a.key_person), template="assignment_reminder", context={"assignment": a, "request": a.request})
            sent += 1
    return sent
