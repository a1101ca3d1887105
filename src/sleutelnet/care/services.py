"""State changes of care: onboarding steps and activation, VOG, agreements, trainings,
check-ins, the experience statement and the VOG reminders. Coordinators of the region only."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from sleutelnet.care.models import (
    STEPS,
    Agreement,
    AgreementKind,
    Attendance,
    Certificate,
    CheckIn,
    CheckInReason,
    Course,
    CourseKind,
    ExperienceStatement,
    OnboardingStep,
    Step,
    TrainingSession,
    VogReminder,
)
from sleutelnet.core import clock, processing, sensitive
from sleutelnet.core.exceptions import DomainError, InvalidTransition, NotAllowed
from sleutelnet.core.models import Region, Role, User
from sleutelnet.core.selectors import has_role
from sleutelnet.notifications import recipients
from sleutelnet.notifications.services import queue_mail
from sleutelnet.people.models import KeyPerson, KeyPersonStatus

#: VOG reminders go out this many days before the VOG ends.
VOG_REMINDER_DAYS = (60, 14)
#: Dates further back than this are a typo, not history.
EARLIEST = dt.date(2000, 1, 1)


def _coordinator(actor: User, region_id: int) -> None:
    if not has_role(actor, Role.COORDINATOR, region_id):
        raise NotAllowed(_("Only a coordinator of this region can do this."))


def _locked(kp: KeyPerson) -> KeyPerson:
    return KeyPerson.objects.select_for_update(no_key=True).get(pk=kp.pk)


def _date(value: dt.date | None, field: str, *, future_days: int = 0) -> dt.date:
    if value is None:
        raise DomainError(_("Give a date."), field=field)
    if value < EARLIEST or value > clock.today() + dt.timedelta(days=future_days):
        raise DomainError(_("Give a date between 2000 and today."), field=field)
    return value


def _log(actor: User, kp: KeyPerson) -> None:
    processing.record(processing.UPDATE, [kp], activity="key-person-registry", actor=actor)


def add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    year, month = index // 12, index % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, d)
        except ValueError:
            continue
    raise AssertionError("unreachable")  # pragma: no cover


def _step(actor: User, kp: KeyPerson, step: str, done_on: dt.date, note: str = "") -> OnboardingStep:
    row, _created = OnboardingStep.objects.update_or_create(
        key_person=kp, step=step, defaults={"done_on": done_on, "done_by": actor, "note": note}
    )
    return row


# --- onboarding -------------------------------------------------------------------------------


@transaction.atomic
def complete_step(*, actor: User, key_person: KeyPerson, step: str, done_on: dt.date | None, note: str = "") -> OnboardingStep:
    """Tick off a step of the onboarding (the intake, or the basic training without a certificate)."""
    kp = _locked(key_person)
    _coordinator(actor, kp.region_id)
    if step not in STEPS:
        raise DomainError(_("Choose a step from the list."), field="step")
    if step in (Step.VOG, Step.AGREEMENT):
        raise DomainError(_("Record the VOG or the agreement itself; the step is ticked off with it."), field="step")
    note = sensitive.clean_text(note, "note", 300)
    row = _step(actor, kp, step, _date(done_on, "done_on"), note)
    _log(actor, kp)
    return row


@transaction.atomic
def record_vog(*, actor: User, key_person: KeyPerson, issued_on: dt.date | None) -> KeyPerson:
    """A VOG was received: it is valid for the region's number of years from the day it was issued."""
    kp = _locked(key_person)
    _coordinator(actor, kp.region_id)
    issued_on = _date(issued_on, "issued_on")
    years = Region.objects.filter(pk=kp.region_id).values_list("vog_valid_years", flat=True).first() or 3
    kp.vog_issued_on = issued_on
    kp.vog_valid_until = add_years(issued_on, years) - dt.timedelta(days=1)
    if kp.vog_valid_until < clock.today():
        raise DomainError(
            _("This VOG ended on %(day)s. Ask for a new one.") % {"day": kp.vog_valid_until.strftime("%d-%m-%Y")},
            field="issued_on",
        )
    kp.save(update_fields=["vog_issued_on", "vog_valid_until", "updated_at"])
    _step(actor, kp, Step.VOG, issued_on)
    _log(actor, kp)
    return kp


@transaction.atomic
def record_agreement(
    *,
    actor: User,
    key_person: KeyPerson,
    kind: str,
    starts_on: dt.date | None,
    signed_on: dt.date | None,
    ends_on: dt.date | None = None,
    hourly_rate: Decimal | None = None,
    confidentiality_signed_on: dt.date | None = None,
) -> Agreement:
    """An agreement was signed. A volunteer has no hourly rate; a paid key person must have one.
    A new agreement ends the one before it the day before it starts."""
    kp = _locked(key_person)
    _coordinator(actor, kp.region_id)
    if kind not in AgreementKind.values:
        raise DomainError(_("Choose a kind of agreement from the list."), field="kind")
    starts_on = _date(starts_on, "starts_on", future_days=366)
    signed_on = _date(signed_on, "signed_on")
    if ends_on is not None and ends_on < starts_on:
        raise DomainError(_("The end must be on or after the start."), field="ends_on")
    if kind == AgreementKind.VOLUNTEER and hourly_rate:
        raise DomainError(_("A volunteer gets an allowance, not an hourly rate: leave it empty."), field="hourly_rate")
    if kind != AgreementKind.VOLUNTEER and (hourly_rate is None or hourly_rate <= 0):
        raise DomainError(_("Give the hourly rate of a paid key person."), field="hourly_rate")
    if confidentiality_signed_on is not None:
        confidentiality_signed_on = _date(confidentiality_signed_on, "confidentiality_signed_on")
    Agreement.objects.filter(key_person=kp, ends_on__isnull=True, starts_on__lt=starts_on).update(
        ends_on=starts_on - dt.timedelta(days=1)
    )
    agreement = Agreement.objects.create(
        key_person=kp, kind=kind, starts_on=starts_on, ends_on=ends_on, hourly_rate=hourly_rate or None,
        signed_on=signed_on, confidentiality_signed_on=confidentiality_signed_on, recorded_by=actor,
    )
    _step(actor, kp, Step.AGREEMENT, signed_on)
    if confidentiality_signed_on is not None:
        _step(actor, kp, Step.CONFIDENTIALITY, confidentiality_signed_on)
    _log(actor, kp)
    return agreement


@transaction.atomic
def record_birth_date(*, actor: User, key_person: KeyPerson, born_on: dt.date | None) -> KeyPerson:
    """The date of birth, only for the allowance limit per hour (lower below 21); empty clears it."""
    kp = _locked(key_person)
    _coordinator(actor, kp.region_id)
    today = clock.today()
    if born_on is not None and not (dt.date(today.year - 100, 1, 1) <= born_on <= dt.date(today.year - 12, today.month, 1)):
        raise DomainError(_("Give a date of birth of someone aged 12 to 100."), field="born_on")
    kp.born_on = born_on
    kp.save(update_fields=["born_on", "updated_at"])
    _log(actor, kp)
    return kp


def missing_steps(kp: KeyPerson) -> list[str]:
    done = set(OnboardingStep.objects.filter(key_person=kp).values_list("step", flat=True))
    return [s for s in STEPS if s not in done]


@transaction.atomic
def activate(*, actor: User, key_person: KeyPerson) -> KeyPerson:
    """A candidate becomes active (and can be offered work) when every step is done and the VOG is valid."""
    kp = _locked(key_person)
    _coordinator(actor, kp.region_id)
    if kp.status != KeyPersonStatus.CANDIDATE:
        raise InvalidTransition(_("Only a candidate can be made active."))
    missing = missing_steps(kp)
    if missing:
        labels = ", ".join(str(Step(s).label).lower() for s in missing)
        raise DomainError(_("Not every step is done yet: %(steps)s.") % {"steps": labels}, field="step")
    if not kp.vog_valid_on(clock.today()):
        raise DomainError(_("The VOG is not valid today. Record a new VOG first."), field="issued_on")
    kp.status = KeyPersonStatus.ACTIVE
    kp.save(update_fields=["status", "updated_at"])
    _log(actor, kp)
    queue_mail(to=recipients.key_person(kp), template="care_activated", context={"key_person": kp})
    return kp


# --- trainings ---------------------------------------------------------------------------------


@transaction.atomic
def create_course(
    *, actor: User, region: Region, name: str, kind: str, days: int = 1, certificate_months: int | None = None,
    gives_certificate: bool = True,
) -> Course:
    _coordinator(actor, region.id)
    name = sensitive.clean_text(name, "name", 200, required=True)
    if kind not in CourseKind.values:
        raise DomainError(_("Choose a kind of training from the list."), field="kind")
    if not 1 <= int(days) <= 60:
        raise DomainError(_("Give between 1 and 60 days."), field="days")
    if certificate_months is not None and not 1 <= int(certificate_months) <= 120:
        raise DomainError(_("Give between 1 and 120 months, or leave it empty."), field="certificate_months")
    return Course.objects.create(
        region=region, name=name, kind=kind, days=days, certificate_months=certificate_months,
        gives_certificate=gives_certificate and kind != CourseKind.INTERVISION,
    )


@transaction.atomic
def plan_session(*, actor: User, course: Course, starts_at: dt.datetime | None, place: str = "") -> TrainingSession:
    _coordinator(actor, course.region_id)
    if starts_at is None:
        raise DomainError(_("Give a date and time."), field="starts_at")
    if not EARLIEST <= starts_at.date() <= clock.today() + dt.timedelta(days=730):
        raise DomainError(_("Give a date within two years from now."), field="starts_at")
    place = sensitive.clean_text(place, "place", 200)
    return TrainingSession.objects.create(course=course, starts_at=starts_at, place=place)


@transaction.atomic
def record_attendance(*, actor: User, session: TrainingSession, present: list[KeyPerson]) -> list[Attendance]:
    """Who came to a session. Everyone of the region not in `present` who was listed is marked absent."""
    course = session.course
    _coordinator(actor, course.region_id)
    if any(kp.region_id != course.region_id for kp in present):
        raise DomainError(_("Choose key persons of your region."), field="present")
    rows = []
    ids = {kp.pk for kp in present}
    Attendance.objects.filter(session=session).exclude(key_person_id__in=ids).update(attended=False)
    for kp in present:
        row, _created = Attendance.objects.update_or_create(
            session=session, key_person=kp, defaults={"attended": True, "recorded_by": actor}
        )
        rows.append(row)
    if present:
        processing.record(processing.UPDATE, present, activity="key-person-registry", actor=actor)
    return rows


@transaction.atomic
def issue_certificate(*, actor: User, key_person: KeyPerson, course: Course, issued_on: dt.date | None) -> Certificate:
    """A certificate of a course; a basic training's certificate ticks off that onboarding step."""
    kp = _locked(key_person)
    _coordinator(actor, kp.region_id)
    if course.region_id != kp.region_id:
        raise DomainError(_("Choose a training of your region."), field="course")
    if not course.gives_certificate:
        raise DomainError(_("This training gives no certificate; record the attendance instead."), field="course")
    issued_on = _date(issued_on, "issued_on")
    valid_until = (
        add_months(issued_on, course.certificate_months) - dt.timedelta(days=1) if course.certificate_months else None
    )
    cert = Certificate.objects.create(key_person=kp, course=course, issued_on=issued_on, valid_until=valid_until, issued_by=actor)
    if course.kind == CourseKind.BASIC:
        _step(actor, kp, Step.BASIC_TRAINING, issued_on, note=course.name)
    _log(actor, kp)
    return cert


# --- check-ins ---------------------------------------------------------------------------------


@transaction.atomic
def log_check_in(*, actor: User, key_person: KeyPerson, on: dt.date | None, reason: str, note: str = "") -> CheckIn:
    """A check-in conversation took place: the date and who; no content is needed."""
    _coordinator(actor, key_person.region_id)
    if reason not in CheckInReason.values:
        raise DomainError(_("Choose a reason from the list."), field="reason")
    note = sensitive.clean_text(note, "note", 300)
    row = CheckIn.objects.create(key_person=key_person, on=_date(on, "on"), by=actor, reason=reason, note=note)
    _log(actor, key_person)
    return row


# --- the experience statement -------------------------------------------------------------------


@transaction.atomic
def sign_experience_statement(*, actor: User, key_person: KeyPerson) -> ExperienceStatement:
    """The coordinator signs off what Sleutelnet knows of the key person's work, as it is today."""
    from sleutelnet.care.selectors import experience

    _coordinator(actor, key_person.region_id)
    content = experience(key_person, clock.today()).as_json()
    if not content["activities"]:
        raise InvalidTransition(_("There is no approved work yet to put in a statement."))
    statement = ExperienceStatement.objects.create(
        key_person=key_person, signed_by=actor, signed_on=clock.today(), content=content
    )
    _log(actor, key_person)
    queue_mail(to=recipients.key_person(key_person), template="care_statement_signed", context={"key_person": key_person})
    return statement


# --- VOG reminders (the worker, daily) -------------------------------------------------------------


def send_vog_reminders(*, today: dt.date | None = None) -> int:
    """Queue a reminder to the key person and the coordinators 60 and 14 days before a VOG ends,
    once per VOG and moment (several workers may run this at the same time)."""
    today = today or clock.today()
    sent = 0
    for days in VOG_REMINDER_DAYS:
        ends = today + dt.timedelta(days=days)
        people = KeyPerson.objects.filter(
            vog_valid_until__gt=ends - dt.timedelta(days=7), vog_valid_until__lte=ends,
            status__in=(KeyPersonStatus.ACTIVE, KeyPersonStatus.PAUSED, KeyPersonStatus.CANDIDATE),
            anonymised_at__isnull=True,
        ).select_related("user")
        for kp in people:
            try:
                with transaction.atomic():
                    VogReminder.objects.create(key_person=kp, valid_until=kp.vog_valid_until, days_before=days, sent_at=clock.now())
                    context = {"key_person": kp, "valid_until": kp.vog_valid_until}
                    queue_mail(to=recipients.key_person(kp), template="care_vog_reminder", context=context)
                    queue_mail(to=recipients.coordinators(kp.region_id), template="care_vog_reminder_coordinator", context=context)
            except IntegrityError:
                continue  # already reminded
            sent += 1
    return sent
