"""Planning a period: choose (request, key person) pairs of maximal total weight under the contract.

The model (docs/matching.md, "Planning a period"):

* a pair (R, K) is *feasible* when `engine.violations(K, R)` is empty (hard constraints 1-7, and
  K has at least R's hours free); its weight is `engine.score(K, R)`, the same as `rank` gives;
* one binary x[R, K] per feasible pair, maximise the sum of weight * x subject to
  - per request: sum_K x[R, K] <= R.key_persons_needed (constraint 8; each pair exists once),
  - per key person and maximal set of mutually overlapping requests: sum x <= 1 (constraint 9;
    touching end = start is no overlap),
  - per key person: sum of hours * x <= capacity_hours (constraint 10);
* the problem splits into connected components of the feasibility graph (requests and key persons
  joined by feasible pairs); each is solved on its own;
* a deterministic greedy (best weight first, ties by request id then key person id) gives a
  solution at once; when it reaches the simple upper bound (every request its best candidates)
  it is optimal and nothing more is done; otherwise HiGHS solves the integer program with the
  greedy as warm start, a relative gap and a share of the time limit. Without HiGHS, without
  time, or when HiGHS finds nothing in time, the greedy solution is the answer.
"""

from __future__ import annotations

import math
import os
import sys
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

from sleutelnet.matching.engine import (
    DEFAULT_WEIGHTS,
    Weights,
    base_language,
    score,
    surely_infeasible,
    violations,
)
from sleutelnet.matching.explain import shortage_reason, unfilled_reason
from sleutelnet.matching.types import (
    Instance,
    KeyPerson,
    PairWeight,
    Plan,
    PlannedAssignment,
    Reason,
    Request,
    Unfilled,
)

DEFAULT_TIME_LIMIT = 30.0
DEFAULT_MIP_GAP = 1e-3  # within 0.1 % of the optimum, in a third of the time of 1e-4 (docs)
COST_SCALE = 1000  # engine weights have 3 decimals: integer costs let HiGHS use integrality
EPS = 1e-9
SOLVERS = ("auto", "highs", "greedy")


@dataclass(frozen=True)
class Pair:
    """A feasible (request, key person) pair with the engine's weight and reasons."""

    request: Request
    key_person: KeyPerson
    weight: float
    reasons: tuple[Reason, ...]

    @property
    def key(self) -> tuple[str, str]:
        return (self.request.id, self.key_person.id)


def greedy_order(pair: Pair) -> tuple[float, str, str]:
    """Best weight first; ties by request id, then key person id (deterministic)."""
    return (-pair.weight, pair.request.id, pair.key_person.id)


def feasible_pairs(instance: Instance, weights: Weights = DEFAULT_WEIGHTS) -> list[Pair]:
    """Every pair that meets the per-pair hard constraints, sorted by (request id, key person id)."""
    # Key persons by (municipality, base language): the others fail constraint 3 or 2.
    serving: dict[tuple[str, str], list[KeyPerson]] = defaultdict(list)
    for kp in sorted(instance.key_persons, key=lambda k: k.id):
        bases = sorted({base_language(code) for code in kp.languages})
        for municipality in kp.municipalities:
            for base in bases:
                serving[(municipality, base)].append(kp)
    out: list[Pair] = []
    level = instance.min_language_level
    for req in sorted(instance.requests, key=lambda r: r.id):
        for kp in serving.get((req.municipality, base_language(req.language)), ()):
            # Cheap necessary conditions first (constraints 1, 5, 2); `violations` has the last word.
            if surely_infeasible(kp, req, level):
                continue
            if not violations(kp, req, min_language_level=level):
                weight, reasons = score(kp, req, weights=weights, min_language_level=level)
                out.append(Pair(req, kp, weight, reasons))
    return out


# --- solutions ----------------------------------------------------------------------------------


class Selection:
    """Chosen pairs, with what they use up; `fits` tells whether one more pair keeps every constraint."""

    def __init__(self) -> None:
        self.chosen: dict[tuple[str, str], Pair] = {}
        self.count: dict[str, int] = defaultdict(int)
        self.used_hours: dict[str, float] = defaultdict(float)
        self.busy: dict[str, list[Request]] = defaultdict(list)

    def fits(self, pair: Pair) -> bool:
        req, kp = pair.request, pair.key_person
        if pair.key in self.chosen or self.count[req.id] >= req.key_persons_needed:
            return False
        if self.used_hours[kp.id] + req.hours > kp.capacity_hours + EPS:
            return False
        start, end = req.start_us, req.end_us
        return not any(o.start_us < end and start < o.end_us for o in self.busy[kp.id])

    def add(self, pair: Pair) -> None:
        self.chosen[pair.key] = pair
        self.count[pair.request.id] += 1
        self.used_hours[pair.key_person.id] += pair.request.hours
        self.busy[pair.key_person.id].append(pair.request)

    @property
    def objective(self) -> float:
        return round(sum(p.weight for p in self.chosen.values()), 6)


def greedy(pairs: Iterable[Pair], start: Iterable[Pair] = ()) -> Selection:
    """Best weight first; a pair is taken when it still fits. `start` pairs are kept (fill-up)."""
    selection = Selection()
    for pair in start:
        selection.add(pair)
    for pair in sorted(pairs, key=greedy_order):
        if selection.fits(pair):
            selection.add(pair)
    return selection


def upper_bound(pairs: Iterable[Pair]) -> float:
    """Every request gets its best candidates, ignoring hours and overlaps: no plan does better."""
    by_request: dict[str, list[float]] = defaultdict(list)
    needed: dict[str, int] = {}
    for pair in pairs:
        by_request[pair.request.id].append(pair.weight)
        needed[pair.request.id] = pair.request.key_persons_needed
    return round(sum(sum(sorted(ws, reverse=True)[: needed[r]]) for r, ws in by_request.items()), 6)


def is_valid(pairs: Iterable[Pair]) -> bool:
    selection = Selection()
    for pair in pairs:
        if not selection.fits(pair):
            return False
        selection.add(pair)
    return True


# --- components ---------------------------------------------------------------------------------


def components(pairs: Sequence[Pair]) -> list[list[Pair]]:
    """Connected components of the feasibility graph, each sorted by (request, key person) id,
    ordered by their first request id."""
    parent: dict[str, str] = {}

    def find(node: str) -> str:
        root = node
        while parent[root] != root:
            root = parent[root]
        while parent[node] != root:
            parent[node], node = root, parent[node]
        return root

    for pair in pairs:
        a, b = "r:" + pair.request.id, "k:" + pair.key_person.id
        parent.setdefault(a, a)
        parent.setdefault(b, b)
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    groups: dict[str, list[Pair]] = defaultdict(list)
    for pair in pairs:
        groups[find("r:" + pair.request.id)].append(pair)
    return sorted((sorted(g, key=lambda p: p.key) for g in groups.values()), key=lambda g: g[0].key)


def overlap_cliques(requests: Sequence[Request]) -> list[list[int]]:
    """Maximal sets of mutually overlapping requests (indices), size >= 2; touching is no overlap.

    Intervals form an interval graph: its maximal cliques are the active sets just before an end
    that follows a start (ends sort before starts at the same moment).
    """
    events = sorted(
        [(r.end, 0, i) for i, r in enumerate(requests)]
        + [(r.start, 1, i) for i, r in enumerate(requests)]
    )
    active: set[int] = set()
    grew = False
    out: list[list[int]] = []
    for _, kind, i in events:
        if kind == 1:
            active.add(i)
            grew = True
        else:
            if grew and len(active) >= 2:
                out.append(sorted(active))
            grew = False
            active.discard(i)
    return out


# --- HiGHS --------------------------------------------------------------------------------------

_quiet_done = False
_quiet_lock = threading.Lock()


def load_highspy() -> ModuleType | None:
    try:
        import highspy
    except ImportError:  # pragma: no cover - a dependency; the fallback is tested by a flag
        return None
    return highspy


def _new_highs(highspy: ModuleType) -> Any:
    """A silent Highs object. HiGHS prints a banner to stdout once per process when the first
    object is made; that would spoil JSON on stdout, so the first one is made with fd 1 on /dev/null."""
    global _quiet_done
    with _quiet_lock:
        if not _quiet_done:
            _first_highs_quietly(highspy)
            _quiet_done = True
    highs = highspy.Highs()
    highs.setOptionValue("output_flag", False)
    return highs


def _first_highs_quietly(highspy: ModuleType) -> None:
    sys.stdout.flush()
    try:
        saved = os.dup(1)
    except OSError:
        saved = -1
    try:
        if saved >= 0:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, 1)
            os.close(devnull)
        highspy.Highs().setOptionValue("output_flag", False)
        _flush_c_stdout()
    finally:
        if saved >= 0:
            os.dup2(saved, 1)
            os.close(saved)


def _flush_c_stdout() -> None:
    try:
        import ctypes

        ctypes.CDLL(None).fflush(None)
    except (OSError, AttributeError):  # pragma: no cover - not on every platform
        pass


@dataclass
class HighsResult:
    pairs: list[Pair] | None
    status: str
    bound: float | None
    nodes: int | None = None


def solve_highs(
    highspy: ModuleType,
    pairs: Sequence[Pair],
    warm: Iterable[Pair],
    time_limit: float,
    mip_gap: float,
) -> HighsResult:
    """The integer program of one component, solved by HiGHS with `warm` as starting solution."""
    index = {pair.key: i for i, pair in enumerate(pairs)}
    rows: list[tuple[list[int], list[float], float]] = []
    by_request: dict[str, list[int]] = defaultdict(list)
    by_person: dict[str, list[int]] = defaultdict(list)
    for i, pair in enumerate(pairs):
        by_request[pair.request.id].append(i)
        by_person[pair.key_person.id].append(i)
    for rid in sorted(by_request):
        cols = by_request[rid]
        needed = pairs[cols[0]].request.key_persons_needed
        if len(cols) > needed:
            rows.append((cols, [1.0] * len(cols), float(needed)))
    for kid in sorted(by_person):
        cols = by_person[kid]
        kp = pairs[cols[0]].key_person
        # Whole seconds make the row exact: requests round up, free time down (a huge capacity
        # never binds, so it is capped to keep the numbers finite).
        seconds = [math.ceil(pairs[c].request.hours * 3600 - 1e-6) for c in cols]
        free = math.floor(min(kp.capacity_hours, 1e7) * 3600 + 1e-6)
        if sum(seconds) > free:
            rows.append((cols, [float(s) for s in seconds], float(free)))
        for clique in overlap_cliques([pairs[c].request for c in cols]):
            members = [cols[j] for j in clique]
            rows.append((members, [1.0] * len(members), 1.0))

    inf = highspy.kHighsInf
    lp = highspy.HighsLp()
    lp.num_col_ = len(pairs)
    lp.num_row_ = len(rows)
    lp.sense_ = highspy.ObjSense.kMaximize
    lp.col_cost_ = [float(round(p.weight * COST_SCALE)) for p in pairs]
    lp.col_lower_ = [0.0] * len(pairs)
    lp.col_upper_ = [1.0] * len(pairs)
    lp.row_lower_ = [-inf] * len(rows)
    lp.row_upper_ = [upper for _, _, upper in rows]
    starts, indices, values = [0], [], []
    for cols, coefs, _ in rows:
        indices.extend(cols)
        values.extend(coefs)
        starts.append(len(indices))
    lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
    lp.a_matrix_.start_ = starts
    lp.a_matrix_.index_ = indices
    lp.a_matrix_.value_ = values
    lp.integrality_ = [highspy.HighsVarType.kInteger] * len(pairs)

    highs = _new_highs(highspy)
    highs.setOptionValue("time_limit", max(time_limit, 0.001))
    highs.setOptionValue("mip_rel_gap", mip_gap)
    highs.setOptionValue("threads", 1)
    highs.setOptionValue("random_seed", 0)
    highs.passModel(lp)
    start = highspy.HighsSolution()
    values_start = [0.0] * len(pairs)
    for pair in warm:
        values_start[index[pair.key]] = 1.0
    start.col_value = values_start
    start.value_valid = True
    highs.setSolution(start)
    highs.run()
    model_status = highs.getModelStatus()
    info = highs.getInfo()
    if model_status == highspy.HighsModelStatus.kOptimal:
        status = "optimal"
    elif model_status == highspy.HighsModelStatus.kTimeLimit:
        status = "time_limit"
    else:
        status = "solver_" + str(highs.modelStatusToString(model_status)).lower().replace(" ", "_")
    chosen: list[Pair] | None = None
    if info.primal_solution_status == 2:  # feasible
        col_value = highs.getSolution().col_value
        chosen = [pairs[i] for i in range(len(pairs)) if col_value[i] > 0.5]
    bound = info.mip_dual_bound
    bound_value = bound / COST_SCALE if bound is not None and math.isfinite(bound) else None
    nodes = int(info.mip_node_count) if info.mip_node_count >= 0 else None
    return HighsResult(chosen, status, bound_value, nodes)


# --- the planner --------------------------------------------------------------------------------


class Nearby:
    """The key persons to look at when explaining an unfilled request in a municipality M:
    those who serve M or a neighbouring municipality (one that a key person serving M also
    serves), sorted by id; None (everyone) when nobody serves M."""

    def __init__(self, people: Sequence[KeyPerson]) -> None:
        self.serving: dict[str, list[KeyPerson]] = defaultdict(list)
        for kp in people:
            for municipality in kp.municipalities:
                self.serving[municipality].append(kp)
        self.cache: dict[str, list[KeyPerson] | None] = {}

    def __call__(self, municipality: str) -> list[KeyPerson] | None:
        if municipality not in self.cache:
            local = self.serving.get(municipality, [])
            area = {m for kp in local for m in kp.municipalities}
            found = {kp.id: kp for m in sorted(area) for kp in self.serving[m]}
            self.cache[municipality] = [found[k] for k in sorted(found)] if local else None
        return self.cache[municipality]



@dataclass
class ComponentResult:
    pairs: list[Pair]
    selection: Selection
    solver: str
    status: str
    bound: float
    greedy_objective: float
    stats: dict[str, object] = field(default_factory=dict)


def _gap(objective: float, bound: float | None) -> float | None:
    if bound is None:
        return None
    return round(max(bound - objective, 0.0) / max(abs(bound), 1e-9), 6)


def _solve_component(
    pairs: list[Pair],
    *,
    highspy: ModuleType | None,
    time_left: Callable[[], float],
    budget: float,
    mip_gap: float,
    fallback_reason: str | None,
) -> ComponentResult:
    started = time.perf_counter()
    quick = greedy(pairs)
    greedy_value = quick.objective
    simple_bound = upper_bound(pairs)
    requests = {p.request.id for p in pairs}
    people = {p.key_person.id for p in pairs}
    stats: dict[str, object] = {
        "first_request": pairs[0].request.id,
        "requests": len(requests),
        "key_persons": len(people),
        "pairs": len(pairs),
        "greedy_objective": greedy_value,
    }
    selection, solver, status, bound = quick, "greedy", "not_proven", simple_bound
    if greedy_value >= simple_bound - EPS:
        status = "optimal"  # the greedy reached the bound: every request has its best candidates
    elif highspy is None or budget <= 0 or time_left() <= 0:
        stats["fallback"] = fallback_reason or "no time left for HiGHS"
    else:
        result = solve_highs(
            highspy, pairs, quick.chosen.values(), min(budget, time_left()), mip_gap
        )
        if result.nodes is not None:
            stats["nodes"] = result.nodes
        if result.bound is not None:
            bound = min(simple_bound, round(result.bound, 6))
        if result.pairs is not None and is_valid(result.pairs):
            candidate = greedy(pairs, start=result.pairs)  # fill up: adds a pair only if it fits
            if candidate.objective >= greedy_value - EPS:
                selection, solver = candidate, "highs"
                stats["improved_on_greedy"] = candidate.objective > greedy_value + EPS
            status = "optimal" if result.status == "optimal" else result.status
        elif result.pairs is not None:
            status, stats["fallback"] = (
                "not_proven",
                "HiGHS solution broke a constraint; greedy used",
            )
        else:
            stats["fallback"] = f"HiGHS found no solution ({result.status}); greedy used"
            status = "time_limit" if result.status == "time_limit" else "not_proven"
    objective = selection.objective
    bound = max(bound, objective)  # an upper bound; guards against rounding in the solver's bound
    stats.update(
        solver=solver,
        status=status,
        objective=objective,
        bound=bound,
        gap=_gap(objective, bound),
        seconds=round(time.perf_counter() - started, 4),
    )
    return ComponentResult(pairs, selection, solver, status, bound, greedy_value, stats)


def _load_stats(
    instance: Instance, chosen: Iterable[Pair], eligible: set[str]
) -> dict[str, object]:
    hours: dict[str, float] = {kp_id: 0.0 for kp_id in eligible}
    for pair in chosen:
        hours[pair.key_person.id] += pair.request.hours
    values = sorted(hours.values())
    if not values:
        return {"key_persons_with_candidates": 0}
    total = sum(values)
    n = len(values)
    gini = (
        (2 * sum((i + 1) * v for i, v in enumerate(values)) / (n * total) - (n + 1) / n)
        if total
        else 0.0
    )
    return {
        "key_persons_with_candidates": n,
        "key_persons_assigned": sum(1 for v in values if v > 0),
        "hours_max": round(values[-1], 2),
        "hours_mean": round(total / n, 2),
        "gini": round(gini, 4),
    }


def plan(
    instance: Instance,
    weights: Weights = DEFAULT_WEIGHTS,
    *,
    time_limit: float = DEFAULT_TIME_LIMIT,
    mip_gap: float = DEFAULT_MIP_GAP,
    solver: str = "auto",
) -> Plan:
    """The best plan for `instance` that the time allows; see the module docstring.

    `time_limit` (seconds) bounds the whole call roughly: HiGHS gets what is left after the pairs
    are built, shared over the components by size. `solver="greedy"` (or `time_limit=0`) skips
    HiGHS; `solver="highs"` raises `RuntimeError` when highspy is not installed.
    """
    if solver not in SOLVERS:
        raise ValueError(f"solver must be one of {', '.join(SOLVERS)}, got {solver!r}")
    if not (time_limit >= 0 and math.isfinite(time_limit)):
        raise ValueError(f"time_limit must be a finite number >= 0, got {time_limit!r}")
    if not (0 <= mip_gap < 1):
        raise ValueError(f"mip_gap must be in [0, 1), got {mip_gap!r}")
    started = time.perf_counter()
    deadline = started + time_limit

    def time_left() -> float:
        return deadline - time.perf_counter()

    highspy = None
    fallback_reason: str | None = None
    if solver == "greedy":
        fallback_reason = "greedy requested"
    else:
        highspy = load_highspy()
        if highspy is None:
            if solver == "highs":
                raise RuntimeError("highspy is not installed (pip install highspy)")
            fallback_reason = "highspy is not installed"
    if time_limit == 0 and fallback_reason is None:
        fallback_reason = "time limit 0"

    pairs = feasible_pairs(instance, weights)
    pairs_seconds = time.perf_counter() - started
    groups = components(pairs)
    feasible_by_request: dict[str, list[Pair]] = defaultdict(list)
    for pair in pairs:
        feasible_by_request[pair.request.id].append(pair)

    # Requests that too few key persons can take stay unfilled whatever the plan: explain them
    # now, so that the time limit covers this work too (it does not depend on the plan).
    people = sorted(instance.key_persons, key=lambda k: k.id)
    nearby = Nearby(people)
    shortages: dict[str, tuple[str, str]] = {}
    for req in sorted(instance.requests, key=lambda r: r.id):
        feasible = feasible_by_request.get(req.id, [])
        if len(feasible) < req.key_persons_needed:
            shortages[req.id] = shortage_reason(
                req,
                people,
                feasible=[p.key_person for p in feasible],
                weights=weights,
                min_language_level=instance.min_language_level,
                nearby=nearby(req.municipality),
            )
    reasons_seconds = time.perf_counter() - started - pairs_seconds

    # Smallest components first: what they leave of their share goes to the larger ones.
    results: dict[int, ComponentResult] = {}
    remaining_pairs = sum(len(g) for g in groups)
    for number in sorted(range(len(groups)), key=lambda n: (len(groups[n]), groups[n][0].key)):
        group = groups[number]
        budget = time_left() * len(group) / max(remaining_pairs, 1)
        results[number] = _solve_component(
            group,
            highspy=highspy,
            time_left=time_left,
            budget=budget,
            mip_gap=mip_gap,
            fallback_reason=fallback_reason,
        )
        remaining_pairs -= len(group)

    chosen = sorted(
        (p for r in results.values() for p in r.selection.chosen.values()), key=lambda p: p.key
    )
    final = Selection()
    for pair in chosen:
        final.add(pair)
    objective = final.objective

    unfilled: list[Unfilled] = []
    for req in sorted(instance.requests, key=lambda r: r.id):
        missing = req.key_persons_needed - final.count[req.id]
        if missing > 0:
            reason, binding = unfilled_reason(
                req,
                people,
                feasible=[p.key_person for p in feasible_by_request.get(req.id, ())],
                assigned_to=final.busy,
                used_hours=final.used_hours,
                weights=weights,
                min_language_level=instance.min_language_level,
                nearby=nearby(req.municipality),
                shortage=shortages.get(req.id),
            )
            unfilled.append(Unfilled(req.id, missing, reason, binding))

    ordered = [results[n] for n in range(len(groups))]
    component_stats = [r.stats for r in ordered]
    statuses = {r.status for r in ordered}
    solvers = {r.solver for r in ordered}
    bound = round(sum(r.bound for r in ordered), 6)
    greedy_objective = round(sum(r.greedy_objective for r in ordered), 6)
    if statuses <= {"optimal"}:
        status = "optimal"
    elif "time_limit" in statuses:
        status = "time_limit"
    else:
        status = "not_proven"
    stats: dict[str, object] = {
        "solver": "highs" if "highs" in solvers else "greedy",
        "status": status,
        "seconds": round(time.perf_counter() - started, 4),
        "seconds_pairs": round(pairs_seconds, 4),
        "seconds_shortages": round(reasons_seconds, 4),
        "time_limit": time_limit,
        "mip_gap": mip_gap,
        "requests": len(instance.requests),
        "key_persons": len(instance.key_persons),
        "key_persons_needed": sum(r.key_persons_needed for r in instance.requests),
        "assigned": len(chosen),
        "requests_filled": len(instance.requests) - len(unfilled),
        "requests_unfilled": len(unfilled),
        "requests_without_candidates": sum(
            1 for r in instance.requests if r.id not in feasible_by_request
        ),
        "pairs_considered": len(instance.requests) * len(instance.key_persons),
        "feasible_pairs": len(pairs),
        "objective": objective,
        "greedy_objective": greedy_objective,
        "bound": bound,
        "gap": _gap(objective, bound),
        "components_count": len(groups),
        "components_by_solver": dict(
            sorted(Counter(f"{r.solver}/{r.status}" for r in ordered).items())
        ),
        "load": _load_stats(instance, chosen, {p.key_person.id for p in pairs}),
        "weights_used": weights.to_dict(),
        "components": component_stats,
    }
    if fallback_reason:
        stats["fallback"] = fallback_reason
    if highspy is not None:
        stats["highs_version"] = _highs_version(highspy)
    return Plan(
        assignments=tuple(
            PlannedAssignment(p.request.id, p.key_person.id, p.weight, p.reasons) for p in chosen
        ),
        unfilled=tuple(unfilled),
        objective=objective,
        weights=tuple(PairWeight(p.request.id, p.key_person.id, p.weight) for p in pairs),
        stats=stats,
    )


def _highs_version(highspy: ModuleType) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("highspy")
    except PackageNotFoundError:  # pragma: no cover - metadata missing in odd installs
        return str(getattr(highspy, "__version__", "unknown"))
