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
    """Hours from the key person's reports this month and this year; the allowance counts approved hours."""
    from sleutelnet.deployments.models import ActivityReport, AssignmentStatus

    reports = ActivityReport.objects.filter(assignment__key_person_id=key_person_id, date__year=today.year)
    rate = rate_on(today, region_id)
    limits, current = limits_on(today, region_id)

    advice = _advice_hours(key_person_id, today)

    def period(qs, limit: Decimal | None, month: bool) -> Period:  # type: ignore[no-untyped-def]
        approved = qs.filter(assignment__status=AssignmentStatus.APPROVED).aggregate(h=Sum("hours"))["h"] or Decimal("0")
        waiting = qs.filter(assignment__status=AssignmentStatus.REPORTED).aggregate(h=Sum("hours"))["h"] or Decimal("0")
        done, pending = advice["month" if month else "year"]
        approved, waiting = approved + done, waiting + pending
        allowance = (approved * rate).quantize(Decimal("0.01")) if rate is not None else None
        return Period(approved, waiting, allowance, limit)

    return HoursSummary(
        month=period(reports.filter(date__month=today.month), limits.per_month if limits else None, True),
        year=period(reports, limits.per_year if limits else None, False),
        rate=rate,
        limits=limits,
        limits_current=current,
    )


def _advice_hours(key_person_id: int, today: dt.date) -> dict[str, tuple[Decimal, Decimal]]:
    """Hours of advice (written answers and sounding-board meetings) in the advisor role: counted
    as done once the asker shared the outcome, as waiting before; by the day the advice was given."""
    from sleutelnet.voice.models import Consultation, ConsultationAnswer, ConsultationStatus

    out: dict[str, tuple[Decimal, Decimal]] = {}
    for name, month in (("month", True), ("year", False)):
        answers = ConsultationAnswer.objects.filter(key_person_id=key_person_id, submitted_at__year=today.year)
        meetings = Consultation.objects.filter(attendees__id=key_person_id, meeting_at__year=today.year, meeting_hours__isnull=False)
        if month:
            answers = answers.filter(submitted_at__month=today.month)
            meetings = meetings.filter(meeting_at__month=today.month)
        published = ConsultationStatus.PUBLISHED
        done = (answers.filter(consultation__status=published).aggregate(h=Sum("hours"))["h"] or Decimal("0")) + (
            meetings.filter(status=published).aggregate(h=Sum("meeting_hours"))["h"] or Decimal("0")
        )
        pending = (answers.exclude(consultation__status=published).aggregate(h=Sum("hours"))["h"] or Decimal("0")) + (
            meetings.exclude(status=published).aggregate(h=Sum("meeting_hours"))["h"] or Decimal("0")
        )
        out[name] = (done, pending)
    return out
