"""Run every benchmark of Sleutelnet and write its results (bench/README.md).

    python bench/run.py                 # full sizes; bench/results/*.json and the tables in bench/README.md
    python bench/run.py --quick         # tiny sizes, a smoke run (seconds); README untouched
    python bench/run.py --quick --out /tmp/b --readme /tmp/b/README.md

`make bench` runs the first line. Benchmarks: matching (bench/matching.py).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import matching as matching_bench  # noqa: E402 - bench/matching.py, found through the sys.path above


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python bench/run.py", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument(
        "--quick", action="store_true", help="tiny sizes, 1 repetition: a smoke run"
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
        "--only", nargs="*", default=(), metavar="SIZE", help="only these sizes (S M L N)"
    )
    parser.add_argument("--quiet", action="store_true")
    args = parser.parse_args(argv)

    def log(message: str) -> None:
        if not args.quiet:
            print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)

    settings = matching_bench.Settings.for_quick() if args.quick else matching_bench.Settings()
    result = matching_bench.run(settings, log=log, only=args.only)
    args.out.mkdir(parents=True, exist_ok=True)
    target = args.out / "matching.json"
    target.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    log(f"wrote {target}")
    readme = (
        args.readme if args.readme is not None else (None if args.quick else HERE / "README.md")
    )
    if readme is not None:
        text = readme.read_text(encoding="utf-8") if readme.exists() else "# Benchmarks\n"
        readme.write_text(matching_bench.update_readme(text, result), encoding="utf-8")
        log(f"updated {readme}")
    print(matching_bench.table(result))
    failed = [t["target"] for t in result["targets"] if t["pass"] is False]
    if failed and not args.quick:
        print(f"\n{len(failed)} target(s) not met: " + "; ".join(failed), file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
