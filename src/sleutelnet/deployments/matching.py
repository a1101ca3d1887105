"""The one adapter between the database and the pure matching engine."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.db.models import Sum
from django.utils import timezone

from sleutelnet.core import clock
from sleutelnet.deployments.models import ACTIVE_ASSIGNMENT_STATES, Assignment, Request
from sleutelnet.matching import engine
from sleutelnet.matching import types as m
from sleutelnet.people.models import KeyPerson


def _month_bounds(moment: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    local = timezone.localtime(moment)
    start = local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    end = (start + dt.timedelta(days=32)).replace(day=1)
    return start, end


def _windows(kp: KeyPerson, day_from: dt.date, day_to: dt.date) -> tuple[m.Window, ...]:
    """Concrete availability windows from the weekly pattern, minus exceptions."""
    tz = timezone.get_current_timezone()
    blocked = [(e.starts_on, e.ends_on) for e in kp.unavailable.all()]
    out = []
    day = day_from
    while day <= day_to:
        if not any(a <= day <= b for a, b in blocked):
            for slot in kp.availability.all():
                if slot.weekday == day.weekday():
                    out.append(
                        m.Window(
                            dt.datetime.combine(day, slot.start_time, tzinfo=tz),
                            dt.datetime.combine(day, slot.end_time, tzinfo=tz),
                        )
                    )
        day += dt.timedelta(days=1)
    return tuple(out)


def engine_request(req: Request) -> m.Request:
    """The engine's view of a request."""
    excluded = frozenset(
        str(a.key_person.uuid) for a in req.assignments.all() if a.status in ("declined", "cancelled")
    ) | frozenset(str(a.key_person.uuid) for a in req.assignments.all() if a.status in ACTIVE_ASSIGNMENT_STATES)
    return m.Request(
        id=str(req.uuid),
        municipality=req.municipality.cbs_code,
        start=timezone.localtime(req.starts_at),
        end=timezone.localtime(req.ends_at),
        language=req.language.tag,
        roles=frozenset(r.code for r in req.roles.all()),
        life_domains=frozenset(d.code for d in req.life_domains.all()),
        kind=req.kind,
        gender_preference=req.gender_preference or None,
        gender_required=req.gender_required,
        requires_vog=req.requires_vog,
        key_persons_needed=req.key_persons_needed,
        priority=req.urgency,
        newcomer=str(req.newcomer.uuid) if req.newcomer_id else None,
        organisation=str(req.organisation.uuid),
        excluded_key_persons=excluded,
    )


def candidates_for(
    req: Request, *, include_infeasible: bool = True, only: KeyPerson | None = None
) -> list[tuple[KeyPerson, m.Candidate]]:
    """Rank the region's key persons (or `only` one) for `req`: feasible first, with reasons and why-not."""
    pool = KeyPerson.objects.filter(region_id=req.region_id)
    if only is not None:
        pool = pool.filter(id=only.id)
    people = list(
        pool
        .prefetch_related("languages__language", "roles", "life_domains", "municipalities", "availability", "unavailable")
        .order_by("id")
    )
    by_uuid = {str(kp.uuid): kp for kp in people}
    uuid_of = {kp.id: str(kp.uuid) for kp in people}
    month_start, month_end = _month_bounds(req.starts_at)
    now = clock.now()  # the replayed moment in the demo's history, else the real now
    ids = [kp.id for kp in people]

    # Hours already planned this month, per key person (one query).
    planned: dict[int, Decimal] = defaultdict(Decimal)
    busy: dict[str, list[tuple[str, object, object]]] = defaultdict(list)
    for a in (
        Assignment.objects.filter(key_person_id__in=ids, status__in=ACTIVE_ASSIGNMENT_STATES)
        .filter(request__starts_at__lt=month_end, request__ends_at__gt=month_start)
        .exclude(request_id=req.id)
        .select_related("request")
    ):
        planned[a.key_person_id] += a.request.hours
        if a.status != "offered":
            busy[uuid_of[a.key_person_id]].append((a.request.title, a.request.starts_at, a.request.ends_at))

    load = dict(
        Assignment.objects.filter(
            key_person_id__in=ids, status__in=("reported", "approved"), report__date__gte=(now - dt.timedelta(days=30)).date()
        )
        .values_list("key_person_id")
        .annotate(h=Sum("report__hours"))
    )
    history_newcomers: dict[int, set[str]] = defaultdict(set)
    history_orgs: dict[int, set[str]] = defaultdict(set)
    for kp_id, nc_uuid, org_uuid in (
        Assignment.objects.filter(key_person_id__in=ids, status__in=("reported", "approved"))
        .exclude(request_id=req.id)
        .values_list("key_person_id", "request__newcomer__uuid", "request__organisation__uuid")
    ):
        if nc_uuid:
            history_newcomers[kp_id].add(str(nc_uuid))
        history_orgs[kp_id].add(str(org_uuid))

    start_local = timezone.localtime(req.starts_at)
    end_local = timezone.localtime(req.ends_at)
    engine_people = []
    capacity_month = {}
    for kp in people:
        cap = float(kp.capacity_hours_per_month)
        capacity_month[str(kp.uuid)] = cap
        engine_people.append(
            m.KeyPerson(
                id=str(kp.uuid),
                name=kp.full_name,
                status=kp.status,
                languages={kl.language.tag: kl.level for kl in kp.languages.all()},
                roles=frozenset(r.code for r in kp.roles.all()),
                life_domains=frozenset(d.code for d in kp.life_domains.all()),
                municipalities=frozenset(mu.cbs_code for mu in kp.municipalities.all()),
                availability=_windows(kp, start_local.date(), end_local.date()),
                capacity_hours=max(cap - float(planned[kp.id]), 0.0),
                gender=kp.gender or None,
                vog_valid_until=kp.vog_valid_until,
                load_hours_last_30d=float(load.get(kp.id) or 0),
                history_newcomers=frozenset(history_newcomers[kp.id]),
                history_organisations=frozenset(history_orgs[kp.id]),
            )
        )
    ranked = engine.rank(
        engine_request(req),
        engine_people,
        busy=busy,
        capacity_month=capacity_month,
        include_infeasible=include_infeasible,
    )
    return [(by_uuid[c.key_person_id], c) for c in ranked]


def check_feasible(req: Request, kp: KeyPerson) -> list[m.Reason]:
    """The hard constraints `kp` fails for `req` (empty when the offer may be made)."""
    ranked = candidates_for(req, only=kp)
    if not ranked:  # another region: the caller checks regions first, this is a safety net
        return [m.Reason("no_municipality", {"municipality": req.municipality.cbs_code})]
    return list(ranked[0][1].violations)
