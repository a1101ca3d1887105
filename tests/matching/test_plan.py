"""The planner: hard constraints on random instances, optimality, reasons for unfilled, fallback."""

from __future__ import annotations

import itertools
import json
import random
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

import pytest

from sleutelnet.matching import engine
from sleutelnet.matching import plan as planner
from sleutelnet.matching.check import check
from sleutelnet.matching.generate import generate
from sleutelnet.matching.io import load_instance, plan_to_dict
from sleutelnet.matching.plan import HighsResult, Pair, feasible_pairs, overlap_cliques, plan
from sleutelnet.matching.types import Instance, Request
from tests.matching.helpers import instance, person, request, without_timings


def random_instance(seed: int) -> Instance:
    rng = random.Random(seed)
    return load_instance(
        generate(
            key_persons=rng.randint(4, 25),
            requests=rng.randint(4, 45),
            languages=rng.randint(2, 5),
            municipalities=rng.randint(1, 3),
            days=rng.randint(1, 3),
            seed=seed,
        )
    )


# --- hard constraints and optimality -------------------------------------------------------------


@pytest.mark.parametrize("seed", range(30))
def test_plans_of_random_instances_are_valid_and_beat_greedy(seed: int) -> None:
    inst = random_instance(seed)
    result = plan(inst, time_limit=10)
    document = plan_to_dict(result)
    assert check(inst, document) == []
    stats = result.stats
    assert stats["objective"] == result.objective
    assert result.objective >= float(stats["greedy_objective"]) - 1e-6  # type: ignore[arg-type]
    assert result.objective <= float(stats["bound"]) + 1e-6  # type: ignore[arg-type]
    assert stats["status"] == "optimal"
    greedy_only = plan(inst, solver="greedy")
    assert check(inst, plan_to_dict(greedy_only)) == []
    assert greedy_only.objective == stats["greedy_objective"]


def valid(chosen: Sequence[Pair]) -> bool:
    """An independent, brute check of constraints 8-10 (1-7 hold for every feasible pair)."""
    count: dict[str, int] = defaultdict(int)
    hours: dict[str, float] = defaultdict(float)
    mine: dict[str, list[Request]] = defaultdict(list)
    for pair in chosen:
        count[pair.request.id] += 1
        hours[pair.key_person.id] += pair.request.hours
        mine[pair.key_person.id].append(pair.request)
    if any(count[p.request.id] > p.request.key_persons_needed for p in chosen):
        return False
    if any(hours[p.key_person.id] > p.key_person.capacity_hours + 1e-9 for p in chosen):
        return False
    return all(
        not (a.start < b.end and b.start < a.end)
        for reqs in mine.values()
        for a, b in itertools.combinations(reqs, 2)
    )


def tiny_instances() -> list[Instance]:
    found = []
    for seed in range(400):
        rng = random.Random(seed)
        inst = load_instance(
            generate(
                key_persons=rng.randint(2, 4),
                requests=rng.randint(2, 6),
                languages=1,
                municipalities=1,
                days=1,
                seed=seed,
            )
        )
        pairs = feasible_pairs(inst)
        if 3 <= len(pairs) <= 8 and not valid(pairs):  # some conflict, so the choice matters
            found.append(inst)
        if len(found) == 12:
            break
    return found


def test_tiny_instances_reach_the_brute_force_optimum() -> None:
    cases = tiny_instances()
    assert len(cases) >= 8
    for inst in cases:
        pairs = feasible_pairs(inst)
        best = max(
            sum(p.weight for p in subset)
            for size in range(len(pairs) + 1)
            for subset in itertools.combinations(pairs, size)
            if valid(subset)
        )
        result = plan(inst, mip_gap=0)
        assert result.objective == pytest.approx(best, abs=1e-6)
        assert check(inst, plan_to_dict(result)) == []


def test_highs_beats_greedy_where_choices_interact() -> None:
    inst = load_instance(
        generate(key_persons=40, requests=110, languages=6, municipalities=2, seed=3)
    )
    result = plan(inst, time_limit=20)
    assert result.stats["solver"] == "highs" and result.stats["status"] == "optimal"
    assert result.objective > float(result.stats["greedy_objective"])  # type: ignore[arg-type]


def test_plan_weights_are_rank_weights_and_list_every_feasible_pair() -> None:
    inst = random_instance(7)
    result = plan(inst)
    people = {k.id: k for k in inst.key_persons}
    listed = {(w.request_id, w.key_person_id): w.weight for w in result.weights}
    for req in inst.requests:
        for cand in engine.rank(req, list(people.values())):
            assert listed.pop((req.id, cand.key_person_id)) == cand.weight
    assert listed == {}
    for a in result.assignments:
        texts = [r.text for r in a.reasons]
        assert any(t.startswith("speaks ") for t in texts) and any(
            "requested roles" in t for t in texts
        )


def test_overlap_cliques_are_the_maximal_ones_and_touching_is_no_overlap() -> None:
    inst = load_instance(
        instance(
            [person("kp-1")],
            [
                request("a", "09:00", "11:00"),
                request("b", "10:00", "12:00"),
                request("c", "10:30", "11:30"),
                request("d", "12:00", "13:00"),  # touches b
                request("e", "12:30", "14:00"),
            ],
        )
    )
    assert overlap_cliques(inst.requests) == [[0, 1, 2], [3, 4]]


def test_overlaps_and_hours_are_respected() -> None:
    people = [person("kp-1", capacity_hours=5)]
    requests = [
        request("r-1", "09:00", "11:00"),
        request("r-2", "10:00", "12:00", priority=3),
        request("r-3", "11:00", "13:00"),  # touches r-1
        request("r-4", "14:00", "16:00"),
    ]
    inst = load_instance(instance(people, requests))
    result = plan(inst)
    chosen = sorted(a.request_id for a in result.assignments)
    assert check(inst, plan_to_dict(result)) == []
    assert sum(2 for _ in chosen) <= 5 and len(chosen) == 2


# --- reasons for unfilled requests ---------------------------------------------------------------


def unfilled(document: dict[str, Any], request_id: str = "r-1") -> dict[str, Any]:
    result = plan(load_instance(document))
    (item,) = [u for u in plan_to_dict(result)["unfilled"] if u["request"] == request_id]
    return item


def test_nobody_speaks_the_language_in_the_municipality() -> None:
    item = unfilled(
        instance([person("kp-1", languages=[{"code": "ar", "level": 5}])], [request("r-1")])
    )
    assert item["binding"] == "no_language" and item["missing"] == 1
    assert item["reason"].startswith("nobody speaks Somali (level 3+) in GM0222")
    assert "nearest: kp-1 does not speak so at level 3 or higher" in item["reason"]


def test_speakers_exist_but_not_at_that_time() -> None:
    busy_morning = [{"start": "2026-12-08T09:00:00+01:00", "end": "2026-12-08T12:00:00+01:00"}]
    item = unfilled(instance([person("kp-1", availability=busy_morning)], [request("r-1")]))
    assert item["binding"] == "not_available"
    assert item["reason"].startswith(
        "nobody speaks Somali (level 3+) in GM0222 on Tuesday 14:00-16:00 (1 does, at other times)"
    )


def test_nobody_serves_the_municipality_names_the_nearest() -> None:
    item = unfilled(instance([person("kp-12", municipalities=["GM0197"])], [request("r-1")]))
    assert item["binding"] == "no_municipality"
    assert item["reason"] == "nobody serves GM0222; nearest: kp-12 does not serve GM0222"


def test_the_ones_who_could_come_are_assigned_to_more_urgent_requests() -> None:
    people = [person("kp-1"), person("kp-2"), person("kp-3", municipalities=["GM0197"])]
    requests = [
        request("r-0", "13:00", "15:00", priority=3, key_persons_needed=2),
        request("r-1", "14:00", "16:00", priority=2),
    ]
    item = unfilled(instance(people, requests))
    assert item["binding"] == "busy"
    assert item["reason"].startswith(
        "the 2 key persons who could come are assigned to more urgent requests at that time"
    )
    assert "kp-1: r-0" in item["reason"] and "kp-2: r-0" in item["reason"]


def test_hours_used_up() -> None:
    people = [person("kp-1", capacity_hours=3)]
    requests = [request("r-0", "09:00", "11:00", priority=3), request("r-1", "14:00", "16:00")]
    item = unfilled(instance(people, requests))
    assert item["binding"] == "hours_used"
    assert "the only key person who could come, kp-1, has too few hours left" in item["reason"]
    assert "1 h left, 2 h needed" in item["reason"]


def test_vog_and_status_and_gender_name_the_people() -> None:
    item = unfilled(
        instance([person("kp-1", vog_valid_until=None)], [request("r-1", requires_vog=True)])
    )
    assert item["binding"] == "no_vog" and "kp-1" in item["reason"] and "VOG" in item["reason"]
    item = unfilled(instance([person("kp-1", status="paused")], [request("r-1")]))
    assert item["binding"] == "not_active" and "kp-1 paused" in item["reason"]
    item = unfilled(
        instance(
            [person("kp-1", gender="m")],
            [request("r-1", gender_preference="f", gender_required=True)],
        )
    )
    assert item["binding"] == "gender_mismatch" and "required gender (f)" in item["reason"]


def test_partly_filled_request_says_how_many_and_why() -> None:
    people = [person("kp-1"), person("kp-2", roles=["advisor"])]
    item = unfilled(instance(people, [request("r-1", key_persons_needed=3)]))
    assert item["missing"] == 2
    assert item["reason"].startswith(
        "only 1 key person meets every requirement; among the others, nobody who speaks"
    )
    assert "nearest: kp-2 has none of the requested roles" in item["reason"]


# --- determinism and fallback --------------------------------------------------------------------


def test_same_input_same_plan_whatever_the_order() -> None:
    document = generate(key_persons=30, requests=70, seed=11)
    first = json.dumps(without_timings(plan_to_dict(plan(load_instance(document)))), sort_keys=True)
    again = json.dumps(without_timings(plan_to_dict(plan(load_instance(document)))), sort_keys=True)
    assert first == again
    shuffled = dict(document)
    rng = random.Random(1)
    shuffled["key_persons"] = rng.sample(document["key_persons"], len(document["key_persons"]))
    shuffled["requests"] = rng.sample(document["requests"], len(document["requests"]))
    assert (
        json.dumps(without_timings(plan_to_dict(plan(load_instance(shuffled)))), sort_keys=True)
        == first
    )


@pytest.mark.parametrize(
    ("kwargs", "reason"),
    [({"solver": "greedy"}, "greedy requested"), ({"time_limit": 0}, "time limit 0")],
)
def test_forced_greedy_is_valid_and_says_so(kwargs: dict[str, Any], reason: str) -> None:
    inst = load_instance(
        generate(key_persons=40, requests=110, languages=6, municipalities=2, seed=3)
    )
    result = plan(inst, **kwargs)
    assert check(inst, plan_to_dict(result)) == []
    assert result.stats["solver"] == "greedy" and result.stats["fallback"] == reason
    assert result.stats["status"] == "not_proven"
    assert result.objective == result.stats["greedy_objective"]


def test_without_highspy_the_greedy_answers(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(planner, "load_highspy", lambda: None)
    inst = random_instance(5)
    result = plan(inst)
    assert check(inst, plan_to_dict(result)) == []
    assert (
        result.stats["solver"] == "greedy"
        and result.stats["fallback"] == "highspy is not installed"
    )
    with pytest.raises(RuntimeError, match="highspy is not installed"):
        plan(inst, solver="highs")


def test_when_highs_runs_out_of_time_the_greedy_is_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        planner, "solve_highs", lambda *a, **k: HighsResult(None, "time_limit", None)
    )
    inst = load_instance(
        generate(key_persons=40, requests=110, languages=6, municipalities=2, seed=3)
    )
    result = plan(inst)
    assert check(inst, plan_to_dict(result)) == []
    assert result.stats["status"] == "time_limit"
    assert any(
        str(c.get("fallback", "")).startswith("HiGHS found no solution")
        for c in result.stats["components"]
    )  # type: ignore[union-attr, attr-defined]


def test_bad_parameters_are_refused() -> None:
    inst = random_instance(1)
    with pytest.raises(ValueError, match="solver"):
        plan(inst, solver="cplex")
    with pytest.raises(ValueError, match="time_limit"):
        plan(inst, time_limit=-1)


def test_too_few_free_hours_and_exclusion_are_named() -> None:
    item = unfilled(instance([person("kp-1", capacity_hours=1)], [request("r-1")]))
    assert item["binding"] == "over_capacity"
    assert item["reason"].endswith("kp-1, has only 1 h free, the request takes 2 h")
    item = unfilled(instance([person("kp-1")], [request("r-1", excluded_key_persons=["kp-1"])]))
    assert item["binding"] == "excluded" and "kp-1, is excluded for this request" in item["reason"]


def test_empty_instance_gives_an_empty_valid_plan() -> None:
    inst = load_instance(instance([], []))
    result = plan(inst)
    assert plan_to_dict(result)["assignments"] == [] and result.stats["status"] == "optimal"
    assert check(inst, plan_to_dict(result)) == []
