"""Iterated tabu search for one round, after the published methods for maximally diverse grouping.

The ideas (not code) come from tabu search with strategic oscillation (Gallego et al. 2013), iterated
maxima search (Lai & Hao 2016) and the three-phase search with a dynamic population (Yang et al.
2022):

- a dense unit x unit value matrix W (listed value minus shared diversity) and a gain matrix
  gains[u, t] = the sum of W[u, v] over the units v at table t, kept up to date in O(units) per
  applied move; so a move of u from t1 to t2 is worth gains[u, t2] - gains[u, t1] and a swap of u
  (t1) and v (t2) that plus gains[v, t1] - gains[v, t2] - 2 W[u, v]: O(1) each;
- the swaps are scanned table by table with a bound (the unit's move to the table, plus the best
  move back of any unit there, minus twice the unit's least pair value), and a table whose bound
  cannot beat the best candidate so far is skipped: the step still finds the best swap of all, at
  a fraction of the n^2 / 2 prices (five times more steps per second at 240 elements, three to six
  at 960); each unit keeps an upper bound over all its tables, kept up to date in O(1) per step
  because a step changes the gains at two tables only, so a unit that cannot beat the best
  candidate is skipped without a look at its tables (at 960 elements in 96 tables 1.8 times more
  steps per second again, at 480 in 20 tables 1.5 times; at 120 in 10 tables, where almost every
  unit is looked at anyway, 10-20% fewer);
- with many tables (ENTRY_TABLES) the best swap of each unit with the units at each other table is
  kept from step to step (its best allowed value, its best value not tabu with the ties, and the
  step at which a tabu that held back a candidate ends): a swap of u at table a with a unit at b
  is priced from gains in columns a and b only, so a step between tables t1 and t2 leaves every
  other unit's entries for the other tables as they were, and only those whose bound reaches the
  best candidate so far are looked at again. A unit's bound then comes from its entries as they
  are, not from the loose bound above, so far fewer units are looked at: at 960 elements in 96
  tables 63 instead of 322 per step, 1.7-1.9 times the steps per second; at 480 in 20 tables
  1.2 times; with 10 or 12 tables it saves nothing and the scan prices afresh as before;
- each step applies the best allowed move or swap of the whole neighbourhood; a unit that left a
  table may not return to it for a random number of steps (the tabu tenure), nor may a step lead
  to a plan the search has been at before (a memory of visited plans, as in solution-based tabu
  search: three Zobrist hashes of the plan, updated in O(1) per candidate, each marking one bit in
  an array of 2^23), unless that makes a better plan than any found (aspiration);
- when the best plan has not improved for a while, a perturbation of random swaps restarts the
  search from the best plan (iterated); a walk that many perturbations in a row left where it was
  gets a larger one and more time (ESCAPE_CYCLES);
- a population of such searches (started from different plans) is recombined by a crossover that
  keeps every group of units the two parents agree on (units seated together in both) and seats
  the rest greedily; the child is improved by the tabu search and replaces the worst member.

Every hard rule (seats and minimum per table, hosts per table, apart pairs, fixed or locked units,
groups as units) is checked for each candidate, so plans stay feasible. The compiled kernels draw
from the same xorshift generator as the annealing walk (fast.py), so a seed and a step budget give
the same plan on any machine.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import numpy as np
from numba import njit

from gilde.seating.fast import RngState, _random, rng_state
from gilde.seating.units import FloatArray, IntArray, Problem

# Steps without a better plan after which the search is perturbed, as a multiple of sqrt(units), and
# the number of random swaps of a perturbation as a share of the units. The tabu walk diversifies
# well on its own: at an equal step budget (four seeds) a patience of 1000 rather than 20 ended 0.3%
# higher on RanReal-240, 0.35% on RanInt-240, 0.5% on RanReal-480 and 0.65% on RanReal-960, and
# 0.02% lower on Geo-240 (Euclidean values, where perturbing helps a little). That holds where the
# walk keeps the memory of visited plans (below). Where it keeps none, its longer tenure
# (TENURE_FREE) makes it wander longer before it finds more, and perturbing after 1000 sqrt(units)
# steps came too early: at 480 elements and 20 s (eight seeds, two runs at a time) a patience of
# 2500 rather than 1000 lifted RanInt-480's median from 379,950 to 380,390 (higher in seven seeds of
# eight), RanReal-480 379,078 against 379,046; 5000 gave 380,632 and 379,040 (higher than 2500 in
# four seeds of eight on each). The gain is the patience, not leaving out the population (which with
# 2500 does not run at 20 s, see SLICE_PATIENCE): the first search alone for the whole 20 s with a
# patience of 1000 ended at 379,846. At 240 elements and 10 s 2500 was within the seeds' spread
# (RanReal-240 median 156,031 against 155,996, RanInt-240 156,023 against 156,046). Where the memory
# is kept, 2500 was no better: RanInt-960 at 60 s, four seeds, 360,654 against 360,581, RanReal-960
# 359,749 against 359,647; RanInt-120 at 3 s found its best known value in three seeds of six
# instead of six.
PATIENCE = 1000.0
PATIENCE_FREE = 2500.0
PERTURB_SHARE = 0.05
# A walk perturbed ESCAPE_CYCLES times in a row without finding a better plan stands still: its next
# perturbation swaps ESCAPE_SHARE of the units instead of PERTURB_SHARE, and the walk from there
# gets ESCAPE_PATIENCE times the patience more before it is taken back to the best plan; a better
# plan starts the count again. At 960 elements in tables of 10 some walks found nothing better in
# their last two million steps, about 65 perturbations (bench/seating/mdgp_trace.py). At 2.1
# million steps (about the benchmark's minute), seeds 1-8: RanReal-960 median 360,061 against
# 359,898, RanInt-960 361,025 against 360,809; six runs of sixteen higher (by 27 to 1,191), two lower
# (by 23 and 33), the lowest run 359,575 against 359,231 and 360,669 against 360,488. After 10 such
# perturbations instead of 20 it came too early where the walk still found more, slowly (RanReal-960
# seeds 1 and 4 at three million steps 360,254 and 359,817 against 360,402 and 360,040). Where the
# walk keeps no memory (tables of 16 or more) its patience is 2.5 times longer, and the
# population's slices end before twenty perturbations. With few tables it is left out (fewer than
# ESCAPE_TABLES): at 120 elements in 10 tables (450,000 steps, about the 3 s limit, seeds 1-8 of
# each instance) it changed 5 runs of 24, two higher and three lower (Geo-120 median 9,167.10
# against 9,167.82).
ESCAPE_CYCLES = 20
ESCAPE_SHARE = 0.25
ESCAPE_PATIENCE = 10.0
ESCAPE_TABLES = 16
# The least tabu tenure (steps a unit may not return to the table it left) is 2 plus a quarter of
# the tables, at most TENURE_CAP more; a random number of steps up to the least tenure plus 8 is
# added. At 96 tables (960 elements, 400,000 steps, four seeds) a cap of 5 did best: RanInt-960
# median 360,248 against 360,192 with 3, 360,142 with 7, 359,391 with 9 and 359,113 with 15;
# RanReal-960 358,823 against 358,572 with 3 and 358,144 with 9 (higher in three seeds of four).
# (Uncapped, 26, was below 9 before.) This rule holds where the walk keeps the memory of visited
# plans (tables of fewer than POPULATION_GROUP units), which keeps it from circling back as well.
# Where it keeps none, the tenure does that alone and a longer one does better: the least tenure
# there is 1 plus half the tables, at most TENURE_FREE. At 20 tables (480 elements, 20 s, the whole
# population search, two runs at a time with the same seeds, 14 seeds) 11 instead of 7 ended higher
# in 11 of 14 seeds on both RanReal-480 (median 378,854 against 378,604) and RanInt-480 (379,939
# against 379,764); 15 and 20 (six seeds) were not better than 11. At 12 tables (240 elements, 10 s,
# eight seeds) 7 and 9 instead of 5 were within the seeds' spread (RanReal-240 medians 155,976 and
# 156,026 against 155,955-155,983, RanInt-240 156,051 and 155,977 against 155,993-155,995). Under
# the former rule, with the former patience, a least tenure of 4 instead of 7 at 20 tables lost 0.2%
# (RanInt-480) and one of 12 instead of 5 at 12 tables 0.04% (RanReal-240).
TENURE_CAP = 5
TENURE_FREE = 11
# Population search: the plans in it (the greedy start and random greedy ones), children to make
# (each other start and child gets an equal slice of the budget), and children after which the
# worst member leaves the population. The greedy start's search gets FIRST_SHARE of the budget;
# the population follows only when a slice gives at least SLICE_PATIENCE times the patience in
# steps: a shorter search ends far below the first one and the slices are wasted. At 960 elements
# in 96 groups and 60 s a slice gives 0.4 times the patience, the children ended at 98.4-98.9% of
# the first search's plan, and the first search given the whole minute ended 0.2% higher
# (RanInt-960 99.89% instead of 99.69% of the reference, RanReal-960 100.07% instead of 99.89%).
# At 480 elements in 20 groups and 20 s the children lift the plan (RanInt-480 from 99.73% after
# the first search to 99.95%), and a first share of 0.3 rather than 0.5 (slices of twice the
# patience) did better at the same step budget (700,000 steps, eight seeds: median 99.97% instead
# of 99.91%, better in six seeds of eight; 0.15 gave 99.96%, the first search alone 99.91%).
# Those figures are from before the longer tenure and patience of a walk without the memory of
# visited plans (TENURE_FREE, PATIENCE_FREE). With them a slice at 480 elements and 20 s gave
# about 0.9 times the patience on the benchmark machine, so the first search kept the whole
# budget there, and it ended higher than the population with the former patience (RanInt-480
# median 380,390 against 379,950). Where the population runs it helps: at 30 s (slices of 1.4
# times the patience) RanInt-480 ended at a median of 380,502 against 380,361 for the first search
# alone (higher in 9 seeds of 12), RanReal-480 379,224 against 379,131; let run at 20 s (0.9
# times) it was within the seeds' spread, and in 5 seeds of 12 no child beat the first search's
# plan. Since the branch-free bounds (_into_column) the kernel makes 1.3 times the steps at 480
# elements, a slice at 20 s gives about 1.15 times the patience and the population runs there:
# RanInt-480 median 380,519 (eight seeds; 380,390 before), RanReal-480 379,022 (379,052).
POPULATION = 4
CHILDREN = 8
FIRST_SHARE = 0.3
POPULATION_SHRINK = 3
SLICE_PATIENCE = 1.0
# The population runs only when the tables seat at least this many units on average: with small
# tables two parents agree on few units seated together, and a child is little better than a new
# start. Measured with the same seed, one against the other: at 960 elements in tables of 10 and
# 180 s the first search alone ended at 359,255 on RanReal-960, with the population 357,773 (its
# children ended at 99.3-99.6% of the reference, the first search's plan at 99.75%); at 120
# elements in tables of 12 and 3 s the two were equal (RanInt-120) or the first search alone
# higher by up to 0.01% (Geo-120, three seeds); in tables of 20 and 24 (240 and 480 elements) the
# population did better (RanInt-240 at 10 s, median of three seeds 99.99% against 99.92%;
# RanInt-480 above).
POPULATION_GROUP = 16
# The memory of visited plans is kept where the population never runs (tables of fewer than
# POPULATION_GROUP units on average), so the first search is one long walk. There it raised the
# minute's median at 960 elements in tables of 10 (see docs/seating.md); in the population's short
# searches it cost 8% of the steps and more than it gained: 240 elements in 12 tables at 10 s, four
# seeds, medians equal (RanInt) and 0.02% lower (RanReal); RanInt-480 at 20 s, eight seeds,
# 379,802 against 380,122.
# The memory itself: three hashes of 64 bits, each marking one bit of 2^SEEN_BITS (1 MB
# each). A plan counts as visited when its three bits are set: after 750,000 steps (a minute at
# 960 elements) a new plan is taken for a visited one with a chance of about (750,000 / 2^23)^3,
# 0.07%, after three minutes 2% (such a plan is only refused, like a tabu move). Arrays of 2^25
# bits made 4% fewer steps per second at 480 elements (they fit the caches worse).
SEEN_BITS = 23
# Wall time per kernel call between reads of the clock.
CHUNK_SECONDS = 0.02
TOLERANCE = 1e-9
# The scan keeps each unit's best swap with each table from 16 tables on (see above): at 12 tables
# (240 elements) a step changes a sixth of the tables, the entries are looked at again about as
# often as the swaps are priced afresh, and keeping them cost 3-8% of the steps per second.
ENTRY_TABLES = 16
# The kernel and _after_step allocate nothing, so they are compiled without Numba's reference
# counts (its runtime's option _nrt): with them every array handed to an inlined helper (the
# rule checks, _entry) cost an atomic increment and decrement, a fifth of the time at 960
# elements.
WITHOUT_REFCOUNTS: dict[str, Any] = {"_nrt": False}
# Hot loads indexed by a unit or table read from an array (a table's members, a unit's table)
# index with np.uint64(...): Numba then leaves out the test it adds for a negative index (counted
# from the end), which it cannot rule out for a signed value loaded from memory. Together with
# the gains of a step in one pass over the units (_after_step): 1.11 times the steps per second at
# RanReal-960, 1.16 at RanInt-960, 1.07-1.09 at n = 480, 1.12 at RanReal-240; the same walk.
NEVER = 1 << 62


@dataclass
class TabuState:
    """The arrays one tabu search works on (one round, units by index)."""

    pos: IntArray
    gains: FloatArray
    load: IntArray
    hcount: IntArray
    apart_at: IntArray
    tabu: IntArray
    best_pos: IntArray
    scores: FloatArray  # [current, best, steps since best improved, step, perturbations since]
    rng: RngState
    low: FloatArray  # low[u]: min(0, the least value u has with another unit)
    movable: IntArray  # 1 for a unit the search may seat elsewhere (not fixed or locked)
    # The scan's bookkeeping, kept between kernel calls so that how a budget is cut into calls
    # does not change the walk: the movable units at each table (members[t, :count[t]], slot[u]
    # is u's place there), into[t1, t2] (the best move to t1 of a unit at t2) and each unit's
    # bounds (see tabu_steps).
    members: IntArray
    count: IntArray
    slot: IntArray
    into: FloatArray
    bswap: FloatArray
    bmove: FloatArray
    # The memory of visited plans: zobrist[k, u, t] is unit u's key at table t in hash k, hashes
    # the current plan's three hashes, seen the bits they have marked (both arrays empty when
    # the search keeps no memory).
    zobrist: IntArray
    hashes: IntArray
    seen: IntArray
    # The swaps of each unit with the units at each other table, as last looked at (see
    # _entry): ex[:, u, t] = [best not tabu, its ties, best of all], exi[:, u, t] = [the unit at
    # t of the best not tabu, of the best of all, the step from which this no longer holds (0
    # once a step changed either table)]. Each kind in a plane of its own, so the scan reads a
    # unit's entries for every table from one row (RanReal-960 1.08-1.10 times the steps per second
    # of the unit-table-kind order, RanInt-480 1.06; the same walk).
    ex: FloatArray
    exi: IntArray


def dense_values(p: Problem) -> FloatArray:
    """W[u, v]: what units u and v add when they share a table in a one-round plan."""
    w = -((p.features * p.feature_weight) @ p.features.T)
    rows = np.repeat(np.arange(p.n_units), np.diff(p.indptr))
    w[rows, p.indices] += p.per_round + p.once  # each (row, index) once in the CSR
    np.fill_diagonal(w, 0.0)
    return np.ascontiguousarray(w)


def new_state(
    p: Problem, w: FloatArray, pos: IntArray, seed: int, *, remember: bool = True
) -> TabuState:
    """Build the gain matrix and counters for a one-round plan pos (units -> tables); remember:
    whether the search keeps the memory of visited plans (evolve keeps it where the population
    never runs, see SEEN_BITS)."""
    pos = np.ascontiguousarray(pos, dtype=np.int64).copy()
    onehot = np.zeros((p.n_units, p.n_tables))
    onehot[np.arange(p.n_units), pos] = 1.0
    # A unit's gain at a table includes what it saves of the move penalty there (saved seats);
    # applying a move changes only the pair part.
    gains = np.ascontiguousarray(w @ onehot + p.keep[0])
    load = np.bincount(pos, p.size, p.n_tables).astype(np.int64)
    hcount = np.bincount(pos, p.hosts, p.n_tables).astype(np.int64)
    apart_at = np.zeros((p.n_units, p.n_tables), dtype=np.int64)
    rows = np.repeat(np.arange(p.n_units), np.diff(p.apart_indptr))
    np.add.at(apart_at, (rows, pos[p.apart_indices]), 1)
    score = _value(p, w, pos)
    return TabuState(
        pos=pos,
        gains=gains,
        load=load,
        hcount=hcount,
        apart_at=apart_at,
        tabu=np.zeros((p.n_units, p.n_tables), dtype=np.int64),
        best_pos=pos.copy(),
        scores=np.array([score, score, 0.0, 0.0, 0.0]),
        rng=rng_state(seed),
        low=np.minimum(w.min(axis=1), 0.0),
        movable=(p.fixed[0] < 0).astype(np.int64),
        members=np.empty((p.n_tables, int(p.capacity.max())), dtype=np.int64),
        count=np.full(p.n_tables, -1, dtype=np.int64),  # -1: the kernel builds it on its first call
        slot=np.zeros(p.n_units, dtype=np.int64),
        into=np.empty((p.n_tables, p.n_tables)),
        bswap=np.empty(p.n_units),
        bmove=np.empty(p.n_units),
        zobrist=np.random.default_rng(seed).integers(
            -(2**63), 2**63 - 1, (3, p.n_units, p.n_tables), dtype=np.int64
        )
        if remember
        else np.zeros((3, 0, 0), dtype=np.int64),
        hashes=np.zeros(3, dtype=np.int64),
        seen=np.zeros((3, (1 << SEEN_BITS) // 64 if remember else 0), dtype=np.int64),
        ex=np.zeros((3, p.n_units, p.n_tables)),
        exi=np.zeros((3, p.n_units, p.n_tables), dtype=np.int64),
    )


def run_chunk(p: Problem, w: FloatArray, s: TabuState, steps: int) -> None:
    """Advance the search by a number of steps (the kernel keeps its place in s)."""
    remember = s.seen.shape[1] > 0  # the memory of visited plans is kept (see new_state)
    patience = patience_steps(p, remember=remember)
    kicks = perturb_swaps(p, PERTURB_SHARE)
    host_rules = bool(p.host_min > 0 or p.host_max < int(p.hosts.sum()))
    tabu_steps(
        steps,
        patience,
        kicks,
        ESCAPE_CYCLES if p.n_tables >= ESCAPE_TABLES else 0,
        perturb_swaps(p, ESCAPE_SHARE),
        int(ESCAPE_PATIENCE * patience),
        w,
        s.pos,
        s.movable,
        p.size,
        p.hosts,
        p.capacity,
        p.minimum,
        host_rules,
        p.host_min,
        p.host_max,
        p.apart_indptr,
        p.apart_indices,
        s.gains,
        s.load,
        s.hcount,
        s.apart_at,
        s.tabu,
        s.best_pos,
        s.scores,
        s.rng,
        s.low,
        least_tenure(p, remember=remember),
        s.members,
        s.count,
        s.slot,
        s.into,
        s.bswap,
        s.bmove,
        s.zobrist,
        s.hashes,
        s.seen,
        s.ex,
        s.exi,
        p.n_tables >= ENTRY_TABLES,
    )


def search(
    p: Problem,
    w: FloatArray,
    state: TabuState,
    *,
    deadline: float,
    max_steps: int | None,
) -> int:
    """Run the iterated tabu search until the step budget or the deadline; returns the steps."""
    done = 0
    chunk = 50
    while time.perf_counter() < deadline and (max_steps is None or done < max_steps):
        n = chunk if max_steps is None else min(chunk, max_steps - done)
        before = time.perf_counter()
        run_chunk(p, w, state, n)
        done += n
        if max_steps is None:
            spent = max(1e-6, time.perf_counter() - before)
            left = max(0.0, deadline - time.perf_counter())
            chunk = max(1, min(100_000, int(n / spent * min(CHUNK_SECONDS, left))))
    return done


@dataclass(frozen=True)
class Member:
    """A plan in the population with its value (relative to a common base)."""

    pos: IntArray
    score: float


def evolve(
    p: Problem,
    w: FloatArray,
    start: IntArray,
    seed: int,
    *,
    deadline: float,
    max_steps: int | None,
) -> tuple[IntArray, float, int]:
    """The population search: improve the start plan with the iterated tabu search for
    FIRST_SHARE of the budget; then, if the tables seat at least POPULATION_GROUP units on
    average and the rest gives each other start and child at least SLICE_PATIENCE times the
    patience in steps (at the pace measured so far, or by the step budget), improve
    POPULATION - 1 random greedy starts and repeatedly the crossover child of two random members,
    which replaces the worst member when it is better and new. The population shrinks by one (its
    worst) after every POPULATION_SHRINK children, down to two (a dynamic size). Otherwise the
    first search keeps the whole budget. Returns the best plan, its value and the steps made."""
    rng = np.random.default_rng(seed)
    began = time.perf_counter()
    slices = POPULATION - 1 + CHILDREN
    first_steps: int | None = None
    slice_steps: int | None = None
    if max_steps is not None:
        first_steps = max(1, int(FIRST_SHARE * max_steps))
        slice_steps = max(1, (max_steps - first_steps) // slices)
    small_tables = remembers(p)
    first = new_state(p, w, start, seed, remember=small_tables)
    first_end = began + FIRST_SHARE * max(0.0, deadline - began)
    steps = search(p, w, first, deadline=first_end, max_steps=first_steps)
    if slice_steps is None:
        pace = steps / max(1e-6, time.perf_counter() - began)
        slice_steps_expected = pace * max(0.0, deadline - time.perf_counter()) / slices
    else:
        slice_steps_expected = slice_steps
    # The population's searches keep no memory of visited plans (see SEEN_BITS).
    patience = patience_steps(p, remember=False)
    if small_tables or slice_steps_expected < SLICE_PATIENCE * patience:
        left = None if max_steps is None else max_steps - steps
        steps += search(p, w, first, deadline=deadline, max_steps=left)
        return first.best_pos.copy(), _value(p, w, first.best_pos), steps
    slice_seconds = max(0.0, deadline - time.perf_counter()) / slices

    def improve(pos: IntArray, k: int) -> Member:
        nonlocal steps
        state = new_state(p, w, pos, seed + 7919 * k, remember=False)
        base = float(state.scores[0])
        end = deadline if k >= slices else min(deadline, time.perf_counter() + slice_seconds)
        steps += search(p, w, state, deadline=end, max_steps=slice_steps)
        return Member(state.best_pos.copy(), float(state.scores[1]) - base + _value(p, w, pos))

    population = [Member(first.best_pos.copy(), _value(p, w, first.best_pos))]
    for k in range(1, POPULATION):
        if time.perf_counter() >= deadline:
            break
        other = random_start(p, w, rng)
        if other is not None:
            population.append(improve(other, k))
    k = len(population)
    children = 0
    while time.perf_counter() < deadline and len(population) > 1:
        i, j = rng.choice(len(population), 2, replace=False)
        child = crossover(p, w, population[i].pos, population[j].pos, rng)
        if child is None:
            break
        member = improve(child, k)
        k += 1
        children += 1
        worst = min(range(len(population)), key=lambda m: population[m].score)
        known = any(np.array_equal(member.pos, m.pos) for m in population)
        if not known and member.score > population[worst].score + TOLERANCE:
            population[worst] = member
        if children % POPULATION_SHRINK == 0 and len(population) > 2:
            population.pop(min(range(len(population)), key=lambda m: population[m].score))
        if max_steps is not None and steps >= max_steps:
            break
    best = max(population, key=lambda m: m.score)
    return best.pos, best.score, steps


def remembers(p: Problem) -> bool:
    """Whether the first search keeps the memory of visited plans: where the tables seat fewer
    than POPULATION_GROUP units on average and the population never runs (see SEEN_BITS)."""
    return bool(p.n_units < POPULATION_GROUP * p.n_tables)


def perturb_swaps(p: Problem, share: float) -> int:
    """The random swaps of a perturbation that swaps a share of the units (at least two)."""
    return max(2, int(share * p.n_units))


def least_tenure(p: Problem, *, remember: bool) -> int:
    """The least number of steps a unit may not return to the table it left (see TENURE_CAP)."""
    if remember:
        return 2 + min(p.n_tables // 4, TENURE_CAP)
    return min(1 + p.n_tables // 2, TENURE_FREE)


def patience_steps(p: Problem, *, remember: bool) -> int:
    """Steps without a better plan after which the search is perturbed; remember: whether the
    search keeps the memory of visited plans (see PATIENCE)."""
    return max(50, int((PATIENCE if remember else PATIENCE_FREE) * np.sqrt(p.n_units)))


def _value(p: Problem, w: FloatArray, pos: IntArray) -> float:
    """The plan's pair value plus what its units save of the move penalty."""
    same = pos[:, None] == pos[None, :]
    saved = float(p.keep[0][np.arange(p.n_units), pos].sum()) if p.keeps else 0.0
    return float((w * same).sum() / 2.0) + saved


def random_start(p: Problem, w: FloatArray, rng: np.random.Generator) -> IntArray | None:
    """A plan that seats the units one by one in random order (hosts and large units first) where
    each adds the most: another start for the population."""
    pos = rng.integers(0, max(1, p.n_tables), p.n_units)
    return crossover(p, w, pos, pos, rng, keep=False)


def crossover(
    p: Problem,
    w: FloatArray,
    a: IntArray,
    b: IntArray,
    rng: np.random.Generator,
    *,
    keep: bool = True,
) -> IntArray | None:
    """A child of two one-round plans: the units seated together in both parents stay together
    (each such block keeps the table of parent a when it fits), the rest is seated greedily where
    it adds most; None when the rules leave a unit without an allowed table. keep=False seats
    every unit greedily."""
    fixed = p.fixed[0]
    key = a * p.n_tables + b
    _, block = np.unique(key, return_inverse=True)
    order = rng.permutation(int(block.max()) + 1)
    pos = np.full(p.n_units, -1, dtype=np.int64)
    load = np.zeros(p.n_tables, dtype=np.int64)
    hosts = np.zeros(p.n_tables, dtype=np.int64)
    gains = np.zeros((p.n_tables, p.n_units))
    blocked = np.zeros((p.n_units, p.n_tables), dtype=bool)

    def seat(u: int, t: int) -> None:
        pos[u] = t
        load[t] += p.size[u]
        hosts[t] += p.hosts[u]
        gains[t] += w[u]
        blocked[p.apart_indices[p.apart_indptr[u] : p.apart_indptr[u + 1]], t] = True

    for u in np.flatnonzero(fixed >= 0).tolist():
        seat(u, int(fixed[u]))
    # Keep the larger agreed blocks first, each at its table in parent a while it has room and
    # leaves enough units for every table's minimum.
    sizes = np.bincount(block, p.size)
    for k in sorted(order.tolist(), key=lambda k: -sizes[k]) if keep else ():
        units = [u for u in np.flatnonzero(block == k).tolist() if pos[u] < 0]
        if len(units) < 2:
            continue
        t = int(a[units[0]])
        need = int(p.size[units].sum())
        if load[t] + need <= p.capacity[t] and not blocked[units, t].any():
            h = int(p.hosts[units].sum())
            if hosts[t] + h <= p.host_max:
                for u in units:
                    seat(u, t)
    rest = np.flatnonzero(pos < 0)
    rest = rest[np.lexsort((rng.random(len(rest)), -p.size[rest], -p.hosts[rest]))]
    remaining = int(p.size[rest].sum())
    for u in rest.tolist():
        ok = (load + p.size[u] <= p.capacity) & ~blocked[u]
        if p.hosts[u]:
            ok &= hosts + p.hosts[u] <= p.host_max
        short = np.maximum(p.minimum - load, 0)
        remaining -= int(p.size[u])
        ok &= remaining >= short.sum() - np.minimum(short, p.size[u])
        if not ok.any():
            return None
        score = gains[:, u] + p.keep[0][u]
        if p.hosts[u]:
            score += np.where(hosts < p.host_min, 1e12, 0.0)
        seat(u, int(np.argmax(np.where(ok, score, -np.inf))))
    if (hosts < p.host_min).any() or (hosts > p.host_max).any() or (load < p.minimum).any():
        return None
    return pos


@njit(cache=True, inline="always")
def _hash_after(
    zobrist: IntArray, hashes: IntArray, k: int, u: int, t1: int, t2: int, v: int
) -> int:
    """Hash k of the plan after moving u from t1 to t2 (and v from t2 to t1, for v >= 0): the
    keys of the units that move change it, in O(1)."""
    h = hashes[k] ^ zobrist[k, u, t1] ^ zobrist[k, u, t2]
    if v >= 0:
        h ^= zobrist[k, v, t2] ^ zobrist[k, v, t1]
    return h


@njit(cache=True, inline="always")
def _visited(
    seen: IntArray, zobrist: IntArray, hashes: IntArray, u: int, t1: int, t2: int, v: int
) -> bool:
    """Whether the plan after moving u from t1 to t2 (and v from t2 to t1, for v >= 0) has been
    visited: its three hashes all hit a marked bit."""
    mask = (1 << SEEN_BITS) - 1
    for k in range(3):
        bit = _hash_after(zobrist, hashes, k, u, t1, t2, v) & mask
        if (seen[k, bit >> 6] >> (bit & 63)) & 1 == 0:
            return False
    return True


@njit(cache=True, inline="always")
def _visit(seen: IntArray, hashes: IntArray) -> None:
    """Mark the current plan as visited."""
    mask = (1 << SEEN_BITS) - 1
    for k in range(3):
        bit = hashes[k] & mask
        seen[k, bit >> 6] |= np.int64(1) << (bit & 63)


@njit(cache=True, inline="always")
def _hash_plan(zobrist: IntArray, pos: IntArray, hashes: IntArray) -> None:
    for k in range(3):
        h = np.int64(0)
        for u in range(pos.shape[0]):
            h ^= zobrist[k, u, pos[u]]
        hashes[k] = h


@njit(cache=True, inline="always")
def _move_ok(
    u: int,
    t1: int,
    t2: int,
    size: IntArray,
    hosts: IntArray,
    cap: IntArray,
    minimum: IntArray,
    host_rules: bool,
    host_min: int,
    host_max: int,
    load: IntArray,
    hcount: IntArray,
    apart_at: IntArray,
) -> bool:
    if load[t2] + size[u] > cap[t2] or load[t1] - size[u] < minimum[t1]:
        return False
    if (
        host_rules
        and hosts[u] > 0
        and (hcount[t2] + hosts[u] > host_max or hcount[t1] - hosts[u] < host_min)
    ):
        return False
    return apart_at[u, t2] == 0


@njit(cache=True, inline="always")
def _apart_pair(ptr: IntArray, idx: IntArray, u: int, v: int) -> bool:
    for k in range(ptr[u], ptr[u + 1]):  # noqa: SIM110 (a generator does not compile)
        if idx[k] == v:
            return True
    return False


@njit(cache=True, inline="always")
def _swap_ok(
    u: int,
    v: int,
    t1: int,
    t2: int,
    size: IntArray,
    hosts: IntArray,
    cap: IntArray,
    minimum: IntArray,
    host_rules: bool,
    host_min: int,
    host_max: int,
    load: IntArray,
    hcount: IntArray,
    apart_at: IntArray,
    apart_ptr: IntArray,
    apart_idx: IntArray,
) -> bool:
    change = size[v] - size[u]
    if change != 0:
        if load[t1] + change > cap[t1] or load[t2] - change > cap[t2]:
            return False
        if load[t1] + change < minimum[t1] or load[t2] - change < minimum[t2]:
            return False
    if host_rules:
        hc = hosts[v] - hosts[u]
        if hc != 0:
            a1 = hcount[t1] + hc
            a2 = hcount[t2] - hc
            if a1 < host_min or a1 > host_max or a2 < host_min or a2 > host_max:
                return False
    if apart_at[u, t2] > 0 or apart_at[v, t1] > 0:
        # v leaves t2 and u leaves t1: an apart rule between u and v themselves does not count.
        linked = 1 if _apart_pair(apart_ptr, apart_idx, u, v) else 0
        if apart_at[u, t2] - linked > 0 or apart_at[v, t1] - linked > 0:
            return False
    return True


@njit(cache=True, inline="always")
def _place(
    u: int,
    t1: int,
    t2: int,
    pos: IntArray,
    size: IntArray,
    hosts: IntArray,
    apart_ptr: IntArray,
    apart_idx: IntArray,
    load: IntArray,
    hcount: IntArray,
    apart_at: IntArray,
) -> None:
    """Seat unit u at t2 instead of t1, all but the gains (see _after_step)."""
    for k in range(apart_ptr[u], apart_ptr[u + 1]):
        x = apart_idx[k]
        apart_at[x, t1] -= 1
        apart_at[x, t2] += 1
    load[t1] -= size[u]
    load[t2] += size[u]
    hcount[t1] -= hosts[u]
    hcount[t2] += hosts[u]
    pos[u] = t2


@njit(cache=True, inline="always")
def _gains_after(
    x: int, t1: int, t2: int, u: int, v: int, w: FloatArray, gains: FloatArray
) -> None:
    """x's gains at t1 and t2 after u moved from t1 to t2 and v (unless -1) from t2 to t1: the
    same sums in the same order as the two moves one after the other."""
    wu = w[u, x]
    if v >= 0:
        wv = w[v, x]
        gains[x, t1] = gains[x, t1] - wu + wv
        gains[x, t2] = gains[x, t2] + wu - wv
    else:
        gains[x, t1] -= wu
        gains[x, t2] += wu


@njit(cache=True, inline="always")
def _apply_move(
    u: int,
    t1: int,
    t2: int,
    w: FloatArray,
    pos: IntArray,
    size: IntArray,
    hosts: IntArray,
    apart_ptr: IntArray,
    apart_idx: IntArray,
    gains: FloatArray,
    load: IntArray,
    hcount: IntArray,
    apart_at: IntArray,
) -> None:
    """Seat unit u at t2 instead of t1, gains included (a step does the gains in _after_step)."""
    for x in range(pos.shape[0]):
        _gains_after(x, t1, t2, u, -1, w, gains)
    _place(u, t1, t2, pos, size, hosts, apart_ptr, apart_idx, load, hcount, apart_at)


@njit(cache=True, inline="always")
def _into_column(
    a: int, tables: int, gains: FloatArray, members: IntArray, count: IntArray, into: FloatArray
) -> None:
    """into[t, a] for every table t: the best move to t of a movable unit at table a."""
    for t in range(tables):
        into[t, a] = -1e300
    # max() rather than a comparison and a store: compiled without branches, which the data
    # makes unpredictable (with the same in _unit_bounds, 20-24% more steps per second at 480
    # elements in 20 tables and 12% at 960 in 96; the walk is the same).
    for k in range(count[a]):
        x = members[a, k]
        g = gains[x, a]
        for t in range(tables):
            into[t, a] = max(into[t, a], gains[x, t] - g)


@njit(cache=True, inline="always")
def _unit_bounds(
    u: int,
    tables: int,
    pos: IntArray,
    gains: FloatArray,
    into: FloatArray,
    bswap: FloatArray,
    bmove: FloatArray,
) -> None:
    """The exact bounds of unit u: its best move, and its best move plus the best move back to
    its table of a unit at the other table, over the other tables."""
    t1 = pos[u]
    g = gains[u, t1]
    bs = -1e300
    bm = -1e300
    # The tables before and after t1 in two loops, without a branch (see _into_column).
    for t in range(t1):
        m = gains[u, t] - g
        bm = max(bm, m)
        bs = max(bs, m + into[t1, t])
    for t in range(t1 + 1, tables):
        m = gains[u, t] - g
        bm = max(bm, m)
        bs = max(bs, m + into[t1, t])
    bswap[u] = bs
    bmove[u] = bm


@njit(cache=True)
def _rebuild(
    n: int,
    tables: int,
    pos: IntArray,
    movable: IntArray,
    gains: FloatArray,
    members: IntArray,
    count: IntArray,
    slot: IntArray,
    into: FloatArray,
    bswap: FloatArray,
    bmove: FloatArray,
    exi: IntArray,
) -> None:
    """The member lists, into and every unit's bounds, from the plan pos; no kept swap entry
    holds any more."""
    exi[2] = 0
    count[:] = 0
    for v in range(n):
        if movable[v] == 0:
            continue
        tv = pos[v]
        members[tv, count[tv]] = v
        slot[v] = count[tv]
        count[tv] += 1
    for a in range(tables):
        _into_column(a, tables, gains, members, count, into)
    for v in range(n):
        if movable[v] != 0:
            _unit_bounds(v, tables, pos, gains, into, bswap, bmove)


@njit(cache=True, **WITHOUT_REFCOUNTS)
def _after_step(
    n: int,
    tables: int,
    t1: int,
    t2: int,
    u: int,
    v: int,
    w: FloatArray,
    pos: IntArray,
    movable: IntArray,
    gains: FloatArray,
    members: IntArray,
    count: IntArray,
    into: FloatArray,
    bswap: FloatArray,
    bmove: FloatArray,
    exi: IntArray,
    keep_entries: bool,
) -> None:
    """Bring into and the unit bounds up to date after units moved between tables t1 and t2
    only: gains changed in columns t1 and t2, and the units at t1 and t2 changed. For a unit
    elsewhere only its terms for t1 and t2 changed, so its bounds are raised where those are
    higher and otherwise left as they are (still upper bounds); the units at t1 and t2 get exact
    ones. O(units + table size x tables) instead of O(units x tables).

    The step moved u from t1 to t2 and v (unless -1) from t2 to t1; their gains are applied here,
    both moves in the same pass over the units as the bounds (the pass for two moves one after
    the other cost about a twentieth of a step at 960 units). The units at t1 and t2 first, since
    into's columns for t1 and t2 come from them."""
    for t in (t1, t2):
        for k in range(count[t]):
            _gains_after(members[t, k], t1, t2, u, v, w, gains)
    _into_column(t1, tables, gains, members, count, into)
    _into_column(t2, tables, gains, members, count, into)
    for a in range(tables):
        if a != t1 and a != t2:
            into[t1, a] = -1e300
            into[t2, a] = -1e300
    for x in range(n):
        if movable[x] == 0:
            _gains_after(x, t1, t2, u, v, w, gains)
            continue
        a = pos[x]
        if a == t1 or a == t2:  # noqa: SIM109 (kept as two integer comparisons in compiled code)
            continue
        _gains_after(x, t1, t2, u, v, w, gains)
        if keep_entries:
            # What was known of x's swaps with t1 and t2 no longer holds.
            exi[2, x, t1] = 0
            exi[2, x, t2] = 0
        ua = np.uint64(a)
        g = gains[x, ua]
        m1 = gains[x, t1] - g
        m2 = gains[x, t2] - g
        into[t1, ua] = max(into[t1, ua], m1)
        into[t2, ua] = max(into[t2, ua], m2)
        bmove[x] = max(bmove[x], m1, m2)
        bswap[x] = max(bswap[x], m1 + into[ua, t1], m2 + into[ua, t2])
    for t in (t1, t2):
        for k in range(count[t]):
            x = members[t, k]
            for a in range(tables):
                exi[2, x, a] = 0
            _unit_bounds(x, tables, pos, gains, into, bswap, bmove)


@njit(cache=True, inline="always")
def _entry(
    u: int,
    t1: int,
    t2: int,
    step: int,
    check_seen: bool,
    w: FloatArray,
    gains: FloatArray,
    members: IntArray,
    count: IntArray,
    tabu: IntArray,
    size: IntArray,
    hosts: IntArray,
    cap: IntArray,
    minimum: IntArray,
    host_rules: bool,
    host_min: int,
    host_max: int,
    load: IntArray,
    hcount: IntArray,
    apart_at: IntArray,
    apart_ptr: IntArray,
    apart_idx: IntArray,
    rng: RngState,
    seen: IntArray,
    zobrist: IntArray,
    hashes: IntArray,
    ex: FloatArray,
    exi: IntArray,
) -> None:
    """Look at the allowed swaps of u (at t1) with the units at t2: the best that is not tabu
    (ties drawn at random), the best of all, and the step from which this no longer holds (the
    first at which a tabu that kept out a candidate as good as the best ends). check_seen leaves
    out the swaps to plans visited before."""
    free = -1e300
    ties = 0.0
    fv = -1
    top = -1e300
    tv = -1
    until = NEVER
    move_u = gains[u, t2] - gains[u, t1]
    for k in range(count[t2]):
        v = members[t2, k]
        vu = np.uint64(v)
        d = move_u + gains[vu, t1] - gains[vu, t2] - 2.0 * w[u, vu]
        if d < free - TOLERANCE:
            continue
        if not _swap_ok(
            u,
            v,
            t1,
            t2,
            size,
            hosts,
            cap,
            minimum,
            host_rules,
            host_min,
            host_max,
            load,
            hcount,
            apart_at,
            apart_ptr,
            apart_idx,
        ):
            continue
        if check_seen and _visited(seen, zobrist, hashes, u, t1, t2, v):
            continue
        if d > top:
            top = d
            tv = v
        ends = max(tabu[u, t2], tabu[v, t1])
        if ends > step:
            until = min(until, ends)
            continue
        if d > free + TOLERANCE:
            free = d
            ties = 1.0
            fv = v
        else:
            ties += 1.0
            if _random(rng) * ties < 1.0:
                fv = v
    ex[0, u, t2] = free
    ex[1, u, t2] = ties
    ex[2, u, t2] = top
    exi[0, u, t2] = fv
    exi[1, u, t2] = tv
    exi[2, u, t2] = until


@njit(cache=True, nogil=True, **WITHOUT_REFCOUNTS)
def tabu_steps(
    steps: int,
    patience: int,
    kicks: int,
    escape_cycles: int,
    escape_kicks: int,
    escape_patience: int,
    w: FloatArray,
    pos: IntArray,
    movable: IntArray,
    size: IntArray,
    hosts: IntArray,
    cap: IntArray,
    minimum: IntArray,
    host_rules: bool,
    host_min: int,
    host_max: int,
    apart_ptr: IntArray,
    apart_idx: IntArray,
    gains: FloatArray,
    load: IntArray,
    hcount: IntArray,
    apart_at: IntArray,
    tabu: IntArray,
    best_pos: IntArray,
    scores: FloatArray,
    rng: RngState,
    low: FloatArray,
    base_tenure: int,
    members: IntArray,
    count: IntArray,
    slot: IntArray,
    into: FloatArray,
    bswap: FloatArray,
    bmove: FloatArray,
    zobrist: IntArray,
    hashes: IntArray,
    seen: IntArray,
    ex: FloatArray,
    exi: IntArray,
    keep_entries: bool,
) -> None:
    """Run a number of tabu steps; scores holds [current, best, steps since the best improved,
    step count, perturbations since the best improved] between calls. movable[u] is 1 for a unit
    the search may seat elsewhere. A perturbation makes `kicks` random swaps; every
    `escape_cycles`-th in a row without a better plan (0: never) makes `escape_kicks` and gives
    the walk `escape_patience` steps more (see ESCAPE_CYCLES)."""
    n = pos.shape[0]
    tables = cap.shape[0]
    score = scores[0]
    best = scores[1]
    stale = int(scores[2])
    step = int(scores[3])
    cycles = int(scores[4])
    # Bounds: low[u] is at most the least value u has with anyone, so a swap of u (t1) with any
    # v at t2 gains at most move(u, t2) + into[t1, t2] - 2 low[u], where into[t1, t2] is the best
    # move(v, t1) of a unit v at t2. bswap[u] >= the largest of those over t2 (without the
    # 2 low[u]) and bmove[u] >= u's best move: a unit whose bounds cannot reach the best
    # candidate so far is skipped in O(1), a table whose bound cannot is skipped too. A step
    # changes gains only in the columns of the two tables it touched, so into and the bounds are
    # brought up to date in O(units + table size x tables); a bound that fell stays high until
    # its unit is looked at again.
    remember = seen.shape[1] > 0
    if count[0] < 0:
        _rebuild(n, tables, pos, movable, gains, members, count, slot, into, bswap, bmove, exi)
        if remember:
            _hash_plan(zobrist, pos, hashes)
            _visit(seen, hashes)
    for _ in range(steps):
        step += 1
        pick_delta = -1e300
        pick_u = -1
        pick_v = -1
        pick_t = -1
        ties = 0.0
        # With every table full (equal groups) no move is possible: only swaps are scanned.
        room = False
        for t in range(tables):
            if load[t] < cap[t]:
                room = True
                break
        for u in range(n):
            if movable[u] == 0:
                continue
            if bswap[u] - 2.0 * low[u] < pick_delta - TOLERANCE and (
                not room or bmove[u] < pick_delta - TOLERANCE
            ):
                continue
            t1 = pos[u]
            gu1 = gains[u, t1]
            lu2 = 2.0 * low[u]  # twice the unit's least value, for the swap bounds
            bs = -1e300
            if room:
                bm = -1e300
                for t2 in range(tables):
                    if t2 == t1:
                        continue
                    move_u = gains[u, t2] - gu1
                    bm = max(bm, move_u)
                    # A move to a table with a free seat.
                    if move_u < pick_delta - TOLERANCE:
                        continue
                    if tabu[u, t2] > step and score + move_u <= best + TOLERANCE:
                        continue
                    if not _move_ok(
                        u,
                        t1,
                        t2,
                        size,
                        hosts,
                        cap,
                        minimum,
                        host_rules,
                        host_min,
                        host_max,
                        load,
                        hcount,
                        apart_at,
                    ):
                        continue
                    # A plan visited before is refused unless it is a new best; it is looked
                    # up only for a candidate that is about to be picked.
                    fresh = not remember or score + move_u > best + TOLERANCE
                    if move_u > pick_delta + TOLERANCE:
                        if fresh or not _visited(seen, zobrist, hashes, u, t1, t2, -1):
                            pick_delta, pick_u, pick_v, pick_t, ties = move_u, u, -1, t2, 1.0
                    else:
                        ties += 1.0
                        if _random(rng) * ties < 1.0:
                            if fresh or not _visited(seen, zobrist, hashes, u, t1, t2, -1):
                                pick_u, pick_v, pick_t = u, -1, t2
                            else:
                                ties -= 1.0
                bmove[u] = bm
            if not keep_entries:
                # Few tables: every swap that can beat the best so far is priced afresh (each
                # pair once, v > u).
                for t2 in range(tables):
                    if t2 == t1:
                        continue
                    move_u = gains[u, t2] - gu1
                    # Swaps with a movable unit at t2 (each pair once: v > u).
                    bound = move_u + into[t1, t2]
                    bs = max(bs, bound)
                    if count[t2] == 0 or bound - lu2 < pick_delta - TOLERANCE:
                        continue
                    for k in range(count[t2]):
                        v = members[t2, k]
                        if v <= u:
                            continue
                        vu = np.uint64(v)
                        d = move_u + gains[vu, t1] - gains[vu, t2] - 2.0 * w[u, vu]
                        if d < pick_delta - TOLERANCE:
                            continue
                        if (
                            tabu[u, t2] > step or tabu[v, t1] > step
                        ) and score + d <= best + TOLERANCE:
                            continue
                        if not _swap_ok(
                            u,
                            v,
                            t1,
                            t2,
                            size,
                            hosts,
                            cap,
                            minimum,
                            host_rules,
                            host_min,
                            host_max,
                            load,
                            hcount,
                            apart_at,
                            apart_ptr,
                            apart_idx,
                        ):
                            continue
                        # Visited plans as for moves: whole values make many ties, and a tie is
                        # looked up only when it is drawn.
                        fresh = not remember or score + d > best + TOLERANCE
                        if d > pick_delta + TOLERANCE:
                            if fresh or not _visited(seen, zobrist, hashes, u, t1, t2, v):
                                pick_delta, pick_u, pick_v, pick_t, ties = d, u, v, t2, 1.0
                        else:
                            ties += 1.0
                            if _random(rng) * ties < 1.0:
                                if fresh or not _visited(seen, zobrist, hashes, u, t1, t2, v):
                                    pick_u, pick_v, pick_t = u, v, t2
                                else:
                                    ties -= 1.0
            else:
                # The bar a candidate must reach, kept in a variable (updated with pick_delta), and
                # lu2 above: RanReal-960 1.15 times the steps per second.
                bar = pick_delta - TOLERANCE
                for t2 in range(tables):
                    if t2 == t1 or count[t2] == 0:
                        continue
                    # Swaps with the units at t2: looked at again only when a step or the end of a
                    # tabu changed them and their bound can reach the best candidate so far.
                    look = exi[2, u, t2] <= step
                    if look:
                        bound = gains[u, t2] - gu1 + into[t1, t2]
                        if bound - lu2 < bar:
                            bs = max(bs, bound)
                            continue
                    check_seen = False
                    for _again in range(2):
                        if look:
                            _entry(
                                u,
                                t1,
                                t2,
                                step,
                                check_seen,
                                w,
                                gains,
                                members,
                                count,
                                tabu,
                                size,
                                hosts,
                                cap,
                                minimum,
                                host_rules,
                                host_min,
                                host_max,
                                load,
                                hcount,
                                apart_at,
                                apart_ptr,
                                apart_idx,
                                rng,
                                seen,
                                zobrist,
                                hashes,
                                ex,
                                exi,
                            )
                            if check_seen:
                                exi[2, u, t2] = step + 1  # afresh in the next step
                        top = ex[2, u, t2]
                        if top > ex[0, u, t2] + TOLERANCE and score + top > best + TOLERANCE:
                            # Tabu, but a better plan than any found (aspiration).
                            d = top
                            v = exi[1, u, t2]
                            weight = 1.0
                        else:
                            d = ex[0, u, t2]
                            v = exi[0, u, t2]
                            weight = ex[1, u, t2]
                        if v < 0 or d < bar:
                            break
                        better = d > pick_delta + TOLERANCE
                        if not better and v == pick_u and u == pick_v:
                            # The swap picked, seen from its other unit: it counts as a tie (every
                            # swap is seen from both units, so each keeps an equal share of the
                            # draw), but drawing for it could only pick it again. So where no two
                            # swaps tie the scan draws as the one that prices each pair once, and
                            # the two walk alike.
                            ties += weight
                            break
                        take = better or _random(rng) * (ties + weight) < weight
                        # A plan visited before is refused unless it is a new best; it is looked up
                        # only for a candidate about to be picked, and then the unit's swaps with
                        # the table are looked at again without the plans visited.
                        fresh = not remember or score + d > best + TOLERANCE
                        if take and not fresh and _visited(seen, zobrist, hashes, u, t1, t2, v):
                            look = True
                            check_seen = True
                            continue
                        if better:
                            pick_delta = d
                            bar = pick_delta - TOLERANCE
                            ties = weight
                        else:
                            ties += weight
                        if take:
                            pick_u, pick_v, pick_t = u, v, t2
                        break
                    if check_seen:
                        # The entry leaves out visited plans, which may be allowed again after
                        # this step: the bound stays the loose one.
                        bs = max(bs, gains[u, t2] - gu1 + into[t1, t2])
                    else:
                        bs = max(bs, ex[2, u, t2] + lu2)
            bswap[u] = bs
        if pick_u < 0:
            break
        t1 = pos[pick_u]
        _place(pick_u, t1, pick_t, pos, size, hosts, apart_ptr, apart_idx, load, hcount, apart_at)
        tabu[pick_u, t1] = step + base_tenure + int(_random(rng) * (base_tenure + 8))
        if pick_v >= 0:
            _place(
                pick_v, pick_t, t1, pos, size, hosts, apart_ptr, apart_idx, load, hcount, apart_at
            )
            # The two units change places in the member lists.
            su = slot[pick_u]
            members[t1, su] = pick_v
            members[pick_t, slot[pick_v]] = pick_u
            slot[pick_u] = slot[pick_v]
            slot[pick_v] = su
            tabu[pick_v, pick_t] = step + base_tenure + int(_random(rng) * (base_tenure + 8))
        else:
            # A unit that moved leaves its table's list (the last one there takes its place).
            k = slot[pick_u]
            last = members[t1, count[t1] - 1]
            members[t1, k] = last
            slot[last] = k
            count[t1] -= 1
            members[pick_t, count[pick_t]] = pick_u
            slot[pick_u] = count[pick_t]
            count[pick_t] += 1
        _after_step(
            n,
            tables,
            t1,
            pick_t,
            pick_u,
            pick_v,
            w,
            pos,
            movable,
            gains,
            members,
            count,
            into,
            bswap,
            bmove,
            exi,
            keep_entries,
        )
        if remember:
            for k in range(3):
                hashes[k] = _hash_after(zobrist, hashes, k, pick_u, t1, pick_t, pick_v)
            _visit(seen, hashes)
        score += pick_delta
        if score > best + TOLERANCE:
            best = score
            for x in range(n):
                best_pos[x] = pos[x]
            stale = 0
            cycles = 0
        else:
            stale += 1
        if stale >= patience:
            # Perturb: back to the best plan, then random allowed swaps; more of them, and more
            # steps before the next, after many perturbations in a row that found nothing.
            stale = 0
            cycles += 1
            swaps = kicks
            if escape_cycles > 0 and cycles >= escape_cycles:
                swaps = escape_kicks
                stale = -escape_patience
                cycles = 0
            for u in range(n):
                if pos[u] != best_pos[u]:
                    t1 = pos[u]
                    _apply_move(
                        u,
                        t1,
                        best_pos[u],
                        w,
                        pos,
                        size,
                        hosts,
                        apart_ptr,
                        apart_idx,
                        gains,
                        load,
                        hcount,
                        apart_at,
                    )
            score = best
            done = 0
            tries = 0
            while done < swaps and tries < 20 * swaps:
                tries += 1
                u = int(_random(rng) * n)
                v = int(_random(rng) * n)
                t1 = pos[u]
                t2 = pos[v]
                if t1 == t2 or movable[u] == 0 or movable[v] == 0:
                    continue
                if not _swap_ok(
                    u,
                    v,
                    t1,
                    t2,
                    size,
                    hosts,
                    cap,
                    minimum,
                    host_rules,
                    host_min,
                    host_max,
                    load,
                    hcount,
                    apart_at,
                    apart_ptr,
                    apart_idx,
                ):
                    continue
                d = gains[u, t2] - gains[u, t1] + gains[v, t1] - gains[v, t2] - 2.0 * w[u, v]
                _apply_move(
                    u,
                    t1,
                    t2,
                    w,
                    pos,
                    size,
                    hosts,
                    apart_ptr,
                    apart_idx,
                    gains,
                    load,
                    hcount,
                    apart_at,
                )
                _apply_move(
                    v,
                    t2,
                    t1,
                    w,
                    pos,
                    size,
                    hosts,
                    apart_ptr,
                    apart_idx,
                    gains,
                    load,
                    hcount,
                    apart_at,
                )
                score += d
                done += 1
            for u in range(n):
                for t in range(tables):
                    tabu[u, t] = 0
            _rebuild(n, tables, pos, movable, gains, members, count, slot, into, bswap, bmove, exi)
            if remember:
                _hash_plan(zobrist, pos, hashes)
                _visit(seen, hashes)
    scores[0] = score
    scores[1] = best
    scores[2] = stale
    scores[3] = step
    scores[4] = cycles


def cached() -> bool:
    """Whether compiled code for the tabu kernel is on disk for this source and Numba version."""
    try:
        return bool(tabu_steps._cache._cache_file._load_index())
    except (AttributeError, OSError, ValueError):
        return False
