"""Bad input on the command line: one clear line naming the record and the field, exit code 2,
nothing on stdout, never a traceback (docs/matching.md, "Command line").

Run as a user would (subprocess), for each kind of bad input the issue names: an instance that
breaks the schema, inverted times, a language code that does not exist, a plan with unknown ids;
and, in process, random damage to a valid instance (hypothesis), which must give exit 0 or 2.
"""

from __future__ import annotations

import contextlib
import copy
import io
import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sleutelnet.matching.__main__ import main
from sleutelnet.matching.generate import generate
from sleutelnet.matching.io import load_instance, plan_to_dict
from sleutelnet.matching.languages import KNOWN_LANGUAGES, tag_problem
from sleutelnet.matching.plan import plan

BASE = generate(key_persons=6, requests=8, municipalities=1, languages=3, seed=5)


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "sleutelnet.matching", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def assert_bad_input(result: subprocess.CompletedProcess[str], expected: str) -> None:
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode == 2, (result.returncode, result.stdout, result.stderr)
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith("python -m sleutelnet.matching: error: ")
    assert expected in lines[0], lines[0]


def _swap(record: dict[str, Any]) -> None:
    record["start"], record["end"] = record["end"], record["start"]


def _set(path: tuple[str | int, ...], value: Any) -> Callable[[dict[str, Any]], None]:
    def change(document: dict[str, Any]) -> None:
        node: Any = document
        for step in path[:-1]:
            node = node[step]
        node[path[-1]] = value

    return change


BAD_INSTANCES: dict[str, tuple[Callable[[dict[str, Any]], None], str]] = {
    "schema: a level out of range": (
        _set(("key_persons", 3, "languages", 0, "level"), 7),
        "input bad.json: key_persons[3] (id 'kp-003').languages[0].level: 7 is greater than the maximum of 5",
    ),
    "schema: a required field missing": (
        lambda d: d["requests"][2].pop("roles"),
        "requests[2] (id 'r-0002'): 'roles' is a required property",
    ),
    "schema: a field of the wrong type": (
        _set(("key_persons", 1, "capacity_hours"), "ten"),
        "key_persons[1] (id 'kp-001').capacity_hours: 'ten' is not of type 'number'",
    ),
    "schema: not an object at all": (
        lambda d: d.clear(),
        "input bad.json: instance: 'horizon' is a required property (and 3 more problems)",
    ),
    "inverted times of a request": (
        lambda d: _swap(d["requests"][1]),
        "requests[1] (id 'r-0001').end: ",
    ),
    "inverted availability window": (
        lambda d: _swap(d["key_persons"][2]["availability"][0]),
        "key_persons[2] (id 'kp-002').availability[0].end: ",
    ),
    "inverted horizon": (lambda d: _swap(d["horizon"]), "horizon.end: "),
    "a time without offset": (
        _set(("requests", 0, "start"), "2026-12-08T14:00:00"),
        "requests[0] (id 'r-0000').start: '2026-12-08T14:00:00' has no UTC offset",
    ),
    "a language code that does not exist (request)": (
        _set(("requests", 4, "language"), "xx"),
        "requests[4] (id 'r-0004').language: 'xx' is not a known language code",
    ),
    "a language code that does not exist (key person)": (
        _set(("key_persons", 1, "languages", 0, "code"), "klingon"),
        "key_persons[1] (id 'kp-001').languages[0].code: 'klingon' is not a language tag",
    ),
    "a dialect in capitals": (
        _set(("requests", 3, "language"), "AR-Syrian"),
        "requests[3] (id 'r-0003').language: 'AR-Syrian' is not a language tag: write 'ar-syrian'",
    ),
    "a number too large for a float": (
        _set(("key_persons", 0, "capacity_hours"), 10**400),
        "key_persons[0] (id 'kp-000').capacity_hours: the number is too large",
    ),
    "a duplicate id": (
        _set(("requests", 5, "id"), "r-0001"),
        "requests[5] (id 'r-0001').id: duplicate id, also requests[1]",
    ),
}


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("bad")
    (path / "instance.json").write_text(json.dumps(BASE))
    result = plan_to_dict(plan(load_instance(BASE)))
    (path / "plan.json").write_text(json.dumps(result))
    return path


@pytest.mark.parametrize("case", sorted(BAD_INSTANCES))
def test_bad_instances_exit_2_with_one_line(folder: Path, case: str) -> None:
    change, expected = BAD_INSTANCES[case]
    document = copy.deepcopy(BASE)
    change(document)
    (folder / "bad.json").write_text(json.dumps(document))
    assert_bad_input(run("plan", "--input", "bad.json", cwd=folder), expected)
    assert_bad_input(
        run("check", "--input", "bad.json", "--plan", "plan.json", cwd=folder), expected
    )


def test_a_bad_instance_is_refused_by_rank_too(folder: Path) -> None:
    document = copy.deepcopy(BASE)
    document["requests"][4]["language"] = "xx"
    (folder / "bad-rank.json").write_text(json.dumps(document))
    result = run("rank", "--input", "bad-rank.json", "--request", "r-0000", cwd=folder)
    assert_bad_input(
        result, "requests[4] (id 'r-0004').language: 'xx' is not a known language code"
    )


BAD_PLANS: dict[str, tuple[Callable[[dict[str, Any]], None], str]] = {
    "an unknown request in an assignment": (
        lambda p: p["assignments"][0].update(request="r-9999"),
        "plan bad-plan.json: assignments[0].request: unknown request 'r-9999'",
    ),
    "an unknown key person in the weights": (
        lambda p: p["weights"][1].update(key_person="kp-x"),
        "plan bad-plan.json: weights[1].key_person: unknown key person 'kp-x'",
    ),
    "an unknown request among the unfilled": (
        lambda p: p["unfilled"].append(
            {"request": "r-x", "missing": 1, "reason": "?", "binding": "busy"}
        ),
        "unfilled[",
    ),
    "a plan that breaks its schema": (
        lambda p: p.pop("objective"),
        "plan bad-plan.json: plan: 'objective' is a required property",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_PLANS))
def test_bad_plans_exit_2_with_one_line(folder: Path, case: str) -> None:
    change, expected = BAD_PLANS[case]
    document = json.loads((folder / "plan.json").read_text())
    assert document["assignments"] and len(document["weights"]) > 1
    change(document)
    (folder / "bad-plan.json").write_text(json.dumps(document))
    result = run("check", "--input", "instance.json", "--plan", "bad-plan.json", cwd=folder)
    assert_bad_input(result, expected)
    if "unknown" in case:
        assert "unknown" in result.stderr


def test_an_invalid_but_well_formed_plan_is_exit_1_not_2(folder: Path) -> None:
    document = json.loads((folder / "plan.json").read_text())
    document["objective"] += 1
    (folder / "off-plan.json").write_text(json.dumps(document))
    result = run("check", "--input", "instance.json", "--plan", "off-plan.json", cwd=folder)
    assert result.returncode == 1 and "is not the sum of the assigned weights" in result.stdout


def test_language_tags() -> None:
    assert {"nl", "ar", "ti", "prs", "kmr", "ckb", "so", "uk", "ff", "lg"} <= KNOWN_LANGUAGES
    for good in ("ar", "ar-syrian", "ar-yemeni", "prs", "kmr", "ti"):
        assert tag_problem(good) is None
    assert "not a known language code" in str(tag_problem("xx"))
    assert "not a known language code" in str(tag_problem("tir-eritrean"))
    assert "write 'ti'" in str(tag_problem("TI"))
    for bad in ("", "a", "ar_syrian", "ar-", "ar-Syrian1", "ar-syrian-old", " ar"):
        assert tag_problem(bad), bad


# --- random damage: exit 0 or 2, never an exception -----------------------------------------------

JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=12)
    | st.sampled_from(("xx", "ar-Syrian", "2026-12-08T14:00:00", "2026-13-40", "", "GM0222")),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=6,
)


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix] if prefix else []
    if isinstance(node, dict):
        for key, value in node.items():
            found += _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += _paths(value, (*prefix, index))
    return found


SMALL = generate(key_persons=3, requests=4, seed=2)
PATHS = _paths(SMALL)


@given(st.lists(st.tuples(st.sampled_from(PATHS), JSON_VALUES), min_size=1, max_size=3))
def test_random_damage_gives_exit_0_or_2_and_never_raises(
    tmp_path_factory: pytest.TempPathFactory, damage: list[tuple[tuple[Any, ...], Any]]
) -> None:
    document = copy.deepcopy(SMALL)
    for path, value in damage:
        node: Any = document
        try:
            for step in path[:-1]:
                node = node[step]
            node[path[-1]] = value
        except (KeyError, IndexError, TypeError):  # an earlier change removed the path
            continue
    folder = tmp_path_factory.mktemp("damage", numbered=True)
    (folder / "instance.json").write_text(json.dumps(document))
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["plan", "--input", str(folder / "instance.json"), "--time-limit", "5"])
    assert code in (0, 2), err.getvalue()
    if code == 2:
        assert len(err.getvalue().strip().splitlines()) == 1 and out.getvalue() == ""
    else:
        assert json.loads(out.getvalue())["stats"]["status"]
