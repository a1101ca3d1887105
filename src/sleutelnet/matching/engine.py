"""Ranking: hard constraints first (why not), then an additive weight with named terms (why).

Deterministic: the same input gives the same order; ties are broken by key person id.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, fields
from functools import lru_cache

from sleutelnet.matching.types import Candidate, KeyPerson, Reason, Request

DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@dataclass(frozen=True)
class Weights:
    """The terms of a match's weight; see docs/matching.md for the reasoning."""

    fill: float = 100.0
    urgency_step: float = 25.0
    per_role: float = 12.0
    per_domain: float = 4.0
    language_level: float = 2.0
    continuity_newcomer: float = 10.0
    continuity_organisation: float = 5.0
    gender_preference: float = 8.0
    load_penalty_max: float = 20.0
    dialect_match: float = 6.0

    @classmethod
    def from_dict(cls, data: Mapping[str, object], *, base: Weights | None = None) -> Weights:
        """Weights from a mapping of term name to value; terms left out keep `base` (the defaults).

        Meant for per-region overrides stored as JSON. Raises `WeightsError` naming the term for
        an unknown name or a value that is not a finite number >= 0.
        """
        if not isinstance(data, Mapping):
            raise WeightsError(f"weights must be an object of term: number, got {type(data).__name__}")
        known = [f.name for f in fields(cls)]
        values = (base or cls()).to_dict()
        problems: list[str] = []
        for key in sorted(data, key=str):
            value = data[key]
            if key not in values:
                problems.append(f"unknown weight {key!r} (known: {', '.join(known)})")
            elif isinstance(value, bool) or not isinstance(value, (int, float)):
                problems.append(f"weight {key!r} must be a number, got {value!r}")
            elif not math.isfinite(value) or value < 0:
                problems.append(f"weight {key!r} must be a finite number >= 0, got {value!r}")
            else:
                values[key] = float(value)
        if problems:
            raise WeightsError("; ".join(problems))
        return cls(**values)

    def to_dict(self) -> dict[str, float]:
        """The terms as a plain mapping (the inverse of `from_dict`)."""
        return {f.name: float(getattr(self, f.name)) for f in fields(self)}


class WeightsError(ValueError):
    """A weights mapping with an unknown term or a value that is not a number >= 0."""


DEFAULT_WEIGHTS = Weights()


def base_language(tag: str) -> str:
    return tag.partition("-")[0]


def spoken_as(kp: KeyPerson, tag: str) -> tuple[str, int]:
    """The tag of `kp` that serves a request in `tag`, and its level: the best level among the
    exact tag, the base language and its other variants; ("", 0) if none. A tie goes to the
    exact tag, then to the smallest code.

    A dialect counts for its base language and the base language for every dialect: someone
    who speaks Arabic serves a request in Syrian Arabic, someone who speaks Yemeni Arabic one
    in Arabic. Speaking the requested dialect itself is a bonus (`score`), not a requirement.
    """
    exact = kp.languages.get(tag, 0)
    best_tag, best = (tag, exact) if exact else ("", 0)
    base = tag.partition("-")[0]
    prefix = base + "-"
    for code, level in kp.languages.items():
        if code == tag or not (code == base or code.startswith(prefix)):
            continue
        if level > best or (level == best and best_tag != tag and code < best_tag):
            best_tag, best = code, level
    return best_tag, best


def available(kp: KeyPerson, req: Request) -> bool:
    """Whether the request's [start, end] lies inside one of `kp`'s availability windows
    (constraint 4)."""
    start, end = req.start_us, req.end_us
    for window in kp.availability:
        if window.start_us <= start and end <= window.end_us:
            return True
    return False


def language_level(kp: KeyPerson, tag: str) -> int:
    """The level at which `kp` speaks `tag`: the best of the exact tag and the same base language."""
    return spoken_as(kp, tag)[1]


def dialect_level(kp: KeyPerson, tag: str) -> int:
    """The level at which `kp` speaks exactly the requested dialect `tag` (0 when `tag` has no
    variant, like `ar`, or when `kp` does not list it)."""
    return kp.languages.get(tag, 0) if "-" in tag else 0


@lru_cache(maxsize=8192)
def _period(start: dt.datetime, end: dt.datetime) -> tuple[tuple[str, object], ...]:
    """The parameters of a `not_available` reason (cached: formatting times is not free)."""
    return (
        ("day", DAY_NAMES[start.weekday()]),
        ("weekday", start.weekday()),
        ("start", start.strftime("%H:%M")),
        ("end", end.strftime("%H:%M")),
    )


def violations(
    kp: KeyPerson,
    req: Request,
    *,
    min_language_level: int = 3,
    busy: Sequence[tuple[str, object, object]] = (),
) -> list[Reason]:
    """Every hard constraint of the contract that `kp` fails for `req` (empty: feasible).

    `busy` holds (label, start, end) of the key person's other assignments, for the overlap rule.
    """
    out: list[Reason] = []
    if kp.status != "active":
        out.append(Reason("not_active", {"status": kp.status}))
    if kp.id in req.excluded_key_persons:
        out.append(Reason("excluded"))
    if language_level(kp, req.language) < min_language_level:
        out.append(Reason("no_language", {"language": req.language, "min_level": min_language_level}))
    if req.municipality not in kp.municipalities:
        out.append(Reason("no_municipality", {"municipality": req.municipality}))
    if not available(kp, req):
        out.append(Reason("not_available", dict(_period(req.start, req.end))))
    if not (kp.roles & req.roles):
        out.append(Reason("no_role"))
    if req.gender_required and req.gender_preference and kp.gender != req.gender_preference:
        out.append(Reason("gender_mismatch"))
    if req.requires_vog:
        needed = req.end.date()
        if kp.vog_valid_until is None:
            out.append(Reason("vog_missing"))
        elif kp.vog_valid_until < needed:
            out.append(Reason("vog_expired", {"date": kp.vog_valid_until.isoformat(), "needed": needed.isoformat()}))
    if kp.capacity_hours + 1e-9 < req.hours:
        out.append(Reason("over_capacity", {"free": round(kp.capacity_hours, 1), "hours": round(req.hours, 1)}))
    for label, start, end in busy:
        if start < req.end and req.start < end:  # type: ignore[operator]
            out.append(Reason("overlap", {"other": label}))
            break
    return out


def violation_count(kp: KeyPerson, req: Request, *, min_language_level: int = 3) -> int:
    """`len(violations(kp, req, min_language_level=...))` without building the reasons: cheap
    enough to find the nearest miss among many key persons."""
    count = (
        (kp.status != "active")
        + (kp.id in req.excluded_key_persons)
        + (req.municipality not in kp.municipalities)
        + kp.roles.isdisjoint(req.roles)
        + (kp.capacity_hours + 1e-9 < req.hours)
        + bool(req.gender_required and req.gender_preference and kp.gender != req.gender_preference)
        + bool(
            req.requires_vog
            and (kp.vog_valid_until is None or kp.vog_valid_until < req.end.date())
        )
    )
    if language_level(kp, req.language) < min_language_level:
        count += 1
    if not available(kp, req):
        count += 1
    return count


def score(
    kp: KeyPerson,
    req: Request,
    *,
    weights: Weights = DEFAULT_WEIGHTS,
    capacity_month: float | None = None,
    min_language_level: int = 3,
) -> tuple[float, tuple[Reason, ...]]:
    """The weight of assigning `kp` to `req`, with a reason per term that contributed.

    `min_language_level` only decides the dialect bonus: it is given when `kp` speaks exactly
    the requested dialect (`ar-syrian`) at that level or higher.
    """
    reasons: list[Reason] = []
    spoken, level = spoken_as(kp, req.language)
    total = weights.fill + weights.urgency_step * (req.priority - 2) + weights.language_level * level
    reasons.append(Reason("speaks", {"language": spoken or req.language, "level": level}))
    dialect = dialect_level(kp, req.language)
    if dialect >= min_language_level:
        total += weights.dialect_match
        reasons.append(Reason("dialect_match", {"language": req.language, "level": dialect}))
    covered = len(kp.roles & req.roles)
    total += weights.per_role * covered
    reasons.append(Reason("roles_covered", {"covered": covered, "requested": len(req.roles)}))
    if req.life_domains:
        dom = len(kp.life_domains & req.life_domains)
        total += weights.per_domain * dom
        if dom:
            reasons.append(Reason("domains_covered", {"covered": dom, "requested": len(req.life_domains)}))
    if req.newcomer and req.newcomer in kp.history_newcomers:
        total += weights.continuity_newcomer
        reasons.append(Reason("knows_newcomer", {"count": 1}))
    if req.organisation and req.organisation in kp.history_organisations:
        total += weights.continuity_organisation
        reasons.append(Reason("knows_organisation", {"count": 1}))
    if req.gender_preference and kp.gender == req.gender_preference:
        total += weights.gender_preference
        reasons.append(Reason("gender_match"))
    cap = capacity_month if capacity_month else max(kp.capacity_hours, 1.0)
    used = max(cap - kp.capacity_hours, 0.0)
    share = min(kp.load_hours_last_30d / cap, 1.5) if cap else 0.0
    total -= weights.load_penalty_max * share
    reasons.append(Reason("load", {"used": round(used, 1), "capacity": round(cap, 1)}))
    return round(max(total, 0.01), 3), tuple(reasons)


def surely_infeasible(kp: KeyPerson, req: Request, min_language_level: int = 3) -> bool:
    """A cheap test of the constraints that rule out most key persons (municipality, status,
    exclusion, role, language): True means `violations` is not empty; False decides nothing."""
    return (
        req.municipality not in kp.municipalities
        or kp.status != "active"
        or kp.id in req.excluded_key_persons
        or kp.roles.isdisjoint(req.roles)
        or language_level(kp, req.language) < min_language_level
    )


def rank(
    req: Request,
    key_persons: Iterable[KeyPerson],
    *,
    weights: Weights = DEFAULT_WEIGHTS,
    min_language_level: int = 3,
    busy: dict[str, Sequence[tuple[str, object, object]]] | None = None,
    capacity_month: dict[str, float] | None = None,
    include_infeasible: bool = False,
) -> list[Candidate]:
    """Feasible key persons for `req`, best first (ties by id); optionally the others after them.

    Without `include_infeasible` the key persons that fail a cheap constraint are skipped
    before the full check and the score, so ranking thousands of key persons stays fast.
    """
    busy = busy or {}
    capacity_month = capacity_month or {}
    feasible: list[Candidate] = []
    infeasible: list[Candidate] = []
    for kp in key_persons:
        if not include_infeasible and surely_infeasible(kp, req, min_language_level):
            continue
        fails = violations(kp, req, min_language_level=min_language_level, busy=busy.get(kp.id, ()))
        if fails and not include_infeasible:
            continue
        weight, reasons = score(
            kp,
            req,
            weights=weights,
            capacity_month=capacity_month.get(kp.id),
            min_language_level=min_language_level,
        )
        if fails:
            infeasible.append(Candidate(kp.id, weight, reasons, tuple(fails)))
        else:
            feasible.append(Candidate(kp.id, weight, reasons))
    feasible.sort(key=lambda c: (-c.weight, c.key_person_id))
    infeasible.sort(key=lambda c: (len(c.violations), -c.weight, c.key_person_id))
    return feasible + infeasible


def why_not(req: Request, kp: KeyPerson, **kwargs: object) -> list[Reason]:
    """Every hard constraint that `kp` fails for `req` (empty when feasible)."""
    return violations(kp, req, **kwargs)  # type: ignore[arg-type]
