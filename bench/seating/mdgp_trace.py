"""How a one-worker MDGP run goes on after its limit: the best value of each seed at checkpoints.

Usage:
  .venv/bin/python bench/seating/mdgp_trace.py [--only RanReal-960,...] [--seeds 1,2,3,4]
      [--checkpoints 20,60,120,180]

At n = 960 in tables of 10 the search is one walk (the population never runs there, see
POPULATION_GROUP in tabu.py), and a walk does not depend on how its time is cut into kernel
calls: so one run of a seed, stopped at each checkpoint to read its best plan, passes through
what the runs limited to those times end at (apart from the pace of the machine). Each run is a
process of its own that loads the compiled kernel and reads the instance before its clock
starts; the clock starts, as in `solve`, before the greedy start is made. One run at a time.
Results go to bench/seating/mdgp_trace.json: per instance and seed the best value and the steps at
each checkpoint, with machine_speed before and after.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(HERE))

from mdgp import MdgpCase  # noqa: E402
from mdgp_run import WALK, cases, instance_file, machine_speed, run_script  # noqa: E402

RESULTS = HERE / "mdgp_trace.json"

TRACE = (
    WALK
    + """
compile_kernels(("tabu",))
inst = read_instance(sys.argv[1])
seed = int(sys.argv[2])
checkpoints = [float(x) for x in sys.argv[3].split(",")]
began = time.perf_counter()
p, w, state = walk(inst, seed, began + checkpoints[-1])
remember = tabu.remembers(p)
steps = 0
out = []
for c in checkpoints:
    steps += tabu.search(p, w, state, deadline=began + c, max_steps=None)
    value = tabu._value(p, w, state.best_pos)
    out.append({"seconds": c, "best": round(float(value), 4), "steps": steps,
                "at": round(time.perf_counter() - began, 3)})
print(json.dumps({"remember": remember, "trace": out}))
"""
)


def trace(case: MdgpCase, seed: int, checkpoints: list[float]) -> dict[str, Any]:
    load = os.getloadavg()[0]
    marks = ",".join(f"{c:g}" for c in checkpoints)
    result = run_script(case, TRACE, str(instance_file(case)), str(seed), marks)
    return {"seed": seed, "load": round(load, 2), **result}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--only", default="RanReal-960,RanInt-960")
    parser.add_argument("--seeds", default="1,2,3,4")
    parser.add_argument("--checkpoints", default="20,60,120,180")
    args = parser.parse_args()
    seeds = [int(s) for s in args.seeds.split(",")]
    checkpoints = sorted(float(c) for c in args.checkpoints.split(","))
    data: dict[str, Any] = {
        "started": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "machine": f"{os.cpu_count()} CPUs ({platform.processor() or platform.machine()})",
        "machine_speed_ms": [machine_speed()],
        "commit": subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT
        ).stdout.strip(),
        "instances": {},
    }
    for case in cases(args.only.split(",")):
        runs = data["instances"].setdefault(case.name, [])
        for seed in seeds:
            runs.append(trace(case, seed, checkpoints))
            RESULTS.write_text(json.dumps(data, indent=1) + "\n")
            last = runs[-1]["trace"]
            print(case.name, seed, [(t["seconds"], t["best"]) for t in last], file=sys.stderr)
        for i, c in enumerate(checkpoints):
            values = [r["trace"][i]["best"] for r in runs]
            print(
                f"{case.name} at {c:g} s: median {statistics.median(values):,.1f},"
                f" best {max(values):,.1f}",
                file=sys.stderr,
            )
    data["machine_speed_ms"].append(machine_speed())
    RESULTS.write_text(json.dumps(data, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
