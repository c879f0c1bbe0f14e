"""Command line: `gilde seating solve | check | generate | import-mdgp`.

The clock of `solve --time-limit` starts when the process starts: reading and checking the
instance, loading the compiled search and writing the plan all count, so the whole command returns
within the limit (plus the interpreter's own exit). The engine's modules are imported only by the
command that needs them.
"""

from __future__ import annotations

import argparse
import gc
import json
import math
import sys
import time
from pathlib import Path
from typing import Any

from gilde.core.options import whole_number
from gilde.seating.clock import process_started as process_started
from gilde.seating.model import InstanceError

EXIT_INPUT_ERROR = 2


def main(argv: list[str] | None = None, *, started: float | None = None) -> int:
    """Run one seating command; argv starts after the word "seating". Returns the exit code.
    started: the perf_counter() reading at which the time limit's clock starts (default: now; the
    console script passes the process's start)."""
    if started is None:
        started = time.perf_counter()
    parser = _parser()
    args = parser.parse_args(argv)
    args.started = started
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
    p.add_argument("--seed", type=whole_number(0), default=0)
    p.add_argument(
        "--workers",
        type=whole_number(1),
        default=2,
        metavar="N",
        help="CPUs the search may use (default 2)",
    )
    p.add_argument(
        "--iterations",
        type=whole_number(1),
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
    g.add_argument("--guests", type=whole_number(1), required=True)
    g.add_argument("--tables", type=whole_number(1), required=True)
    g.add_argument("--rounds", type=whole_number(1), default=1)
    g.add_argument("--seed", type=whole_number(0), default=0)
    g.add_argument(
        "--conflicts", type=float, default=0.05, help="apart pairs per guest (default 0.05)"
    )
    g.add_argument("-o", "--output", required=True)
    g.set_defaults(handler=_generate)

    m = sub.add_parser(
        "import-mdgp", help="turn an MDGPLIB file (maximally diverse grouping) into an instance"
    )
    m.add_argument("file", help="MDGPLIB text file")
    m.add_argument("-o", "--output", required=True, help="where to write the instance JSON")
    m.set_defaults(handler=_import_mdgp)
    return parser


def _positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a number of seconds, not {text!r}") from None
    if not 0 < value < math.inf:
        raise argparse.ArgumentTypeError(f"must be more than 0 and finite, not {text}")
    return value


def _solve(args: argparse.Namespace) -> int:
    from gilde.seating.plan import plan_to_dict
    from gilde.seating.solve import Method, solve

    # Read and check the instance, then pack the plan and write it, all inside the time limit.
    deadline = args.started + args.time_limit
    inst = _read_instance_fast(args.instance)
    method: Method = "exact" if args.exact else "heuristic" if args.heuristic else "auto"
    plan = solve(
        inst,
        time_limit=args.time_limit,
        seed=args.seed,
        method=method,
        max_iterations=args.iterations,
        workers=args.workers,
        avoid_repeats=not args.allow_repeats,
        deadline=deadline - _writing_seconds(inst),
        started=args.started,
    )
    _write_json(args.output, plan_to_dict(inst, plan))
    parts = [f"objective {plan.objective:g}"]
    if plan.bound is not None:
        parts.append(f"bound {plan.bound:g}")
        parts.append("optimal" if plan.optimal else f"gap {100 * (plan.gap or 0):.2f}%")
    parts.append("feasible" if plan.feasible else "INFEASIBLE")
    if inst.saved:
        parts.append(f"{plan.moved} saved seats moved (-{plan.move_cost:g})")
    parts.append(f"{plan.seconds:.2f} s")
    print(", ".join(parts))
    for v in plan.violations:
        print(f"  {v}")
    return 0 if plan.feasible else 1


# The instance's parsed JSON, kept until the process ends (see _read_instance_fast).
_parsed: list[Any] = []


def _read_instance_fast(path: str) -> Any:
    """Read and check the instance for `solve`. A large instance's JSON is half a million small
    objects: the garbage collector stops walking them once read (gc.freeze), and they are never
    freed (the console command ends with os._exit), which saves a tenth of a second or more."""
    from gilde.seating.model import parse_instance, read_json

    data = read_json(path, "instance")
    gc.freeze()
    _parsed[:] = [data]
    return parse_instance(data)


def _writing_seconds(inst: Any) -> float:
    """Time kept back from the search for the plan's own check, its JSON and writing it, from
    the size of the instance (measured: about 0.25 s for 2,000 guests with 2 million pairs)."""
    return 0.03 + 1.5e-7 * (len(inst.pair_v) + 20 * inst.n_guests * inst.rounds)


def _check(args: argparse.Namespace) -> int:
    from gilde.seating.model import read_instance, read_json
    from gilde.seating.plan import check_plan

    inst = read_instance(args.instance)
    result = check_plan(inst, read_json(args.plan, "plan"))
    state = "feasible" if result.feasible else f"INFEASIBLE, {len(result.violations)} violations"
    moved = f", {result.moved} saved seats moved (-{result.move_cost:g})" if inst.saved else ""
    print(
        f"objective {result.objective:g}, {state}, repeated good pairs"
        f" {result.repeated_positive_pairs}{moved}"
    )
    for v in result.violations:
        print(f"  {v}")
    return 0 if result.feasible else 1


def _generate(args: argparse.Namespace) -> int:
    from gilde.seating.generate import generate_instance

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


def _import_mdgp(args: argparse.Namespace) -> int:
    from gilde.seating.mdgp import read_mdgp
    from gilde.seating.model import parse_instance

    data = read_mdgp(args.file)
    inst = parse_instance(data)  # the same checks as any instance
    _write_json(args.output, data)
    low = sum(inst.minimums)
    print(
        f"{inst.n_guests} elements, {inst.n_tables} groups, {len(inst.pair_v)} pairs,"
        f" {low}..{sum(inst.capacities)} seats -> {args.output}"
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
    raise SystemExit(main(started=process_started()))
