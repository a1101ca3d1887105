"""Three months of history, replayed through the services with `clock.at(...)`.

A small discrete-event simulation: every step (file, offer, accept, decline, report, review,
cancel) is an event at a moment; events run in time order, each inside `clock.at(moment)`, so
the services see that moment as now and check their rules (start in the future, hard
constraints of the matching, report after the start, ...) exactly as for a real user. Steps
that would happen after the cut-off (the start of today) do not happen: that is what leaves
open requests, unanswered offers and reports waiting for approval.

Randomness comes only from `random.Random` seeded per request, and the matching is asked for
candidates with a stable tie-break (name), so the same day gives the same history.
"""

from __future__ import annotations

import datetime as dt
import heapq
import itertools
import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, replace
from decimal import Decimal

from django.utils import timezone

from sleutelnet.core import clock
from sleutelnet.core.exceptions import DomainError
from sleutelnet.core.models import Organisation, User
from sleutelnet.demo import data as d
from sleutelnet.demo.region import KeyPersonInfo, NewcomerInfo, World, aware
from sleutelnet.deployments import matching
from sleutelnet.deployments import services as ds
from sleutelnet.deployments.models import (
    ActivityReport,
    Assignment,
    AssignmentStatus,
    Request,
    RequestStatus,
)
from sleutelnet.people import services as people_services
from sleutelnet.people.models import KeyPerson
from sleutelnet.people.vocabulary import ROLES

H = dt.timedelta(hours=1)
DAY = dt.timedelta(days=1)
ROLE_ORDER = [code for code, _label in ROLES]
CONFIRMED = ("accepted", "reported", "approved")


@dataclass
class Spec:
    """A request as planned, and what happened to it."""

    key: int
    template: d.Template
    org_key: str
    organisation: Organisation
    requester: User
    data: ds.RequestData
    filed_at: dt.datetime
    rng: random.Random
    language: str
    muni: str
    newcomer: NewcomerInfo | None = None
    cancel_at: dt.datetime | None = None
    cancel_reason: str = ""
    scripted: d.Scripted | None = None
    offer_at: dt.datetime | None = None
    request: Request | None = None
    last: dt.datetime | None = None


class History:
    """Plans about 200 requests around today and plays them out through the services."""

    def __init__(self, world: World) -> None:
        self.w = world
        self.today = world.today
        self.cutoff = aware(world.today, dt.time(0))
        self.heap: list[tuple[dt.datetime, int, Callable[..., None], tuple[object, ...]]] = []
        self.seq = itertools.count()
        self.specs: list[Spec] = []
        self.scripted_specs: list[Spec] = []
        self.by_request: dict[int, Spec] = {}
        self.skipped: list[str] = []
        self.muni_weight = {key: weight for key, _n, _c, weight in d.MUNICIPALITIES}
        self.demo_kp = next(i for i in world.key_persons if i.profile.name == d.DEMO_KEY_PERSON)

    # --- scheduling --------------------------------------------------------------------------

    def at(self, moment: dt.datetime, fn: Callable[..., None], *args: object) -> None:
        heapq.heappush(self.heap, (moment, next(self.seq), fn, args))

    def run(self) -> None:
        self.plan()
        for spec in self.specs:
            self.at(spec.filed_at, self.file, spec)
        for info in self.w.key_persons:
            if info.profile.paused_days_ago:
                moment = self.office(
                    self.cutoff - info.profile.paused_days_ago * DAY,
                    random.Random(info.profile.name),
                )
                self.at(moment, self.pause, info)
        while self.heap:
            moment, _seq, fn, args = heapq.heappop(self.heap)
            if moment >= self.cutoff:
                break  # the heap is ordered: everything left lies in the future
            with clock.at(moment):
                try:
                    fn(moment, *args)
                except DomainError as exc:  # a rule refused a step: note it and play on
                    self.skipped.append(f"{moment:%Y-%m-%d %H:%M} {fn.__name__}: {exc}")

    @staticmethod
    def office(moment: dt.datetime, rng: random.Random) -> dt.datetime:
        """The first moment at or after `moment` within office hours (Mon-Fri 08:30-17:00)."""
        local = timezone.localtime(moment)
        if local.weekday() < 5 and dt.time(8, 30) <= local.time() < dt.time(17):
            return local
        day = local.date() if local.time() < dt.time(8, 30) else local.date() + DAY
        while day.weekday() >= 5:
            day += DAY
        return aware(day, dt.time(8, 30)) + dt.timedelta(minutes=rng.randint(0, 90))

    @staticmethod
    def awake(moment: dt.datetime, rng: random.Random) -> dt.datetime:
        """The first moment at or after `moment` between 07:00 and 22:30 (when people answer)."""
        local = timezone.localtime(moment)
        if dt.time(7) <= local.time() < dt.time(22, 30):
            return local
        day = local.date() if local.time() < dt.time(7) else local.date() + DAY
        return aware(day, dt.time(7, 30)) + dt.timedelta(minutes=rng.randint(0, 120))

    def _before_cutoff_office(self, days_back: int, time: dt.time) -> dt.datetime:
        """A working-day moment `days_back` working days before today."""
        day = self.today
        count = 0
        while count < days_back:
            day -= DAY
            if day.weekday() < 5:
                count += 1
        return aware(day, time)

    # --- planning ----------------------------------------------------------------------------

    def plan(self) -> None:
        rng = random.Random(f"{d.SEED}-plan")
        day = self.today - dt.timedelta(days=d.HISTORY_DAYS)
        last = self.today + dt.timedelta(days=d.FUTURE_DAYS - 1)
        while day <= last:
            weekday = day.weekday()
            count = (
                rng.choice([1, 2, 2, 3, 3, 4])
                if weekday < 5
                else rng.choice([0, 0, 1])
                if weekday == 5
                else 0
            )
            for _ in range(count):
                spec = self._draw(rng, day)
                if spec is not None:
                    self.specs.append(spec)
            day += DAY
        for script in d.SCRIPTED:
            self.specs.append(self._scripted(script))
        self.scripted_specs = [s for s in self.specs if s.scripted is not None]

    def _eligible_newcomers(
        self, org: d.Org, filed: dt.date, language: str | None = None
    ) -> list[NewcomerInfo]:
        local_only = org.municipality is not None and org.kind in (
            "school",
            "gp_practice",
            "municipality",
        )
        return [
            n
            for n in self.w.newcomers
            if n.consent_on is not None
            and n.consent_on <= filed
            and (not local_only or n.municipality == org.municipality)
            and (language is None or n.language == language)
        ]

    def covered(
        self,
        template: d.Template,
        language: str,
        muni: str,
        start: dt.datetime,
        minutes: int,
        *,
        at: dt.date | None = None,
    ) -> int:
        """How many key persons' profiles fit (language, place, time, role, gender, VOG).

        A cheap check on the static profiles, before asking the matching (which also weighs
        capacity and other assignments). `at` is the day the question is asked, for pauses.
        """
        local = timezone.localtime(start)
        end = (local + dt.timedelta(minutes=minutes)).time()
        base = language.split("-")[0]
        count = 0
        for kp in d.KEY_PERSONS:
            if kp.status != "active":
                continue
            if (
                kp.paused_days_ago is not None
                and at is not None
                and at >= self.today - dt.timedelta(days=kp.paused_days_ago)
            ):
                continue
            level = dict(kp.languages).get(language) or max(
                (lvl for tag, lvl in kp.languages if tag.split("-")[0] == base), default=0
            )
            if (
                level < 3
                or muni not in kp.municipalities
                or not set(kp.roles) & set(template.roles)
            ):
                continue
            if template.gender_required and kp.gender != template.gender:
                continue
            if template.requires_vog and (
                kp.vog is None or kp.vog < (local.date() - self.today).days
            ):
                continue
            slots = [s for p in kp.availability for s in d.AVAILABILITY[p]]
            if any(w == local.weekday() and a <= local.time() and end <= b for w, a, b in slots):
                count += 1
        return count

    def _draw(self, rng: random.Random, day: dt.date) -> Spec | None:
        weekday = day.weekday()
        options = [t for t in d.TEMPLATES if weekday in t.weekdays]
        # Most requests fit somebody in the pool (organisations learn what the pool can do);
        # about one in twenty does not, and ends up cancelled or open: that is realistic too.
        must_fit = rng.random() > 0.05
        for _attempt in range(40):
            template = rng.choices(options, weights=[t.weight for t in options])[0]
            org_key = rng.choices(
                [k for k, _w in template.orgs], weights=[w for _k, w in template.orgs]
            )[0]
            org = self.w.org_data[org_key]
            urgency = rng.choices(
                [u for u, _w in template.urgency], weights=[w for _u, w in template.urgency]
            )[0]
            lead = rng.randint(1, 3) if urgency == 3 else rng.randint(*template.lead_days)
            if weekday == 5:
                if template.saturday_slot is None:
                    continue
                slots = [template.saturday_slot]
            else:
                slots = list(template.slots)
            rng.shuffle(slots)
            filed = self._filing_moment(rng, aware(day, min(t for t, _m in slots)), lead)
            newcomer = None
            if template.newcomer and rng.random() < template.newcomer:
                pool = self._eligible_newcomers(org, filed.date())
                if pool:
                    newcomer = rng.choice(pool)
                elif template.newcomer >= 1:
                    continue
            if newcomer is not None:
                language, munis = newcomer.language, [newcomer.municipality]
            else:
                if not template.languages:
                    continue
                language = rng.choices(
                    [t for t, _w in template.languages], weights=[w for _t, w in template.languages]
                )[0]
                if org.municipality and org.kind != "coa":
                    munis = [org.municipality]
                else:  # regional organisations work everywhere, more in the larger municipalities
                    munis = sorted(
                        (k for k, *_ in d.MUNICIPALITIES),
                        key=lambda k: -(rng.random() ** (1 / self.muni_weight[k])),
                    )
            needed = rng.choice(template.key_persons)
            combos = [(m, slot) for m in munis for slot in slots]
            if must_fit:  # enough profiles fit, with one to spare when several are needed
                spare = needed + 1 if needed > 1 else 1
                combos = [
                    (m, slot)
                    for m, slot in combos
                    if self.covered(template, language, m, aware(day, slot[0]), slot[1]) >= spare
                ]
            if not combos:
                continue
            muni, (time, minutes) = combos[0]
            return self._spec(
                rng,
                template,
                org_key,
                day,
                aware(day, time),
                minutes,
                filed,
                language,
                muni,
                newcomer,
                urgency,
                needed=needed,
            )
        return None

    def _filing_moment(self, rng: random.Random, start: dt.datetime, lead_days: int) -> dt.datetime:
        day = start.date() - dt.timedelta(days=lead_days)
        while day.weekday() >= 5:
            day -= DAY
        filed = aware(day, dt.time(8, 30)) + dt.timedelta(minutes=rng.randint(0, 8 * 60))
        if filed >= self.cutoff:  # requests further ahead were filed recently
            filed = self._before_cutoff_office(rng.randint(1, 3), dt.time(9)) + dt.timedelta(
                minutes=rng.randint(0, 7 * 60)
            )
        if filed >= start - H:
            filed = start - dt.timedelta(hours=rng.randint(20, 30))
        return filed

    def _spec(
        self,
        rng: random.Random,
        template: d.Template,
        org_key: str,
        day: dt.date,
        start: dt.datetime,
        minutes: int,
        filed: dt.datetime,
        language: str,
        muni: str,
        newcomer: NewcomerInfo | None,
        urgency: int,
        *,
        title: str | None = None,
        participants: int | None = None,
        needed: int = 1,
    ) -> Spec:
        key = len(self.specs)
        org = self.w.org_data[org_key]
        muni_name = self.w.municipalities[muni].name
        expected = participants
        if expected is None and template.participants:
            expected = rng.randint(*template.participants)
        words = self.words(template, language, muni_name, newcomer, expected or 0, rng)
        data = ds.RequestData(
            title=title or rng.choice(template.titles).format(**words),
            kind=template.kind,
            language=self.w.languages[language],
            roles=[self.w.roles[c] for c in template.roles],
            life_domains=[self.w.domains[c] for c in template.domains],
            municipality=self.w.municipalities[muni],
            place=(template.place or org.place).format(muni=muni_name),
            starts_at=start,
            ends_at=start + dt.timedelta(minutes=minutes),
            chain_link=rng.choice(template.chain_links),
            description=rng.choice(template.descriptions).format(**words),
            key_persons_needed=needed,
            gender_preference=template.gender,
            gender_required=template.gender_required,
            requires_vog=template.requires_vog,
            urgency=urgency,
            newcomer=newcomer.newcomer if newcomer else None,
            needs_certified_interpreter=rng.random() < template.interpreter,
            participants_expected=expected,
        )
        spec = Spec(
            key=key,
            template=template,
            org_key=org_key,
            organisation=self.w.organisations[org_key],
            requester=rng.choice(self.w.requesters[org_key]),
            data=data,
            filed_at=filed,
            rng=random.Random(f"{d.SEED}-request-{key}"),
            language=language,
            muni=muni,
            newcomer=newcomer,
        )
        if rng.random() < 0.05:
            spec.cancel_at = filed + (start - filed) * rng.uniform(0.3, 0.9)
            group = "individual" if newcomer else "group"
            spec.cancel_reason = rng.choice(d.REQUESTER_CANCEL_REASONS[group])
        return spec

    def words(
        self,
        template: d.Template,
        language: str,
        muni: str,
        newcomer: NewcomerInfo | None,
        n: int,
        rng: random.Random,
    ) -> dict[str, object]:
        group = d.GROUP.get(language, "nieuwe")
        return {
            "group": group,
            "Group": group[:1].upper() + group[1:],
            "lang": d.LANGUAGE_NL.get(language, language),
            "muni": muni,
            "name": newcomer.newcomer.display_name if newcomer else "de nieuwkomer",
            "n": n,
            "topic": rng.choice(d.GGD_TOPICS),
        }

    def _scripted(self, script: d.Scripted) -> Spec:
        rng = random.Random(f"{d.SEED}-scripted-{script.title}")
        template = next(t for t in d.TEMPLATES if t.code == script.template)
        day = self.today + dt.timedelta(days=script.day)
        step = 1 if script.day > 0 else -1
        while day.weekday() >= 5:
            day += dt.timedelta(days=step)
        start = aware(day, script.start)
        if script.state == "offered":
            offer_at = self._before_cutoff_office(1, dt.time(11)) + dt.timedelta(
                minutes=20 * script.day
            )
            filed = offer_at - dt.timedelta(days=2, hours=1)
        elif script.day > 0:
            offer_at = self._before_cutoff_office(10, dt.time(10)) + dt.timedelta(
                minutes=15 * script.day
            )
            filed = offer_at - dt.timedelta(days=1, hours=2)
        else:  # filed and offered early, so the demo key person still has time for it
            filed = self.office(start - dt.timedelta(days=21), rng)
            offer_at = self.office(filed + 4 * H, rng)
        newcomer = None
        if script.newcomer:
            pool = self._eligible_newcomers(self.w.org_data[script.org], filed.date(), "ti")
            pool = [n for n in pool if n.municipality == "doetinchem"]
            newcomer = pool[script.day % len(pool)] if pool else None
        spec = self._spec(
            rng,
            template,
            script.org,
            day,
            start,
            script.minutes,
            filed,
            "ti",
            "doetinchem",
            newcomer,
            2,
            title=script.title,
            participants=script.participants,
        )
        spec.data.key_persons_needed = 1
        spec.data.needs_certified_interpreter = False
        spec.cancel_at = None
        spec.scripted = script
        spec.offer_at = offer_at
        return spec

    # --- steps -------------------------------------------------------------------------------

    def _touch(self, spec: Spec, moment: dt.datetime) -> None:
        spec.last = moment

    def _reload(self, spec: Spec) -> Request:
        assert spec.request is not None
        spec.request = Request.objects.get(pk=spec.request.pk)
        return spec.request

    def file(self, moment: dt.datetime, spec: Spec) -> None:
        spec.request = ds.file_request(
            actor=spec.requester, organisation=spec.organisation, data=spec.data
        )
        self.by_request[spec.request.id] = spec
        self._touch(spec, moment)
        if spec.cancel_at is not None:
            self.at(spec.cancel_at, self.cancel, spec)
        if spec.offer_at is not None:
            first = spec.offer_at
        elif spec.data.urgency == 3:
            first = moment + dt.timedelta(minutes=spec.rng.randint(15, 180))
        elif spec.data.starts_at - moment > 7 * DAY:  # not urgent: the coordinator plans it later
            first = self.office(moment + dt.timedelta(hours=spec.rng.uniform(10, 70)), spec.rng)
        else:
            first = self.office(
                moment + dt.timedelta(minutes=spec.rng.randint(30, 20 * 60)), spec.rng
            )
        self.at(first, self.offer_round, spec)

    def _candidates(self, req: Request) -> list[KeyPerson]:
        ranked = matching.candidates_for(req, include_infeasible=False)
        ranked.sort(key=lambda pair: (-pair[1].weight, pair[0].full_name))  # stable tie-break
        return [kp for kp, cand in ranked if cand.feasible]

    def offer_round(self, moment: dt.datetime, spec: Spec) -> None:
        """The coordinator offers the request to the best feasible key persons, if any."""
        req = self._reload(spec)
        if req.status != RequestStatus.OPEN:
            return
        if moment >= req.starts_at - 2 * H:
            self.give_up(moment, spec)
            return
        states = [a.status for a in req.assignments.all()]
        need = (
            req.key_persons_needed - sum(s in CONFIRMED for s in states) - states.count("offered")
        )
        if need <= 0:
            return
        minutes = int((req.ends_at - req.starts_at).total_seconds() // 60)
        fits = self.covered(
            spec.template, spec.language, spec.muni, req.starts_at, minutes, at=moment.date()
        )
        feasible = self._candidates(req) if fits else []  # skip the matching when no profile fits
        demo_id = self.demo_kp.key_person.id
        if spec.scripted is not None:
            feasible = [kp for kp in feasible if kp.id == demo_id]
            if not feasible:
                self.skipped.append(
                    f"scripted request not feasible for {d.DEMO_KEY_PERSON}: {req.title}"
                )
        else:  # keep the demo key person free for the hand-placed requests (data.SCRIPTED)
            feasible = [kp for kp in feasible if kp.id != demo_id or not self._reserved(req)]
        if not feasible:
            # Nobody fits (language, place, time, capacity ...): try again later or give up.
            later = min(moment + 2 * DAY, req.starts_at - DAY)
            self.at(max(later, moment + H), self.give_up, spec)
            return
        if need > len(feasible) and not any(s in CONFIRMED for s in states):
            # Fewer key persons can come than asked: agreed with the requester to ask fewer.
            spec.data = replace(
                spec.data, key_persons_needed=req.key_persons_needed - (need - len(feasible))
            )
            req = ds.update_request(actor=self.w.coordinator, request=req, data=spec.data)
            self._touch(spec, moment)
            need = len(feasible)
        # Sometimes one more than needed: the first to accept gets it, the other offer is withdrawn.
        extra = 1 if spec.rng.random() < (0.2 if req.key_persons_needed == 1 else 0.6) else 0
        pool = feasible[: need + 2]
        weights = [4, 3, 2, 1, 1, 1, 1, 1][: len(pool)]
        chosen: list[KeyPerson] = []
        while pool and len(chosen) < need + extra:
            pick = spec.rng.choices(range(len(pool)), weights=weights)[0]
            chosen.append(pool.pop(pick))
            weights.pop(pick)
        for a in ds.offer(actor=self.w.coordinator, request=req, key_persons=chosen):
            self._touch(spec, moment)
            info = self.w.kp_info(a.key_person_id)
            respond = self._response_moment(moment, spec, info, req)
            if respond is not None:
                self.at(respond, self.respond, spec, a.id)

    def _reserved(self, req: Request) -> bool:
        """Whether `req` overlaps a hand-placed request of the demo key person."""
        margin = 2 * H
        return any(
            s.data.starts_at - margin < req.ends_at and req.starts_at < s.data.ends_at + margin
            for s in self.scripted_specs
        )

    def _response_moment(
        self, moment: dt.datetime, spec: Spec, info: KeyPersonInfo, req: Request
    ) -> dt.datetime | None:
        if spec.scripted is not None and spec.scripted.state == "offered":
            return None  # the demo key person has not answered yet: that is the demo
        low, high = {"fast": (0.3, 6), "normal": (2, 24), "slow": (8, 60)}[info.profile.habit]
        if req.starts_at - moment > 5 * DAY:  # no hurry yet
            low, high = low * 3, high * 3
        when = self.awake(moment + dt.timedelta(hours=spec.rng.uniform(low, high)), spec.rng)
        return max(min(when, req.starts_at - H), moment + dt.timedelta(minutes=10))

    def respond(self, moment: dt.datetime, spec: Spec, assignment_id: int) -> None:
        """The key person accepts or declines (with a reason)."""
        a = Assignment.objects.select_related("key_person", "request").get(pk=assignment_id)
        if a.status != AssignmentStatus.OFFERED or a.request.status != RequestStatus.OPEN:
            return
        info = self.w.kp_info(a.key_person_id)
        assert info.user is not None
        decline_chance = {"fast": 0.06, "normal": 0.1, "slow": 0.15}[info.profile.habit]
        if spec.scripted is not None:
            decline_chance = 0.0
        if spec.rng.random() < decline_chance:
            reason = spec.rng.choice(d.DECLINE_REASONS)
            if spec.newcomer is not None and spec.rng.random() < 0.25:
                reason = d.DECLINE_KNOWS_FAMILY
            ds.decline(actor=info.user, assignment=a, reason=reason)
            self._touch(spec, moment)
            self.at(
                self.office(moment + dt.timedelta(hours=spec.rng.uniform(0.5, 4)), spec.rng),
                self.offer_round,
                spec,
            )
            return
        try:
            ds.accept(actor=info.user, assignment=a)
        except DomainError:
            ds.decline(actor=info.user, assignment=a, reason=d.DECLINE_CLASH)
            self._touch(spec, moment)
            self.at(self.office(moment + H, spec.rng), self.offer_round, spec)
            return
        self._touch(spec, moment)
        req = a.request
        if spec.scripted is None and spec.rng.random() < 0.03:
            back = req.starts_at - dt.timedelta(hours=spec.rng.uniform(20, 60))
            if back > moment + H:
                self.at(self.awake(back, spec.rng), self.step_back, spec, a.id)
        if spec.scripted is not None and spec.scripted.state == "accepted":
            return  # the demo key person still has to write this report
        delay = {"fast": (1, 18), "normal": (4, 60), "slow": (24, 150)}[info.profile.habit]
        self.at(
            self.awake(req.ends_at + dt.timedelta(hours=spec.rng.uniform(*delay)), spec.rng),
            self.report,
            spec,
            a.id,
            1,
        )

    def step_back(self, moment: dt.datetime, spec: Spec, assignment_id: int) -> None:
        """The key person cannot come after all; the coordinator looks for someone else."""
        a = Assignment.objects.get(pk=assignment_id)
        if a.status != AssignmentStatus.ACCEPTED:
            return
        info = self.w.kp_info(a.key_person_id)
        ds.cancel_assignment(
            actor=info.user, assignment=a, reason=spec.rng.choice(d.STEP_BACK_REASONS)
        )
        self._touch(spec, moment)
        self.at(self.office(moment + H, spec.rng), self.offer_round, spec)

    def report(self, moment: dt.datetime, spec: Spec, assignment_id: int, attempt: int) -> None:
        """The key person files the activity report."""
        a = Assignment.objects.select_related("request").get(pk=assignment_id)
        if a.status != AssignmentStatus.ACCEPTED:
            return
        info = self.w.kp_info(a.key_person_id)
        flaw = ""
        if attempt == 1 and (
            (spec.scripted is not None and spec.scripted.state == "returned")
            or (spec.scripted is None and spec.rng.random() < 0.06)
        ):
            flaw = spec.rng.choice(["hours", "outcome"])
        ds.submit_report(actor=info.user, assignment=a, data=self.report_data(spec, a, info, flaw))
        self._touch(spec, moment)
        review = self.office(moment + dt.timedelta(hours=spec.rng.uniform(2, 70)), spec.rng)
        self.at(review, self.review, spec, a.id, flaw)

    def review(self, moment: dt.datetime, spec: Spec, assignment_id: int, flaw: str) -> None:
        """The coordinator approves the report, or sends it back with a comment."""
        a = Assignment.objects.select_related("request", "report").get(pk=assignment_id)
        if a.status != AssignmentStatus.REPORTED:
            return
        if flaw:
            planned = a.request.hours
            comment = d.RETURN_COMMENTS[flaw].format(hours=a.report.hours, planned=planned)
            ds.return_report(actor=self.w.coordinator, assignment=a, comment=comment)
            self._touch(spec, moment)
            if spec.scripted is None:
                again = self.awake(moment + dt.timedelta(hours=spec.rng.uniform(10, 72)), spec.rng)
                self.at(again, self.report, spec, a.id, 2)
            return
        ds.approve_report(actor=self.w.coordinator, assignment=a)
        self._touch(spec, moment)

    def cancel(self, moment: dt.datetime, spec: Spec) -> None:
        """The requester withdraws the request (e.g. too few sign-ups)."""
        req = self._reload(spec)
        if req.status not in (RequestStatus.OPEN, RequestStatus.FILLED) or moment >= req.starts_at:
            return
        if req.assignments.filter(status__in=("reported", "approved")).exists():
            return
        ds.cancel_request(actor=spec.requester, request=req, reason=spec.cancel_reason)
        self._touch(spec, moment)

    def give_up(self, moment: dt.datetime, spec: Spec) -> None:
        """Nobody could be found in time: the coordinator cancels and refers to an interpreter."""
        req = self._reload(spec)
        if req.status != RequestStatus.OPEN:
            return
        if req.assignments.filter(status__in=("offered",) + CONFIRMED).exists():
            return  # answers are still coming, or someone is already going
        if moment < req.starts_at - 2 * DAY:
            self.at(self.office(moment + DAY, spec.rng), self.offer_round, spec)  # perhaps later
            return
        reason = d.NO_KEY_PERSON_REASON.format(lang=d.LANGUAGE_NL.get(spec.language, spec.language))
        ds.cancel_request(actor=self.w.coordinator, request=req, reason=reason)
        self._touch(spec, moment)

    def pause(self, moment: dt.datetime, info: KeyPersonInfo) -> None:
        """The coordinator pauses a key person and finds others for the work ahead."""
        people_services.update_key_person(
            actor=self.w.coordinator,
            key_person=info.key_person,
            data=replace(info.data, status="paused"),
        )
        first_name = info.profile.name.split()[0]
        live = Assignment.objects.filter(
            key_person=info.key_person,
            status__in=("offered", "accepted"),
            request__starts_at__gt=moment,
        ).order_by("request__starts_at", "id")
        for a in live:
            spec = self.by_request[a.request_id]
            ds.cancel_assignment(
                actor=self.w.coordinator,
                assignment=a,
                reason=d.PAUSE_REASON.format(name=first_name),
            )
            self._touch(spec, moment)
            self.at(moment + H, self.offer_round, spec)

    # --- reports -----------------------------------------------------------------------------

    def report_data(
        self, spec: Spec, a: Assignment, info: KeyPersonInfo, flaw: str
    ) -> ds.ReportData:
        rng, t, req = spec.rng, spec.template, a.request
        planned = float(req.hours)
        extra = {
            "group_session": [0, 0.5, 1.0],
            "outreach": [0.5, 1.0, 1.5],
            "consultation": [0, 0.5],
            "document_review": [0.5, 1.0],
            "accompaniment": [0, 0, 0.5],
            "mediation": [0, 0.5],
            "individual_support": [0, 0.5],
        }[t.kind]
        hours = Decimal(str(round((planned + rng.choice(extra)) * 2) / 2))
        if flaw == "hours":
            hours = min(Decimal(str(round(planned * 10))), Decimal(24))
        kp_roles = set(info.profile.roles)
        used = [r for r in ROLE_ORDER if r in kp_roles and r in t.roles]
        others = [r for r in ROLE_ORDER if r in kp_roles and r not in used]
        if others and rng.random() < 0.45:
            used.append(rng.choice(others))
        domains = list(t.domains)
        if t.extra_domains and rng.random() < 0.35:
            domains.append(rng.choice(t.extra_domains))
        languages = [self.w.languages[spec.language]]
        if spec.language != "nl" and rng.random() < 0.5:
            languages.append(self.w.languages["nl"])
        if t.code == "letter_review":
            participants = 0
        elif spec.newcomer is not None:  # the newcomer, sometimes with partner, parents or children
            low, high = {
                "parent_talk": (2, 4),
                "home_visit": (2, 6),
                "housing": (1, 5),
                "gp_registration": (1, 5),
                "baby_clinic": (2, 3),
            }.get(t.code, (1, 2))
            participants = rng.randint(low, high)
        elif req.participants_expected:
            participants = max(1, round(req.participants_expected * rng.uniform(0.55, 1.1)))
        else:
            participants = rng.randint(1, 3)
        little = round(
            participants
            * (rng.uniform(0.3, 0.8) if spec.language == "nl" else rng.uniform(0.6, 1.0))
        )
        if t.kind == "outreach":
            first = round(participants * rng.uniform(0.3, 0.7))
        elif spec.newcomer is not None:
            first = 1 if participants and rng.random() < 0.3 else 0
        else:
            first = round(participants * rng.uniform(0.05, 0.4))
        words = self.words(
            t, spec.language, req.municipality.name, spec.newcomer, participants, rng
        )
        outcome = "" if flaw == "outcome" else rng.choice(t.outcomes).format(**words)
        return ds.ReportData(
            date=timezone.localtime(req.starts_at).date(),
            hours=hours,
            roles_used=[self.w.roles[c] for c in used],
            participants=participants,
            participants_little_dutch=min(little, participants),
            participants_first_contact=min(first, participants),
            life_domains=[self.w.domains[c] for c in domains],
            languages_used=languages,
            outcome=outcome,
            follow_up=rng.choice(t.follow_ups),
        )

    # --- afterwards --------------------------------------------------------------------------

    def fix_timestamps(self) -> None:
        """Date the bookkeeping fields (created_at, updated_at) in the story, not at load time.

        The services set these with the real clock; the story's moments are in the domain
        fields (offered_at, responded_at, submitted_at, reviewed_at) already. Only these two
        technical fields are rewritten, with the ORM.
        """
        for spec in self.specs:
            if spec.request is None:
                continue
            last = spec.last or spec.filed_at
            Request.objects.filter(pk=spec.request.pk).update(
                created_at=spec.filed_at, updated_at=last
            )
            for a in Assignment.objects.filter(request_id=spec.request.pk):
                updated = a.responded_at if a.status == AssignmentStatus.DECLINED else last
                Assignment.objects.filter(pk=a.pk).update(
                    created_at=a.offered_at, updated_at=max(updated or last, a.offered_at)
                )
        for report in ActivityReport.objects.filter(assignment__request__region=self.w.region):
            ActivityReport.objects.filter(pk=report.pk).update(
                created_at=report.submitted_at, updated_at=report.reviewed_at or report.submitted_at
            )

    def counts(self) -> dict[str, int]:
        region = self.w.region
        requests = Counter(Request.objects.filter(region=region).values_list("status", flat=True))
        assignments = Counter(
            Assignment.objects.filter(request__region=region).values_list("status", flat=True)
        )
        out = {"requests": sum(requests.values()), "assignments": sum(assignments.values())}
        out.update({f"request {k}": v for k, v in sorted(requests.items())})
        out.update({f"assignment {k}": v for k, v in sorted(assignments.items())})
        return out
