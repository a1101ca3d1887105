"""Reads for the privacy officer: the processing log and the audit log of their regions."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q, QuerySet

from sleutelnet.core import processing
from sleutelnet.core.models import AuditLogEntry, ProcessingLogEntry, Role, User
from sleutelnet.core.selectors import region_ids
from sleutelnet.people.models import KeyPerson, Newcomer


def privacy_regions(user: User) -> set[int]:
    return region_ids(user, Role.PRIVACY_OFFICER)


def log_lines_for(user: User) -> QuerySet[ProcessingLogEntry]:
    """Processing-log lines about persons of the privacy officer's regions."""
    return ProcessingLogEntry.objects.filter(region_id__in=privacy_regions(user))


def audit_entries_for(user: User) -> QuerySet[AuditLogEntry]:
    """Audit entries of operations that touched the officer's regions or were done by their members."""
    cond = Q(pk__in=[])
    for region in privacy_regions(user):
        cond |= Q(regions__contains=f",{region},")
    return AuditLogEntry.objects.filter(cond)


def newcomers_of(user: User) -> QuerySet[Newcomer]:
    """Newcomers of the officer's regions (to find a person for the log or a data-subject request)."""
    return Newcomer.objects.filter(region_id__in=privacy_regions(user)).select_related("municipality")


def key_persons_of(user: User) -> QuerySet[KeyPerson]:
    """Key persons of the privacy officer's regions, with what the export reads of each row."""
    return KeyPerson.objects.filter(region_id__in=privacy_regions(user)).select_related("user", "communication_language", "payment_details")


def find_persons(user: User, kind: str, text: str) -> list[Newcomer | KeyPerson]:
    """Newcomers by their exact reference, key persons by (part of) their name, in the officer's regions."""
    text = (text or "").strip()
    if not text:
        return []
    found: list[Newcomer | KeyPerson] = []
    if kind in ("", "newcomer"):
        found += list(newcomers_of(user).filter(reference__iexact=text)[:50])
    if kind in ("", "key_person"):
        found += list(key_persons_of(user).filter(full_name__icontains=text).order_by("full_name", "id")[:50])
    return found


def pseudonyms(persons: Iterable[Newcomer | KeyPerson]) -> list[str]:
    return [processing.pseudonym(processing.subject_kind(p) or "", p.pk) for p in persons]


def audit_by_operation(entries: QuerySet[AuditLogEntry], operation_ids: Iterable[str]) -> dict[str, AuditLogEntry]:
    """The audit entries of the given operations, by operation id (one query per 500 ids)."""
    ids = list(dict.fromkeys(operation_ids))
    found: dict[str, AuditLogEntry] = {}
    for i in range(0, len(ids), 500):
        for entry in entries.filter(operation_id__in=ids[i : i + 500]):
            found[entry.operation_id] = entry
    return found
