import itertools

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from seating_factories import instance_data

from gilde.seating.construct import construct_round
from gilde.seating.generate import generate_instance
from gilde.seating.model import parse_instance
from gilde.seating.objective import evaluate, seat_reasons
from gilde.seating.plan import check_plan, plan_to_dict, rule_violations
from gilde.seating.search import SearchState
from gilde.seating.solve import solve
from gilde.seating.units import build_problem


def small_event(guests, tables, rounds=1, seed=0, conflicts=0.3):
    return parse_instance(
        generate_instance(guests, tables, rounds=rounds, seed=seed, conflict_density=conflicts)
    )


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    guests=st.integers(4, 40),
    tables=st.integers(1, 5),
    rounds=st.integers(1, 3),
    seed=st.integers(0, 10_000),
)
def test_every_plan_the_solver_returns_passes_the_checker(guests, tables, rounds, seed):
    inst = small_event(guests, tables, rounds, seed)
    plan = solve(inst, time_limit=5, seed=seed, method="heuristic", max_iterations=300)
    if not plan.feasible:
        # Tiny random events can be impossible; then the plan must say which rules clash.
        assert plan.assignment.shape[0] == 0
        assert plan.violations and (
            "cannot all hold" in plan.violations[0] or "hosts" in plan.violations[0]
        )
        return
    result = check_plan(inst, plan_to_dict(inst, plan))
    assert result.feasible, result.violations
    assert result.objective == pytest.approx(plan.objective)
    assert plan.seat_values is not None
    assert plan.seat_values.sum() == pytest.approx(2 * plan.objective)


@settings(max_examples=8, deadline=None)
@given(rounds=st.integers(1, 3), seed=st.integers(0, 10_000))
def test_incremental_move_prices_match_a_full_recount(rounds, seed):
    inst = small_event(30, 4, rounds, seed, conflicts=0.5)
    p = build_problem(inst)
    rng = np.random.default_rng(seed)
    state = SearchState(
        p, np.stack([construct_round(p, r, rng) for r in range(rounds)]), repeat_cost=0.01
    )
    for _ in range(60):
        r, u = int(rng.integers(rounds)), int(rng.integers(p.n_units))
        deltas = np.concatenate([state.move_deltas(r, u), state.swap_deltas(r, u)])
        allowed = np.flatnonzero(np.isfinite(deltas))
        if p.fixed[r, u] >= 0 or not len(allowed):
            continue
        k = int(rng.choice(allowed))
        expected = state.score + deltas[k]
        if k < p.n_tables:
            state.move(r, u, k)
        else:
            state.swap(r, u, k - p.n_tables)
        state.score = state.compute_score()
        assert state.score == pytest.approx(expected)
        assert not rule_violations(inst, p.to_guests(state.pos))
    plain = SearchState(p, state.pos, repeat_cost=0.0)
    assert evaluate(inst, p.to_guests(state.pos)).objective == pytest.approx(plain.score)


def test_the_same_seed_and_iteration_budget_give_the_same_plan():
    inst = small_event(60, 6, rounds=2, seed=3)
    first = solve(inst, time_limit=30, seed=7, method="heuristic", max_iterations=2000)
    second = solve(inst, time_limit=30, seed=7, method="heuristic", max_iterations=2000)
    assert np.array_equal(first.assignment, second.assignment)
    assert first.objective == second.objective


def brute_force(inst):
    best = -np.inf
    for combo in itertools.product(range(inst.n_tables), repeat=inst.n_guests):
        assignment = np.array([combo], dtype=np.int64)
        if not rule_violations(inst, assignment):
            best = max(best, evaluate(inst, assignment).objective)
    return best


@pytest.mark.slow
@pytest.mark.parametrize("seed", range(4))
def test_exact_optimum_equals_brute_force(seed):
    rng = np.random.default_rng(seed)
    guests = [
        {"id": f"g{i}", "host": i < 2, "attributes": {"sector": "abc"[int(rng.integers(3))]}}
        for i in range(7)
    ]
    pairs = {
        (f"g{a}", f"g{b}"): int(rng.integers(-4, 9))
        for a, b in itertools.combinations(range(7), 2)
        if rng.random() < 0.5
    }
    inst = parse_instance(
        instance_data(
            guests,
            {"t1": 3, "t2": 3, "t3": 2},
            pairs,
            apart=[["g2", "g3"]],
            hosts={"min_per_table": 0, "max_per_table": 1},
            diversity=[{"attribute": "sector", "weight": 1.5}],
        )
    )
    plan = solve(inst, time_limit=20, seed=seed, method="exact", max_iterations=50)
    assert plan.optimal
    assert plan.objective == pytest.approx(brute_force(inst))
    assert plan.bound == pytest.approx(plan.objective)


def test_too_few_hosts_is_reported_as_infeasible_not_a_crash():
    guests = [{"id": "h", "host": True}, "a", "b", "c"]
    inst = parse_instance(instance_data(guests, {"t1": 2, "t2": 2}, hosts={"min_per_table": 1}))
    plan = solve(inst, time_limit=5)
    assert not plan.feasible
    assert "needs 2 hosts" in plan.violations[0]


def test_clashing_apart_rules_are_named():
    # Four guests who must all sit apart cannot fit at three tables.
    names = ["a", "b", "c", "d"]
    apart = [[x, y] for x, y in itertools.combinations(names, 2)]
    inst = parse_instance(instance_data(names, {"t1": 2, "t2": 2, "t3": 2}, apart=apart))
    plan = solve(inst, time_limit=5)
    assert not plan.feasible
    assert "cannot all hold" in plan.violations[0]
    assert "sit apart" in plan.violations[0]
    assert plan_to_dict(inst, plan)["rounds"] == []


def test_locked_guests_stay_where_the_event_manager_put_them():
    data = generate_instance(40, 4, rounds=2, seed=5)
    data["locked"] = [
        {"guest": "g10", "round": 2, "table": "t3"},
        {"guest": "g11", "round": 1, "table": "t1"},
    ]
    inst = parse_instance(data)
    plan = solve(inst, time_limit=5, method="heuristic", max_iterations=500)
    assert plan.feasible
    assert plan.assignment[1, inst.guest_index["g10"]] == inst.table_index["t3"]
    assert plan.assignment[0, inst.guest_index["g11"]] == inst.table_index["t1"]


def test_rounds_avoid_seating_a_good_pair_together_twice():
    inst = small_event(40, 4, rounds=3, seed=11)
    plan = solve(inst, time_limit=10, method="heuristic", max_iterations=4000)
    assert plan.repeated_positive_pairs == 0


def test_seat_reasons_explain_a_seat_value():
    inst = small_event(20, 2, seed=2)
    plan = solve(inst, time_limit=5, method="heuristic", max_iterations=200)
    reasons = seat_reasons(inst, plan.assignment, 0, 0)
    assert plan.seat_values is not None
    assert sum(v for _, v in reasons) == pytest.approx(plan.seat_values[0, 0])
    assert [v for _, v in reasons] == sorted((v for _, v in reasons), reverse=True)
