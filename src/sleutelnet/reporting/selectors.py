"""Aggregated reach figures from approved activity reports: no person is ever listed here."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Sum
from django.utils import timezone

from sleutelnet.core.models import Municipality, Role, User
from sleutelnet.core.selectors import region_ids
from sleutelnet.deployments.models import ActivityReport
from sleutelnet.people.models import KeyPersonRole


@dataclass(frozen=True)
class ReachRow:
    """Reach figures for one municipality in a period."""

    municipality: str
    cbs_code: str
    reports: int
    hours: Decimal
    participants: int
    little_dutch: int
    first_contact: int


@dataclass(frozen=True)
class Reach:
    """The reach table plus totals and hours per role, for a policy officer or coordinator."""

    start: dt.date
    end: dt.date
    rows: list[ReachRow]
    totals: ReachRow
    hours_by_role: list[tuple[str, Decimal]]


def _approved(user: User, start: dt.date, end: dt.date, municipality: Municipality | None):  # type: ignore[no-untyped-def]
    regions = region_ids(user, Role.POLICY_OFFICER, Role.COORDINATOR)
    qs = ActivityReport.objects.filter(
        assignment__status="approved",
        assignment__request__region_id__in=regions,
        date__gte=start,
        date__lte=end,
    )
    if municipality is not None:
        qs = qs.filter(assignment__request__municipality=municipality)
    return qs


def reach(
    user: User, *, start: dt.date | None = None, end: dt.date | None = None, municipality: Municipality | None = None
) -> Reach:
    """Reach per municipality over approved reports between `start` and `end` (inclusive)."""
    today = timezone.localdate()
    end = end or today
    start = start or (end - dt.timedelta(days=90))
    qs = _approved(user, start, end, municipality)
    agg = dict(
        reports=Count("id"),
        hours=Sum("hours"),
        participants=Sum("participants"),
        little_dutch=Sum("participants_little_dutch"),
        first_contact=Sum("participants_first_contact"),
    )
    rows = [
        ReachRow(
            municipality=r["assignment__request__municipality__name"],
            cbs_code=r["assignment__request__municipality__cbs_code"],
            reports=r["reports"],
            hours=r["hours"] or Decimal(0),
            participants=r["participants"] or 0,
            little_dutch=r["little_dutch"] or 0,
            first_contact=r["first_contact"] or 0,
        )
        for r in qs.values("assignment__request__municipality__name", "assignment__request__municipality__cbs_code")
        .annotate(**agg)
        .order_by("assignment__request__municipality__name")
    ]
    t = qs.aggregate(**agg)
    totals = ReachRow(
        municipality="",
        cbs_code="",
        reports=t["reports"] or 0,
        hours=t["hours"] or Decimal(0),
        participants=t["participants"] or 0,
        little_dutch=t["little_dutch"] or 0,
        first_contact=t["first_contact"] or 0,
    )
    # Hours by role: a report's hours count for every role it used (roles combine), one query.
    through = ActivityReport.roles_used.through
    per_role = dict(
        through.objects.filter(activityreport_id__in=qs.values("id"))
        .values_list("keypersonrole_id")
        .annotate(h=Sum("activityreport__hours"))
    )
    role_hours = [
        (role.label, per_role.get(role.id) or Decimal(0)) for role in KeyPersonRole.objects.order_by("position")
    ]
    return Reach(start=start, end=end, rows=rows, totals=totals, hours_by_role=role_hours)
