"""JSON in and out: an instance (instance.schema.json) into `types`, a plan into plan.schema.json.

Bad input is rejected with `InstanceError`, whose messages name the record and the field, e.g.
``key_persons[3] (id 'kp-7').languages[0].level: 7 is greater than the maximum of 5``; never a
traceback. The schema is checked first (jsonschema, Draft 2020-12), then what a schema cannot
say: date-times with an offset, end after start, unique ids, known language codes
(`languages.tag_problem`).
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Iterable, Mapping, Sequence
from functools import cache
from importlib import resources
from typing import Any

from sleutelnet.matching.languages import tag_problem
from sleutelnet.matching.types import Instance, KeyPerson, Plan, Request, Window

MAX_MESSAGES = 50


class InstanceError(ValueError):
    """An instance (or plan) that breaks the contract; `messages` has one line per problem."""

    def __init__(self, messages: Sequence[str]) -> None:
        self.messages = list(messages)
        super().__init__(self.summary())

    def summary(self) -> str:
        """One line: the first problem, and how many more there are."""
        if not self.messages:
            return "invalid input"
        more = len(self.messages) - 1
        return self.messages[0] + (
            f" (and {more} more problem{'s' if more > 1 else ''})" if more else ""
        )


@cache
def schema(name: str) -> dict[str, Any]:
    """The contract's schema `instance` or `plan`, as shipped with the package."""
    text = resources.files("sleutelnet.matching").joinpath(f"{name}.schema.json").read_text("utf-8")
    loaded: dict[str, Any] = json.loads(text)
    return loaded


def location(path: Iterable[str | int], document: object, root: str = "instance") -> str:
    """A readable path: `key_persons[3] (id 'kp-7').languages[0].level`.

    An array element that is an object with a string `id` is named by that id as well.
    """
    out = ""
    node: object = document
    for step in path:
        if isinstance(step, int):
            out += f"[{step}]"
            node = node[step] if isinstance(node, list) and 0 <= step < len(node) else None
            if isinstance(node, dict) and isinstance(node.get("id"), str):
                out += f" (id {node['id']!r})"
        else:
            out += f".{step}" if out else step
            node = node.get(step) if isinstance(node, dict) else None
    return out or root


def _sort_key(path: Iterable[str | int]) -> tuple[tuple[int, int, str], ...]:
    return tuple((0, step, "") if isinstance(step, int) else (1, 0, step) for step in path)


def schema_errors(document: object, name: str) -> list[str]:
    """Every way `document` breaks the schema `name`, as `location: message`, in document order."""
    from jsonschema import Draft202012Validator

    validator = Draft202012Validator(schema(name))
    found = []
    for error in validator.iter_errors(document):
        path = list(error.absolute_path)
        found.append((_sort_key(path), f"{location(path, document, name)}: {error.message}"))
    found.sort()
    return [message for _, message in found]


# --- instance -----------------------------------------------------------------------------------


class _Reader:
    """Converts values and collects semantic problems with their location."""

    def __init__(self, document: Mapping[str, Any]) -> None:
        self.document = document
        self.problems: list[str] = []

    def where(self, *path: str | int) -> str:
        return location(path, self.document)

    def datetime(self, value: str, *path: str | int) -> dt.datetime | None:
        try:
            moment = dt.datetime.fromisoformat(value)
        except ValueError:
            self.problems.append(
                f"{self.where(*path)}: {value!r} is not a date-time "
                "(ISO 8601 with offset, e.g. 2026-12-01T14:00:00+01:00)"
            )
            return None
        if moment.tzinfo is None or moment.utcoffset() is None:
            self.problems.append(
                f"{self.where(*path)}: {value!r} has no UTC offset (write e.g. {value}+01:00)"
            )
            return None
        return moment

    def date(self, value: str, *path: str | int) -> dt.date | None:
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            self.problems.append(f"{self.where(*path)}: {value!r} is not a date (YYYY-MM-DD)")
            return None

    def window(self, data: Mapping[str, Any], *path: str | int) -> Window | None:
        start = self.datetime(data["start"], *path, "start")
        end = self.datetime(data["end"], *path, "end")
        if start is None or end is None:
            return None
        if end <= start:
            self.problems.append(
                f"{self.where(*path, 'end')}: {data['end']!r} is not after start {data['start']!r}"
            )
            return None
        return Window(start, end)

    def number(self, value: float, *path: str | int) -> float:
        try:
            converted = float(value)
        except OverflowError:  # an integer beyond the range of a float
            self.problems.append(f"{self.where(*path)}: the number is too large")
            return 0.0
        if not math.isfinite(converted):
            self.problems.append(f"{self.where(*path)}: {value!r} is not a finite number")
            return 0.0
        return converted


def _key_person(r: _Reader, data: Mapping[str, Any], i: int) -> KeyPerson | None:
    here = ("key_persons", i)
    languages: dict[str, int] = {}
    for j, lang in enumerate(data["languages"]):
        code = lang["code"]
        problem = tag_problem(code)
        if problem:
            r.problems.append(f"{r.where(*here, 'languages', j, 'code')}: {problem}")
        elif code in languages:
            r.problems.append(f"{r.where(*here, 'languages', j, 'code')}: {code!r} is listed twice")
        languages[code] = int(lang["level"])
    windows = [r.window(w, *here, "availability", j) for j, w in enumerate(data["availability"])]
    vog_raw = data.get("vog_valid_until")
    vog = r.date(vog_raw, *here, "vog_valid_until") if vog_raw is not None else None
    history = data.get("history", {})
    capacity = r.number(data["capacity_hours"], *here, "capacity_hours")
    load = r.number(data.get("load_hours_last_30d", 0.0), *here, "load_hours_last_30d")
    if any(w is None for w in windows):
        return None
    return KeyPerson(
        id=data["id"],
        status=data["status"],
        languages=languages,
        roles=frozenset(data["roles"]),
        municipalities=frozenset(data["municipalities"]),
        availability=tuple(
            sorted((w for w in windows if w is not None), key=lambda w: (w.start, w.end))
        ),
        capacity_hours=capacity,
        life_domains=frozenset(data.get("life_domains", ())),
        gender=data.get("gender"),
        vog_valid_until=vog,
        load_hours_last_30d=load,
        history_newcomers=frozenset(history.get("newcomers", ())),
        history_organisations=frozenset(history.get("organisations", ())),
    )


def _request(r: _Reader, data: Mapping[str, Any], i: int) -> Request | None:
    problem = tag_problem(data["language"])
    if problem:
        r.problems.append(f"{r.where('requests', i, 'language')}: {problem}")
    window = r.window(data, "requests", i)
    if window is None or problem:
        return None
    return Request(
        id=data["id"],
        municipality=data["municipality"],
        start=window.start,
        end=window.end,
        language=data["language"],
        roles=frozenset(data["roles"]),
        life_domains=frozenset(data.get("life_domains", ())),
        kind=data.get("kind"),
        gender_preference=data.get("gender_preference"),
        gender_required=bool(data.get("gender_required", False)),
        requires_vog=bool(data.get("requires_vog", False)),
        key_persons_needed=int(data.get("key_persons_needed", 1)),
        priority=int(data.get("priority", 2)),
        newcomer=data.get("newcomer"),
        organisation=data.get("organisation"),
        excluded_key_persons=frozenset(data.get("excluded_key_persons", ())),
    )


def _duplicates(r: _Reader, records: Sequence[Mapping[str, Any]], kind: str) -> None:
    first: dict[str, int] = {}
    for i, record in enumerate(records):
        ident = record["id"]
        if ident in first:
            r.problems.append(
                f"{r.where(kind, i, 'id')}: duplicate id, also {kind}[{first[ident]}]"
            )
        else:
            first[ident] = i


def load_instance(document: object) -> Instance:
    """Validate a parsed JSON instance and convert it; raises `InstanceError` on any problem."""
    problems = schema_errors(document, "instance")
    if problems:
        raise InstanceError(problems[:MAX_MESSAGES])
    assert isinstance(document, dict)  # the schema says so
    r = _Reader(document)
    horizon = r.window(document["horizon"], "horizon")
    _duplicates(r, document["key_persons"], "key_persons")
    _duplicates(r, document["requests"], "requests")
    people = [_key_person(r, kp, i) for i, kp in enumerate(document["key_persons"])]
    requests = [_request(r, rq, i) for i, rq in enumerate(document["requests"])]
    if r.problems or horizon is None:
        raise InstanceError(r.problems[:MAX_MESSAGES] or ["horizon: invalid"])
    return Instance(
        horizon=horizon,
        key_persons=tuple(kp for kp in people if kp is not None),
        requests=tuple(rq for rq in requests if rq is not None),
        min_language_level=int(document.get("min_language_level", 3)),
        version=int(document["version"]),
    )


def parse_json(text: str, what: str = "input") -> object:
    """Parse JSON text strictly (no NaN or Infinity); raises `InstanceError` with line and column."""

    def no_constant(name: str) -> object:
        raise ValueError(f"{name} is not valid JSON")

    try:
        return json.loads(text, parse_constant=no_constant)
    except json.JSONDecodeError as exc:
        raise InstanceError(
            [f"{what}: invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}"]
        ) from None
    except ValueError as exc:
        raise InstanceError([f"{what}: invalid JSON: {exc}"]) from None
    except RecursionError:
        raise InstanceError([f"{what}: invalid JSON: nested too deeply"]) from None


# --- out ----------------------------------------------------------------------------------------


def _iso(moment: dt.datetime) -> str:
    return moment.isoformat()


def instance_to_dict(instance: Instance) -> dict[str, Any]:
    """The contract's JSON form of an instance (the inverse of `load_instance`)."""
    people = []
    for kp in instance.key_persons:
        item: dict[str, Any] = {
            "id": kp.id,
            "status": kp.status,
            "languages": [{"code": c, "level": lvl} for c, lvl in sorted(kp.languages.items())],
            "roles": sorted(kp.roles),
            "municipalities": sorted(kp.municipalities),
            "availability": [{"start": _iso(w.start), "end": _iso(w.end)} for w in kp.availability],
            "capacity_hours": kp.capacity_hours,
        }
        if kp.gender:
            item["gender"] = kp.gender
        if kp.life_domains:
            item["life_domains"] = sorted(kp.life_domains)
        item["vog_valid_until"] = kp.vog_valid_until.isoformat() if kp.vog_valid_until else None
        if kp.load_hours_last_30d:
            item["load_hours_last_30d"] = kp.load_hours_last_30d
        if kp.history_newcomers or kp.history_organisations:
            item["history"] = {
                "newcomers": sorted(kp.history_newcomers),
                "organisations": sorted(kp.history_organisations),
            }
        people.append(item)
    requests = []
    for rq in instance.requests:
        entry: dict[str, Any] = {
            "id": rq.id,
            "municipality": rq.municipality,
            "start": _iso(rq.start),
            "end": _iso(rq.end),
            "language": rq.language,
            "roles": sorted(rq.roles),
        }
        optional: dict[str, Any] = {
            "kind": rq.kind,
            "life_domains": sorted(rq.life_domains) or None,
            "gender_preference": rq.gender_preference,
            "gender_required": rq.gender_required or None,
            "requires_vog": rq.requires_vog or None,
            "key_persons_needed": rq.key_persons_needed if rq.key_persons_needed != 1 else None,
            "priority": rq.priority if rq.priority != 2 else None,
            "newcomer": rq.newcomer,
            "organisation": rq.organisation,
            "excluded_key_persons": sorted(rq.excluded_key_persons) or None,
        }
        entry.update({k: v for k, v in optional.items() if v is not None})
        requests.append(entry)
    out: dict[str, Any] = {
        "version": instance.version,
        "horizon": {"start": _iso(instance.horizon.start), "end": _iso(instance.horizon.end)},
    }
    if instance.min_language_level != 3:
        out["min_language_level"] = instance.min_language_level
    out["key_persons"] = people
    out["requests"] = requests
    return out


def plan_to_dict(plan: Plan) -> dict[str, Any]:
    """The contract's JSON form of a plan (plan.schema.json); lists are sorted by ids."""
    return {
        "assignments": [
            {
                "request": a.request_id,
                "key_person": a.key_person_id,
                "weight": a.weight,
                "reasons": [reason.text for reason in a.reasons],
            }
            for a in plan.assignments
        ],
        "unfilled": [
            {
                "request": u.request_id,
                "missing": u.missing,
                "reason": u.reason,
                "binding": u.binding,
            }
            for u in plan.unfilled
        ],
        "objective": plan.objective,
        "weights": [
            {"request": w.request_id, "key_person": w.key_person_id, "weight": w.weight}
            for w in plan.weights
        ],
        "stats": plan.stats,
    }


def plan_from_dict(document: object) -> dict[str, Any]:
    """Check a parsed plan against plan.schema.json; raises `InstanceError` naming the field."""
    problems = schema_errors(document, "plan")
    if problems:
        raise InstanceError(problems[:MAX_MESSAGES])
    assert isinstance(document, dict)
    return document


__all__ = [
    "InstanceError",
    "instance_to_dict",
    "load_instance",
    "parse_json",
    "plan_from_dict",
    "plan_to_dict",
    "schema",
    "schema_errors",
]
