"""Every change to signals and consultations, each in one transaction, each telling whom it concerns.

The signal loop: a key person or coordinator raises a signal -> the coordinator triages (merges
duplicates, routes it to an owner with a deadline) -> the owner (a policy officer, or a partner
organisation's requesters) answers -> the person who raised it reads the answer and may reopen it
with a reason -> answered again -> the coordinator closes it. The consultation loop: a policy
officer or partner asks -> key persons answer (per paragraph of a draft, or at a meeting) -> the
asker summarises per advice point what was adopted -> the outcome goes back to all who answered.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from sleutelnet.core import clock, processing, sensitive
from sleutelnet.core.exceptions import DomainError, InvalidTransition, NotAllowed
from sleutelnet.core.models import Membership, Municipality, Organisation, Role, User
from sleutelnet.core.selectors import has_role
from sleutelnet.notifications.services import queue_mail
from sleutelnet.people.models import KeyPerson, KeyPersonRole, KeyPersonStatus, Language, LifeDomain
from sleutelnet.voice.models import (
    OPEN_FOR_OWNER,
    Adoption,
    AdvicePoint,
    Consultation,
    ConsultationAnswer,
    ConsultationKind,
    ConsultationStatus,
    PeopleAffected,
    Signal,
    SignalEvent,
    SignalStatus,
    SignalUrgency,
)

ACTIVITY = "voice"


def _people(users: Sequence[User | None]) -> list[tuple[str, str]]:
    """Addresses from the accounts only: telling a signal's raiser about the answer must not
    load their key-person record on the owner's side (owners do not learn who raised it)."""
    return [(u.email, u.preferred_language) for u in users if u is not None and u.is_active]


def _coordinators(region_id: int) -> list[User]:
    return [m.user for m in Membership.objects.filter(region_id=region_id, role=Role.COORDINATOR).select_related("user")]


def _owners(signal: Signal) -> list[User]:
    if signal.owner_user_id:
        return [signal.owner_user]  # type: ignore[list-item]
    if signal.owner_organisation_id:
        return [
            m.user
            for m in Membership.objects.filter(organisation_id=signal.owner_organisation_id, role=Role.REQUESTER).select_related("user")
        ]
    return []


def _raisers(signal: Signal) -> list[User]:
    """Who raised this signal or one merged into it: they all hear how it goes."""
    return [signal.raised_by, *(d.raised_by for d in signal.duplicates.select_related("raised_by"))]


def _event(signal: Signal, actor: User | None, kind: str, text: str = "") -> None:
    SignalEvent.objects.create(signal=signal, at=clock.now(), actor=actor, status=signal.status, kind=kind, text=text)


def _tell(signal: Signal, users: Sequence[User | None], template: str, **extra: object) -> None:
    queue_mail(to=_people(users), template=f"voice_{template}", context={"signal": signal, **extra})


def _log_people(actor: User | None, *users: User | None) -> None:
    """Processing-log lines for the key persons a change concerns (the one who raised it, mostly)."""
    people = [getattr(u, "key_person", None) for u in users if u is not None]
    processing.record(processing.UPDATE, [kp for kp in people if kp is not None], activity=ACTIVITY, actor=actor)


def _locked_signal(signal: Signal) -> Signal:
    # of=("self",): PostgreSQL locks no row of the nullable side of an outer join (owner_user).
    return Signal.objects.select_for_update(no_key=True, of=("self",)).select_related("raised_by", "owner_user").get(pk=signal.pk)


# --- signals ------------------------------------------------------------------------------------


@dataclass
class SignalData:
    """What someone noticed in a community: about a group, never about a named person."""

    theme: str
    description: str
    community: str
    municipality: Municipality
    people_affected: str
    urgency: str = SignalUrgency.NORMAL
    life_domains: Sequence[LifeDomain] = field(default_factory=list)
    language: Language | None = None
    distressing: bool = False


def may_raise_signals(user: User, region_id: int) -> bool:
    return has_role(user, Role.KEY_PERSON, region_id) or has_role(user, Role.COORDINATOR, region_id)


@transaction.atomic
def raise_signal(*, actor: User, data: SignalData) -> Signal:
    """A key person or coordinator records a signal; the region's coordinators are told."""
    region_id = data.municipality.region_id
    if not may_raise_signals(actor, region_id):
        raise NotAllowed(_("Only key persons and coordinators of the region can raise a signal."))
    theme = sensitive.clean_text(data.theme, "theme", 200, required=True)
    description = sensitive.clean_text(data.description, "description", 4000, required=True)
    community = sensitive.clean_text(data.community, "community", 200, required=True)
    if data.people_affected not in PeopleAffected.values:
        raise DomainError(_("Choose roughly how many people from the list."), field="people_affected")
    if data.urgency not in SignalUrgency.values:
        raise DomainError(_("Choose an urgency from the list."), field="urgency")
    signal = Signal.objects.create(
        region_id=region_id,
        raised_by=actor,
        theme=theme,
        description=description,
        community=community,
        language=data.language,
        municipality=data.municipality,
        people_affected=data.people_affected,
        urgency=data.urgency,
        distressing=data.distressing,
    )
    signal.life_domains.set(data.life_domains)
    _event(signal, actor, "raised")
    _log_people(actor, actor)
    _tell(signal, _coordinators(region_id), "raised")
    return signal


def _coordinator_only(actor: User, signal: Signal) -> None:
    if not has_role(actor, Role.COORDINATOR, signal.region_id):
        raise NotAllowed(_("Only a coordinator of the region can do this."))


def _not_merged(signal: Signal) -> None:
    if signal.merged_into_id:
        raise InvalidTransition(_("This signal was merged into another one. Work on that one."))


@transaction.atomic
def start_triage(*, actor: User, signal: Signal) -> Signal:
    """The coordinator takes a new signal in hand."""
    s = _locked_signal(signal)
    _coordinator_only(actor, s)
    _not_merged(s)
    if s.status != SignalStatus.NEW:
        raise InvalidTransition(_("Only a new signal can be taken into triage."))
    s.status = SignalStatus.TRIAGE
    s.save(update_fields=["status", "updated_at"])
    s.duplicates.update(status=s.status)
    _event(s, actor, "triage")
    _log_people(actor, *_raisers(s))
    _tell(s, _raisers(s), "status")
    return s


@transaction.atomic
def merge_signal(*, actor: User, duplicate: Signal, into: Signal) -> Signal:
    """Merge a duplicate into the signal that carries the theme; its raiser follows that one."""
    # Lock in a fixed order, so two coordinators merging both ways at once cannot deadlock.
    first, second = sorted((duplicate, into), key=lambda x: x.pk)
    locked = {first.pk: _locked_signal(first), second.pk: _locked_signal(second)}
    dup, main = locked[duplicate.pk], locked[into.pk]
    _coordinator_only(actor, dup)
    if dup.pk == main.pk or dup.region_id != main.region_id:
        raise DomainError(_("Choose another signal of the same region."), field="into")
    if main.merged_into_id or dup.merged_into_id:
        raise InvalidTransition(_("This signal was merged into another one. Work on that one."))
    if SignalStatus.CLOSED in (main.status, dup.status):
        raise InvalidTransition(_("A closed signal cannot be merged."))
    if dup.duplicates.exists():
        raise InvalidTransition(_("Other signals were merged into this one. Merge the other way round."))
    old_owners = _owners(dup)
    dup.merged_into = main
    dup.status = main.status
    # The duplicate follows the main signal: it has no owner or deadline of its own any more.
    dup.owner_user, dup.owner_organisation, dup.deadline, dup.routed_at = None, None, None, None
    dup.save(update_fields=["merged_into", "status", "owner_user", "owner_organisation", "deadline", "routed_at", "updated_at"])
    if old_owners:
        _tell(main, old_owners, "merged_owner", duplicate=dup)
    _event(dup, actor, "merged", main.theme)
    _event(main, actor, "merged_in", dup.theme)
    _log_people(actor, dup.raised_by)
    _tell(main, [dup.raised_by], "merged", duplicate=dup)
    return main


@transaction.atomic
def route_signal(
    *, actor: User, signal: Signal, deadline: dt.date, owner_user: User | None = None, owner_organisation: Organisation | None = None
) -> Signal:
    """The coordinator gives the signal to an owner (a policy officer or a partner organisation) with a deadline."""
    s = _locked_signal(signal)
    _coordinator_only(actor, s)
    _not_merged(s)
    if s.status in (SignalStatus.ANSWERED, SignalStatus.CLOSED):
        raise InvalidTransition(_("This signal has been answered already."))
    if (owner_user is None) == (owner_organisation is None):
        raise DomainError(_("Choose one owner: a policy officer or an organisation."), field="owner")
    if owner_user is not None and not has_role(owner_user, Role.POLICY_OFFICER, s.region_id):
        raise DomainError(_("Choose a policy officer of the region."), field="owner")
    if owner_organisation is not None and owner_organisation.region_id != s.region_id:
        raise DomainError(_("Choose an organisation of the region."), field="owner")
    if deadline < clock.today():
        raise DomainError(_("The deadline cannot be in the past."), field="deadline")
    s.owner_user, s.owner_organisation, s.deadline = owner_user, owner_organisation, deadline
    s.status, s.routed_at = SignalStatus.ROUTED, clock.now()
    s.save(update_fields=["owner_user", "owner_organisation", "deadline", "status", "routed_at", "updated_at"])
    s.duplicates.update(status=s.status)
    _event(s, actor, "routed", str(owner_user or owner_organisation))
    _log_people(actor, *_raisers(s))
    _tell(s, _owners(s), "routed_to_you")
    _tell(s, _raisers(s), "status")
    return s


def is_owner(user: User, signal: Signal) -> bool:
    if signal.owner_user_id:
        return signal.owner_user_id == user.pk
    return bool(signal.owner_organisation_id) and Membership.objects.filter(
        user=user, organisation_id=signal.owner_organisation_id, role=Role.REQUESTER
    ).exists()


@transaction.atomic
def start_work(*, actor: User, signal: Signal) -> Signal:
    """The owner says they are working on it."""
    s = _locked_signal(signal)
    _not_merged(s)
    if not is_owner(actor, s):
        raise NotAllowed(_("Only the owner of this signal can do this."))
    if s.status != SignalStatus.ROUTED:
        raise InvalidTransition(_("Only a routed signal can be taken up."))
    s.status = SignalStatus.IN_PROGRESS
    s.save(update_fields=["status", "updated_at"])
    s.duplicates.update(status=s.status)
    _event(s, actor, "in_progress")
    _tell(s, _raisers(s), "status")
    return s


@transaction.atomic
def answer_signal(*, actor: User, signal: Signal, answer: str, publish: bool = False) -> Signal:
    """The owner answers in plain language: what was or will be done, or why not."""
    s = _locked_signal(signal)
    _not_merged(s)
    if not is_owner(actor, s):
        raise NotAllowed(_("Only the owner of this signal can answer it."))
    if s.status not in OPEN_FOR_OWNER:
        raise InvalidTransition(_("This signal is not waiting for an answer."))
    s.answer = sensitive.clean_text(answer, "answer", 4000, required=True)
    now = clock.now()
    s.status, s.answered_at, s.answered_by, s.published = SignalStatus.ANSWERED, now, actor, bool(publish)
    s.first_answered_at = s.first_answered_at or now
    s.save(update_fields=["answer", "status", "answered_at", "first_answered_at", "answered_by", "published", "updated_at"])
    s.duplicates.update(status=s.status)
    _event(s, actor, "answered", s.answer)
    _tell(s, _raisers(s), "answered")
    _tell(s, _coordinators(s.region_id), "answered", for_coordinator=True)
    return s


@transaction.atomic
def reopen_signal(*, actor: User, signal: Signal, reason: str) -> Signal:
    """The person who raised it says the answer does not answer the signal: back to the owner."""
    s = _locked_signal(signal)
    _not_merged(s)
    if actor.pk not in {u.pk for u in _raisers(s)}:
        raise NotAllowed(_("Only who raised this signal can say the answer does not fit."))
    if s.status != SignalStatus.ANSWERED:
        raise InvalidTransition(_("Only an answered signal can be reopened."))
    reason = sensitive.clean_text(reason, "reason", 2000, required=True)
    s.status, s.reopened = SignalStatus.IN_PROGRESS, s.reopened + 1
    s.save(update_fields=["status", "reopened", "updated_at"])
    s.duplicates.update(status=s.status)
    _event(s, actor, "reopened", reason)
    _log_people(actor, actor)
    _tell(s, _owners(s), "reopened", reason=reason)
    _tell(s, _coordinators(s.region_id), "reopened", reason=reason, for_coordinator=True)
    return s


@transaction.atomic
def close_signal(*, actor: User, signal: Signal) -> Signal:
    """The coordinator closes a signal (and what was merged into it)."""
    s = _locked_signal(signal)
    _coordinator_only(actor, s)
    _not_merged(s)
    if s.status == SignalStatus.CLOSED:
        raise InvalidTransition(_("This signal is closed already."))
    s.status, s.closed_at = SignalStatus.CLOSED, clock.now()
    s.save(update_fields=["status", "closed_at", "updated_at"])
    s.duplicates.update(status=s.status, closed_at=s.closed_at)
    _event(s, actor, "closed")
    _log_people(actor, *_raisers(s))
    _tell(s, _raisers(s), "status")
    return s


# --- consultations ----------------------------------------------------------------------------


@dataclass
class ConsultationData:
    """A question or a draft text for key persons, and whom it asks."""

    title: str
    question: str
    deadline: dt.date
    kind: str = ConsultationKind.WRITTEN
    draft_text: str = ""
    languages: Sequence[Language] = field(default_factory=list)
    roles: Sequence[KeyPersonRole] = field(default_factory=list)
    key_persons: Sequence[KeyPerson] = field(default_factory=list)
    meeting_at: dt.datetime | None = None
    meeting_place: str = ""
    organisation: Organisation | None = None


def may_ask(user: User, region_id: int, organisation: Organisation | None) -> bool:
    """Through the user's memberships as their credential allows (an API token: its organisation only)."""
    from sleutelnet.core.selectors import organisation_ids

    if organisation is not None:
        return organisation.id in organisation_ids(user) and organisation.region_id == region_id and has_role(user, Role.REQUESTER, region_id)
    return has_role(user, Role.POLICY_OFFICER, region_id)


def audience(c: Consultation) -> QuerySet[KeyPerson]:
    """Active key persons of the region who speak one of the languages, have one of the roles, or are named."""
    wanted = Q(pk__in=c.key_persons.values("pk"))
    languages = list(c.languages.values_list("pk", flat=True))
    roles = list(c.roles.values_list("pk", flat=True))
    if languages:
        wanted |= Q(languages__language_id__in=languages)
    if roles:
        wanted |= Q(roles__in=roles)
    return KeyPerson.objects.filter(wanted, region_id=c.region_id, status=KeyPersonStatus.ACTIVE).distinct()


@transaction.atomic
def ask_consultation(*, actor: User, region_id: int, data: ConsultationData) -> Consultation:
    """A policy officer (or a partner organisation) asks key persons for advice; those asked are told."""
    if not may_ask(actor, region_id, data.organisation):
        raise NotAllowed(_("Only policy officers and partner organisations of the region can ask for advice."))
    title = sensitive.clean_text(data.title, "title", 200, required=True)
    question = sensitive.clean_text(data.question, "question", 4000, required=True)
    draft = sensitive.clean_text(data.draft_text, "draft_text", 20000)
    if data.kind not in ConsultationKind.values:
        raise DomainError(_("Choose a kind from the list."), field="kind")
    if data.deadline < clock.today():
        raise DomainError(_("The deadline cannot be in the past."), field="deadline")
    if data.kind == ConsultationKind.MEETING and data.meeting_at is None:
        raise DomainError(_("Give the date and time of the meeting."), field="meeting_at")
    if not (data.languages or data.roles or data.key_persons):
        raise DomainError(_("Say whom you ask: by language, by role or by name."), field="key_persons")
    if data.organisation is not None and data.key_persons:
        raise DomainError(_("A partner organisation asks by language or by role, not by name."), field="key_persons")
    if any(kp.region_id != region_id for kp in data.key_persons):
        raise DomainError(_("Choose key persons of the region."), field="key_persons")
    c = Consultation.objects.create(
        region_id=region_id,
        asked_by=actor,
        organisation=data.organisation,
        kind=data.kind,
        title=title,
        question=question,
        draft_text=draft,
        deadline=data.deadline,
        meeting_at=data.meeting_at,
        meeting_place=sensitive.clean_text(data.meeting_place, "meeting_place", 200),
    )
    c.languages.set(data.languages)
    c.roles.set(data.roles)
    c.key_persons.set(data.key_persons)
    asked = list(audience(c).select_related("user"))
    processing.record(processing.READ, asked, activity=ACTIVITY, actor=actor)
    queue_mail(to=[(kp.email, kp.ui_language) for kp in asked], template="voice_consultation_asked", context={"consultation": c})
    return c


def _hours(value: object, field_name: str = "hours") -> Decimal:
    try:
        hours = Decimal(str(value or 0))
    except InvalidOperation as exc:
        raise DomainError(_("Give the hours as a number, e.g. 0.5."), field=field_name) from exc
    if not Decimal("0") <= hours <= Decimal("12") or hours != hours.quantize(Decimal("0.1")):
        raise DomainError(_("Give between 0 and 12 hours, with at most one decimal."), field=field_name)
    return hours


@transaction.atomic
def answer_consultation(
    *, actor: User, consultation: Consultation, answers: Sequence[tuple[int | None, str]], hours: object = 0
) -> list[ConsultationAnswer]:
    """A key person who was asked gives advice (on the whole, or per paragraph); a new answer
    replaces their earlier one. The hours count as work in the advisor role."""
    c = Consultation.objects.select_for_update(no_key=True).get(pk=consultation.pk)
    kp = getattr(actor, "key_person", None)
    if kp is None or not audience(c).filter(pk=kp.pk).exists():
        raise NotAllowed(_("This consultation did not ask you."))
    if c.status != ConsultationStatus.OPEN or c.deadline < clock.today():
        raise InvalidTransition(_("This consultation is closed for answers."))
    paragraphs = len(c.paragraphs())
    rows = []
    for paragraph, text in answers:
        text = sensitive.clean_text(text, "text", 4000)
        if not text:
            continue
        if paragraph is not None and not 0 <= paragraph < paragraphs:
            raise DomainError(_("This paragraph is not in the draft."), field="paragraph")
        rows.append((paragraph, text))
    if not rows:
        raise DomainError(_("Write your advice, on the whole or on a paragraph."), field="text")
    spent = _hours(hours)
    c.answers.filter(key_person=kp).delete()
    now = clock.now()
    created = ConsultationAnswer.objects.bulk_create(
        ConsultationAnswer(consultation=c, key_person=kp, paragraph=p, text=t, hours=spent if i == 0 else 0, submitted_at=now)
        for i, (p, t) in enumerate(rows)
    )
    processing.record(processing.CREATE, [kp], activity=ACTIVITY, actor=actor)
    queue_mail(to=_people([c.asked_by]), template="voice_consultation_answered", context={"consultation": c, "key_person": kp})
    return created


def _asker_only(actor: User, c: Consultation) -> None:
    if c.asked_by_id != actor.pk:
        raise NotAllowed(_("Only who asked for this advice can do this."))


@transaction.atomic
def record_meeting(*, actor: User, consultation: Consultation, attendees: Sequence[KeyPerson], minutes: str, hours: object) -> Consultation:
    """The sounding-board meeting took place: who came, the minutes, how long it took (advisor hours)."""
    c = Consultation.objects.select_for_update(no_key=True).get(pk=consultation.pk)
    _asker_only(actor, c)
    if c.kind != ConsultationKind.MEETING:
        raise InvalidTransition(_("Only a sounding-board meeting has attendees and minutes."))
    if c.status == ConsultationStatus.PUBLISHED:
        raise InvalidTransition(_("The outcome was shared already."))
    invited = set(audience(c).values_list("pk", flat=True)) | set(c.answers.values_list("key_person_id", flat=True))
    if any(kp.pk not in invited for kp in attendees):
        raise DomainError(_("Choose key persons this meeting invited."), field="attendees")
    c.minutes = sensitive.clean_text(minutes, "minutes", 20000, required=True)
    c.meeting_hours = _hours(hours, "meeting_hours")
    c.save(update_fields=["minutes", "meeting_hours", "updated_at"])
    c.attendees.set(attendees)
    processing.record(processing.UPDATE, list(attendees), activity=ACTIVITY, actor=actor)
    return c


@dataclass
class AdvicePointData:
    text: str
    adoption: str
    change: str = ""


@transaction.atomic
def publish_outcome(
    *, actor: User, consultation: Consultation, summary: str, points: Sequence[AdvicePointData], revised_text: str = ""
) -> Consultation:
    """The asker summarises, says per advice point what was adopted and what changed, and the
    outcome goes back to everyone who answered or attended."""
    c = Consultation.objects.select_for_update(no_key=True).get(pk=consultation.pk)
    _asker_only(actor, c)
    if c.status == ConsultationStatus.PUBLISHED:
        raise InvalidTransition(_("The outcome was shared already."))
    summary = sensitive.clean_text(summary, "summary", 8000, required=True)
    if not points:
        raise DomainError(_("Give at least one advice point and what you did with it."), field="points")
    rows = []
    for point in points:
        text = sensitive.clean_text(point.text, "points", 1000, required=True)
        if point.adoption not in Adoption.values:
            raise DomainError(_("Choose per advice point whether it was adopted."), field="points")
        change = sensitive.clean_text(point.change, "points", 2000)
        if point.adoption != Adoption.ADOPTED and not change:
            raise DomainError(_("Say what changed, or why not, for each point that was not adopted in full."), field="points")
        rows.append(AdvicePoint(consultation=c, text=text, adoption=point.adoption, change=change))
    c.summary, c.revised_text = summary, sensitive.clean_text(revised_text, "revised_text", 20000)
    c.status, c.published_at = ConsultationStatus.PUBLISHED, clock.now()
    c.save(update_fields=["summary", "revised_text", "status", "published_at", "updated_at"])
    c.advice_points.all().delete()
    AdvicePoint.objects.bulk_create(rows)
    told = {a.key_person for a in c.answers.select_related("key_person") if a.key_person} | set(c.attendees.all())
    processing.record(processing.READ, list(told), activity=ACTIVITY, actor=actor)
    queue_mail(to=[(kp.email, kp.ui_language) for kp in told], template="voice_consultation_outcome", context={"consultation": c})
    return c


@transaction.atomic
def close_consultation(*, actor: User, consultation: Consultation) -> Consultation:
    """No more answers: the asker starts summarising."""
    c = Consultation.objects.select_for_update(no_key=True).get(pk=consultation.pk)
    _asker_only(actor, c)
    if c.status != ConsultationStatus.OPEN:
        raise InvalidTransition(_("Only an open consultation can be closed."))
    c.status = ConsultationStatus.CLOSED
    c.save(update_fields=["status", "updated_at"])
    return c
