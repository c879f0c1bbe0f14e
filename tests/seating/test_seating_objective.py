from seating_factories import instance_data, plan_data

from gilde.seating.model import parse_instance
from gilde.seating.plan import check_plan


def test_objective_adds_listed_values_of_pairs_sharing_a_table():
    inst = parse_instance(
        instance_data(
            ["a", "b", "c", "d"],
            {"t1": 2, "t2": 2},
            {("a", "b"): 5, ("c", "d"): -3, ("a", "c"): 2},
        )
    )
    result = check_plan(inst, plan_data({"t1": ["a", "b"], "t2": ["c", "d"]}))
    assert result.objective == 5 - 3
    assert result.feasible


def test_shared_attribute_costs_its_diversity_weight_per_pair():
    guests = [
        {"id": "a", "attributes": {"sector": "zorg"}},
        {"id": "b", "attributes": {"sector": "zorg"}},
        {"id": "c", "attributes": {"sector": "zorg", "city": "Utrecht"}},
        {"id": "d", "attributes": {"sector": "", "city": "Utrecht"}},
    ]
    inst = parse_instance(
        instance_data(
            guests,
            {"t1": 4},
            {("a", "b"): 5},
            diversity=[{"attribute": "sector", "weight": 2}, {"attribute": "city", "weight": 0.5}],
        )
    )
    result = check_plan(inst, plan_data({"t1": ["a", "b", "c", "d"]}))
    # a-b: 5 - 2; a-c and b-c: -2 each; c-d share a city: -0.5; an empty sector is not shared.
    assert result.objective == 3 - 2 - 2 - 0.5


def test_a_good_pair_counts_only_in_the_first_round_it_meets():
    inst = parse_instance(
        instance_data(["a", "b", "c"], {"t1": 2, "t2": 1}, {("a", "b"): 4}, rounds=2)
    )
    twice = check_plan(
        inst, plan_data({"t1": ["a", "b"], "t2": ["c"]}, {"t1": ["a", "b"], "t2": ["c"]})
    )
    assert twice.objective == 4
    assert twice.repeated_positive_pairs == 1


def test_a_bad_pair_costs_in_every_round_it_shares_a_table():
    inst = parse_instance(
        instance_data(["a", "b", "c"], {"t1": 2, "t2": 1}, {("a", "b"): -4}, rounds=2)
    )
    result = check_plan(
        inst, plan_data({"t1": ["a", "b"], "t2": ["c"]}, {"t1": ["a", "b"], "t2": ["c"]})
    )
    assert result.objective == -8


def test_a_good_pair_turned_bad_by_diversity_counts_every_round():
    guests = [{"id": g, "attributes": {"sector": "bouw"}} for g in ("a", "b")] + ["c"]
    inst = parse_instance(
        instance_data(
            guests,
            {"t1": 2, "t2": 1},
            {("a", "b"): 1},
            rounds=2,
            diversity=[{"attribute": "sector", "weight": 3}],
        )
    )
    result = check_plan(
        inst, plan_data({"t1": ["a", "b"], "t2": ["c"]}, {"t1": ["a", "b"], "t2": ["c"]})
    )
    assert result.objective == -4


def test_checker_lists_every_broken_rule():
    guests = [
        {"id": "h1", "host": True},
        {"id": "h2", "host": True},
        {"id": "a", "group": "couple"},
        {"id": "b", "group": "couple"},
        {"id": "c", "table": "t2"},
        "d",
    ]
    inst = parse_instance(
        instance_data(
            guests,
            {"t1": 3, "t2": 4},
            apart=[["c", "d"]],
            hosts={"min_per_table": 1, "max_per_table": 1},
        )
    )
    result = check_plan(
        inst, plan_data({"t1": ["h1", "h2", "a", "c", "d"], "t2": ["b"], "t9": ["x"]})
    )
    text = "\n".join(result.violations)
    assert not result.feasible
    assert "unknown table 't9'" in text
    assert "table 't1' seats 5 guests but has 3 seats" in text
    assert "table 't1' has 2 hosts, more than 1" in text
    assert "table 't2' has 0 hosts, fewer than 1" in text
    assert "group 'couple' is split" in text
    assert "'c' and 'd' must sit apart" in text
    assert "guest 'c' must sit at table 't2'" in text


def test_checker_reports_missing_and_doubly_seated_guests():
    inst = parse_instance(instance_data(["a", "b", "c"], {"t1": 3}))
    result = check_plan(inst, plan_data({"t1": ["a", "a", "b"]}))
    text = "\n".join(result.violations)
    assert "'a' is seated more than once" in text
    assert "'c' has no seat" in text


def test_checker_reports_a_wrong_number_of_rounds():
    inst = parse_instance(instance_data(["a"], {"t1": 1}, rounds=2))
    result = check_plan(inst, plan_data({"t1": ["a"]}))
    assert any("1 rounds but the instance has 2" in v for v in result.violations)
