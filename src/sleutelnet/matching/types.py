"""The engine's input and output, mirroring docs/matching/instance.schema.json."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

ROLES = ("translator", "connector", "educator", "activator", "trust_builder", "role_model", "advisor")


_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_MICROSECOND = dt.timedelta(microseconds=1)


def instant(moment: dt.datetime) -> int:
    """Microseconds since 1970 (UTC) of an aware date-time: exact, and integers compare much
    faster than aware date-times (which convert their offsets on every comparison)."""
    return (moment - _EPOCH) // _MICROSECOND


@dataclass(frozen=True)
class Window:
    """A concrete period in which a key person can be deployed."""

    start: dt.datetime
    end: dt.datetime
    start_us: int = field(init=False, repr=False, compare=False)
    end_us: int = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "start_us", instant(self.start))
        object.__setattr__(self, "end_us", instant(self.end))

    def contains(self, start: dt.datetime, end: dt.datetime) -> bool:
        return self.start <= start and end <= self.end


@dataclass(frozen=True)
class KeyPerson:
    """A key person as the engine sees them."""

    id: str
    status: str
    languages: dict[str, int]
    roles: frozenset[str]
    municipalities: frozenset[str]
    availability: tuple[Window, ...]
    capacity_hours: float
    life_domains: frozenset[str] = frozenset()
    gender: str | None = None
    vog_valid_until: dt.date | None = None
    load_hours_last_30d: float = 0.0
    history_newcomers: frozenset[str] = frozenset()
    history_organisations: frozenset[str] = frozenset()
    name: str = ""


@dataclass(frozen=True)
class Request:
    """A request as the engine sees it."""

    id: str
    municipality: str
    start: dt.datetime
    end: dt.datetime
    language: str
    roles: frozenset[str]
    life_domains: frozenset[str] = frozenset()
    kind: str | None = None
    gender_preference: str | None = None
    gender_required: bool = False
    requires_vog: bool = False
    key_persons_needed: int = 1
    priority: int = 2
    newcomer: str | None = None
    organisation: str | None = None
    excluded_key_persons: frozenset[str] = frozenset()
    start_us: int = field(init=False, repr=False, compare=False)
    end_us: int = field(init=False, repr=False, compare=False)
    hours: float = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "start_us", instant(self.start))
        object.__setattr__(self, "end_us", instant(self.end))
        object.__setattr__(self, "hours", (self.end - self.start).total_seconds() / 3600)


@dataclass(frozen=True)
class Reason:
    """One reason, as a code with parameters (so the web can translate it) and English text."""

    code: str
    params: dict[str, object] = field(default_factory=dict)

    @property
    def text(self) -> str:
        from sleutelnet.matching.reasons import render

        return render(self)


@dataclass(frozen=True)
class Candidate:
    """A key person ranked for a request: feasible or not, the weight and the reasons."""

    key_person_id: str
    weight: float
    reasons: tuple[Reason, ...]
    violations: tuple[Reason, ...] = ()

    @property
    def feasible(self) -> bool:
        return not self.violations


@dataclass(frozen=True)
class Instance:
    """A whole planning problem: the contract's instance.schema.json, parsed (see `io.load_instance`)."""

    horizon: Window
    key_persons: tuple[KeyPerson, ...]
    requests: tuple[Request, ...]
    min_language_level: int = 3
    version: int = 1


@dataclass(frozen=True)
class PlannedAssignment:
    """One chosen (request, key person) pair of a plan, with its weight and why."""

    request_id: str
    key_person_id: str
    weight: float
    reasons: tuple[Reason, ...]


@dataclass(frozen=True)
class Unfilled:
    """A request the plan could not fill completely: how many are missing and why, in words.

    `binding` is a short code of the constraint that decided it (for translation and filtering):
    a hard-constraint code of `engine.violations` (e.g. `no_language`), or `busy` / `hours_used` /
    `busy_or_hours` when the key persons who could come are needed elsewhere.
    """

    request_id: str
    missing: int
    reason: str
    binding: str


@dataclass(frozen=True)
class PairWeight:
    """A feasible (request, key person) pair and the weight the planner maximises."""

    request_id: str
    key_person_id: str
    weight: float


@dataclass(frozen=True)
class Plan:
    """The planner's answer for an instance; `io.plan_to_dict` gives the contract's plan.schema.json."""

    assignments: tuple[PlannedAssignment, ...]
    unfilled: tuple[Unfilled, ...]
    objective: float
    weights: tuple[PairWeight, ...]
    stats: dict[str, object] = field(default_factory=dict)
