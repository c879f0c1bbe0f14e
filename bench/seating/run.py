"""Seating benchmark: the heuristic against CP-SAT on generated events from 16 to 2,000 guests.

Usage: .venv/bin/python bench/seating/run.py [--quick] [--only NAME[,NAME...]]

Every solver run happens in a fresh process, so that its peak memory can be measured on its own.
Writes bench/seating/results.json and bench/seating/RESULTS.md.
"""

from __future__ import annotations

import argparse
import json
import math
import multiprocessing
import os
import platform
import resource
import statistics
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent


@dataclass(frozen=True)
class Case:
    """One benchmark instance: generator parameters and the time limits that apply to it."""

    name: str
    guests: int
    tables: int
    rounds: int = 1
    seed: int = 1
    conflicts: float = 0.05
    target_seconds: float = 5.0
    cpsat: bool = True
    long_seconds: float = 60.0
    long_seeds: int = 2
    seeds: int = 3


CASES = [
    # Small events: heuristic + CP-SAT ("auto"), which stops as soon as the optimum is proven.
    Case("small-16", 16, 2, target_seconds=180, long_seconds=0, seeds=1),
    Case("small-20", 20, 2, target_seconds=180, long_seconds=0, seeds=1),
    Case("small-24", 24, 3, target_seconds=180, long_seconds=0, seeds=1),
    Case("small-30", 30, 3, target_seconds=180, long_seconds=0, seeds=1),
    Case("e50-low", 50, 5),
    Case("e200-low", 200, 20),
    Case("e200-high", 200, 20, seed=2, conflicts=0.5),
    Case("e200-3rounds", 200, 20, rounds=3, seed=3),
    Case("e1000-low", 1000, 100, target_seconds=10, cpsat=False, long_seconds=120, long_seeds=1),
    Case("e2000-low", 2000, 200, target_seconds=30, cpsat=False, long_seconds=180, long_seeds=1),
]
HEURISTIC_SEEDS = (1, 2, 3)


def run_solver(task: dict[str, Any]) -> dict[str, Any]:
    """Solve one case in this (child) process and report the result and peak memory."""
    from gilde.seating.anneal import compile_kernels
    from gilde.seating.generate import generate_instance
    from gilde.seating.model import parse_instance
    from gilde.seating.solve import finish_plan, solve
    from gilde.seating.units import build_problem

    # Load the compiled annealer (cached on disk) before the clock starts, as a server would.
    compile_kernels()
    case = Case(**task["case"])
    inst = parse_instance(
        generate_instance(
            case.guests,
            case.tables,
            rounds=case.rounds,
            seed=case.seed,
            conflict_density=case.conflicts,
        )
    )
    started = time.perf_counter()
    load = os.getloadavg()[0]
    if task["method"] == "cpsat":
        from gilde.seating.exact import solve_exact

        p = build_problem(inst)
        exact = solve_exact(p, time_limit=task["seconds"], seed=task["seed"], workers=2)
        seconds = time.perf_counter() - started
        if exact.pos is None:
            return {
                "objective": None,
                "bound": exact.bound,
                "seconds": seconds,
                "feasible": False,
                "load": load,
            }
        plan = finish_plan(
            inst,
            p.to_guests(exact.pos),
            seconds=seconds,
            method="cp-sat",
            seed=task["seed"],
            bound=exact.bound,
            optimal=exact.optimal,
        )
    else:
        plan = solve(inst, time_limit=task["seconds"], seed=task["seed"], method=task["method"])
    return {
        "objective": plan.objective,
        "bound": plan.bound,
        "optimal": plan.optimal,
        "feasible": plan.feasible,
        "seconds": round(time.perf_counter() - started, 3),
        "repeats": plan.repeated_positive_pairs,
        "cpu_seconds": round(_cpu_seconds(), 2),
        "load": round(load, 2),
        "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def in_child(task: dict[str, Any]) -> dict[str, Any]:
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(1) as pool:
        return pool.apply(run_solver, (task,))


def bench_case(case: Case, quick: bool, long_runs: bool = True) -> dict[str, Any]:
    scale = 0.2 if quick else 1.0
    task = {"case": asdict(case)}
    out: dict[str, Any] = {"case": asdict(case)}
    small = case.name.startswith("small")
    first = in_child({**task, "method": "heuristic", "seconds": 0.01, "seed": 1})
    out["first_feasible"] = first
    out["heuristic"] = [
        in_child(
            {
                **task,
                "method": "auto" if small else "heuristic",
                "seconds": case.target_seconds * scale,
                "seed": s,
            }
        )
        for s in HEURISTIC_SEEDS[: case.seeds]
    ]
    if case.cpsat:
        out["cpsat_same_time"] = in_child(
            {**task, "method": "cpsat", "seconds": case.target_seconds * scale, "seed": 1}
        )
        out["cpsat_60s"] = in_child({**task, "method": "cpsat", "seconds": 60 * scale, "seed": 1})
    out["long"] = [
        in_child(
            {**task, "method": "heuristic", "seconds": case.long_seconds * scale, "seed": 100 + s}
        )
        for s in range(case.long_seeds if case.long_seconds and long_runs else 0)
    ]
    found = [r["objective"] for key in ("heuristic", "long") for r in out[key]]
    found += [out[k]["objective"] for k in ("cpsat_same_time", "cpsat_60s") if k in out]
    out["best_this_run"] = max(v for v in found if v is not None)
    # Best known: the best of this run and of every earlier run kept in instances.json.
    earlier = previous_best().get(case.name)
    out["best_known"] = max(out["best_this_run"], earlier if earlier is not None else -math.inf)
    return out


def previous_best() -> dict[str, float]:
    path = HERE / "instances.json"
    if not path.exists():
        return {}
    return {c["name"]: c["best_known"] for c in json.loads(path.read_text()) if "best_known" in c}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--quick", action="store_true", help="a fifth of every time limit, for a smoke test"
    )
    parser.add_argument(
        "--only", help="run only cases whose name contains one of these (comma-separated)"
    )
    parser.add_argument(
        "--note",
        default="Shared with other work while the benchmark ran (see the load column).",
        help="a sentence about the machine for RESULTS.md",
    )
    parser.add_argument(
        "--reference",
        type=float,
        metavar="SECONDS",
        help="only the long reference runs: the heuristic for SECONDS per selected case, "
        "recorded in reference.json and as best known in instances.json when better",
    )
    parser.add_argument("--reference-seed", type=int, default=1000)
    parser.add_argument(
        "--no-long",
        action="store_true",
        help="skip the 60-180 s heuristic runs (when ten-minute reference runs set best known)",
    )
    parser.add_argument(
        "--confirm",
        action="store_true",
        help="only the heuristic runs at the target limits (three seeds), compared with the kept "
        "results.json; writes results-confirm.json",
    )
    args = parser.parse_args()
    wanted = args.only.split(",") if args.only else None
    if args.confirm:
        return confirm(wanted)
    if args.reference:
        return reference_runs(args.reference, args.reference_seed, wanted)
    results = []
    for case in CASES:
        if wanted and not any(w in case.name for w in wanted):
            continue
        began = time.perf_counter()
        results.append(bench_case(case, args.quick, long_runs=not args.no_long))
        print(
            f"{case.name}: done in {time.perf_counter() - began:.0f} s", file=sys.stderr, flush=True
        )
    report = {
        "machine": {
            "python": platform.python_version(),
            "processor": platform.processor() or platform.machine(),
            "cpus": multiprocessing.cpu_count(),
            "system": platform.system(),
        },
        "quick": args.quick,
        "note": args.note,
        "results": results,
    }
    name = "results-quick.json" if args.quick else "results.json"
    if wanted and not args.quick and (HERE / name).exists():
        # A partial run replaces only its own cases in the kept results.
        kept = json.loads((HERE / name).read_text())
        mine = {r["case"]["name"] for r in results}
        others = [r for r in kept["results"] if r["case"]["name"] not in mine]
        order = {c.name: k for k, c in enumerate(CASES)}
        report["results"] = sorted(others + results, key=lambda r: order.get(r["case"]["name"], 99))
    (HERE / name).write_text(json.dumps(report, indent=1) + "\n")
    if not args.quick:
        from report import write_report

        write_report(report, HERE / "RESULTS.md")
    return 0


def reference_runs(seconds: float, seed: int, wanted: list[str] | None) -> int:
    """Long heuristic runs that set the reference ("best known") the benchmark compares with."""
    path = HERE / "reference.json"
    kept: dict[str, list[dict[str, Any]]] = json.loads(path.read_text()) if path.exists() else {}
    instances_path = HERE / "instances.json"
    instances = json.loads(instances_path.read_text())
    for case in CASES:
        if case.name.startswith("small") or (wanted and not any(w in case.name for w in wanted)):
            continue
        task = {"case": asdict(case), "method": "heuristic", "seconds": seconds, "seed": seed}
        run = {
            "seconds_limit": seconds,
            "seed": seed,
            "date": time.strftime("%Y-%m-%d %H:%M"),
            **in_child(task),
        }
        kept.setdefault(case.name, []).append(run)
        path.write_text(json.dumps(kept, indent=1) + "\n")
        for entry in instances:
            if entry["name"] == case.name and run["objective"] is not None:
                entry["best_known"] = max(entry.get("best_known", -math.inf), run["objective"])
        instances_path.write_text(json.dumps(instances, indent=1) + "\n")
        print(
            f"{case.name}: {run['objective']} in {run['seconds']} s ({run['cpu_seconds']} CPU s)",
            file=sys.stderr,
            flush=True,
        )
    return 0


def confirm(wanted: list[str] | None) -> int:
    """Re-run the heuristic at the target limits and set its medians beside the kept ones."""
    kept = {
        r["case"]["name"]: r for r in json.loads((HERE / "results.json").read_text())["results"]
    }
    rows = []
    for case in CASES:
        if case.name.startswith("small") or (wanted and not any(w in case.name for w in wanted)):
            continue
        task = {"case": asdict(case), "method": "heuristic", "seconds": case.target_seconds}
        runs = [in_child({**task, "seed": s}) for s in HEURISTIC_SEEDS[: case.seeds]]
        before = kept[case.name]
        best = before["best_known"]
        row = {
            "case": case.name,
            "seconds": case.target_seconds,
            "median_before": median([r["objective"] for r in before["heuristic"]]),
            "median_now": median([r["objective"] for r in runs]),
            "best_known": best,
            "runs": runs,
        }
        rows.append(row)
        print(
            f"{case.name}: {100 * row['median_before'] / best:.1f}% before, "
            f"{100 * row['median_now'] / best:.1f}% now of {best:g}",
            file=sys.stderr,
        )
        (HERE / "results-confirm.json").write_text(
            json.dumps({"date": time.strftime("%Y-%m-%d %H:%M"), "results": rows}, indent=1) + "\n"
        )
    return 0


def median(values: list[float]) -> float:
    return float(statistics.median(values))


if __name__ == "__main__":
    sys.path.insert(0, str(HERE))
    raise SystemExit(main())
