import time

import numpy as np
import pytest

from gilde.seating import anneal as annealing
from gilde.seating import fast
from gilde.seating.anneal import anneal, anneal_rounds, compiled_by
from gilde.seating.construct import construct_round
from gilde.seating.generate import generate_instance
from gilde.seating.model import parse_instance
from gilde.seating.objective import evaluate
from gilde.seating.plan import check_plan, plan_to_dict, rule_violations
from gilde.seating.solve import solve
from gilde.seating.units import build_problem


def started_event(guests, tables, rounds, seed, conflicts, locked=()):
    data = generate_instance(guests, tables, rounds=rounds, seed=seed, conflict_density=conflicts)
    data["locked"] = [{"guest": g, "round": r, "table": t} for g, r, t in locked]
    inst = parse_instance(data)
    p = build_problem(inst)
    rng = np.random.default_rng(seed)
    return inst, p, np.stack([construct_round(p, r, rng) for r in range(rounds)])


def walk(p, start, seed, iterations, repeat_cost=0.0):
    deadline = time.perf_counter() + 120
    if p.rounds == 1:
        return anneal(p, start, seed=seed, deadline=deadline, max_iterations=iterations)
    return anneal_rounds(
        p, start, seed=seed, deadline=deadline, max_iterations=iterations, repeat_cost=repeat_cost
    )


@pytest.mark.parametrize(
    ("guests", "tables", "rounds", "seed", "conflicts"),
    [(60, 6, 1, 1, 0.5), (120, 12, 1, 2, 0.05), (90, 9, 2, 3, 0.3), (80, 8, 3, 4, 0.5)],
)
def test_the_compiled_walk_keeps_every_rule_and_tracks_the_objective(
    guests, tables, rounds, seed, conflicts
):
    # Hosts (one per table), groups and apart pairs come from the generator; one guest is locked.
    inst, p, start = started_event(
        guests, tables, rounds, seed, conflicts, locked=[("g20", rounds, "t2")]
    )
    before = evaluate(inst, p.to_guests(start)).objective
    for iterations in (1, 5_000, 300_000):
        result = walk(p, start, seed, iterations)
        assert result.iterations == iterations
        assignment = p.to_guests(result.pos)
        assert not rule_violations(inst, assignment)
        after = evaluate(inst, assignment).objective
        # Without a repeat charge the tracked score is exactly the gain in the objective.
        assert after == pytest.approx(before + result.score, abs=1e-6)
        assert after >= before - 1e-9
        assert result.pos[rounds - 1, p.unit_of[inst.guest_index["g20"]]] == inst.table_index["t2"]


def test_a_long_walk_improves_a_two_hundred_guest_event_a_lot():
    inst, p, start = started_event(200, 20, 1, 1, 0.05)
    result = walk(p, start, 1, 3_000_000)
    assert not rule_violations(inst, p.to_guests(result.pos))
    assert evaluate(inst, p.to_guests(result.pos)).objective >= 1300


@pytest.mark.parametrize("rounds", [1, 3])
def test_the_compiled_walk_is_repeatable_for_a_seed_and_budget(rounds):
    _, p, start = started_event(100, 10, rounds, 5, 0.3)
    first = walk(p, start, 7, 200_000, repeat_cost=1.0)
    second = walk(p, start, 7, 200_000, repeat_cost=1.0)
    other = walk(p, start, 8, 200_000, repeat_cost=1.0)
    assert np.array_equal(first.pos, second.pos)
    assert first.score == second.score
    assert not np.array_equal(first.pos, other.pos)


def test_solving_with_a_budget_gives_the_same_plan_across_runs():
    inst = parse_instance(generate_instance(150, 15, rounds=3, seed=9, conflict_density=0.3))
    plans = [
        solve(inst, time_limit=120, seed=4, method="heuristic", max_iterations=400_000)
        for _ in range(2)
    ]
    assert np.array_equal(plans[0].assignment, plans[1].assignment)
    result = check_plan(inst, plan_to_dict(inst, plans[0]))
    assert result.feasible, result.violations
    assert result.objective == pytest.approx(plans[0].objective)


def test_a_tiny_time_limit_does_not_wait_for_compiling(monkeypatch):
    monkeypatch.setattr(annealing, "_ready", set())
    monkeypatch.setattr(fast, "cached", lambda: False)
    assert not compiled_by(time.perf_counter() + 1.0)
    inst = parse_instance(generate_instance(200, 20, seed=1))
    started = time.perf_counter()
    plan = solve(inst, time_limit=0.5, seed=1, method="heuristic")
    assert time.perf_counter() - started < 2.0
    assert plan.feasible
