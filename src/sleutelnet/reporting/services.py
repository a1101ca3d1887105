"""Keeping the rollups current: recompute one municipality-month from the raw records.

Every change that moves a figure (a request filed, an offer answered, a report approved)
calls `refresh_for_request` inside its own transaction. That recomputes the rows of the
municipality and month(s) concerned from the raw records, so the rollups can never drift
from the truth, and the municipality row is locked first so two approvals in the same
municipality cannot each miss the other's (decision 0008). With `REPORTING_REFRESH=deferred`
(production) the change only queues the municipality-month (`PendingRefresh`), and the worker
recomputes it within seconds (decision 0010): a write no longer waits for a second of
recomputation at national scale. `rebuild` runs the same queries for everything, for a new
database, after an import and in the benchmark.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import (
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, TruncMonth, TruncQuarter, TruncYear
from django.utils import timezone

from sleutelnet.allowances.models import AllowanceRate
from sleutelnet.core import clock
from sleutelnet.core.models import Municipality, Region
from sleutelnet.deployments.models import (
    ActivityReport,
    Assignment,
    AssignmentStatus,
    Request,
    RequestStatus,
)
from sleutelnet.reporting.models import (
    KeyPersonMonth,
    KeyPersonPeriod,
    NewcomerMonth,
    PendingRefresh,
    PeriodCount,
    RegionRollup,
    Rollup,
    Subject,
)

#: Assignment states that mean "a key person said yes": the request was filled.
FILLED_STATES = (AssignmentStatus.ACCEPTED, AssignmentStatus.REPORTED, AssignmentStatus.APPROVED)

#: Report breakdowns: dimension name -> the field it groups by.
REPORT_DIMENSIONS: dict[str, str] = {
    "kind": "assignment__request__kind",
    "chain": "assignment__request__chain_link",
    "org_kind": "assignment__request__organisation__kind",
    "language": "assignment__request__language_id",
    "role": "roles_used",
    "domain": "life_domains",
    "n_roles": "n_roles",
    "n_domains": "n_domains",
}

#: Request kinds done for institutions rather than for newcomers (the research's second group).
INSTITUTION_KINDS = ("document_review", "consultation")

#: Waiting-time buckets in hours: by the hour for two days, then by the day up to 60 days.
DELAY_BUCKETS: tuple[int, ...] = tuple(range(48)) + tuple(24 * d for d in range(2, 61))

BATCH = 5000


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def next_month(month: dt.date) -> dt.date:
    return (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def delay_bucket(hours: float) -> int:
    """The lower bound (in hours) of the bucket a waiting time falls in."""
    h = max(0, int(hours))
    if h < 48:
        return h
    return min(h // 24, 60) * 24


# --- the report side -------------------------------------------------------------------------


MONEY = DecimalField(max_digits=14, decimal_places=2)


def _rate() -> Coalesce:
    """The region's allowance per hour on the day of the report (0 when none was set)."""
    rate = (
        AllowanceRate.objects.filter(region_id=OuterRef("assignment__request__region_id"), valid_from__lte=OuterRef("date"))
        .order_by("-valid_from")
        .values("per_hour")[:1]
    )
    return Coalesce(Subquery(rate, output_field=MONEY), Value(Decimal(0)), output_field=MONEY)


def _approved_reports(q: Q) -> Any:
    roles = (
        ActivityReport.roles_used.through.objects.filter(activityreport_id=OuterRef("pk"))
        .values("activityreport_id")
        .annotate(c=Count("*"))
        .values("c")
    )
    domains = (
        ActivityReport.life_domains.through.objects.filter(activityreport_id=OuterRef("pk"))
        .values("activityreport_id")
        .annotate(c=Count("*"))
        .values("c")
    )
    return (
        ActivityReport.objects.filter(q, assignment__status=AssignmentStatus.APPROVED)
        .annotate(
            r_region=F("assignment__request__region_id"),
            r_municipality=F("assignment__request__municipality_id"),
            r_month=TruncMonth("date"),
            n_roles=Coalesce(Subquery(roles, output_field=IntegerField()), 0),
            n_domains=Coalesce(Subquery(domains, output_field=IntegerField()), 0),
        )
        .order_by()
    )


def _report_measures() -> dict[str, Any]:
    # The allowance comes first: after the "hours" sum exists, F("hours") would name the sum.
    return {
        "allowance": Sum(ExpressionWrapper(F("hours") * _rate(), output_field=MONEY)),
        "count": Count("id"),
        "hours": Sum("hours"),
        "participants": Sum("participants"),
        "little_dutch": Sum("participants_little_dutch"),
        "first_contact": Sum("participants_first_contact"),
    }


def _as_month(value: Any) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def _report_rollups(q: Q) -> Iterator[Rollup]:
    base = _approved_reports(q)
    groups: list[tuple[str, str | None]] = [("total", None), *REPORT_DIMENSIONS.items()]
    for dimension, field in groups:
        keys = ["r_region", "r_municipality", "r_month"] + ([field] if field else [])
        for row in base.values(*keys).annotate(**_report_measures()).iterator(chunk_size=BATCH):
            value = "" if field is None else row[field]
            if value is None:
                continue
            yield Rollup(
                region_id=row["r_region"],
                municipality_id=row["r_municipality"],
                month=_as_month(row["r_month"]),
                subject=Subject.REPORT,
                dimension=dimension,
                value=str(value),
                count=row["count"],
                hours=row["hours"] or 0,
                participants=row["participants"] or 0,
                little_dutch=row["little_dutch"] or 0,
                first_contact=row["first_contact"] or 0,
                allowance=Decimal(row["allowance"] or 0).quantize(Decimal("0.01")),
            )


def _newcomer_months(q: Q) -> Iterator[NewcomerMonth]:
    rows = (
        _approved_reports(q)
        .filter(assignment__request__newcomer__isnull=False)
        .values("r_region", "r_municipality", "r_month", "assignment__request__newcomer_id")
        .annotate(ld=Max("participants_little_dutch"))
    )
    for row in rows.iterator(chunk_size=BATCH):
        yield NewcomerMonth(
            region_id=row["r_region"],
            municipality_id=row["r_municipality"],
            month=_as_month(row["r_month"]),
            newcomer_id=row["assignment__request__newcomer_id"],
            little_dutch=bool(row["ld"]),
        )


def _key_person_months(q: Q) -> Iterator[KeyPersonMonth]:
    rows = (
        _approved_reports(q)
        .filter(assignment__key_person__isnull=False)
        .values("r_region", "r_municipality", "r_month", "assignment__key_person_id")
        .annotate(allowance=Sum(ExpressionWrapper(F("hours") * _rate(), output_field=MONEY)), reports=Count("id"), h=Sum("hours"))
    )
    for row in rows.iterator(chunk_size=BATCH):
        yield KeyPersonMonth(
            region_id=row["r_region"],
            municipality_id=row["r_municipality"],
            month=_as_month(row["r_month"]),
            key_person_id=row["assignment__key_person_id"],
            reports=row["reports"],
            hours=row["h"] or 0,
            allowance=Decimal(row["allowance"] or 0).quantize(Decimal("0.01")),
        )


# --- the request side ------------------------------------------------------------------------


@dataclass
class _RequestFacts:
    region_id: int
    municipality_id: int
    month: dt.date
    kind: str
    org_kind: str
    status: str
    reason: str
    delay: int | None


def _request_facts(requests: Iterable[dict[str, Any]], assignments: dict[int, list[dict[str, Any]]], now: dt.datetime) -> Iterator[_RequestFacts]:
    for r in requests:
        mine = assignments.get(r["id"], [])
        accepted = [a["responded_at"] for a in mine if a["status"] in FILLED_STATES and a["responded_at"]]
        filled = any(a["status"] in FILLED_STATES for a in mine)
        if filled:
            status, reason = "filled", ""
        elif r["status"] == RequestStatus.CANCELLED:
            status, reason = "cancelled", "cancelled"
        elif r["starts_at"] <= now:
            status, reason = "unfilled", _unfilled_reason(mine)
        else:
            status, reason = "waiting", ""
        delay = delay_bucket((min(accepted) - r["created_at"]).total_seconds() / 3600) if accepted else None
        yield _RequestFacts(
            region_id=r["region_id"],
            municipality_id=r["municipality_id"],
            month=month_start(timezone.localtime(r["created_at"]).date()),
            kind=r["kind"],
            org_kind=r["organisation__kind"],
            status=status,
            reason=reason,
            delay=delay,
        )


def _unfilled_reason(assignments: list[dict[str, Any]]) -> str:
    """Why nobody came: no offer made, offers not answered, or the most given reason to decline."""
    if not assignments:
        return "no_offer"
    codes = Counter(a["decline_code"] or "other" for a in assignments if a["status"] == AssignmentStatus.DECLINED)
    if codes:
        return "declined:" + sorted(codes.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
    if any(a["status"] == AssignmentStatus.OFFERED for a in assignments):
        return "no_answer"
    return "withdrawn"


def _request_rollups(q: Q) -> Iterator[Rollup]:
    now = clock.now()
    cells: dict[tuple[int, int, dt.date, str, str], int] = defaultdict(int)
    ids_batch: list[dict[str, Any]] = []
    fields = ("id", "region_id", "municipality_id", "created_at", "starts_at", "kind", "organisation__kind", "status")

    def flush() -> None:
        assignments: dict[int, list[dict[str, Any]]] = defaultdict(list)
        for a in Assignment.objects.filter(request_id__in=[r["id"] for r in ids_batch]).values(
            "request_id", "status", "responded_at", "decline_code"
        ):
            assignments[a["request_id"]].append(a)
        by_id = {r["id"]: r for r in ids_batch}
        for f in _request_facts(ids_batch, assignments, now):
            key = (f.region_id, f.municipality_id, f.month)
            cells[(*key, "total", "")] += 1
            cells[(*key, "kind", f.kind)] += 1
            cells[(*key, "org_kind", f.org_kind)] += 1
            cells[(*key, "status", f.status)] += 1
            if f.reason:
                cells[(*key, "reason", f.reason)] += 1
            if f.delay is not None:
                cells[(*key, "delay", str(f.delay))] += 1
        for rid, mine in assignments.items():
            r = by_id[rid]
            key = (r["region_id"], r["municipality_id"], month_start(timezone.localtime(r["created_at"]).date()))
            for a in mine:
                if a["status"] == AssignmentStatus.DECLINED:
                    cells[(*key, "decline", a["decline_code"] or "other")] += 1
                elif a["status"] == AssignmentStatus.CANCELLED:
                    cells[(*key, "cancelled", "assignment")] += 1
        ids_batch.clear()

    for r in Request.objects.filter(q).order_by().values(*fields).iterator(chunk_size=BATCH):
        ids_batch.append(r)
        if len(ids_batch) >= BATCH:
            flush()
    if ids_batch:
        flush()
    for (region_id, municipality_id, month, dimension, value), count in cells.items():
        yield Rollup(
            region_id=region_id,
            municipality_id=municipality_id,
            month=month,
            subject=Subject.REQUEST,
            dimension=dimension,
            value=value,
            count=count,
        )


# --- writing ---------------------------------------------------------------------------------


def _save(objects: Iterable[Any], model: type) -> int:
    n, batch = 0, []
    for obj in objects:
        batch.append(obj)
        if len(batch) >= BATCH:
            model.objects.bulk_create(batch)  # type: ignore[attr-defined]
            n += len(batch)
            batch = []
    if batch:
        model.objects.bulk_create(batch)  # type: ignore[attr-defined]
        n += len(batch)
    return n


def _local_bounds(month: dt.date) -> tuple[dt.datetime, dt.datetime]:
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(month, dt.time.min, tzinfo=tz)
    return start, dt.datetime.combine(next_month(month), dt.time.min, tzinfo=tz)


SUMS = ("count", "hours", "participants", "little_dutch", "first_contact", "allowance")


def periods_of(month: dt.date) -> dict[str, tuple[dt.date, dt.date]]:
    """The month, quarter and year a month belongs to, as [start, end)."""
    quarter = month.replace(month=3 * ((month.month - 1) // 3) + 1)
    q_end = next_month(next_month(next_month(quarter)))
    year = month.replace(month=1)
    return {"month": (month, next_month(month)), "quarter": (quarter, q_end), "year": (year, year.replace(year=year.year + 1))}


def _derive(region_id: int, municipality_id: int, month: dt.date, key_person_ids: set[int], *, newcomers: bool) -> None:
    """Recompute what is derived from the base rows of one municipality-month: the region's
    month, the municipality's unique counts and the key persons' period sums."""
    RegionRollup.objects.filter(region_id=region_id, month=month).delete()
    RegionRollup.objects.bulk_create(
        RegionRollup(region_id=region_id, month=month, subject=r["subject"], dimension=r["dimension"], value=r["value"],
                     **{m: r[m] or 0 for m in SUMS})
        for r in Rollup.objects.filter(region_id=region_id, month=month)
        .values("subject", "dimension", "value").annotate(**{m: Sum(m) for m in SUMS}).order_by()
    )
    for kind, (start, end) in periods_of(month).items():
        if newcomers:
            PeriodCount.objects.filter(municipality_id=municipality_id, kind=kind, start=start).delete()
            agg = NewcomerMonth.objects.filter(municipality_id=municipality_id, month__gte=start, month__lt=end).aggregate(
                n=Count("newcomer_id", distinct=True), ld=Count("newcomer_id", distinct=True, filter=Q(little_dutch=True))
            )
            if agg["n"]:
                PeriodCount.objects.create(region_id=region_id, municipality_id=municipality_id, kind=kind, start=start,
                                           newcomers=agg["n"], newcomers_little_dutch=agg["ld"])
        if key_person_ids:
            KeyPersonPeriod.objects.filter(key_person_id__in=key_person_ids, kind=kind, start=start).delete()
            KeyPersonPeriod.objects.bulk_create(
                KeyPersonPeriod(key_person_id=r["key_person_id"], region_id=r["r"], kind=kind, start=start, hours=r["h"] or 0,
                                allowance=r["a"] or 0)
                for r in KeyPersonMonth.objects.filter(key_person_id__in=key_person_ids, month__gte=start, month__lt=end)
                .values("key_person_id").annotate(r=Min("region_id"), h=Sum("hours"), a=Sum("allowance")).order_by()
            )


def refresh_month(*, municipality_id: int, month: dt.date, reports: bool = True, requests: bool = True) -> None:
    """Bring the rollups of one municipality and month up to date: at once (`REPORTING_REFRESH`
    inline), or queued for the worker (deferred; `refresh_pending` recomputes it)."""
    if settings.REPORTING_REFRESH == "deferred":
        PendingRefresh.objects.create(municipality_id=municipality_id, month=month_start(month), reports=reports, requests=requests)
        return
    recompute_month(municipality_id=municipality_id, month=month, reports=reports, requests=requests)


def refresh_pending(limit: int = 50, *, delay: float | None = None) -> int:
    """The worker's step with `REPORTING_REFRESH=deferred`: recompute the queued municipality-months
    that waited `delay` seconds (`REPORTING_REFRESH_DELAY_SECONDS`: changes to one month in that
    time are recomputed once), oldest first, and remove the rows handled. A change that commits
    meanwhile queues a new row, so it is handled in a later round."""
    wait = settings.REPORTING_REFRESH_DELAY_SECONDS if delay is None else delay
    due = list(
        PendingRefresh.objects.filter(queued_at__lte=timezone.now() - dt.timedelta(seconds=wait))
        .order_by("id")
        .values_list("municipality_id", "month")[: max(limit, 1)]
    )
    done = 0
    for municipality_id, month in dict.fromkeys(due):
        with transaction.atomic():
            rows = list(PendingRefresh.objects.filter(municipality_id=municipality_id, month=month).values_list("id", "reports", "requests"))
            if not rows:
                continue  # another worker got there first
            recompute_month(
                municipality_id=municipality_id, month=month,
                reports=any(r[1] for r in rows), requests=any(r[2] for r in rows),
            )  # fmt: skip
            PendingRefresh.objects.filter(pk__in=[r[0] for r in rows]).delete()
            done += 1
    return done


@contextlib.contextmanager
def _nested_loops() -> Iterator[None]:
    """PostgreSQL: plan the next queries without hash joins, inside the current transaction.

    For the month's reports of one municipality the planner hashes every approved assignment in
    the country (a sequential scan of 2 million rows, 0.9 s at national scale) where looking up
    the month's reports' assignments by key takes 0.15 s (bench/load.py, the worker's share)."""
    if connection.vendor != "postgresql" or not connection.in_atomic_block:
        yield
        return
    with connection.cursor() as cur:
        cur.execute("SET LOCAL enable_hashjoin = off")
    yield  # an error leaves the setting to the rollback, which ends it with the transaction
    with connection.cursor() as cur:
        cur.execute("SET LOCAL enable_hashjoin = on")


def lock_for_refresh(region_id: int, municipality_id: int) -> None:
    """Lock the region row, then the municipality row, until the transaction ends.

    FOR NO KEY UPDATE: refreshes still run one after the other, but a change that inserts a row
    pointing at the region or municipality (a request, a report) is not held up. PostgreSQL's
    foreign-key check of such a row takes FOR KEY SHARE at its commit, municipality first; with
    FOR UPDATE here that check and a refresh each waited for the other (a deadlock seen in the
    load bench: the API answered 500 to one new request).
    """
    Region.objects.select_for_update(no_key=True).filter(pk=region_id).first()
    Municipality.objects.select_for_update(no_key=True).filter(pk=municipality_id).first()


@transaction.atomic
def recompute_month(*, municipality_id: int, month: dt.date, reports: bool = True, requests: bool = True) -> None:
    """Recompute the rollups of one municipality and month from the raw records, and what is
    derived from them. The region row is locked first (then the municipality): refreshes in one
    region run one after the other, so none misses another's rows."""
    region_id = Municipality.objects.filter(pk=municipality_id).values_list("region_id", flat=True).first()
    if region_id is None:
        return
    lock_for_refresh(region_id, municipality_id)
    month = month_start(month)
    people: set[int] = set()
    if reports:
        # The month's approved reports of the municipality by id, found once: the eleven grouped
        # queries below then read those rows by key, instead of each joining every report of that
        # month in the country to its request (seconds each at national scale).
        in_month = Q(assignment__request__municipality_id=municipality_id, date__gte=month, date__lt=next_month(month))
        with _nested_loops():
            q = Q(id__in=list(
                ActivityReport.objects.filter(in_month, assignment__status=AssignmentStatus.APPROVED).order_by().values_list("id", flat=True)
            ))
        old = KeyPersonMonth.objects.filter(municipality_id=municipality_id, month=month)
        people |= set(old.values_list("key_person_id", flat=True))
        Rollup.objects.filter(municipality_id=municipality_id, month=month, subject=Subject.REPORT).delete()
        NewcomerMonth.objects.filter(municipality_id=municipality_id, month=month).delete()
        old.delete()
        _save(_report_rollups(q), Rollup)
        _save(_newcomer_months(q), NewcomerMonth)
        people |= {kpm.key_person_id for kpm in _saved(_key_person_months(q), KeyPersonMonth)}
    if requests:
        start, end = _local_bounds(month)
        Rollup.objects.filter(municipality_id=municipality_id, month=month, subject=Subject.REQUEST).delete()
        _save(_request_rollups(Q(municipality_id=municipality_id, created_at__gte=start, created_at__lt=end)), Rollup)
    _derive(region_id, municipality_id, month, people, newcomers=reports)


def _saved(objects: Iterable[Any], model: type) -> list[Any]:
    rows = list(objects)
    model.objects.bulk_create(rows, batch_size=BATCH)  # type: ignore[attr-defined]
    return rows


def refresh_for_request(
    request: Request, *, reports: bool = False, requests: bool = True, municipality_id: int | None = None
) -> None:
    """Bring the figures of this request up to date: its own month and, with `reports`, the
    months of its reports. Call it inside the transaction of the change, after the change;
    `municipality_id` names a municipality the request moved away from, to refresh it too.
    `requests=False` when the change moves no request figure (an approval: the request was
    already filled, and approved counts as filled as reported did).
    """
    report_months = (
        {
            month_start(d)
            for d in ActivityReport.objects.filter(assignment__request_id=request.pk).values_list("date", flat=True)
        }
        if reports
        else set()
    )
    created = month_start(timezone.localtime(request.created_at).date())
    months = report_months | ({created} if requests else set())
    if municipality_id is not None and municipality_id != request.municipality_id:
        refresh_month(municipality_id=municipality_id, month=created, reports=False)
    for month in sorted(months):
        refresh_month(
            municipality_id=request.municipality_id,
            month=month,
            reports=month in report_months,
            requests=requests and month == created,
        )


def refresh_started(*, day: dt.date | None = None) -> int:
    """Daily: requests that started yesterday without a key person now count as unfilled."""
    day = day or clock.today()
    tz = timezone.get_current_timezone()
    yesterday = day - dt.timedelta(days=1)
    start = dt.datetime.combine(yesterday, dt.time.min, tzinfo=tz)  # local midnights, also on DST days
    end = dt.datetime.combine(day, dt.time.min, tzinfo=tz)
    pairs = set()
    for mid, created in Request.objects.filter(starts_at__gte=start, starts_at__lt=end).values_list("municipality_id", "created_at"):
        pairs.add((mid, month_start(timezone.localtime(created).date())))
    for mid, month in sorted(pairs):
        refresh_month(municipality_id=mid, month=month, reports=False)
    return len(pairs)


@transaction.atomic
def rebuild(*, region_id: int | None = None) -> dict[str, int]:
    """Recompute every rollup (of one region, or of all) from the raw records."""
    scope = {} if region_id is None else {"region_id": region_id}
    for model in (Rollup, NewcomerMonth, KeyPersonMonth):
        model.objects.filter(**scope).delete()  # type: ignore[attr-defined]
    rq = Q() if region_id is None else Q(assignment__request__region_id=region_id)
    qq = Q() if region_id is None else Q(region_id=region_id)
    counts = {
        "reports": _save(_report_rollups(rq), Rollup),
        "requests": _save(_request_rollups(qq), Rollup),
        "newcomers": _save(_newcomer_months(rq), NewcomerMonth),
        "key_persons": _save(_key_person_months(rq), KeyPersonMonth),
    }
    return counts | rebuild_derived(region_id=region_id)


@transaction.atomic
def rebuild_derived(*, region_id: int | None = None) -> dict[str, int]:
    """Recompute the region rollups, unique counts and key-person periods from the base rollups
    (the same sums `_derive` keeps current; seconds even at national scale)."""
    scope = {} if region_id is None else {"region_id": region_id}
    for model in (RegionRollup, PeriodCount, KeyPersonPeriod):
        model.objects.filter(**scope).delete()  # type: ignore[attr-defined]
    regions = (
        RegionRollup(region_id=r["region_id"], month=r["month"], subject=r["subject"], dimension=r["dimension"],
                     value=r["value"], **{m: r[m] or 0 for m in SUMS})
        for r in Rollup.objects.filter(**scope).values("region_id", "month", "subject", "dimension", "value")
        .annotate(**{m: Sum(m) for m in SUMS}).order_by().iterator(chunk_size=BATCH)
    )
    n = {"region_rollups": _save(regions, RegionRollup), "period_counts": 0, "key_person_periods": 0}
    for kind, trunc in (("month", F("month")), ("quarter", TruncQuarter("month")), ("year", TruncYear("month"))):
        counts = (
            PeriodCount(region_id=r["region_id"], municipality_id=r["municipality_id"], kind=kind, start=_as_month(r["start"]),
                        newcomers=r["n"], newcomers_little_dutch=r["ld"])
            for r in NewcomerMonth.objects.filter(**scope).annotate(start=trunc).values("region_id", "municipality_id", "start")
            .annotate(n=Count("newcomer_id", distinct=True), ld=Count("newcomer_id", distinct=True, filter=Q(little_dutch=True)))
            .order_by().iterator(chunk_size=BATCH)
        )
        n["period_counts"] += _save(counts, PeriodCount)
        people = (
            KeyPersonPeriod(key_person_id=r["key_person_id"], region_id=r["r"], kind=kind, start=_as_month(r["start"]),
                            hours=r["h"] or 0, allowance=r["a"] or 0)
            for r in KeyPersonMonth.objects.filter(**scope).annotate(start=trunc).values("key_person_id", "start")
            .annotate(r=Min("region_id"), h=Sum("hours"), a=Sum("allowance")).order_by().iterator(chunk_size=BATCH)
        )
        n["key_person_periods"] += _save(people, KeyPersonPeriod)
    return n
