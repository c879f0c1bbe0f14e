"""The iterated tabu search for one round: every plan keeps every rule, its bookkeeping matches the
objective, and a seed with a step budget repeats exactly."""

import collections

import numpy as np
import pytest

from gilde.seating import tabu
from gilde.seating.anneal import compile_kernels
from gilde.seating.generate import generate_instance
from gilde.seating.mdgp import parse_mdgp
from gilde.seating.model import parse_instance
from gilde.seating.objective import evaluate
from gilde.seating.plan import check_plan, plan_to_dict
from gilde.seating.solve import _start, finish_plan, solve, tabu_used
from gilde.seating.units import build_problem


@pytest.fixture(scope="module", autouse=True)
def compiled():
    compile_kernels()


@pytest.fixture(params=[False, True], ids=["priced-afresh", "kept-entries"])
def entries(request, monkeypatch):
    """Both ways the scan prices swaps: afresh each step (few tables) and from the kept entries
    (many tables), whatever the instance's number of tables."""
    monkeypatch.setattr(tabu, "ENTRY_TABLES", 0 if request.param else 10**9)
    return request.param


def _event(seed, guests=60, tables=6, conflicts=0.3):
    data = generate_instance(guests, tables, seed=seed, conflict_density=conflicts)
    # A value on every pair (some negative), so that the tabu search makes the plan.
    rng = np.random.default_rng(seed)
    ids = [g["id"] for g in data["guests"]]
    data["pairs"] = [
        {"a": a, "b": b, "value": int(rng.integers(-3, 10))}
        for i, a in enumerate(ids)
        for b in ids[i + 1 :]
    ]
    # Lock one guest and give two tables a minimum, so every rule is in play.
    data["locked"] = [{"guest": data["guests"][5]["id"], "round": 1, "table": "t2"}]
    data["tables"][0]["min"] = data["tables"][0]["capacity"] - 1
    data["tables"][3]["min"] = data["tables"][3]["capacity"] - 2
    return parse_instance(data)


def _grouping(seed, n=60, groups=10, values=(0, 100), whole=True):
    """A grouping instance (full tables of equal size) with random pair values: whole numbers, or
    reals that never tie."""
    rng = np.random.default_rng(seed)
    size = n // groups
    text = f"{n} {groups} ss " + " ".join(f"{size} {size}" for _ in range(groups)) + "\n"
    draw = (lambda: int(rng.integers(*values))) if whole else (lambda: float(rng.uniform(*values)))
    text += "\n".join(f"{i} {j} {draw()!r}" for i in range(n) for j in range(i + 1, n))
    return parse_instance(parse_mdgp(text))


def _search_start(inst, seed):
    """The problem, its value matrix and the greedy start for the tabu search."""
    p = build_problem(inst)
    pos, _ = _start(p, np.random.default_rng(seed), 1e18, seed)
    return p, tabu.dense_values(p), pos[0]


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_every_plan_of_the_search_passes_the_independent_checker(seed):
    inst = _event(seed)
    assert inst.host_min >= 1 and inst.apart and any(g is not None for g in inst.groups)
    assert tabu_used(build_problem(inst))
    for workers in (1, 2):
        plan = solve(
            inst,
            time_limit=5,
            seed=seed,
            method="heuristic",
            workers=workers,
            max_iterations=300_000,
        )
        result = check_plan(inst, plan_to_dict(inst, plan))
        assert result.feasible, result.violations
        assert result.objective == pytest.approx(plan.objective)


def test_the_search_state_matches_the_objective_after_every_chunk(entries):
    inst = _event(7)
    p, w, start = _search_start(inst, 0)
    state = tabu.new_state(p, w, start, 3)
    base = evaluate(inst, p.to_guests(start[None, :])).objective - state.scores[0]
    for _ in range(20):
        tabu.run_chunk(p, w, state, 37)
        current = evaluate(inst, p.to_guests(state.pos[None, :])).objective
        best = evaluate(inst, p.to_guests(state.best_pos[None, :])).objective
        assert current == pytest.approx(state.scores[0] + base)
        assert best == pytest.approx(state.scores[1] + base)
        fresh = tabu.new_state(p, w, state.pos, 0)
        tabu.run_chunk(p, w, fresh, 0)  # builds the scan's bookkeeping, makes no step
        np.testing.assert_allclose(fresh.gains, state.gains, atol=1e-6)
        np.testing.assert_array_equal(fresh.load, state.load)
        np.testing.assert_array_equal(fresh.apart_at, state.apart_at)
        # The scan's bookkeeping carried from step to step: the same units at each table, the
        # same best moves into each table, bounds at or above every swap and move, and every
        # unit's swaps with a table, where kept, as a fresh look at them finds.
        for t in range(p.n_tables):
            assert set(state.members[t, : state.count[t]]) == set(
                fresh.members[t, : fresh.count[t]]
            )
        np.testing.assert_allclose(state.into, fresh.into, atol=1e-6)
        assert (state.bmove >= fresh.bmove - 1e-6)[state.movable == 1].all()
        _check_swap_bounds_and_entries(p, w, state, entries)


def _swaps(p, w, s, u, t2):
    """Unit u's allowed swaps with the units at table t2: (value, tabu) for each."""
    step = int(s.scores[3])
    rules = (p.size, p.hosts, p.capacity, p.minimum, True, p.host_min, p.host_max)
    state = (s.load, s.hcount, s.apart_at, p.apart_indptr, p.apart_indices)
    t1 = s.pos[u]
    out = []
    for v in np.flatnonzero((s.pos == t2) & (s.movable == 1)):
        if not tabu._swap_ok(u, v, t1, t2, *rules, *state):
            continue
        d = s.gains[u, t2] - s.gains[u, t1] + s.gains[v, t1] - s.gains[v, t2] - 2 * w[u, v]
        out.append((d, s.tabu[u, t2] > step or s.tabu[v, t1] > step))
    return out


def _check_swap_bounds_and_entries(p, w, s, entries):
    step = int(s.scores[3])
    kept = 0
    for u in np.flatnonzero(s.movable):
        for t2 in range(p.n_tables):
            if t2 == s.pos[u]:
                continue
            swaps = _swaps(p, w, s, u, t2)
            if swaps:
                assert s.bswap[u] - 2 * s.low[u] >= max(d for d, _ in swaps) - 1e-6
            if entries and s.exi[2, u, t2] > step + 1:  # kept for the next step
                # Kept: the best of all, the best not tabu and its ties are what they are now.
                kept += 1
                free = [d for d, banned in swaps if not banned]
                top = max((d for d, _ in swaps), default=-1e300)
                assert s.ex[2, u, t2] == pytest.approx(top, abs=1e-6)
                if free:
                    assert s.ex[0, u, t2] == pytest.approx(max(free), abs=1e-6)
                    ties = sum(1 for d in free if d >= max(free) - 1e-9)
                    assert s.ex[1, u, t2] == ties
                else:
                    assert s.exi[0, u, t2] == -1
    assert kept > 0 or not entries


def _visited(s, u, t1, t2, v):
    """Whether the plan after the move (or swap, v >= 0) is one the search has been at: its
    hashes computed from the whole plan, looked up bit by bit."""
    after = s.pos.copy()
    after[u] = t2
    if v >= 0:
        after[v] = t1
    hashes = np.bitwise_xor.reduce(s.zobrist[:, np.arange(len(after)), after], axis=1)
    bits = hashes & ((1 << tabu.SEEN_BITS) - 1)
    return all((s.seen[k, b >> 6] >> (b & 63)) & 1 for k, b in enumerate(bits.tolist()))


def _best_allowed_delta(p, w, s):
    """The best allowed move or swap by a plain scan of every candidate (the kernel's rules:
    seats, minimum, hosts, apart pairs, fixed units, tabu and visited plans with aspiration)."""
    step = int(s.scores[3]) + 1
    rules = (p.size, p.hosts, p.capacity, p.minimum, True, p.host_min, p.host_max)
    state = (s.load, s.hcount, s.apart_at)
    room = bool((s.load < p.capacity).any())
    best = -np.inf
    for u in np.flatnonzero(s.movable):
        t1 = s.pos[u]
        for t2 in range(p.n_tables):
            if t2 == t1 or not room:
                continue
            d = s.gains[u, t2] - s.gains[u, t1]
            tabu_now = s.tabu[u, t2] > step or _visited(s, u, t1, t2, -1)
            if tabu_now and s.scores[0] + d <= s.scores[1] + 1e-9:
                continue
            if tabu._move_ok(u, t1, t2, *rules, *state):
                best = max(best, d)
        for v in np.flatnonzero(s.movable):
            t2 = s.pos[v]
            if v <= u or t2 == t1:
                continue
            d = s.gains[u, t2] - s.gains[u, t1] + s.gains[v, t1] - s.gains[v, t2] - 2 * w[u, v]
            tabu_now = s.tabu[u, t2] > step or s.tabu[v, t1] > step or _visited(s, u, t1, t2, v)
            if tabu_now and s.scores[0] + d <= s.scores[1] + 1e-9:
                continue
            if tabu._swap_ok(u, v, t1, t2, *rules, *state, p.apart_indptr, p.apart_indices):
                best = max(best, d)
    return best


@pytest.mark.parametrize(
    "inst",
    [
        _event(2, guests=48, tables=6),
        _event(5, guests=48, tables=6),
        _grouping(1),
        _grouping(2),
        _grouping(3, values=(60, 100)),
    ],
    ids=["event-2", "event-5", "grouping-1", "grouping-2", "grouping-high-values"],
)
def test_every_step_applies_the_best_allowed_move_or_swap(inst, entries):
    # The scan skips units and tables by bounds kept up to date between steps; what it picks must
    # be what a plain scan of all candidates finds best (events: free seats, minimums, hosts,
    # apart pairs, groups and a locked guest; grouping: full tables of equal size, swaps only,
    # and one with every value far above zero, where the bounds are loosest).
    p, w, start = _search_start(inst, 0)
    state = tabu.new_state(p, w, start, 1)
    tabu.run_chunk(p, w, state, 300)
    for _ in range(150):
        before = state.scores[0]
        expected = _best_allowed_delta(p, w, state)
        tabu.run_chunk(p, w, state, 1)
        assert state.scores[0] - before == pytest.approx(expected, abs=1e-6)


@pytest.mark.parametrize("seed", [6, 7])
def test_every_step_is_the_best_allowed_where_the_walk_keeps_coming_back(seed, entries):
    # Sixteen units at four tables with values 0-2: the walk keeps coming back to plans it has
    # been at, so picked swaps are refused as visited and their unit's swaps with the table are
    # priced again without them. What the scan keeps from that must not hide a swap that is
    # allowed again after the next step.
    p, w, start = _search_start(_grouping(seed, n=16, groups=4, values=(0, 3)), seed)
    state = tabu.new_state(p, w, start, seed)
    tabu.run_chunk(p, w, state, 1)
    for _ in range(1200):
        before = state.scores[0]
        expected = _best_allowed_delta(p, w, state)
        tabu.run_chunk(p, w, state, 1)
        if expected == -np.inf:  # every swap tabu or visited: the step makes no move
            assert state.scores[0] == before
            break
        assert state.scores[0] - before == pytest.approx(expected, abs=1e-6)


@pytest.mark.parametrize(
    ("inst", "steps", "coming_back"),
    [
        (_grouping(8, n=96, groups=16, whole=False), 2500, False),
        (_grouping(9, n=40, groups=8, whole=False), 2500, False),
        (_grouping(10, n=16, groups=4, values=(0, 3), whole=False), 9000, True),
    ],
    ids=["16-tables", "8-tables", "small-coming-back"],
)
def test_where_no_two_swaps_tie_both_scans_walk_alike(inst, steps, coming_back, monkeypatch):
    # Both scans apply the best allowed swap; they differ only in how they draw among ties (the
    # kept entries see a swap from both of its units and must not draw for it twice). With real
    # values nothing ties, so from the same start and seed the two walks are one, step by step.
    # The small instance keeps coming back to plans it has been at, so swaps are refused as
    # visited and priced again, and it is perturbed twice.
    p, w, start = _search_start(inst, 8)
    kept = tabu.new_state(p, w, start, 8)
    afresh = tabu.new_state(p, w, start, 8)
    for step in range(steps):
        monkeypatch.setattr(tabu, "ENTRY_TABLES", 0)
        tabu.run_chunk(p, w, kept, 1)
        monkeypatch.setattr(tabu, "ENTRY_TABLES", 10**9)
        tabu.run_chunk(p, w, afresh, 1)
        assert kept.pos.tolist() == afresh.pos.tolist(), f"parted at step {step + 1}"
        assert kept.rng.tolist() == afresh.rng.tolist(), f"drew differently at step {step + 1}"
    assert kept.scores.tolist() == afresh.scores.tolist()
    if coming_back:
        assert steps > 2 * tabu.patience_steps(p, remember=True)
        forgetful = tabu.new_state(p, w, start, 8, remember=False)
        tabu.run_chunk(p, w, forgetful, steps)
        assert forgetful.pos.tolist() != kept.pos.tolist()  # the memory refused some steps


def test_the_kept_entries_draw_evenly_among_tied_swaps(monkeypatch):
    # Every swap is seen from both of its units. Where two swaps tie for the best, each must keep
    # an equal chance. Eight units at two tables of four: 0 and 4 gain most by changing places,
    # and so do 2 and 6 (60 each; every other swap 40 or less), each the single best of its
    # units' swaps, so they tie across entries.
    value = np.full((8, 8), 5)
    low = [(0, 1), (0, 2), (0, 3), (0, 4), (4, 5), (4, 6), (4, 7), (2, 1), (2, 3), (2, 6)]
    low += [(6, 5), (6, 7)]
    high = [(0, 5), (0, 6), (0, 7), (4, 1), (4, 2), (4, 3), (2, 5), (2, 7), (6, 1), (6, 3)]
    for pairs, worth in ((low, 0), (high, 10)):
        for a, b in pairs:
            value[a, b] = value[b, a] = worth
    text = "8 2 ss 4 4 4 4\n" + "\n".join(
        f"{i} {j} {value[i, j]}" for i in range(8) for j in range(i + 1, 8)
    )
    p = build_problem(parse_instance(parse_mdgp(text)))
    w = tabu.dense_values(p)
    start = np.array([0, 0, 0, 0, 1, 1, 1, 1])
    for tables in (0, 10**9):
        monkeypatch.setattr(tabu, "ENTRY_TABLES", tables)
        picks = collections.Counter()
        for seed in range(6000):
            state = tabu.new_state(p, w, start, seed, remember=False)
            tabu.run_chunk(p, w, state, 1)
            assert state.scores[0] - state.scores[1] == 0  # a new best
            picks[tuple(np.flatnonzero(state.pos != start).tolist())] += 1
        assert set(picks) == {(0, 4), (2, 6)}, picks
        # 3,000 each (sd 39); drawing only while a swap is not the pick gives (0, 4) 0.46.
        assert 2850 <= picks[(0, 4)] <= 3150, picks


def test_a_step_never_leads_back_to_a_plan_the_search_has_been_at(entries):
    # Between perturbations every plan of the walk is new (the best so far is visited too, and a
    # better plan than it cannot have been). The tabu tenure alone lets the walk come back.
    p, w, start = _search_start(_grouping(4, n=40, groups=5), 4)
    state = tabu.new_state(p, w, start, 4)
    plans = [tuple(state.pos)]
    for _ in range(1500):
        tabu.run_chunk(p, w, state, 1)
        plans.append(tuple(state.pos))
    assert tabu.patience_steps(p, remember=True) > 1500
    assert len(set(plans)) == len(plans)


@pytest.mark.parametrize("remember", [True, False])
def test_a_unit_that_left_a_table_stays_away_for_at_least_the_least_tenure(remember):
    # Without the memory of visited plans the tenure alone keeps the walk from circling back,
    # so it is longer there: 1 plus half the tables (20 here), at most 11; with it 2 plus a quarter.
    p, w, start = _search_start(_grouping(5, n=100, groups=20), 5)
    least = tabu.least_tenure(p, remember=remember)
    assert least == (7 if remember else 11)
    state = tabu.new_state(p, w, start, 5, remember=remember)
    for step in range(1, 301):
        before = state.pos.copy()
        tabu.run_chunk(p, w, state, 1)
        for u in np.flatnonzero(state.pos != before):
            assert least <= state.tabu[u, before[u]] - step <= 2 * least + 7


def test_how_a_budget_is_cut_into_calls_does_not_change_the_walk(entries):
    p, w, start = _search_start(_event(3), 3)
    whole = tabu.new_state(p, w, start, 9)
    tabu.run_chunk(p, w, whole, 3000)
    cut = tabu.new_state(p, w, start, 9)
    for steps in (1, 7, 992, 500, 1500):
        tabu.run_chunk(p, w, cut, steps)
    np.testing.assert_array_equal(whole.pos, cut.pos)
    np.testing.assert_array_equal(whole.best_pos, cut.best_pos)
    np.testing.assert_array_equal(whole.scores, cut.scores)


@pytest.mark.parametrize(
    "patience, group, population", [(1000.0, 1, False), (1.0, 1, True), (1.0, 16, False)]
)
def test_the_population_runs_only_when_its_searches_get_enough_steps(
    monkeypatch, patience, group, population
):
    # 5,000 steps at 60 units: with the usual patience (19,364 steps without the memory of
    # visited plans, as in the population's searches) a slice of the population (318 steps) is
    # far too short, and the first search keeps the budget; with a patience of 50 steps the
    # population runs, and its plans keep every rule too, unless the tables (10 units each here)
    # are smaller than the population asks for.
    inst = _event(3)
    p, w, start = _search_start(inst, 0)
    monkeypatch.setattr(tabu, "PATIENCE", patience)
    monkeypatch.setattr(tabu, "PATIENCE_FREE", patience)
    monkeypatch.setattr(tabu, "POPULATION_GROUP", group)
    crossed = []
    real = tabu.crossover
    monkeypatch.setattr(tabu, "crossover", lambda *a, **k: crossed.append(1) or real(*a, **k))
    best, score, steps = tabu.evolve(p, w, start, 4, deadline=float("inf"), max_steps=5000)
    assert bool(crossed) == population
    assert score == pytest.approx(tabu._value(p, w, best))
    result = check_plan(inst, plan_to_dict(inst, _as_plan(inst, p, best)))
    assert result.feasible, result.violations
    if not population:
        # The first search keeps the memory of visited plans where the tables are small.
        alone = tabu.new_state(p, w, start, 4, remember=p.n_units < group * p.n_tables)
        assert tabu.search(p, w, alone, deadline=float("inf"), max_steps=5000) == steps
        np.testing.assert_array_equal(alone.best_pos, best)


def _as_plan(inst, p, row):
    return finish_plan(inst, p.to_guests(row[None, :]), seconds=0.0, method="heuristic", seed=0)


def test_a_seed_and_an_iteration_budget_give_the_same_plan():
    inst = _event(5)
    plans = [
        solve(inst, time_limit=60, seed=11, method="heuristic", workers=2, max_iterations=200_000)
        for _ in range(2)
    ]
    np.testing.assert_array_equal(plans[0].assignment, plans[1].assignment)


def test_the_search_finds_the_optimum_of_a_small_grouping_problem():
    # Two groups of three: the optimum puts the mutually distant elements together.
    text = "6 2 ss 3 3 3 3\n" + "\n".join(
        f"{i} {j} {100 if (i < 3) == (j < 3) else 1}" for i in range(6) for j in range(i + 1, 6)
    )
    inst = parse_instance(parse_mdgp(text))
    plan = solve(inst, time_limit=5, seed=0, method="heuristic", max_iterations=10_000)
    assert plan.objective == 600


def test_sparse_events_and_several_rounds_are_annealed():
    sparse = parse_instance(generate_instance(60, 6, seed=1))
    assert not tabu_used(build_problem(sparse))
    rounds = parse_instance(generate_instance(60, 6, rounds=2, seed=1))
    assert not tabu_used(build_problem(rounds))


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_each_step_takes_the_best_swap_of_the_whole_neighbourhood(seed, entries):
    # Full tables of equal size: only swaps are possible. Values of both signs, so the bound that
    # lets the scan skip whole tables is tested where a pair's value can be below zero.
    n, groups = 36, 4
    inst = _grouping(seed, n, groups, values=(-100, 100))
    p = build_problem(inst)
    w = tabu.dense_values(p)
    pos = np.repeat(np.arange(groups), n // groups)[np.random.default_rng(seed).permutation(n)]
    for step in range(30):
        state = tabu.new_state(p, w, pos, step)
        gains = state.gains
        best = max(
            gains[u, pos[v]] - gains[u, pos[u]] + gains[v, pos[u]] - gains[v, pos[v]] - 2 * w[u, v]
            for u in range(n)
            for v in range(u + 1, n)
            if pos[u] != pos[v]
        )
        before = state.scores[0]
        tabu.run_chunk(p, w, state, 1)
        assert state.scores[0] - before == pytest.approx(best)
        pos = state.pos.copy()


def test_a_walk_that_stands_still_is_perturbed_further_and_given_longer(monkeypatch):
    # Every ESCAPE_CYCLES-th perturbation in a row without a better plan swaps ESCAPE_SHARE of the
    # units instead of PERTURB_SHARE, and the walk from there gets ESCAPE_PATIENCE times the
    # patience more before the next one; a better plan starts the count again. (From
    # ESCAPE_TABLES tables on; with fewer the walk is perturbed as always, below.)
    monkeypatch.setattr(tabu, "PATIENCE", 5.0)
    monkeypatch.setattr(tabu, "ESCAPE_CYCLES", 3)
    monkeypatch.setattr(tabu, "ESCAPE_TABLES", 5)
    p, w, start = _search_start(_grouping(4, n=40, groups=5), 4)
    patience = tabu.patience_steps(p, remember=True)
    kicks = tabu.perturb_swaps(p, tabu.PERTURB_SHARE)
    state = tabu.new_state(p, w, start, 4)
    in_a_row = 0
    seen = {"perturbations": 0, "escapes": 0}
    for _ in range(3000):
        best = state.scores[1]
        stale = state.scores[2]
        tabu.run_chunk(p, w, state, 1)
        if state.scores[1] > best:
            in_a_row = 0
            continue
        if state.scores[2] > stale:
            continue  # an ordinary step
        # A perturbation: from the best plan, a number of random swaps.
        assert stale == patience - 1
        in_a_row += 1
        moved = int((state.pos != state.best_pos).sum())
        seen["perturbations"] += 1
        if in_a_row == tabu.ESCAPE_CYCLES:
            in_a_row = 0
            seen["escapes"] += 1
            assert state.scores[2] == -int(tabu.ESCAPE_PATIENCE * patience)
            assert moved > 2 * kicks
        else:
            assert state.scores[2] == 0
            assert moved <= 2 * kicks
    assert seen["escapes"] >= 2 and seen["perturbations"] >= 3 * seen["escapes"]


def test_with_few_tables_every_perturbation_is_the_ordinary_one(monkeypatch):
    monkeypatch.setattr(tabu, "PATIENCE", 5.0)
    monkeypatch.setattr(tabu, "ESCAPE_CYCLES", 3)
    monkeypatch.setattr(tabu, "ESCAPE_TABLES", 6)
    p, w, start = _search_start(_grouping(4, n=40, groups=5), 4)
    state = tabu.new_state(p, w, start, 4)
    perturbations = 0
    for _ in range(2000):
        stale = state.scores[2]
        tabu.run_chunk(p, w, state, 1)
        assert state.scores[2] >= 0
        perturbations += state.scores[2] == 0 and stale > 0 and state.scores[4] > 0
    assert perturbations >= 10
