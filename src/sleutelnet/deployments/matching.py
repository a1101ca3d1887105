"""The one adapter between the database and the pure matching engine."""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, Sum
from django.utils import timezone

from sleutelnet.core import clock, processing
from sleutelnet.core.models import Region
from sleutelnet.deployments.models import (
    ACTIVE_ASSIGNMENT_STATES,
    ActivityReport,
    Assignment,
    Request,
    RequestStatus,
)
from sleutelnet.matching import engine
from sleutelnet.matching import types as m
from sleutelnet.people.models import KeyPerson

log = logging.getLogger(__name__)


def _month_bounds(moment: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    local = timezone.localtime(moment)
    start = local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    end = (start + dt.timedelta(days=32)).replace(day=1)
    return start, end


@dataclasses.dataclass
class _Profile:
    """What the engine needs of a key person's related rows, as plain values (no model instances:
    a region has hundreds of key persons, each with languages, roles, areas and weekly times)."""

    languages: dict[str, int] = dataclasses.field(default_factory=dict)
    roles: set[str] = dataclasses.field(default_factory=set)
    life_domains: set[str] = dataclasses.field(default_factory=set)
    municipalities: set[str] = dataclasses.field(default_factory=set)
    slots: list[tuple[int, dt.time, dt.time]] = dataclasses.field(default_factory=list)
    blocked: list[tuple[dt.date, dt.date]] = dataclasses.field(default_factory=list)


def _profiles(people: list[KeyPerson], pool: Any) -> dict[int, _Profile]:
    """The related rows of `people` (the rows of the queryset `pool`) in six flat queries: values,
    not instances, and `pool` as a subquery rather than a list of hundreds of ids."""
    from sleutelnet.people.models import (
        AvailabilityException,
        KeyPersonLanguage,
        WeeklyAvailability,
    )

    out = {kp.id: _Profile() for kp in people}
    ids = pool.order_by().values("id")
    for kp_id, code, variant, level in KeyPersonLanguage.objects.filter(key_person_id__in=ids).values_list(
        "key_person_id", "language__code", "language__variant", "level"
    ):
        out[kp_id].languages[f"{code}-{variant}" if variant else code] = level  # Language.tag
    through = KeyPerson.roles.through.objects.filter(keyperson_id__in=ids)
    for kp_id, code in through.values_list("keyperson_id", "keypersonrole__code"):
        out[kp_id].roles.add(code)
    through = KeyPerson.life_domains.through.objects.filter(keyperson_id__in=ids)
    for kp_id, code in through.values_list("keyperson_id", "lifedomain__code"):
        out[kp_id].life_domains.add(code)
    through = KeyPerson.municipalities.through.objects.filter(keyperson_id__in=ids)
    for kp_id, code in through.values_list("keyperson_id", "municipality__cbs_code"):
        out[kp_id].municipalities.add(code)
    for kp_id, weekday, start, end in WeeklyAvailability.objects.filter(key_person_id__in=ids).values_list(
        "key_person_id", "weekday", "start_time", "end_time"
    ):
        out[kp_id].slots.append((weekday, start, end))
    for kp_id, first, last in AvailabilityException.objects.filter(key_person_id__in=ids).values_list(
        "key_person_id", "starts_on", "ends_on"
    ):
        out[kp_id].blocked.append((first, last))
    return out


def _windows(profile: _Profile, day_from: dt.date, day_to: dt.date) -> tuple[m.Window, ...]:
    """Concrete availability windows from the weekly pattern, minus exceptions."""
    tz = timezone.get_current_timezone()
    out = []
    day = day_from
    while day <= day_to:
        if not any(a <= day <= b for a, b in profile.blocked):
            for weekday, start, end in profile.slots:
                if weekday == day.weekday():
                    out.append(m.Window(dt.datetime.combine(day, start, tzinfo=tz), dt.datetime.combine(day, end, tzinfo=tz)))
        day += dt.timedelta(days=1)
    return tuple(out)


def newcomer_exclusions(req: Request) -> frozenset[str]:
    """Key persons (uuids) the request's newcomer must never get: family, neighbours, a conflict.

    Uses `newcomer__excluded_key_persons` when it was prefetched.
    """
    if not req.newcomer_id:
        return frozenset()
    return frozenset(str(kp.uuid) for kp in req.newcomer.excluded_key_persons.all())  # type: ignore[union-attr]


def region_weights(region: Region) -> engine.Weights:
    """The region's matching weights: the defaults with the region's overrides.

    Overrides are validated when saved (Region.clean); an invalid stored value falls back to the
    defaults and is logged, so a typo never stops the coordinator's work.
    """
    try:
        return engine.Weights.from_dict(region.matching_weights or {})
    except engine.WeightsError as exc:
        log.error("Region %s has invalid matching weights, using the defaults: %s", region.pk, exc)
        return engine.DEFAULT_WEIGHTS


def _engine_key_person(
    kp: KeyPerson,
    profile: _Profile,
    *,
    availability: tuple[m.Window, ...],
    capacity_hours: float,
    load_hours: float,
    newcomers: set[str],
    organisations: set[str],
) -> m.KeyPerson:
    """The engine's view of a key person (its related rows from `_profiles`)."""
    return m.KeyPerson(
        id=str(kp.uuid),
        name=kp.full_name,
        status=kp.status,
        languages=dict(profile.languages),
        roles=frozenset(profile.roles),
        life_domains=frozenset(profile.life_domains),
        municipalities=frozenset(profile.municipalities),
        availability=availability,
        capacity_hours=max(capacity_hours, 0.0),
        gender=kp.gender or None,
        vog_valid_until=kp.vog_valid_until,
        load_hours_last_30d=load_hours,
        history_newcomers=frozenset(newcomers),
        history_organisations=frozenset(organisations),
    )


def engine_request(req: Request, *, newcomer_excluded: frozenset[str] | None = None) -> m.Request:
    """The engine's view of a request.

    Excluded (a hard constraint): everyone who declined, was withdrawn from or already has this
    request, and the key persons the newcomer's record names as never to offer
    (`newcomer_excluded` when the caller already has them).
    """
    excluded = frozenset(
        str(a.key_person.uuid) for a in req.assignments.all() if a.status in ("declined", "cancelled")
    ) | frozenset(str(a.key_person.uuid) for a in req.assignments.all() if a.status in ACTIVE_ASSIGNMENT_STATES)
    excluded |= newcomer_excluded if newcomer_excluded is not None else newcomer_exclusions(req)
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
    """Rank the region's key persons (or `only` one) for `req`: feasible first, with reasons and why-not.

    For the whole region, a key person who fails one of the engine's cheap conditions is listed
    with those (and the weekly times); `only` one key person gets every condition they fail.
    """
    pool = KeyPerson.objects.filter(region_id=req.region_id)
    if only is not None:
        pool = pool.filter(id=only.id)
    people = list(pool.order_by("id"))
    profiles = _profiles(people, pool)
    by_uuid = {str(kp.uuid): kp for kp in people}
    uuid_of = {kp.id: str(kp.uuid) for kp in people}
    month_start, month_end = _month_bounds(req.starts_at)
    now = clock.now()  # the replayed moment in the demo's history, else the real now

    start_local = timezone.localtime(req.starts_at)
    end_local = timezone.localtime(req.ends_at)
    capacity_month = {}
    engine_people = {}
    for kp in people:
        cap = float(kp.capacity_hours_per_month)
        capacity_month[str(kp.uuid)] = cap
        engine_people[kp.id] = _engine_key_person(
            kp,
            profiles[kp.id],
            availability=_windows(profiles[kp.id], start_local.date(), end_local.date()),
            capacity_hours=cap,
            load_hours=0.0,
            newcomers=set(),
            organisations=set(),
        )
    for_newcomer = newcomer_exclusions(req)
    engine_req = engine_request(req, newcomer_excluded=for_newcomer)
    # The cheap test of the engine (municipality, status, exclusion, role, language) rules out most
    # of a region's hundreds of key persons. The hours planned this month, the other work at that
    # time, the recent load and the continuity are read for the few dozen it leaves in; the
    # others cannot take the request whatever these are, and their score leaves them out.
    # "Why not …?" about one key person (`only`) reads everything: it names every condition failed.
    open_ids = [
        kp_id for kp_id, ekp in engine_people.items() if only is not None or not engine.surely_infeasible(ekp, engine_req)
    ]
    busy: dict[str, list[tuple[str, object, object]]] = defaultdict(list)
    if open_ids:
        # Hours already planned this month (one query). Offers are only made within a region,
        # so a key person's work is in their region's requests (an index on region and end).
        planned: dict[int, Decimal] = defaultdict(Decimal)
        for kp_id, a_status, title, starts_at, ends_at in (
            Assignment.objects.filter(
                status__in=ACTIVE_ASSIGNMENT_STATES,
                request__region_id=req.region_id,
                request__starts_at__lt=month_end,
                request__ends_at__gt=month_start,
                key_person_id__in=open_ids,
            )
            .exclude(request_id=req.id)
            .order_by()
            .values_list("key_person_id", "status", "request__title", "request__starts_at", "request__ends_at")
        ):
            planned[kp_id] += Decimal((ends_at - starts_at).total_seconds() / 3600).quantize(Decimal("0.1"))  # Request.hours
            if a_status != "offered":
                busy[uuid_of[kp_id]].append((title, starts_at, ends_at))

        # The last 30 days' hours per key person, summed in SQL from the reports of those days.
        load = dict(
            ActivityReport.objects.filter(
                date__gte=(now - dt.timedelta(days=30)).date(),
                key_person_id__in=open_ids,
                assignment__status__in=("reported", "approved"),
            )
            .order_by()
            .values_list("key_person_id")
            .annotate(h=Sum("hours"))
        )
        # Continuity: the engine only asks whether a key person worked with this request's
        # newcomer or organisation before, so only those two are looked up.
        history_newcomers: dict[int, set[str]] = defaultdict(set)
        history_orgs: dict[int, set[str]] = defaultdict(set)
        past = (
            Assignment.objects.filter(key_person_id__in=open_ids, status__in=("reported", "approved"))
            .exclude(request_id=req.id)
            .order_by()
        )  # no ordering: DISTINCT over the key person alone
        if req.newcomer_id is not None:
            nc_uuid = str(req.newcomer.uuid)  # type: ignore[union-attr]
            for kp_id in past.filter(request__newcomer_id=req.newcomer_id).values_list("key_person_id", flat=True).distinct():
                history_newcomers[kp_id].add(nc_uuid)
                processing.note_read("newcomer", req.newcomer_id, req.region_id)  # continuity: who worked with whom
        if req.organisation_id is not None:
            org_uuid = str(req.organisation.uuid)
            for kp_id in past.filter(request__organisation_id=req.organisation_id).values_list("key_person_id", flat=True).distinct():
                history_orgs[kp_id].add(org_uuid)
        for kp_id in open_ids:
            engine_people[kp_id] = dataclasses.replace(
                engine_people[kp_id],
                capacity_hours=max(capacity_month[uuid_of[kp_id]] - float(planned[kp_id]), 0.0),
                load_hours_last_30d=float(load.get(kp_id) or 0),
                history_newcomers=frozenset(history_newcomers[kp_id]),
                history_organisations=frozenset(history_orgs[kp_id]),
            )
    ranked = engine.rank(
        engine_req,
        list(engine_people.values()),
        weights=region_weights(req.region),
        busy=busy,
        capacity_month=capacity_month,
        include_infeasible=include_infeasible,
    )
    return [(by_uuid[c.key_person_id], _name_newcomer_exclusion(c, for_newcomer)) for c in ranked]


def _name_newcomer_exclusion(cand: m.Candidate, for_newcomer: frozenset[str]) -> m.Candidate:
    """Say "excluded for this newcomer" instead of the engine's general "excluded" where we know it.

    The engine has one exclusion rule; the adapter knows which exclusions come from the newcomer's
    record, and names them with the Django-side code `excluded_newcomer` (see explain.py).
    """
    if cand.key_person_id not in for_newcomer:
        return cand
    return dataclasses.replace(
        cand,
        violations=tuple(m.Reason("excluded_newcomer") if r.code == "excluded" else r for r in cand.violations),
    )


def check_feasible(req: Request, kp: KeyPerson) -> list[m.Reason]:
    """The hard constraints `kp` fails for `req` (empty when the offer may be made)."""
    ranked = candidates_for(req, only=kp)
    if not ranked:  # another region: the caller checks regions first, this is a safety net
        return [m.Reason("no_municipality", {"municipality": req.municipality.cbs_code})]
    return list(ranked[0][1].violations)


# --- planning a period -----------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class PlanningProblem:
    """A region's open requests of a period as the engine's `Instance`, with the records behind its ids.

    Ids in the instance: requests and key persons by uuid, municipalities by CBS code, newcomers
    and organisations by uuid. `capacity_month` is each key person's monthly capacity (for the
    "h used this month" reason); `newcomer_excluded` maps a request id to the key persons its
    newcomer's record excludes.
    """

    instance: m.Instance
    weights: engine.Weights
    requests: dict[str, Request]
    key_persons: dict[str, KeyPerson]
    capacity_month: dict[str, float]
    newcomer_excluded: dict[str, frozenset[str]]

    def engine_key_person(self, key_person_id: str) -> m.KeyPerson | None:
        return next((kp for kp in self.instance.key_persons if kp.id == key_person_id), None)

    def engine_request(self, request_id: str) -> m.Request | None:
        return next((rq for rq in self.instance.requests if rq.id == request_id), None)


def _months(start: dt.datetime, end: dt.datetime) -> list[tuple[dt.datetime, dt.datetime]]:
    """The calendar months (local time) that [start, end) touches."""
    out = []
    month_start, month_end = _month_bounds(start)
    while month_start < end:
        out.append((month_start, month_end))
        month_start, month_end = _month_bounds(month_end)
    return out


def _free_windows(
    windows: tuple[m.Window, ...], busy: list[tuple[dt.datetime, dt.datetime]], horizon: m.Window
) -> tuple[m.Window, ...]:
    """`windows` inside the horizon, minus the periods in `busy` (touching is no overlap)."""
    out: list[m.Window] = []
    for w in windows:
        pieces = [(max(w.start, horizon.start), min(w.end, horizon.end))]
        for b_start, b_end in busy:
            cut = []
            for s, e in pieces:
                if b_end <= s or e <= b_start:
                    cut.append((s, e))
                    continue
                if s < b_start:
                    cut.append((s, b_start))
                if b_end < e:
                    cut.append((b_end, e))
            pieces = cut
        out.extend(m.Window(s, e) for s, e in pieces if s < e)
    return tuple(out)


def region_instance(region: Region, start: dt.datetime, end: dt.datetime) -> PlanningProblem:
    """The planning problem of `region` for requests that start in [start, end): ONE adapter, fixed queries.

    * requests: OPEN, starting in the period, that still need key persons: `key_persons_needed`
      minus the live assignments (offered, accepted, reported, approved); requests that need
      nobody more are left out;
    * key persons: all of the region's (the engine refuses the inactive ones, with a reason);
      availability: the weekly pattern over the horizon minus exceptions, minus the time of
      their live assignments (offered ones included: an open offer holds the time);
    * capacity_hours: the monthly capacity minus the hours already planned, in the month that
      has the least left of the months the period touches. The engine has one number for the
      whole horizon; taking the tightest month never overbooks any month (for a period inside
      one month it is exact);
    * history (continuity) and load (last 30 days) as in `candidates_for`;
    * excluded per request: who declined, was withdrawn or already has it, plus the newcomer's
      exclusions.

    The horizon is [start, end), widened to the end of the last request.
    """
    requests = list(
        Request.objects.filter(
            region=region, status=RequestStatus.OPEN, starts_at__gte=start, starts_at__lt=end
        )
        .select_related("municipality", "language", "organisation", "newcomer")
        .prefetch_related(
            "roles",
            "life_domains",
            "newcomer__excluded_key_persons",
            "newcomer__consents",
            Prefetch("assignments", queryset=Assignment.objects.select_related("key_person")),
        )
        .order_by("starts_at", "id")
    )
    # A request about a newcomer without consent cannot be offered: it is not planned either.
    requests = [r for r in requests if r.newcomer_id is None or r.newcomer.has_consent]
    horizon_end = max([end] + [r.ends_at for r in requests])
    horizon = m.Window(timezone.localtime(start), timezone.localtime(horizon_end))
    pool = KeyPerson.objects.filter(region=region)
    people = list(pool.order_by("id"))
    profiles = _profiles(people, pool)
    now = clock.now()
    months = _months(horizon.start, horizon.end)
    first_month, last_month = months[0][0], months[-1][1]

    # Planned hours per month and busy periods, from the live assignments (one query).
    planned: dict[tuple[int, int], Decimal] = defaultdict(Decimal)
    busy: dict[int, list[tuple[dt.datetime, dt.datetime]]] = defaultdict(list)
    for kp_id, starts_at, ends_at in Assignment.objects.filter(
        key_person__region=region,
        status__in=ACTIVE_ASSIGNMENT_STATES,
        request__starts_at__lt=last_month,
        request__ends_at__gt=first_month,
    ).values_list("key_person_id", "request__starts_at", "request__ends_at"):
        hours = Decimal((ends_at - starts_at).total_seconds() / 3600).quantize(Decimal("0.1"))
        for i, (m_start, m_end) in enumerate(months):
            if starts_at < m_end and ends_at > m_start:
                planned[(kp_id, i)] += hours
        if starts_at < horizon.end and ends_at > horizon.start:
            busy[kp_id].append((timezone.localtime(starts_at), timezone.localtime(ends_at)))

    load = dict(
        ActivityReport.objects.filter(
            key_person__region=region,
            assignment__status__in=("reported", "approved"),
            date__gte=(now - dt.timedelta(days=30)).date(),
        )
        .order_by()
        .values_list("key_person_id")
        .annotate(h=Sum("hours"))
    )
    history_newcomers: dict[int, set[str]] = defaultdict(set)
    history_orgs: dict[int, set[str]] = defaultdict(set)
    for kp_id, nc_uuid, org_uuid, nc_id in Assignment.objects.filter(
        key_person__region=region, status__in=("reported", "approved")
    ).values_list("key_person_id", "request__newcomer__uuid", "request__organisation__uuid", "request__newcomer_id"):
        if nc_uuid:
            history_newcomers[kp_id].add(str(nc_uuid))
            processing.note_read("newcomer", nc_id, region.id)  # continuity: who worked with whom
        history_orgs[kp_id].add(str(org_uuid))

    day_from, day_to = horizon.start.date(), horizon.end.date()
    engine_people = []
    capacity_month: dict[str, float] = {}
    for kp in people:
        cap = float(kp.capacity_hours_per_month)
        capacity_month[str(kp.uuid)] = cap
        free = min(cap - float(planned[(kp.id, i)]) for i in range(len(months)))
        engine_people.append(
            _engine_key_person(
                kp,
                profiles[kp.id],
                availability=_free_windows(_windows(profiles[kp.id], day_from, day_to), sorted(busy[kp.id]), horizon),
                capacity_hours=free,
                load_hours=float(load.get(kp.id) or 0),
                newcomers=history_newcomers[kp.id],
                organisations=history_orgs[kp.id],
            )
        )

    engine_requests = []
    by_request: dict[str, Request] = {}
    newcomer_excluded: dict[str, frozenset[str]] = {}
    for req in requests:
        live = sum(1 for a in req.assignments.all() if a.status in ACTIVE_ASSIGNMENT_STATES)
        still_needed = req.key_persons_needed - live
        if still_needed <= 0:
            continue
        for_newcomer = newcomer_exclusions(req)
        engine_requests.append(
            dataclasses.replace(engine_request(req, newcomer_excluded=for_newcomer), key_persons_needed=still_needed)
        )
        by_request[str(req.uuid)] = req
        newcomer_excluded[str(req.uuid)] = for_newcomer

    return PlanningProblem(
        instance=m.Instance(horizon=horizon, key_persons=tuple(engine_people), requests=tuple(engine_requests)),
        weights=region_weights(region),
        requests=by_request,
        key_persons={str(kp.uuid): kp for kp in people},
        capacity_month=capacity_month,
        newcomer_excluded=newcomer_excluded,
    )
