"""Why a request stays (partly) unfilled, in words a coordinator reads.

Two kinds of answer:

* nobody (or too few) meet the hard constraints. The key persons are passed through a funnel in
  the order a coordinator thinks (municipality, language, time, role, status, exclusion, gender,
  VOG, free hours); the first step that leaves nobody is the binding constraint:
  "nobody speaks Somali (level 3+) in GM0222 on Tuesday 14:00-16:00 (2 do, at other times);
  nearest: kp-012 is not available on Tuesday 14:00-16:00";
* some could come but the plan needs them elsewhere: "the 2 key persons who could come are
  assigned to more urgent requests at that time (kp-003: r-0012; kp-009: r-0100)", or have too
  few hours left.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from sleutelnet.matching.engine import (
    DAY_NAMES,
    DEFAULT_WEIGHTS,
    Weights,
    language_level,
    score,
    violation_count,
    violations,
)
from sleutelnet.matching.reasons import language_name
from sleutelnet.matching.types import KeyPerson, Reason, Request

LIST_AT_MOST = 5
EPS = 1e-9


def _hours(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".") if value % 1 else f"{value:.0f}"


def _names(items: Sequence[str]) -> str:
    shown = list(items[:LIST_AT_MOST])
    if len(items) > LIST_AT_MOST:
        shown.append(f"{len(items) - LIST_AT_MOST} more")
    return "; ".join(shown)


def _people(n: int) -> str:
    return "1 key person" if n == 1 else f"{n} key persons"


def when(req: Request) -> str:
    """`Tuesday 14:00-16:00` (in the request's own offset)."""
    return f"{DAY_NAMES[req.start.weekday()]} {req.start:%H:%M}-{req.end:%H:%M}"


def _stage_codes(req: Request) -> list[tuple[str, Callable[[set[str]], bool]]]:
    """The funnel: (code, passes) in the order a coordinator narrows the pool down."""

    def lacks(*codes: str) -> Callable[[set[str]], bool]:
        return lambda fails: not (fails & set(codes))

    return [
        ("no_municipality", lacks("no_municipality")),
        ("no_language", lacks("no_language")),
        ("not_available", lacks("not_available")),
        ("no_role", lacks("no_role")),
        ("not_active", lacks("not_active")),
        ("excluded", lacks("excluded")),
        ("gender_mismatch", lacks("gender_mismatch")),
        ("no_vog", lacks("vog_missing", "vog_expired")),
        ("over_capacity", lacks("over_capacity")),
    ]


def _funnel_text(
    req: Request,
    code: str,
    before: list[KeyPerson],
    failing: Mapping[str, list[Reason]],
    min_level: int,
    others_passing: int,
    nearby_only: bool = False,
) -> str:
    """The sentence for the funnel step `code` that left nobody of `before` (who passed the steps above)."""
    lang = f"{language_name(req.language)} (level {min_level}+)"
    where, at = req.municipality, when(req)
    fitting = f"who would fit ({language_name(req.language)}, {where}, {at}, a requested role)"
    n = len(before)
    subject = (
        f"the only key person {fitting}, {before[0].id},"
        if n == 1
        else f"the {n} key persons {fitting}"
    )
    if code == "no_municipality":
        return f"nobody serves {where}"
    if code == "no_language":
        verb = "does" if others_passing == 1 else "do"
        place = "in neighbouring municipalities" if nearby_only else "elsewhere"
        extra = f" ({_people(others_passing)} {verb}, {place})" if others_passing else ""
        return f"nobody speaks {lang} in {where}{extra}"
    if code == "not_available":
        extra = f" ({n} {'does' if n == 1 else 'do'}, at other times)" if n else ""
        return f"nobody speaks {lang} in {where} on {at}{extra}"
    if code == "no_role":
        roles = " or ".join(sorted(req.roles))
        return f"nobody who speaks {lang} in {where} on {at} has the role {roles}"
    if code == "not_active":
        detail = _names([f"{kp.id} {kp.status}" for kp in before])
        return f"{subject} {'is' if n == 1 else 'are'} not active ({detail})"
    if code == "excluded":
        return f"{subject} {'is' if n == 1 else 'are'} excluded for this request"
    if code == "gender_mismatch":
        who = f"{subject} is not" if n == 1 else f"none of the {n} key persons {fitting} is"
        return f"{who} of the required gender ({req.gender_preference})"
    if code == "no_vog":
        needed = req.end.date().isoformat()
        detail = _names(
            [
                f"{kp.id}: {'until ' + kp.vog_valid_until.isoformat() if kp.vog_valid_until else 'none'}"
                for kp in before
            ]
        )
        who = subject if n == 1 else f"none of the {n} key persons {fitting}"
        return f"{who} {'has no' if n == 1 else 'has a'} VOG valid until {needed} ({detail})"
    if code == "over_capacity":
        if n == 1:
            return f"{subject} has only {_hours(before[0].capacity_hours)} h free, the request takes {_hours(req.hours)} h"
        most = max(before, key=lambda kp: (kp.capacity_hours, kp.id))
        return (
            f"none of the {n} key persons {fitting} has {_hours(req.hours)} h free"
            f" (most: {most.id} with {_hours(most.capacity_hours)} h)"
        )
    return (
        f"nobody meets every requirement ({code})"  # pragma: no cover - every stage is named above
    )


def _nearest(
    req: Request,
    pool: Sequence[KeyPerson],
    failing: Mapping[str, list[Reason]],
    weights: Weights,
    min_level: int,
) -> str | None:
    """The key person of `pool` (none of them feasible) who fails the fewest constraints, then
    has the best weight, then the smallest id, with what they fail. `failing` holds the reasons
    of some of them; the others are counted cheaply (`violation_count`)."""
    if not pool:
        return None
    counts = {
        kp.id: len(failing[kp.id])
        if kp.id in failing
        else violation_count(kp, req, min_language_level=min_level)
        for kp in pool
    }
    fewest = min(counts.values())
    closest = [kp for kp in pool if counts[kp.id] == fewest]
    best = min(closest, key=lambda kp: (-score(kp, req, weights=weights)[0], kp.id))
    reasons = failing.get(best.id) or violations(best, req, min_language_level=min_level)
    return f"{best.id} " + " and ".join(reason.text for reason in reasons)


def shortage_reason(
    req: Request,
    people: Sequence[KeyPerson],
    *,
    feasible: Sequence[KeyPerson],
    weights: Weights = DEFAULT_WEIGHTS,
    min_language_level: int = 3,
    nearby: Sequence[KeyPerson] | None = None,
) -> tuple[str, str]:
    """(text, binding code) for a request that fewer key persons than needed can take at all:
    the funnel (see the module docstring) over `nearby` (or everyone), and the nearest miss.
    Depends only on the instance, not on the plan."""
    feasible_ids = {kp.id for kp in feasible}
    looked_at = people if nearby is None else nearby
    pool = [kp for kp in looked_at if kp.id not in feasible_ids]
    # The funnel starts with the municipality: only those who serve it need every reason.
    local = [kp for kp in pool if req.municipality in kp.municipalities]
    failing = {
        kp.id: violations(kp, req, min_language_level=min_language_level) for kp in local
    }
    codes = {kid: {reason.code for reason in fails} for kid, fails in failing.items()}
    stage_code = "no_municipality"
    before: list[KeyPerson] = pool
    if local:
        stage_code, before = "over_capacity", local
        for code, passes in _stage_codes(req)[1:]:
            after = [kp for kp in before if passes(codes[kp.id])]
            if not after:
                stage_code = code
                break
            before = after
    others_passing = 0
    if stage_code == "no_language":  # nobody local speaks it: count who does elsewhere
        others_passing = sum(
            1
            for kp in pool
            if kp.id not in failing
            and language_level(kp, req.language) >= min_language_level
        )
    text = _funnel_text(
        req,
        stage_code,
        before,
        failing,
        min_language_level,
        others_passing,
        nearby_only=nearby is not None,
    )
    if feasible:
        verb = "meets" if len(feasible) == 1 else "meet"
        text = (
            f"only {_people(len(feasible))} {verb} every requirement; among the others, {text}"
        )
    nearest_names_people = stage_code in (
        "no_municipality",
        "no_language",
        "not_available",
        "no_role",
    )
    if nearest_names_people:
        nearest = _nearest(req, pool, failing, weights, min_language_level)
        if nearest:
            text += f"; nearest: {nearest}"
    return text, stage_code


def unfilled_reason(
    req: Request,
    people: Sequence[KeyPerson],
    *,
    feasible: Sequence[KeyPerson],
    assigned_to: Mapping[str, Sequence[Request]],
    used_hours: Mapping[str, float],
    weights: Weights = DEFAULT_WEIGHTS,
    min_language_level: int = 3,
    nearby: Sequence[KeyPerson] | None = None,
    shortage: tuple[str, str] | None = None,
) -> tuple[str, str]:
    """(reason, binding code) for a request that lacks key persons in the final plan.

    `feasible`: the key persons who meet every per-pair constraint for `req`; `assigned_to`: the
    requests each key person has in the plan; `used_hours`: their planned hours.
    `nearby`: when given, the funnel and the nearest miss look only at these key persons instead
    of all `people`. It must hold everyone who serves the request's municipality (then the
    binding step is the same as with everyone); the planner passes the key persons who serve
    that municipality or a neighbouring one (one that shares a key person with it), which keeps
    the reasons cheap for thousands of unfilled requests. `shortage`: `shortage_reason` of this
    request computed before (it does not depend on the plan).
    """
    parts: list[str] = []
    binding = ""
    on_it = [kp for kp in feasible if any(r.id == req.id for r in assigned_to.get(kp.id, ()))]
    on_it_ids = {kp.id for kp in on_it}
    others = [kp for kp in feasible if kp.id not in on_it_ids]

    # 1. Key persons who could come but are needed elsewhere.
    busy: list[tuple[KeyPerson, list[Request]]] = []
    short: list[KeyPerson] = []
    for kp in sorted(others, key=lambda k: k.id):
        clashes = sorted(
            (
                r
                for r in assigned_to.get(kp.id, ())
                if r.start_us < req.end_us and req.start_us < r.end_us
            ),
            key=lambda r: r.id,
        )
        if clashes:
            busy.append((kp, clashes))
        elif used_hours.get(kp.id, 0.0) + req.hours > kp.capacity_hours + EPS:
            short.append(kp)
    blocked_ids = {kp.id for kp in short} | {kp.id for kp, _ in busy}
    free = sorted((kp for kp in others if kp.id not in blocked_ids), key=lambda k: k.id)
    if busy or short:
        n = len(busy) + len(short)
        other = " other" if on_it else ""
        if n == 1:
            only = busy[0][0] if busy else short[0]
            subject = f"the{other if on_it else ' only'} key person who could come, {only.id},"
        else:
            subject = f"the {n}{other} key persons who could come"
        urgent = busy and all(r.priority > req.priority for _, rs in busy for r in rs)
        busy_detail = _names([f"{kp.id}: {', '.join(r.id for r in rs)}" for kp, rs in busy])
        short_detail = _names(
            [
                f"{kp.id}: {_hours(max(kp.capacity_hours - used_hours.get(kp.id, 0.0), 0.0))} h left,"
                f" {_hours(req.hours)} h needed"
                for kp in short
            ]
        )
        what = "more urgent requests" if urgent else "other requests"
        if busy and not short:
            verb = "is" if n == 1 else "are"
            parts.append(f"{subject} {verb} assigned to {what} at that time ({busy_detail})")
            binding = "busy"
        elif short and not busy:
            verb = "has" if n == 1 else "have"
            parts.append(
                f"{subject} {verb} too few hours left after other assignments ({short_detail})"
            )
            binding = "hours_used"
        else:
            parts.append(
                f"of the {n}{other} key persons who could come, {len(busy)} "
                f"{'is' if len(busy) == 1 else 'are'} assigned to {what} at that time ({busy_detail})"
                f" and {len(short)} {'has' if len(short) == 1 else 'have'} too few hours left ({short_detail})"
            )
            binding = "busy_or_hours"
    if free:  # only when the solver stopped early; the planner fills these up
        parts.append(
            f"{_people(len(free))} could still be added ({', '.join(kp.id for kp in free)})"
        )
        binding = binding or "not_optimised"

    # 2. Too few meet the hard constraints at all (independent of the plan; may be precomputed).
    if len(feasible) < req.key_persons_needed:
        text, stage_code = shortage or shortage_reason(
            req,
            people,
            feasible=feasible,
            weights=weights,
            min_language_level=min_language_level,
            nearby=nearby,
        )
        parts.append(text)
        binding = binding or stage_code
    return "; ".join(parts), binding
