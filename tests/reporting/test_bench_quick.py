"""The reporting benchmark cannot rot: `bench/run.py --bench reporting --quick` generates a tiny
country into a database of its own (dropped afterwards), rebuilds the rollups, measures figures(),
the page and DuckDB, and writes every key. It needs PostgreSQL (BENCH_PG_URL, by default the local
server) and duckdb; without them it is skipped, saying which is missing. It never touches the test
database: the benchmark makes and drops `sleutelnet_bench_quick_<pid>` beside it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))

import reporting as reporting_bench  # noqa: E402 - bench/reporting.py, found through the sys.path above

REASON = reporting_bench.unavailable()


@pytest.mark.skipif(REASON is not None, reason=f"reporting benchmark needs PostgreSQL and duckdb: {REASON}")
def test_quick_reporting_benchmark_writes_the_results_and_the_table(tmp_path: Path) -> None:
    readme = tmp_path / "README.md"
    readme.write_text("# Benchmarks\n\nkept\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "run.py"), "--bench", "reporting", "--quick", "--quiet",
         "--out", str(tmp_path), "--readme", str(readme)],
        capture_output=True, text=True, timeout=120, check=False, cwd=tmp_path,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    document = json.loads((tmp_path / "reporting.json").read_text(encoding="utf-8"))

    assert document["benchmark"] == "reporting" and document["quick"] is True
    assert {"cpu", "cores", "python", "postgresql", "duckdb", "date", "load_average_start", "load_average_end"} <= set(
        document["machine"]
    )
    assert {"seed", "spec", "warmup", "repetitions", "database"} <= set(document["settings"])
    assert document["settings"]["kept"] is False
    assert document["generation"]["steps"] and document["generation"]["seconds"] > 0
    assert document["rebuild"]["seconds"] > 0 and set(document["rebuild"]["rows"]) == {
        "reports", "requests", "newcomers", "key_persons", "region_rollups", "period_counts", "key_person_periods",
    }  # fmt: skip
    tables = document["data"]["tables"]
    assert tables["deployments_activityreport"]["rows"] > 15_000
    assert tables["reporting_rollup"]["rows"] > 0 and tables["reporting_rollup"]["bytes"] > 0
    assert set(document["cases"]) == {"region", "national"}
    for name, case in document["cases"].items():
        for part in ("figures", "duckdb", "raw_postgres_totals"):
            assert {"median_ms", "p95_ms", "runs_ms"} <= set(case[part]), (name, part)
        assert case["reports_in_period"] > 0, name
        # The reference and the product compute the same figures from the same raw records.
        assert case["duckdb_matches_figures"] is True, (name, case["differences"])
        assert case["raw_postgres_totals"]["matches_figures"] is True, name
        assert case["ratio_ours_to_duckdb"] is not None, name
        assert "available" in case["page"], name
        if case["page"]["available"]:
            assert case["page"]["median_ms"] > 0 and case["page"]["period_checked"] is not False, name
    targets = {t["target"]: t for t in document["targets"]}
    assert len(targets) >= 6 and all({"measured", "limit", "pass"} <= set(t) for t in targets.values())

    text = readme.read_text(encoding="utf-8")
    assert text.startswith("# Benchmarks\n\nkept\n")
    assert "<!-- reporting-results:begin" in text and "<!-- reporting-results:end -->" in text
    assert "| query | ours (PG rollups) | DuckDB raw | ratio |" in text

    # Nothing is left behind on the server.
    assert not reporting_bench._database_exists(document["settings"]["database"])
