"""Reads of allowance rates and limits, and a key person's hours and allowance against the limits."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, Sum

from sleutelnet.allowances.models import AllowanceLimit, AllowanceRate


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
    sums = ActivityReport.objects.filter(assignment__key_person_id=key_person_id, date__year=today.year).aggregate(
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
