"""The load benchmark cannot rot: `bench/run.py --bench load --quick` generates a tiny country
into a database of its own (dropped afterwards), signs the actors in, starts gunicorn in
production mode and drives it with locust for a few seconds, every page, form and API call of
the mix included, and writes every key. It needs PostgreSQL, locust, gunicorn and psutil (the
`bench` extra); without them it is skipped, saying which is missing. Most of its time goes to
migrating and filling the tiny database."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))

import load as load_bench  # noqa: E402 - bench/load.py, found through the sys.path above

REASON = load_bench.unavailable()


@pytest.mark.skipif(REASON is not None, reason=f"load benchmark needs PostgreSQL, locust and gunicorn: {REASON}")
def test_quick_load_benchmark_serves_the_whole_mix_without_an_error(tmp_path: Path) -> None:
    readme = tmp_path / "README.md"
    readme.write_text("# Benchmarks\n\nkept\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "run.py"), "--bench", "load", "--quick", "--quiet",
         "--out", str(tmp_path), "--readme", str(readme)],
        capture_output=True, text=True, timeout=300, check=False, cwd=tmp_path,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    document = json.loads((tmp_path / "load.json").read_text(encoding="utf-8"))

    assert document["benchmark"] == "load" and document["quick"] is True
    assert {"cpu", "cores", "python", "postgresql", "gunicorn", "locust", "load_average_end"} <= set(document["machine"])
    assert document["settings"]["server"]["mode"] == "production"
    assert document["data"]["tables"]["deployments_activityreport"]["rows"] > 1_000
    mix = document["mix"]
    # Every request of the mix got the answer it expects: no lost session, no CSRF refusal, no 500.
    assert mix["all"]["errors"] == 0, mix.get("failures")
    assert mix["kinds"]["read"]["requests"] > 0 and mix["kinds"]["write"]["requests"] > 0
    for part in ("all", "kinds"):
        assert mix[part]
    assert {"p50_ms", "p95_ms", "p99_ms", "rps"} <= set(mix["all"])
    assert {"locust_share", "server_share", "worker_share", "machine_busy_share"} <= set(mix["cpu"])
    # PostgreSQL's share and its client backends' part of it, read when the server runs on this machine
    # (here and in CI it does); a server elsewhere leaves them out.
    if load_bench._postgres_cpu():
        assert 0 < mix["cpu"]["postgres_backends_share"] <= mix["cpu"]["postgres_share"] <= 1
    else:
        assert "postgres_share" not in mix["cpu"]
    slow = document["mix_slow"]  # the same mix at a slower pace
    assert slow["all"]["errors"] == 0 and slow["all"]["requests"] > 0
    # the writes queued figures (production: deferred); the phases waited until the worker had them done
    assert all("figures_backlog_before" in b["minimal"] for b in document["baselines"].values())
    assert document["server_errors_logged"] == 0
    for b in document["baselines"].values():
        assert b["minimal"]["all"]["errors"] == 0 and b["ours"]["all"]["errors"] == 0
        assert b["minimal"]["all"]["requests"] > 0 and b["ours"]["all"]["requests"] > 0 and b["ratio"] > 0
        assert b["minimal_requests"]["all"]["errors"] == 0 and b["minimal_requests"]["all"]["requests"] > 0
        assert b["ratio_same_table"] > 0
    targets = {t["target"] for t in document["targets"]}
    assert any("reads p95" in t for t in targets) and any("throughput" in t for t in targets)

    text = readme.read_text(encoding="utf-8")
    assert text.startswith("# Benchmarks\n\nkept\n")
    assert load_bench.BEGIN in text and load_bench.END in text
    assert "| kind / endpoint | requests | errors |" in text
    assert "The same mix at a slower pace" in text and "**Figures**" in text

    # The server ran on a fresh copy of the data, never on the prepared data itself.
    assert [c["workers"] for c in document["copies"]] == [document["settings"]["server"]["workers"]]
    assert "fresh copy" in text
    # Nothing is left behind on the server: neither the data nor the copy.
    assert not load_bench.reporting._database_exists(document["settings"]["database"])
    assert not load_bench.reporting._database_exists(document["settings"]["database"] + "_run")


def test_postgres_shares_count_only_the_phase_and_never_more_backends_than_all() -> None:
    # 10 s on 2 cores. Background: pid 1 runs on (2 s more), pid 2 ended in the phase (its 5 s are in
    # the total through the postmaster), pid 3 started in the phase (1 s).
    before = {"total": 100.0, "background": {1: 3.0, 2: 5.0}}
    after = {"total": 110.0, "background": {1: 5.0, 3: 1.0}}
    shares = load_bench._postgres_shares(before, after, wall=10.0, cores=2)
    assert shares == {"postgres_share": 0.5, "postgres_backends_share": 0.35}  # (10 - 2 - 1) / 20
    assert load_bench._postgres_shares({}, after, wall=10.0, cores=2) == {}
