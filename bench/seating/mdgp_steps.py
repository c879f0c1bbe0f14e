"""One-worker MDGP walks at a step budget, with the search's constants set for the run: a change to
the search measured by where each seed's walk ends, which does not depend on the machine's pace.

Usage:
  .venv/bin/python bench/seating/mdgp_steps.py LABEL [--only RanReal-960,RanInt-960]
      [--seeds 1,2,3] [--steps 1400000,2100000] [--jobs 2] [--set PATIENCE=2000 ...]

At n = 960 in tables of 10 the search is one walk from the greedy start (the population never
runs there, see POPULATION_GROUP in tabu.py); this runs that walk for each seed, each in a process
of its own, and reads the best value at each step count. --set changes a constant of
gilde.seating.tabu for the run (a float, or 0/1 for a flag). Results are added under LABEL to
bench/seating/mdgp_steps.json (per instance and seed the best value at each step count, the CPU
seconds, and the settings), and each label's medians and its differences, seed by seed, from the
label "present" (the search as it is) are printed.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(HERE))

from mdgp import MdgpCase  # noqa: E402
from mdgp_run import WALK, cases, instance_file, machine_speed, run_script  # noqa: E402

RESULTS = HERE / "mdgp_steps.json"

STEPS = (
    WALK
    + """
path, seed, marks = sys.argv[1], int(sys.argv[2]), [int(x) for x in sys.argv[3].split(",")]
settings(sys.argv[4:])
compile_kernels(("tabu",))
p, w, state = walk(read_instance(path), seed, time.perf_counter() + 100)
done, best = 0, []
cpu = time.process_time()
for mark in marks:
    tabu.search(p, w, state, deadline=float("inf"), max_steps=mark - done)
    done = mark
    best.append(round(float(tabu._value(p, w, state.best_pos)), 2))
print(json.dumps({"best": best, "cpu": round(time.process_time() - cpu, 1)}))
"""
)


def walk(case: MdgpCase, seed: int, steps: list[int], settings: list[str]) -> dict[str, Any]:
    marks = ",".join(str(s) for s in steps)
    result = run_script(case, STEPS, str(instance_file(case)), str(seed), marks, *settings)
    return {"seed": seed, **result}


def summary(data: dict[str, Any]) -> str:
    lines = []
    present = data["labels"].get("present", {}).get("instances", {})
    for label, entry in data["labels"].items():
        for name, runs in entry["instances"].items():
            ends = {r["seed"]: r["best"][-1] for r in runs}
            line = f"{label} {name}: median {statistics.median(ends.values()):,.1f}"
            base = {r["seed"]: r["best"][-1] for r in present.get(name, [])}
            diffs = [round(ends[s] - base[s]) for s in sorted(ends) if s in base]
            if label != "present" and diffs:
                shared = [base[s] for s in sorted(ends) if s in base]
                mean = 100 * statistics.mean(diffs) / statistics.mean(shared)
                line += (
                    f" against {statistics.median(shared):,.1f} (the same {len(diffs)} seeds);"
                    f" differences {diffs}, mean {mean:+.3f}%,"
                    f" higher in {sum(d > 0 for d in diffs)}, lower in {sum(d < 0 for d in diffs)}"
                )
            lines.append(line)
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("label")
    parser.add_argument("--only", default="RanReal-960,RanInt-960")
    parser.add_argument("--seeds", default="1,2,3,4,5,6")
    parser.add_argument("--steps", default="1400000,2100000")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--set", nargs="*", default=[], dest="settings")
    args = parser.parse_args()
    seeds = [int(s) for s in args.seeds.split(",")]
    steps = sorted(int(s) for s in args.steps.split(","))
    data: dict[str, Any] = json.loads(RESULTS.read_text()) if RESULTS.exists() else {"labels": {}}
    entry = data["labels"].setdefault(label := args.label, {"instances": {}})
    entry.update(
        {
            "settings": args.settings,
            "steps": steps,
            "started": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
            "commit": subprocess.run(
                ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT
            ).stdout.strip(),
            "machine_speed_ms": [machine_speed()],
        }
    )
    jobs = [(case, seed) for seed in seeds for case in cases(args.only.split(","))]
    with ThreadPoolExecutor(args.jobs) as pool:
        for (case, seed), result in zip(
            jobs,
            pool.map(lambda job: walk(job[0], job[1], steps, args.settings), jobs),
            strict=True,
        ):
            runs = entry["instances"].setdefault(case.name, [])
            runs[:] = [r for r in runs if r["seed"] != seed] + [result]
            runs.sort(key=lambda r: r["seed"])
            RESULTS.write_text(json.dumps(data, indent=1) + "\n")
            print(label, case.name, seed, result["best"], file=sys.stderr)
    entry["machine_speed_ms"].append(machine_speed())
    RESULTS.write_text(json.dumps(data, indent=1) + "\n")
    print(summary(data))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
