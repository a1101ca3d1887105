"""The benchmark cannot rot: `bench/run.py --quick` runs on tiny sizes and writes every key."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_quick_benchmark_writes_the_results_and_the_table(tmp_path: Path) -> None:
    readme = tmp_path / "README.md"
    readme.write_text("# Benchmarks\n\nkept\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "run.py"), "--bench", "matching", "--quick", "--quiet",
         "--out", str(tmp_path), "--readme", str(readme)],
        capture_output=True, text=True, timeout=120, check=False, cwd=tmp_path,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    document = json.loads((tmp_path / "matching.json").read_text(encoding="utf-8"))

    assert document["benchmark"] == "matching" and document["quick"] is True
    assert {
        "cpu",
        "cores",
        "python",
        "highspy",
        "date",
        "load_average_start",
        "load_average_end",
    } <= set(document["machine"])
    assert {"seed", "warmup", "repetitions", "plan", "exact", "sizes"} <= set(document["settings"])
    assert set(document["sizes"]) == {"S", "M", "L", "N"}
    for name, size in document["sizes"].items():
        assert {"key_persons", "requests", "municipalities", "feasible_pairs", "components"} <= set(
            size
        )
        assert {"seconds_median", "seconds_runs", "objective", "status", "assignments"} <= set(
            size["plan"]
        )
        assert {"seconds_median", "objective", "objective_ratio_plan_to_greedy"} <= set(
            size["greedy"]
        )
        assert {"status", "objective", "lp_bound", "planner_bound"} <= set(size["exact"])
        assert {"plan_to_optimum", "greedy_to_optimum", "basis"} <= set(size["quality"])
        assert {"plan", "greedy", "max", "basis", "plan_to_max"} <= set(size["fill"])
        assert {"key_persons", "samples", "p50_ms", "p95_ms", "p95_ms_with_infeasible"} <= set(
            size["rank"]
        )
        # Tiny instances are solved exactly, so the figures must agree with each other.
        assert size["exact"]["status"] == "optimal", name
        assert size["quality"]["plan_to_optimum"] >= 0.9999, name
        assert size["quality"]["greedy_to_optimum"] <= 1.000001, name
        assert size["fill"]["plan"] <= size["fill"]["max"], name
    targets = {t["target"]: t for t in document["targets"]}
    assert len(targets) == 6 and all(
        {"measured", "limit", "pass"} <= set(t) for t in targets.values()
    )

    text = readme.read_text(encoding="utf-8")
    assert text.startswith("# Benchmarks\n\nkept\n")
    assert "<!-- matching-results:begin" in text and "<!-- matching-results:end -->" in text
    assert "| target | measured | result |" in text and "PASS" in text
