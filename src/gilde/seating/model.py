"""The seating instance: parsing, validation and the plain data the solvers work on."""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache, cached_property
from importlib import resources
from operator import itemgetter
from pathlib import Path
from typing import Any

import numpy as np
import orjson
from numpy.typing import NDArray

IntArray = NDArray[np.int64]
FloatArray = NDArray[np.float64]


class InstanceError(ValueError):
    """An instance (or plan) that cannot be read: the message names the problem for a person."""


@cache
def load_schema(name: str) -> dict[str, Any]:
    """Return the JSON Schema shipped with the package ("instance" or "plan")."""
    text = resources.files("gilde.seating").joinpath(f"schema/{name}.schema.json").read_text()
    schema: dict[str, Any] = json.loads(text)
    return schema


# What a plan loses for every saved seat (guest and round) whose guest sits elsewhere, unless the
# instance gives its own move_penalty.
DEFAULT_MOVE_PENALTY = 10.0
# From this many pairs on, well-formed pairs are checked by a fast path (see _plain_pairs).
FAST_PAIRS = 1000
_PAIR_KEYS = {"a", "b", "value"}


def validate_against_schema(data: Any, name: str, *, pairs_checked: bool = False) -> None:
    """Raise InstanceError with the first schema violation, phrased with its JSON path.

    An instance's many `pairs` are checked in bulk (each an object with exactly the strings a and b
    and a number value); only if one of them is not does the schema check them one by one, so the
    message is the same as the schema's. pairs_checked: the caller has done that bulk check."""
    if name == "instance" and isinstance(data, dict):
        plain_pairs = pairs_checked or _pair_columns(data.get("pairs")) is not None
        if plainly_valid(data, pairs_checked=plain_pairs):
            return
        if plain_pairs:
            data = {**data, "pairs": []}
    import jsonschema  # only here: importing it takes a noticeable part of a second

    validator = jsonschema.Draft202012Validator(load_schema(name))
    errors = sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path))
    if errors:
        first = errors[0]
        where = "/".join(str(p) for p in first.absolute_path) or "(top level)"
        raise InstanceError(f"{name} does not match its schema at {where}: {first.message}")


PairColumns = tuple[list[str], list[str], list[float]]

# The instance schema's properties, as plainly_valid checks them (a test keeps them equal).
INSTANCE_KEYS = frozenset(
    {
        "guests",
        "tables",
        "rounds",
        "pairs",
        "apart",
        "hosts",
        "diversity",
        "locked",
        "saved",
        "move_penalty",
    }
)
_GUEST_KEYS = frozenset({"id", "name", "host", "group", "table", "attributes"})
_TABLE_KEYS = frozenset({"id", "name", "capacity", "min"})
_SEAT_KEYS = frozenset({"guest", "round", "table"})


def _count(x: Any, least: int) -> bool:
    return type(x) is int and x >= least


def _amount(x: Any) -> bool:
    return type(x) in (int, float) and x >= 0


def _text(x: Any, least: int = 0) -> bool:
    return type(x) is str and len(x) >= least


def plainly_valid(data: dict[str, Any], *, pairs_checked: bool = False) -> bool:
    """True only when instance data certainly matches the instance schema, checked by hand with
    strict types (an int is not a float here, a bool not a number): the common case needs no
    schema library. False means "not certain": the schema then checks it and names the problem.
    pairs_checked: the pairs were checked in bulk (_pair_columns)."""
    if not data.keys() <= INSTANCE_KEYS or "guests" not in data or "tables" not in data:
        return False
    guests, tables = data["guests"], data["tables"]
    if type(guests) is not list or type(tables) is not list or not guests or not tables:
        return False
    for g in guests:
        if type(g) is not dict or not g.keys() <= _GUEST_KEYS or not _text(g.get("id"), 1):
            return False
        if ("name" in g and not _text(g["name"])) or ("host" in g and type(g["host"]) is not bool):
            return False
        if any(k in g and g[k] is not None and not _text(g[k]) for k in ("group", "table")):
            return False
        attributes = g.get("attributes", {})
        if type(attributes) is not dict or not all(map(_text, attributes.values())):
            return False
    for t in tables:
        if type(t) is not dict or not t.keys() <= _TABLE_KEYS or not _text(t.get("id"), 1):
            return False
        if not _count(t.get("capacity"), 1) or ("min" in t and not _count(t["min"], 0)):
            return False
        if "name" in t and not _text(t["name"]):
            return False
    if "rounds" in data and not _count(data["rounds"], 1):
        return False
    if "move_penalty" in data and not _amount(data["move_penalty"]):
        return False
    pairs = data.get("pairs", [])
    if not pairs_checked and (
        type(pairs) is not list
        or not all(
            type(p) is dict
            and p.keys() == {"a", "b", "value"}
            and _text(p["a"])
            and _text(p["b"])
            and type(p["value"]) in (int, float)
            for p in pairs
        )
    ):
        return False
    apart = data.get("apart", [])
    if type(apart) is not list or not all(
        type(a) is list and len(a) == 2 and _text(a[0]) and _text(a[1]) for a in apart
    ):
        return False
    hosts = data.get("hosts", {})
    if type(hosts) is not dict or not hosts.keys() <= {"min_per_table", "max_per_table"}:
        return False
    if "min_per_table" in hosts and not _count(hosts["min_per_table"], 0):
        return False
    if hosts.get("max_per_table") is not None and not _count(hosts["max_per_table"], 0):
        return False
    diversity = data.get("diversity", [])
    if type(diversity) is not list or not all(
        type(d) is dict
        and d.keys() == {"attribute", "weight"}
        and _text(d["attribute"], 1)
        and _amount(d["weight"])
        for d in diversity
    ):
        return False
    for key in ("locked", "saved"):
        seats = data.get(key, [])
        if type(seats) is not list or not all(
            type(x) is dict
            and x.keys() == _SEAT_KEYS
            and _text(x["guest"])
            and _text(x["table"])
            and _count(x["round"], 1)
            for x in seats
        ):
            return False
    return True


def _pair_columns(pairs: Any) -> PairColumns | None:
    """The a, b and value columns of a long list of pairs that are all objects with exactly a, b
    (strings) and value (a number), taken with a few passes at C speed rather than the schema's
    walk per item; None when pairs is short or not so plain (the schema then checks each)."""
    if type(pairs) is not list or len(pairs) < FAST_PAIRS:
        return None
    try:
        # Of what JSON gives, only an object with exactly the keys a, b and value passes both the
        # length and the three look-ups (a list or a string refuses a string index).
        if set(map(len, pairs)) != {3}:
            return None
        a = list(map(itemgetter("a"), pairs))
        b = list(map(itemgetter("b"), pairs))
        v = list(map(itemgetter("value"), pairs))
    except (KeyError, TypeError):
        return None
    if set(map(type, a)) | set(map(type, b)) != {str} or not set(map(type, v)) <= {int, float}:
        return None
    return a, b, v


@dataclass(frozen=True)
class Instance:
    """A validated seating problem; guests and tables are referred to by index."""

    guest_ids: tuple[str, ...]
    guest_names: tuple[str, ...]
    hosts: tuple[bool, ...]
    groups: tuple[str | None, ...]
    attributes: tuple[Mapping[str, str], ...]
    table_ids: tuple[str, ...]
    table_names: tuple[str, ...]
    capacities: tuple[int, ...]
    rounds: int = 1
    # minimums[t]: the least number of guests table t seats in every round (empty: none).
    minimums: tuple[int, ...] = ()
    # Listed pair values as arrays: guest a < guest b, and the value (see `pairs` for tuples).
    pair_a: IntArray = field(default_factory=lambda: np.zeros(0, np.int64), compare=False)
    pair_b: IntArray = field(default_factory=lambda: np.zeros(0, np.int64), compare=False)
    pair_v: FloatArray = field(default_factory=lambda: np.zeros(0), compare=False)
    apart: tuple[tuple[int, int], ...] = ()
    host_min: int = 0
    host_max: int | None = None
    diversity: tuple[tuple[str, float], ...] = ()
    # fixed[r][g] is the table guest g must sit at in round r, or -1.
    fixed: tuple[tuple[int, ...], ...] = field(default=())
    # saved[r][g] is the table guest g sat at in round r of a plan made before, or -1 (empty:
    # none); every saved seat left costs move_penalty.
    saved: tuple[tuple[int, ...], ...] = field(default=())
    move_penalty: float = 10.0

    @property
    def n_guests(self) -> int:
        return len(self.guest_ids)

    @property
    def n_tables(self) -> int:
        return len(self.table_ids)

    @cached_property
    def guest_index(self) -> dict[str, int]:
        return {gid: i for i, gid in enumerate(self.guest_ids)}

    @cached_property
    def table_index(self) -> dict[str, int]:
        return {tid: i for i, tid in enumerate(self.table_ids)}

    @cached_property
    def pairs(self) -> tuple[tuple[int, int, float], ...]:
        """Listed pair values as (a, b, value) with a < b."""
        return tuple(
            zip(self.pair_a.tolist(), self.pair_b.tolist(), self.pair_v.tolist(), strict=True)
        )

    @cached_property
    def listed(self) -> dict[tuple[int, int], float]:
        """The listed pair values keyed by (a, b) with a < b (for looking up a few pairs; the
        objective looks up many at once with pair_values)."""
        keys = zip(self.pair_a.tolist(), self.pair_b.tolist(), strict=True)
        return dict(zip(keys, self.pair_v.tolist(), strict=True))

    @cached_property
    def _pair_index(self) -> tuple[IntArray, FloatArray]:
        """Sorted keys a * guests + b of the listed pairs, and their values in that order."""
        keys, rank = unique_keys(self.pair_a * self.n_guests + self.pair_b, self.n_guests**2)
        values = np.empty(len(keys))
        values[rank] = self.pair_v  # the keys are distinct (parse_instance checks it)
        return keys, values

    def pair_values(self, a: IntArray, b: IntArray) -> FloatArray:
        """The listed values of the guest pairs (a[i], b[i]) (0 where none is listed), at once."""
        keys, values = self._pair_index
        if not len(keys):
            return np.zeros(len(a))
        wanted = np.minimum(a, b) * self.n_guests + np.maximum(a, b)
        at = np.minimum(np.searchsorted(keys, wanted), len(keys) - 1)
        return np.where(keys[at] == wanted, values[at], 0.0)

    @cached_property
    def group_members(self) -> list[list[int]]:
        """Guests who sit together, as lists of guest indices (singletons included)."""
        by_group: dict[str, list[int]] = {}
        units: list[list[int]] = []
        for g, name in enumerate(self.groups):
            if name is None:
                units.append([g])
            elif name in by_group:
                by_group[name].append(g)
            else:
                by_group[name] = [g]
                units.append(by_group[name])
        return units


def read_instance(path: str | Path) -> Instance:
    """Read and validate an instance file; raise InstanceError on any problem."""
    return parse_instance(read_json(path, "instance"))


def read_json(path: str | Path, what: str) -> Any:
    """Load a JSON file (UTF-8), turning I/O, encoding and syntax errors into InstanceError.

    orjson reads a large instance (a few hundred thousand pairs) in about half the time of the
    standard library's parser."""
    try:
        with open(path, "rb") as f:
            text = f.read()
    except OSError as e:
        raise InstanceError(f"cannot read {what} file {path}: {e.strerror}") from e
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError as e:
        raise InstanceError(
            f"{what} file {path} is not valid JSON: {e.msg} at line {e.lineno}"
        ) from e


def parse_instance(data: Any) -> Instance:
    """Validate instance JSON data (schema first, then cross-references and contradictions)."""
    columns = _pair_columns(data.get("pairs")) if isinstance(data, dict) else None
    validate_against_schema(data, "instance", pairs_checked=columns is not None)
    guests = data["guests"]
    tables = data["tables"]
    guest_ids = tuple(g["id"] for g in guests)
    table_ids = tuple(t["id"] for t in tables)
    _require_unique(guest_ids, "guest")
    _require_unique(table_ids, "table")
    gi = {gid: i for i, gid in enumerate(guest_ids)}
    ti = {tid: i for i, tid in enumerate(table_ids)}
    rounds = int(data.get("rounds", 1))

    pair_a, pair_b, pair_v = _parse_pairs(data.get("pairs", []), gi, columns)
    apart = _parse_apart(data.get("apart", []), gi)
    fixed = _parse_fixed(data, gi, ti, rounds)
    saved = _parse_saved(data.get("saved", []), gi, ti, rounds)
    hosts = data.get("hosts", {})
    host_min = int(hosts.get("min_per_table", 0))
    host_max = hosts.get("max_per_table")
    if host_max is not None and host_max < host_min:
        raise InstanceError(
            f"hosts.max_per_table ({host_max}) is smaller than hosts.min_per_table ({host_min})"
        )
    diversity = tuple((d["attribute"], float(d["weight"])) for d in data.get("diversity", []))
    _require_unique(tuple(a for a, _ in diversity), "diversity attribute")

    instance = Instance(
        guest_ids=guest_ids,
        guest_names=tuple(g.get("name", g["id"]) for g in guests),
        hosts=tuple(bool(g.get("host", False)) for g in guests),
        groups=tuple(g.get("group") for g in guests),
        attributes=tuple(dict(g.get("attributes", {})) for g in guests),
        table_ids=table_ids,
        table_names=tuple(t.get("name", t["id"]) for t in tables),
        capacities=tuple(int(t["capacity"]) for t in tables),
        minimums=tuple(int(t.get("min", 0)) for t in tables),
        rounds=rounds,
        pair_a=pair_a,
        pair_b=pair_b,
        pair_v=pair_v,
        apart=apart,
        host_min=host_min,
        host_max=None if host_max is None else int(host_max),
        diversity=diversity,
        fixed=fixed,
        saved=saved,
        move_penalty=float(data.get("move_penalty", DEFAULT_MOVE_PENALTY)),
    )
    _check_contradictions(instance)
    return instance


def _require_unique(ids: tuple[str, ...], what: str) -> None:
    seen: set[str] = set()
    for i in ids:
        if i in seen:
            raise InstanceError(f"{what} id {i!r} appears more than once")
        seen.add(i)


def _lookup(index: dict[str, int], key: str, what: str, where: str) -> int:
    if key not in index:
        raise InstanceError(f"{where} refers to unknown {what} {key!r}")
    return index[key]


def _parse_pairs(
    raw: list[dict[str, Any]], gi: dict[str, int], columns: PairColumns | None = None
) -> tuple[IntArray, IntArray, FloatArray]:
    """The listed pairs as arrays (a < b, value); raise InstanceError for the first bad one."""
    if not raw:
        return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0)
    if columns is None:
        columns = (
            [p["a"] for p in raw],
            [p["b"] for p in raw],
            [p["value"] for p in raw],
        )
    a_ids, b_ids, raw_values = columns
    try:
        a = np.fromiter(map(gi.__getitem__, a_ids), dtype=np.int64, count=len(a_ids))
        b = np.fromiter(map(gi.__getitem__, b_ids), dtype=np.int64, count=len(b_ids))
    except KeyError:
        _pair_problem(raw, gi)
        raise
    try:
        values = np.array(raw_values, dtype=np.float64)
    except OverflowError:
        values = np.array([np.inf])
    low, high = np.minimum(a, b), np.maximum(a, b)
    unique, _ = unique_keys(low * len(gi) + high, len(gi) * len(gi))
    if (a == b).any() or len(unique) < len(a) or not np.isfinite(values).all():
        _pair_problem(raw, gi)
    return low, high, values


def unique_keys(keys: IntArray, space: int) -> tuple[IntArray, IntArray]:
    """The sorted distinct keys (0 <= key < space) and each key's place among them, as
    np.unique(keys, return_inverse=True) gives them; when the key space is not much larger than
    the keys (a value on many of the guest pairs) a bitmap of it is much faster than the sort."""
    if space > (1 << 16) + 16 * len(keys):
        unique, inverse = np.unique(keys, return_inverse=True)
        return unique, inverse.reshape(-1)
    present = np.zeros(space, dtype=bool)
    present[keys] = True
    rank = np.cumsum(present, dtype=np.int64) - 1
    return np.flatnonzero(present), rank[keys]


def _pair_problem(raw: list[dict[str, Any]], gi: dict[str, int]) -> None:
    """Raise InstanceError for the first bad pair (found one by one, for its message)."""
    seen: set[tuple[int, int]] = set()
    for k, p in enumerate(raw):
        a = _lookup(gi, p["a"], "guest", f"pairs[{k}]")
        b = _lookup(gi, p["b"], "guest", f"pairs[{k}]")
        if a == b:
            raise InstanceError(f"pairs[{k}] pairs guest {p['a']!r} with itself")
        key = (min(a, b), max(a, b))
        if key in seen:
            raise InstanceError(
                f"pairs[{k}]: the pair {p['a']!r}, {p['b']!r} is listed more than once"
            )
        try:
            finite = math.isfinite(float(p["value"]))
        except OverflowError:
            finite = False
        if not finite:
            raise InstanceError(f"pairs[{k}] has a value that is not a finite number")
        seen.add(key)


def _parse_apart(raw: list[list[str]], gi: dict[str, int]) -> tuple[tuple[int, int], ...]:
    seen: set[tuple[int, int]] = set()
    for k, (x, y) in enumerate(raw):
        a = _lookup(gi, x, "guest", f"apart[{k}]")
        b = _lookup(gi, y, "guest", f"apart[{k}]")
        if a == b:
            raise InstanceError(f"apart[{k}] keeps guest {x!r} apart from itself")
        seen.add((min(a, b), max(a, b)))
    return tuple(sorted(seen))


def _parse_fixed(
    data: dict[str, Any], gi: dict[str, int], ti: dict[str, int], rounds: int
) -> tuple[tuple[int, ...], ...]:
    n = len(gi)
    fixed = [[-1] * n for _ in range(rounds)]
    for g, guest in enumerate(data["guests"]):
        if guest.get("table") is not None:
            t = _lookup(ti, guest["table"], "table", f"guest {guest['id']!r}")
            for r in range(rounds):
                fixed[r][g] = t
    clash = "puts guest {guest} at two different tables in round {round}"
    _seats_fill(fixed, data.get("locked", []), "locked", gi, ti, clash)
    return tuple(tuple(row) for row in fixed)


def _parse_saved(
    raw: list[dict[str, Any]], gi: dict[str, int], ti: dict[str, int], rounds: int
) -> tuple[tuple[int, ...], ...]:
    """Saved seats as saved[r][g] (a table or -1); empty when there are none."""
    if not raw:
        return ()
    saved = [[-1] * len(gi) for _ in range(rounds)]
    _seats_fill(
        saved, raw, "saved", gi, ti, "gives guest {guest} a second saved seat in round {round}"
    )
    return tuple(tuple(row) for row in saved)


def _seats_fill(
    grid: list[list[int]],
    seats: list[dict[str, Any]],
    field: str,
    gi: dict[str, int],
    ti: dict[str, int],
    clash: str,
) -> None:
    """Put each seat ({guest, table, round}, listed under `field`) in grid[round][guest]; `clash`
    says what a second, different table for one guest in one round means."""
    rounds = len(grid)
    for k, seat in enumerate(seats):
        where = f"{field}[{k}]"
        g = _lookup(gi, seat["guest"], "guest", where)
        t = _lookup(ti, seat["table"], "table", where)
        r = seat["round"] - 1
        if r >= rounds:
            raise InstanceError(f"{where} is for round {r + 1} but the event has {rounds}")
        if grid[r][g] not in (-1, t):
            raise InstanceError(f"{where} " + clash.format(guest=repr(seat["guest"]), round=r + 1))
        grid[r][g] = t


def _check_contradictions(inst: Instance) -> None:
    """Reject rules that contradict each other directly; deeper clashes are left to the solver."""
    max_cap = max(inst.capacities)
    seats = sum(inst.capacities)
    if inst.n_guests > seats:
        raise InstanceError(
            f"{inst.n_guests} guests but only {seats} seats at {inst.n_tables} tables"
        )
    for tid, low, cap in zip(inst.table_ids, inst.minimums, inst.capacities, strict=True):
        if low > cap:
            raise InstanceError(f"table {tid!r} has a minimum of {low} guests but seats only {cap}")
    unit_of = [0] * inst.n_guests
    for u, members in enumerate(inst.group_members):
        name = inst.groups[members[0]]
        if len(members) > max_cap:
            raise InstanceError(
                f"group {name!r} has {len(members)} guests but the largest table seats {max_cap}"
            )
        for r in range(inst.rounds):
            tables = {inst.fixed[r][g] for g in members} - {-1}
            if len(tables) > 1:
                names = ", ".join(sorted(inst.table_ids[t] for t in tables))
                raise InstanceError(
                    f"group {name!r} must sit together but its guests are fixed to {names}"
                    f" in round {r + 1}"
                )
        for g in members:
            unit_of[g] = u
    for a, b in inst.apart:
        ga, gb = inst.guest_ids[a], inst.guest_ids[b]
        if unit_of[a] == unit_of[b]:
            raise InstanceError(
                f"guests {ga!r} and {gb!r} must sit apart but are in the same group"
                f" {inst.groups[a]!r}"
            )
        for r in range(inst.rounds):
            if inst.fixed[r][a] != -1 and inst.fixed[r][a] == inst.fixed[r][b]:
                raise InstanceError(
                    f"guests {ga!r} and {gb!r} must sit apart but are both fixed to table"
                    f" {inst.table_ids[inst.fixed[r][a]]!r} in round {r + 1}"
                )
