"""The improvement heuristic: simulated annealing, its inner loops compiled with Numba (fast.py).

For one round:

- gains[u, t] holds the listed value unit u has with the units at table t (a dense unit x table
  array); moving a unit updates its neighbours' entries;
- diversity is priced from per-table counts of every attribute value (count[t, f]);
- a swap of u (table t1) and v (table t2) changes the value by
  move(u, t2) + move(v, t1) - 2 w(u, v).

With several rounds a move is priced by looping over the unit's listed pairs, with a count per
good pair (per CSR entry, kept equal for its mirror entry) of the rounds in which they meet: a first
meeting adds the once-only value, a further one costs the repeat charge (which the reported objective
never includes).

Proposals are directed: mostly u joins the table of one of its good pairs (swapping with a random
unit there, or taking a free seat), sometimes a random table, so most of the effort goes where value
can be gained. Every hard rule (seats, hosts, apart pairs, fixed and locked units; groups move as one
unit) is checked before a proposal is priced, so the plan stays feasible throughout.

The temperature falls geometrically from a start derived from the values to a small end value over
the iteration budget, or, with only a time limit, over the time limit. The compiled walk cannot read
the clock, so it runs in chunks of proposals (a fixed count with an iteration budget, about
CHUNK_SECONDS of work otherwise) and the deadline is checked between them. With an iteration budget
(and a time limit that is not reached) a run is repeatable for a seed on any machine.

Compiling: the compiled code is cached on disk next to fast.py (or in Numba's user cache when that
folder is read-only), so only the first annealing after installing, or after fast.py changes,
compiles it: about 15 CPU seconds. A process loads the cache on its first annealing in well under a
second. Annealing is skipped (the feasible start plan is returned as it is) when less time is left
than loading (clock.load_seconds()) or compiling (COMPILE_SECONDS) would take, so a run with a tiny
time limit still answers at once and never waits for the compiler; compile_kernels() does the loading or
compiling ahead of time (the seating benchmark calls it before starting its clock).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from gilde.seating import fast
from gilde.seating.clock import COMPILE_SECONDS, load_seconds
from gilde.seating.construct import construct_round
from gilde.seating.generate import generate_instance
from gilde.seating.model import parse_instance
from gilde.seating.units import FloatArray, IntArray, Problem, build_problem

# Start and end temperature as fractions of the mean positive listed pair value.
T_START = 0.5
T_END = 0.04
# Proposals per kernel call with an iteration budget, and wall time per call with a time limit.
CHUNK = 50_000
CHUNK_SECONDS = 0.01

KERNELS = ("round", "rounds", "tabu")
_ready: set[str] = set()


@dataclass(frozen=True)
class AnnealResult:
    """Best unit positions found, their score, and how much work it took."""

    pos: IntArray
    score: float
    iterations: int
    restarts: int


def anneal(
    problem: Problem,
    start: IntArray,
    *,
    seed: int,
    deadline: float,
    max_iterations: int | None = None,
    temperatures: tuple[float, float] = (T_START, T_END),
) -> AnnealResult:
    """Anneal from a feasible one-round start; the score is the value gained over the start.
    The temperatures are fractions of the mean good pair value (start, end)."""
    p = problem
    pos = np.ascontiguousarray(start[:1], dtype=np.int64).copy()
    movable = np.flatnonzero(p.fixed[0] < 0).astype(np.int64)
    if not len(movable) or time.perf_counter() >= deadline or not compiled_by(deadline, ("round",)):
        return AnnealResult(pos, 0.0, 0, 0)
    value = p.per_round + p.once
    gains = np.zeros((p.n_units, p.n_tables))
    np.add.at(gains, (_rows(p), pos[0, p.indices]), value)
    # Saved seats: what a unit saves of the move penalty at each table is part of its gain there
    # (moves only change the pair part, so it stays).
    gains += p.keep[0]
    friend_ptr, friend_idx = _friends(p, value > 0)
    feats = _Features(p, pos)
    seats = _Seats(p, pos)
    positive = value[value > 0]
    scale = float(positive.mean()) if len(positive) else 1.0
    best_pos = pos.copy()
    scores = np.zeros(2)
    pinned = (p.fixed[:1] >= 0).astype(np.int64)
    host_rules, uniform = _rule_flags(p)
    rng = fast.rng_state(seed)

    def walk(iterations: int, temperature: float, factor: float) -> None:
        fast.walk_round(
            iterations,
            temperature,
            factor,
            pos,
            movable,
            pinned,
            friend_ptr,
            friend_idx,
            p.indptr,
            p.indices,
            value,
            p.size,
            p.hosts,
            p.capacity,
            p.minimum,
            host_rules,
            p.host_min,
            p.host_max,
            uniform,
            p.apart_indptr,
            p.apart_indices,
            feats.ptr,
            feats.idx,
            feats.lam,
            feats.cnt,
            feats.dense,
            seats.mem,
            seats.nmem,
            seats.slot,
            seats.load,
            seats.hcount,
            gains,
            feats.count,
            best_pos,
            scores,
            rng,
        )

    t_start, t_end = temperatures[0] * scale, temperatures[1] * scale
    done = _cool(walk, deadline, max_iterations, t_start, t_end)
    return AnnealResult(best_pos, float(scores[1]), done, 0)


def anneal_rounds(
    problem: Problem,
    start: IntArray,
    *,
    seed: int,
    deadline: float,
    max_iterations: int | None = None,
    repeat_cost: float,
    temperatures: tuple[float, float] = (T_START, T_END),
) -> AnnealResult:
    """Anneal an event with several rounds; a good pair adds its once-only value on first meeting
    and the search charges repeat_cost for every further meeting. The temperatures are fractions
    of the mean once-only value (start, end)."""
    p = problem
    pos = np.ascontiguousarray(start, dtype=np.int64).copy()
    step_round, step_unit = (a.astype(np.int64) for a in np.nonzero(p.fixed < 0))
    if (
        not len(step_unit)
        or time.perf_counter() >= deadline
        or not compiled_by(deadline, ("rounds",))
    ):
        return AnnealResult(pos, 0.0, 0, 0)
    rows = _rows(p)
    good = p.once > 0
    meet = ((pos[:, rows] == pos[:, p.indices]).sum(axis=0) * good).astype(np.int64)
    friend_ptr, friend_idx = _friends(p, good)
    feats = _Features(p, pos)
    seats = _Seats(p, pos)
    positive = p.once[good]
    scale = float(positive.mean()) if len(positive) else 1.0
    best_pos = pos.copy()
    scores = np.zeros(2)
    pinned = (p.fixed >= 0).astype(np.int64)
    host_rules, uniform = _rule_flags(p)
    rng = fast.rng_state(seed)

    def walk(iterations: int, temperature: float, factor: float) -> None:
        fast.walk_rounds(
            iterations,
            temperature,
            factor,
            repeat_cost,
            pos,
            step_round,
            step_unit,
            pinned,
            friend_ptr,
            friend_idx,
            p.indptr,
            p.indices,
            p.per_round,
            p.once,
            p.mirror,
            meet,
            p.keep,
            p.size,
            p.hosts,
            p.capacity,
            p.minimum,
            host_rules,
            p.host_min,
            p.host_max,
            uniform,
            p.apart_indptr,
            p.apart_indices,
            feats.ptr,
            feats.idx,
            feats.lam,
            feats.cnt,
            feats.dense,
            seats.mem,
            seats.nmem,
            seats.slot,
            seats.load,
            seats.hcount,
            feats.count,
            best_pos,
            scores,
            rng,
        )

    t_start, t_end = temperatures[0] * scale, temperatures[1] * scale
    done = _cool(walk, deadline, max_iterations, t_start, t_end)
    return AnnealResult(best_pos, float(scores[1]), done, 0)


def _cool(
    walk: Callable[[int, float, float], None],
    deadline: float,
    max_iterations: int | None,
    t_start: float,
    t_end: float,
) -> int:
    """Call the walk chunk by chunk until the budget or the deadline; returns the proposals made."""
    ratio = t_end / t_start
    done = 0
    if max_iterations is not None:
        factor = ratio ** (1.0 / max(1, max_iterations))
        temperature = t_start
        while done < max_iterations and time.perf_counter() < deadline:
            chunk = min(CHUNK, max_iterations - done)
            walk(chunk, temperature, factor)
            temperature *= factor**chunk
            done += chunk
        return done
    started = time.perf_counter()
    span = max(1e-6, deadline - started)
    chunk, now = 1000, started
    while now < deadline:
        progress = min(1.0, (now - started) / span)
        seconds = min(CHUNK_SECONDS, deadline - now)
        end = min(1.0, progress + seconds / span)
        factor = ratio ** ((end - progress) / chunk)
        walk(chunk, t_start * ratio**progress, factor)
        done += chunk
        before, now = now, time.perf_counter()
        # Size the next chunk to about CHUNK_SECONDS at the speed just measured.
        rate = chunk / max(1e-6, now - before)
        chunk = max(1000, min(1_000_000, int(rate * min(CHUNK_SECONDS, deadline - now))))
    return done


def compiled_by(deadline: float, kernels: tuple[str, ...] = KERNELS) -> bool:
    """Make the compiled kernels ready ("round" and "rounds": the walks for one and for several
    rounds, "tabu": the tabu search) if loading or compiling them fits before the deadline. Only
    the kernels a search uses are loaded: each load takes a noticeable part of a second."""
    missing = tuple(k for k in kernels if k not in _ready)
    if not missing:
        return True
    from gilde.seating import tabu

    needed = load_seconds() if fast.cached() and tabu.cached() else COMPILE_SECONDS
    if deadline - time.perf_counter() < needed:
        return False
    compile_kernels(missing)
    return True


def compile_kernels(kernels: tuple[str, ...] = KERNELS) -> None:
    """Compile the walks and the tabu search (or load them from the cache) on a small generated
    event."""
    _ready.update(kernels)
    p = build_problem(parse_instance(generate_instance(12, 2, rounds=2, seed=0)))
    rng = np.random.default_rng(0)
    rows = []
    for r in range(p.rounds):
        row = construct_round(p, r, rng)
        if row is None:
            raise RuntimeError("the warm-up event has no greedy start")
        rows.append(row)
    start = np.stack(rows)
    deadline = time.perf_counter() + 3600.0
    if "round" in kernels:
        anneal(p, start, seed=0, deadline=deadline, max_iterations=10)
    if "rounds" in kernels:
        anneal_rounds(p, start, seed=0, deadline=deadline, max_iterations=10, repeat_cost=1.0)
    if "tabu" in kernels:
        from gilde.seating import tabu

        w = tabu.dense_values(p)
        state = tabu.new_state(p, w, start[0], 0)
        tabu.run_chunk(p, w, state, 2)


def _rows(p: Problem) -> IntArray:
    return np.repeat(np.arange(p.n_units, dtype=np.int64), np.diff(p.indptr))


def _friends(p: Problem, good: np.ndarray) -> tuple[IntArray, IntArray]:
    """CSR of each unit's good pairs, the tables directed proposals aim at."""
    ptr = np.zeros(p.n_units + 1, dtype=np.int64)
    ptr[1:] = np.cumsum(np.bincount(_rows(p)[good], minlength=p.n_units))
    return ptr, p.indices[good].astype(np.int64)


class _Features:
    """Each unit's attribute values as CSR (value f, weight * count, count), and per-round,
    per-table counts of every value."""

    def __init__(self, p: Problem, pos: IntArray) -> None:
        self.dense: FloatArray = np.ascontiguousarray(p.features, dtype=np.float64)
        units, values = np.nonzero(self.dense)
        self.ptr = np.zeros(p.n_units + 1, dtype=np.int64)
        np.add.at(self.ptr, units + 1, 1)
        self.ptr = np.cumsum(self.ptr)
        self.idx = values.astype(np.int64)
        self.cnt = self.dense[units, values]
        self.lam = p.feature_weight[values] * self.cnt
        self.count = np.zeros((pos.shape[0], p.n_tables, self.dense.shape[1]))
        for r in range(pos.shape[0]):
            np.add.at(self.count[r], pos[r], self.dense)


class _Seats:
    """Per round and table: its units (mem[r, t, :nmem[r, t]]), each unit's place in that list,
    seats taken and hosts."""

    def __init__(self, p: Problem, pos: IntArray) -> None:
        rounds, tables = pos.shape[0], p.n_tables
        # A unit takes at least one seat; a swap briefly holds one unit more.
        width = int(p.capacity.max(initial=0)) + 1
        self.mem = np.full((rounds, tables, width), -1, dtype=np.int64)
        self.nmem = np.zeros((rounds, tables), dtype=np.int64)
        self.slot = np.zeros((rounds, p.n_units), dtype=np.int64)
        self.load = np.zeros((rounds, tables), dtype=np.int64)
        self.hcount = np.zeros((rounds, tables), dtype=np.int64)
        for r in range(rounds):
            for u, t in enumerate(pos[r].tolist()):
                self.mem[r, t, self.nmem[r, t]] = u
                self.slot[r, u] = self.nmem[r, t]
                self.nmem[r, t] += 1
            np.add.at(self.load[r], pos[r], p.size)
            np.add.at(self.hcount[r], pos[r], p.hosts)


def _rule_flags(p: Problem) -> tuple[bool, bool]:
    host_rules = p.host_min > 0 or p.host_max < int(p.hosts.sum())
    return bool(host_rules), bool((p.size == 1).all())
