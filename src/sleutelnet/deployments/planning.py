"""A planned period as proposals a coordinator reviews: the engine's plan, or an imported plan file.

Each proposal line is one (request, key person) pair with its weight, the reasons in the user's
language and the other key persons who could take the request instead (the plan's list of
feasible pairs), so the coordinator can drop or swap lines before sending the offers through
`services.offer_plan`. Nothing here writes: the database is read by `matching.region_instance`.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from sleutelnet.deployments.explain import Explainer, unfilled_text
from sleutelnet.deployments.matching import PlanningProblem
from sleutelnet.deployments.models import Request
from sleutelnet.matching import engine
from sleutelnet.matching import plan as planner
from sleutelnet.matching.types import Reason
from sleutelnet.people.models import KeyPerson

#: Seconds the planner may take for a page (the greedy answer comes at once; HiGHS improves it).
PLAN_TIME_LIMIT = 10.0

_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


@dataclass
class Option:
    """A key person who could take the request of a line instead."""

    key_person_id: str
    name: str
    weight: float


@dataclass
class ProposalLine:
    """One proposed (request, key person) pair."""

    request: Request
    key_person: KeyPerson
    weight: float
    reasons: list[str]
    options: list[Option]
    problems: list[str] = field(
        default_factory=list
    )  # hard constraints failed now (imported plans)

    @property
    def checked(self) -> bool:
        """Ticked by default unless the pair is no longer possible."""
        return not self.problems


@dataclass
class UnfilledLine:
    """A request the plan could not fill completely."""

    request: Request
    missing: int
    reason: str
    details: str


@dataclass
class Review:
    """What the review screen shows."""

    lines: list[ProposalLine]
    unfilled: list[UnfilledLine]
    skipped: list[str] = field(default_factory=list)
    stats: dict[str, Any] = field(default_factory=dict)

    @property
    def request_count(self) -> int:
        return len({line.request.id for line in self.lines})


def propose(problem: PlanningProblem, *, time_limit: float = PLAN_TIME_LIMIT) -> Review:
    """Run the planner on the problem and turn its answer into proposals."""
    result = planner.plan(problem.instance, problem.weights, time_limit=time_limit)
    return _review(
        problem,
        assignments=[(a.request_id, a.key_person_id, a.weight) for a in result.assignments],
        weights=[(w.request_id, w.key_person_id, w.weight) for w in result.weights],
        unfilled=[(u.request_id, u.missing, u.binding, u.reason) for u in result.unfilled],
        stats=result.stats,
        check=False,
    )


def review_imported(
    problem: PlanningProblem, document: Mapping[str, Any], requests: Mapping[str, Request]
) -> Review:
    """Proposals from an imported plan (checked against plan.schema.json, ids known).

    Every pair is checked again against today's data: a pair that broke a hard constraint since
    the plan was made is shown with why, unticked. Requests that no longer need anyone are skipped.
    """
    skipped = []
    for req_id in sorted({a["request"] for a in document["assignments"]} - set(problem.requests)):
        req = requests[req_id]
        skipped.append(
            _(
                "%(request)s: no longer open, already started or no key person needed any more; skipped."
            )
            % {"request": req.title}
        )
    return _review(
        problem,
        assignments=[
            (a["request"], a["key_person"], float(a["weight"])) for a in document["assignments"]
        ],
        weights=[(w["request"], w["key_person"], float(w["weight"])) for w in document["weights"]],
        unfilled=[
            (u["request"], int(u["missing"]), str(u.get("binding") or ""), str(u["reason"]))
            for u in document["unfilled"]
        ],
        stats=document.get("stats") or {},
        check=True,
        skipped=skipped,
    )


def unknown_ids(
    document: Mapping[str, Any], requests: Iterable[str], key_persons: Iterable[str]
) -> list[str]:
    """Every request or key person id in a plan that the user does not know, naming where it is."""
    known_requests, known_people = set(requests), set(key_persons)
    problems = []
    for part in ("assignments", "unfilled", "weights"):
        for i, item in enumerate(document[part]):
            if item["request"] not in known_requests:
                problems.append(
                    _("%(where)s: unknown request %(id)s (not a request of your region).")
                    % {"where": f"{part}[{i}].request", "id": repr(item["request"][:60])}
                )
            if "key_person" in item and item["key_person"] not in known_people:
                problems.append(
                    _("%(where)s: unknown key person %(id)s (not a key person of your region).")
                    % {"where": f"{part}[{i}].key_person", "id": repr(item["key_person"][:60])}
                )
    return problems


def plan_ids(document: Mapping[str, Any]) -> tuple[set[str], set[str]]:
    """The request and key person ids a plan names."""
    request_ids: set[str] = set()
    people: set[str] = set()
    for part in ("assignments", "unfilled", "weights"):
        for item in document[part]:
            request_ids.add(item["request"])
            if "key_person" in item:
                people.add(item["key_person"])
    return request_ids, people


def _review(
    problem: PlanningProblem,
    *,
    assignments: list[tuple[str, str, float]],
    weights: list[tuple[str, str, float]],
    unfilled: list[tuple[str, int, str, str]],
    stats: Mapping[str, Any],
    check: bool,
    skipped: list[str] | None = None,
) -> Review:
    explain = Explainer()
    engine_requests = {r.id: r for r in problem.instance.requests}
    engine_people = {k.id: k for k in problem.instance.key_persons}
    level = problem.instance.min_language_level

    options: dict[str, list[Option]] = defaultdict(list)
    for req_id, kp_id, weight in weights:
        kp = problem.key_persons.get(kp_id)
        if req_id in problem.requests and kp is not None:
            options[req_id].append(Option(kp_id, kp.full_name, weight))
    for opts in options.values():
        opts.sort(key=lambda o: (-o.weight, o.name, o.key_person_id))

    lines = []
    for req_id, kp_id, weight in assignments:
        req, kp = problem.requests.get(req_id), problem.key_persons.get(kp_id)
        if req is None or kp is None:
            continue  # imported: named in `skipped`
        ereq, ekp = engine_requests[req_id], engine_people[kp_id]
        _weight, reasons = engine.score(
            ekp, ereq, weights=problem.weights, capacity_month=problem.capacity_month.get(kp_id)
        )
        problems: list[Reason] = []
        if check:
            problems = engine.violations(ekp, ereq, min_language_level=level)
            if kp_id in problem.newcomer_excluded.get(req_id, frozenset()):
                problems = [
                    Reason("excluded_newcomer") if r.code == "excluded" else r for r in problems
                ]
        line_options = list(options.get(req_id, []))
        if not any(o.key_person_id == kp_id for o in line_options):
            line_options.insert(0, Option(kp_id, kp.full_name, weight))
        lines.append(
            ProposalLine(
                request=req,
                key_person=kp,
                weight=weight,
                reasons=[explain(r) for r in reasons],
                options=line_options,
                problems=[explain(r) for r in problems],
            )
        )
    lines.sort(
        key=lambda ln: (ln.request.starts_at, ln.request.id, -ln.weight, ln.key_person.full_name)
    )

    gaps = []
    for req_id, missing, binding, details in unfilled:
        req = problem.requests.get(req_id)
        if req is None:
            continue
        gaps.append(
            UnfilledLine(
                request=req,
                missing=missing,
                reason=unfilled_text(binding) or _("see the details"),
                details=_readable(details, problem),
            )
        )
    gaps.sort(key=lambda u: (u.request.starts_at, u.request.id))
    return Review(lines=lines, unfilled=gaps, skipped=skipped or [], stats=dict(stats))


def _readable(text: str, problem: PlanningProblem) -> str:
    """The planner's English explanation with names instead of uuids."""

    def name(match: re.Match[str]) -> str:
        uid = match.group(0)
        if uid in problem.key_persons:
            return problem.key_persons[uid].full_name
        if uid in problem.requests:
            return f"“{problem.requests[uid].title}”"
        return uid

    return _UUID.sub(name, text)
