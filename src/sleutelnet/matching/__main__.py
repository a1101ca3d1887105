"""The matching engine from the command line (docs/matching/README.md):

    python -m sleutelnet.matching plan  --input instance.json [--output plan.json] [--time-limit SECONDS]
    python -m sleutelnet.matching rank  --input instance.json --request ID [--top 10] [--why-not KEY_PERSON_ID]
    python -m sleutelnet.matching check --input instance.json --plan plan.json

Exit codes: 0 done (check: valid), 1 check found violations, 2 bad input (one line on stderr):
an instance or plan that is no JSON or breaks its schema, inverted times, an unknown language
code, a plan that names requests or key persons the instance does not have.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

from sleutelnet.matching import engine
from sleutelnet.matching.check import check, unknown_ids
from sleutelnet.matching.io import (
    InstanceError,
    load_instance,
    parse_json,
    plan_from_dict,
    plan_to_dict,
)
from sleutelnet.matching.plan import DEFAULT_TIME_LIMIT, plan
from sleutelnet.matching.types import Instance

PROG = "python -m sleutelnet.matching"


class UsageError(Exception):
    """Bad command-line use or bad input: one line to stderr, exit 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message} (see {self.prog} --help)")


def _read(path: str, what: str) -> object:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UsageError(f"{what} {path}: no such file") from None
    except IsADirectoryError:
        raise UsageError(f"{what} {path}: is a directory") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"{what} {path}: cannot be read ({exc})") from None
    return parse_json(text, f"{what} {path}")


def _instance(path: str) -> Instance:
    document = _read(path, "input")
    try:
        return load_instance(document)
    except InstanceError as exc:
        raise UsageError(f"input {path}: {exc.summary()}") from None


def _dump(document: object) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def cmd_plan(args: argparse.Namespace) -> int:
    if not (math.isfinite(args.time_limit) and args.time_limit >= 0):
        raise UsageError(f"--time-limit must be a number of seconds >= 0, got {args.time_limit}")
    instance = _instance(args.input)
    result = plan_to_dict(plan(instance, time_limit=args.time_limit))
    text = _dump(result)
    if args.output:
        try:
            Path(args.output).write_text(text, encoding="utf-8")
        except OSError as exc:
            raise UsageError(
                f"output {args.output}: cannot be written ({exc.strerror or exc})"
            ) from None
        stats: dict[str, Any] = result["stats"]
        print(
            f"{len(result['assignments'])} assignments, {len(result['unfilled'])} requests unfilled, "
            f"objective {result['objective']} ({stats['solver']}, {stats['status']}, {stats['seconds']} s)"
            f" -> {args.output}",
            file=sys.stderr,
        )
    else:
        sys.stdout.write(text)
    return 0


def cmd_rank(args: argparse.Namespace) -> int:
    if args.top < 1:
        raise UsageError("--top must be >= 1")
    instance = _instance(args.input)
    by_id = {r.id: r for r in instance.requests}
    req = by_id.get(args.request)
    if req is None:
        raise UsageError(
            f"unknown request {args.request!r} (the instance has {len(by_id)} requests)"
        )
    level = instance.min_language_level
    people = sorted(instance.key_persons, key=lambda k: k.id)
    out: dict[str, Any] = {"request": req.id}
    if args.why_not is not None:
        kp = next((k for k in people if k.id == args.why_not), None)
        if kp is None:
            raise UsageError(f"unknown key person {args.why_not!r}")
        fails = engine.why_not(req, kp, min_language_level=level)
        out.update(
            key_person=kp.id,
            feasible=not fails,
            violations=[r.text for r in fails],
            violation_codes=[r.code for r in fails],
        )
        if not fails:  # nothing fails: say where they rank and why
            ranked = engine.rank(req, people, min_language_level=level)
            position = [c.key_person_id for c in ranked].index(kp.id)
            out.update(
                position=position + 1,
                weight=ranked[position].weight,
                reasons=[r.text for r in ranked[position].reasons],
            )
    else:
        ranked = engine.rank(req, people, min_language_level=level)
        out["feasible"] = len(ranked)
        out["candidates"] = [
            {
                "key_person": c.key_person_id,
                "weight": c.weight,
                "reasons": [r.text for r in c.reasons],
            }
            for c in ranked[: args.top]
        ]
    sys.stdout.write(_dump(out))
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    instance = _instance(args.input)
    document = _read(args.plan, "plan")
    try:  # a plan that breaks its schema or names unknown ids is bad input, not an invalid plan
        plan_document = plan_from_dict(document)
        unknown = unknown_ids(instance, plan_document)
        if unknown:
            raise InstanceError(unknown)
    except InstanceError as exc:
        raise UsageError(f"plan {args.plan}: {exc.summary()}") from None
    problems = check(instance, plan_document)
    if problems:
        for line in problems:
            print(line)
        print(f"invalid: {len(problems)} problem{'s' if len(problems) != 1 else ''}")
        return 1
    print("valid")
    return 0


def parser() -> argparse.ArgumentParser:
    top = _Parser(
        prog=PROG, description="Rank, plan and check matches of requests and key persons."
    )
    sub = top.add_subparsers(dest="command", required=True, parser_class=_Parser)
    p_plan = sub.add_parser("plan", help="plan a whole instance (JSON plan on stdout or --output)")
    p_plan.add_argument(
        "--input", required=True, help="instance.json (docs/matching/instance.schema.json)"
    )
    p_plan.add_argument("--output", help="write the plan here instead of stdout")
    p_plan.add_argument(
        "--time-limit", type=float, default=DEFAULT_TIME_LIMIT, metavar="SECONDS",
        help=f"seconds for the whole plan (default {DEFAULT_TIME_LIMIT:g}); 0 = greedy only",
    )  # fmt: skip
    p_plan.set_defaults(run=cmd_plan)
    p_rank = sub.add_parser("rank", help="rank the key persons for one request")
    p_rank.add_argument("--input", required=True)
    p_rank.add_argument("--request", required=True, metavar="ID")
    p_rank.add_argument("--top", type=int, default=10)
    p_rank.add_argument(
        "--why-not", metavar="KEY_PERSON_ID", help="the hard constraints this key person fails"
    )
    p_rank.set_defaults(run=cmd_rank)
    p_check = sub.add_parser("check", help="check a plan against its instance")
    p_check.add_argument("--input", required=True)
    p_check.add_argument("--plan", required=True)
    p_check.set_defaults(run=cmd_check)
    return top


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = parser().parse_args(argv)
        code: int = args.run(args)
        return code
    except (UsageError, InstanceError) as exc:
        print(f"{PROG}: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # e.g. `| head`
        return 0


if __name__ == "__main__":
    raise SystemExit(main())
