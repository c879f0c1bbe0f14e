import json

import pytest
from seating_factories import instance_data

from gilde.seating.anneal import compile_kernels
from gilde.seating.cli import main
from gilde.seating.mdgp import parse_mdgp
from gilde.seating.model import InstanceError, parse_instance
from gilde.seating.plan import check_plan, plan_to_dict
from gilde.seating.solve import solve

SMALL = """6 2 ds 2 4 2 4
0 1 5
0 2 1.5
0 3 7
0 4 2
0 5 3
1 2 4
1 3 0
1 4 8
1 5 1
2 3 6
2 4 2
2 5 9
3 4 1
3 5 2
4 5 5
"""


def test_an_mdgp_file_becomes_an_instance_with_minimum_and_capacity_per_table():
    data = parse_mdgp(SMALL)
    inst = parse_instance(data)
    assert inst.n_guests == 6
    assert inst.capacities == (4, 4) and inst.minimums == (2, 2)
    # A zero distance adds nothing, so it is left out; every other d_ij is a pair value.
    assert len(inst.pairs) == 14
    assert (0, 2, 1.5) in inst.pairs and (2, 5, 9.0) in inst.pairs


def test_a_file_numbered_from_one_is_read_as_such():
    text = "3 1 ss 3 3\n1 2 4\n1 3 5\n2 3 6\n"
    data = parse_mdgp(text)
    values = {(p["a"], p["b"]): p["value"] for p in data["pairs"]}
    assert values == {("e0", "e1"): 4, ("e0", "e2"): 5, ("e1", "e2"): 6}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "is empty"),
        ("6 2 xx 3 3 3 3\n", "line 1: expected 'ss' or 'ds' after n and m, found 'xx'"),
        (
            "6 2 ss 3 3 3\n0 1 1\n",
            "line 1: 2 groups need 4 sizes (lower and upper of each), found 3",
        ),
        ("6 2 ss 3 3 2 4\n0 1 1\n", "line 1: 'ss' means equal sizes but group 2 has 2..4"),
        ("6 2 ds 4 5 3 5\n0 1 1\n", "line 1: the lower sizes add up to 7, more than n = 6"),
        ("6 2 ds 1 2 1 2\n0 1 1\n", "line 1: the upper sizes add up to 4, fewer than n = 6"),
        ("6 two ss 3 3 3 3\n", "line 1: the number of groups must be a whole number, not 'two'"),
        ("4 1 ss 4 4\n0 1 1\n0 2\n", "line 3: expected 'i j d_ij', found 2 fields"),
        ("4 1 ss 4 4\n0 1 1\n\n0 2 x\n", "line 4: d_ij must be a number, not 'x'"),
        ("4 1 ss 4 4\n0 1 1\n0 2 nan\n", "line 3: d_ij must be a finite number, not 'nan'"),
        ("4 1 ss 4 4\n0 1 1\n2 2 1\n", "line 3: pairs element 2 with itself"),
        ("4 1 ss 4 4\n0 1 1\n1 0 2\n", "line 3: the pair 0 1 was given before, on line 2"),
        ("4 1 ss 4 4\n0 1 1\n0 7 2\n", "line 3: element 7 is outside 0..3 (n = 4)"),
        ("4 1 ss 4 4\n", "has no pair lines after its first line"),
    ],
)
def test_bad_files_are_refused_with_the_line_number(text, message):
    with pytest.raises(InstanceError) as e:
        parse_mdgp(text, "f.txt")
    assert message in str(e.value)


def test_import_mdgp_command_writes_an_instance_and_refuses_a_bad_file(tmp_path, capsys):
    src, out = tmp_path / "x.txt", tmp_path / "x.json"
    src.write_text(SMALL)
    assert main(["import-mdgp", str(src), "-o", str(out)]) == 0
    assert "6 elements, 2 groups, 14 pairs" in capsys.readouterr().out
    parse_instance(json.loads(out.read_text()))
    src.write_text("6 2 ss 3 3 3 3\n0 1 1\n0 1 2\n")
    bad = tmp_path / "bad.json"
    assert main(["import-mdgp", str(src), "-o", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "line 3" in err and "given before, on line 2" in err
    assert not bad.exists()


def test_plans_respect_the_minimum_per_table():
    compile_kernels()  # a short limit skips the search while the compiled walk is not ready
    inst = parse_instance(parse_mdgp(SMALL))
    for seed in range(3):
        plan = solve(inst, time_limit=2, seed=seed, method="heuristic", max_iterations=20_000)
        result = check_plan(inst, plan_to_dict(inst, plan))
        assert result.feasible, result.violations
        sizes = sorted((plan.assignment[0] == t).sum() for t in range(2))
        assert sizes[0] >= 2
        # The optimum (36.5, found by trying all 64 splits) needs a table of 4 and one of 2.
        assert plan.objective == 36.5


def test_a_table_below_its_minimum_is_a_violation_and_a_minimum_above_the_seats_is_refused():
    data = instance_data(["a", "b", "c"], {"t1": 3, "t2": 3})
    data["tables"][1]["min"] = 2
    inst = parse_instance(data)
    plan = {"rounds": [{"tables": {"t1": ["a", "b"], "t2": ["c"]}}]}
    result = check_plan(inst, plan)
    assert result.violations == ("round 1: table 't2' seats 1 guests, fewer than its minimum 2",)
    data["tables"][1]["min"] = 4
    with pytest.raises(
        InstanceError, match="table 't2' has a minimum of 4 guests but seats only 3"
    ):
        parse_instance(data)


def test_minimums_that_need_more_guests_than_there_are_give_an_infeasible_plan():
    data = instance_data(["a", "b", "c"], {"t1": 3, "t2": 3})
    data["tables"][0]["min"] = 2
    data["tables"][1]["min"] = 2
    plan = solve(parse_instance(data), time_limit=1, method="heuristic")
    assert not plan.feasible
    assert "minimums add up to 4 guests, but there are 3 guests" in plan.violations[0]


def test_the_start_and_the_search_fill_every_table_to_its_minimum_with_other_rules():
    guests = [f"g{i}" for i in range(20)]
    data = instance_data(guests, {"t1": 10, "t2": 10, "t3": 10, "t4": 10})
    for t in data["tables"]:
        t["min"] = 4
    # Everyone likes g0's company: without minimums they would crowd two tables.
    data["pairs"] = [{"a": "g0", "b": g, "value": 5} for g in guests[1:]]
    data["pairs"] += [{"a": "g1", "b": g, "value": 5} for g in guests[2:]]
    data["apart"] = [["g0", "g1"]]
    inst = parse_instance(data)
    compile_kernels()
    plan = solve(inst, time_limit=2, seed=1, method="heuristic", max_iterations=50_000)
    assert check_plan(inst, plan_to_dict(inst, plan)).feasible
    assert min((plan.assignment[0] == t).sum() for t in range(4)) >= 4
