"""Reads of allowance rates and limits, a key person's hours and allowance against the limits,
the limit check before an offer or an approval, the monthly statements, and the scoped lists."""

from __future__ import annotations

import calendar
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from sleutelnet.allowances.iban import is_valid_iban
from sleutelnet.allowances.models import (
    AllowanceLimit,
    AllowanceRate,
    ClaimReceipt,
    ClaimStatus,
    DeclaredAllowance,
    ExpenseClaim,
    LineKind,
    MonthlyStatement,
    PaymentSettings,
)
from sleutelnet.core.models import Role, User
from sleutelnet.core.selectors import region_ids
from sleutelnet.people.models import KeyPerson


def limits_on(day: dt.date, region_id: int | None) -> tuple[AllowanceLimit | None, bool]:
    """The limits that apply on `day` (a region's own before the national ones).

    Returns (limits, current): when nobody has entered the limits for that year yet, the most
    recent earlier ones with current=False, so a page can say so instead of guessing.
    """
    rows = AllowanceLimit.objects.filter(Q(region_id=region_id) | Q(region__isnull=True)).order_by("region_id", "-valid_from")
    for row in rows.filter(valid_from__lte=day, valid_until__gte=day).order_by("-region_id"):
        return row, True
    return rows.filter(valid_until__lt=day).order_by("-valid_until").first(), False


def rate_on(day: dt.date, region_id: int) -> Decimal | None:
    """The region's allowance per hour on `day` (None when none was set)."""
    rate = AllowanceRate.objects.filter(region_id=region_id, valid_from__lte=day).order_by("-valid_from").first()
    return rate.per_hour if rate else None


@dataclass(frozen=True)
class Period:
    """Hours and allowance of one key person over a month or a year."""

    approved_hours: Decimal
    waiting_hours: Decimal
    allowance: Decimal | None
    limit: Decimal | None

    @property
    def room(self) -> Decimal | None:
        if self.allowance is None or self.limit is None:
            return None
        return self.limit - self.allowance

    @property
    def over(self) -> bool:
        return self.room is not None and self.room < 0

    @property
    def percent(self) -> int:
        if not self.limit or self.allowance is None:
            return 0
        return min(100, round(100 * self.allowance / self.limit))


@dataclass(frozen=True)
class HoursSummary:
    month: Period
    year: Period
    rate: Decimal | None
    limits: AllowanceLimit | None
    limits_current: bool

    @property
    def rate_over_hour_limit(self) -> bool:
        return bool(self.rate is not None and self.limits is not None and self.rate > self.limits.per_hour_adult)


def hours_summary(key_person_id: int, region_id: int, today: dt.date) -> HoursSummary:
    """Hours from the key person's reports this month and this year; the allowance counts approved hours.

    Each source (reports, written advice, meetings) is summed in one query with a filtered sum
    per month/year and state: the portal and the hours page show it, a query per figure adds up.
    """
    from sleutelnet.deployments.models import ActivityReport, AssignmentStatus

    rate = rate_on(today, region_id)
    limits, current = limits_on(today, region_id)

    this_month = Q(date__month=today.month)
    approved, waiting = Q(assignment__status=AssignmentStatus.APPROVED), Q(assignment__status=AssignmentStatus.REPORTED)
    sums = ActivityReport.objects.filter(key_person_id=key_person_id, date__year=today.year).aggregate(
        month_approved=Sum("hours", filter=this_month & approved),
        month_waiting=Sum("hours", filter=this_month & waiting),
        year_approved=Sum("hours", filter=approved),
        year_waiting=Sum("hours", filter=waiting),
    )
    advice = _advice_hours(key_person_id, today)

    def period(name: str, limit: Decimal | None) -> Period:
        done, pending = advice[name]
        approved_hours = (sums[f"{name}_approved"] or Decimal("0")) + done
        waiting_hours = (sums[f"{name}_waiting"] or Decimal("0")) + pending
        allowance = (approved_hours * rate).quantize(Decimal("0.01")) if rate is not None else None
        return Period(approved_hours, waiting_hours, allowance, limit)

    return HoursSummary(
        month=period("month", limits.per_month if limits else None),
        year=period("year", limits.per_year if limits else None),
        rate=rate,
        limits=limits,
        limits_current=current,
    )


def _advice_hours(key_person_id: int, today: dt.date) -> dict[str, tuple[Decimal, Decimal]]:
    """Hours of advice (written answers and sounding-board meetings) in the advisor role: counted
    as done once the asker shared the outcome, as waiting before; by the day the advice was given."""
    from sleutelnet.voice.models import Consultation, ConsultationAnswer, ConsultationStatus

    published = ConsultationStatus.PUBLISHED
    answered = Q(consultation__status=published)
    answers = ConsultationAnswer.objects.filter(key_person_id=key_person_id, submitted_at__year=today.year).aggregate(
        month_done=Sum("hours", filter=Q(submitted_at__month=today.month) & answered),
        month_pending=Sum("hours", filter=Q(submitted_at__month=today.month) & ~answered),
        year_done=Sum("hours", filter=answered),
        year_pending=Sum("hours", filter=~answered),
    )
    shared = Q(status=published)
    meetings = Consultation.objects.filter(attendees__id=key_person_id, meeting_at__year=today.year, meeting_hours__isnull=False).aggregate(
        month_done=Sum("meeting_hours", filter=Q(meeting_at__month=today.month) & shared),
        month_pending=Sum("meeting_hours", filter=Q(meeting_at__month=today.month) & ~shared),
        year_done=Sum("meeting_hours", filter=shared),
        year_pending=Sum("meeting_hours", filter=~shared),
    )
    zero = Decimal("0")
    return {
        name: (
            (answers[f"{name}_done"] or zero) + (meetings[f"{name}_done"] or zero),
            (answers[f"{name}_pending"] or zero) + (meetings[f"{name}_pending"] or zero),
        )
        for name in ("month", "year")
    }


# --- the limits at work: the ledger of a few key persons over a period ---------------------------
#
# Every check and every statement reads the same few tables once for all the key persons on a
# page (reports, rates, limits, agreements, allowances from elsewhere) and computes in Python:
# a page of 25 approvals or 40 candidates costs the same handful of queries as one.

ZERO = Decimal("0")
CENT = Decimal("0.01")


def cents(value: Decimal) -> Decimal:
    """Rounded to the cent the way people do it (half up), not the banker's way."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def month_end(day: dt.date) -> dt.date:
    return dt.date(day.year, day.month, calendar.monthrange(day.year, day.month)[1])


def age_on(born_on: dt.date, day: dt.date) -> int:
    """Age in whole years on `day` (a birthday counts from the day itself)."""
    return day.year - born_on.year - ((day.month, day.day) < (born_on.month, born_on.day))


class LimitKind(StrEnum):
    HOUR = "hour"
    MONTH = "month"
    YEAR = "year"


@dataclass(frozen=True)
class LimitWarning:
    """One tax-free limit that is (or would be) exceeded, and by how much in euros."""

    kind: str
    #: The limit itself: euros per hour, per month or per year.
    limit: Decimal
    #: What it comes to: the allowance per hour, or the total of the month or year.
    amount: Decimal
    #: Euros above the limit (for the hour limit: over all those hours of the month).
    excess: Decimal
    #: The limits of this year were not entered yet: the most recent ones were used.
    provisional: bool = False
    #: The lower limit for younger than 21 applied (on at least one day).
    young: bool = False
    #: Set when the warning is about an earlier month whose work is on this statement.
    month: dt.date | None = None

    @property
    def message(self) -> str:
        values = {"limit": _money(self.limit), "amount": _money(self.amount), "excess": _money(self.excess)}
        if self.kind == LimitKind.HOUR:
            text = (
                _("Hour limit: € %(amount)s per hour is more than the tax-free € %(limit)s per hour for younger than 21. That is € %(excess)s too much this month.")
                if self.young
                else _("Hour limit: € %(amount)s per hour is more than the tax-free € %(limit)s per hour. That is € %(excess)s too much this month.")
            ) % values
        elif self.kind == LimitKind.MONTH:
            text = _("Month limit: € %(amount)s this month is € %(excess)s more than the tax-free € %(limit)s per month.") % values
        else:
            text = _("Year limit: € %(amount)s this year is € %(excess)s more than the tax-free € %(limit)s per year.") % values
        if self.provisional:
            text += " " + _("(The limits for this year have not been entered yet: these are last year's.)")
        if self.month is not None:
            text = f"{date_format(self.month, 'YEAR_MONTH_FORMAT')}: {text}"
        return text

    def as_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind, "limit": str(self.limit), "amount": str(self.amount), "excess": str(self.excess),
            "provisional": self.provisional, "young": self.young, "month": self.month.isoformat() if self.month else None,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> LimitWarning:
        return cls(
            kind=data["kind"], limit=Decimal(data["limit"]), amount=Decimal(data["amount"]), excess=Decimal(data["excess"]),
            provisional=bool(data.get("provisional")), young=bool(data.get("young")),
            month=dt.date.fromisoformat(data["month"]) if data.get("month") else None,
        )


def _money(value: Decimal) -> str:
    from django.utils.formats import number_format

    return number_format(cents(value), decimal_pos=2, use_l10n=True, force_grouping=True)


@dataclass(frozen=True)
class Work:
    """Hours of one key person on one day (an activity report, or work still to come)."""

    key_person_id: int
    day: dt.date
    hours: Decimal
    region_id: int
    report_id: int | None = None
    title: str = ""


class Rates:
    """Each region's allowance rates in time, read once."""

    def __init__(self, region_ids: Iterable[int]) -> None:
        self._rows: dict[int, list[AllowanceRate]] = defaultdict(list)
        for row in AllowanceRate.objects.filter(region_id__in=set(region_ids)).order_by("-valid_from"):
            self._rows[row.region_id].append(row)

    def on(self, region_id: int, day: dt.date) -> AllowanceRate | None:
        return next((r for r in self._rows.get(region_id, []) if r.valid_from <= day), None)

    def per_hour(self, region_id: int, day: dt.date) -> Decimal | None:
        rate = self.on(region_id, day)
        return rate.per_hour if rate else None


class Limits:
    """The tax-free limits (national and each region's own), read once; `on` as `limits_on`."""

    def __init__(self, region_ids: Iterable[int]) -> None:
        self._rows = list(AllowanceLimit.objects.filter(Q(region_id__in=set(region_ids)) | Q(region__isnull=True)))

    def on(self, region_id: int | None, day: dt.date) -> tuple[AllowanceLimit | None, bool]:
        rows = [r for r in self._rows if r.region_id in (region_id, None)]
        valid = [r for r in rows if r.valid_from <= day <= r.valid_until]
        if valid:
            return sorted(valid, key=lambda r: (r.region_id is None, -r.valid_from.toordinal()))[0], True
        earlier = [r for r in rows if r.valid_until < day]
        return (max(earlier, key=lambda r: (r.valid_until, r.region_id is not None)) if earlier else None), False


@dataclass
class Ledger:
    """What a set of key persons did and got over a period: enough to check the limits and to
    draw up their statements without a query per person."""

    rates: Rates
    limits: Limits
    agreements: dict[int, list[Any]]
    work: dict[int, list[Work]]
    declared: dict[tuple[int, dt.date], Decimal]
    #: Per key person and year: the volunteer work by month, its amounts by month, and the year's
    #: amount. A page of approvals checks many reports of the same people: each year is summed once.
    _years: dict[tuple[int, int], tuple[dict[dt.date, list[Work]], dict[dt.date, Decimal], Decimal]] = field(
        default_factory=dict, init=False, repr=False
    )

    @classmethod
    def load(cls, key_persons: Iterable[KeyPerson], start: dt.date, end: dt.date, *, planned: bool = False) -> Ledger:
        """Approved work from `start` to `end` (and, with `planned`, filed reports and accepted
        assignments too: what is coming when a new offer is weighed)."""
        from sleutelnet.care.models import Agreement, AgreementKind
        from sleutelnet.deployments.models import ActivityReport, Assignment, AssignmentStatus

        people = {kp.id: kp for kp in key_persons}
        ids = set(people)
        work: dict[int, list[Work]] = defaultdict(list)
        states = [AssignmentStatus.APPROVED, *([AssignmentStatus.REPORTED] if planned else [])]
        reports = ActivityReport.objects.filter(
            key_person_id__in=ids, assignment__status__in=states, date__range=(start, end)
        ).values_list("id", "key_person_id", "date", "hours", "assignment__region_id").order_by()
        # No order (the model's is newest first): the sums below do not need one, and a year of
        # reports of a page of key persons is thousands of rows to sort for nothing. The region is
        # the request's, copied on the assignment: no join with the requests for thousands of rows.
        regions = {kp.region_id for kp in people.values()}
        for report_id, kp_id, day, hours, region_id in reports:
            work[kp_id].append(Work(kp_id, day, hours, region_id, report_id))
            regions.add(region_id)
        if planned:
            accepted = Assignment.objects.filter(
                key_person_id__in=ids, status=AssignmentStatus.ACCEPTED,
                request__starts_at__date__range=(start - dt.timedelta(days=1), end + dt.timedelta(days=1)),
            ).values_list("key_person_id", "request__starts_at", "request__ends_at", "request__region_id")
            for kp_id, starts_at, ends_at, region_id in accepted:
                day = timezone.localtime(starts_at).date()
                if start <= day <= end:
                    work[kp_id].append(Work(kp_id, day, planned_hours(starts_at, ends_at), region_id))
        agreements: dict[int, list[Any]] = defaultdict(list)
        for agreement in Agreement.objects.filter(key_person_id__in=ids).exclude(kind=AgreementKind.VOLUNTEER):
            agreements[agreement.key_person_id].append(agreement)
        declared: dict[tuple[int, dt.date], Decimal] = defaultdict(lambda: ZERO)
        rows = (
            DeclaredAllowance.objects.filter(key_person_id__in=ids, withdrawn_at__isnull=True, month__range=(month_start(start), end))
            .values("key_person_id", "month")
            .annotate(total=Sum("amount"))
        )
        for row in rows:
            declared[(row["key_person_id"], row["month"])] = row["total"]
        return cls(Rates(regions), Limits(regions), agreements, work, declared)

    def paid_agreement(self, key_person_id: int, day: dt.date) -> Any:
        """The employment or freelance agreement on `day`, if any: then the hours are paid work."""
        return next((a for a in self.agreements.get(key_person_id, []) if a.valid_on(day)), None)

    def volunteer_amount(self, w: Work) -> Decimal:
        rate = self.rates.per_hour(w.region_id, w.day)
        return cents(w.hours * rate) if rate is not None else ZERO

    def check(self, kp: KeyPerson, month: dt.date, extra: Sequence[Work] = ()) -> list[LimitWarning]:
        """The limits `kp` is over in `month` once `extra` is added (nothing when `extra` is paid work)."""
        first = month_start(month)
        if any(self.paid_agreement(kp.id, w.day) for w in extra):
            return []
        limits, current = self.limits.on(kp.region_id, first)
        if limits is None:
            return []
        months, amounts, year_amount = self._volunteer_year(kp.id, first.year)
        extra_year = [w for w in extra if w.day.year == first.year]  # none of it is paid work (above)
        extra_month = [w for w in extra_year if month_start(w.day) == first]
        in_month = [*months.get(first, []), *extra_month]
        warnings = []
        hour = self._hour_check(kp, in_month)
        if hour is not None:
            warnings.append(hour)
        month_amount = amounts.get(first, ZERO) + sum((self.volunteer_amount(w) for w in extra_month), ZERO)
        month_total = month_amount + self.declared.get((kp.id, first), ZERO)
        if month_total > limits.per_month:
            warnings.append(LimitWarning(LimitKind.MONTH, limits.per_month, month_total, month_total - limits.per_month, not current))
        declared_year = sum((v for (kp_id, m), v in self.declared.items() if kp_id == kp.id and m.year == first.year), ZERO)
        year_total = year_amount + sum((self.volunteer_amount(w) for w in extra_year), ZERO) + declared_year
        if year_total > limits.per_year:
            warnings.append(LimitWarning(LimitKind.YEAR, limits.per_year, year_total, year_total - limits.per_year, not current))
        return warnings

    def _volunteer_year(self, kp_id: int, year: int) -> tuple[dict[dt.date, list[Work]], dict[dt.date, Decimal], Decimal]:
        """The loaded volunteer work of `kp_id` in `year` (not paid under an agreement), by month, summed once."""
        cached = self._years.get((kp_id, year))
        if cached is None:
            months: dict[dt.date, list[Work]] = defaultdict(list)
            amounts: dict[dt.date, Decimal] = defaultdict(lambda: ZERO)
            total = ZERO
            for w in self.work.get(kp_id, []):
                if w.day.year == year and self.paid_agreement(kp_id, w.day) is None:
                    first, amount = month_start(w.day), self.volunteer_amount(w)
                    months[first].append(w)
                    amounts[first] += amount
                    total += amount
            cached = self._years[(kp_id, year)] = (dict(months), dict(amounts), total)
        return cached

    def _hour_check(self, kp: KeyPerson, work: Sequence[Work]) -> LimitWarning | None:
        """The allowance per hour against the limit per hour of each day (lower below 21 on that day)."""
        excess, rate_seen, limit_seen, young_seen, provisional = ZERO, ZERO, None, False, False
        for w in work:
            rate = self.rates.per_hour(w.region_id, w.day)
            limits, current = self.limits.on(kp.region_id, w.day)
            if rate is None or limits is None:
                continue
            young = kp.born_on is not None and age_on(kp.born_on, w.day) < 21 and limits.per_hour_young is not None
            limit = limits.per_hour_young if young else limits.per_hour_adult
            if rate > limit:  # type: ignore[operator]
                excess += cents(w.hours * (rate - limit))  # type: ignore[operator]
                rate_seen = max(rate_seen, rate)
                limit_seen = limit if limit_seen is None else min(limit_seen, limit)  # type: ignore[type-var]
                young_seen = young_seen or young
                provisional = provisional or not current
        if limit_seen is None:
            return None
        return LimitWarning(LimitKind.HOUR, limit_seen, rate_seen, excess, provisional, young_seen)


def planned_hours(starts_at: dt.datetime, ends_at: dt.datetime) -> Decimal:
    return Decimal((ends_at - starts_at).total_seconds() / 3600).quantize(Decimal("0.1"))


def _year_span(days: Iterable[dt.date]) -> tuple[dt.date, dt.date]:
    years = [d.year for d in days]
    return dt.date(min(years), 1, 1), dt.date(max(years), 12, 31)


@dataclass(frozen=True)
class Extra:
    """Hours that an offer or an approval would add, for `limit_checks`."""

    key_person: KeyPerson
    day: dt.date
    hours: Decimal
    region_id: int | None = None


def limit_checks(extras: Sequence[Extra], *, planned: bool = False) -> list[list[LimitWarning]]:
    """For each extra: the limits its key person would be over in that month, in one go.

    Paid key persons (an employment or freelance agreement on the day) get none. With `planned`,
    filed reports and accepted assignments count too (before an offer: what is already coming).
    """
    if not extras:
        return []
    start, end = _year_span(e.day for e in extras)
    ledger = Ledger.load({e.key_person.id: e.key_person for e in extras}.values(), start, end, planned=planned)
    return [
        ledger.check(
            e.key_person, e.day,
            [Work(e.key_person.id, e.day, Decimal(e.hours), e.region_id or e.key_person.region_id)] if e.hours else [],
        )
        for e in extras
    ]


def limit_check(
    key_person: KeyPerson, month: dt.date, extra_hours: Decimal | int = 0, *, on: dt.date | None = None, region_id: int | None = None
) -> list[LimitWarning]:
    """The limits (hour, month, year) `key_person` is over in `month`, with `extra_hours` more work
    on `on` (default the first of the month). Warnings inform; they never block."""
    day = on or month_start(month)
    return limit_checks([Extra(key_person, day, Decimal(extra_hours), region_id)])[0]


# --- statements -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Line:
    """One report on a statement: volunteer hours at the region's rate, or paid hours at the agreement's."""

    report_id: int | None
    kind: str
    day: dt.date
    hours: Decimal
    rate: Decimal
    amount: Decimal
    title: str = ""


@dataclass
class Statement:
    """A key person's month: frozen when approved (`approved` is the stored statement), else drawn up
    from the approved reports and claims that no statement pays yet, up to the month's end."""

    key_person: KeyPerson
    month: dt.date
    lines: list[Line] = field(default_factory=list)
    claims: list[ExpenseClaim] = field(default_factory=list)
    declared_elsewhere: Decimal = ZERO
    warnings: list[LimitWarning] = field(default_factory=list)
    approved: MonthlyStatement | None = None
    #: Paid lines without an hourly rate in the agreement (paid at 0 until it is entered).
    missing_hourly_rate: bool = False

    def _sum(self, kind: str, attr: str) -> Decimal:
        return sum((getattr(line, attr) for line in self.lines if line.kind == kind), ZERO)

    @property
    def volunteer_hours(self) -> Decimal:
        return self.approved.volunteer_hours if self.approved else self._sum(LineKind.VOLUNTEER, "hours")

    @property
    def volunteer_amount(self) -> Decimal:
        return self.approved.volunteer_amount if self.approved else self._sum(LineKind.VOLUNTEER, "amount")

    @property
    def paid_hours(self) -> Decimal:
        return self.approved.paid_hours if self.approved else self._sum(LineKind.PAID, "hours")

    @property
    def paid_amount(self) -> Decimal:
        return self.approved.paid_amount if self.approved else self._sum(LineKind.PAID, "amount")

    @property
    def expenses(self) -> Decimal:
        return self.approved.expenses if self.approved else sum((c.amount for c in self.claims), ZERO)

    @property
    def total(self) -> Decimal:
        return self.approved.total if self.approved else self.volunteer_amount + self.paid_amount + self.expenses

    @property
    def is_empty(self) -> bool:
        return self.approved is None and not self.lines and not self.claims

    @property
    def is_paid_key_person(self) -> bool:
        return self.paid_hours > 0 and self.volunteer_hours == 0

    @property
    def iban(self) -> str:
        details = getattr(self.key_person, "payment_details", None)
        return details.iban if details else ""

    @property
    def iban_valid(self) -> bool:
        return is_valid_iban(self.iban)

    @property
    def flags(self) -> list[str]:
        """What the coordinator should look at before approving or paying."""
        out = [w.message for w in self.warnings]
        if self.total > 0 and not self.iban:
            out.append(str(_("No IBAN yet: this statement cannot be paid by bank transfer.")))
        elif self.iban and not self.iban_valid:
            out.append(str(_("The IBAN is not valid.")))
        if self.missing_hourly_rate:
            out.append(str(_("The agreement has no hourly rate: paid hours count as € 0.")))
        return out


def _open_reports(key_person_ids: Iterable[int], until: dt.date) -> dict[int, list[Work]]:
    """Approved reports up to `until` that no statement pays yet, per key person."""
    from sleutelnet.deployments.models import ActivityReport, AssignmentStatus

    rows = (
        ActivityReport.objects.filter(
            key_person_id__in=set(key_person_ids), assignment__status=AssignmentStatus.APPROVED,
            date__lte=until, statement_line__isnull=True,
        )
        .order_by("date", "id")
        .values_list("id", "key_person_id", "date", "hours", "assignment__request__region_id", "assignment__request__title")
    )
    out: dict[int, list[Work]] = defaultdict(list)
    for report_id, kp_id, day, hours, region_id, title in rows:
        out[kp_id].append(Work(kp_id, day, hours, region_id, report_id, title))
    return out


def _open_claims(key_person_ids: Iterable[int], until: dt.date) -> dict[int, list[ExpenseClaim]]:
    out: dict[int, list[ExpenseClaim]] = defaultdict(list)
    claims = ExpenseClaim.objects.filter(
        key_person_id__in=set(key_person_ids), status=ClaimStatus.APPROVED, statement__isnull=True, date__lte=until
    ).order_by("date", "id")
    for claim in claims:
        out[claim.key_person_id].append(claim)
    return out


def _draw_up(kp: KeyPerson, month: dt.date, ledger: Ledger, reports: list[Work], claims: list[ExpenseClaim]) -> Statement:
    st = Statement(kp, month, claims=claims, declared_elsewhere=ledger.declared.get((kp.id, month), ZERO))
    for w in reports:
        agreement = ledger.paid_agreement(kp.id, w.day)
        if agreement is not None:
            rate = agreement.hourly_rate
            st.missing_hourly_rate = st.missing_hourly_rate or rate is None
            rate = rate if rate is not None else ZERO
            st.lines.append(Line(w.report_id, LineKind.PAID, w.day, w.hours, rate, cents(w.hours * rate), w.title))
        else:
            rate = ledger.rates.per_hour(w.region_id, w.day) or ZERO
            st.lines.append(Line(w.report_id, LineKind.VOLUNTEER, w.day, w.hours, rate, cents(w.hours * rate), w.title))
    return st


def statements_for_month(key_persons: Sequence[KeyPerson], month: dt.date, *, keep: list[Ledger] | None = None) -> list[Statement]:
    """The month of each key person: the approved statement, or the draft; with the limit warnings.

    The drafts take every approved report and claim up to the month's end that no statement pays
    yet, so a report approved after its month was paid goes on the next statement, never lost.
    """
    first, last = month_start(month), month_end(month)
    ids = [kp.id for kp in key_persons]
    approved = {
        s.key_person_id: s for s in MonthlyStatement.objects.filter(key_person_id__in=ids, month=first).select_related("approved_by")
    }
    open_ids = [i for i in ids if i not in approved]
    reports = _open_reports(open_ids, last) if open_ids else {}
    claims = _open_claims(open_ids, last) if open_ids else {}
    earliest = min([first, *(w.day for ws in reports.values() for w in ws)])
    ledger = Ledger.load(key_persons, dt.date(earliest.year, 1, 1), dt.date(first.year, 12, 31))
    if keep is not None:  # the caller reads the same year again (year_overview)
        keep.append(ledger)
    out = []
    for kp in key_persons:
        if kp.id in approved:
            st = Statement(kp, first, approved=approved[kp.id], declared_elsewhere=approved[kp.id].declared_elsewhere)
            st.warnings = [LimitWarning.from_json(w) for w in approved[kp.id].warnings]
        else:
            st = _draw_up(kp, first, ledger, reports.get(kp.id, []), claims.get(kp.id, []))
            st.warnings = ledger.check(kp, first)
            # work of earlier months that is paid now: that month's limits, named by its month
            for earlier in sorted({month_start(line.day) for line in st.lines} - {first}):
                st.warnings += [replace(w, month=earlier) for w in ledger.check(kp, earlier)]
        out.append(st)
    return out


def statement_of(key_person: KeyPerson, month: dt.date) -> Statement:
    """One key person's month (see `statements_for_month`)."""
    return statements_for_month([key_person], month)[0]


def month_and_year(key_person: KeyPerson, month: dt.date) -> tuple[Statement, YearOverview]:
    """One key person's month and its year, from one read of the ledger."""
    kept: list[Ledger] = []
    statement = statements_for_month([key_person], month, keep=kept)[0]
    return statement, year_overview(key_person, month.year, kept[0])


def key_persons_with_a_month(user: User, region_id: int, month: dt.date) -> QuerySet[KeyPerson]:
    """The region's key persons (of the user's scope) with something in `month`: an approved
    statement, or approved reports or claims up to its end that no statement pays yet."""
    from sleutelnet.deployments.models import ActivityReport, AssignmentStatus

    first, last = month_start(month), month_end(month)
    scope = coordinated_key_persons(user).filter(region_id=region_id)
    reports = ActivityReport.objects.filter(
        assignment__status=AssignmentStatus.APPROVED, date__lte=last, statement_line__isnull=True, key_person_id=OuterRef("pk")
    )
    claims = ExpenseClaim.objects.filter(status=ClaimStatus.APPROVED, statement__isnull=True, date__lte=last, key_person_id=OuterRef("pk"))
    statements = MonthlyStatement.objects.filter(month=first, key_person_id=OuterRef("pk"))
    return scope.filter(Exists(reports) | Exists(claims) | Exists(statements)).order_by("full_name", "id")


# --- scoped reads ---------------------------------------------------------------------------------


def coordinated_key_persons(user: User) -> QuerySet[KeyPerson]:
    """Key persons of the regions the user coordinates (no prefetching: the allowance pages need none)."""
    if not getattr(user, "is_authenticated", False):
        return KeyPerson.objects.none()
    return KeyPerson.objects.filter(region_id__in=region_ids(user, Role.COORDINATOR)).select_related("payment_details")


def claims_for(user: User) -> QuerySet[ExpenseClaim]:
    """Claims of the regions the user coordinates, and the key person's own."""
    if not getattr(user, "is_authenticated", False):
        return ExpenseClaim.objects.none()
    cond = Q(key_person__region_id__in=region_ids(user, Role.COORDINATOR))
    kp = getattr(user, "key_person", None)
    if kp is not None:
        cond |= Q(key_person_id=kp.id)
    return ExpenseClaim.objects.filter(cond).select_related("key_person", "decided_by").annotate(
        has_receipt=Exists(ClaimReceipt.objects.filter(claim_id=OuterRef("pk")))
    )


def receipt_for(user: User, claim_uuid: Any) -> ClaimReceipt | None:
    """The receipt of a claim the user may see, or None (the page answers 404 either way)."""
    claim = claims_for(user).filter(uuid=claim_uuid).first()
    if claim is None:
        return None
    return ClaimReceipt.objects.filter(claim=claim).first()


def declared_for(user: User, key_person: KeyPerson) -> QuerySet[DeclaredAllowance]:
    """Allowances from elsewhere of a key person the user coordinates (withdrawn ones too, marked)."""
    return DeclaredAllowance.objects.filter(
        key_person=key_person, key_person__region_id__in=region_ids(user, Role.COORDINATOR)
    ).select_related("recorded_by", "withdrawn_by").order_by("-month", "-id")


def approved_statements(user: User, region_id: int, month: dt.date) -> QuerySet[MonthlyStatement]:
    """The approved statements of a month in a region the user coordinates: what finance pays."""
    if region_id not in region_ids(user, Role.COORDINATOR):
        return MonthlyStatement.objects.none()
    return (
        MonthlyStatement.objects.filter(region_id=region_id, month=month_start(month))
        .select_related("key_person__payment_details", "approved_by")
        .order_by("key_person__full_name", "id")
    )


def payment_settings(region_id: int) -> PaymentSettings | None:
    return PaymentSettings.objects.filter(region_id=region_id).first()


@dataclass(frozen=True)
class MonthFigures:
    """One month of a key person's year: volunteer hours and allowance (by the day of the work),
    what other organisations paid, and paid hours (outside the limits)."""

    month: dt.date
    volunteer_hours: Decimal
    volunteer_amount: Decimal
    declared: Decimal
    paid_hours: Decimal
    limit: Decimal | None

    @property
    def total(self) -> Decimal:
        return self.volunteer_amount + self.declared

    @property
    def over(self) -> bool:
        return self.limit is not None and self.total > self.limit


@dataclass(frozen=True)
class YearOverview:
    months: list[MonthFigures]
    limits: AllowanceLimit | None
    limits_current: bool

    @property
    def total(self) -> Decimal:
        return sum((m.total for m in self.months), ZERO)

    @property
    def over(self) -> bool:
        return self.limits is not None and self.total > self.limits.per_year


def year_overview(kp: KeyPerson, year: int, ledger: Ledger | None = None) -> YearOverview:
    """A key person's twelve months of `year` against the month and year limits (from `ledger`
    when the caller has one that covers the year)."""
    ledger = ledger or Ledger.load([kp], dt.date(year, 1, 1), dt.date(year, 12, 31))
    limits, current = ledger.limits.on(kp.region_id, dt.date(year, 1, 1))
    months = []
    for m in range(1, 13):
        first = dt.date(year, m, 1)
        work = [w for w in ledger.work.get(kp.id, []) if month_start(w.day) == first]
        volunteer = [w for w in work if ledger.paid_agreement(kp.id, w.day) is None]
        months.append(
            MonthFigures(
                month=first,
                volunteer_hours=sum((w.hours for w in volunteer), ZERO),
                volunteer_amount=sum((ledger.volunteer_amount(w) for w in volunteer), ZERO),
                declared=ledger.declared.get((kp.id, first), ZERO),
                paid_hours=sum((w.hours for w in work if w not in volunteer), ZERO),
                limit=limits.per_month if limits else None,
            )
        )
    return YearOverview(months, limits, current)
