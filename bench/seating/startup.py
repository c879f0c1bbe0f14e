"""Start-up and wall time of `gilde seating solve`, measured around the whole command.

Usage: .venv/bin/python bench/seating/startup.py

1. Start-up with the compiled kernels cached on disk: a fresh process reads a 120-guest instance,
   imports the compiled search (Numba) and loads the tabu kernel; each step is timed from the
   process's start. (`solve` imports the compiled search only when there is time to load it.)
2. Wall time of `gilde seating solve --time-limit T` (the whole process, measured from outside)
   for T = 1, 3 and 5 s on events of 120 and 2,000 guests and the 960-element MDGP instance
   (460,000 pairs), against the target T + 0.5 s.

Writes bench/seating/startup.json and prints a Markdown table.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).parent
ROOT = HERE.parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
ENV = {**os.environ, "PYTHONPATH": str(ROOT / "src")}

PROBE = """
import json, sys, time
from gilde.seating.cli import process_started
started = process_started()
marks = {"interpreter and command line": time.perf_counter() - started}
from gilde.seating.model import read_instance
inst = read_instance(sys.argv[1])
marks["instance read"] = time.perf_counter() - started
from gilde.seating.anneal import compiled_by
marks["compiled search imported (Numba)"] = time.perf_counter() - started
assert compiled_by(time.perf_counter() + 60, ("tabu",))
marks["tabu kernel loaded"] = time.perf_counter() - started
print(json.dumps(marks))
"""


def main() -> int:
    sys.path.insert(0, str(HERE))
    from mdgp_run import MdgpCase, instance_file

    work = Path(tempfile.mkdtemp())
    events = {}
    for guests, tables in ((120, 12), (2000, 200)):
        path = work / f"e{guests}.json"
        subprocess.run(
            [
                PYTHON,
                "-m",
                "gilde",
                "seating",
                "generate",
                "--guests",
                str(guests),
                "--tables",
                str(tables),
                "--seed",
                "1",
                "-o",
                str(path),
            ],
            check=True,
            capture_output=True,
            env=ENV,
        )
        events[f"event of {guests} guests"] = path
    events["MDGP RanReal-960 (460,000 pairs)"] = instance_file(MdgpCase("RanReal", 960))
    # Warm the kernel cache once (compiles only after the source changed).
    subprocess.run(
        [PYTHON, "-c", "from gilde.seating.anneal import compile_kernels; compile_kernels()"],
        check=True,
        env=ENV,
    )
    startup = []
    for _ in range(5):
        out = subprocess.run(
            [PYTHON, "-c", PROBE, str(events["event of 120 guests"])],
            check=True,
            capture_output=True,
            text=True,
            env=ENV,
        )
        startup.append(json.loads(out.stdout))
    walls = []
    for name, path in events.items():
        for limit in (1.0, 3.0, 5.0):
            load = os.getloadavg()[0]
            began = time.perf_counter()
            out = subprocess.run(
                [
                    PYTHON,
                    "-m",
                    "gilde",
                    "seating",
                    "solve",
                    str(path),
                    "-o",
                    str(work / "p.json"),
                    "--heuristic",
                    "--time-limit",
                    f"{limit:g}",
                ],
                capture_output=True,
                text=True,
                env=ENV,
            )
            wall = time.perf_counter() - began
            walls.append(
                {
                    "instance": name,
                    "limit": limit,
                    "wall": round(wall, 3),
                    "load": round(load, 2),
                    "summary": out.stdout.strip(),
                }
            )
            print(walls[-1], file=sys.stderr)
    (HERE / "startup.json").write_text(
        json.dumps(
            {"date": time.strftime("%Y-%m-%d %H:%M"), "startup": startup, "wall": walls}, indent=1
        )
        + "\n"
    )
    keys = list(startup[0])
    print("| step (from process start) | median of 5 |\n|---|---|")
    for key in keys:
        values = sorted(s[key] for s in startup)
        print(f"| {key} | {values[len(values) // 2]:.2f} s |")
    print("\n| instance | T | wall time | load |\n|---|---|---|---|")
    for w in walls:
        print(f"| {w['instance']} | {w['limit']:g} s | {w['wall']:.2f} s | {w['load']:.1f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
