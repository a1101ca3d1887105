"""Reads of care: a key person's checklist and experience, the pool's workload and who could
use a check-in. Scoped to the coordinator's regions by the callers' region ids."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, Max, Min, Q, Sum
from django.utils import timezone

from sleutelnet.care.models import (
    STEPS,
    Agreement,
    Attendance,
    Certificate,
    CheckIn,
    OnboardingStep,
    Step,
)
from sleutelnet.people.models import KeyPerson, KeyPersonStatus

#: A key person is "overloaded" above this share of their own monthly capacity.
OVERLOAD = Decimal("1.0")
#: Kinds of work after which a coordinator is asked to check in.
HEAVY_KINDS = ("mediation",)
#: How far back a heavy assignment or a distressing signal asks for a check-in.
CHECK_IN_WINDOW = dt.timedelta(days=30)


@dataclass
class ChecklistItem:
    step: str
    label: str
    done: OnboardingStep | None


def checklist(kp: KeyPerson) -> list[ChecklistItem]:
    done = {s.step: s for s in OnboardingStep.objects.filter(key_person=kp).select_related("done_by")}
    return [ChecklistItem(s, str(Step(s).label), done.get(s)) for s in STEPS]


def agreement_on(kp: KeyPerson, day: dt.date) -> Agreement | None:
    return (
        Agreement.objects.filter(key_person=kp, starts_on__lte=day)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=day))
        .order_by("-starts_on")
        .first()
    )


@dataclass
class Stage:
    """Candidates waiting at one step of the pipeline."""

    step: str
    label: str
    people: list[KeyPerson] = field(default_factory=list)


def pipeline(region_ids: list[int]) -> list[Stage]:
    """Each candidate under the first step not yet done; a candidate with all steps done waits for activation."""
    candidates = list(
        KeyPerson.objects.filter(region_id__in=region_ids, status=KeyPersonStatus.CANDIDATE, anonymised_at__isnull=True)
        .order_by("full_name")
    )
    done: dict[int, set[str]] = defaultdict(set)
    for kp_id, step in OnboardingStep.objects.filter(key_person__in=candidates).values_list("key_person_id", "step"):
        done[kp_id].add(step)
    stages = [Stage(s, str(Step(s).label)) for s in STEPS] + [Stage("ready", "")]
    by_step = {s.step: s for s in stages}
    for kp in candidates:
        next_step = next((s for s in STEPS if s not in done[kp.pk]), "ready")
        by_step[next_step].people.append(kp)
    return stages


@dataclass
class Load:
    """One key person's hours this week and month (planned and done) against their capacity."""

    key_person: KeyPerson
    week: Decimal
    month: Decimal
    capacity: Decimal
    last_90_days: Decimal

    @property
    def share(self) -> float | None:
        return float(self.month / self.capacity) if self.capacity else None

    @property
    def week_capacity(self) -> Decimal:
        return (self.capacity * 12 / 52).quantize(Decimal("0.1"))

    @property
    def overloaded(self) -> bool:
        return bool(self.capacity) and (self.month > self.capacity * OVERLOAD or self.week > self.week_capacity * Decimal("1.5"))


def workload(region_ids: list[int], today: dt.date) -> list[Load]:
    """Hours per key person of accepted, reported and approved assignments (by the planned
    duration), this week, this month and the last 90 days; busiest first. Two queries."""
    from sleutelnet.deployments.models import Assignment

    tz = timezone.get_current_timezone()
    week_start = today - dt.timedelta(days=today.weekday())
    bounds = {
        "week": (week_start, week_start + dt.timedelta(days=7)),
        "month": (today.replace(day=1), (today.replace(day=28) + dt.timedelta(days=4)).replace(day=1)),
        "recent": (today - dt.timedelta(days=90), today + dt.timedelta(days=1)),
    }

    def q(name: str) -> Q:
        lo, hi = bounds[name]
        return Q(request__starts_at__gte=dt.datetime.combine(lo, dt.time.min, tzinfo=tz),
                 request__starts_at__lt=dt.datetime.combine(hi, dt.time.min, tzinfo=tz))

    duration = F("request__ends_at") - F("request__starts_at")
    rows = (
        Assignment.objects.filter(key_person__region_id__in=region_ids, status__in=("accepted", "reported", "approved"))
        .values("key_person_id")
        .annotate(
            week=Sum(duration, filter=q("week")),
            month=Sum(duration, filter=q("month")),
            recent=Sum(duration, filter=q("recent")),
        )
        .order_by()
    )
    hours = {r["key_person_id"]: r for r in rows}

    def h(value: Any) -> Decimal:
        return Decimal(value.total_seconds() / 3600).quantize(Decimal("0.1")) if value else Decimal(0)

    people = KeyPerson.objects.filter(
        region_id__in=region_ids, status__in=(KeyPersonStatus.ACTIVE, KeyPersonStatus.PAUSED), anonymised_at__isnull=True
    ).order_by("full_name")
    loads = [
        Load(kp, h(hours.get(kp.pk, {}).get("week")), h(hours.get(kp.pk, {}).get("month")),
             kp.capacity_hours_per_month, h(hours.get(kp.pk, {}).get("recent")))
        for kp in people
    ]
    return sorted(loads, key=lambda load: (-load.month, -load.last_90_days, load.key_person.full_name))


@dataclass
class Suggestion:
    key_person: KeyPerson
    reason: str
    since: dt.date
    what: str


def check_in_suggestions(region_ids: list[int], today: dt.date) -> list[Suggestion]:
    """Key persons after heavy work (a mediation) or a distressing signal in the last 30 days,
    with no check-in logged since. Three queries."""
    from sleutelnet.deployments.models import Assignment
    from sleutelnet.voice.models import Signal

    since = today - CHECK_IN_WINDOW
    last_check = dict(
        CheckIn.objects.filter(key_person__region_id__in=region_ids).values("key_person_id")
        .annotate(last=Max("on")).order_by().values_list("key_person_id", "last")
    )
    out: dict[int, Suggestion] = {}
    heavy = (
        Assignment.objects.filter(
            key_person__region_id__in=region_ids, status__in=("reported", "approved"), request__kind__in=HEAVY_KINDS,
            request__starts_at__date__gte=since,
        )
        .select_related("key_person", "request")
        .order_by("-request__starts_at")
    )
    for a in heavy:
        day = timezone.localdate(a.request.starts_at)
        if a.key_person_id not in out and (last_check.get(a.key_person_id) is None or last_check[a.key_person_id] < day):
            out[a.key_person_id] = Suggestion(a.key_person, "heavy_assignment", day, a.request.title)
    signals = (
        Signal.objects.filter(region_id__in=region_ids, distressing=True, created_at__date__gte=since,
                              raised_by__key_person__isnull=False)
        .select_related("raised_by__key_person")
        .order_by("-created_at")
    )
    for s in signals:
        kp = s.raised_by.key_person
        day = timezone.localdate(s.created_at)
        if kp.pk not in out and (last_check.get(kp.pk) is None or last_check[kp.pk] < day):
            out[kp.pk] = Suggestion(kp, "distressing_signal", day, s.theme)
    return sorted(out.values(), key=lambda x: x.since, reverse=True)


@dataclass
class Experience:
    """What a key person did, from approved reports and trainings: the experience statement."""

    name: str
    first_day: dt.date | None
    last_day: dt.date | None
    hours: Decimal
    activities: int
    roles: list[tuple[str, int]]
    life_domains: list[tuple[str, int]]
    languages: list[str]
    certificates: list[tuple[str, dt.date, dt.date | None]]
    trainings: list[tuple[str, int]]

    def as_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "first_day": self.first_day.isoformat() if self.first_day else None,
            "last_day": self.last_day.isoformat() if self.last_day else None,
            "hours": str(self.hours),
            "activities": self.activities,
            "roles": self.roles,
            "life_domains": self.life_domains,
            "languages": self.languages,
            "certificates": [(n, i.isoformat(), v.isoformat() if v else None) for n, i, v in self.certificates],
            "trainings": self.trainings,
        }


def experience(kp: KeyPerson, today: dt.date) -> Experience:
    """Roles fulfilled, hours, life domains, languages and trainings of one key person."""
    from django.utils.translation import gettext as _

    from sleutelnet.deployments.models import ActivityReport, AssignmentStatus
    from sleutelnet.people.models import KeyPersonRole, LifeDomain

    reports = ActivityReport.objects.filter(key_person=kp, assignment__status=AssignmentStatus.APPROVED)
    totals = reports.aggregate(h=Sum("hours"), n=Count("id"), first=Min("date"), last=Max("date"))
    through_roles = ActivityReport.roles_used.through.objects.filter(activityreport__in=reports)
    role_counts = dict(through_roles.values("keypersonrole_id").annotate(n=Count("*")).values_list("keypersonrole_id", "n"))
    through_domains = ActivityReport.life_domains.through.objects.filter(activityreport__in=reports)
    domain_counts = dict(through_domains.values("lifedomain_id").annotate(n=Count("*")).values_list("lifedomain_id", "n"))
    roles = [(_(r.label), role_counts[r.pk]) for r in KeyPersonRole.objects.filter(pk__in=role_counts).order_by("position")]
    domains = [(_(d.label), domain_counts[d.pk]) for d in LifeDomain.objects.filter(pk__in=domain_counts).order_by("position")]
    languages = [f"{kl.language.name}" for kl in kp.languages.select_related("language").order_by("-level")]
    certificates = [
        (c.course.name, c.issued_on, c.valid_until) for c in Certificate.objects.filter(key_person=kp).select_related("course")
    ]
    trainings = list(
        Attendance.objects.filter(key_person=kp, attended=True).values("session__course__name")
        .annotate(n=Count("id")).order_by("session__course__name").values_list("session__course__name", "n")
    )
    return Experience(
        name=kp.full_name,
        first_day=totals["first"],
        last_day=totals["last"],
        hours=totals["h"] or Decimal(0),
        activities=totals["n"] or 0,
        roles=roles,
        life_domains=domains,
        languages=languages,
        certificates=certificates,
        trainings=trainings,
    )

