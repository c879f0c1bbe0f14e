"""Saved seats (a plan made before, its place cards) and the move penalty: read and refused like
every rule, scored identically by the checker and the solvers, and kept where it pays."""

import json
import re

import numpy as np
import pytest
from seating_factories import instance_data, plan_data

from gilde.seating.anneal import compile_kernels
from gilde.seating.cli import main
from gilde.seating.generate import generate_instance
from gilde.seating.model import DEFAULT_MOVE_PENALTY, InstanceError, parse_instance
from gilde.seating.objective import evaluate
from gilde.seating.plan import check_plan, plan_to_dict
from gilde.seating.solve import solve, tabu_used
from gilde.seating.units import build_problem


@pytest.fixture(scope="module")
def compiled():
    compile_kernels()


def _four(**extra):
    return instance_data(
        ["a", "b", "c", "d"], {"t1": 2, "t2": 2}, {("a", "b"): 5, ("c", "d"): 5}, **extra
    )


def test_a_moved_guest_costs_the_penalty_in_the_checker():
    saved = [
        {"guest": "a", "round": 1, "table": "t1"},
        {"guest": "c", "round": 1, "table": "t1"},
        {"guest": "b", "round": 1, "table": "t2"},
        {"guest": "d", "round": 1, "table": "t2"},
    ]
    inst = parse_instance(_four(saved=saved, move_penalty=3))
    # Keeping everyone: no good pair meets, nothing moves.
    kept = check_plan(inst, plan_data({"t1": ["a", "c"], "t2": ["b", "d"]}))
    assert (kept.objective, kept.moved, kept.move_cost) == (0.0, 0, 0.0)
    # b and c trade places: both pairs meet (10), two saved seats are left (-6).
    traded = check_plan(inst, plan_data({"t1": ["a", "b"], "t2": ["c", "d"]}))
    assert (traded.objective, traded.moved, traded.move_cost) == (4.0, 2, 6.0)
    assert traded.feasible
    # Seat values stay the pair values only.
    ev = evaluate(inst, traded.assignment)
    assert ev.seat_values.sum() == 20.0


def test_the_default_penalty_applies_when_none_is_given():
    inst = parse_instance(_four(saved=[{"guest": "a", "round": 1, "table": "t2"}]))
    assert inst.move_penalty == DEFAULT_MOVE_PENALTY
    result = check_plan(inst, plan_data({"t1": ["a", "b"], "t2": ["c", "d"]}))
    assert result.objective == 10.0 - DEFAULT_MOVE_PENALTY
    assert result.moved == 1


@pytest.mark.parametrize(
    ("saved", "message"),
    [
        ([{"guest": "x", "round": 1, "table": "t1"}], "saved[0] refers to unknown guest 'x'"),
        ([{"guest": "a", "round": 1, "table": "t9"}], "saved[0] refers to unknown table 't9'"),
        (
            [{"guest": "a", "round": 2, "table": "t1"}],
            "saved[0] is for round 2 but the event has 1",
        ),
        (
            [{"guest": "a", "round": 1, "table": "t1"}, {"guest": "a", "round": 1, "table": "t2"}],
            "saved[1] gives guest 'a' a second saved seat in round 1",
        ),
        ([{"guest": "a", "round": 0, "table": "t1"}], "does not match its schema at saved/0/round"),
        ([{"guest": "a", "table": "t1"}], "does not match its schema at saved/0"),
    ],
)
def test_bad_saved_seats_are_refused_with_their_place(saved, message):
    with pytest.raises(InstanceError, match=re.escape(message)):
        parse_instance(_four(saved=saved))


def test_a_negative_penalty_is_refused():
    with pytest.raises(InstanceError, match="move_penalty"):
        parse_instance(_four(move_penalty=-1))


def _changed_event(seed, rounds, *, dense=False, guests=120, tables=12):
    """An event planned once, then one guest cancels and a walk-in comes: the instance of the
    re-plan with every remaining guest's saved seat."""
    data = generate_instance(guests, tables, rounds=rounds, seed=seed)
    if dense:
        rng = np.random.default_rng(seed)
        ids = [g["id"] for g in data["guests"]]
        data["pairs"] = [
            {"a": a, "b": b, "value": int(rng.integers(-3, 10))}
            for i, a in enumerate(ids)
            for b in ids[i + 1 :]
        ]
    first = parse_instance(data)
    plan = plan_to_dict(first, solve(first, time_limit=2, seed=seed, method="heuristic", workers=1))
    gone = next(g["id"] for g in data["guests"] if not g.get("host") and not g.get("group"))
    data["guests"] = [g for g in data["guests"] if g["id"] != gone] + [
        {"id": "walk-in", "name": "Walk-in", "attributes": {"sector": "zorg"}}
    ]
    data["pairs"] = [p for p in data["pairs"] if gone not in (p["a"], p["b"])]
    data["apart"] = [a for a in data.get("apart", []) if gone not in a]
    data["pairs"].append({"a": "walk-in", "b": data["guests"][0]["id"], "value": 4})
    data["saved"] = [
        {"guest": gid, "round": r + 1, "table": tid}
        for r, rnd in enumerate(plan["rounds"])
        for tid, gids in rnd["tables"].items()
        for gid in gids
        if gid != gone
    ]
    data["move_penalty"] = 50
    return data


@pytest.mark.parametrize(("rounds", "dense"), [(1, False), (1, True), (2, False)])
def test_a_replan_keeps_almost_everyone_and_scores_as_the_checker(compiled, rounds, dense):
    data = _changed_event(3, rounds, dense=dense)
    inst = parse_instance(data)
    assert tabu_used(build_problem(inst)) == dense
    for workers in (1, 2):
        plan = solve(inst, time_limit=2, seed=1, method="heuristic", workers=workers)
        out = plan_to_dict(inst, plan)
        result = check_plan(inst, out)
        assert result.feasible, result.violations
        assert result.objective == pytest.approx(plan.objective)
        assert out["moved"] == result.moved
        assert out["move_penalty"] == pytest.approx(50.0 * result.moved)
        # At 50 a seat, a handful of guests at most make room for the walk-in.
        assert result.moved <= 4 * rounds, result.moved


def test_without_a_penalty_the_saved_seats_count_for_nothing(compiled):
    data = _changed_event(4, 1)
    data["move_penalty"] = 0
    inst = parse_instance(data)
    plan = solve(inst, time_limit=1, seed=0, method="heuristic", workers=1)
    ev = evaluate(inst, plan.assignment)
    assert ev.move_cost == 0.0
    assert plan.objective == pytest.approx(ev.objective)


def test_the_exact_model_keeps_saved_seats_and_proves_it(compiled):
    # Moving b and c would gain 10 but costs 2 x 6: the optimum keeps the saved plan.
    saved = [
        {"guest": "a", "round": 1, "table": "t1"},
        {"guest": "c", "round": 1, "table": "t1"},
        {"guest": "b", "round": 1, "table": "t2"},
        {"guest": "d", "round": 1, "table": "t2"},
    ]
    inst = parse_instance(_four(saved=saved, move_penalty=6))
    plan = solve(inst, time_limit=5, seed=0, method="exact", workers=1)
    assert plan.optimal and plan.moved == 0 and plan.objective == 0.0
    inst = parse_instance(_four(saved=saved, move_penalty=4))
    plan = solve(inst, time_limit=5, seed=0, method="exact", workers=1)
    assert plan.optimal and plan.moved == 2 and plan.objective == 2.0


def test_the_command_line_checker_reports_the_moves(compiled, tmp_path, capsys):
    data = _changed_event(5, 1)
    instance = tmp_path / "i.json"
    instance.write_text(json.dumps(data))
    plan = tmp_path / "p.json"
    assert main(["solve", str(instance), "-o", str(plan), "--time-limit", "3"]) == 0
    solved = json.loads(plan.read_text())
    assert main(["check", str(instance), str(plan)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert f"{solved['moved']} saved seats moved" in out[0]
    assert f"objective {solved['objective']:g}" in out[-1]
    assert f"{solved['moved']} saved seats moved" in out[-1]
