"""A first feasible plan, built greedily round by round."""

from __future__ import annotations

import numpy as np

from gilde.seating.units import FloatArray, IntArray, Problem


def construct_round(
    problem: Problem,
    r: int,
    rng: np.random.Generator,
    attempts: int = 20,
    values: FloatArray | None = None,
) -> IntArray | None:
    """Seat every unit in round r respecting all hard rules, or return None if greedy fails.

    Fixed units go first, then hosts (so that every table can reach its minimum), then the largest
    units; each goes to the allowed table with the most free seats, never taking a guest that a
    table below its minimum still needs. With a unit x unit matrix of
    values, each unit instead goes to the allowed table where it adds the most to the units already
    there (free seats break ties); if that fails, the plain rule is tried.
    """
    if values is not None:
        row = _greedy_round(problem, r, rng, shuffle=False, values=values)
        if row is not None:
            return row
    for attempt in range(attempts):
        row = _greedy_round(problem, r, rng, shuffle=attempt > 0)
        if row is not None:
            return row
    return None


def _greedy_round(
    problem: Problem,
    r: int,
    rng: np.random.Generator,
    shuffle: bool,
    values: FloatArray | None = None,
) -> IntArray | None:
    p = problem
    fixed = p.fixed[r]
    row = np.full(p.n_units, -1, dtype=np.int64)
    load = np.zeros(p.n_tables, dtype=np.int64)
    hosts = np.zeros(p.n_tables, dtype=np.int64)
    blocked = np.zeros((p.n_units, p.n_tables), dtype=bool)
    gain = np.zeros((p.n_tables, p.n_units)) if values is not None else None

    def seat(u: int, t: int) -> None:
        row[u] = t
        if gain is not None and values is not None:
            gain[t] += values[u]
        load[t] += p.size[u]
        hosts[t] += p.hosts[u]
        blocked[p.apart_indices[p.apart_indptr[u] : p.apart_indptr[u + 1]], t] = True

    for u in np.flatnonzero(fixed >= 0).tolist():
        seat(u, int(fixed[u]))
    free_units = np.flatnonzero(fixed < 0)
    noise = rng.random(len(free_units)) if shuffle else np.zeros(len(free_units))
    # Hosts first, then big units, then units with many apart rules: the hardest to place go early.
    degree = np.diff(p.apart_indptr)[free_units]
    order = np.lexsort((noise, -degree, -p.size[free_units], -p.hosts[free_units]))
    # Seats still owed to tables below their minimum, and guests still to seat: a unit may only go
    # where the guests after it can still bring every table up to its minimum.
    remaining = int(p.size[free_units].sum())
    for u in free_units[order].tolist():
        ok = (load + p.size[u] <= p.capacity) & ~blocked[u]
        short = np.maximum(p.minimum - load, 0)
        remaining -= int(p.size[u])
        ok &= remaining >= short.sum() - np.minimum(short, p.size[u])
        if p.hosts[u]:
            ok &= hosts + p.hosts[u] <= p.host_max
        if not ok.any():
            return None
        free = (p.capacity - load).astype(np.float64)
        if p.hosts[u]:
            # A table short of hosts wins over a table with more room.
            free += np.where(hosts < p.host_min, 1e6, 0.0) - hosts * 1e3
        free += rng.random(p.n_tables) * 0.5 if shuffle else 0.0
        if gain is not None and not p.hosts[u]:
            free = free * 1e-3 + gain[:, u]
        if p.keeps:
            # A guest's saved seat (a place card) weighs as much as the penalty for leaving it.
            free = free + p.keep[r, u]
        seat(u, int(np.argmax(np.where(ok, free, -np.inf))))
    if (hosts < p.host_min).any() or (load < p.minimum).any():
        return None
    return row
