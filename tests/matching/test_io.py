"""Loading instances (schema first, then what a schema cannot say), plans out, weights from dicts."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest

from sleutelnet.matching.engine import DEFAULT_WEIGHTS, Weights, WeightsError
from sleutelnet.matching.generate import generate
from sleutelnet.matching.io import (
    InstanceError,
    instance_to_dict,
    load_instance,
    parse_json,
    schema_errors,
)
from tests.matching.helpers import at, instance, person, request


def messages(document: Any) -> list[str]:
    with pytest.raises(InstanceError) as caught:
        load_instance(document)
    return caught.value.messages


def test_a_valid_instance_becomes_types() -> None:
    loaded = load_instance(
        instance(
            [
                person(
                    "kp-1",
                    history={"newcomers": ["n1"], "organisations": ["o1"]},
                    load_hours_last_30d=4,
                )
            ],
            [request("r-1", priority=3, key_persons_needed=2, newcomer="n1")],
        )
    )
    (kp,) = loaded.key_persons
    (req,) = loaded.requests
    assert kp.languages == {"so": 4, "nl": 3}
    assert kp.history_newcomers == frozenset({"n1"}) and kp.history_organisations == frozenset(
        {"o1"}
    )
    assert kp.vog_valid_until == dt.date(2027, 6, 1) and kp.load_hours_last_30d == 4.0
    assert kp.availability[0].start == dt.datetime.fromisoformat(at("09:00"))
    assert req.priority == 3 and req.key_persons_needed == 2 and req.hours == 2.0
    assert loaded.min_language_level == 3


def test_defaults_of_the_schema_apply() -> None:
    loaded = load_instance(instance([person("kp-1")], [request("r-1")], min_language_level=4))
    (req,) = loaded.requests
    assert (req.priority, req.key_persons_needed, req.requires_vog, req.gender_required) == (
        2,
        1,
        False,
        False,
    )
    assert loaded.min_language_level == 4


def test_schema_error_names_record_and_field() -> None:
    people = [person(f"kp-{i}") for i in range(8)]
    people[3]["id"] = "kp-7"
    people[3]["languages"][0]["level"] = 7
    found = messages(instance(people, [request("r-1")]))
    assert found == [
        "key_persons[3] (id 'kp-7').languages[0].level: 7 is greater than the maximum of 5"
    ]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            lambda d: d["requests"][0].pop("roles"),
            "requests[0] (id 'r-1'): 'roles' is a required property",
        ),
        (
            lambda d: d["requests"][0].update(colour=1),
            "requests[0] (id 'r-1'): Additional properties",
        ),
        (
            lambda d: d["requests"][0].update(priority=4),
            "requests[0] (id 'r-1').priority: 4 is greater",
        ),
        (
            lambda d: d["key_persons"][0].update(status="busy"),
            "key_persons[0] (id 'kp-1').status: 'busy' is not one of",
        ),
        (lambda d: d.update(version=2), "version: 1 was expected"),
        (lambda d: d.pop("horizon"), "instance: 'horizon' is a required property"),
        (
            lambda d: d["requests"][0].update(roles=[]),
            "requests[0] (id 'r-1').roles: [] should be non-empty",
        ),
    ],
)
def test_schema_errors(change: Any, expected: str) -> None:
    document = instance([person("kp-1")], [request("r-1")])
    change(document)
    assert any(m.startswith(expected) for m in messages(document)), messages(document)


def test_semantic_errors_duplicates_times_and_offsets() -> None:
    people = [
        person("kp-1"),
        person("kp-1"),
        person("kp-2", availability=[{"start": "2026-12-08T09:00", "end": at("12:00")}]),
    ]
    requests = [request("r-1", start="16:00", end="14:00"), request("r-2")]
    requests[1]["start"] = "nonsense"
    found = messages(instance(people, requests))
    assert "key_persons[1] (id 'kp-1').id: duplicate id, also key_persons[0]" in found
    assert any(
        m.startswith(
            "key_persons[2] (id 'kp-2').availability[0].start: '2026-12-08T09:00' has no UTC offset"
        )
        for m in found
    )
    assert any(
        m.startswith("requests[0] (id 'r-1').end:") and "is not after start" in m for m in found
    )
    assert any(
        m.startswith("requests[1] (id 'r-2').start: 'nonsense' is not a date-time") for m in found
    )


def test_windows_outside_the_horizon_are_fine() -> None:
    loaded = load_instance(
        instance(
            [
                person(
                    "kp-1",
                    availability=[
                        {"start": at("09:00", "2027-03-01"), "end": at("12:00", "2027-03-01")}
                    ],
                )
            ],
            [],
        )
    )
    assert loaded.key_persons[0].availability


def test_a_language_listed_twice_is_rejected() -> None:
    found = messages(
        instance(
            [person("kp-1", languages=[{"code": "so", "level": 3}, {"code": "so", "level": 5}])], []
        )
    )
    assert found == ["key_persons[0] (id 'kp-1').languages[1].code: 'so' is listed twice"]


def test_strict_json_and_a_readable_summary() -> None:
    with pytest.raises(InstanceError, match="NaN is not valid JSON"):
        parse_json('{"version": NaN}')
    with pytest.raises(InstanceError, match="invalid JSON at line 1"):
        parse_json('{"version": ')
    error = InstanceError(["a", "b", "c"])
    assert error.summary() == "a (and 2 more problems)"


def test_instance_round_trip() -> None:
    document = generate(key_persons=12, requests=20, seed=4)
    loaded = load_instance(document)
    again = instance_to_dict(loaded)
    assert schema_errors(again, "instance") == []
    assert load_instance(json.loads(json.dumps(again))) == loaded


def test_weights_from_dict() -> None:
    weights = Weights.from_dict({"fill": 80, "load_penalty_max": 0})
    assert (
        weights.fill == 80.0
        and weights.load_penalty_max == 0.0
        and weights.per_role == DEFAULT_WEIGHTS.per_role
    )
    assert Weights.from_dict(weights.to_dict()) == weights
    assert Weights.from_dict({}, base=weights) == weights
    with pytest.raises(WeightsError, match="unknown weight 'speed'"):
        Weights.from_dict({"speed": 1})
    with pytest.raises(WeightsError, match="weight 'fill' must be a finite number >= 0, got -1"):
        Weights.from_dict({"fill": -1})
    with pytest.raises(WeightsError, match="weight 'fill' must be a number"):
        Weights.from_dict({"fill": True})
    with pytest.raises(WeightsError, match="must be a finite number"):
        Weights.from_dict({"fill": float("inf")})


def test_check_reports_plan_schema_errors_by_field() -> None:
    from sleutelnet.matching.check import check

    inst = load_instance(instance([person("kp-1")], [request("r-1")]))
    bad = {"assignments": [{"request": "r-1", "key_person": "kp-1", "weight": -1, "reasons": []}],
           "unfilled": [], "objective": 0, "weights": []}  # fmt: skip
    assert check(inst, bad) == [
        "plan.assignments[0].weight: -1 is less than or equal to the minimum of 0"
    ]
    assert check(inst, []) == ["plan: [] is not of type 'object'"]
