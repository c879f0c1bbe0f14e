"""Incremental evaluation of moves and swaps for the local search.

For every round r the matrix gain[r][u, t] holds what unit u would add sitting at table t with the
units now there (listed values per round, the once-only value of a good pair if they have not met in
another round, and the diversity cost from per-table value counts). A move or swap is then priced
from a few lookups, and applying it updates only the columns and rows it touches.
"""

from __future__ import annotations

import numpy as np

from gilde.seating.units import FloatArray, IntArray, Problem


class SearchState:
    """Positions of all units in all rounds, with the gain matrices kept in step."""

    def __init__(self, problem: Problem, pos: IntArray, repeat_cost: float) -> None:
        p = problem
        self.p = p
        self.pos = pos.copy()
        self.eps = repeat_cost
        self.rows = np.repeat(np.arange(p.n_units), np.diff(p.indptr))
        self.good = p.once > 0
        self.scaled = np.asfortranarray(p.features * p.feature_weight)
        self.self_div = (self.scaled * p.features).sum(axis=1)
        self.unit_features = [np.flatnonzero(p.features[u]) for u in range(p.n_units)]
        self.has_apart = len(p.apart_indices) > 0
        self.uniform = bool((p.size == 1).all())
        self.host_rules = p.host_min > 0 or p.host_max < int(p.hosts.sum())
        self.movable = [np.flatnonzero(p.fixed[r] < 0) for r in range(p.rounds)]
        self.rebuild()

    def rebuild(self) -> None:
        """Recompute every matrix from the positions (after a restart or to shed float drift)."""
        p, pos = self.p, self.pos
        units, tables = p.n_units, p.n_tables
        self.load = np.stack([np.bincount(pos[r], p.size, tables) for r in range(p.rounds)]).astype(np.int64)
        self.hcount = np.stack([np.bincount(pos[r], p.hosts, tables) for r in range(p.rounds)]).astype(np.int64)
        cols = p.indices
        together = [pos[r, self.rows] == pos[r, cols] for r in range(p.rounds)]
        self.cnt = np.sum(together, axis=0).astype(np.int64) if p.rounds else np.zeros(0, np.int64)
        self.gain: list[FloatArray] = []
        self.apart: list[IntArray] = []
        arows = np.repeat(np.arange(units), np.diff(p.apart_indptr))
        for r in range(p.rounds):
            g = np.zeros((units, tables))
            val = p.per_round + self._once_value(self.cnt - together[r])
            np.add.at(g, (self.rows, pos[r, cols]), val)
            if p.features.shape[1]:
                counts = np.zeros((tables, p.features.shape[1]))
                np.add.at(counts, pos[r], p.features)
                g -= self.scaled @ counts.T
            self.gain.append(g)
            a = np.zeros((units, tables), dtype=np.int64)
            np.add.at(a, (arows, pos[r, p.apart_indices]), 1)
            self.apart.append(a)
        self.score = self.compute_score()

    def _once_value(self, met_elsewhere: IntArray) -> FloatArray:
        # The marginal worth of meeting in this round: the full value on a first meeting, a small
        # cost on a repeat so that the search prefers new meetings among otherwise equal plans.
        return np.where(self.good, np.where(met_elsewhere == 0, self.p.once, -self.eps), 0.0)

    def compute_score(self) -> float:
        """Objective at unit level minus the repeat cost; used to verify the incremental deltas."""
        p, pos = self.p, self.pos
        score = p.constant
        upper = self.rows < p.indices
        for r in range(p.rounds):
            tog = (pos[r, self.rows] == pos[r, p.indices]) & upper
            score += float(p.per_round[tog].sum())
            if p.features.shape[1]:
                counts = np.zeros((p.n_tables, p.features.shape[1]))
                np.add.at(counts, pos[r], p.features)
                inside = (p.features**2).T @ np.ones(p.n_units)
                score -= 0.5 * float(((counts**2).sum(axis=0) - inside) @ p.feature_weight)
        cnt = self.cnt[upper & self.good]
        score += float(p.once[upper & self.good][cnt > 0].sum())
        score -= self.eps * float(np.maximum(cnt - 1, 0).sum())
        return score

    def move_deltas(self, r: int, u: int) -> FloatArray:
        """Change in score for moving unit u to each table in round r; -inf where not allowed."""
        p = self.p
        t1 = self.pos[r, u]
        g = self.gain[r][u]
        d = g - g[t1] - self.self_div[u]
        ok = self.load[r] + p.size[u] <= p.capacity
        if self.host_rules and p.hosts[u]:
            ok &= self.hcount[r] + p.hosts[u] <= p.host_max
            if self.hcount[r, t1] - p.hosts[u] < p.host_min:
                ok[:] = False
        if self.has_apart:
            ok &= self.apart[r][u] == 0
        ok[t1] = False
        return np.where(ok, d, -np.inf)

    def swap_deltas(self, r: int, u: int) -> FloatArray:
        """Change in score for swapping unit u with each other unit in round r; -inf where not allowed."""
        p = self.p
        pos = self.pos[r]
        t1 = pos[u]
        g = self.gain[r]
        pair = self.pair_values(r, u)
        own = g[u]
        d = own[pos] - own[t1] - self.self_div[u] + g[:, t1] - g[np.arange(p.n_units), pos] - self.self_div - 2 * pair
        ok = pos != t1
        ok &= p.fixed[r] < 0
        if not self.uniform:
            free = p.capacity - self.load[r]
            ok &= p.size - p.size[u] <= free[t1]
            ok &= p.size[u] - p.size <= free[pos]
        if self.host_rules:
            hc, lo, hi = self.hcount[r], p.host_min, p.host_max
            at_t1 = hc[t1] - p.hosts[u] + p.hosts
            at_other = hc[pos] - p.hosts + p.hosts[u]
            ok &= (at_t1 >= lo) & (at_t1 <= hi) & (at_other >= lo) & (at_other <= hi)
        if self.has_apart:
            mine = np.zeros(p.n_units, dtype=np.int64)
            mine[p.apart_indices[p.apart_indptr[u] : p.apart_indptr[u + 1]]] = 1
            ok &= (self.apart[r][u][pos] - mine == 0) & (self.apart[r][:, t1] - mine == 0)
        return np.where(ok, d, -np.inf)

    def pair_values(self, r: int, u: int) -> FloatArray:
        """What each other unit adds to u's score in round r when they share a table."""
        p = self.p
        out = np.zeros(p.n_units)
        a, b = p.indptr[u], p.indptr[u + 1]
        if b > a:
            nb = p.indices[a:b]
            tog = self.pos[r, nb] == self.pos[r, u]
            out[nb] = p.per_round[a:b] + self._once_value_slice(a, b, self.cnt[a:b] - tog)
        f = self.unit_features[u]
        if len(f):
            out -= self.scaled[:, f] @ p.features[u, f]
        return out

    def move(self, r: int, u: int, t2: int) -> None:
        """Seat unit u at table t2 in round r and update the matrices (capacity is not checked)."""
        p = self.p
        pos = self.pos
        t1 = int(pos[r, u])
        if t1 == t2:
            return
        g = self.gain[r]
        a, b = p.indptr[u], p.indptr[u + 1]
        if b > a:
            nb = p.indices[a:b]
            where = pos[r, nb]
            at1 = where == t1
            at2 = where == t2
            cnt = self.cnt[a:b].copy()
            val = p.per_round[a:b] + self._once_value_slice(a, b, cnt - at1)
            g[nb, t1] -= val
            g[nb, t2] += val
            new = cnt + at2 - at1
            self.cnt[a:b] = new
            self.cnt[p.mirror[a:b]] = new
            if p.rounds > 1:
                self._refresh_other_rounds(r, u, a, b, cnt, new)
        f = self.unit_features[u]
        if len(f):
            col = self.scaled[:, f] @ p.features[u, f]
            g[:, t1] += col
            g[:, t2] -= col
        if self.has_apart:
            nb = p.apart_indices[p.apart_indptr[u] : p.apart_indptr[u + 1]]
            self.apart[r][nb, t1] -= 1
            self.apart[r][nb, t2] += 1
        self.load[r, t1] -= p.size[u]
        self.load[r, t2] += p.size[u]
        self.hcount[r, t1] -= p.hosts[u]
        self.hcount[r, t2] += p.hosts[u]
        pos[r, u] = t2

    def _once_value_slice(self, a: int, b: int, met_elsewhere: IntArray) -> FloatArray:
        good = self.good[a:b]
        return np.where(good, np.where(met_elsewhere == 0, self.p.once[a:b], -self.eps), 0.0)

    def _refresh_other_rounds(self, r: int, u: int, a: int, b: int, old: IntArray, new: IntArray) -> None:
        # A meeting gained or lost in round r changes whether the pair would meet "for the first
        # time" in every other round, so those rounds' gains for both units change too.
        changed = np.flatnonzero((old != new) & self.good[a:b])
        if not len(changed):
            return
        p = self.p
        nb = p.indices[a + changed]
        for r2 in range(p.rounds):
            if r2 == r:
                continue
            tu = self.pos[r2, u]
            tv = self.pos[r2, nb]
            tog = tv == tu
            once = p.once[a + changed]
            before = np.where(old[changed] - tog == 0, once, -self.eps)
            after = np.where(new[changed] - tog == 0, once, -self.eps)
            d = after - before
            nz = d != 0
            if nz.any():
                self.gain[r2][nb[nz], tu] += d[nz]
                np.add.at(self.gain[r2][u], tv[nz], d[nz])

    def swap(self, r: int, u: int, v: int) -> None:
        """Exchange the tables of units u and v in round r."""
        tu, tv = int(self.pos[r, u]), int(self.pos[r, v])
        self.move(r, u, tv)
        self.move(r, v, tu)
