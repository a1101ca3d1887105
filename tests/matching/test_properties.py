"""Property-based tests of the planner on random small instances (hypothesis, derandomized:
see conftest.py).

For every instance drawn: the plan passes the independent checker, reaches the optimum that an
exhaustive search finds with the same weights, and is the same plan again for the same input
in any order of its records. The strategy builds instances in the contract's JSON form with
1-6 key persons and 1-6 requests on one or two days, random windows, capacities, languages
(with dialects), roles, municipalities, counts needed and priorities.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sleutelnet.matching import engine
from sleutelnet.matching.check import check
from sleutelnet.matching.explain import shortage_reason
from sleutelnet.matching.generate import generate
from sleutelnet.matching.io import load_instance, plan_to_dict
from sleutelnet.matching.plan import Nearby, feasible_pairs, plan
from sleutelnet.matching.types import Instance, KeyPerson, Request
from tests.matching.helpers import at, instance, without_timings

DAYS = ("2026-12-08", "2026-12-09")  # Tuesday, Wednesday
LANGUAGES = ("so", "ti", "ar", "ar-syrian", "ar-yemeni")
ARABIC = ("ar", "ar-syrian", "ar-yemeni")
ROLES = ("translator", "connector", "advisor")


def _clock(half_hours: int) -> str:
    return f"{half_hours // 2:02d}:{30 * (half_hours % 2):02d}"


@st.composite
def periods(draw: st.DrawFn, longest: int, dense: bool = False) -> dict[str, str]:
    """A period between 08:00 and 22:00 on one of DAYS, 1 to `longest` half hours long; `dense`:
    on the first day between 09:00 and 15:00, so that periods overlap."""
    day = DAYS[0] if dense else draw(_mostly(*DAYS))
    first, last = (18, 30) if dense else (16, 44)
    length = draw(st.integers(1, min(longest, last - first)))
    start = draw(st.integers(first, last - length))
    return {"start": at(_clock(start), day), "end": at(_clock(start + length), day)}


def _subset(options: Sequence[str]) -> st.SearchStrategy[list[str]]:
    return st.lists(st.sampled_from(options), min_size=1, max_size=len(options), unique=True)


def _mostly(common: object, *others: object) -> st.SearchStrategy[Any]:
    """`common` in about 5 of 6 draws (with one other)."""
    return st.sampled_from((common,) * 5 * max(len(others), 1) + others)


@st.composite
def key_persons(draw: st.DrawFn, index: int, dense: bool) -> dict[str, Any]:
    """A key person; `dense`: one who meets most constraints of a `dense` request."""
    tags = ARABIC if dense else LANGUAGES
    codes = draw(st.lists(st.sampled_from(tags), min_size=1, max_size=3, unique=True))
    levels = (3, 4, 5) if dense else (2, 3, 4, 5, 5)
    full_days = [{"start": at("08:00", day), "end": at("22:00", day)} for day in DAYS]
    person: dict[str, Any] = {
        "id": f"kp-{index}",
        "status": "active" if dense else draw(_mostly("active", "paused")),
        "languages": [{"code": c, "level": draw(st.sampled_from(levels))} for c in codes]
        + [{"code": "nl", "level": 3}],
        "roles": sorted(draw(_subset(ROLES))),
        "municipalities": ["GM0222"]
        if dense
        else draw(_mostly(["GM0222"], ["GM0197"], ["GM0197", "GM0222"])),
        "availability": full_days
        if draw(_mostly(True, False))
        else draw(st.lists(periods(longest=28, dense=dense), min_size=0, max_size=3)),
        "capacity_hours": draw(st.sampled_from((2, 3, 4, 6) if dense else (0.5, 2, 3, 4, 24))),
        "load_hours_last_30d": draw(st.sampled_from((0, 2, 8, 30))),
        "vog_valid_until": "2027-06-01"
        if dense
        else draw(_mostly("2027-06-01", None, "2026-12-08")),
    }
    gender = draw(st.sampled_from(("f", "m", None)))
    if gender:
        person["gender"] = gender
    if draw(st.booleans()):
        person["history"] = {
            "newcomers": draw(st.lists(st.sampled_from(("n1", "n2")), unique=True)),
            "organisations": draw(st.lists(st.sampled_from(("o1", "o2")), unique=True)),
        }
    return person


@st.composite
def requests(draw: st.DrawFn, index: int, people: int, dense: bool) -> dict[str, Any]:
    """A request; `dense`: in the one municipality, in Arabic, on one morning and early afternoon."""
    request: dict[str, Any] = {
        "id": f"r-{index}",
        "municipality": "GM0222" if dense else draw(_mostly("GM0222", "GM0197")),
        **draw(periods(longest=6, dense=dense)),  # up to 3 h
        "language": draw(st.sampled_from(ARABIC if dense else LANGUAGES)),
        "roles": sorted(draw(_subset(ROLES))),
        "key_persons_needed": draw(_mostly(1, 2, 3)),
        "priority": draw(_mostly(2, 1, 3)),
        "requires_vog": False if dense else draw(_mostly(False, True)),
    }
    if draw(_mostly(False, True)):
        request["gender_preference"] = draw(st.sampled_from(("f", "m")))
        request["gender_required"] = False if dense else draw(st.booleans())
    newcomer = draw(st.sampled_from(("n1", "n2", None)))
    if newcomer:
        request["newcomer"] = newcomer
    request["organisation"] = draw(st.sampled_from(("o1", "o2")))
    if people and draw(st.integers(0, 9)) == 0:
        request["excluded_key_persons"] = [f"kp-{draw(st.integers(0, people - 1))}"]
    request["life_domains"] = draw(
        st.lists(st.sampled_from(("work", "health", "housing")), unique=True, max_size=2)
    )
    return request


@st.composite
def instances(draw: st.DrawFn) -> dict[str, Any]:
    """An instance dict (instance.schema.json) with 1-6 key persons and 1-6 requests.

    Half of them are `dense`: everyone active in one municipality, speaking some Arabic, the
    requests overlapping on one day, so that hours and overlaps make the choice matter (most
    fully random instances have few feasible pairs). The other half vary every constraint.
    """
    dense = draw(st.booleans())
    n_people = draw(st.integers(1, 6))
    n_requests = draw(st.integers(1, 6))
    people = [draw(key_persons(i, dense)) for i in range(n_people)]
    wanted = [draw(requests(i, n_people, dense)) for i in range(n_requests)]
    return instance(people, wanted)


# --- an exhaustive optimum, independent of the planner -------------------------------------------


def _overlap(a: Request, b: Request) -> bool:
    return a.start < b.end and b.start < a.end


def brute_force_optimum(inst: Instance) -> float:
    """The best total weight over every set of feasible pairs that keeps constraints 8-10.

    Feasible pairs and weights come from the engine (`violations`, `score`), as the contract
    defines them; the search goes request by request through every subset of its feasible key
    persons (at most as many as needed), keeping hours and overlaps per key person. It only
    skips a branch when even the best pairs of all remaining requests cannot beat the best total
    found, so it is exact.
    """
    level = inst.min_language_level
    options: list[tuple[Request, list[tuple[KeyPerson, float]]]] = []
    for req in sorted(inst.requests, key=lambda r: r.id):
        feasible = [
            (kp, engine.score(kp, req, min_language_level=level)[0])
            for kp in sorted(inst.key_persons, key=lambda k: k.id)
            if not engine.violations(kp, req, min_language_level=level)
        ]
        options.append((req, feasible))
    # optimistic[i]: the most requests i.. can add, ignoring hours and overlaps
    optimistic = [0.0] * (len(options) + 1)
    for i in range(len(options) - 1, -1, -1):
        req, feasible = options[i]
        top = sorted((w for _, w in feasible), reverse=True)[: req.key_persons_needed]
        optimistic[i] = optimistic[i + 1] + sum(top)

    best = 0.0
    hours: dict[str, float] = {}
    taken: dict[str, list[Request]] = {}

    def fits(kp: KeyPerson, req: Request) -> bool:
        if hours.get(kp.id, 0.0) + req.hours > kp.capacity_hours + 1e-9:
            return False
        return not any(_overlap(req, other) for other in taken.get(kp.id, ()))

    def search(i: int, total: float) -> None:
        nonlocal best
        best = max(best, total)
        if i == len(options) or total + optimistic[i] <= best + 1e-9:
            return
        req, feasible = options[i]

        def choose(j: int, chosen: int, subtotal: float) -> None:
            if j == len(feasible) or chosen == req.key_persons_needed:
                search(i + 1, subtotal)
                return
            kp, weight = feasible[j]
            if fits(kp, req):  # with kp ...
                hours[kp.id] = hours.get(kp.id, 0.0) + req.hours
                taken.setdefault(kp.id, []).append(req)
                choose(j + 1, chosen + 1, subtotal + weight)
                hours[kp.id] -= req.hours
                taken[kp.id].pop()
            choose(j + 1, chosen, subtotal)  # ... and without

        choose(0, 0, total)

    search(0, 0.0)
    return round(best, 6)


# --- properties ------------------------------------------------------------------------------------


@given(instances())
def test_every_plan_passes_the_checker_and_is_optimal(document: dict[str, Any]) -> None:
    inst = load_instance(document)
    result = plan(inst, mip_gap=0, time_limit=30)
    assert check(inst, plan_to_dict(result)) == []
    assert result.stats["status"] == "optimal"
    assert result.objective == pytest.approx(brute_force_optimum(inst), abs=1e-6)
    greedy = plan(inst, solver="greedy")
    assert check(inst, plan_to_dict(greedy)) == []
    assert greedy.objective <= result.objective + 1e-6


@given(instances(), st.randoms(use_true_random=False))
def test_the_plan_is_deterministic_in_any_order(document: dict[str, Any], rng: Any) -> None:
    first = json.dumps(without_timings(plan_to_dict(plan(load_instance(document)))), sort_keys=True)
    again = json.dumps(without_timings(plan_to_dict(plan(load_instance(document)))), sort_keys=True)
    shuffled = dict(document)
    shuffled["key_persons"] = rng.sample(document["key_persons"], len(document["key_persons"]))
    shuffled["requests"] = rng.sample(document["requests"], len(document["requests"]))
    for record in shuffled["key_persons"]:
        record["languages"] = rng.sample(record["languages"], len(record["languages"]))
        record["availability"] = rng.sample(record["availability"], len(record["availability"]))
    moved = json.dumps(without_timings(plan_to_dict(plan(load_instance(shuffled)))), sort_keys=True)
    assert first == again == moved


@given(instances())
def test_rank_plan_and_counts_agree(document: dict[str, Any]) -> None:
    """The plan's pair weights are `rank`'s; `violation_count` counts what `violations` lists;
    `surely_infeasible` never rules out a feasible pair."""
    inst = load_instance(document)
    result = plan(inst)
    listed = {(w.request_id, w.key_person_id): w.weight for w in result.weights}
    for req in inst.requests:
        ranked = engine.rank(req, inst.key_persons, min_language_level=inst.min_language_level)
        assert {c.key_person_id: c.weight for c in ranked} == {
            kp: w for (rid, kp), w in listed.items() if rid == req.id
        }
        for kp in inst.key_persons:
            fails = engine.violations(kp, req, min_language_level=inst.min_language_level)
            assert engine.violation_count(
                kp, req, min_language_level=inst.min_language_level
            ) == len(fails)
            if not fails:
                assert not engine.surely_infeasible(kp, req, inst.min_language_level)


@given(
    level=st.integers(1, 5),
    other=st.sampled_from(("ar", "ar-yemeni")),
    priority=st.integers(1, 3),
    load=st.sampled_from((0, 5, 40)),
)
def test_the_requested_dialect_is_a_bonus_not_a_requirement(
    level: int, other: str, priority: int, load: int
) -> None:
    """Someone who speaks exactly `ar-syrian` gets `dialect_match` more than someone who speaks
    Arabic or another dialect at the same level; both are feasible from level 3."""
    people = [
        {"id": "kp-exact", "code": "ar-syrian"},
        {"id": "kp-other", "code": other},
    ]
    document = instance(
        [
            {
                "id": p["id"],
                "status": "active",
                "languages": [{"code": p["code"], "level": level}],
                "roles": ["translator"],
                "municipalities": ["GM0222"],
                "availability": [{"start": at("09:00"), "end": at("21:00")}],
                "capacity_hours": 10,
                "load_hours_last_30d": load,
            }
            for p in people
        ],
        [
            {
                "id": "r-1",
                "municipality": "GM0222",
                "start": at("14:00"),
                "end": at("16:00"),
                "language": "ar-syrian",
                "roles": ["translator"],
                "priority": priority,
            }
        ],
    )
    inst = load_instance(document)
    (req,) = inst.requests
    ranked = {c.key_person_id: c for c in engine.rank(req, inst.key_persons)}
    if level < 3:
        assert ranked == {}
        return
    exact, base = ranked["kp-exact"], ranked["kp-other"]
    assert exact.weight - base.weight == pytest.approx(engine.DEFAULT_WEIGHTS.dialect_match)
    assert "dialect_match" in {r.code for r in exact.reasons}
    assert "dialect_match" not in {r.code for r in base.reasons}
    assert "speaks the requested dialect" in [r.text for r in exact.reasons]


@given(
    seed=st.integers(0, 10**6),
    people=st.integers(5, 40),
    wanted=st.integers(5, 60),
    towns=st.integers(1, 24),
)
def test_nearby_reasons_bind_where_all_key_persons_would(
    seed: int, people: int, wanted: int, towns: int
) -> None:
    """The planner explains a shortage with the key persons of the municipality and its
    neighbours only; the binding step must be the one a look at everyone gives."""
    inst = load_instance(
        generate(key_persons=people, requests=wanted, municipalities=towns, seed=seed)
    )
    everyone = sorted(inst.key_persons, key=lambda k: k.id)
    nearby = Nearby(everyone)
    feasible: dict[str, list[KeyPerson]] = {}
    for pair in feasible_pairs(inst):
        feasible.setdefault(pair.request.id, []).append(pair.key_person)
    for req in inst.requests:
        found = feasible.get(req.id, [])
        if len(found) >= req.key_persons_needed:
            continue
        near = nearby(req.municipality)
        if near is not None:
            assert {kp.id for kp in everyone if req.municipality in kp.municipalities} <= {
                kp.id for kp in near
            }
        _, local = shortage_reason(req, everyone, feasible=found, nearby=near)
        _, full = shortage_reason(req, everyone, feasible=found)
        assert local == full, req.id
