"""Reading a large instance quickly: the hand-written check accepts only what the schema accepts
(anything it is not sure of goes to the schema, which names the problem), and pair values come
from arrays, looked up many at once, exactly as the dictionary gives them."""

import copy

import jsonschema
import numpy as np
import pytest

from gilde.seating import model
from gilde.seating.generate import generate_instance
from gilde.seating.model import INSTANCE_KEYS, InstanceError, parse_instance, plainly_valid


def _schema_accepts(data) -> bool:
    validator = jsonschema.Draft202012Validator(model.load_schema("instance"))
    return not any(True for _ in validator.iter_errors(data))


def test_the_hand_check_knows_every_property_of_the_schema():
    schema = model.load_schema("instance")
    assert set(schema["properties"]) == INSTANCE_KEYS
    assert set(schema["properties"]["guests"]["items"]["properties"]) == model._GUEST_KEYS
    assert set(schema["properties"]["tables"]["items"]["properties"]) == model._TABLE_KEYS
    assert set(schema["properties"]["locked"]["items"]["properties"]) == model._SEAT_KEYS
    assert set(schema["properties"]["saved"]["items"]["properties"]) == model._SEAT_KEYS


def _base():
    data = generate_instance(30, 3, rounds=2, seed=4)
    data["locked"] = [{"guest": data["guests"][0]["id"], "round": 1, "table": "t1"}]
    data["saved"] = [{"guest": data["guests"][1]["id"], "round": 2, "table": "t2"}]
    data["move_penalty"] = 5
    return data


MUTATIONS = [
    lambda d: d.update(extra=1),
    lambda d: d.update(rounds=0),
    lambda d: d.update(rounds=1.0),
    lambda d: d.update(rounds=True),
    lambda d: d.update(move_penalty=-1),
    lambda d: d.update(move_penalty="5"),
    lambda d: d.update(guests=[]),
    lambda d: d["guests"][0].update(id=""),
    lambda d: d["guests"][0].update(id=3),
    lambda d: d["guests"][0].update(host="yes"),
    lambda d: d["guests"][0].update(group=None),
    lambda d: d["guests"][0].update(table=7),
    lambda d: d["guests"][0].update(colour="red"),
    lambda d: d["guests"][0].update(attributes={"sector": 3}),
    lambda d: d["tables"][0].update(capacity=0),
    lambda d: d["tables"][0].update(capacity=2.5),
    lambda d: d["tables"][0].update(min=-1),
    lambda d: d["tables"][0].pop("capacity"),
    lambda d: d["pairs"][0].update(value="3"),
    lambda d: d["pairs"][0].update(value=True),
    lambda d: d["pairs"][0].pop("b"),
    lambda d: d["pairs"].append({"a": "g1", "b": "g2", "value": 1, "why": "x"}),
    lambda d: d.update(apart=[["g1"]]),
    lambda d: d.update(apart=[["g1", 2]]),
    lambda d: d.update(hosts={"min_per_table": -1}),
    lambda d: d.update(hosts={"max_per_table": None}),
    lambda d: d.update(hosts={"most": 1}),
    lambda d: d.update(diversity=[{"attribute": "", "weight": 1}]),
    lambda d: d.update(diversity=[{"attribute": "sector", "weight": -1}]),
    lambda d: d["locked"][0].update(round=0),
    lambda d: d["saved"][0].update(round="2"),
    lambda d: d["saved"][0].pop("table"),
]


@pytest.mark.parametrize("mutate", range(len(MUTATIONS)))
def test_the_hand_check_never_accepts_what_the_schema_refuses(mutate):
    data = _base()
    assert plainly_valid(data) and _schema_accepts(data)
    changed = copy.deepcopy(data)
    MUTATIONS[mutate](changed)
    if plainly_valid(changed):
        assert _schema_accepts(changed)
    if not _schema_accepts(changed):
        with pytest.raises(InstanceError, match="does not match its schema"):
            parse_instance(changed)


def test_pair_values_are_looked_up_at_once_as_the_dictionary_gives_them():
    data = generate_instance(80, 8, seed=2)
    inst = parse_instance(data)
    rng = np.random.default_rng(0)
    a = rng.integers(0, inst.n_guests, 2000)
    b = rng.integers(0, inst.n_guests, 2000)
    keep = a != b
    a, b = a[keep], b[keep]
    expected = [inst.listed.get((min(x, y), max(x, y)), 0.0) for x, y in zip(a, b, strict=True)]
    assert inst.pair_values(a, b).tolist() == expected
    assert inst.pairs == tuple(sorted(inst.pairs, key=lambda p: inst.pairs.index(p)))
    assert all(x < y for x, y, _v in inst.pairs)


@pytest.mark.parametrize("space", [50, 10**8])
def test_distinct_keys_come_as_numpy_unique_gives_them(space):
    # A small key space takes the bitmap, a large one the sort: both answer alike.
    keys = np.random.default_rng(1).integers(0, min(space, 10**6), 40)
    unique, inverse = model.unique_keys(keys, space)
    expected, expected_inverse = np.unique(keys, return_inverse=True)
    np.testing.assert_array_equal(unique, expected)
    np.testing.assert_array_equal(inverse, expected_inverse)


def test_a_pair_listed_twice_among_many_is_named():
    data = generate_instance(80, 8, seed=2)
    ids = [g["id"] for g in data["guests"]]
    data["pairs"] = [{"a": a, "b": b, "value": 1} for i, a in enumerate(ids) for b in ids[i + 1 :]]
    assert len(data["pairs"]) >= model.FAST_PAIRS
    data["pairs"].append({"a": ids[7], "b": ids[3], "value": 2})
    with pytest.raises(InstanceError, match="is listed more than once"):
        parse_instance(data)
