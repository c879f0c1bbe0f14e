import pytest
from seating_factories import instance_data

from gilde.seating.model import InstanceError, parse_instance


def rejects(data, fragment):
    with pytest.raises(InstanceError) as info:
        parse_instance(data)
    assert fragment in str(info.value)


def test_schema_errors_name_the_place():
    rejects({"guests": [{"id": "a"}], "tables": [{"id": "t", "capacity": 0}]}, "tables/0/capacity")


def test_unknown_guest_in_a_pair_is_named():
    rejects(instance_data(["a"], {"t": 2}, {("a", "zz"): 1}), "unknown guest 'zz'")


def test_a_pair_listed_twice_is_rejected():
    data = instance_data(["a", "b"], {"t": 2}, {("a", "b"): 1})
    data["pairs"].append({"a": "b", "b": "a", "value": 2})
    rejects(data, "listed more than once")


def test_duplicate_guest_ids_are_rejected():
    rejects(instance_data(["a", "a"], {"t": 2}), "guest id 'a' appears more than once")


def test_more_guests_than_seats_is_rejected():
    rejects(instance_data(["a", "b", "c"], {"t": 2}), "3 guests but only 2 seats")


def test_a_group_larger_than_any_table_is_rejected():
    guests = [{"id": g, "group": "family"} for g in "abc"]
    rejects(instance_data(guests, {"t1": 2, "t2": 2}), "group 'family' has 3 guests")


def test_apart_inside_a_group_is_a_contradiction():
    guests = [{"id": "a", "group": "x"}, {"id": "b", "group": "x"}]
    rejects(instance_data(guests, {"t": 2}, apart=[["a", "b"]]), "same group")


def test_apart_guests_fixed_to_one_table_is_a_contradiction():
    guests = [{"id": "a", "table": "t"}, {"id": "b", "table": "t"}]
    rejects(instance_data(guests, {"t": 2}, apart=[["a", "b"]]), "both fixed to table 't'")


def test_group_fixed_to_two_tables_is_a_contradiction():
    guests = [{"id": "a", "group": "x", "table": "t1"}, {"id": "b", "group": "x", "table": "t2"}]
    rejects(instance_data(guests, {"t1": 2, "t2": 2}), "fixed to t1, t2")


def test_lock_for_a_round_that_does_not_exist_is_rejected():
    data = instance_data(["a"], {"t": 1}, locked=[{"guest": "a", "round": 2, "table": "t"}])
    rejects(data, "round 2 but the event has 1")


def test_a_guest_locked_at_two_tables_in_one_round_is_rejected():
    locked = [{"guest": "a", "round": 1, "table": "t1"}, {"guest": "a", "round": 1, "table": "t2"}]
    data = instance_data(["a"], {"t1": 1, "t2": 1}, locked=locked)
    rejects(data, "locked[1] puts guest 'a' at two different tables in round 1")


def test_a_lock_against_the_guests_own_table_is_rejected():
    guests = [{"id": "a", "table": "t1"}]
    data = instance_data(
        guests, {"t1": 1, "t2": 1}, locked=[{"guest": "a", "round": 1, "table": "t2"}]
    )
    rejects(data, "locked[0] puts guest 'a' at two different tables in round 1")


def test_host_maximum_below_minimum_is_rejected():
    rejects(
        instance_data(["a"], {"t": 1}, hosts={"min_per_table": 2, "max_per_table": 1}),
        "smaller than",
    )


def test_a_valid_instance_keeps_its_rules():
    guests = [
        {"id": "a", "host": True, "table": "t1"},
        {"id": "b", "group": "g"},
        {"id": "c", "group": "g"},
    ]
    inst = parse_instance(
        instance_data(
            guests, {"t1": 2, "t2": 2}, {("c", "a"): 3}, rounds=2, apart=[["a", "b"], ["b", "a"]]
        )
    )
    assert inst.pairs == ((0, 2, 3.0),)
    assert inst.apart == ((0, 1),)
    assert inst.fixed == ((0, -1, -1), (0, -1, -1))
    assert inst.group_members == [[0], [1, 2]]


def _many_pairs():
    guests = [f"g{i}" for i in range(60)]
    data = instance_data(guests, {"t1": 30, "t2": 30})
    data["pairs"] = [
        {"a": a, "b": b, "value": 1} for i, a in enumerate(guests) for b in guests[i + 1 :]
    ]
    assert len(data["pairs"]) > 1000  # checked in bulk, not by the schema one by one
    return data


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda p: p[700].update(value="x"), "at pairs/700/value: 'x' is not of type 'number'"),
        (lambda p: p[700].update(value=True), "at pairs/700/value: True is not of type 'number'"),
        (lambda p: p[5].pop("b"), "at pairs/5: 'b' is a required property"),
        (lambda p: p[9].update(c=1), "at pairs/9: Additional properties are not allowed"),
        (lambda p: p.append([1]), "at pairs/1770: [1] is not of type 'object'"),
        (
            lambda p: p.append({"a": "g1", "b": "g0", "value": 2}),
            "pairs[1770]: the pair 'g1', 'g0'",
        ),
        (lambda p: p.append({"a": "g1", "b": "g1", "value": 2}), "pairs[1770] pairs guest 'g1'"),
        (lambda p: p[3].update(a="zz"), "pairs[3] refers to unknown guest 'zz'"),
        (lambda p: p[4].update(value=10**400), "pairs[4] has a value that is not a finite number"),
    ],
)
def test_many_pairs_get_the_same_messages_as_few(change, message):
    data = _many_pairs()
    parse_instance(data)
    change(data["pairs"])
    rejects(data, message)
