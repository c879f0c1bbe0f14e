import itertools
import time

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from seating_factories import instance_data
from threadpoolctl import threadpool_info, threadpool_limits

from gilde.seating import solve as solve_module
from gilde.seating.anneal import anneal, anneal_rounds
from gilde.seating.conflicts import counting_conflicts, find_seating_or_core, rules_clash
from gilde.seating.construct import construct_round
from gilde.seating.exact import solve_exact
from gilde.seating.generate import generate_instance
from gilde.seating.model import InstanceError, parse_instance
from gilde.seating.objective import evaluate, seat_reasons
from gilde.seating.plan import check_plan, plan_to_dict, rule_violations
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
        # Tiny random events can be impossible; the exact model must agree.
        assert plan.assignment.shape[0] == 0
        assert solve_exact(build_problem(inst), time_limit=30, workers=1).infeasible
        return
    result = check_plan(inst, plan_to_dict(inst, plan))
    assert result.feasible, result.violations
    assert result.objective == pytest.approx(plan.objective)
    assert plan.seat_values is not None
    assert plan.seat_values.sum() == pytest.approx(2 * plan.objective)


@settings(max_examples=10, deadline=None)
@given(rounds=st.integers(1, 3), seed=st.integers(0, 10_000), iterations=st.integers(1, 20_000))
def test_the_annealers_running_score_matches_a_full_recount(rounds, seed, iterations):
    data = generate_instance(30, 4, rounds=rounds, seed=seed, conflict_density=0.5)
    data["locked"] = [{"guest": "g7", "round": rounds, "table": "t2"}]
    inst = parse_instance(data)
    p = build_problem(inst)
    rng = np.random.default_rng(seed)
    rows = [construct_round(p, r, rng) for r in range(rounds)]
    # Some random events at this density have no plan the greedy start can find (the solver then
    # asks CP-SAT, tested above); the annealer is only ever given a start.
    assume(all(row is not None for row in rows))
    start = np.stack(rows)
    deadline = time.perf_counter() + 60
    if rounds == 1:
        result = anneal(p, start, seed=seed, deadline=deadline, max_iterations=iterations)
    else:
        # Without a repeat charge the search score is the objective itself.
        result = anneal_rounds(
            p, start, seed=seed, deadline=deadline, max_iterations=iterations, repeat_cost=0.0
        )
    before = evaluate(inst, p.to_guests(start)).objective
    after = evaluate(inst, p.to_guests(result.pos)).objective
    assert after == pytest.approx(before + result.score)
    assert after >= before - 1e-9
    assert not rule_violations(inst, p.to_guests(result.pos))
    assert result.pos[rounds - 1, p.unit_of[inst.guest_index["g7"]]] == inst.table_index["t2"]


def test_the_same_seed_and_iteration_budget_give_the_same_plan():
    inst = small_event(60, 6, rounds=2, seed=3)
    first = solve(inst, time_limit=60, seed=7, method="heuristic", max_iterations=50_000)
    second = solve(inst, time_limit=60, seed=7, method="heuristic", max_iterations=50_000)
    assert np.array_equal(first.assignment, second.assignment)
    assert first.objective == second.objective


@pytest.mark.parametrize("rounds", [1, 3])
def test_parallel_chains_keep_the_best_of_the_single_chains(rounds):
    inst = small_event(60, 6, rounds=rounds, seed=5)
    one = solve(inst, time_limit=60, seed=7, method="heuristic", max_iterations=20_000, workers=1)
    two = solve(inst, time_limit=60, seed=7, method="heuristic", max_iterations=20_000, workers=2)
    again = solve(inst, time_limit=60, seed=7, method="heuristic", max_iterations=20_000, workers=2)
    assert two.feasible and np.array_equal(two.assignment, again.assignment)
    assert (two.repeated_positive_pairs, -two.objective) <= (
        one.repeated_positive_pairs,
        -one.objective,
    )


def blas_threads():
    return min(i["num_threads"] for i in threadpool_info() if i["user_api"] == "blas")


def test_the_search_keeps_numpys_matrix_products_to_the_cpus_it_is_given(monkeypatch):
    seen = {}
    build, rounds = solve_module.build_problem, solve_module._anneal_rounds

    def build_problem_watched(inst):
        seen["start"] = blas_threads()
        return build(inst)

    def anneal_rounds_watched(*args):
        seen.setdefault("chains", []).append(blas_threads())
        return rounds(*args)

    monkeypatch.setattr(solve_module, "build_problem", build_problem_watched)
    monkeypatch.setattr(solve_module, "_anneal_rounds", anneal_rounds_watched)
    inst = small_event(30, 3, rounds=2, seed=1)
    with threadpool_limits(limits=4, user_api="blas"):
        assert blas_threads() == 4
        plan = solve(
            inst, time_limit=60, seed=1, method="heuristic", max_iterations=2_000, workers=2
        )
        # The products before the search may use the two CPUs given, each chain one.
        assert plan.feasible and seen == {"start": 2, "chains": [1, 1]}
        assert blas_threads() == 4  # and the limit is the caller's again afterwards


def brute_force(inst):
    best = -np.inf
    seats = inst.n_guests * inst.rounds
    for combo in itertools.product(range(inst.n_tables), repeat=seats):
        assignment = np.array(combo, dtype=np.int64).reshape(inst.rounds, inst.n_guests)
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


@pytest.mark.slow
@pytest.mark.parametrize("pair_model", [True, False])
def test_exact_optimum_over_two_rounds_equals_brute_force(pair_model, monkeypatch):
    # Good pairs count once, bad pairs every round; both exact models must agree with brute force.
    monkeypatch.setattr("gilde.seating.exact.PAIR_MODEL_UNITS", 40 if pair_model else 0)
    pairs = {
        ("a", "b"): 5,
        ("a", "c"): 4,
        ("b", "c"): 3,
        ("c", "d"): -2,
        ("d", "e"): 6,
        ("a", "e"): 2,
    }
    guests = [
        {"id": g, "attributes": {"sector": s}} for g, s in zip("abcdef", "xxyyzz", strict=True)
    ]
    inst = parse_instance(
        instance_data(
            guests,
            {"t1": 3, "t2": 3},
            pairs,
            rounds=2,
            apart=[["b", "f"]],
            diversity=[{"attribute": "sector", "weight": 1}],
        )
    )
    plan = solve(inst, time_limit=30, method="exact", max_iterations=100)
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
    plan = solve(inst, time_limit=60, method="heuristic", max_iterations=200_000)
    assert plan.repeated_positive_pairs == 0


def test_seat_reasons_explain_a_seat_value():
    inst = small_event(20, 2, seed=2)
    plan = solve(inst, time_limit=5, method="heuristic", max_iterations=200)
    reasons = seat_reasons(inst, plan.assignment, 0, 0)
    assert plan.seat_values is not None
    assert sum(v for _, v in reasons) == pytest.approx(plan.seat_values[0, 0])
    assert [v for _, v in reasons] == sorted((v for _, v in reasons), reverse=True)


def impossible_events():
    """Small random events whose apart rules and hand-placed guests rule out every plan."""
    found = []
    for seed in range(200):
        rng = np.random.default_rng(seed)
        names = [f"g{i}" for i in range(int(rng.integers(5, 9)))]
        tables = {f"t{k}": int(rng.integers(2, 4)) for k in range(int(rng.integers(2, 4)))}
        if len(names) > sum(tables.values()):
            continue
        apart = {tuple(sorted(rng.choice(names, 2, replace=False))) for _ in range(len(names) * 2)}
        guests = [
            {"id": n, "table": str(rng.choice(list(tables))) if rng.random() < 0.2 else None}
            for n in names
        ]
        data = instance_data(guests, tables, apart=[list(a) for a in sorted(apart)])
        try:
            inst = parse_instance(data)
        except InstanceError:
            continue  # a direct contradiction is an input error, not what this test is about
        p = build_problem(inst)
        # Clashes visible from counts alone are reported before CP-SAT is asked.
        if not counting_conflicts(p) and solve_exact(p, time_limit=10, workers=1).infeasible:
            found.append(inst)
    return found


@pytest.mark.slow
def test_an_impossible_event_names_a_minimal_set_of_rules_that_cannot_hold_together():
    events = impossible_events()
    assert len(events) >= 5
    for inst in events:
        p = build_problem(inst)
        row, core = find_seating_or_core(p, 0, time_limit=10)
        assert row is None and core
        # CP-SAT proves the named rules infeasible on their own, and each of them is needed.
        assert rules_clash(p, core) is True
        for k in range(len(core)):
            assert rules_clash(p, core[:k] + core[k + 1 :]) is False
        plan = solve(inst, time_limit=5)
        assert not plan.feasible and plan.assignment.shape[0] == 0
        assert all(rule.text in plan.violations[0] for rule in core)
