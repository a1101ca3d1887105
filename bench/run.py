"""Run the benchmarks of Sleutelnet and write their results (bench/README.md).

    python bench/run.py                     # both, full sizes; bench/results/*.json and the tables in bench/README.md
    python bench/run.py --bench matching    # one of them (matching, reporting, load)
    python bench/run.py --bench reporting --reuse   # reuse the generated database when it is complete
    python bench/run.py --bench reporting --reuse --keep-rollups   # ... and its rollups (no rebuild)
    python bench/run.py --quick             # tiny sizes, a smoke run; README untouched
    python bench/run.py --quick --out /tmp/b --readme /tmp/b/README.md

`make bench` runs the first line. Benchmarks: matching (bench/matching.py), reporting
(bench/reporting.py, needs PostgreSQL at BENCH_PG_URL, default postgres://postgres@127.0.0.1:5432,
and duckdb) and load (bench/load.py: gunicorn in production mode driven by locust, the `bench`
extra; `--reuse` keeps its database sleutelnet_load).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import load as load_bench  # noqa: E402 - bench/load.py
import matching as matching_bench  # noqa: E402 - bench/matching.py, found through the sys.path above
import reporting as reporting_bench  # noqa: E402 - bench/reporting.py

BENCHES = ("matching", "reporting", "load")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python bench/run.py", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument(
        "--bench",
        nargs="+",
        choices=BENCHES,
        default=list(BENCHES),
        help="which benchmarks (default: all)",
    )
    parser.add_argument(
        "--quick", action="store_true", help="tiny sizes, few repetitions: a smoke run"
    )
    parser.add_argument(
        "--out", type=Path, default=HERE / "results", help="folder for the JSON results"
    )
    parser.add_argument(
        "--readme",
        type=Path,
        default=None,
        help="README to update between its markers (default: bench/README.md, except with --quick)",
    )
    parser.add_argument(
        "--only", nargs="*", default=(), metavar="SIZE", help="matching: only these sizes (S M L N)"
    )
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="reporting, load: keep the generated database when it holds complete data of the same spec",
    )
    parser.add_argument(
        "--keep-rollups",
        action="store_true",
        help="reporting, with --reuse: keep the rollups of the earlier run instead of rebuilding them",
    )
    parser.add_argument(
        "--workers", nargs="+", type=int, default=None, metavar="N",
        help="load: the gunicorn sync worker counts to try (default 3 5; one count skips the trial phases)",
    )
    parser.add_argument("--quiet", action="store_true")
    args = parser.parse_args(argv)

    def log(message: str) -> None:
        if not args.quiet:
            print(
                f"[{time.strftime('%H:%M:%S', time.gmtime())}Z] {message}",
                file=sys.stderr,
                flush=True,
            )

    readme = (
        args.readme if args.readme is not None else (None if args.quick else HERE / "README.md")
    )
    args.out.mkdir(parents=True, exist_ok=True)
    failed: list[str] = []
    for name in [b for b in BENCHES if b in args.bench]:
        if name == "matching":
            settings = (
                matching_bench.Settings.for_quick() if args.quick else matching_bench.Settings()
            )
            result = matching_bench.run(settings, log=log, only=args.only)
            module = matching_bench
        elif name == "load":
            reason = load_bench.unavailable()
            if reason is not None:
                print(f"load benchmark not run: {reason}", file=sys.stderr)
                return 2
            lsettings = load_bench.Settings.for_quick() if args.quick else load_bench.Settings()
            if args.reuse:
                lsettings = load_bench.Settings(**{**lsettings.__dict__, "reuse": True})
            if args.workers:
                lsettings = load_bench.Settings(**{**lsettings.__dict__, "workers": tuple(args.workers)})
            result = load_bench.run(lsettings, log=log)
            module = load_bench
        else:
            reason = reporting_bench.unavailable()
            if reason is not None:
                print(f"reporting benchmark not run: {reason}", file=sys.stderr)
                return 2
            rsettings = (
                reporting_bench.Settings.for_quick() if args.quick else reporting_bench.Settings()
            )
            if args.reuse or args.keep_rollups:
                rsettings = reporting_bench.Settings(
                    **{**rsettings.__dict__, "reuse": True, "keep_rollups": args.keep_rollups}
                )
            result = reporting_bench.run(rsettings, log=log)
            module = reporting_bench
        target = args.out / f"{name}.json"
        target.write_text(
            json.dumps(result, indent=2, ensure_ascii=False, default=str) + "\n", encoding="utf-8"
        )
        log(f"wrote {target}")
        if readme is not None:
            text = readme.read_text(encoding="utf-8") if readme.exists() else "# Benchmarks\n"
            readme.write_text(module.update_readme(text, result), encoding="utf-8")
            log(f"updated {readme}")
        print(module.table(result))
        failed += [t["target"] for t in result["targets"] if t["pass"] is False]
    if failed and not args.quick:
        print(f"\n{len(failed)} target(s) not met: " + "; ".join(failed), file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
