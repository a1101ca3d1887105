"""The indicators of `reporting.indicators`, computed from the rollups for a scope and a period.

Reads only rollup tables (never the activity reports), with the current and the previous
period in the same queries, so a national year costs a handful of queries over a few
hundred thousand small rows (decision 0008). Nothing here names a person; the views add
small-count suppression for those who must see no more than aggregates.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Case, Count, IntegerField, Q, Sum, Value, When
from django.utils import timezone

from sleutelnet.core import clock
from sleutelnet.core.models import Municipality, Role, User
from sleutelnet.core.selectors import region_ids
from sleutelnet.deployments.models import ActivityReport
from sleutelnet.people.models import KeyPersonRole
from sleutelnet.reporting.models import (
    KeyPersonMonth,
    KeyPersonPeriod,
    PeriodCount,
    RegionRollup,
    Rollup,
    Subject,
)
from sleutelnet.reporting.periods import Period
from sleutelnet.reporting.services import INSTITUTION_KINDS
from sleutelnet.reporting.suppression import Suppressed, is_small

MEASURES = ("count", "hours", "participants", "little_dutch", "first_contact", "allowance")


@dataclass
class Sums:
    """Additive sums of approved reports (or, for requests, only `count`)."""

    count: int = 0
    hours: Decimal = Decimal(0)
    participants: int = 0
    little_dutch: int = 0
    first_contact: int = 0
    allowance: Decimal = Decimal(0)

    def add(self, row: dict[str, Any]) -> None:
        for m in MEASURES:
            setattr(self, m, getattr(self, m) + (row.get(m) or 0))


@dataclass
class Scope:
    """Which municipalities the figures cover: some regions (None: the whole country), maybe one municipality."""

    regions: list[int] | None
    municipality_id: int | None = None

    def q(self, prefix: str = "") -> Q:
        q = Q()
        if self.regions is not None:
            q &= Q(**{f"{prefix}region_id__in": self.regions})
        if self.municipality_id is not None:
            q &= Q(**{f"{prefix}municipality_id": self.municipality_id})
        return q


@dataclass
class PeriodFigures:
    """Everything the dashboards show for one period."""

    period: Period
    totals: Sums = field(default_factory=Sums)
    by_municipality: dict[int, Sums] = field(default_factory=lambda: defaultdict(Sums))
    #: dimension -> value -> sums (reports)
    breakdown: dict[str, dict[str, Sums]] = field(default_factory=lambda: defaultdict(lambda: defaultdict(Sums)))
    newcomers: int = 0
    newcomers_little_dutch: int = 0
    newcomers_by_municipality: dict[int, int] = field(default_factory=dict)
    #: dimension -> value -> count (requests)
    requests: dict[str, dict[str, int]] = field(default_factory=lambda: defaultdict(lambda: defaultdict(int)))
    requests_by_municipality: dict[int, int] = field(default_factory=lambda: defaultdict(int))
    key_person_hours: list[Decimal] = field(default_factory=list)

    # --- reach and work ---------------------------------------------------------------------

    @property
    def institution_hours(self) -> Decimal:
        kinds = self.breakdown.get("kind", {})
        return sum((kinds[k].hours for k in INSTITUTION_KINDS if k in kinds), Decimal(0))

    @property
    def institution_share(self) -> float | None:
        """Share of report hours done for institutions (document review, consultations)."""
        return float(self.institution_hours / self.totals.hours) if self.totals.hours else None

    @property
    def multi_role_share(self) -> float | None:
        """Share of reports in which the key person combined two or more roles."""
        n = self.breakdown.get("n_roles", {})
        many = sum(s.count for v, s in n.items() if int(v) >= 2)
        return many / self.totals.count if self.totals.count else None

    @property
    def mean_roles(self) -> float | None:
        n = self.breakdown.get("n_roles", {})
        return sum(int(v) * s.count for v, s in n.items()) / self.totals.count if self.totals.count else None

    @property
    def mean_domains(self) -> float | None:
        n = self.breakdown.get("n_domains", {})
        return sum(int(v) * s.count for v, s in n.items()) / self.totals.count if self.totals.count else None

    # --- requests ---------------------------------------------------------------------------

    @property
    def received(self) -> int:
        return self.requests["total"].get("", 0)

    def status(self, value: str) -> int:
        return self.requests["status"].get(value, 0)

    @property
    def fill_rate(self) -> float | None:
        """Filled among the requests that are decided (filled or past their start unfilled)."""
        decided = self.status("filled") + self.status("unfilled")
        return self.status("filled") / decided if decided else None

    @property
    def median_delay_hours(self) -> int | None:
        """The median waiting time from request to first yes, to the hour (to the day after 48 hours)."""
        return median_from_histogram({int(k): v for k, v in self.requests["delay"].items()})

    # --- key persons ------------------------------------------------------------------------

    @property
    def active_key_persons(self) -> int:
        return len(self.key_person_hours)

    @property
    def top5_share(self) -> float | None:
        """Share of all hours done by the five busiest key persons."""
        total = sum(self.key_person_hours, Decimal(0))
        return float(sum(sorted(self.key_person_hours, reverse=True)[:5], Decimal(0)) / total) if total else None

    @property
    def gini(self) -> float | None:
        return gini(self.key_person_hours)

    # --- efficiency -------------------------------------------------------------------------

    @property
    def cost_per_participant(self) -> Decimal | None:
        return (self.totals.allowance / self.totals.participants).quantize(Decimal("0.01")) if self.totals.participants else None

    @property
    def cost_per_hour(self) -> Decimal | None:
        return (self.totals.allowance / self.totals.hours).quantize(Decimal("0.01")) if self.totals.hours else None


def gini(values: Iterable[Decimal | float | int]) -> float | None:
    """The Gini coefficient of the hours per person: 0 when all do the same, towards 1 when one does all."""
    xs = sorted(float(v) for v in values)
    n, total = len(xs), sum(xs)
    if n == 0 or total == 0:
        return None
    weighted = sum((i + 1) * x for i, x in enumerate(xs))
    return (2 * weighted) / (n * total) - (n + 1) / n


def median_from_histogram(hist: dict[int, int]) -> int | None:
    """The lower median of values given as value -> how often (the lower bound of each bucket)."""
    n = sum(hist.values())
    if not n:
        return None
    seen = 0
    for value in sorted(hist):
        seen += hist[value]
        if 2 * seen >= n:
            return value
    return None  # pragma: no cover - unreachable: the loop reaches n


@dataclass
class Figures:
    scope: Scope
    current: PeriodFigures
    previous: PeriodFigures
    municipalities: dict[int, str]
    #: The strictest small-count threshold of the regions shown.
    threshold: int = 5


def _period_case(period: Period) -> Case:
    return Case(When(month__gte=period.start, then=Value(1)), default=Value(0), output_field=IntegerField())


def figures(scope: Scope, period: Period) -> Figures:
    """All indicators for the period and the one before it (for the comparison), in five
    queries over small rows: the region rollups for the breakdowns (municipality rollups when
    one municipality is chosen), the municipalities' totals, the unique counts and the hours
    per key person of the two periods."""
    prev = period.previous()
    cur_fig, prev_fig = PeriodFigures(period), PeriodFigures(prev)
    by_flag = {1: cur_fig, 0: prev_fig}
    window = Q(month__gte=prev.start, month__lt=period.end)
    regions_q = Q() if scope.regions is None else Q(region_id__in=scope.regions)
    one = scope.municipality_id is not None

    # Breakdowns and totals: region rollups, or the municipality's own rows.
    source = Rollup.objects.filter(municipality_id=scope.municipality_id) if one else RegionRollup.objects.filter(regions_q)
    rows = (
        source.filter(window)
        .annotate(p=_period_case(period))
        .values("p", "subject", "dimension", "value")
        .annotate(**{m: Sum(m) for m in MEASURES})
        .order_by()
    )
    for row in rows:
        fig = by_flag[row["p"]]
        if row["subject"] == Subject.REQUEST:
            fig.requests[row["dimension"]][row["value"]] += row["count"]
        elif row["dimension"] == "total":
            fig.totals.add(row)
        else:
            fig.breakdown[row["dimension"]][row["value"]].add(row)

    # The totals per municipality (reports and requests), for the reach and efficiency tables.
    per_muni = (
        Rollup.objects.filter(window, scope.q(), dimension="total")
        .annotate(p=_period_case(period))
        .values("p", "subject", "municipality_id")
        .annotate(**{m: Sum(m) for m in MEASURES})
        .order_by()
    )
    for row in per_muni:
        fig = by_flag[row["p"]]
        if row["subject"] == Subject.REQUEST:
            fig.requests_by_municipality[row["municipality_id"]] += row["count"]
        else:
            fig.by_municipality[row["municipality_id"]].add(row)

    # Unique newcomers: distinct within a municipality and period (a newcomer lives in one).
    starts = (period.start, prev.start)
    for start, mid, n, ld in PeriodCount.objects.filter(scope.q(), kind=period.kind, start__in=starts).values_list(
        "start", "municipality_id", "newcomers", "newcomers_little_dutch"
    ):
        fig = cur_fig if start == period.start else prev_fig
        fig.newcomers += n
        fig.newcomers_little_dutch += ld
        fig.newcomers_by_municipality[mid] = n

    # Hours per key person: over the whole scope from the period sums; for one municipality
    # from its months (a key person's hours there only).
    if one:
        people = (
            KeyPersonMonth.objects.filter(window, municipality_id=scope.municipality_id)
            .annotate(p=_period_case(period))
            .values("p", "key_person_id")
            .annotate(h=Sum("hours"))
            .order_by()
            .values_list("p", "h")
        )
        for flag, hours in people:
            by_flag[flag].key_person_hours.append(hours or Decimal(0))
    else:
        for start, hours in KeyPersonPeriod.objects.filter(regions_q, kind=period.kind, start__in=starts).values_list("start", "hours"):
            (cur_fig if start == period.start else prev_fig).key_person_hours.append(hours)

    munis = list(Municipality.objects.filter(_muni_q(scope)).order_by("name").values_list("id", "name", "region__small_count_threshold"))
    return Figures(
        scope=scope,
        current=cur_fig,
        previous=prev_fig,
        municipalities={pk: name for pk, name, _t in munis},
        threshold=max((t for _pk, _n, t in munis), default=5),
    )


def _muni_q(scope: Scope) -> Q:
    q = Q()
    if scope.regions is not None:
        q &= Q(region_id__in=scope.regions)
    if scope.municipality_id is not None:
        q &= Q(pk=scope.municipality_id)
    return q


def scope_for(user: User, *roles: str, municipality: Municipality | None = None) -> Scope:
    """The regions the user sees figures of in these roles, optionally one municipality of them."""
    regions = sorted(region_ids(user, *roles))
    return Scope(regions=regions, municipality_id=municipality.pk if municipality else None)


def national_scope() -> Scope:
    return Scope(regions=None)



# --- key persons now ---------------------------------------------------------------------------


@dataclass
class KeyPersonState:
    """Care figures of today, not of a period: who is paused, whose VOG runs out, who does too much."""

    active: int | Suppressed
    paused: int | Suppressed
    vog_expiring: int | Suppressed
    over_capacity: int | Suppressed
    near_allowance_limit: int | Suppressed
    #: Active key persons with a valid certificate of a basic training (care).
    trained: int | Suppressed = 0


def key_person_state(regions: list[int], today: dt.date, *, threshold: int | None = None) -> KeyPersonState:
    """Counts only, in four queries; with `threshold`, small counts are hidden."""
    from sleutelnet.allowances.selectors import limits_on
    from sleutelnet.people.models import KeyPerson

    people = KeyPerson.objects.filter(region_id__in=regions, anonymised_at__isnull=True)
    # One query; the join to the certificates repeats rows, so every count is distinct.
    basic_valid = Q(certificates__course__kind="basic", certificates__issued_on__lte=today) & (
        Q(certificates__valid_until__isnull=True) | Q(certificates__valid_until__gte=today)
    )
    counts = people.aggregate(
        active=Count("pk", filter=Q(status="active"), distinct=True),
        paused=Count("pk", filter=Q(paused_by_self=True), distinct=True),
        vog=Count("pk", filter=Q(vog_valid_until__gte=today, vog_valid_until__lt=today + dt.timedelta(days=60)), distinct=True),
        trained=Count("pk", filter=Q(status="active") & basic_valid, distinct=True),
    )
    month = today.replace(day=1)
    # This month's hours and this year's allowance per key person, in one query.
    periods = KeyPersonPeriod.objects.filter(
        Q(kind="month", start=month) | Q(kind="year", start=today.replace(month=1, day=1)), region_id__in=regions
    ).values_list("key_person_id", "kind", "hours", "allowance")
    per_person_map: dict[int, list[Decimal | None]] = defaultdict(lambda: [None, None])
    for pk, kind, hours, allowance in periods:
        if kind == "month":
            per_person_map[pk][0] = hours
        else:
            per_person_map[pk][1] = allowance
    per_person = [(pk, h, a) for pk, (h, a) in per_person_map.items()]
    this_month = {pk: h for pk, h, _a in per_person if h}
    capacity = dict(
        people.filter(pk__in=list(this_month), capacity_hours_per_month__isnull=False).values_list("pk", "capacity_hours_per_month")
    ) if this_month else {}
    over = sum(1 for pk, h in this_month.items() if pk in capacity and h > capacity[pk])
    limit, _exact = limits_on(today, regions[0] if len(regions) == 1 else None)
    near = 0
    if limit is not None:
        near = sum(1 for _pk, _h, a in per_person if a is not None and a >= NEAR_LIMIT * limit.per_year)
    def shown(n: int) -> int | Suppressed:
        return Suppressed(threshold) if threshold is not None and is_small(n, threshold) else n

    return KeyPersonState(
        active=shown(counts["active"]),
        paused=shown(counts["paused"]),
        vog_expiring=shown(counts["vog"]),
        over_capacity=shown(over),
        near_allowance_limit=shown(near),
        trained=shown(counts["trained"]),
    )


# --- the coordinator's day -------------------------------------------------------------------


@dataclass
class Operations:
    """What needs a coordinator today and this week (they may see persons: it is their work)."""

    needs_offer: list[Any]
    today: list[Any]
    week: int
    waiting_answer: int
    to_approve: int
    reports_late: int
    state: KeyPersonState


def operations(regions: list[int], today: dt.date, week_end: dt.date) -> Operations:
    """Counts and short lists for the coordinator's start of the day, in few queries (the four counts in one)."""
    from sleutelnet.deployments.models import Assignment, AssignmentStatus, Request, RequestStatus

    now = clock.now()
    tz = timezone.get_current_timezone()
    day_start = dt.datetime.combine(today, dt.time.min, tzinfo=tz)
    day_end = day_start + dt.timedelta(days=1)
    week_stop = dt.datetime.combine(week_end, dt.time.min, tzinfo=tz)
    filled = (AssignmentStatus.ACCEPTED, AssignmentStatus.REPORTED, AssignmentStatus.APPROVED)
    needs_offer = list(
        Request.objects.filter(region_id__in=regions, status=RequestStatus.OPEN, starts_at__gte=now, starts_at__lt=now + dt.timedelta(days=7))
        .exclude(assignments__status__in=(*filled, AssignmentStatus.OFFERED))
        .select_related("municipality")
        .order_by("starts_at")[:20]
    )
    mine = Assignment.objects.filter(region_id__in=regions)  # the request's region, on the assignment (an index)
    # Today's accepted assignments, found from today's requests of the regions (an index on region
    # and start): a region has thousands of accepted assignments and about a hundred requests a day,
    # and joining every accepted assignment to its request to test the start cost 11-36 ms of 84.
    starting_today = Request.objects.filter(region_id__in=regions, starts_at__gte=day_start, starts_at__lt=day_end)
    today_list = list(
        mine.filter(status=AssignmentStatus.ACCEPTED, request_id__in=starting_today.values("id"))
        .select_related("request", "key_person")
        .order_by("request__starts_at", "id")  # the id: one order for requests at the same time, whatever the plan
    )
    # The counts in two passes over the current assignments, each from a partial index alone (the
    # request is never null: counting it is counting the rows): the two that need the request's
    # times join only the accepted assignments to it, the other two need no join at all.
    counts = mine.filter(status=AssignmentStatus.ACCEPTED).aggregate(
        week=Count("request_id", filter=Q(request__starts_at__gte=day_start, request__starts_at__lt=week_stop)),
        late=Count("request_id", filter=Q(request__ends_at__lt=now - dt.timedelta(days=2))),
    )
    counts |= mine.filter(status__in=(AssignmentStatus.OFFERED, AssignmentStatus.REPORTED)).aggregate(
        waiting=Count("request_id", filter=Q(status=AssignmentStatus.OFFERED, offered_at__lt=now - dt.timedelta(hours=48))),
        to_approve=Count("request_id", filter=Q(status=AssignmentStatus.REPORTED)),
    )
    week, waiting, to_approve, late = counts["week"], counts["waiting"], counts["to_approve"], counts["late"]
    state = key_person_state(regions, today)
    return Operations(
        needs_offer=needs_offer,
        today=today_list,
        week=week,
        waiting_answer=waiting,
        to_approve=to_approve,
        reports_late=late,
        state=state,
    )


#: "Close to the allowance limit": this share of the yearly tax-free maximum or more.
NEAR_LIMIT = Decimal("0.8")


# --- any date range, from the raw reports (the API's /reach) ---------------------------------
# The dashboards use whole months from the rollups; the API accepts any range of days, so it
# counts the approved reports themselves (one region at a time, which stays fast).

@dataclass(frozen=True)
class ReachRow:
    """Reach figures for one municipality in a period."""

    municipality: str
    cbs_code: str
    reports: int
    hours: Decimal
    participants: int | Suppressed
    little_dutch: int | Suppressed
    first_contact: int | Suppressed


@dataclass(frozen=True)
class Reach:
    """The reach table plus totals and hours per role, for a policy officer or coordinator."""

    start: dt.date
    end: dt.date
    rows: list[ReachRow]
    totals: ReachRow
    hours_by_role: list[tuple[str, Decimal]]


def _approved(user: User, start: dt.date, end: dt.date, municipality: Municipality | None, *, days: Q | None = None):  # type: ignore[no-untyped-def]
    """Approved reports of the user's regions, dated `start` to `end`, or in `days` when given."""
    regions = region_ids(user, Role.POLICY_OFFICER, Role.COORDINATOR)
    qs = ActivityReport.objects.filter(
        days if days is not None else Q(date__gte=start, date__lte=end),
        assignment__status="approved",
        assignment__request__region_id__in=regions,
    )
    if municipality is not None:
        qs = qs.filter(assignment__request__municipality=municipality)
    return qs


_MEASURES = ("reports", "hours", "participants", "little_dutch", "first_contact")


def _reach_pieces(start: dt.date, end: dt.date) -> tuple[list[dt.date], list[tuple[dt.date, dt.date]], list[tuple[dt.date, dt.date]]]:
    """[start, end] as months whose rollups to add, day ranges of raw reports to add, and day
    ranges to take off again: a partial month is its own days, or the whole month minus the
    other days, whichever is fewer days. Every range is inclusive.
    """
    from sleutelnet.reporting.services import month_start, next_month

    months_plus: list[dt.date] = []
    days_plus: list[tuple[dt.date, dt.date]] = []
    days_minus: list[tuple[dt.date, dt.date]] = []
    month = month_start(start)
    while month <= end:
        last = next_month(month) - dt.timedelta(days=1)
        lo, hi = max(start, month), min(end, last)
        inside = (hi - lo).days + 1
        outside = (last - month).days + 1 - inside
        if outside == 0:
            months_plus.append(month)
        elif inside <= outside:
            days_plus.append((lo, hi))
        else:  # most of the month: the month's rollup minus the days outside the period
            months_plus.append(month)
            if month < lo:
                days_minus.append((month, lo - dt.timedelta(days=1)))
            if hi < last:
                days_minus.append((hi + dt.timedelta(days=1), last))
        month = next_month(month)
    return months_plus, days_plus, days_minus


def reach(
    user: User, *, start: dt.date | None = None, end: dt.date | None = None, municipality: Municipality | None = None
) -> Reach:
    """Reach per municipality over approved reports between `start` and `end` (inclusive).

    Read from the report rollups (one row per municipality and month, kept current with every
    approval, decision 0008) for whole months; the days of a partial month come from the raw
    reports, added, or taken off the month's rollup when that is fewer days. The figures are the
    same as summing the raw reports of the period.
    """
    today = timezone.localdate()
    end = end or today
    start = start or (end - dt.timedelta(days=90))
    regions = region_ids(user, Role.POLICY_OFFICER, Role.COORDINATOR)
    per_municipality: dict[int, list[Any]] = defaultdict(lambda: [0, Decimal(0), 0, 0, 0])
    per_role: dict[int, Decimal] = defaultdict(Decimal)
    months, days_plus, days_minus = _reach_pieces(start, end) if start <= end else ([], [], [])

    if months:
        cells = Rollup.objects.filter(region_id__in=regions, subject=Subject.REPORT, month__in=months)
        if municipality is not None:
            cells = cells.filter(municipality=municipality)
        for r in (
            cells.filter(dimension="total")
            .order_by()
            .values("municipality_id")
            .annotate(reports=Sum("count"), h=Sum("hours"), p=Sum("participants"), ld=Sum("little_dutch"), fc=Sum("first_contact"))
        ):
            acc = per_municipality[r["municipality_id"]]
            for i, v in enumerate((r["reports"], r["h"], r["p"], r["ld"], r["fc"])):
                acc[i] += v or 0
        for value, h in cells.filter(dimension="role").order_by().values_list("value").annotate(h=Sum("hours")):
            per_role[int(value)] += h or 0

    through = ActivityReport.roles_used.through
    for sign, ranges in ((1, days_plus), (-1, days_minus)):
        if not ranges:
            continue
        when = Q()
        for lo, hi in ranges:
            when |= Q(date__gte=lo, date__lte=hi)
        qs = _approved(user, start, end, municipality, days=when)
        for r in (
            qs.order_by()
            .values("assignment__request__municipality_id")
            .annotate(
                reports=Count("id"), h=Sum("hours"), p=Sum("participants"),
                ld=Sum("participants_little_dutch"), fc=Sum("participants_first_contact"),
            )
        ):
            acc = per_municipality[r["assignment__request__municipality_id"]]
            for i, v in enumerate((r["reports"], r["h"], r["p"], r["ld"], r["fc"])):
                acc[i] += sign * (v or 0)
        for role_id, h in (
            through.objects.filter(activityreport_id__in=qs.values("id"))
            .values_list("keypersonrole_id")
            .annotate(h=Sum("activityreport__hours"))
        ):
            per_role[role_id] += sign * (h or 0)

    def hours(value: Decimal) -> Decimal:  # reports have tenths of hours; the rollups keep hundredths
        return Decimal(value).quantize(Decimal("0.1"))

    names = dict(
        (m.id, (m.name, m.cbs_code))
        for m in Municipality.objects.filter(id__in=[k for k, v in per_municipality.items() if v[0] > 0])
    )
    rows = sorted(
        (
            ReachRow(
                municipality=names[k][0], cbs_code=names[k][1], reports=v[0], hours=hours(v[1]),
                participants=v[2], little_dutch=v[3], first_contact=v[4],
            )
            for k, v in per_municipality.items()
            if v[0] > 0
        ),
        key=lambda r: (r.municipality, r.cbs_code),
    )
    totals = ReachRow(
        municipality="",
        cbs_code="",
        reports=sum(r.reports for r in rows),
        hours=hours(sum((r.hours for r in rows), Decimal(0))) if rows else Decimal(0),
        participants=sum(r.participants for r in rows),  # type: ignore[misc]
        little_dutch=sum(r.little_dutch for r in rows),  # type: ignore[misc]
        first_contact=sum(r.first_contact for r in rows),  # type: ignore[misc]
    )
    role_hours = [
        (role.label, hours(per_role[role.id]) if per_role.get(role.id) else Decimal(0))
        for role in KeyPersonRole.objects.order_by("position")
    ]
    return Reach(start=start, end=end, rows=rows, totals=totals, hours_by_role=role_hours)


def hide_small_reach(figures: Reach, user: User) -> Reach:
    """The reach for someone who sees aggregates only: small counts of people hidden, per column,
    with the totals (as on the dashboards)."""
    from dataclasses import replace

    from sleutelnet.core.models import Region
    from sleutelnet.reporting.suppression import suppress_vector

    threshold = max(
        Region.objects.filter(pk__in=region_ids(user, Role.POLICY_OFFICER, Role.COORDINATOR)).values_list(
            "small_count_threshold", flat=True
        ),
        default=5,
    )
    rows, totals = list(figures.rows), figures.totals
    for name in ("participants", "little_dutch", "first_contact"):
        shown, total = suppress_vector([getattr(r, name) for r in rows], threshold=threshold)
        rows = [replace(r, **{name: v}) for r, v in zip(rows, shown, strict=True)]
        totals = replace(totals, **{name: total})
    return replace(figures, rows=rows, totals=totals)
