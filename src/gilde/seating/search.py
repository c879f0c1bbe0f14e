"""Incremental evaluation of moves and swaps for the local search.

For every round r the matrix gain[r][t, u] holds what unit u would add sitting at table t with the
units now there: listed values per round, the once-only value of a good pair if they have not met in
another round, and the diversity cost. A move or swap is priced from a few lookups, and applying it
updates only the two table rows it touches. Tables are rows so that those updates are contiguous.
"""

from __future__ import annotations

import numpy as np

from gilde.seating.units import FloatArray, IntArray, Problem

# Above this many units the dense unit-by-unit value matrix would take too much memory.
DENSE_LIMIT = 4000


class SearchState:
    """Positions of all units in all rounds, with the gain matrices kept in step."""

    def __init__(self, problem: Problem, pos: IntArray, repeat_cost: float) -> None:
        p = problem
        self.p = p
        self.pos = pos.copy()
        self.eps = repeat_cost
        self.units = np.arange(p.n_units)
        self.rows = np.repeat(self.units, np.diff(p.indptr))
        self.good = p.once > 0
        self.multi = p.rounds > 1
        self.scaled = np.asfortranarray(p.features * p.feature_weight)
        self.self_div = (self.scaled * p.features).sum(axis=1)
        self.unit_features = [np.flatnonzero(p.features[u]) for u in range(p.n_units)]
        self.dense = self._dense_values() if p.n_units <= DENSE_LIMIT else None
        self.has_apart = len(p.apart_indices) > 0
        self.uniform = bool((p.size == 1).all())
        total_hosts = int(p.hosts.sum())
        self.host_rules = p.host_min > 0 or p.host_max < total_hosts
        self.movable = [np.flatnonzero(p.fixed[r] < 0) for r in range(p.rounds)]
        self.pinned = [p.fixed[r] >= 0 for r in range(p.rounds)]
        # With an exact host count per table, only units with as many hosts can trade places.
        self.other_host_count = {int(h): p.hosts != h for h in np.unique(p.hosts)}
        self.rebuild()

    def _dense_values(self) -> FloatArray:
        # Every value that does not depend on other rounds, in one matrix: its row for unit u is
        # both u's value with each other unit and the update applied when u changes table.
        p = self.p
        dense = -(self.scaled @ p.features.T)
        static = p.per_round if self.multi else p.per_round + p.once
        np.add.at(dense, (self.rows, p.indices), static)
        return dense

    def rebuild(self) -> None:
        """Recompute every matrix from the positions (after a restart, and to shed float drift)."""
        p, pos = self.p, self.pos
        tables = p.n_tables
        self.load = np.stack([np.bincount(pos[r], p.size, tables) for r in range(p.rounds)]).astype(
            np.int64
        )
        self.hcount = np.stack(
            [np.bincount(pos[r], p.hosts, tables) for r in range(p.rounds)]
        ).astype(np.int64)
        cols = p.indices
        together = [pos[r, self.rows] == pos[r, cols] for r in range(p.rounds)]
        self.cnt = np.sum(together, axis=0).astype(np.int64)
        self.gain: list[FloatArray] = []
        self.apart: list[np.ndarray] = []
        arows = np.repeat(self.units, np.diff(p.apart_indptr))
        for r in range(p.rounds):
            g = np.zeros((tables, p.n_units))
            if self.dense is not None:
                onehot = np.zeros((tables, p.n_units))
                onehot[pos[r], self.units] = 1.0
                g += onehot @ self.dense
                if self.multi:
                    np.add.at(
                        g, (pos[r, cols], self.rows), self._once_value(self.cnt - together[r])
                    )
            else:
                val = p.per_round + (
                    self._once_value(self.cnt - together[r]) if self.multi else p.once
                )
                np.add.at(g, (pos[r, cols], self.rows), val)
                counts = np.zeros((tables, p.features.shape[1]))
                np.add.at(counts, pos[r], p.features)
                g -= counts @ self.scaled.T
            self.gain.append(g)
            a = np.zeros((tables, p.n_units), dtype=np.int32)
            np.add.at(a, (pos[r, p.apart_indices], arows), 1)
            self.apart.append(a)
        self.score = self.compute_score()

    def _once_value(
        self, met_elsewhere: IntArray, lo: int = 0, hi: int | None = None
    ) -> FloatArray:
        # The marginal worth of a meeting in this round: the full value on a first meeting, a small
        # cost on a repeat so that the search prefers new meetings among otherwise equal plans.
        good = self.good[lo:hi]
        once = self.p.once[lo:hi]
        return np.where(good, np.where(met_elsewhere == 0, once, -self.eps), 0.0)

    def compute_score(self) -> float:
        """Objective at unit level minus the repeat cost, computed from scratch."""
        p, pos = self.p, self.pos
        score = p.constant
        upper = self.rows < p.indices
        inside = ((p.features**2).sum(axis=0) @ p.feature_weight) if p.features.shape[1] else 0.0
        for r in range(p.rounds):
            tog = (pos[r, self.rows] == pos[r, p.indices]) & upper
            score += float(p.per_round[tog].sum())
            if p.features.shape[1]:
                counts = np.zeros((p.n_tables, p.features.shape[1]))
                np.add.at(counts, pos[r], p.features)
                score -= 0.5 * (float((counts**2).sum(axis=0) @ p.feature_weight) - inside)
        keep = upper & self.good
        cnt = np.sum(
            [pos[r, self.rows[keep]] == pos[r, p.indices[keep]] for r in range(p.rounds)], axis=0
        )
        score += float(p.once[keep][cnt > 0].sum())
        score -= self.eps * float(np.maximum(cnt - 1, 0).sum())
        return score

    def move_deltas(self, r: int, u: int) -> FloatArray:
        """Change in score for moving unit u to each table in round r; -inf where not allowed."""
        p = self.p
        t1 = self.pos[r, u]
        g = self.gain[r][:, u]
        d = g - (g[t1] + self.self_div[u])
        ok = self.load[r] + p.size[u] <= p.capacity
        if self.host_rules and p.hosts[u]:
            ok &= self.hcount[r] + p.hosts[u] <= p.host_max
            if self.hcount[r, t1] - p.hosts[u] < p.host_min:
                ok[:] = False
        if self.has_apart:
            ok &= self.apart[r][:, u] == 0
        ok[t1] = False
        return np.where(ok, d, -np.inf)

    def swap_deltas(self, r: int, u: int) -> FloatArray:
        """Change in score for swapping unit u with each other unit in round r; -inf where not allowed."""
        p = self.p
        pos = self.pos[r]
        t1 = pos[u]
        g = self.gain[r]
        own = g[:, u]
        d = own[pos] + g[t1] - g[pos, self.units] - self.self_div
        d -= 2 * self.pair_values(r, u)
        d -= own[t1] + self.self_div[u]
        bad = pos == t1
        bad |= self.pinned[r]
        if not self.uniform:
            free = p.capacity - self.load[r]
            change = p.size - p.size[u]
            bad |= (change > free[t1]) | (-change > free[pos])
        if self.host_rules:
            if p.host_min == p.host_max:
                bad |= self.other_host_count[p.hosts[u]]
            else:
                change = p.hosts - p.hosts[u]
                at_t1 = self.hcount[r, t1] + change
                at_other = self.hcount[r][pos] - change
                bad |= (at_t1 < p.host_min) | (at_t1 > p.host_max)
                bad |= (at_other < p.host_min) | (at_other > p.host_max)
        if self.has_apart:
            a, b = p.apart_indptr[u], p.apart_indptr[u + 1]
            apart = self.apart[r]
            clash = apart[pos, u] > 0
            clash |= apart[t1] > 0
            if b > a:
                # An apart partner at the other table leaves when u arrives, so it does not block.
                nb = p.apart_indices[a:b]
                clash[nb] = (apart[pos[nb], u] > 1) | (apart[t1, nb] > 1)
            bad |= clash
        d[bad] = -np.inf
        return d

    def pair_values(self, r: int, u: int) -> FloatArray:
        """What each other unit adds to u's score in round r when they share a table."""
        p = self.p
        a, b = p.indptr[u], p.indptr[u + 1]
        if self.dense is not None:
            if not self.multi or b == a:
                return self.dense[u]
            out = self.dense[u].copy()
        else:
            out = np.zeros(p.n_units)
            out[p.indices[a:b]] = p.per_round[a:b] + (0.0 if self.multi else p.once[a:b])
            f = self.unit_features[u]
            if len(f):
                out -= self.scaled[:, f] @ p.features[u, f]
            if not self.multi:
                return out
        nb = p.indices[a:b]
        tog = self.pos[r, nb] == self.pos[r, u]
        out[nb] += self._once_value(self.cnt[a:b] - tog, a, b)
        return out

    def move(self, r: int, u: int, t2: int) -> None:
        """Seat unit u at table t2 in round r and update the matrices (rules are not checked)."""
        p = self.p
        pos = self.pos
        t1 = int(pos[r, u])
        if t1 == t2:
            return
        g = self.gain[r]
        a, b = p.indptr[u], p.indptr[u + 1]
        if self.dense is not None:
            row = self.dense[u]
            g[t1] -= row
            g[t2] += row
        if b > a and (self.multi or self.dense is None):
            nb = p.indices[a:b]
            where = pos[r, nb]
            at1 = where == t1
            cnt = self.cnt[a:b].copy()
            if self.multi:
                val = self._once_value(cnt - at1, a, b)
                if self.dense is None:
                    val += p.per_round[a:b]
            else:
                val = p.per_round[a:b] + p.once[a:b]
            g[t1, nb] -= val
            g[t2, nb] += val
            if self.multi:
                new = cnt + (where == t2) - at1
                self.cnt[a:b] = new
                self.cnt[p.mirror[a:b]] = new
                self._refresh_other_rounds(r, u, a, b, cnt, new)
        if self.dense is None and len(self.unit_features[u]):
            f = self.unit_features[u]
            col = self.scaled[:, f] @ p.features[u, f]
            g[t1] += col
            g[t2] -= col
        if self.has_apart:
            nb = p.apart_indices[p.apart_indptr[u] : p.apart_indptr[u + 1]]
            self.apart[r][t1, nb] -= 1
            self.apart[r][t2, nb] += 1
        self.load[r, t1] -= p.size[u]
        self.load[r, t2] += p.size[u]
        self.hcount[r, t1] -= p.hosts[u]
        self.hcount[r, t2] += p.hosts[u]
        pos[r, u] = t2

    def _refresh_other_rounds(
        self, r: int, u: int, a: int, b: int, old: IntArray, new: IntArray
    ) -> None:
        # A meeting gained or lost in round r changes whether the pair would meet "for the first
        # time" in every other round, so those rounds' gains for both units change too.
        changed = np.flatnonzero((old != new) & self.good[a:b])
        if not len(changed):
            return
        p = self.p
        nb = p.indices[a + changed]
        once = p.once[a + changed]
        for r2 in range(p.rounds):
            if r2 == r:
                continue
            tu = self.pos[r2, u]
            tv = self.pos[r2, nb]
            tog = tv == tu
            before = np.where(old[changed] - tog == 0, once, -self.eps)
            after = np.where(new[changed] - tog == 0, once, -self.eps)
            d = after - before
            nz = d != 0
            if nz.any():
                self.gain[r2][tu, nb[nz]] += d[nz]
                np.add.at(self.gain[r2][:, u], tv[nz], d[nz])

    def swap(self, r: int, u: int, v: int) -> None:
        """Exchange the tables of units u and v in round r."""
        tu, tv = int(self.pos[r, u]), int(self.pos[r, v])
        self.move(r, u, tv)
        self.move(r, v, tu)
