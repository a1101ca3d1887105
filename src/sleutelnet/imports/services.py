"""Imports: upload a file, map its columns, check every row, import, and undo.

Nothing is written until every row is valid, unless the coordinator explicitly imports only the
valid rows. Rows are matched on their reference, so importing the same file again changes
nothing. Every import is kept (who, when, what, the counts) with the records it created or
changed, and can be undone as long as nothing was built on those records since.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

from sleutelnet.core import processing
from sleutelnet.core.exceptions import DomainError, InvalidTransition, NotAllowed
from sleutelnet.core.models import Region, Role, User
from sleutelnet.core.selectors import has_role
from sleutelnet.imports import reading
from sleutelnet.imports.kinds import KINDS, CellError, Context, Kind, auto_mapping
from sleutelnet.imports.models import ImportBatch, ImportedRecord, ImportKind, ImportStatus
from sleutelnet.people.models import KeyPerson, Newcomer
from sleutelnet.tasks import services as tasks
from sleutelnet.tasks.models import Task

log = logging.getLogger(__name__)

#: The error list keeps this many rows' errors; the count says how many there are in all.
MAX_ERRORS = 1000
PREVIEW_ROWS = 20
CREATE, UPDATE, UNCHANGED, INVALID = "create", "update", "unchanged", "invalid"


@dataclass
class RowOutcome:
    """What a row of the file will do: create, update, stay unchanged, or why it cannot."""

    row: int
    action: str
    values: dict[str, Any] = field(default_factory=dict)
    errors: list[tuple[str, str]] = field(default_factory=list)
    existing: Any = None


def _coordinator(actor: User, region: Region | int) -> None:
    region_id = region if isinstance(region, int) else region.id
    if not has_role(actor, Role.COORDINATOR, region_id):
        raise NotAllowed(_("Only a coordinator of this region can do this."))


def kind_of(batch: ImportBatch) -> Kind:
    return KINDS[batch.kind]


# --- upload and mapping -------------------------------------------------------------------------


@transaction.atomic
def upload(*, actor: User, region: Region, kind: str, file_name: str, raw: bytes) -> ImportBatch:
    """Keep the uploaded file with its columns and a first guess of the mapping; nothing is imported yet."""
    _coordinator(actor, region)
    if kind not in KINDS:
        raise DomainError(_("Choose what the file holds."), field="kind")
    try:
        table = reading.read(raw, file_name)
    except reading.ReadError as exc:
        raise DomainError(exc.message, field="file") from exc
    spec = KINDS[kind]
    return ImportBatch.objects.create(
        region=region,
        kind=kind,
        file_name=(file_name or "upload")[:200],
        file_sha256=hashlib.sha256(raw).hexdigest(),
        content=raw,
        file_format=table.file_format,
        encoding=table.encoding,
        delimiter=table.delimiter,
        headers=table.headers,
        mapping=auto_mapping(spec, table.headers),
        total_rows=sum(1 for row in table.rows if row),
        created_by=actor,
    )


def _locked(batch: ImportBatch) -> ImportBatch:
    return ImportBatch.objects.select_for_update(no_key=True).get(pk=batch.pk)


@transaction.atomic
def set_mapping(*, actor: User, batch: ImportBatch, mapping: dict[str, str]) -> ImportBatch:
    """Which column each field is read from; every required field needs one, a column serves one field."""
    batch = _locked(batch)
    _coordinator(actor, batch.region_id)
    if batch.status not in (ImportStatus.UPLOADED, ImportStatus.CHECKED, ImportStatus.FAILED):
        raise InvalidTransition(_("This import can no longer be changed."))
    spec = kind_of(batch)
    clean: dict[str, str] = {}
    used: dict[str, str] = {}
    for col in spec.columns:
        header = (mapping.get(col.field) or "").strip()
        if not header:
            if col.required:
                raise DomainError(_("Choose the column that holds '%(label)s'.") % {"label": col.label}, field=f"map_{col.field}")
            continue
        if header not in batch.headers:
            raise DomainError(_("The file has no column '%(name)s'.") % {"name": header}, field=f"map_{col.field}")
        if header in used:
            raise DomainError(
                _("The column '%(name)s' is already chosen for '%(other)s'.") % {"name": header, "other": spec.column(used[header]).label},
                field=f"map_{col.field}",
            )
        used[header] = col.field
        clean[col.field] = header
    batch.mapping = clean
    batch.status = ImportStatus.UPLOADED
    batch.save(update_fields=["mapping", "status", "updated_at"])
    return batch


# --- checking the rows ---------------------------------------------------------------------------


def evaluate(batch: ImportBatch, actor: User, *, task: Task | None = None) -> tuple[list[RowOutcome], Context]:
    """Read every row against the region's data: what it would do, or its errors. Writes nothing."""
    spec = kind_of(batch)
    if batch.content is None:
        raise InvalidTransition(_("The file of this import is no longer kept. Upload it again."))
    table = reading.read(bytes(batch.content), batch.file_name)
    ctx = Context.load(batch.region, actor, batch.kind)
    index = {f: table.headers.index(h) for f, h in batch.mapping.items() if h in table.headers}
    missing = [c for c in spec.columns if c.required and c.field not in index]
    if missing:
        raise DomainError(_("Choose the column that holds '%(label)s'.") % {"label": missing[0].label}, field=f"map_{missing[0].field}")
    seen: dict[str, dict[str, int]] = {f: {} for f in (spec.key, *spec.unique)}
    outcomes: list[RowOutcome] = []
    total = sum(1 for row in table.rows if row)
    for number, row in enumerate(table.rows, start=2):
        if not row:
            continue
        outcome = _evaluate_row(spec, ctx, batch.mapping, index, number, row, seen)
        outcomes.append(outcome)
        if task is not None:
            tasks.progress(task, len(outcomes), total)
    return outcomes, ctx


def _evaluate_row(
    spec: Kind, ctx: Context, mapping: dict[str, str], index: dict[str, int], number: int, row: list[Any], seen: dict[str, dict[str, int]]
) -> RowOutcome:
    outcome = RowOutcome(row=number, action=INVALID)
    for f, j in index.items():
        col = spec.column(f)
        if isinstance(row[j], str) and row[j].lstrip().startswith("="):
            outcome.errors.append((mapping[f], _("This cell holds a formula. Put the value itself in the cell.")))
            continue
        try:
            value = col.parse(row[j], ctx)
        except CellError as exc:
            outcome.errors.append((mapping[f], str(exc)))
            continue
        if col.required and value in (None, "", []):
            outcome.errors.append((mapping[f], _("This must be filled in.")))
            continue
        if col.blank_keeps and value in (None, ""):
            continue  # an empty cell keeps what the record has (or the default for a new one)
        outcome.values[f] = value
    if outcome.errors:
        return outcome
    for f, rows in seen.items():
        value = str(outcome.values.get(f) or "").casefold()
        if not value:
            continue
        if value in rows:
            outcome.errors.append((mapping[f], _("Row %(row)s has the same value. Each row once, please.") % {"row": rows[value]}))
        else:
            rows[value] = number
    if outcome.errors:
        return outcome
    existing = spec.find(ctx, outcome.values)
    for f, message in spec.check(ctx, outcome.values, existing).items():
        outcome.errors.append((mapping.get(f, str(spec.column(f).label)), message))
    if outcome.errors:
        return outcome
    outcome.existing = existing
    if existing is None:
        outcome.action = CREATE
    else:
        now = spec.snapshot(existing, list(outcome.values))
        if all(now.get(f) == outcome.values[f] for f in now):
            outcome.action = UNCHANGED
        elif not spec.updates:
            outcome.errors.append((mapping[spec.key], _("An activity with this reference was imported before, with other values. Undo that import first.")))
        else:
            outcome.action = UPDATE
    return outcome


def _summary(outcomes: Iterable[RowOutcome]) -> tuple[dict[str, int], list[dict[str, Any]], int]:
    counts = {CREATE: 0, UPDATE: 0, UNCHANGED: 0, INVALID: 0}
    errors: list[dict[str, Any]] = []
    error_count = 0
    for o in outcomes:
        counts[o.action if not o.errors else INVALID] += 1
        for column, message in o.errors:
            error_count += 1
            if len(errors) < MAX_ERRORS:
                errors.append({"row": o.row, "column": column, "message": message})
    return counts, errors, error_count


def _preview(batch: ImportBatch, outcomes: list[RowOutcome]) -> list[dict[str, Any]]:
    table = reading.read(bytes(batch.content or b""), batch.file_name)
    fields = [c.field for c in kind_of(batch).columns if c.field in batch.mapping]
    index = {f: table.headers.index(batch.mapping[f]) for f in fields}
    out = []
    for o in outcomes[:PREVIEW_ROWS]:
        row = table.rows[o.row - 2]
        out.append({"row": o.row, "action": INVALID if o.errors else o.action, "cells": [_shown(row[index[f]]) for f in fields]})
    return out


def _shown(value: Any) -> str:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.strftime("%d-%m-%Y")
    return "" if value is None else str(value)[:100]


def run_in_background(batch: ImportBatch) -> bool:
    return batch.total_rows > settings.BACKGROUND_ROWS


def check(*, actor: User, batch: ImportBatch, task: Task | None = None) -> ImportBatch:
    """Check every row and keep the outcome (counts, errors, the first rows); writes no records."""
    _coordinator(actor, batch.region_id)
    batch.refresh_from_db()
    if batch.status not in (ImportStatus.UPLOADED, ImportStatus.CHECKED, ImportStatus.CHECKING, ImportStatus.FAILED):
        raise InvalidTransition(_("This import can no longer be checked."))
    outcomes, _ctx = evaluate(batch, actor, task=task)
    counts, errors, error_count = _summary(outcomes)
    with transaction.atomic():
        batch = _locked(batch)
        batch.counts, batch.errors, batch.error_count = counts, errors, error_count
        batch.valid_rows = len(outcomes) - counts[INVALID]
        batch.total_rows = len(outcomes)
        batch.preview = _preview(batch, outcomes)
        batch.status = ImportStatus.CHECKED
        batch.message = ""
        batch.save()
    return batch


@transaction.atomic
def start_check(*, actor: User, batch: ImportBatch) -> ImportBatch:
    """Check now, or, for a large file, as a background task (the page shows its progress)."""
    batch = _locked(batch)
    _coordinator(actor, batch.region_id)
    if not run_in_background(batch):
        return check(actor=actor, batch=batch)
    batch.status = ImportStatus.CHECKING
    batch.task = tasks.enqueue(
        "imports.check", owner=actor, region=batch.region, arguments={"batch": batch.pk},
        title=_("Check the file %(name)s") % {"name": batch.file_name}, total=batch.total_rows,
    )
    batch.save(update_fields=["status", "task", "updated_at"])
    return batch


# --- importing -----------------------------------------------------------------------------------


def _subjects(spec: Kind, objects: Iterable[Any]) -> list[Any]:
    """The persons an import wrote (for the processing log)."""
    out: list[Any] = []
    for obj in objects:
        if isinstance(obj, (KeyPerson, Newcomer)):
            out.append(obj)
    return out


def run_import(*, actor: User, batch: ImportBatch, only_valid: bool = False, task: Task | None = None) -> ImportBatch:
    """Import the checked file: all rows in one transaction, or none."""
    _coordinator(actor, batch.region_id)
    batch.refresh_from_db()
    if batch.status not in (ImportStatus.CHECKED, ImportStatus.IMPORTING):
        raise InvalidTransition(_("Check the file before you import it."))
    spec = kind_of(batch)
    outcomes, ctx = evaluate(batch, actor, task=task)  # again: the region's data may have changed since the check
    invalid = [o for o in outcomes if o.errors]
    if invalid and not only_valid:
        counts, errors, error_count = _summary(outcomes)
        ImportBatch.objects.filter(pk=batch.pk).update(
            status=ImportStatus.CHECKED, counts=counts, errors=errors, error_count=error_count, updated_at=timezone.now()
        )
        raise DomainError(
            ngettext(
                "%(n)s row has errors, so nothing was imported. Correct the file, or choose to import only the valid rows.",
                "%(n)s rows have errors, so nothing was imported. Correct the file, or choose to import only the valid rows.",
                len(invalid),
            )
            % {"n": len(invalid)}
        )
    if task is not None:
        # saving is one transaction: the bar shows "busy" (no total) until it is done
        tasks.progress(task, 0, 0, phase=gettext_noop("Saving every row at once"), force=True)
    with transaction.atomic():
        batch = _locked(batch)
        if batch.status not in (ImportStatus.CHECKED, ImportStatus.IMPORTING):
            raise InvalidTransition(_("This file was imported already."))
        records, written = [], []
        counts = {CREATE: 0, UPDATE: 0, UNCHANGED: 0, INVALID: len(invalid)}
        # The records to change, again and locked: what was read during the check may be stale.
        # FOR UPDATE, not NO KEY: a row may change a column of a unique key (a newcomer's
        # reference, an organisation's name).
        fresh = (
            spec.model.objects.select_for_update()
            .prefetch_related(*spec.prefetch)
            .in_bulk([o.existing.pk for o in outcomes if not o.errors and o.action == UPDATE])
        )
        for o in outcomes:
            if o.errors:
                continue
            if o.action == UPDATE:
                o.existing = fresh.get(o.existing.pk)
                if o.existing is None:
                    raise InvalidTransition(_("A record of this file was deleted meanwhile. Check the file again."))
                now = spec.snapshot(o.existing, list(o.values))
                if all(now.get(f) == o.values[f] for f in now):
                    o.action = UNCHANGED
            counts[o.action] += 1
            if o.action == UNCHANGED:
                continue
            before = spec.snapshot(o.existing, list(o.values)) if o.action == UPDATE else {}
            obj = spec.apply(ctx, o.existing, o.values)
            written.append(obj)
            records.append(ImportedRecord(batch=batch, model=spec.model._meta.label, object_id=obj.pk, action=o.action, before=before))
        ImportedRecord.objects.bulk_create(records, batch_size=1000)
        processing.record(processing.IMPORT, _subjects(spec, written), activity=_activity(spec), actor=actor)
        if spec.code == ImportKind.ACTIVITIES:
            _refresh_figures(written)
        batch.counts = counts
        batch.valid_rows = len(outcomes) - len(invalid)
        batch.only_valid = bool(invalid)
        batch.status = ImportStatus.DONE
        batch.imported_by, batch.imported_at = actor, timezone.now()
        batch.content = None  # the file holds personal data: it is not kept once imported
        batch.preview = []
        batch.message = ""
        batch.save()
    return batch


def activity_of(kind: str) -> str:
    """The processing activity of an import of `kind` (core.processing)."""
    return {
        "key_persons": "key-person-registry", "newcomers": "newcomer-registration",
        "organisations": "key-person-registry", "activities": "activity-reporting",
    }[kind]


def _activity(spec: Kind) -> str:
    return activity_of(spec.code)


def _refresh_figures(requests: Iterable[Any]) -> None:
    """Past activities count in the figures at once (the rollups of their municipality-months)."""
    from sleutelnet.reporting.services import month_start, refresh_month

    months = {(r.municipality_id, month_start(timezone.localtime(r.starts_at).date())) for r in requests}
    for municipality_id, month in sorted(months):
        refresh_month(municipality_id=municipality_id, month=month)


@transaction.atomic
def start_import(*, actor: User, batch: ImportBatch, only_valid: bool = False) -> ImportBatch:
    """Import now, or, for a large file, as a background task."""
    batch = _locked(batch)
    _coordinator(actor, batch.region_id)
    if batch.status != ImportStatus.CHECKED:
        raise InvalidTransition(_("Check the file before you import it."))
    if batch.error_count and not only_valid:
        raise DomainError(_("Some rows have errors. Correct the file, or choose to import only the valid rows."), field="only_valid")
    if not run_in_background(batch):
        return run_import(actor=actor, batch=batch, only_valid=only_valid)
    batch.status = ImportStatus.IMPORTING
    batch.task = tasks.enqueue(
        "imports.run", owner=actor, region=batch.region, arguments={"batch": batch.pk, "only_valid": only_valid},
        title=_("Import the file %(name)s") % {"name": batch.file_name}, total=batch.total_rows,
    )
    batch.save(update_fields=["status", "task", "updated_at"])
    return batch


def fail(batch_id: int, message: str) -> None:
    """A background check or import ended with an error: the file stays for another try."""
    ImportBatch.objects.filter(pk=batch_id, status__in=(ImportStatus.CHECKING, ImportStatus.IMPORTING)).update(
        status=ImportStatus.FAILED, message=message, updated_at=timezone.now()
    )


def batch_url(batch: ImportBatch) -> str:
    return reverse("imports:detail", kwargs={"uuid": batch.uuid})


# --- undo ----------------------------------------------------------------------------------------


def _built_on(model: type[models.Model], ids: list[int], own: tuple[type[models.Model], ...]) -> bool:
    """Whether any record outside the import's own parts points at one of `ids`."""
    if not ids:
        return False
    # the link tables of the record's own lists (its roles, languages...) go with it
    own_links = {f.remote_field.through for f in model._meta.many_to_many}
    for rel in model._meta.get_fields(include_hidden=True):
        if not (rel.auto_created and not rel.concrete and rel.is_relation):
            continue
        related = rel.related_model
        if related in own_links:
            continue
        if rel.many_to_many:
            through = rel.through  # type: ignore[union-attr]
            if through._meta.auto_created:
                # another record lists this one (a newcomer who must never get this key person)
                column = rel.field.m2m_reverse_field_name()  # type: ignore[union-attr]
                if through._base_manager.filter(**{f"{column}__in": ids}).exists():
                    return True
            continue
        children = related._base_manager.filter(**{f"{rel.field.name}__in": ids})  # type: ignore[union-attr]
        if related in own:
            if _built_on(related, list(children.values_list("pk", flat=True)), own):
                return True
        elif children.exists():
            log.info("Import undo refused: %s rows of %s point at the records.", children.count(), related._meta.label)
            return True
    return False


def blockers(batch: ImportBatch) -> list[str]:
    """Why this import cannot be undone (empty when it can)."""
    if batch.status != ImportStatus.DONE:
        return [_("Only a finished import can be undone.")]
    if batch.undo_expired:
        return [
            _("An import can be undone for %(days)s days; the old values of this one are no longer kept.")
            % {"days": settings.IMPORT_UNDO_DAYS}
        ]
    spec = kind_of(batch)
    records = list(batch.records.all())
    ids = [r.object_id for r in records]
    # (values, not instances: looking at whether records changed is not reading the persons)
    objects = dict(spec.model._base_manager.filter(pk__in=ids).values_list("pk", "updated_at"))
    reasons = []
    later = (
        ImportedRecord.objects.filter(model=spec.model._meta.label, object_id__in=ids, batch__status=ImportStatus.DONE, batch__created_at__gt=batch.created_at)
        .exclude(batch=batch)
        .exists()
    )
    if later:
        reasons.append(_("A later import changed some of these records: undo that import first."))
    gone = len(set(ids) - set(objects))
    if gone:
        reasons.append(ngettext("%(n)s record of this import was deleted since.", "%(n)s records of this import were deleted since.", gone) % {"n": gone})
    # Changed by hand since? Later imports of the same records (and their undo) do not count.
    touched: dict[int, dt.datetime] = {}
    for object_id, imported_at, undone_at in ImportedRecord.objects.filter(model=spec.model._meta.label, object_id__in=ids).values_list(
        "object_id", "batch__imported_at", "batch__undone_at"
    ):
        for moment in (imported_at, undone_at):
            if moment is not None and moment > touched.get(object_id, moment - dt.timedelta(seconds=1)):
                touched[object_id] = moment
    changed = sum(1 for pk, updated_at in objects.items() if updated_at > touched.get(pk, batch.imported_at or updated_at))
    if changed:
        reasons.append(ngettext("%(n)s record was changed in Sleutelnet since the import.", "%(n)s records were changed in Sleutelnet since the import.", changed) % {"n": changed})
    created = [r.object_id for r in records if r.action == CREATE and r.object_id in objects]
    if _built_on(spec.model, created, spec.own_parts):
        reasons.append(_("Work was built on records of this import since (offers, reports, consents or other records): they stay."))
    return reasons


@transaction.atomic
def undo(*, actor: User, batch: ImportBatch) -> ImportBatch:
    """Remove what the import created and put back what it changed, if nothing was built on it."""
    batch = _locked(batch)
    _coordinator(actor, batch.region_id)
    reasons = blockers(batch)
    if reasons:
        raise InvalidTransition(_("This import cannot be undone: %(why)s") % {"why": " ".join(reasons)})
    spec = kind_of(batch)
    ctx = Context.load(batch.region, actor, batch.kind)
    records = list(batch.records.all())
    objects = spec.model._base_manager.in_bulk([r.object_id for r in records])
    created = [objects[r.object_id] for r in records if r.action == CREATE]
    updated = [(objects[r.object_id], r.before) for r in records if r.action == UPDATE]
    processing.record(processing.DELETE, _subjects(spec, created), activity=_activity(spec), actor=actor)
    processing.record(processing.UPDATE, _subjects(spec, (o for o, _b in updated)), activity=_activity(spec), actor=actor)
    for obj, before in updated:
        spec.apply(ctx, obj, before)
    spec.model._base_manager.filter(pk__in=[o.pk for o in created]).delete()
    if spec.code == ImportKind.ACTIVITIES:
        _refresh_figures(created)
    batch.records.update(before={})  # an undone import is not done again: the old values go
    batch.status = ImportStatus.UNDONE
    batch.undone_by, batch.undone_at = actor, timezone.now()
    batch.save(update_fields=["status", "undone_by", "undone_at", "updated_at"])
    return batch


def expire(*, now: dt.datetime | None = None) -> tuple[int, int]:
    """The daily retention of imports (run_worker): personal data is not kept longer than needed.

    A file that was uploaded but never imported, its preview and its error list go after
    TASK_RETENTION_DAYS; the old values that make an import undoable go after IMPORT_UNDO_DAYS
    (the import can no longer be undone then). The log itself (who, when, what, counts) stays.
    Returns (files dropped, imports no longer undoable).
    """
    now = now or timezone.now()
    # A check or import whose task failed (a worker that was killed): the batch may be tried again.
    ImportBatch.objects.filter(status__in=(ImportStatus.CHECKING, ImportStatus.IMPORTING), task__status="failed").update(
        status=ImportStatus.FAILED, message=_("The check or import was interrupted. Nothing was saved; please try again."), updated_at=now
    )
    files = ImportBatch.objects.filter(
        created_at__lt=now - dt.timedelta(days=settings.TASK_RETENTION_DAYS),
        status__in=(ImportStatus.UPLOADED, ImportStatus.CHECKED, ImportStatus.FAILED),
    ).exclude(content=None)
    dropped = files.update(
        content=None, preview=[], errors=[], status=ImportStatus.FAILED, updated_at=now,
        message=_("The file was removed after %(days)s days without an import. Upload it again.") % {"days": settings.TASK_RETENTION_DAYS},
    )
    old = ImportBatch.objects.filter(
        status=ImportStatus.DONE, undo_expired=False, imported_at__lt=now - dt.timedelta(days=settings.IMPORT_UNDO_DAYS)
    )
    ids = list(old.values_list("pk", flat=True))
    ImportedRecord.objects.filter(batch_id__in=ids).update(before={})
    expired = ImportBatch.objects.filter(pk__in=ids).update(undo_expired=True, errors=[], updated_at=now)
    return dropped, expired
