"""The instance contracted to seating units: a group that sits together moves as one unit.

Both solvers work on units. Every guest pair between two units meets in exactly the same rounds, so
pair values add up per unit pair, and the "first meeting only" rule for good pairs still holds.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from gilde.seating.model import Instance, unique_keys
from gilde.seating.objective import attribute_codes, listed_values, pair_weight

IntArray = NDArray[np.int64]
FloatArray = NDArray[np.float64]


@dataclass(frozen=True)
class Problem:
    """Unit-level data. Pair value per round = L + D; a good pair adds P once, on first meeting."""

    instance: Instance
    members: tuple[tuple[int, ...], ...]
    unit_of: IntArray  # guest -> unit
    size: IntArray
    hosts: IntArray  # number of hosts in the unit
    fixed: IntArray  # (rounds, units): table or -1
    capacity: IntArray
    minimum: IntArray  # least number of guests per table (0: none)
    host_min: int
    host_max: int
    # Symmetric CSR over unit pairs with a listed value: per-round part L, once-only part P.
    indptr: IntArray
    indices: IntArray
    per_round: FloatArray  # L
    once: FloatArray  # P (> 0 only for pairs that are good to meet)
    mirror: IntArray  # position of the (v, u) entry for the (u, v) entry
    apart_indptr: IntArray
    apart_indices: IntArray
    # Diversity: features[u, f] = members of u with attribute value f; D(u, v) = -sum_f lam_f F_uf F_vf.
    features: FloatArray
    feature_weight: FloatArray
    constant: float  # value of guest pairs inside units, over all rounds
    # keep[r, u, t]: the move penalty times the members of u whose saved seat in round r is at
    # table t, what seating u there saves; all zero without saved seats. The objective is the
    # pair value + the keep of every seated unit - keep_total.
    keep: FloatArray = field(default_factory=lambda: np.zeros((1, 1, 1)))
    keep_total: float = 0.0

    @property
    def keeps(self) -> bool:
        """Whether any saved seats (with a penalty) take part."""
        return self.keep_total > 0

    @property
    def n_units(self) -> int:
        return len(self.members)

    @property
    def n_tables(self) -> int:
        return len(self.capacity)

    @property
    def rounds(self) -> int:
        return self.fixed.shape[0]

    def to_guests(self, pos: IntArray) -> IntArray:
        """Expand a (rounds, units) assignment to (rounds, guests)."""
        return pos[:, self.unit_of]

    def from_guests(self, assignment: IntArray) -> IntArray:
        """Contract a (rounds, guests) assignment to (rounds, units) using each unit's first guest."""
        firsts = np.array([m[0] for m in self.members], dtype=np.int64)
        return assignment[:, firsts]


def build_problem(inst: Instance) -> Problem:
    """Contract groups into units and gather pair values, apart rules and diversity per unit."""
    members = tuple(tuple(m) for m in inst.group_members)
    n_units = len(members)
    unit_of = np.zeros(inst.n_guests, dtype=np.int64)
    for u, m in enumerate(members):
        unit_of[list(m)] = u
    is_host = np.array(inst.hosts, dtype=np.int64)
    fixed_g = np.array(inst.fixed, dtype=np.int64).reshape(inst.rounds, inst.n_guests)
    fixed = np.full((inst.rounds, n_units), -1, dtype=np.int64)
    for u, m in enumerate(members):
        for r in range(inst.rounds):
            fixed[r, u] = max(int(fixed_g[r, g]) for g in m)

    codes = attribute_codes(inst)
    listed = {}
    constant = 0.0
    if any(len(m) > 1 for m in members):
        listed = listed_values(inst)
    for m in members:
        for i, a in enumerate(m):
            for b in m[i + 1 :]:
                w = pair_weight(a, b, listed, codes)
                constant += w if w > 0 else w * inst.rounds

    # Per listed guest pair between two units: its listed value v and combined value w (v minus
    # the diversity weights the two share), summed per unit pair.
    ga, gb = inst.pair_a, inst.pair_b
    combined = inst.pair_v.copy()
    for weight, column in codes:
        combined -= weight * ((column[ga] >= 0) & (column[ga] == column[gb]))
    between = unit_of[ga] != unit_of[gb]
    listed_v, combined = inst.pair_v[between], combined[between]
    lo = np.minimum(unit_of[ga], unit_of[gb])[between]
    hi = np.maximum(unit_of[ga], unit_of[gb])[between]
    keys, inverse = unique_keys(lo * n_units + hi, n_units * n_units)
    # The counts-based diversity term is charged every round, so a good pair gets it back per
    # round (v - w) and its full value w once.
    good = np.maximum(combined, 0.0)
    every = np.bincount(inverse, listed_v - good, len(keys)).astype(np.float64)
    first = np.bincount(inverse, good, len(keys)).astype(np.float64)
    key_pairs = np.stack([keys // max(1, n_units), keys % max(1, n_units)], axis=1)
    indptr, indices, (lval, pval), mirror = _symmetric_csr(n_units, key_pairs, [every, first])
    apart_keys = sorted(
        {
            (min(int(unit_of[a]), int(unit_of[b])), max(int(unit_of[a]), int(unit_of[b])))
            for a, b in inst.apart
        }
    )
    apart_indptr, apart_indices, _, _ = _symmetric_csr(n_units, apart_keys, [])

    features, weights = _features(n_units, unit_of, codes)
    keep, keep_total = _keep(inst, unit_of, n_units)
    return Problem(
        instance=inst,
        members=members,
        unit_of=unit_of,
        size=np.array([len(m) for m in members], dtype=np.int64),
        hosts=np.array([int(is_host[list(m)].sum()) for m in members], dtype=np.int64),
        fixed=fixed,
        capacity=np.array(inst.capacities, dtype=np.int64),
        minimum=np.array(inst.minimums or [0] * inst.n_tables, dtype=np.int64),
        host_min=inst.host_min,
        host_max=inst.n_guests if inst.host_max is None else inst.host_max,
        indptr=indptr,
        indices=indices,
        per_round=lval,
        once=pval,
        mirror=mirror,
        apart_indptr=apart_indptr,
        apart_indices=apart_indices,
        features=features,
        feature_weight=weights,
        constant=constant,
        keep=keep,
        keep_total=keep_total,
    )


def _keep(inst: Instance, unit_of: IntArray, n_units: int) -> tuple[FloatArray, float]:
    """The move penalty a unit saves per round and table (see Problem.keep). Without saved seats
    a zero array is lazily allocated, so the walks can read it either way."""
    keep = np.zeros((inst.rounds, n_units, inst.n_tables))
    if not inst.saved or inst.move_penalty <= 0:
        return keep, 0.0
    saved = np.array(inst.saved, dtype=np.int64).reshape(inst.rounds, inst.n_guests)
    r, g = np.nonzero(saved >= 0)
    np.add.at(keep, (r, unit_of[g], saved[r, g]), inst.move_penalty)
    return keep, float(len(g) * inst.move_penalty)


def _symmetric_csr(
    n: int, keys: list[tuple[int, int]] | IntArray, values: list[FloatArray]
) -> tuple[IntArray, IntArray, list[FloatArray], IntArray]:
    """CSR with both (u, v) and (v, u) for each key (u < v, sorted); mirror maps an entry to its
    twin.

    With the keys sorted, the (v, u) entries first and a stable sort by row alone gives every row
    its columns in order (those below the row, then those above): for rows that fit 16 bits that
    sort is NumPy's radix sort, linear in the entries."""
    m = len(keys)
    k = np.asarray(keys, dtype=np.int64).reshape(m, 2)
    if m and ((k[:, 0] >= k[:, 1]).any() or (np.diff(k[:, 0] * n + k[:, 1]) <= 0).any()):
        raise ValueError("CSR keys must be sorted (u, v) pairs with u < v")
    rows = np.concatenate([k[:, 1], k[:, 0]])
    order = np.argsort(rows.astype(np.int16) if n <= 1 << 15 else rows, kind="stable")
    indptr = np.zeros(n + 1, dtype=np.int64)
    indptr[1:] = np.cumsum(np.bincount(rows, minlength=n))
    # Entry j of the CSR is key order[j] % m; its twin is the other half's copy of that key.
    where = np.empty(2 * m, dtype=np.int64)
    where[order] = np.arange(2 * m)
    key = order % max(1, m)
    mirror = where[np.where(order < m, key + m, key)]
    cols = np.where(order < m, k[key, 0], k[key, 1])
    out_values = [np.asarray(vals, dtype=np.float64)[key] for vals in values]
    return indptr, cols, out_values, mirror


def _features(
    n_units: int, unit_of: IntArray, codes: list[tuple[float, IntArray]]
) -> tuple[FloatArray, FloatArray]:
    """One column per (attribute, value) with a positive weight, counting members per unit."""
    columns = []
    weights = []
    for weight, column in codes:
        if weight <= 0:
            continue
        for code in range(int(column.max(initial=-1)) + 1):
            guests = np.flatnonzero(column == code)
            if len(guests) < 2:
                continue  # a value nobody shares never costs anything
            col = np.zeros(n_units)
            np.add.at(col, unit_of[guests], 1.0)
            columns.append(col)
            weights.append(weight)
    if not columns:
        return np.zeros((n_units, 0)), np.zeros(0)
    return np.asfortranarray(np.stack(columns, axis=1)), np.array(weights)


def counting_conflicts(p: Problem) -> list[str]:
    """Clashes visible from counts alone (hosts per table, seats at tables with fixed guests)."""
    inst = p.instance
    out = []
    n_hosts = int(p.hosts.sum())
    if n_hosts < p.host_min * p.n_tables:
        out.append(
            f"hosts.min_per_table={p.host_min} needs {p.host_min * p.n_tables} hosts at"
            f" {p.n_tables} tables, but only {n_hosts} guests are hosts"
        )
    if n_hosts > p.host_max * p.n_tables:
        out.append(
            f"hosts.max_per_table={p.host_max} allows {p.host_max * p.n_tables} hosts at"
            f" {p.n_tables} tables, but {n_hosts} guests are hosts"
        )
    wanted = int(p.minimum.sum())
    if wanted > inst.n_guests:
        out.append(
            f"the tables' minimums add up to {wanted} guests, but there are {inst.n_guests} guests"
        )
    for r in range(p.rounds):
        fixed = p.fixed[r] >= 0
        load = np.bincount(p.fixed[r][fixed], p.size[fixed], p.n_tables)
        for t in np.flatnonzero(load > p.capacity).tolist():
            out.append(
                f"round {r + 1}: {int(load[t])} guests are fixed to table {inst.table_ids[t]!r},"
                f" which seats {int(p.capacity[t])}"
            )
    return out
