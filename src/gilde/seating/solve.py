"""The solver entry point: a feasible start, the heuristic, and CP-SAT where it can prove optimality."""

from __future__ import annotations

import math
import os
import sys
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Literal

import numpy as np
from threadpoolctl import threadpool_limits

from gilde.seating.clock import load_seconds
from gilde.seating.construct import construct_round
from gilde.seating.model import Instance
from gilde.seating.objective import evaluate
from gilde.seating.plan import Plan, rule_violations
from gilde.seating.units import FloatArray, IntArray, Problem, build_problem, counting_conflicts

if TYPE_CHECKING:
    from gilde.seating.anneal import AnnealResult

# The compiled search (anneal.py, tabu.py and Numba) is imported only when it can run: with less
# time left than loading it takes, the greedy start is the plan and the answer comes at once.

Method = Literal["auto", "heuristic", "exact"]

# Up to this many guests "auto" also runs CP-SAT, which usually proves the optimum quickly.
EXACT_AUTO_GUESTS = 30
# With several rounds, the share of the search spent removing repeated good meetings (if any), and
# its temperature as a fraction of the mean once-only value.
REPAIR_SHARE = 0.1
REPAIR_TEMPERATURE = 0.05
# Seed step between independent annealing chains (chain 0 keeps the solver's seed).
CHAIN_SEED_STEP = 1_000_003
# The share of unit pairs with a listed value from which a one-round plan is made by the tabu
# search instead of the annealing.
TABU_DENSITY = 0.25
# The one-round annealing's temperatures (start, end, as fractions of the mean good pair value)
# per chain: the first chain cools as it always did; a second one starts hotter. Which one wins
# depends on the event: on the 200-guest dinner built from Gilde data (bench/events) the hotter
# walk ended 0.6% higher in the median of four seeds at the same budget, on the generated
# e200-low event of the seating benchmark 0.5% lower, so two workers run both and keep the best.
ONE_ROUND_SCHEDULES = ((0.5, 0.04), (2.0, 0.1))
# Up to this many units the greedy start seats by a dense unit x unit value matrix.
START_VALUES_LIMIT = 4000
# Up to this many units the tabu search keeps its dense value matrix (8 bytes x units^2: 72 MB at
# 3,000).
TABU_UNITS_LIMIT = 3000


def solve(
    inst: Instance,
    *,
    time_limit: float = 10.0,
    seed: int = 0,
    method: Method = "auto",
    max_iterations: int | None = None,
    workers: int = 2,
    avoid_repeats: bool = True,
    deadline: float | None = None,
    started: float | None = None,
) -> Plan:
    """Find the best plan within the time limit; an impossible instance gives an infeasible plan
    whose violations name the rules that clash.

    With max_iterations (annealing proposals) the cooling follows that count and the heuristic is
    deterministic for a seed, as long as the time limit is not reached first; with only a time limit
    the cooling follows the clock, so plans can differ between runs. With avoid_repeats the search
    charges a repeated good meeting what a typical good meeting is worth and, if repeats remain,
    spends the last tenth removing them; otherwise repeats only break ties.

    `workers` is how many CPUs the search may use: CP-SAT's workers, and for the heuristic as many
    independent annealing chains run side by side (the best plan is kept).

    The time limit counts from `started` (a time.perf_counter() reading, default: now), and the
    search ends by `deadline` if that is earlier (the command line keeps back the time it needs to
    write the plan).
    """
    if started is None:
        started = time.perf_counter()
    deadline = min(started + time_limit, deadline if deadline is not None else math.inf)
    # The CPUs are the caller's to give: NumPy's matrix products (OpenBLAS) would otherwise start
    # a thread per CPU, and those threads spin on for a while after each product.
    with threadpool_limits(limits=max(1, workers), user_api="blas"):
        p = build_problem(inst)
        rng = np.random.default_rng(seed)
        pos, clashes = _start(p, rng, deadline, seed)
        if pos is None:
            return _infeasible(inst, clashes, time.perf_counter() - started, method, seed)

        use_exact = method == "exact" or (method == "auto" and inst.n_guests <= EXACT_AUTO_GUESTS)
        heuristic_deadline = deadline
        if use_exact:
            # A short heuristic run gives CP-SAT a good first solution to prove or improve.
            # For a small event a second of annealing is plenty; the rest goes to the proof.
            share = 0.2 * time_limit
            if inst.n_guests <= EXACT_AUTO_GUESTS:
                share = min(share, 1.0)
            heuristic_deadline = min(deadline, time.perf_counter() + max(0.05, share))

        chains = 1 if use_exact else max(1, min(workers, os.cpu_count() or 1))
        best, bound, optimal = pos, None, False
        if search_loadable(heuristic_deadline):
            best = _search(
                p, pos, seed, chains, heuristic_deadline, max_iterations, avoid_repeats
            ).pos
        if use_exact:
            from gilde.seating.exact import solve_exact  # CP-SAT loads only when it runs

            exact = solve_exact(
                p, time_limit=deadline - time.perf_counter(), seed=seed, workers=workers, hint=best
            )
            if exact.pos is not None:
                if _objective(inst, p, exact.pos) > _objective(inst, p, best) + 1e-9:
                    best = exact.pos
                bound, optimal = exact.bound, exact.optimal
        return finish_plan(
            inst,
            p.to_guests(best),
            seconds=time.perf_counter() - started,
            method="heuristic+cp-sat" if use_exact else "heuristic",
            seed=seed,
            bound=bound,
            optimal=optimal,
        )


def finish_plan(
    inst: Instance,
    assignment: IntArray,
    *,
    seconds: float,
    method: str,
    seed: int | None,
    bound: float | None = None,
    optimal: bool = False,
) -> Plan:
    """Wrap an assignment as a Plan with objective, seat values and an independent rule check."""
    ev = evaluate(inst, assignment)
    violations = rule_violations(inst, assignment)
    if bound is not None:
        # A rounded bound just under the objective still proves it optimal.
        optimal = optimal or ev.objective >= bound - 1e-6
        bound = max(bound, ev.objective)
    return Plan(
        assignment=assignment,
        objective=ev.objective,
        feasible=not violations,
        violations=tuple(violations),
        bound=bound,
        optimal=optimal and not violations,
        seconds=seconds,
        method=method,
        seed=seed,
        seat_values=ev.seat_values,
        repeated_positive_pairs=ev.repeated_positive_pairs,
        moved=ev.moved,
        move_cost=ev.move_cost,
    )


def search_loadable(deadline: float) -> bool:
    """Whether the compiled search may still run before the deadline: it is imported already
    (anneal.compiled_by then decides), or importing and loading it fits."""
    return "gilde.seating.anneal" in sys.modules or deadline - time.perf_counter() >= load_seconds()


def _search(
    p: Problem,
    pos: IntArray,
    seed: int,
    chains: int,
    deadline: float,
    max_iterations: int | None,
    avoid_repeats: bool,
) -> AnnealResult:
    """Improve the start plan with the compiled search: the tabu search for a one-round plan with
    dense values, the annealing otherwise; `chains` independent runs side by side."""
    from gilde.seating import tabu
    from gilde.seating.anneal import anneal

    dense = tabu.dense_values(p) if tabu_used(p) else None

    def chain(chain_seed: int, index: int = 0) -> AnnealResult:
        if dense is not None:
            return _tabu_chain(p, dense, pos, chain_seed, deadline, max_iterations)
        if p.rounds == 1:
            return anneal(
                p,
                pos,
                seed=chain_seed,
                deadline=deadline,
                max_iterations=max_iterations,
                temperatures=ONE_ROUND_SCHEDULES[index % len(ONE_ROUND_SCHEDULES)],
            )
        return _anneal_rounds(p, pos, chain_seed, deadline, max_iterations, avoid_repeats)

    return _best_chain(p.instance, p, chain, seed, chains, deadline)


def _start(
    p: Problem, rng: np.random.Generator, deadline: float, seed: int
) -> tuple[IntArray | None, list[str]]:
    clashes = counting_conflicts(p)
    if clashes:
        return None, clashes
    pos = np.full((p.rounds, p.n_units), -1, dtype=np.int64)
    values = start_values(p)
    for r in range(p.rounds):
        row = construct_round(p, r, rng, values=values)
        if row is None:
            # The greedy start failed: let CP-SAT find a plan, or the rules that rule one out.
            from gilde.seating.conflicts import find_feasible_or_conflicts

            limit = max(5.0, deadline - time.perf_counter())
            row, clashes = find_feasible_or_conflicts(p, r, time_limit=limit, seed=seed)
            if row is None:
                return None, clashes
        pos[r] = row
        if values is not None and p.rounds > 1:
            # Good pairs seated together now are worth nothing more in the next rounds.
            rows = np.repeat(np.arange(p.n_units), np.diff(p.indptr))
            met = (row[rows] == row[p.indices]) & (p.once > 0)
            values[rows[met], p.indices[met]] -= p.once[met]
    return pos, []


def start_values(p: Problem) -> FloatArray | None:
    """The unit x unit values the greedy start seats by (None when too many units for a matrix)."""
    if p.n_units > START_VALUES_LIMIT:
        return None
    values = -((p.features * p.feature_weight) @ p.features.T)
    rows = np.repeat(np.arange(p.n_units), np.diff(p.indptr))
    values[rows, p.indices] += p.per_round + p.once  # each (row, index) once in the CSR
    return values


def _infeasible(inst: Instance, clashes: list[str], seconds: float, method: str, seed: int) -> Plan:
    return Plan(
        assignment=np.zeros((0, inst.n_guests), dtype=np.int64),
        objective=0.0,
        feasible=False,
        violations=tuple(clashes),
        seconds=seconds,
        method=method,
        seed=seed,
    )


def _best_chain(
    inst: Instance,
    p: Problem,
    chain: Callable[[int, int], AnnealResult],
    seed: int,
    chains: int,
    deadline: float,
) -> AnnealResult:
    """Run independent annealing chains side by side, one per CPU the caller allows (the compiled
    walk releases the interpreter lock), and keep the best plan: fewest repeated good meetings,
    then the highest objective, then the lowest chain. Each chain is repeatable for its seed, so
    the choice is too."""
    from gilde.seating.anneal import AnnealResult, compiled_by

    # One CPU per chain: a chain's matrix products (the tabu search's gain matrix for each new
    # start) run on its own thread. A one-worker run at 480 elements took 21.2 CPU seconds in 20 s
    # of wall time with OpenBLAS's threads, 20.0 without; the products are the same to the bit.
    with threadpool_limits(limits=1, user_api="blas"):
        if chains == 1:
            return chain(seed, 0)
        # Load (or compile) once, before the threads start.
        compiled_by(deadline, ("tabu",) if p.rounds == 1 and tabu_used(p) else ("round", "rounds"))
        seeds = [seed + i * CHAIN_SEED_STEP for i in range(chains)]
        with ThreadPoolExecutor(max_workers=chains) as pool:
            results = list(pool.map(chain, seeds, range(chains)))

    def rank(item: tuple[int, AnnealResult]) -> tuple[int, float, int]:
        index, result = item
        ev = evaluate(inst, p.to_guests(result.pos))
        return ev.repeated_positive_pairs, -ev.objective, index

    best = min(enumerate(results), key=rank)[1]
    return AnnealResult(best.pos, best.score, sum(r.iterations for r in results), best.restarts)


def _anneal_rounds(
    p: Problem,
    pos: IntArray,
    seed: int,
    deadline: float,
    max_iterations: int | None,
    avoid_repeats: bool,
) -> AnnealResult:
    """Anneal several rounds; then, if good pairs still meet twice, a short cold walk that charges
    each repeat more than any good meeting is worth removes every repeat it can."""
    from gilde.seating.anneal import anneal_rounds

    cost = _repeat_cost(p, avoid_repeats)
    if not avoid_repeats or cost == 0.0:
        return anneal_rounds(
            p, pos, seed=seed, deadline=deadline, max_iterations=max_iterations, repeat_cost=cost
        )
    now = time.perf_counter()
    main_deadline = now + (1 - REPAIR_SHARE) * max(0.0, deadline - now)
    main_budget = None if max_iterations is None else int((1 - REPAIR_SHARE) * max_iterations)
    result = anneal_rounds(
        p, pos, seed=seed, deadline=main_deadline, max_iterations=main_budget, repeat_cost=cost
    )
    if evaluate(p.instance, p.to_guests(result.pos)).repeated_positive_pairs == 0:
        return result
    strict = 2.0 * float(p.once.max())
    return anneal_rounds(
        p,
        result.pos,
        seed=seed + 1,
        deadline=deadline,
        max_iterations=None if max_iterations is None else max_iterations - (main_budget or 0),
        repeat_cost=strict,
        temperatures=(REPAIR_TEMPERATURE, REPAIR_TEMPERATURE),
    )


def tabu_used(p: Problem) -> bool:
    """Whether the tabu search makes the plan: one round, a value matrix that fits in memory,
    units to move, and values on at least TABU_DENSITY of the unit pairs. Events with several
    rounds, more units or few listed pairs are annealed: on sparse values the annealing's
    proposals aimed at good pairs' tables did better than the full scans of the tabu search (in
    the seating benchmark's 200-guest events, 1343 against 1297 at 5 s)."""
    if p.rounds != 1 or p.n_units > TABU_UNITS_LIMIT or not (p.fixed[0] < 0).any():
        return False
    pairs = p.n_units * (p.n_units - 1) / 2
    return len(p.indices) / 2 >= TABU_DENSITY * max(1.0, pairs)


def _tabu_chain(
    p: Problem,
    w: FloatArray,
    pos: IntArray,
    seed: int,
    deadline: float,
    max_iterations: int | None,
) -> AnnealResult:
    """One round: the population search (tabu.evolve) from the start plan (a tabu step for
    every `units` iterations of the budget)."""
    from gilde.seating import tabu
    from gilde.seating.anneal import AnnealResult, compiled_by

    if time.perf_counter() >= deadline or not compiled_by(deadline, ("tabu",)):
        return AnnealResult(pos[:1].copy(), 0.0, 0, 0)
    budget = None if max_iterations is None else max(1, max_iterations // max(1, p.n_units))
    best, score, steps = tabu.evolve(p, w, pos[0], seed, deadline=deadline, max_steps=budget)
    return AnnealResult(best[None, :].copy(), score, steps, 0)


def _repeat_cost(p: Problem, avoid: bool) -> float:
    # The search charges a repeat; the reported objective never does. "Avoid" charges what
    # a typical good meeting is worth, so a repeat is kept only where it pays; otherwise a
    # thousandth of the smallest value only breaks ties.
    if p.rounds == 1 or not (p.once > 0).any():
        return 0.0
    if avoid:
        return float(np.median(p.once[p.once > 0]))
    values = np.abs(np.concatenate([p.per_round, p.once, p.feature_weight]))
    return 1e-3 * float(values[values > 0].min())


def _objective(inst: Instance, p: Problem, pos: IntArray) -> float:
    return evaluate(inst, p.to_guests(pos)).objective
