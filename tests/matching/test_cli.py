"""The command line of the contract, run as a user would: plan -> check, tampering, bad input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from sleutelnet.matching.generate import generate
from tests.matching.helpers import without_timings


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "sleutelnet.matching", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("cli")
    (path / "instance.json").write_text(json.dumps(generate(key_persons=30, requests=70, seed=2)))
    return path


@pytest.fixture(scope="module")
def planned(folder: Path) -> dict[str, Any]:
    result = run("plan", "--input", "instance.json", "--output", "plan.json", cwd=folder)
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    assert "assignments" in result.stderr and "plan.json" in result.stderr
    document: dict[str, Any] = json.loads((folder / "plan.json").read_text())
    return document


def test_plan_then_check_is_valid(folder: Path, planned: dict[str, Any]) -> None:
    assert planned["assignments"] and planned["stats"]["solver"] in ("highs", "greedy")
    result = run("check", "--input", "instance.json", "--plan", "plan.json", cwd=folder)
    assert (result.returncode, result.stdout.strip()) == (0, "valid"), result.stdout + result.stderr


def test_plan_on_stdout_is_the_same_plan(folder: Path, planned: dict[str, Any]) -> None:
    result = run("plan", "--input", "instance.json", cwd=folder)
    assert result.returncode == 0, result.stderr
    assert without_timings(json.loads(result.stdout)) == without_timings(planned)


def test_a_tampered_plan_fails_the_check(folder: Path, planned: dict[str, Any]) -> None:
    tampered = json.loads(json.dumps(planned))
    first = tampered["assignments"][0]
    twin = dict(first)
    tampered["assignments"].append(twin)  # the same pair twice
    first["weight"] = first["weight"] + 5
    (folder / "tampered.json").write_text(json.dumps(tampered))
    result = run("check", "--input", "instance.json", "--plan", "tampered.json", cwd=folder)
    assert result.returncode == 1
    pair = f"({first['request']}, {first['key_person']})"
    assert f"{pair}: the same pair is assigned twice (constraint 8)" in result.stdout
    assert "differs from the engine's weight" in result.stdout
    assert "is not the sum of the assigned weights" in result.stdout
    assert result.stdout.strip().splitlines()[-1].startswith("invalid:")


def test_schema_invalid_input_exits_2_naming_the_field(folder: Path) -> None:
    document = generate(key_persons=5, requests=5, seed=1)
    document["key_persons"][3]["languages"][0]["level"] = 7
    (folder / "bad.json").write_text(json.dumps(document))
    for command in (
        ["plan", "--input", "bad.json"],
        ["rank", "--input", "bad.json", "--request", "r-0000"],
    ):
        result = run(*command, cwd=folder)
        assert result.returncode == 2
        assert result.stdout == ""
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and "Traceback" not in result.stderr
        assert (
            "key_persons[3] (id 'kp-003').languages[0].level: 7 is greater than the maximum of 5"
            in lines[0]
        )


def test_errors_are_one_line_and_exit_2(folder: Path) -> None:
    (folder / "broken.json").write_text('{"version": 1,')
    cases = [
        (["plan", "--input", "missing.json"], "input missing.json: no such file"),
        (["plan", "--input", "broken.json"], "invalid JSON at line 1"),
        (["rank", "--input", "instance.json", "--request", "nope"], "unknown request 'nope'"),
        (
            ["check", "--input", "instance.json", "--plan", "missing.json"],
            "plan missing.json: no such file",
        ),
        (["plan"], "required: --input"),
    ]
    for args, expected in cases:
        result = run(*args, cwd=folder)
        lines = result.stderr.strip().splitlines()
        assert result.returncode == 2 and len(lines) == 1 and expected in lines[0], (
            args,
            result.stderr,
        )


def test_rank_and_why_not(folder: Path, planned: dict[str, Any]) -> None:
    pick = planned["assignments"][0]
    result = run(
        "rank", "--input", "instance.json", "--request", pick["request"], "--top", "3", cwd=folder
    )
    assert result.returncode == 0, result.stderr
    ranked = json.loads(result.stdout)
    assert 1 <= len(ranked["candidates"]) <= 3
    weights = [c["weight"] for c in ranked["candidates"]]
    assert weights == sorted(weights, reverse=True)
    assert all(c["reasons"] for c in ranked["candidates"])
    listed = {(w["request"], w["key_person"]): w["weight"] for w in planned["weights"]}
    assert all(
        listed[(pick["request"], c["key_person"])] == c["weight"] for c in ranked["candidates"]
    )

    instance = json.loads((folder / "instance.json").read_text())
    outsider = next(
        kp["id"] for kp in instance["key_persons"] if (pick["request"], kp["id"]) not in listed
    )
    result = run(
        "rank",
        "--input",
        "instance.json",
        "--request",
        pick["request"],
        "--why-not",
        outsider,
        cwd=folder,
    )
    why = json.loads(result.stdout)
    assert result.returncode == 0 and why["feasible"] is False and why["violations"]
    result = run(
        "rank",
        "--input",
        "instance.json",
        "--request",
        pick["request"],
        "--why-not",
        pick["key_person"],
        cwd=folder,
    )
    why = json.loads(result.stdout)
    assert why["feasible"] is True and why["violations"] == [] and why["position"] >= 1
