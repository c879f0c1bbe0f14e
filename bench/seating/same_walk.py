"""The tabu kernel of a git revision against the working tree's: the same walk, and the steps per
second of each.

Usage:
  .venv/bin/python bench/seating/same_walk.py REV [--only RanReal-960,...] [--pairs 31]

Both copies of tabu.py are loaded as modules of their own (from a temporary directory, so that
Numba's cache beside the real module is not touched) and walk from the same greedy start of each
MDGP instance (bench/seating/out/mdgp/, made by mdgp_run.py). After 2,000 steps they run
alternating chunks, so both see the same machine; after every chunk the plans and scores must be
equal, or the walks parted. The speed is the CPU time of the thread per chunk; the figure is the
median of the paired ratios (working tree / revision), with quartiles and the number of pairs in
which the working tree was faster. On a machine whose pace moves from chunk to chunk the same
code against itself gives quartiles of about 0.95-1.04. Results go to bench/seating/same_walk.json.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np

HERE = Path(__file__).parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(HERE))

from mdgp_run import OUT, cases, instance_file  # noqa: E402

from gilde.seating.model import read_instance  # noqa: E402
from gilde.seating.solve import _start  # noqa: E402
from gilde.seating.units import build_problem  # noqa: E402

RESULTS = HERE / "same_walk.json"
WARM_STEPS = 2000
# Steps per chunk by instance size: about a quarter of a second on the 2-CPU machine.
CHUNK = {120: 10_000, 240: 10_000, 480: 5_000, 960: 3_000}
GEO_CHUNK = {120: 2_000, 240: 2_000, 480: 1_000, 960: 200}


def load(path: Path, name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def compare(
    old: ModuleType, new: ModuleType, instance: Path, chunk: int, pairs: int
) -> dict[str, Any]:
    p = build_problem(read_instance(instance))
    w = old.dense_values(p)
    start, _ = _start(p, np.random.default_rng(1), time.perf_counter() + 100.0, 1)
    assert start is not None
    remember = p.n_units < old.POPULATION_GROUP * p.n_tables
    states = [m.new_state(p, w, start[0], 1, remember=remember) for m in (old, new)]
    for m, s in zip((old, new), states, strict=True):
        m.run_chunk(p, w, s, WARM_STEPS)
    rates: list[list[float]] = [[], []]
    same = True
    for r in range(pairs):
        order = (0, 1) if r % 2 == 0 else (1, 0)
        for i in order:
            m = (old, new)[i]
            began = time.thread_time()
            m.run_chunk(p, w, states[i], chunk)
            rates[i].append(chunk / max(1e-9, time.thread_time() - began))
        a, b = states
        if not (np.array_equal(a.pos, b.pos) and np.array_equal(a.scores, b.scores)):
            same = False
            break
    ratios = sorted(b / a for a, b in zip(rates[0], rates[1], strict=True))
    return {
        "same_walk": same,
        "chunk_steps": chunk,
        "pairs": len(ratios),
        "steps_per_second_revision": round(statistics.median(rates[0])),
        "steps_per_second_working_tree": round(statistics.median(rates[1])),
        "median_ratio": round(statistics.median(ratios), 3),
        "quartiles": [round(ratios[len(ratios) // 4], 3), round(ratios[3 * len(ratios) // 4], 3)],
        "pairs_faster": sum(x > 1.0 for x in ratios),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("rev")
    parser.add_argument("--only", default="")
    parser.add_argument("--pairs", type=int, default=31)
    args = parser.parse_args()
    only = [name for name in args.only.split(",") if name] or None
    source = "src/gilde/seating/tabu.py"
    old_text = subprocess.run(
        ["git", "show", f"{args.rev}:{source}"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "tabu_revision.py").write_text(old_text)
        (Path(tmp) / "tabu_working_tree.py").write_text((ROOT / source).read_text())
        old = load(Path(tmp) / "tabu_revision.py", "tabu_revision")
        new = load(Path(tmp) / "tabu_working_tree.py", "tabu_working_tree")
        web = load(ROOT / "bench" / "web" / "run.py", "bench_web_run")
        speed_before = web.machine_speed()
        for case in cases(only):
            chunk = (GEO_CHUNK if case.kind == "Geo" else CHUNK)[case.n]
            row = compare(old, new, instance_file(case), chunk, args.pairs)
            results[case.name] = row
            print(case.name, row, flush=True)
    revision = subprocess.run(
        ["git", "rev-parse", "--short", args.rev],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    RESULTS.write_text(
        json.dumps(
            {
                "revision": revision,
                "measured": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
                "machine": f"{platform.machine()}, {platform.processor() or 'cpu'}",
                "machine_speed_ms_before_after": [speed_before, web.machine_speed()],
                "instances": str(OUT),
                "results": results,
            },
            indent=2,
        )
        + "\n"
    )


if __name__ == "__main__":
    main()
