"""The privacy officer's pages: search and export the processing log and the audit log."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from sleutelnet.core import processing
from sleutelnet.core.exports import FORMATS, table_response
from sleutelnet.core.models import AuditLogEntry, ProcessingLogEntry
from sleutelnet.privacy import selectors
from sleutelnet.privacy.forms import (
    CHANNEL_LABELS,
    KIND_LABELS,
    OPERATION_LABELS,
    AuditSearchForm,
    LogSearchForm,
)
from sleutelnet.web.pagination import paginate

#: An export holds at most this many rows; narrow the search for more.
EXPORT_LIMIT = 100_000


def _log_search(request: HttpRequest) -> tuple[LogSearchForm, Any, list[Any]]:
    """The search form, the matching lines (None when the form is invalid) and the persons found."""
    user = request.user
    form = LogSearchForm(request.GET or None)
    lines = selectors.log_lines_for(user)  # type: ignore[arg-type]
    if not request.GET:
        return form, lines, []
    if not form.is_valid():
        return form, None, []
    persons: list[Any] = []
    subjects = None
    if form.cleaned_data.get("person"):
        persons = selectors.find_persons(user, form.cleaned_data.get("kind", ""), form.cleaned_data["person"])  # type: ignore[arg-type]
        subjects = selectors.pseudonyms(persons)
        if not persons:
            form.add_error("person", _("No newcomer with this reference and no key person with this name in your region."))
            return form, None, []
    actor_ops = None
    if form.cleaned_data.get("actor"):
        actor_ops = selectors.audit_entries_for(user).filter(actor__iexact=form.cleaned_data["actor"].strip()).values("operation_id")  # type: ignore[arg-type]
    return form, form.filter(lines, subjects=subjects, actor_operations=actor_ops), persons


def _line_rows(lines: list[ProcessingLogEntry], audit: dict[str, AuditLogEntry]) -> list[dict[str, Any]]:
    rows = []
    for line in lines:
        entry = audit.get(line.operation_id)
        activity = processing.ACTIVITIES.get(line.processing_activity)
        rows.append(
            {
                "line": line,
                "operation": OPERATION_LABELS.get(line.operation, line.operation),
                "kind": KIND_LABELS.get(line.subject_kind, line.subject_kind),
                "activity": str(activity.name) if activity else line.processing_activity,
                "legal_basis": str(activity.legal_basis) if activity else "",
                "channel": CHANNEL_LABELS.get(line.channel, line.channel),
                "actor": entry.actor if entry and entry.actor else "",
                "view": entry.view if entry else "",
            }
        )
    return rows


def processing_log(request: HttpRequest) -> HttpResponse:
    """Search the processing log of the officer's regions; who did it comes from the audit log."""
    form, lines, persons = _log_search(request)
    page = paginate(request, lines if lines is not None else ProcessingLogEntry.objects.none())
    audit = selectors.audit_by_operation(selectors.audit_entries_for(request.user), (line.operation_id for line in page.object_list))  # type: ignore[arg-type]
    context = {
        "form": form,
        "page": page,
        "rows": _line_rows(list(page.object_list), audit),
        "persons": persons,
        "query": request.GET.urlencode(),
        "formats": list(FORMATS),
    }
    return render(request, "privacy/log.html", context, status=400 if lines is None else 200)


def processing_log_export(request: HttpRequest) -> HttpResponse:
    """The lines of a search as CSV or XLSX (at most EXPORT_LIMIT rows)."""
    fmt = request.GET.get("format", "csv")
    form, lines, _persons = _log_search(request)
    if fmt not in FORMATS or lines is None:
        messages.error(request, _("The export could not be made: check the search."))
        return redirect("privacy:log")
    chosen = list(lines[: EXPORT_LIMIT + 1])
    if len(chosen) > EXPORT_LIMIT:
        messages.error(request, _("More than %(n)d lines: narrow the search (a shorter period) and export again.") % {"n": EXPORT_LIMIT})
        return redirect("privacy:log")
    audit = selectors.audit_by_operation(selectors.audit_entries_for(request.user), (line.operation_id for line in chosen))  # type: ignore[arg-type]
    header = [
        _("Start"), _("End"), _("Operation"), _("Kind of person"), _("Person (pseudonym)"), _("Processing activity"),
        _("Legal basis"), _("Outcome"), _("Channel"), _("Done by"), _("Page or endpoint"), _("Operation id"), _("Trace id"),
    ]
    rows = (
        [
            r["line"].started_at, r["line"].ended_at, r["operation"], r["kind"], r["line"].subject, r["activity"],
            r["legal_basis"], r["line"].status, r["channel"], r["actor"], r["view"], r["line"].operation_id, r["line"].trace_id,
        ]
        for r in _line_rows(chosen, audit)
    )
    return table_response(fmt, header, rows, filename="sleutelnet-processing-log")


def _audit_search(request: HttpRequest) -> tuple[AuditSearchForm, Any]:
    form = AuditSearchForm(request.GET or None)
    entries = selectors.audit_entries_for(request.user)  # type: ignore[arg-type]
    if not request.GET:
        return form, entries
    if not form.is_valid():
        return form, None
    return form, form.filter(entries)


def audit_log(request: HttpRequest) -> HttpResponse:
    """Search the audit log: who did what, from where, with which result."""
    form, entries = _audit_search(request)
    page = paginate(request, entries if entries is not None else AuditLogEntry.objects.none())
    context = {"form": form, "page": page, "query": request.GET.urlencode(), "formats": list(FORMATS)}
    return render(request, "privacy/audit.html", context, status=400 if entries is None else 200)


def audit_log_export(request: HttpRequest) -> HttpResponse:
    fmt = request.GET.get("format", "csv")
    form, entries = _audit_search(request)
    if fmt not in FORMATS or entries is None:
        messages.error(request, _("The export could not be made: check the search."))
        return redirect("privacy:audit")
    chosen = list(entries[: EXPORT_LIMIT + 1])
    if len(chosen) > EXPORT_LIMIT:
        messages.error(request, _("More than %(n)d lines: narrow the search (a shorter period) and export again.") % {"n": EXPORT_LIMIT})
        return redirect("privacy:audit")
    header = [
        _("Start"), _("End"), _("Done by"), _("Roles"), _("Channel"), _("Page or endpoint"), _("Method"), _("Address pattern"),
        _("Answer"), _("Outcome"), _("Persons concerned"), _("Origin"), _("Operation id"), _("Trace id"),
    ]
    rows = (
        [e.at, e.ended_at, e.actor, e.actor_roles, e.channel, e.view, e.method, e.route, e.status_code, e.outcome, e.subjects, e.origin, e.operation_id, e.trace_id]
        for e in chosen
    )
    return table_response(fmt, header, rows, filename="sleutelnet-audit-log")
