"""Command line: `gilde seating solve | check | generate`."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from gilde.seating.anneal import compile_kernels
from gilde.seating.generate import generate_instance
from gilde.seating.model import InstanceError, read_instance, read_json
from gilde.seating.plan import check_plan, plan_to_dict
from gilde.seating.solve import Method, solve

EXIT_INPUT_ERROR = 2


def main(argv: list[str] | None = None) -> int:
    """Run one seating command; argv starts after the word "seating". Returns the exit code."""
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        code: int = args.handler(args)
        return code
    except InstanceError as e:
        print(f"seating: {e}", file=sys.stderr)
        return EXIT_INPUT_ERROR


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="gilde seating", description="Table plans for networking events."
    )
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("solve", help="make a plan for an instance")
    p.add_argument("instance", help="instance JSON file")
    p.add_argument("-o", "--output", required=True, help="where to write the plan JSON")
    p.add_argument("--time-limit", type=_positive_float, default=10.0, metavar="SECONDS")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument(
        "--iterations",
        type=int,
        default=None,
        help="stop after this many tried moves and swaps (repeatable runs)",
    )
    p.add_argument(
        "--exact", action="store_true", help="also run the CP-SAT model for an optimum or bound"
    )
    p.add_argument(
        "--heuristic", action="store_true", help="never run CP-SAT, even for small events"
    )
    p.add_argument(
        "--allow-repeats",
        action="store_true",
        help="let good pairs meet again if that adds value elsewhere",
    )
    p.set_defaults(handler=_solve)

    c = sub.add_parser("check", help="recompute a plan's objective and list broken rules")
    c.add_argument("instance")
    c.add_argument("plan")
    c.set_defaults(handler=_check)

    g = sub.add_parser("generate", help="make a realistic test instance")
    g.add_argument("--guests", type=_positive_int, required=True)
    g.add_argument("--tables", type=_positive_int, required=True)
    g.add_argument("--rounds", type=_positive_int, default=1)
    g.add_argument("--seed", type=int, default=0)
    g.add_argument(
        "--conflicts", type=float, default=0.05, help="apart pairs per guest (default 0.05)"
    )
    g.add_argument("-o", "--output", required=True)
    g.set_defaults(handler=_generate)
    return parser


def _positive_float(text: str) -> float:
    value = float(text)
    if not value > 0:
        raise argparse.ArgumentTypeError(f"must be more than 0, not {text}")
    return value


def _positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {text}")
    return value


def _solve(args: argparse.Namespace) -> int:
    inst = read_instance(args.instance)
    method: Method = "exact" if args.exact else "heuristic" if args.heuristic else "auto"
    # Outside the time limit: the first solve after installing compiles the annealer once (it is
    # cached on disk), later ones load it in well under a second.
    compile_kernels()
    plan = solve(
        inst,
        time_limit=args.time_limit,
        seed=args.seed,
        method=method,
        max_iterations=args.iterations,
        avoid_repeats=not args.allow_repeats,
    )
    _write_json(args.output, plan_to_dict(inst, plan))
    parts = [f"objective {plan.objective:g}"]
    if plan.bound is not None:
        parts.append(f"bound {plan.bound:g}")
        parts.append("optimal" if plan.optimal else f"gap {100 * (plan.gap or 0):.2f}%")
    parts.append("feasible" if plan.feasible else "INFEASIBLE")
    parts.append(f"{plan.seconds:.2f} s")
    print(", ".join(parts))
    for v in plan.violations:
        print(f"  {v}")
    return 0 if plan.feasible else 1


def _check(args: argparse.Namespace) -> int:
    inst = read_instance(args.instance)
    result = check_plan(inst, read_json(args.plan, "plan"))
    state = "feasible" if result.feasible else f"INFEASIBLE, {len(result.violations)} violations"
    print(
        f"objective {result.objective:g}, {state}, repeated good pairs {result.repeated_positive_pairs}"
    )
    for v in result.violations:
        print(f"  {v}")
    return 0 if result.feasible else 1


def _generate(args: argparse.Namespace) -> int:
    if args.conflicts < 0:
        raise InstanceError("--conflicts must be 0 or more")
    instance = generate_instance(
        args.guests,
        args.tables,
        rounds=args.rounds,
        seed=args.seed,
        conflict_density=args.conflicts,
    )
    seats = sum(t["capacity"] for t in instance["tables"])
    _write_json(args.output, instance)
    print(
        f"{args.guests} guests, {args.tables} tables, {seats} seats, {args.rounds} rounds -> {args.output}"
    )
    return 0


def _write_json(path: str, data: Any) -> None:
    try:
        Path(path).write_text(
            json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
        )
    except OSError as e:
        raise InstanceError(f"cannot write {path}: {e.strerror}") from e


if __name__ == "__main__":
    raise SystemExit(main())
