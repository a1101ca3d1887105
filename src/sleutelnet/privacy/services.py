"""Retention, erasure and data-subject requests: every step in a transaction, every person logged.

Retention (bewaartermijnen): per region and kind of record a period in months (defaults in
`RETENTION`, documented in docs/privacy.md). The daily job (`run_daily_retention`, from the
worker) and `sleutelnet retention [--dry-run]` find what is due and:

- requests that ended (closed or cancelled) longer ago than the period are *anonymised*: their
  free text goes, the newcomer is unlinked, the assignments lose their key person and their
  notes, the reports their outcome notes. Hours, roles, life domains, languages, municipality
  and the counts of people reached stay, so the reach figures do not change;
- newcomers registered longer ago, with no request left linked to them, are *erased*;
- key persons who stopped longer ago are *anonymised*: the record stays for the figures,
  without anything that says who it was; their login is closed;
- processing-log lines (per region), audit entries and sent e-mail older than their period
  are deleted.

Erasure on request (AVG art. 17) uses the same steps, without waiting for the period.
"""

from __future__ import annotations

import calendar
import dataclasses
import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from sleutelnet.allowances.services import forget_key_person
from sleutelnet.core import clock, processing
from sleutelnet.core.exceptions import DomainError, NotAllowed
from sleutelnet.core.models import AuditLogEntry, Membership, ProcessingLogEntry, Region, Role, User
from sleutelnet.core.selectors import has_role
from sleutelnet.deployments.models import (
    ActivityReport,
    Assignment,
    AssignmentStatus,
    Request,
    RequestStatus,
)
from sleutelnet.notifications.models import CalendarFeed, OutboxMessage, OutboxStatus
from sleutelnet.people.models import (
    AvailabilityException,
    Consent,
    KeyPerson,
    KeyPersonStatus,
    Newcomer,
)
from sleutelnet.privacy.models import (
    DataSubjectRequest,
    RetentionKind,
    RetentionRule,
    RetentionRun,
    SubjectRequestKind,
)


@dataclass(frozen=True)
class Period:
    """A retention period in months, and the bounds a region may set it within."""

    default: int
    minimum: int
    maximum: int


RETENTION: dict[str, Period] = {
    RetentionKind.REQUEST: Period(24, 6, 120),
    RetentionKind.NEWCOMER: Period(24, 6, 120),
    RetentionKind.KEY_PERSON: Period(24, 3, 120),
    # The database refuses to delete log lines younger than a year (core/migrations/0005).
    RetentionKind.PROCESSING_LOG: Period(36, 12, 120),
}


#: Failed sign-in attempts (django-axes) are kept this many days.
LOGIN_ATTEMPT_DAYS = 30


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day `months` calendar months earlier (the last day of a shorter month)."""
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    month += 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _start_of(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=timezone.get_current_timezone())


def retention_months(region: Region, kind: str) -> int:
    """The region's period for `kind`, or the default."""
    rule = RetentionRule.objects.filter(region=region, kind=kind).first()
    return rule.months if rule is not None else RETENTION[kind].default


def retention_periods(regions: Iterable[Region]) -> dict[tuple[int, str], int]:
    """(region id, kind) -> months for every kind of every region, the defaults filled in, in one
    query: pages and the daily job go over many regions, a query per region and kind adds up."""
    ids = [region.id for region in regions]
    periods = {(region_id, kind): period.default for region_id in ids for kind, period in RETENTION.items()}
    for region_id, kind, months in RetentionRule.objects.filter(region_id__in=ids, kind__in=RETENTION).values_list("region_id", "kind", "months"):
        periods[(region_id, kind)] = months
    return periods


def _privacy_officer(actor: User, region: Region) -> None:
    if not has_role(actor, Role.PRIVACY_OFFICER, region.id):
        raise NotAllowed(_("Only the privacy officer of this region can do this."))


@transaction.atomic
def set_retention(*, actor: User, region: Region, kind: str, months: int) -> RetentionRule:
    """The privacy officer sets the region's retention period for one kind of record."""
    _privacy_officer(actor, region)
    if kind not in RETENTION:
        raise DomainError(_("Choose a kind of record from the list."), field="kind")
    bounds = RETENTION[kind]
    if not bounds.minimum <= int(months) <= bounds.maximum:
        raise DomainError(
            _("Choose between %(min)d and %(max)d months.") % {"min": bounds.minimum, "max": bounds.maximum},
            field="months",
        )
    rule, _created = RetentionRule.objects.update_or_create(
        region=region, kind=kind, defaults={"months": int(months), "changed_by": actor, "changed_at": clock.now()}
    )
    return rule


# --- the steps -----------------------------------------------------------------------------------


def _in_default_language(text: Any) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return str(text)


def anonymise_request(req: Request, *, activity: str) -> None:
    """Take a request's free text and its links to persons away; keep what the figures need."""
    assignments = list(req.assignments.select_related("key_person"))
    processing.record(
        processing.ANONYMISE, [req.newcomer, *(a.key_person for a in assignments)], activity=activity
    )
    Consent.objects.filter(request=req).delete()  # a consent for this request only: nothing left to prove
    Assignment.objects.filter(request=req).update(
        key_person=None, match_reasons=[], decline_reason="", cancel_reason="", review_comment="", updated_at=clock.now()
    )
    ActivityReport.objects.filter(assignment__request=req).update(
        key_person=None, outcome="", follow_up="", updated_at=clock.now()
    )
    req.title = _in_default_language(req.get_kind_display())
    req.description = ""
    req.cancel_reason = ""
    req.place = req.municipality.name
    req.newcomer = None
    req.anonymised_at = clock.now()
    req.save(update_fields=["title", "description", "cancel_reason", "place", "newcomer", "anonymised_at", "updated_at"])


def erase_newcomer_record(nc: Newcomer, *, activity: str) -> None:
    """Delete a newcomer and their consents (their requests are unlinked first)."""
    for req in Request.objects.filter(newcomer=nc).select_related("municipality"):
        anonymise_request(req, activity=activity)
    processing.record(processing.ERASE, [nc], activity=activity)
    names = Q(body__icontains=nc.reference) | Q(subject__icontains=nc.reference)
    OutboxMessage.objects.filter(names).delete()
    nc.delete()


def anonymise_key_person_record(kp: KeyPerson, *, activity: str) -> None:
    """Remove who a key person was; the record stays (stopped) so old figures still add up."""
    processing.record(processing.ANONYMISE, [kp], activity=activity)
    email = kp.email
    user = kp.user
    if user is not None:
        email = email or user.email
        Membership.objects.filter(user=user).delete()
        user.username = f"erased-{user.uuid.hex[:12]}"
        user.first_name = user.last_name = user.email = ""
        user.password = make_password(None)
        user.is_active = False
        user.save(update_fields=["username", "first_name", "last_name", "email", "password", "is_active"])
    # E-mail to them, and e-mail to others that names them ("... declined"): their name is in it.
    mail = Q(body__icontains=kp.full_name) | Q(subject__icontains=kp.full_name)
    if email:
        mail |= Q(to_email__iexact=email)
    OutboxMessage.objects.filter(mail).delete()
    if user is not None:
        from django.contrib.admin.models import LogEntry
        from django.contrib.contenttypes.models import ContentType

        # The admin's history names the account by its name.
        LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(User), object_id=str(user.pk)).delete()
    CalendarFeed.objects.filter(key_person=kp).delete()
    forget_key_person(kp)  # the account number, allowances from elsewhere, receipts; the amounts stay
    kp.availability.all().delete()
    AvailabilityException.objects.filter(key_person=kp).delete()
    kp.languages.all().delete()
    kp.roles.clear()
    kp.life_domains.clear()
    kp.municipalities.clear()
    kp.excluded_for_newcomers.clear()
    kp.full_name = _in_default_language(_("Anonymised key person"))
    kp.email = kp.phone = kp.gender = ""
    kp.vog_valid_until = None
    kp.born_on = None
    kp.communication_language = None
    kp.user = None
    kp.status = KeyPersonStatus.STOPPED
    kp.anonymised_at = clock.now()
    kp.save()


def _purge_log(model: type, column: str, cutoff: dt.datetime, extra: str = "", params: list[Any] | None = None) -> int:
    """Delete old log rows with SQL: the models refuse deletes, the database allows only old rows."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        # Table and column names are our models' own, never input; the values are parameters.
        sql = f"DELETE FROM {table} WHERE {column} < %s {extra}"  # noqa: S608 # nosec B608
        cursor.execute(sql, [cutoff, *(params or [])])
        return cursor.rowcount


# --- retention ------------------------------------------------------------------------------------


@dataclass
class Due:
    """What retention would do in one region (or platform-wide) for one kind of record."""

    kind: str
    region: Region | None
    action: str
    cutoff: dt.date
    ids: list[Any] = field(default_factory=list)
    count: int = 0
    #: How many records were changed or deleted when it was carried out.
    done: int = 0


def due(today: dt.date | None = None, *, regions: Iterable[Region] | None = None) -> list[Due]:
    """Everything that is past its retention period on `today`, without changing anything.

    With `regions`, only what is due in those regions (the privacy officer's page): the
    records of other regions and those of no region (audit log, sign-in attempts, sent
    e-mail) are not looked at.
    """
    today = today or clock.today()
    found: list[Due] = []
    scoped = regions is not None
    in_order = sorted(regions, key=lambda r: (r.name, r.id)) if regions is not None else list(Region.objects.order_by("name", "id"))
    periods = retention_periods(in_order)
    for region in in_order:
        cut = months_before(today, periods[(region.id, RetentionKind.REQUEST)])
        requests = Request.objects.filter(
            region=region, anonymised_at__isnull=True, status__in=(RequestStatus.CLOSED, RequestStatus.CANCELLED),
            ends_at__lt=_start_of(cut),
        )
        found.append(Due(RetentionKind.REQUEST, region, processing.ANONYMISE, cut, [str(u) for u in requests.values_list("uuid", flat=True)]))

        cut = months_before(today, periods[(region.id, RetentionKind.NEWCOMER)])
        # Registered before the cut-off, no consent given since, and every request still linked to
        # them is anonymised in this same run (so none is left).
        old_requests = set(found[-1].ids)
        newcomers = (
            Newcomer.objects.filter(region=region, created_at__lt=_start_of(cut))
            .exclude(consents__given_on__gte=cut)
            .prefetch_related("requests")
            .distinct()
        )
        newcomer_ids = [
            str(nc.uuid) for nc in newcomers if all(str(r.uuid) in old_requests for r in nc.requests.all())
        ]
        found.append(Due(RetentionKind.NEWCOMER, region, processing.ERASE, cut, newcomer_ids))

        cut = months_before(today, periods[(region.id, RetentionKind.KEY_PERSON)])
        people = KeyPerson.objects.filter(
            region=region, status=KeyPersonStatus.STOPPED, anonymised_at__isnull=True, updated_at__lt=_start_of(cut)
        ).exclude(assignments__status__in=(AssignmentStatus.OFFERED, AssignmentStatus.ACCEPTED, AssignmentStatus.REPORTED))
        found.append(Due(RetentionKind.KEY_PERSON, region, processing.ANONYMISE, cut, [str(u) for u in people.distinct().values_list("uuid", flat=True)]))

        cut = months_before(today, periods[(region.id, RetentionKind.PROCESSING_LOG)])
        lines = ProcessingLogEntry.objects.filter(region_id=region.id, started_at__lt=_start_of(cut)).count()
        found.append(Due(RetentionKind.PROCESSING_LOG, region, processing.DELETE, cut, count=lines))
    if not scoped:
        found += platform_due(today)
    for d in found:
        d.count = d.count or len(d.ids)
    return found


def platform_due(today: dt.date) -> list[Due]:
    """What is due in the records of no region: the audit log, sign-in attempts, sent e-mail."""
    audit_cut = months_before(today, settings.AUDIT_LOG_RETENTION_MONTHS)
    attempts_cut = today - dt.timedelta(days=LOGIN_ATTEMPT_DAYS)
    mail_cut = today - dt.timedelta(days=settings.OUTBOX_RETENTION_DAYS)
    mail = OutboxMessage.objects.filter(created_at__lt=_start_of(mail_cut)).exclude(status=OutboxStatus.PENDING)
    return [
        Due("audit_log", None, processing.DELETE, audit_cut, count=AuditLogEntry.objects.filter(at__lt=_start_of(audit_cut)).count()),
        Due("login_attempts", None, processing.DELETE, attempts_cut, count=_attempts(attempts_cut).count()),
        Due("outbox", None, processing.DELETE, mail_cut, count=mail.count()),
    ]


def apply_retention(items: list[Due], *, limit: int | None = None) -> Counter[str]:
    """Carry out what `due()` found, each kind of each region in its own transaction; with
    `limit`, at most that many records of each kind (the logs are deleted with one statement)."""
    done: Counter[str] = Counter()
    for item in items:
        if item.count:
            if limit is not None and item.ids:
                item = dataclasses.replace(item, ids=item.ids[:limit], count=min(item.count, limit))
            with transaction.atomic():
                item.done = _apply(item)
            done[item.kind] += item.done
    return done


def _apply(item: Due) -> int:
    if item.kind == RetentionKind.REQUEST:
        requests = Request.objects.filter(uuid__in=item.ids, anonymised_at__isnull=True).select_related("municipality", "newcomer")
        for req in requests:
            anonymise_request(req, activity="retention")
        return len(requests)
    if item.kind == RetentionKind.NEWCOMER:
        newcomers = list(Newcomer.objects.filter(uuid__in=item.ids))
        for nc in newcomers:
            erase_newcomer_record(nc, activity="retention")
        return len(newcomers)
    if item.kind == RetentionKind.KEY_PERSON:
        people = KeyPerson.objects.filter(uuid__in=item.ids, anonymised_at__isnull=True).select_related("user")
        for kp in people:
            anonymise_key_person_record(kp, activity="retention")
        return len(people)
    if item.kind == RetentionKind.PROCESSING_LOG:
        if item.region is None:  # pragma: no cover - due() always names the region
            raise ValueError("processing-log retention is per region")
        return _purge_log(ProcessingLogEntry, "started_at", _start_of(item.cutoff), "AND region_id = %s", [item.region.id])
    if item.kind == "audit_log":
        return _purge_log(AuditLogEntry, "at", _start_of(item.cutoff))
    if item.kind == "login_attempts":
        from axes.models import AccessFailureLog

        deleted = _attempts(item.cutoff).delete()[0]
        return deleted + AccessFailureLog.objects.filter(attempt_time__lt=_start_of(item.cutoff)).delete()[0]
    mail = OutboxMessage.objects.filter(created_at__lt=_start_of(item.cutoff)).exclude(status=OutboxStatus.PENDING)
    return mail.delete()[0]


def _attempts(cutoff: dt.date) -> Any:
    """Failed sign-ins that django-axes keeps (username, address): only as long as needed."""
    from axes.models import AccessAttempt

    return AccessAttempt.objects.filter(attempt_time__lt=_start_of(cutoff))


def run_retention(*, today: dt.date | None = None, dry_run: bool = False) -> tuple[list[Due], Counter[str]]:
    """Find what is due and, unless `dry_run`, carry it out (one processing operation)."""
    with processing.operation(channel="system", activity="retention", description="retention"):
        items = due(today)
        return items, (Counter() if dry_run else apply_retention(items))


def run_daily_retention(*, now: dt.datetime | None = None, limit: int | None = None) -> DailyStep | None:
    """The worker's daily retention, one step per worker round, once a day after RETENTION_HOUR,
    whatever the number of workers.

    A step handles one region, at most `limit` (RETENTION_BATCH) records of each kind; a region
    with more is taken up again in the next round, and after the last region the platform-wide
    logs. So the worker goes on sending mail and recomputing figures between steps, also on the
    day a region's history first passes its period (a million requests at national scale, about
    7 ms each). Returns None when there is nothing to do (too early, or today's run is done or
    another worker holds it)."""
    now = timezone.localtime(now or timezone.now())
    if now.hour < settings.RETENTION_HOUR:
        return None
    limit = settings.RETENTION_BATCH if limit is None else limit
    try:
        with transaction.atomic():
            RetentionRun.objects.create(day=now.date(), started_at=now)
    except IntegrityError:
        pass  # started earlier today (perhaps by another worker)
    with transaction.atomic():
        run = RetentionRun.objects.select_for_update(skip_locked=True).filter(day=now.date(), finished_at__isnull=True).first()
        if run is None:
            return None  # finished today, or another worker is taking a step
        region = Region.objects.filter(id__gt=run.done_through_region).order_by("id").first()
        with processing.operation(channel="system", activity="retention", description="retention"):
            if region is not None:
                items = due(now.date(), regions=[region])
                if any(item.kind == RetentionKind.REQUEST and item.count > limit for item in items):
                    # Erasing a newcomer anonymises their requests too (seven each, at national
                    # scale): the newcomers wait until the region's requests are done, and then
                    # cost one delete each.
                    items = [item for item in items if item.kind == RetentionKind.REQUEST]
                    complete = False
                else:
                    complete = True
                done = apply_retention(items, limit=limit)
                if complete and all(item.count <= limit for item in items if item.ids):
                    run.done_through_region = region.id
            else:
                done = apply_retention(platform_due(now.date()))
                run.finished_at = timezone.now()
        run.counts = dict(Counter(run.counts) + done)
        run.save(update_fields=["counts", "done_through_region", "finished_at"])
    return DailyStep(done=done, finished=run.finished_at is not None)


@dataclass
class DailyStep:
    """What one step of the daily retention did, and whether today's run is now complete."""

    done: Counter[str]
    finished: bool


# --- data-subject requests ------------------------------------------------------------------------


def _log_request(actor: User, region: Region, kind: str, subject: Newcomer | KeyPerson, note: str = "") -> DataSubjectRequest:
    subject_kind = processing.subject_kind(subject) or ""
    return DataSubjectRequest.objects.create(
        region=region,
        kind=kind,
        subject_kind=subject_kind,
        subject=processing.pseudonym(subject_kind, subject.pk),
        handled_by=actor,
        handled_at=clock.now(),
        note=note[:500],
    )


@transaction.atomic
def record_access(*, actor: User, subject: Newcomer | KeyPerson) -> DataSubjectRequest:
    """The privacy officer gave a person everything held about them (the export is logged as such)."""
    _privacy_officer(actor, subject.region)
    processing.record(processing.EXPORT, [subject], activity="data-subject-rights", actor=actor)
    return _log_request(actor, subject.region, SubjectRequestKind.ACCESS, subject)


def _confirmed(subject_label: str, confirmation: str) -> None:
    if (confirmation or "").strip().casefold() != subject_label.strip().casefold():
        raise DomainError(
            _("Type %(what)s exactly to confirm: erasing cannot be undone.") % {"what": subject_label}, field="confirmation"
        )


@transaction.atomic
def erase_newcomer(*, actor: User, newcomer: Newcomer, confirmation: str, note: str = "") -> DataSubjectRequest:
    """Erase a newcomer on their request: the record, the consents, and the links and free text of
    their requests. Refused while a request about them is still open or confirmed."""
    nc = Newcomer.objects.select_for_update(of=("self",)).select_related("region").get(pk=newcomer.pk)
    _privacy_officer(actor, nc.region)
    _confirmed(nc.reference, confirmation)
    if nc.requests.filter(status__in=(RequestStatus.OPEN, RequestStatus.FILLED)).exists():
        raise DomainError(_("A request about this newcomer is still open or confirmed: cancel it first, then erase."))
    request = _log_request(actor, nc.region, SubjectRequestKind.ERASURE, nc, note)
    erase_newcomer_record(nc, activity="data-subject-rights")
    return request


@transaction.atomic
def erase_key_person(*, actor: User, key_person: KeyPerson, confirmation: str, note: str = "") -> DataSubjectRequest:
    """Erase a key person on their request: anonymise the record, close the login, delete their mail
    and calendar link. Refused while they have an open offer, an assignment to come or a report to review."""
    kp = KeyPerson.objects.select_for_update(of=("self",)).select_related("region", "user").get(pk=key_person.pk)
    _privacy_officer(actor, kp.region)
    _confirmed(kp.full_name, confirmation)
    if kp.assignments.filter(status__in=(AssignmentStatus.OFFERED, AssignmentStatus.ACCEPTED, AssignmentStatus.REPORTED)).exists():
        raise DomainError(_("This key person still has an offer, an assignment or a report in progress: finish or cancel those first."))
    request = _log_request(actor, kp.region, SubjectRequestKind.ERASURE, kp, note)
    anonymise_key_person_record(kp, activity="data-subject-rights")
    return request
