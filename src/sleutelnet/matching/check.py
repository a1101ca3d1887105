"""An independent check of a plan against its instance: every hard constraint, ids, weights, objective.

`check(instance, plan_dict)` returns one message per problem; an empty list means the plan is
valid. It re-derives everything from the instance and the engine (it does not trust `stats`),
so it also catches a hand-edited plan. It does not judge optimality: `weights` lists every
feasible pair so that anyone can solve the same problem and compare objectives.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from typing import Any

from sleutelnet.matching.engine import DEFAULT_WEIGHTS, Weights, score, violations
from sleutelnet.matching.io import schema_errors
from sleutelnet.matching.types import Instance, KeyPerson, Request

TOLERANCE = 1e-6

CONSTRAINT_OF = {
    "not_active": 1,
    "excluded": 1,
    "no_language": 2,
    "no_municipality": 3,
    "not_available": 4,
    "no_role": 5,
    "gender_mismatch": 6,
    "vog_missing": 7,
    "vog_expired": 7,
    "over_capacity": 10,
}


def _pair(request_id: str, key_person_id: str) -> str:
    return f"({request_id}, {key_person_id})"


def _span(req: Request) -> str:
    return f"{req.start:%Y-%m-%d %H:%M}-{req.end:%H:%M}"


def _hours(value: float) -> str:
    return f"{round(value, 2):g}"


def unknown_ids(instance: Instance, plan: Mapping[str, Any]) -> list[str]:
    """Each reference of a plan (that follows plan.schema.json) to a request or key person the
    instance does not have, as `assignments[3].request: unknown request 'r-9'`: such a plan
    belongs to another instance (the command line treats it as bad input, exit code 2)."""
    requests = {r.id for r in instance.requests}
    people = {k.id for k in instance.key_persons}
    out: list[str] = []
    for part in ("assignments", "weights", "unfilled"):
        for i, item in enumerate(plan.get(part, ())):
            if item["request"] not in requests:
                out.append(f"{part}[{i}].request: unknown request {item['request']!r}")
            if "key_person" in item and item["key_person"] not in people:
                out.append(f"{part}[{i}].key_person: unknown key person {item['key_person']!r}")
    return out


def check(instance: Instance, plan: object, weights: Weights = DEFAULT_WEIGHTS) -> list[str]:
    """Every way `plan` (a parsed plan.schema.json document) breaks the contract for `instance`."""
    problems = schema_errors(plan, "plan")
    if problems:
        return [
            message if message.startswith("plan:") else f"plan.{message}" for message in problems
        ]
    assert isinstance(plan, dict)
    request_of: dict[str, Request] = {r.id: r for r in instance.requests}
    people: dict[str, KeyPerson] = {k.id: k for k in instance.key_persons}
    level = instance.min_language_level
    out: list[str] = []

    def known(where: str, item: Mapping[str, Any]) -> tuple[Request, KeyPerson] | None:
        req, kp = request_of.get(item["request"]), people.get(item["key_person"])
        if req is None:
            out.append(f"{where}: unknown request {item['request']!r}")
        if kp is None:
            out.append(f"{where}: unknown key person {item['key_person']!r}")
        return (req, kp) if req is not None and kp is not None else None

    # Assignments: per pair (constraints 1-7, and hours of the pair alone), weights, duplicates.
    seen: set[tuple[str, str]] = set()
    by_request: dict[str, int] = defaultdict(int)
    by_person: dict[str, list[Request]] = defaultdict(list)
    total = 0.0
    for i, item in enumerate(plan["assignments"]):
        where = f"assignments[{i}] {_pair(item['request'], item['key_person'])}"
        total += float(item["weight"])
        pair = known(where, item)
        if pair is None:
            continue
        req, kp = pair
        if (req.id, kp.id) in seen:
            out.append(f"{where}: the same pair is assigned twice (constraint 8)")
            continue
        seen.add((req.id, kp.id))
        by_request[req.id] += 1
        by_person[kp.id].append(req)
        for reason in violations(kp, req, min_language_level=level):
            out.append(
                f"{where}: {kp.id} {reason.text} (constraint {CONSTRAINT_OF.get(reason.code, '?')})"
            )
        expected, _ = score(kp, req, weights=weights, min_language_level=level)
        if abs(float(item["weight"]) - expected) > TOLERANCE:
            out.append(
                f"{where}: weight {item['weight']} differs from the engine's weight {expected}"
            )

    # The plan as a whole: constraints 8, 9, 10.
    for rid in sorted(by_request):
        req = request_of[rid]
        if by_request[rid] > req.key_persons_needed:
            out.append(
                f"request {rid}: {by_request[rid]} key persons assigned, "
                f"at most {req.key_persons_needed} needed (constraint 8)"
            )
    for kid in sorted(by_person):
        kp = people[kid]
        mine = sorted(by_person[kid], key=lambda r: (r.start, r.end, r.id))
        for a_index, a in enumerate(mine):
            for b in mine[a_index + 1 :]:
                if b.start >= a.end:
                    break
                out.append(
                    f"key person {kid}: {a.id} ({_span(a)}) and {b.id} ({_span(b)}) overlap (constraint 9)"
                )
        hours = sum(r.hours for r in mine)
        if hours > kp.capacity_hours + TOLERANCE:
            out.append(
                f"key person {kid}: {_hours(hours)} h assigned, only {_hours(kp.capacity_hours)} h free (constraint 10)"
            )

    # The objective is the sum of the chosen weights.
    if abs(float(plan["objective"]) - total) > TOLERANCE:
        out.append(
            f"objective {plan['objective']} is not the sum of the assigned weights ({round(total, 6)})"
        )

    # `weights` lists every feasible pair, once, with the engine's weight.
    listed: dict[tuple[str, str], float] = {}
    for i, item in enumerate(plan["weights"]):
        where = f"weights[{i}] {_pair(item['request'], item['key_person'])}"
        pair = known(where, item)
        if pair is None:
            continue
        req, kp = pair
        if (req.id, kp.id) in listed:
            out.append(f"{where}: listed twice")
            continue
        listed[(req.id, kp.id)] = float(item["weight"])
        fails = violations(kp, req, min_language_level=level)
        if fails:
            out.append(f"{where}: not a feasible pair ({kp.id} {fails[0].text})")
            continue
        expected, _ = score(kp, req, weights=weights, min_language_level=level)
        if abs(float(item["weight"]) - expected) > TOLERANCE:
            out.append(
                f"{where}: weight {item['weight']} differs from the engine's weight {expected}"
            )
    for req in sorted(request_of.values(), key=lambda r: r.id):
        for kp in sorted(people.values(), key=lambda k: k.id):
            if (req.id, kp.id) not in listed and not violations(kp, req, min_language_level=level):
                out.append(f"weights: the feasible pair {_pair(req.id, kp.id)} is missing")

    # `unfilled` names exactly the requests that lack key persons, with the right count.
    stated: dict[str, int] = {}
    for i, item in enumerate(plan["unfilled"]):
        rid = item["request"]
        if rid not in request_of:
            out.append(f"unfilled[{i}]: unknown request {rid!r}")
        elif rid in stated:
            out.append(f"unfilled[{i}]: request {rid} listed twice")
        else:
            stated[rid] = int(item["missing"])
    for req in sorted(request_of.values(), key=lambda r: r.id):
        missing = max(req.key_persons_needed - by_request.get(req.id, 0), 0)
        if missing and req.id not in stated:
            out.append(
                f"unfilled: request {req.id} lacks {missing} key person(s) but is not listed"
            )
        elif req.id in stated and stated[req.id] != missing:
            out.append(
                f"unfilled: request {req.id} says {stated[req.id]} missing, the assignments leave {missing}"
            )
    return out
