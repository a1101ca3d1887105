"""Reads of requests, assignments and reports, restricted to what the user may see.

Policy officers see none of these records: they read aggregates in `reporting`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from sleutelnet.core.models import Role, User
from sleutelnet.core.selectors import organisation_ids, region_ids
from sleutelnet.deployments.models import (
    CONFIRMED_ASSIGNMENT_STATES,
    ActivityReport,
    Assignment,
    Request,
)
from sleutelnet.people.models import ConsentPurpose


def _key_person_id(user: User) -> int | None:
    kp = getattr(user, "key_person", None)
    return kp.id if kp is not None else None


def assignment_count(to: str, condition: Q) -> Any:
    """COUNT(*) of the assignments of the outer row (`to`: "request" or "key_person") that meet
    `condition`: a correlated count, evaluated for the rows of a page only (a join with GROUP BY
    reads every assignment of the region before the LIMIT)."""
    counted = (
        Assignment.objects.filter(condition, **{to: OuterRef("pk")})
        .order_by()
        .values(to)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def requests_for(user: User, *, vocabulary: bool = True) -> QuerySet[Request]:
    """Coordinators: their regions; requesters: their organisations; key persons: requests they were offered.

    `vocabulary=False` leaves out the prefetch of the roles and life domains, for a caller that
    needs only their codes (`attach_vocabulary_codes`)."""
    if not getattr(user, "is_authenticated", False):
        return Request.objects.none()
    cond = Q(region_id__in=region_ids(user, Role.COORDINATOR)) | Q(organisation_id__in=organisation_ids(user))
    kp_id = _key_person_id(user)
    if kp_id is not None:
        # Through the assignments (one row per assignment): an id subquery keeps each request once.
        cond |= Q(assignments__key_person_id=kp_id)
        base = Request.objects.filter(id__in=Request.objects.filter(cond).values("id"))
    else:
        # Plain columns: filtered directly, so an index on (organisation or region, starts_at)
        # serves a page of the list instead of sorting every request of the organisation.
        base = Request.objects.filter(cond)
    # Not the requesting user: no page of requests shows them (the mail to them loads them).
    base = base.select_related("organisation", "municipality", "language", "newcomer")
    return base.prefetch_related("roles", "life_domains") if vocabulary else base


def attach_vocabulary_codes(requests: Sequence[Request]) -> None:
    """Set `role_codes` and `life_domain_codes` on each request: one query per link table for a
    whole page, without a model instance, a manager and a queryset per code as a prefetch makes
    (about 3 ms of CPU for a page of 20 requests on the load bench). In the vocabulary's order."""
    ids = [r.id for r in requests]
    for attr, name in (("role_codes", "roles"), ("life_domain_codes", "life_domains")):
        field = Request._meta.get_field(name)
        source, target = field.m2m_field_name(), field.m2m_reverse_field_name()  # type: ignore[attr-defined]
        order = [f"{target}__{o}" for o in field.related_model._meta.ordering] + [f"{target}__id"]  # type: ignore[union-attr]
        codes: dict[int, list[str]] = {i: [] for i in ids}
        links = field.remote_field.through.objects.filter(**{f"{source}_id__in": ids})  # type: ignore[union-attr]
        for request_id, code in links.order_by(*order).values_list(f"{source}_id", f"{target}__code"):
            codes[request_id].append(code)
        for r in requests:
            setattr(r, attr, codes[r.id])


#: What a page of requests reads of a confirmed assignment: its key person's name.
CONFIRMED_COLUMNS = (
    "id", "uuid", "request_id", "region_id", "status", "key_person_id",
    "key_person__id", "key_person__region_id", "key_person__full_name",
)  # fmt: skip


def confirmed_assignments() -> QuerySet[Assignment]:
    """The assignments that hold a place (accepted, reported, approved) with their key person,
    in the order they were made, loading only CONFIRMED_COLUMNS."""
    return (
        Assignment.objects.filter(status__in=CONFIRMED_ASSIGNMENT_STATES, key_person__isnull=False)
        .select_related("key_person")
        .only(*CONFIRMED_COLUMNS)
        .order_by("id")
    )


def with_confirmed_assignments(requests: QuerySet[Request]) -> QuerySet[Request]:
    """`requests` with `confirmed_assignments` on each row: one query for a whole page."""
    return requests.prefetch_related(
        Prefetch("assignments", queryset=confirmed_assignments(), to_attr="confirmed_assignments")
    )


def confirmed_assignments_of(req: Request) -> list[Assignment]:
    """The confirmed assignments of one request: prefetched for a page, otherwise one query."""
    prefetched = getattr(req, "confirmed_assignments", None)
    if prefetched is not None:
        return prefetched
    return list(confirmed_assignments().filter(request=req))


def assignments_for(user: User) -> QuerySet[Assignment]:
    """Coordinators: their regions; requesters: on their organisations' requests; key persons: their own."""
    if not getattr(user, "is_authenticated", False):
        return Assignment.objects.none()
    cond = Q(request__region_id__in=region_ids(user, Role.COORDINATOR)) | Q(
        request__organisation_id__in=organisation_ids(user)
    )
    kp_id = _key_person_id(user)
    if kp_id is not None:
        cond |= Q(key_person_id=kp_id)
    return Assignment.objects.filter(cond).select_related(
        "request", "request__municipality", "request__organisation", "request__language", "key_person"
    )


def reports_for(user: User) -> QuerySet[ActivityReport]:
    """Reports on the assignments the user may see."""
    return (
        ActivityReport.objects.filter(assignment__in=assignments_for(user).values("id"))
        .select_related("assignment", "assignment__key_person", "assignment__request")
        .prefetch_related("roles_used", "life_domains", "languages_used")
    )


def coordinator_queue(user: User) -> QuerySet[Request]:
    """Requests that still need a coordinator's action: open ones, soonest and most urgent first."""
    return (
        requests_for(user)
        .filter(region_id__in=region_ids(user, Role.COORDINATOR), status="open")
        .order_by("starts_at", "-urgency", "id")
    )


def reports_awaiting_approval(user: User) -> QuerySet[Assignment]:
    """Assignments whose report waits for the coordinator."""
    return (
        assignments_for(user)
        .filter(region_id__in=region_ids(user, Role.COORDINATOR), status="reported")  # Assignment.region: an index
        .select_related("report")
        .order_by("report__submitted_at")
    )


@dataclass(frozen=True)
class NewcomerForKeyPerson:
    """What a key person sees of the newcomer of their assignment: what the assignment needs."""

    display_name: str
    phone: str = ""
    email: str = ""


def newcomer_for_key_person(a: Assignment) -> NewcomerForKeyPerson | None:
    """The newcomer as the key person of `a` may see them, or None.

    Only the first name or initials, and only while the newcomer's consent to support by a key
    person holds. Contact details only once the key person accepted, and only with the
    newcomer's consent to share them (for every request, or for this one). The time, place and
    language are on the request. Uses prefetched consents when there are.
    """
    req = a.request
    if req.newcomer_id is None:
        return None
    nc = req.newcomer
    if not nc.has_consent:
        return None
    contact = (
        a.status in CONFIRMED_ASSIGNMENT_STATES
        and req.status not in ("cancelled",)
        and nc.consent_for(ConsentPurpose.SHARE_CONTACT, request_id=req.id) is not None
    )
    return NewcomerForKeyPerson(nc.display_name, nc.phone if contact else "", nc.email if contact else "")
