"""Benchmark of the matching engine: plan time and quality against the exact optimum and a greedy
baseline, fill against the maximum fill, and single-request rank latency (bench/README.md).

Everything is measured in one run, side by side, with fixed seeds: per size a warm-up and 3
repetitions, medians reported. The exact optimum and the maximum fill come from a model that
this file builds on its own (pairs from `engine.violations` and `engine.score`, one row per
request, per key person's hours, per pair of overlapping requests of a key person; no
decomposition, no warm start), solved by HiGHS with gap 0, so they check the planner rather
than repeat it.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import platform
import random
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib.metadata import version
from typing import Any

from sleutelnet.matching import engine
from sleutelnet.matching.generate import generate
from sleutelnet.matching.io import load_instance
from sleutelnet.matching.plan import DEFAULT_MIP_GAP, DEFAULT_TIME_LIMIT, _new_highs, plan
from sleutelnet.matching.types import Instance, KeyPerson, Request

SEED = 20261207

#: name -> (key persons, requests, municipalities)
SIZES: dict[str, tuple[int, int, int]] = {
    "S": (25, 100, 8),
    "M": (150, 500, 16),
    "L": (400, 1500, 32),
    "N": (5000, 20000, 342),
}
QUICK_SIZES: dict[str, tuple[int, int, int]] = {
    "S": (10, 30, 1),
    "M": (16, 50, 2),
    "L": (24, 80, 2),
    "N": (60, 200, 12),
}


@dataclass(frozen=True)
class Settings:
    quick: bool = False
    warmup: int = 1
    repetitions: int = 3
    plan_time_limit: float = DEFAULT_TIME_LIMIT
    exact_time_limit: float = 900.0  # per instance, for the exact optimum and for the max fill
    exact_sizes: tuple[str, ...] = ("S", "M", "L")
    rank_samples: int = 200
    quality_target: float = 0.995
    l_seconds_target: float = 10.0
    n_seconds_target: float = 120.0
    rank_p95_ms_target: float = 50.0

    @classmethod
    def for_quick(cls) -> Settings:
        return cls(quick=True, warmup=0, repetitions=1, exact_time_limit=20.0, rank_samples=20)


# --- the independent model -------------------------------------------------------------------------


@dataclass(frozen=True)
class Pair:
    request: Request
    key_person: KeyPerson
    weight: float


def independent_pairs(instance: Instance) -> list[Pair]:
    """Every feasible pair with its weight, from the engine's own `violations` and `score`."""
    serving: dict[str, list[KeyPerson]] = defaultdict(list)
    for kp in instance.key_persons:
        for municipality in kp.municipalities:
            serving[municipality].append(kp)
    level = instance.min_language_level
    out = []
    for req in instance.requests:
        for kp in serving.get(req.municipality, ()):  # the others fail constraint 3
            if not engine.violations(kp, req, min_language_level=level):
                weight, _ = engine.score(kp, req, min_language_level=level)
                out.append(Pair(req, kp, weight))
    return out


def _overlap(a: Request, b: Request) -> bool:
    return a.start < b.end and b.start < a.end


def _rows(pairs: Sequence[Pair]) -> list[tuple[list[int], list[float], float]]:
    """Constraints 8-10 as rows (columns, coefficients, upper bound)."""
    rows: list[tuple[list[int], list[float], float]] = []
    by_request: dict[str, list[int]] = defaultdict(list)
    by_person: dict[str, list[int]] = defaultdict(list)
    for i, pair in enumerate(pairs):
        by_request[pair.request.id].append(i)
        by_person[pair.key_person.id].append(i)
    for cols in by_request.values():
        rows.append((cols, [1.0] * len(cols), float(pairs[cols[0]].request.key_persons_needed)))
    for cols in by_person.values():
        kp = pairs[cols[0]].key_person
        seconds = [round(pairs[c].request.hours * 3600) for c in cols]
        rows.append(
            (
                cols,
                [float(s) for s in seconds],
                float(math.floor(min(kp.capacity_hours, 1e7) * 3600 + 1e-6)),
            )
        )
        for a_index, a in enumerate(cols):
            for b in cols[a_index + 1 :]:
                if _overlap(pairs[a].request, pairs[b].request):
                    rows.append(([a, b], [1.0, 1.0], 1.0))
    return rows


@dataclass
class Solved:
    status: str  # optimal, time_limit, ...
    objective: float | None
    bound: float | None
    seconds: float


def solve(
    pairs: Sequence[Pair], costs: Sequence[float], *, integer: bool, time_limit: float
) -> Solved:
    """Maximise costs . x under constraints 8-10 with HiGHS (gap 0), as MIP or LP relaxation."""
    import highspy

    started = time.perf_counter()
    if not pairs:
        return Solved("optimal", 0.0, 0.0, 0.0)
    rows = _rows(pairs)
    lp = highspy.HighsLp()
    lp.num_col_ = len(pairs)
    lp.num_row_ = len(rows)
    lp.sense_ = highspy.ObjSense.kMaximize
    lp.col_cost_ = list(costs)
    lp.col_lower_ = [0.0] * len(pairs)
    lp.col_upper_ = [1.0] * len(pairs)
    lp.row_lower_ = [-highspy.kHighsInf] * len(rows)
    lp.row_upper_ = [upper for _, _, upper in rows]
    starts, index, values = [0], [], []
    for cols, coefs, _ in rows:
        index.extend(cols)
        values.extend(coefs)
        starts.append(len(index))
    lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
    lp.a_matrix_.start_ = starts
    lp.a_matrix_.index_ = index
    lp.a_matrix_.value_ = values
    if integer:
        lp.integrality_ = [highspy.HighsVarType.kInteger] * len(pairs)
    highs = _new_highs(highspy)  # silent, also the first one (HiGHS prints a banner once)
    highs.setOptionValue("time_limit", float(time_limit))
    highs.setOptionValue("mip_rel_gap", 0.0)
    highs.setOptionValue("mip_abs_gap", 0.0)
    highs.setOptionValue("threads", 1)
    highs.setOptionValue("random_seed", 0)
    highs.passModel(lp)
    highs.run()
    status = highs.getModelStatus()
    info = highs.getInfo()
    name = (
        "optimal"
        if status == highspy.HighsModelStatus.kOptimal
        else "time_limit"
        if status == highspy.HighsModelStatus.kTimeLimit
        else str(highs.modelStatusToString(status)).lower().replace(" ", "_")
    )
    objective = info.objective_function_value if info.primal_solution_status == 2 else None
    if integer:
        bound = info.mip_dual_bound if math.isfinite(info.mip_dual_bound) else None
    else:
        bound = objective if name == "optimal" else None
    return Solved(name, objective, bound, time.perf_counter() - started)


# --- helpers ----------------------------------------------------------------------------------------


def _timed(run: Callable[[], Any], settings: Settings) -> tuple[list[float], list[Any]]:
    for _ in range(settings.warmup):
        run()
    seconds, results = [], []
    for _ in range(settings.repetitions):
        started = time.perf_counter()
        results.append(run())
        seconds.append(time.perf_counter() - started)
    return seconds, results


def _r(value: float | None, digits: int = 4) -> float | None:
    return None if value is None else round(value, digits)


def _ratio(a: float | None, b: float | None) -> float | None:
    if a is None or b is None or b <= 0:
        return None
    return round(a / b, 6)


def _percentile(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    position = (len(ordered) - 1) * q
    low, high = math.floor(position), math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def machine() -> dict[str, Any]:
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "implementation": sys.implementation.name,
        "platform": platform.platform(),
        "highspy": version("highspy"),
        "date": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
        "load_average_start": [round(x, 2) for x in os.getloadavg()],
    }


# --- one size -----------------------------------------------------------------------------------------


def bench_size(
    name: str, size: tuple[int, int, int], settings: Settings, log: Callable[[str], None]
) -> dict[str, Any]:
    key_persons, requests, municipalities = size
    document = generate(
        key_persons=key_persons, requests=requests, municipalities=municipalities, seed=SEED
    )
    instance = load_instance(document)
    out: dict[str, Any] = {
        "key_persons": key_persons,
        "requests": requests,
        "municipalities": municipalities,
        "key_persons_needed": sum(r.key_persons_needed for r in instance.requests),
        "seed": SEED,
    }

    # The planner as shipped: default time limit and gap.
    log(f"{name}: plan x{settings.warmup}+{settings.repetitions}")
    seconds, plans = _timed(lambda: plan(instance, time_limit=settings.plan_time_limit), settings)
    worst = min(plans, key=lambda p: p.objective)  # the quality we claim is the worst repetition's
    stats = worst.stats
    out["feasible_pairs"] = stats["feasible_pairs"]
    out["components"] = stats["components_count"]
    out["plan"] = {
        "seconds_median": _r(statistics.median(seconds)),
        "seconds_runs": [_r(s) for s in seconds],
        "objective": worst.objective,
        "objectives": [p.objective for p in plans],
        "status": stats["status"],
        "solver": stats["solver"],
        "bound": stats["bound"],
        "gap": stats["gap"],
        "assignments": len(worst.assignments),
        "requests_filled": stats["requests_filled"],
        "requests_unfilled": stats["requests_unfilled"],
        "requests_without_candidates": stats["requests_without_candidates"],
        "components_by_solver": stats["components_by_solver"],
        "load": stats["load"],
    }

    # The greedy baseline: the planner's own fallback (best weight first), same run.
    log(f"{name}: greedy x{settings.warmup}+{settings.repetitions}")
    g_seconds, greedies = _timed(lambda: plan(instance, solver="greedy"), settings)
    greedy = greedies[0]
    out["greedy"] = {
        "seconds_median": _r(statistics.median(g_seconds)),
        "seconds_runs": [_r(s) for s in g_seconds],
        "objective": greedy.objective,
        "assignments": len(greedy.assignments),
        "objective_ratio_plan_to_greedy": _ratio(worst.objective, greedy.objective),
        "time_ratio_plan_to_greedy": _ratio(
            statistics.median(seconds), statistics.median(g_seconds)
        ),
    }

    # The exact optimum and the maximum fill (independent model, gap 0), and the LP bounds.
    pairs = independent_pairs(instance)
    if len(pairs) != stats["feasible_pairs"]:
        raise RuntimeError(
            f"{name}: the planner has {stats['feasible_pairs']} feasible pairs, the model {len(pairs)}"
        )
    weights = [p.weight for p in pairs]
    ones = [1.0] * len(pairs)
    log(f"{name}: LP bounds ({len(pairs)} pairs)")
    lp = solve(pairs, weights, integer=False, time_limit=settings.exact_time_limit)
    lp_fill = solve(pairs, ones, integer=False, time_limit=settings.exact_time_limit)
    planner_bound = float(str(stats["bound"]))
    if settings.quick or name in settings.exact_sizes:
        log(f"{name}: exact optimum and maximum fill (cap {settings.exact_time_limit:g} s each)")
        exact = solve(pairs, weights, integer=True, time_limit=settings.exact_time_limit)
        fill = solve(pairs, ones, integer=True, time_limit=settings.exact_time_limit)
    else:
        exact = fill = Solved("skipped", None, None, 0.0)
    out["exact"] = {
        "status": exact.status,
        "objective": _r(exact.objective, 6),
        "bound": _r(exact.bound, 6),
        "seconds": _r(exact.seconds),
        "time_limit": settings.exact_time_limit,
        "lp_bound": _r(lp.bound, 6),
        "lp_seconds": _r(lp.seconds),
        "planner_bound": planner_bound,
    }
    if exact.status == "optimal" and exact.objective is not None:
        reference, basis = exact.objective, "optimum (independent model, HiGHS, gap 0)"
    else:
        candidates = [
            (b, label)
            for b, label in (
                (exact.bound, "bound of the capped exact run"),
                (lp.bound, "LP bound of the independent model"),
                (planner_bound, "the planner's proven bound (HiGHS dual bounds per component)"),
            )
            if b is not None
        ]
        reference, label = min(candidates)
        basis = f"{label}: the ratio is a lower bound"
    out["quality"] = {
        "plan_to_optimum": _ratio(worst.objective, reference),
        "greedy_to_optimum": _ratio(greedy.objective, reference),
        "reference": _r(reference, 6),
        "basis": basis,
    }
    fill_max: int | None
    if fill.status == "optimal" and fill.objective is not None:
        fill_max, fill_basis = (
            round(fill.objective),
            "maximum number of assignments under every constraint (independent model, HiGHS, gap 0)",
        )
    else:
        bounds = [b for b in (fill.bound, lp_fill.bound) if b is not None]
        fill_max = math.floor(min(bounds) + 1e-6) if bounds else None
        fill_basis = "LP bound of the maximum number of assignments (the ratio is a lower bound)"
    out["fill"] = {
        "plan": len(worst.assignments),
        "greedy": len(greedy.assignments),
        "max": fill_max,
        "basis": fill_basis,
        "plan_to_max": _ratio(len(worst.assignments), fill_max),
        "greedy_to_max": _ratio(len(greedy.assignments), fill_max),
        "seconds": _r(fill.seconds),
    }

    # Single-request ranking over every key person of the instance.
    log(f"{name}: rank x{settings.rank_samples}")
    out["rank"] = rank_latency(instance, settings.rank_samples)
    return out


def rank_latency(instance: Instance, samples: int) -> dict[str, Any]:
    rng = random.Random(SEED)
    people = list(instance.key_persons)
    chosen = rng.sample(list(instance.requests), min(samples, len(instance.requests)))
    level = instance.min_language_level
    for req in chosen[:5]:  # warm-up
        engine.rank(req, people, min_language_level=level)
    out: dict[str, Any] = {"key_persons": len(people), "samples": len(chosen)}
    for label, include in (("", False), ("_with_infeasible", True)):
        times = []
        for req in chosen:
            started = time.perf_counter()
            engine.rank(req, people, min_language_level=level, include_infeasible=include)
            times.append((time.perf_counter() - started) * 1000)
        out[f"p50_ms{label}"] = round(_percentile(times, 0.5), 3)
        out[f"p95_ms{label}"] = round(_percentile(times, 0.95), 3)
    return out


# --- the whole benchmark ----------------------------------------------------------------------------


def targets(sizes: dict[str, dict[str, Any]], settings: Settings) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for name in ("S", "M", "L"):
        if name in sizes:
            quality = sizes[name]["quality"]["plan_to_optimum"]
            out.append(
                {
                    "target": f"quality {name}: plan objective >= {settings.quality_target} of the optimum",
                    "size": name,
                    "measured": quality,
                    "limit": settings.quality_target,
                    "pass": None if quality is None else quality >= settings.quality_target,
                }
            )
    for name, limit in (("L", settings.l_seconds_target), ("N", settings.n_seconds_target)):
        if name in sizes:
            measured = sizes[name]["plan"]["seconds_median"]
            out.append(
                {
                    "target": f"time {name}: planned in under {limit:g} s (median)",
                    "size": name,
                    "measured": measured,
                    "limit": limit,
                    "pass": measured < limit,
                }
            )
    if "N" in sizes:
        rank = sizes["N"]["rank"]
        out.append(
            {
                "target": f"rank p95 under {settings.rank_p95_ms_target:g} ms with {rank['key_persons']:,} key persons",
                "size": "N",
                "measured": rank["p95_ms"],
                "limit": settings.rank_p95_ms_target,
                "pass": rank["p95_ms"] < settings.rank_p95_ms_target,
            }
        )
    return out


def run(
    settings: Settings, log: Callable[[str], None] = lambda _: None, only: Sequence[str] = ()
) -> dict[str, Any]:
    chosen = QUICK_SIZES if settings.quick else SIZES
    info = machine()
    started = time.perf_counter()
    sizes = {
        name: bench_size(name, size, settings, log)
        for name, size in chosen.items()
        if not only or name in only
    }
    info["load_average_end"] = [round(x, 2) for x in os.getloadavg()]
    return {
        "benchmark": "matching",
        "quick": settings.quick,
        "machine": info,
        "settings": {
            "seed": SEED,
            "warmup": settings.warmup,
            "repetitions": settings.repetitions,
            "plan": {"time_limit": settings.plan_time_limit, "mip_gap": DEFAULT_MIP_GAP},
            "exact": {
                "time_limit": settings.exact_time_limit,
                "mip_gap": 0.0,
                "sizes": list(settings.exact_sizes),
            },
            "rank_samples": settings.rank_samples,
            "sizes": {
                name: dict(zip(("key_persons", "requests", "municipalities"), size, strict=True))
                for name, size in chosen.items()
            },
        },
        "sizes": sizes,
        "targets": targets(sizes, settings),
        "seconds_total": round(time.perf_counter() - started, 1),
    }


# --- the table in bench/README.md ----------------------------------------------------------------------

BEGIN = "<!-- matching-results:begin (bench/run.py writes this part) -->"
END = "<!-- matching-results:end -->"


def _fmt(value: float | None, pattern: str = "{:.4f}") -> str:
    return "–" if value is None else pattern.format(value)


COLUMNS = (
    "size",
    "key persons × requests (municipalities)",
    "feasible pairs (components)",
    "plan: time, status",
    "plan / optimum",
    "greedy / optimum, greedy time",
    "fill: plan / max (greedy)",
    "rank p50 / p95 (with infeasible)",
)


def table(result: dict[str, Any]) -> str:
    m = result["machine"]
    intro = (
        f"Measured {m['date']} on {m['cpu']}, {m['cores']} cores, Python {m['python']}, highspy {m['highspy']};"
        f" load average {', '.join(map(str, m['load_average_start']))} at the start and"
        f" {', '.join(map(str, m['load_average_end']))} at the end (other processes shared the cores)."
        f" Seed {result['settings']['seed']}, {result['settings']['warmup']} warm-up and"
        f" {result['settings']['repetitions']} repetitions, medians; the planner with its defaults"
        f" (time limit {result['settings']['plan']['time_limit']:g} s, gap {result['settings']['plan']['mip_gap']:g})."
    )
    lines = [
        intro,
        "",
        "| " + " | ".join(COLUMNS) + " |",
        "| " + " | ".join("---" for _ in COLUMNS) + " |",
    ]
    for name, s in result["sizes"].items():
        plan_part = f"{s['plan']['seconds_median']:.2f} s, {s['plan']['status']}"
        quality = _fmt(s["quality"]["plan_to_optimum"])
        if s["exact"]["status"] == "optimal":
            quality += f" (exact in {s['exact']['seconds']:.1f} s)"
        else:
            quality = f"≥ {quality} (exact {s['exact']['status'].replace('_', ' ')}; vs a bound)"
        greedy = f"{_fmt(s['quality']['greedy_to_optimum'])}, {s['greedy']['seconds_median']:.2f} s"
        fill = s["fill"]
        fill_part = (
            f"{fill['plan']:,} / {fill['max']:,} ({fill['greedy']:,})"
            if fill["max"] is not None
            else f"{fill['plan']:,} / – ({fill['greedy']:,})"
        )
        r = s["rank"]
        rank = f"{r['p50_ms']:.2f} / {r['p95_ms']:.2f} ms ({r['p50_ms_with_infeasible']:.0f} / {r['p95_ms_with_infeasible']:.0f} ms) over {r['key_persons']:,}"
        lines.append(
            f"| {name} | {s['key_persons']:,} × {s['requests']:,} ({s['municipalities']}) |"
            f" {s['feasible_pairs']:,} ({s['components']}) | {plan_part} | {quality} | {greedy} | {fill_part} | {rank} |"
        )
    lines += ["", "| target | measured | result |", "| --- | --- | --- |"]
    for t in result["targets"]:
        verdict = "–" if t["pass"] is None else ("PASS" if t["pass"] else "FAIL")
        measured = t["measured"]
        shown = (
            "–"
            if measured is None
            else (f"{measured:.4f}" if t["target"].startswith("quality") else f"{measured:.2f}")
        )
        unit = (
            " s"
            if t["target"].startswith("time")
            else (" ms" if t["target"].startswith("rank") else "")
        )
        lines.append(f"| {t['target']} | {shown}{unit} | {verdict} |")
    return "\n".join(lines)


def update_readme(text: str, result: dict[str, Any]) -> str:
    """`text` with the part between the markers replaced by the table of `result`."""
    block = f"{BEGIN}\n{table(result)}\n{END}"
    if BEGIN in text and END in text:
        head, rest = text.split(BEGIN, 1)
        _, tail = rest.split(END, 1)
        return head + block + tail
    return text.rstrip("\n") + "\n\n" + block + "\n"
