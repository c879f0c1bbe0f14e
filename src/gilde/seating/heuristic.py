"""The improvement heuristic: greedy descent, then annealing cycles that restart from the best plan.

Each step picks a unit and a round at random, prices every move of that unit to another table and
every swap with another unit at once (vectorised), and picks one of them with probability
proportional to exp(delta / temperature) ("heat bath"). Temperatures follow the iteration count,
not the clock, so a run is the same for the same seed; the time limit only decides where it stops.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

import numpy as np

from gilde.seating.search import SearchState
from gilde.seating.units import FloatArray, IntArray, Problem

TOLERANCE = 1e-9
MIN_CYCLE = 20
T_HIGH = 0.35
T_LOW = 0.06


@dataclass(frozen=True)
class SearchResult:
    """Best unit positions found, their score, and how much work it took."""

    pos: IntArray
    score: float
    iterations: int
    cycles: int


def local_search(
    problem: Problem,
    start: IntArray,
    *,
    seed: int,
    deadline: float,
    max_iterations: int | None = None,
    repeat_cost: float = 0.0,
) -> SearchResult:
    """Improve a feasible start until the deadline (time.perf_counter) or the iteration budget."""
    rng = np.random.default_rng(seed)
    state = SearchState(problem, start, repeat_cost)
    steps = [(r, int(u)) for r in range(problem.rounds) for u in state.movable[r]]
    budget = max_iterations if max_iterations is not None else math.inf
    if not steps:
        return SearchResult(state.pos.copy(), state.score, 0, 0)

    iterations = _descend(state, steps, rng, deadline, budget)
    best_pos, best_score = state.pos.copy(), state.score
    t_high = _calibrate(state, steps, rng)
    cycles = 0
    while iterations < budget and time.perf_counter() < deadline and t_high > 0:
        # One slow cooling beats several quick ones, so a cycle spans all the time (or iterations)
        # that is left; later cycles only run if the first one ends early.
        cycles += 1
        left = budget - iterations
        length = int(left) if math.isfinite(left) else 1 << 62
        done, pos, score = _anneal(
            state, steps, rng, t_high, max(MIN_CYCLE * len(steps), length), deadline
        )
        iterations += done
        if score > best_score + TOLERANCE:
            best_pos, best_score = pos, score
        state.pos = best_pos.copy()
        state.rebuild()
        iterations += _descend(state, steps, rng, deadline, budget - iterations)
        if state.score > best_score + TOLERANCE:
            best_pos, best_score = state.pos.copy(), state.score
    return SearchResult(best_pos, best_score, int(iterations), cycles)


def _best_step(state: SearchState, r: int, u: int) -> tuple[FloatArray, int]:
    moves = state.move_deltas(r, u)
    swaps = state.swap_deltas(r, u)
    deltas = np.concatenate([moves, swaps])
    return deltas, int(np.argmax(deltas))


def _apply(state: SearchState, r: int, u: int, k: int, delta: float) -> None:
    tables = state.p.n_tables
    if k < tables:
        state.move(r, u, k)
    else:
        state.swap(r, u, k - tables)
    state.score += delta


def _descend(
    state: SearchState,
    steps: list[tuple[int, int]],
    rng: np.random.Generator,
    deadline: float,
    budget: float,
) -> int:
    """Apply the best improving move or swap per unit until a full pass improves nothing."""
    done = 0
    improved = True
    while improved:
        improved = False
        for i in rng.permutation(len(steps)).tolist():
            if done >= budget or time.perf_counter() >= deadline:
                return done
            r, u = steps[i]
            deltas, k = _best_step(state, r, u)
            done += 1
            if deltas[k] > TOLERANCE:
                _apply(state, r, u, k, float(deltas[k]))
                improved = True
    return done


def _calibrate(state: SearchState, steps: list[tuple[int, int]], rng: np.random.Generator) -> float:
    # At a local optimum the best step of each unit loses something; a start temperature of that
    # typical loss lets the walk leave the optimum without turning into a random shuffle.
    losses = []
    for i in rng.choice(len(steps), size=min(len(steps), 100), replace=False).tolist():
        deltas, k = _best_step(state, *steps[i])
        if np.isfinite(deltas[k]):
            losses.append(-float(deltas[k]))
    positive = [x for x in losses if x > TOLERANCE]
    return float(np.median(positive)) if positive else 0.0


def _anneal(
    state: SearchState,
    steps: list[tuple[int, int]],
    rng: np.random.Generator,
    t_high: float,
    length: int,
    deadline: float,
) -> tuple[int, IntArray, float]:
    """One cooling over the useful temperature range, paced by iterations or by the clock,
    whichever runs out first; returns steps done and the best plan seen."""
    best_pos, best_score = state.pos.copy(), state.score
    start = time.perf_counter()
    span = max(1e-6, deadline - start)
    ratio = T_LOW / T_HIGH
    temperature = t_high * T_HIGH
    done = 0
    while done < length:
        if done & 15 == 0:
            now = time.perf_counter()
            if now >= deadline:
                break
            progress = max(done / length, (now - start) / span)
            temperature = t_high * T_HIGH * ratio**progress
        r, u = steps[int(rng.integers(len(steps)))]
        deltas, k = _best_step(state, r, u)
        done += 1
        top = float(deltas[k])
        if not np.isfinite(top):
            continue
        shift = max(top, 0.0)
        weights = np.exp((deltas - shift) / temperature)
        cumulative = np.cumsum(weights)
        stay = math.exp(-shift / temperature)
        x = rng.random() * (cumulative[-1] + stay)
        if x >= cumulative[-1]:
            continue
        choice = int(np.searchsorted(cumulative, x, side="right"))
        _apply(state, r, u, choice, float(deltas[choice]))
        if state.score > best_score + TOLERANCE:
            best_pos, best_score = state.pos.copy(), state.score
    return done, best_pos, best_score
