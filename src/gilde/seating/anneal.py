"""The improvement heuristic: simulated annealing on sparse per-unit values kept in plain Python.

A proposal costs a few dictionary and list lookups, so the search tries a few hundred thousand
moves per second of CPU, where a vectorised NumPy step (with its fixed cost per call) manages a few
thousand. For one round:

- the listed part of what unit u adds at table t is kept per unit in a dictionary holding only the
  tables where u has listed pairs (gains[u][t]); moving a unit updates its neighbours' entries;
- diversity is priced from per-table counts of every attribute value (count[t][f]);
- a swap of u (table t1) and v (table t2) changes the value by
  move(u, t2) + move(v, t1) - 2 w(u, v).

With several rounds a move is priced by looping over the unit's listed pairs, with a count per
good pair of the rounds in which they meet: a first meeting adds the once-only value, a further one
costs the repeat charge (which the reported objective never includes).

Proposals are directed: mostly u joins the table of one of its good pairs (swapping with a random
unit there, or taking a free seat), sometimes a random table, so most of the effort goes where value
can be gained. Every hard rule (seats, hosts, apart pairs, fixed and locked units; groups move as one
unit) is checked before a proposal is priced, so the plan stays feasible throughout.

The temperature falls geometrically from a start derived from the values to a small end value over
the iteration budget, or, with only a time limit, over the time limit. With an iteration budget (and
a time limit that is not reached) a run is repeatable for a seed on any machine.
"""

from __future__ import annotations

import math
import random
import time
from dataclasses import dataclass

import numpy as np

from gilde.seating.units import IntArray, Problem

TOLERANCE = 1e-9
# Start and end temperature as fractions of the mean positive listed pair value.
T_START = 0.5
T_END = 0.04
# Share of proposals aimed at a good pair's table (the rest go to a random table).
DIRECTED = 0.8
CHECK_EVERY = 512


@dataclass(frozen=True)
class AnnealResult:
    """Best unit positions found, their score, and how much work it took."""

    pos: IntArray
    score: float
    iterations: int
    restarts: int


def anneal(
    problem: Problem,
    start: IntArray,
    *,
    seed: int,
    deadline: float,
    max_iterations: int | None = None,
) -> AnnealResult:
    """Anneal from a feasible one-round start; the score is the value gained over the start."""
    return _Annealer(problem, start, seed).run(deadline, max_iterations)


class _Annealer:
    def __init__(self, p: Problem, start: IntArray, seed: int) -> None:
        self.p = p
        self.rng = random.Random(seed)
        n, tables = p.n_units, p.n_tables
        self.pos: list[int] = [int(t) for t in start[0]]
        self.movable = [u for u in range(n) if p.fixed[0, u] < 0]
        self.pinned = [bool(p.fixed[0, u] >= 0) for u in range(n)]
        self.size = p.size.tolist()
        self.hosts = p.hosts.tolist()
        self.cap = p.capacity.tolist()
        self.host_min, self.host_max = p.host_min, p.host_max
        self.host_rules = p.host_min > 0 or p.host_max < int(p.hosts.sum())
        self.uniform = all(s == 1 for s in self.size)
        self.members: list[list[int]] = [[] for _ in range(tables)]
        for u, t in enumerate(self.pos):
            self.members[t].append(u)
        self.load = [0] * tables
        self.hcount = [0] * tables
        for u, t in enumerate(self.pos):
            self.load[t] += self.size[u]
            self.hcount[t] += self.hosts[u]
        value = (p.per_round + p.once).tolist()
        indices = p.indices.tolist()
        indptr = p.indptr.tolist()
        self.nbr: list[list[tuple[int, float]]] = []
        self.listed: list[dict[int, float]] = []
        self.friends: list[list[int]] = []
        for u in range(n):
            row = [(indices[e], value[e]) for e in range(indptr[u], indptr[u + 1])]
            self.nbr.append(row)
            self.listed.append(dict(row))
            self.friends.append([v for v, w in row if w > 0])
        self.gains: list[dict[int, float]] = [{} for _ in range(n)]
        for u in range(n):
            for v, w in self.nbr[u]:
                t = self.pos[v]
                self.gains[u][t] = self.gains[u].get(t, 0.0) + w
        self.apart = [
            p.apart_indices[p.apart_indptr[u] : p.apart_indptr[u + 1]].tolist() for u in range(n)
        ]
        # Diversity: per unit its (feature, weight * count, count); per table the counts.
        self.feats: list[list[tuple[int, float, float]]] = []
        for u in range(n):
            fs = np.flatnonzero(p.features[u]).tolist()
            self.feats.append(
                [
                    (f, float(p.feature_weight[f] * p.features[u, f]), float(p.features[u, f]))
                    for f in fs
                ]
            )
        self.count = [[0.0] * p.features.shape[1] for _ in range(tables)]
        for u, t in enumerate(self.pos):
            for f, _, c in self.feats[u]:
                self.count[t][f] += c
        value_array = np.asarray(value)
        positive = value_array[value_array > 0]
        self.scale = float(positive.mean()) if len(positive) else 1.0
        self.score = 0.0

    def _apart_ok(self, u: int, t: int, leaving: int) -> bool:
        pos = self.pos
        return all(pos[x] != t or x == leaving for x in self.apart[u])

    # -- applying ------------------------------------------------------------------------------

    def _apply_move(self, u: int, t1: int, t2: int) -> None:
        gains = self.gains
        for v, w in self.nbr[u]:
            g = gains[v]
            g[t1] -= w
            g[t2] = g.get(t2, 0.0) + w
        c1, c2 = self.count[t1], self.count[t2]
        for f, _, c in self.feats[u]:
            c1[f] -= c
            c2[f] += c
        self.members[t1].remove(u)
        self.members[t2].append(u)
        s, h = self.size[u], self.hosts[u]
        self.load[t1] -= s
        self.load[t2] += s
        self.hcount[t1] -= h
        self.hcount[t2] += h
        self.pos[u] = t2

    # -- the walk ------------------------------------------------------------------------------

    def run(self, deadline: float, max_iterations: int | None) -> AnnealResult:
        rng = self.rng
        rand = rng.random
        movable = self.movable
        if not movable:
            return self._result(list(self.pos), self.score, 0)
        n_mov = len(movable)
        tables = self.p.n_tables
        pos, members, load, cap = self.pos, self.members, self.load, self.cap
        friends, pinned, size, hosts = self.friends, self.pinned, self.size, self.hosts
        host_rules, uniform = self.host_rules, self.uniform
        hmin, hmax, hcount = self.host_min, self.host_max, self.hcount
        t_start, t_end = T_START * self.scale, T_END * self.scale
        start_clock = time.perf_counter()
        span = max(1e-6, deadline - start_clock)
        budget = max_iterations if max_iterations is not None else 1 << 62
        best_pos, best_score = list(pos), self.score
        temperature = t_start
        it = 0
        gains, count, feats, listed, apart = (
            self.gains,
            self.count,
            self.feats,
            self.listed,
            self.apart,
        )
        exp = math.exp
        while it < budget:
            if it % CHECK_EVERY == 0:
                now = time.perf_counter()
                if now >= deadline:
                    break
                if self.score > best_score + TOLERANCE:
                    best_pos, best_score = list(pos), self.score
                progress = it / budget if max_iterations is not None else (now - start_clock) / span
                temperature = t_start * (t_end / t_start) ** min(1.0, progress)
            it += 1
            u = movable[int(rand() * n_mov)]
            t1 = pos[u]
            fr = friends[u]
            if fr and rand() < DIRECTED:
                t2 = pos[fr[int(rand() * len(fr))]]
            else:
                t2 = int(rand() * tables)
            if t2 == t1:
                continue
            su = size[u]
            room = cap[t2] - load[t2]
            mates = members[t2]
            # The value u gains by moving from t1 to t2 with everyone else in place.
            g = gains[u]
            du = g.get(t2, 0.0) - g.get(t1, 0.0)
            c1, c2 = count[t1], count[t2]
            fu = feats[u]
            for f, lam, c in fu:
                du += lam * (c1[f] - c - c2[f])
            # A free seat is taken as a move when there is room; otherwise swap with a unit there.
            if room >= su and (not mates or rand() < 0.5):
                if (
                    host_rules
                    and hosts[u]
                    and (hcount[t2] + hosts[u] > hmax or hcount[t1] - hosts[u] < hmin)
                ):
                    continue
                if du < 0 and rand() >= exp(du / temperature):
                    continue
                if apart[u] and not self._apart_ok(u, t2, -1):
                    continue
                self._apply_move(u, t1, t2)
                self.score += du
                continue
            if not mates:
                continue
            v = mates[int(rand() * len(mates))]
            if hosts[v] != hosts[u] and host_rules or size[v] != su and not uniform:
                # Hosts and groups mostly trade places with their own kind: pick one of those.
                alike = [x for x in mates if hosts[x] == hosts[u] and size[x] == su]
                if alike:
                    v = alike[int(rand() * len(alike))]
            if pinned[v]:
                continue
            if not uniform:
                change = size[v] - su
                if change > cap[t1] - load[t1] or -change > room:
                    continue
            if host_rules:
                change = hosts[v] - hosts[u]
                if change:
                    a1, a2 = hcount[t1] + change, hcount[t2] - change
                    if a1 < hmin or a1 > hmax or a2 < hmin or a2 > hmax:
                        continue
            g = gains[v]
            delta = du + g.get(t1, 0.0) - g.get(t2, 0.0) - 2.0 * listed[u].get(v, 0.0)
            fv = feats[v]
            for f, lam, c in fv:
                delta += lam * (c2[f] - c - c1[f])
            for f, lam, _ in fu:
                for h, _, c in fv:
                    if h == f:
                        delta += 2.0 * lam * c
            if delta < 0 and rand() >= exp(delta / temperature):
                continue
            if apart[u] and not self._apart_ok(u, t2, v):
                continue
            if apart[v] and not self._apart_ok(v, t1, u):
                continue
            self._apply_move(u, t1, t2)
            self._apply_move(v, t2, t1)
            self.score += delta
        if self.score > best_score + TOLERANCE:
            best_pos, best_score = list(pos), self.score
        return self._result(best_pos, best_score, it)

    def _result(self, pos: list[int], score: float, iterations: int) -> AnnealResult:
        return AnnealResult(np.array([pos], dtype=np.int64), score, iterations, 0)


def anneal_rounds(
    problem: Problem,
    start: IntArray,
    *,
    seed: int,
    deadline: float,
    max_iterations: int | None = None,
    repeat_cost: float,
    temperatures: tuple[float, float] = (T_START, T_END),
) -> AnnealResult:
    """Anneal an event with several rounds; a good pair adds its once-only value on first meeting
    and the search charges repeat_cost for every further meeting. The temperatures are fractions
    of the mean once-only value (start, end)."""
    walk = _RoundsAnnealer(problem, start, seed, repeat_cost)
    return walk.run(deadline, max_iterations, temperatures)


class _RoundsAnnealer:
    """The same walk over (round, unit) pairs, pricing each move by looping over the unit's pairs:
    whether a good pair meets for the first time depends on the other rounds."""

    def __init__(self, p: Problem, start: IntArray, seed: int, repeat_cost: float) -> None:
        self.p = p
        self.rng = random.Random(seed)
        n, tables, rounds = p.n_units, p.n_tables, p.rounds
        self.eps = repeat_cost
        self.pos: list[list[int]] = [[int(t) for t in start[r]] for r in range(rounds)]
        self.steps = [(r, u) for r in range(rounds) for u in range(n) if p.fixed[r, u] < 0]
        self.pinned = [[bool(p.fixed[r, u] >= 0) for u in range(n)] for r in range(rounds)]
        self.size = p.size.tolist()
        self.hosts = p.hosts.tolist()
        self.cap = p.capacity.tolist()
        self.host_min, self.host_max = p.host_min, p.host_max
        self.host_rules = p.host_min > 0 or p.host_max < int(p.hosts.sum())
        self.uniform = all(s == 1 for s in self.size)
        self.members: list[list[list[int]]] = [[[] for _ in range(tables)] for _ in range(rounds)]
        self.load = [[0] * tables for _ in range(rounds)]
        self.hcount = [[0] * tables for _ in range(rounds)]
        n_feat = p.features.shape[1]
        self.count = [[[0.0] * n_feat for _ in range(tables)] for _ in range(rounds)]
        self.feats: list[list[tuple[int, float, float]]] = []
        for u in range(n):
            fs = np.flatnonzero(p.features[u]).tolist()
            self.feats.append(
                [
                    (f, float(p.feature_weight[f] * p.features[u, f]), float(p.features[u, f]))
                    for f in fs
                ]
            )
        for r in range(rounds):
            for u, t in enumerate(self.pos[r]):
                self.members[r][t].append(u)
                self.load[r][t] += self.size[u]
                self.hcount[r][t] += self.hosts[u]
                for f, _, c in self.feats[u]:
                    self.count[r][t][f] += c
        per_round, once = p.per_round.tolist(), p.once.tolist()
        indices, indptr = p.indices.tolist(), p.indptr.tolist()
        self.nbr = [
            [(indices[e], per_round[e], once[e]) for e in range(indptr[u], indptr[u + 1])]
            for u in range(n)
        ]
        self.friends = [[v for v, _, w in row if w > 0] for row in self.nbr]
        self.meet: list[dict[int, int]] = [{} for _ in range(n)]
        for u in range(n):
            for v, _, w in self.nbr[u]:
                if w > 0:
                    self.meet[u][v] = sum(self.pos[r][u] == self.pos[r][v] for r in range(rounds))
        self.apart = [
            p.apart_indices[p.apart_indptr[u] : p.apart_indptr[u + 1]].tolist() for u in range(n)
        ]
        positive = p.once[p.once > 0]
        self.scale = float(positive.mean()) if len(positive) else 1.0
        self.score = 0.0

    def _gain(self, r: int, u: int, t1: int, t2: int, skip: int) -> float:
        """Value change of moving u from t1 to t2 in round r with everyone but `skip` in place."""
        row = self.pos[r]
        meet = self.meet[u]
        eps = self.eps
        d = 0.0
        for v, per, once in self.nbr[u]:
            tv = row[v]
            if v == skip or (tv != t1 and tv != t2):
                continue
            if tv == t1:
                d -= per
                if once > 0:
                    d += -once if meet[v] == 1 else eps
            else:
                d += per
                if once > 0:
                    d += once if meet[v] == 0 else -eps
        c1, c2 = self.count[r][t1], self.count[r][t2]
        for f, lam, c in self.feats[u]:
            d += lam * (c1[f] - c - c2[f])
        return d

    def _apply(self, r: int, u: int, t1: int, t2: int) -> None:
        row = self.pos[r]
        meet = self.meet
        for v, _, once in self.nbr[u]:
            if once > 0:
                tv = row[v]
                if tv == t1:
                    meet[u][v] -= 1
                    meet[v][u] -= 1
                elif tv == t2:
                    meet[u][v] += 1
                    meet[v][u] += 1
        c1, c2 = self.count[r][t1], self.count[r][t2]
        for f, _, c in self.feats[u]:
            c1[f] -= c
            c2[f] += c
        self.members[r][t1].remove(u)
        self.members[r][t2].append(u)
        s, h = self.size[u], self.hosts[u]
        self.load[r][t1] -= s
        self.load[r][t2] += s
        self.hcount[r][t1] -= h
        self.hcount[r][t2] += h
        row[u] = t2

    def _apart_ok(self, r: int, u: int, t: int, leaving: int) -> bool:
        row = self.pos[r]
        return all(row[x] != t or x == leaving for x in self.apart[u])

    def run(
        self, deadline: float, max_iterations: int | None, temperatures: tuple[float, float]
    ) -> AnnealResult:
        rand = self.rng.random
        steps = self.steps
        if not steps:
            return AnnealResult(np.array(self.pos, dtype=np.int64), 0.0, 0, 0)
        n_steps = len(steps)
        tables = self.p.n_tables
        size, hosts, cap, friends, apart = self.size, self.hosts, self.cap, self.friends, self.apart
        host_rules, uniform = self.host_rules, self.uniform
        hmin, hmax = self.host_min, self.host_max
        t_start, t_end = temperatures[0] * self.scale, temperatures[1] * self.scale
        start_clock = time.perf_counter()
        span = max(1e-6, deadline - start_clock)
        budget = max_iterations if max_iterations is not None else 1 << 62
        best_pos, best_score = [list(row) for row in self.pos], self.score
        temperature = t_start
        exp = math.exp
        it = 0
        while it < budget:
            if it % CHECK_EVERY == 0:
                now = time.perf_counter()
                if now >= deadline:
                    break
                if self.score > best_score + TOLERANCE:
                    best_pos, best_score = [list(row) for row in self.pos], self.score
                progress = it / budget if max_iterations is not None else (now - start_clock) / span
                temperature = t_start * (t_end / t_start) ** min(1.0, progress)
            it += 1
            r, u = steps[int(rand() * n_steps)]
            row = self.pos[r]
            t1 = row[u]
            fr = friends[u]
            if fr and rand() < DIRECTED:
                t2 = row[fr[int(rand() * len(fr))]]
            else:
                t2 = int(rand() * tables)
            if t2 == t1:
                continue
            load, hcount, mates = self.load[r], self.hcount[r], self.members[r][t2]
            su = size[u]
            room = cap[t2] - load[t2]
            if room >= su and (not mates or rand() < 0.5):
                if (
                    host_rules
                    and hosts[u]
                    and (hcount[t2] + hosts[u] > hmax or hcount[t1] - hosts[u] < hmin)
                ):
                    continue
                delta = self._gain(r, u, t1, t2, -1)
                if delta < 0 and rand() >= exp(delta / temperature):
                    continue
                if apart[u] and not self._apart_ok(r, u, t2, -1):
                    continue
                self._apply(r, u, t1, t2)
                self.score += delta
                continue
            if not mates:
                continue
            v = mates[int(rand() * len(mates))]
            if hosts[v] != hosts[u] and host_rules or size[v] != su and not uniform:
                alike = [x for x in mates if hosts[x] == hosts[u] and size[x] == su]
                if alike:
                    v = alike[int(rand() * len(alike))]
            if self.pinned[r][v]:
                continue
            if not uniform:
                change = size[v] - su
                if change > cap[t1] - load[t1] or -change > room:
                    continue
            if host_rules:
                change = hosts[v] - hosts[u]
                if change:
                    a1, a2 = hcount[t1] + change, hcount[t2] - change
                    if a1 < hmin or a1 > hmax or a2 < hmin or a2 > hmax:
                        continue
            delta = self._gain(r, u, t1, t2, v) + self._gain(r, v, t2, t1, u)
            fv = self.feats[v]
            for f, lam, _ in self.feats[u]:
                for h, _, c in fv:
                    if h == f:
                        delta += 2.0 * lam * c
            if delta < 0 and rand() >= exp(delta / temperature):
                continue
            if apart[u] and not self._apart_ok(r, u, t2, v):
                continue
            if apart[v] and not self._apart_ok(r, v, t1, u):
                continue
            self._apply(r, u, t1, t2)
            self._apply(r, v, t2, t1)
            self.score += delta
        if self.score > best_score + TOLERANCE:
            best_pos, best_score = [list(row) for row in self.pos], self.score
        return AnnealResult(np.array(best_pos, dtype=np.int64), best_score, it, 0)
