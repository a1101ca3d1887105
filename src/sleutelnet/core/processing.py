"""The processing log (after the Logboek Dataverwerkingen standard) and the audit log.

Every read, change, export and deletion of personal data of a newcomer or a key person writes
one line per person concerned, with no sampling: when, which operation, which person (a keyed
pseudonym, never the plain id), which processing activity with its legal basis, and the
outcome. Who did it is not in those lines: it goes into the audit log, one entry per
operation, joined by the operation id.

How lines come about:

- An *operation* is open while a request is served (`core.middleware.ProcessingLogMiddleware`),
  a worker round runs or a command works (`operation()`). Reads are collected without anyone
  having to remember it: every Newcomer or KeyPerson row loaded from the database while an
  operation is open is noted (a `post_init` signal), because what is loaded is what can be
  shown. When the operation ends, one line per person is written with the audit entry, in one
  transaction; if that fails, the response is not sent (fail closed, `ProcessingLogUnavailable`).
- A service that changes personal data calls `record()` inside its own transaction: the lines
  are written at once, so the change cannot be committed without them.

Both tables are append-only for the application: the models refuse updates and deletes, and on
PostgreSQL triggers refuse them for the database role too (core/migrations/0005).
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import hashlib
import hmac
import logging
import secrets
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

log = logging.getLogger("sleutelnet.processing")


# --- the register of processing activities (GDPR art. 30) ------------------------------------


@dataclass(frozen=True)
class ProcessingActivity:
    """One entry of the register of processing activities (verwerkingsregister)."""

    code: str
    name: Any
    purpose: Any
    legal_basis: Any
    subjects: tuple[str, ...]
    data: Any


def _activity(code: str, name: str, purpose: str, legal_basis: str, subjects: tuple[str, ...], data: str) -> ProcessingActivity:
    return ProcessingActivity(code, name, purpose, legal_basis, subjects, data)


ACTIVITIES: dict[str, ProcessingActivity] = {
    a.code: a
    for a in (
        _activity(
            "key-person-registry",
            _("Register of key persons"),
            _("Knowing who the key persons are, how to reach them, what they can do and when."),
            _("GDPR art. 6(1)(b): the volunteer or employment agreement with the key person."),
            ("key_person",),
            _(
                "name, contact details, languages, roles, life domains, municipalities, availability, "
                "capacity, status, VOG date, self-described gender"
            ),
        ),
        _activity(
            "newcomer-registration",
            _("Pseudonymous registration of newcomers"),
            _("Arranging support by a key person for a newcomer who asked for it."),
            _(
                "GDPR art. 6(1)(e): the municipality's task under the Wet inburgering 2021; support "
                "by a key person only with the newcomer's recorded consent (art. 6(1)(a))."
            ),
            ("newcomer",),
            _(
                "municipality's reference, first name or initials, languages, Dutch level, learning "
                "route, municipality, consent, contact details if given, key persons never to offer"
            ),
        ),
        _activity(
            "deployment",
            _("Matching and deploying key persons"),
            _("Offering requests to key persons who fit, and keeping their agenda."),
            _("GDPR art. 6(1)(e) for the newcomer (with consent), art. 6(1)(b) for the key person."),
            ("newcomer", "key_person"),
            _(
                "the request (time, place, language, roles), the newcomer's first name, the key "
                "person's profile and assignments, reasons for declining"
            ),
        ),
        _activity(
            "activity-reporting",
            _("Activity reports and reach"),
            _("Accounting for the key persons' work and its reach to the council and funders."),
            _("GDPR art. 6(1)(e): accountability for public money; art. 6(1)(b) for the key person's hours."),
            ("newcomer", "key_person"),
            _("hours, roles used, life domains, languages, counts of participants, outcome notes"),
        ),
        _activity(
            "notifications",
            _("Messages about offers and assignments"),
            _("Telling those involved about offers, answers and tomorrow's assignments."),
            _("GDPR art. 6(1)(b) for the key person, art. 6(1)(e) for the newcomer."),
            ("newcomer", "key_person"),
            _("e-mail address, name, the request's time and place"),
        ),
        _activity(
            "privacy-supervision",
            _("Supervision of the processing"),
            _("Letting the privacy officer check who processed whose data, and why."),
            _("GDPR art. 6(1)(c): accountability and security (art. 5(2), 24 and 32 GDPR; BIO)."),
            ("newcomer", "key_person"),
            _("pseudonyms in the processing log, the audit log"),
        ),
        _activity(
            "data-subject-rights",
            _("Rights of data subjects"),
            _("Giving a person everything held about them, or erasing it, when they ask."),
            _("GDPR art. 6(1)(c): articles 12 to 20 GDPR."),
            ("newcomer", "key_person"),
            _("everything held about the person"),
        ),
        _activity(
            "retention",
            _("Retention"),
            _("Deleting or anonymising records at the end of their retention period."),
            _("GDPR art. 6(1)(c): storage limitation (art. 5(1)(e) GDPR)."),
            ("newcomer", "key_person"),
            _("the records due"),
        ),
        _activity(
            "voice",
            _("Signals and advice"),
            _("Bringing what key persons notice in their communities, and their advice, to policy, and the answers back."),
            _("GDPR art. 6(1)(e): the municipality's task under the Wet inburgering 2021; art. 6(1)(b) for the key person."),
            ("key_person",),
            _("signals raised and advice given by key persons, the hours spent on advice; never named newcomers"),
        ),
        _activity(
            "allowances",
            _("Allowances and expenses"),
            _("Paying key persons their volunteer allowance, pay and expenses, within the tax-free limits."),
            _("GDPR art. 6(1)(b): the agreement with the key person; art. 6(1)(c): tax law (the limits, the books)."),
            ("key_person",),
            _(
                "hours and allowance per month, allowances from other organisations, expense claims and "
                "receipts, IBAN and account holder, date of birth (for the limit per hour)"
            ),
        ),
        _activity(
            "account-management",
            _("Accounts and sign-in"),
            _("Letting the right people sign in, with the right roles, securely."),
            _("GDPR art. 6(1)(c) and (e): security of processing (art. 32 GDPR; BIO)."),
            ("key_person",),
            _("username, name, e-mail address, roles, second factor, sign-in attempts"),
        ),
    )
}


READ, CREATE, UPDATE, DELETE, EXPORT, IMPORT, ERASE, ANONYMISE = (
    "read", "create", "update", "delete", "export", "import", "erase", "anonymise",
)
OPERATIONS = (READ, CREATE, UPDATE, DELETE, EXPORT, IMPORT, ERASE, ANONYMISE)

#: Models whose rows are personal data of a data subject, by subject kind.
SUBJECT_MODELS = {"people.Newcomer": "newcomer", "people.KeyPerson": "key_person"}


class ProcessingLogUnavailable(Exception):
    """The processing log could not be written: the data must not be shown or changed."""


# --- pseudonyms ------------------------------------------------------------------------------


def _key() -> bytes:
    configured = getattr(settings, "PROCESSING_LOG_KEY", "")
    if configured:
        return configured.encode()
    return hmac.new(settings.SECRET_KEY.encode(), b"sleutelnet-processing-log", hashlib.sha256).digest()


def pseudonym(kind: str, pk: int) -> str:
    """The keyed pseudonym of a person in the logs: HMAC-SHA256 of kind and row id.

    A plain hash could be reversed by trying every id; without the key it cannot.
    """
    return hmac.new(_key(), f"{kind}:{pk}".encode(), hashlib.sha256).hexdigest()


def subject_kind(instance: Any) -> str | None:
    return SUBJECT_MODELS.get(instance._meta.label)


# --- operations ------------------------------------------------------------------------------


@dataclass
class Operation:
    """One processing operation: a request served, a worker round, a command."""

    channel: str
    activity: str | None = None
    trace_id: str = field(default_factory=lambda: secrets.token_hex(16))
    operation_id: str = field(default_factory=lambda: secrets.token_hex(8))
    started_at: dt.datetime = field(default_factory=timezone.now)
    collect_reads: bool = True
    #: (kind, pk) -> region id, for every person loaded while the operation was open.
    reads: dict[tuple[str, int], int | None] = field(default_factory=dict)
    #: Lines already written by services (operation, kind, pk), so reads are not doubled by them.
    written: set[tuple[str, str, int]] = field(default_factory=set)
    #: Regions of the persons concerned, for the privacy officer's scope.
    regions: set[int] = field(default_factory=set)
    lines_written: int = 0


_current: contextvars.ContextVar[Operation | None] = contextvars.ContextVar("sleutelnet_operation", default=None)


def current() -> Operation | None:
    return _current.get()


@contextlib.contextmanager
def operation(
    *, channel: str, activity: str | None = None, actor: Any = None, collect_reads: bool = True, description: str = "",
    read_operation: str = READ,
) -> Iterator[Operation]:
    """Open an operation for a worker round or a command; its reads are written at the end
    (as `read_operation`: an export task logs the persons it wrote to a file as exported)."""
    op = Operation(channel=channel, activity=activity, collect_reads=collect_reads)
    token = _current.set(op)
    try:
        yield op
    except BaseException:
        _current.reset(token)
        with contextlib.suppress(ProcessingLogUnavailable, DatabaseError):  # the first error counts
            finish(op, actor=actor, status="ERROR", view=description, read_operation=read_operation)
        raise
    _current.reset(token)
    finish(op, actor=actor, status="OK", view=description, read_operation=read_operation)


def note_loaded(sender: type, instance: Any, **kwargs: Any) -> None:
    """post_init: a person's row was loaded while an operation is open."""
    op = _current.get()
    if op is None or not op.collect_reads:
        return
    pk = instance.__dict__.get("id")
    if pk is None:  # a new record, not yet saved: its creation is recorded by the service
        return
    kind = SUBJECT_MODELS[sender._meta.label]
    op.reads[(kind, pk)] = instance.__dict__.get("region_id")


def note_read(kind: str, pk: int, region_id: int | None) -> None:
    """A person's data was read without loading their row (a values() query): note it all the same."""
    op = _current.get()
    if op is not None and op.collect_reads and pk is not None:
        op.reads[(kind, pk)] = region_id


#: The columns of a processing-log line, in the order `_line` gives them.
LINE_COLUMNS = (
    "trace_id", "operation_id", "operation", "started_at", "ended_at", "status", "processing_activity",
    "subject_kind", "subject", "region_id", "channel",
)  # fmt: skip
_LINE_TYPES = ("text", "text", "text", "timestamptz", "timestamptz", "text", "text", "text", "text", "bigint", "text")


def _line(
    op: Operation, *, operation: str, kind: str, pk: int, region_id: int | None, activity: str, status: str, now: dt.datetime
) -> tuple[Any, ...]:
    """One processing-log line as the values of LINE_COLUMNS."""
    return (
        op.trace_id, op.operation_id, operation, op.started_at, now, status, activity, kind, pseudonym(kind, pk),
        region_id, op.channel,
    )  # fmt: skip


def _write_lines(lines: list[tuple[Any, ...]]) -> None:
    """Insert the lines of an operation in one statement.

    On PostgreSQL the lines go in as one array per column (INSERT ... SELECT FROM UNNEST) without
    a model instance per line: a request with its candidates names some 360 key persons, and
    preparing them through bulk_create cost about 20 ms of the page (bench/README.md, sixth
    round). Elsewhere (SQLite, development) bulk_create does it.
    """
    from django.db import connection

    from sleutelnet.core.models import ProcessingLogEntry

    if not lines:
        return
    if connection.vendor != "postgresql":
        ProcessingLogEntry.objects.bulk_create([ProcessingLogEntry(**dict(zip(LINE_COLUMNS, line, strict=True))) for line in lines])
        return
    quote = connection.ops.quote_name
    columns = ", ".join(quote(c) for c in LINE_COLUMNS)
    arrays = ", ".join(f"%s::{t}[]" for t in _LINE_TYPES)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(ProcessingLogEntry._meta.db_table)} ({columns}) SELECT * FROM UNNEST({arrays})",  # noqa: S608 # nosec B608 - our own table and column names
            [list(column) for column in zip(*lines, strict=True)],
        )


def _check_activity(activity: str | None) -> str:
    if activity not in ACTIVITIES:
        raise ValueError(f"Unknown processing activity {activity!r}: add it to core.processing.ACTIVITIES")
    return activity  # type: ignore[return-value]


def record(operation: str, subjects: Iterable[Any], *, activity: str, actor: Any = None) -> None:
    """Services: write one line per person for a change, now, inside the caller's transaction.

    `subjects` are Newcomer or KeyPerson instances (None is skipped). Without an open operation
    (the demo, a test calling a service) the lines get a system operation of their own, with
    an audit entry naming `actor`.
    """

    activity = _check_activity(activity)
    if operation not in OPERATIONS:
        raise ValueError(f"Unknown operation {operation!r}")
    standalone = _current.get() is None
    op = _current.get() or Operation(channel="system", activity=activity)
    now = timezone.now()
    lines = []
    for subject in subjects:
        if subject is None or subject.pk is None:
            continue
        kind = subject_kind(subject)
        if kind is None:
            raise ValueError(f"{subject._meta.label} is not a data subject")
        key = (operation, kind, subject.pk)
        if key in op.written:
            continue
        op.written.add(key)
        region_id = getattr(subject, "region_id", None)
        if region_id is not None:
            op.regions.add(region_id)
        lines.append(_line(op, operation=operation, kind=kind, pk=subject.pk, region_id=region_id, activity=activity, status="OK", now=now))
    if not lines:
        return
    try:
        with transaction.atomic():
            _write_lines(lines)
            if standalone:
                _audit_entry(op, actor=actor, status="OK", now=now, subjects=len(lines), view=f"service:{operation}").save()
    except DatabaseError as exc:
        log.error("The processing log could not be written (%s); the change is refused.", type(exc).__name__)
        raise ProcessingLogUnavailable from exc
    op.lines_written += len(lines)


def _audit_entry(
    op: Operation, *, actor: Any, status: str, now: dt.datetime, subjects: int, view: str = "", method: str = "",
    route: str = "", status_code: int | None = None, origin: str = "",
) -> Any:
    from sleutelnet.core.models import AuditLogEntry
    from sleutelnet.core.selectors import region_ids, roles_of

    authenticated = getattr(actor, "is_authenticated", False)
    actor_regions = region_ids(actor) if authenticated else set()
    return AuditLogEntry(
        operation_id=op.operation_id,
        trace_id=op.trace_id,
        at=op.started_at,
        ended_at=now,
        actor_id=actor.pk if authenticated else None,
        actor=(actor.get_username() if authenticated else "")[:150],
        actor_roles=",".join(sorted(roles_of(actor))) if authenticated else "",
        channel=op.channel,
        view=view[:200],
        method=method[:10],
        route=route[:500],
        status_code=status_code,
        outcome=status,
        subjects=subjects,
        regions="," + ",".join(str(r) for r in sorted(op.regions | actor_regions)) + ",",
        origin=origin[:64],
    )


def finish(
    op: Operation,
    *,
    actor: Any,
    status: str = "OK",
    activity: str | None = None,
    read_operation: str = READ,
    view: str = "",
    method: str = "",
    route: str = "",
    status_code: int | None = None,
    origin: str = "",
) -> None:
    """Write the reads of `op` (one line per person) and its audit entry, in one transaction.

    Raises ProcessingLogUnavailable when that fails: the caller must not show the data.
    """

    now = timezone.now()
    reads = {k: r for k, r in op.reads.items() if (READ, *k) not in op.written and (read_operation, *k) not in op.written}
    if reads and (activity or op.activity) is None:
        # The matrix says this endpoint shows no personal data, yet persons were loaded.
        log.error("Personal data was loaded where the permission matrix declares none (%s).", view)
        raise ProcessingLogUnavailable("personal data outside a processing activity")
    lines = []
    for (kind, pk), region_id in sorted(reads.items()):
        if region_id is not None:
            op.regions.add(region_id)
        lines.append(
            _line(op, operation=read_operation, kind=kind, pk=pk, region_id=region_id, activity=_check_activity(activity or op.activity), status=status, now=now)
        )
    authenticated = getattr(actor, "is_authenticated", False)
    quiet = method in ("", "GET", "HEAD") and (status_code is None or status_code < 400)
    if not lines and not op.lines_written and not authenticated and quiet:
        return  # an anonymous look at a public page: nothing to account for
    # (a failed or refused sign-in, or any refusal, is kept: OWASP ASVS 16.3)
    entry = _audit_entry(
        op, actor=actor, status=status, now=now, subjects=len(lines) + op.lines_written, view=view,
        method=method, route=route, status_code=status_code, origin=origin,
    )
    try:
        with transaction.atomic():
            _write_lines(lines)
            entry.save()
    except DatabaseError as exc:
        log.error("The processing log could not be written (%s); the data is not shown.", type(exc).__name__)
        raise ProcessingLogUnavailable from exc


def connect() -> None:
    """Watch the data subjects' models (called from CoreConfig.ready)."""
    from django.apps import apps
    from django.db.models.signals import post_init

    for label in SUBJECT_MODELS:
        post_init.connect(note_loaded, sender=apps.get_model(label), dispatch_uid=f"processing-log-{label}")
