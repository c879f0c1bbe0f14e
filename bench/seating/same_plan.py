"""The earlier benchmark events with a fixed seed and iteration budget: prints each plan's objective
and a checksum of its seating. Run with PYTHONPATH pointing at two versions of the engine; equal
output means the annealing makes the same plans, so the events keep their ratios at equal CPU."""

import json

from gilde.seating.anneal import compile_kernels
from gilde.seating.generate import generate_instance
from gilde.seating.model import parse_instance
from gilde.seating.solve import solve

compile_kernels()
out = {}
EVENTS = [
    ("e200-low", 200, 20, 1, 1, 0.05),
    ("e200-high", 200, 20, 1, 2, 0.5),
    ("e200-3rounds", 200, 20, 3, 3, 0.05),
    ("e1000-low", 1000, 100, 1, 1, 0.05),
]
for name, g, t, rounds, seed, conf in EVENTS:
    inst = parse_instance(generate_instance(g, t, rounds=rounds, seed=seed, conflict_density=conf))
    plan = solve(
        inst, time_limit=600, seed=1, method="heuristic", workers=2, max_iterations=3_000_000
    )
    out[name] = [plan.objective, int(plan.assignment.sum() * 7 % 1000003)]
print(json.dumps(out))
