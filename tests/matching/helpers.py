"""Small hand-made instances for the planner tests (dicts in the contract's JSON form)."""

from __future__ import annotations

import copy
from typing import Any

TUESDAY = "2026-12-08"  # a Tuesday


def at(time: str, day: str = TUESDAY) -> str:
    return f"{day}T{time}:00+01:00"


def person(id: str, **kw: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "id": id,
        "status": "active",
        "gender": "f",
        "languages": [{"code": "so", "level": 4}, {"code": "nl", "level": 3}],
        "roles": ["translator"],
        "municipalities": ["GM0222"],
        "availability": [{"start": at("09:00"), "end": at("21:00")}],
        "capacity_hours": 10,
        "vog_valid_until": "2027-06-01",
    }
    values.update(kw)
    return values


def request(id: str, start: str = "14:00", end: str = "16:00", **kw: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "id": id,
        "municipality": "GM0222",
        "start": at(start),
        "end": at(end),
        "language": "so",
        "roles": ["translator"],
    }
    values.update(kw)
    return values


def instance(
    people: list[dict[str, Any]], requests: list[dict[str, Any]], **kw: Any
) -> dict[str, Any]:
    values: dict[str, Any] = {
        "version": 1,
        "horizon": {"start": at("00:00", "2026-12-07"), "end": at("00:00", "2026-12-14")},
        "key_persons": copy.deepcopy(people),
        "requests": copy.deepcopy(requests),
    }
    values.update(kw)
    return values


def without_timings(document: Any) -> Any:
    """The plan with every `seconds*` entry removed (the only fields that vary between runs)."""
    if isinstance(document, dict):
        return {k: without_timings(v) for k, v in document.items() if not k.startswith("seconds")}
    if isinstance(document, list):
        return [without_timings(v) for v in document]
    return document
