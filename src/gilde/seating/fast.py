"""Compiled inner loops of the annealer: one chunk of proposals over dense arrays.

The walk is the one described in anneal.py; here it runs as machine code (Numba), some tens of
millions of proposals per CPU second instead of a few hundred thousand. Numba cannot read the clock,
so anneal.py calls a kernel for a chunk of proposals at a time and checks the deadline in between.
Each chunk cools geometrically from its start temperature by a fixed factor per proposal.

Random numbers come from Numba's own generator (per thread), seeded once per walk by seed_walk, so
a walk split into chunks draws the same numbers as one long call. The compiled code is cached next
to this module (cache=True): the first use after installing compiles it once, later processes load it.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numba import njit

from gilde.seating.units import FloatArray, IntArray

# Share of proposals aimed at a good pair's table (the rest go to a random table).
DIRECTED = 0.8
# The best plan so far is copied at most every this many proposals.
BEST_EVERY = 256
TOLERANCE = 1e-9


@njit(cache=True)
def seed_walk(seed: int) -> None:
    """Seed Numba's generator for this thread; every later kernel call continues from it."""
    np.random.seed(seed)


@njit(cache=True)
def _apart_ok(row: IntArray, ptr: IntArray, idx: IntArray, u: int, t: int, leaving: int) -> bool:
    for k in range(ptr[u], ptr[u + 1]):
        x = idx[k]
        if row[x] == t and x != leaving:
            return False
    return True


@njit(cache=True)
def _reseat(
    u: int,
    t1: int,
    t2: int,
    mem: IntArray,
    nmem: IntArray,
    slot: IntArray,
    load: IntArray,
    hcount: IntArray,
    size: IntArray,
    hosts: IntArray,
) -> None:
    """Move u from the member list and counts of t1 to those of t2 (last member fills the gap)."""
    s = slot[u]
    last = mem[t1, nmem[t1] - 1]
    mem[t1, s] = last
    slot[last] = s
    nmem[t1] -= 1
    mem[t2, nmem[t2]] = u
    slot[u] = nmem[t2]
    nmem[t2] += 1
    load[t1] -= size[u]
    load[t2] += size[u]
    hcount[t1] -= hosts[u]
    hcount[t2] += hosts[u]


@njit(cache=True)
def _pick_partner(
    mates: IntArray,
    nm: int,
    u: int,
    hosts: IntArray,
    size: IntArray,
    host_rules: bool,
    uniform: bool,
) -> int:
    """A random unit at the target table; hosts and groups mostly trade places with their own kind."""
    v = mates[int(np.random.random() * nm)]
    if (host_rules and hosts[v] != hosts[u]) or (not uniform and size[v] != size[u]):
        alike = 0
        for k in range(nm):
            x = mates[k]
            if hosts[x] == hosts[u] and size[x] == size[u]:
                alike += 1
        if alike > 0:
            pick = int(np.random.random() * alike)
            for k in range(nm):
                x = mates[k]
                if hosts[x] == hosts[u] and size[x] == size[u]:
                    if pick == 0:
                        return x
                    pick -= 1
    return v


@njit(cache=True)
def _swap_allowed(
    u: int,
    v: int,
    t1: int,
    t2: int,
    load: IntArray,
    hcount: IntArray,
    cap: IntArray,
    size: IntArray,
    hosts: IntArray,
    host_rules: bool,
    host_min: int,
    host_max: int,
) -> bool:
    change = size[v] - size[u]
    if change > cap[t1] - load[t1] or -change > cap[t2] - load[t2]:
        return False
    if host_rules:
        change = hosts[v] - hosts[u]
        if change != 0:
            a1 = hcount[t1] + change
            a2 = hcount[t2] - change
            if a1 < host_min or a1 > host_max or a2 < host_min or a2 > host_max:
                return False
    return True


@njit(cache=True)
def walk_round(
    iterations: int,
    temperature: float,
    factor: float,
    pos: IntArray,
    movable: IntArray,
    pinned: IntArray,
    friend_ptr: IntArray,
    friend_idx: IntArray,
    nbr_ptr: IntArray,
    nbr_idx: IntArray,
    nbr_val: FloatArray,
    size: IntArray,
    hosts: IntArray,
    cap: IntArray,
    host_rules: bool,
    host_min: int,
    host_max: int,
    uniform: bool,
    apart_ptr: IntArray,
    apart_idx: IntArray,
    feat_ptr: IntArray,
    feat_idx: IntArray,
    feat_lam: FloatArray,
    feat_cnt: FloatArray,
    features: FloatArray,
    mem: IntArray,
    nmem: IntArray,
    slot: IntArray,
    load: IntArray,
    hcount: IntArray,
    gains: FloatArray,
    count: FloatArray,
    best_pos: IntArray,
    scores: FloatArray,
) -> None:
    """Run one round's walk for a number of proposals; scores holds [current, best] across calls.

    gains[u, t] is the listed value u has with the units at table t; count[t, f] counts attribute
    value f at table t, so moving u from t1 to t2 changes the value by
    gains[u, t2] - gains[u, t1] + sum_f lam_uf (count[t1, f] - F_uf - count[t2, f]).
    """
    n_mov = movable.shape[0]
    tables = cap.shape[0]
    score = scores[0]
    best = scores[1]
    for it in range(iterations):
        if it % BEST_EVERY == 0 and score > best + TOLERANCE:
            best = score
            best_pos[:] = pos
        temp = temperature
        temperature *= factor
        u = movable[int(np.random.random() * n_mov)]
        t1 = pos[u]
        n_friends = friend_ptr[u + 1] - friend_ptr[u]
        if n_friends > 0 and np.random.random() < DIRECTED:
            t2 = pos[friend_idx[friend_ptr[u] + int(np.random.random() * n_friends)]]
        else:
            t2 = int(np.random.random() * tables)
        if t2 == t1:
            continue
        su = size[u]
        room = cap[t2] - load[t2]
        nm = nmem[t2]
        du = gains[u, t2] - gains[u, t1]
        for k in range(feat_ptr[u], feat_ptr[u + 1]):
            f = feat_idx[k]
            du += feat_lam[k] * (count[t1, f] - feat_cnt[k] - count[t2, f])
        # A free seat is taken as a move when there is room; otherwise swap with a unit there.
        if room >= su and (nm == 0 or np.random.random() < 0.5):
            hu = hosts[u]
            if host_rules and hu > 0 and (hcount[t2] + hu > host_max or hcount[t1] - hu < host_min):
                continue
            if du < 0 and np.random.random() >= np.exp(du / temp):
                continue
            if not _apart_ok(pos, apart_ptr, apart_idx, u, t2, -1):
                continue
            _move_round(
                u,
                t1,
                t2,
                pos,
                nbr_ptr,
                nbr_idx,
                nbr_val,
                gains,
                feat_ptr,
                feat_idx,
                feat_cnt,
                count,
            )
            _reseat(u, t1, t2, mem, nmem, slot, load, hcount, size, hosts)
            score += du
            continue
        if nm == 0:
            continue
        v = _pick_partner(mem[t2], nm, u, hosts, size, host_rules, uniform)
        if pinned[v]:
            continue
        if not _swap_allowed(
            u, v, t1, t2, load, hcount, cap, size, hosts, host_rules, host_min, host_max
        ):
            continue
        w_uv = 0.0
        for e in range(nbr_ptr[u], nbr_ptr[u + 1]):
            if nbr_idx[e] == v:
                w_uv = nbr_val[e]
                break
        delta = du + gains[v, t1] - gains[v, t2] - 2.0 * w_uv
        for k in range(feat_ptr[v], feat_ptr[v + 1]):
            f = feat_idx[k]
            delta += feat_lam[k] * (count[t2, f] - feat_cnt[k] - count[t1, f])
        for k in range(feat_ptr[u], feat_ptr[u + 1]):
            delta += 2.0 * feat_lam[k] * features[v, feat_idx[k]]
        if delta < 0 and np.random.random() >= np.exp(delta / temp):
            continue
        if not _apart_ok(pos, apart_ptr, apart_idx, u, t2, v):
            continue
        if not _apart_ok(pos, apart_ptr, apart_idx, v, t1, u):
            continue
        _move_round(
            u, t1, t2, pos, nbr_ptr, nbr_idx, nbr_val, gains, feat_ptr, feat_idx, feat_cnt, count
        )
        _reseat(u, t1, t2, mem, nmem, slot, load, hcount, size, hosts)
        _move_round(
            v, t2, t1, pos, nbr_ptr, nbr_idx, nbr_val, gains, feat_ptr, feat_idx, feat_cnt, count
        )
        _reseat(v, t2, t1, mem, nmem, slot, load, hcount, size, hosts)
        score += delta
    if score > best + TOLERANCE:
        best = score
        best_pos[:] = pos
    scores[0] = score
    scores[1] = best


@njit(cache=True)
def _move_round(
    u: int,
    t1: int,
    t2: int,
    pos: IntArray,
    nbr_ptr: IntArray,
    nbr_idx: IntArray,
    nbr_val: FloatArray,
    gains: FloatArray,
    feat_ptr: IntArray,
    feat_idx: IntArray,
    feat_cnt: FloatArray,
    count: FloatArray,
) -> None:
    for e in range(nbr_ptr[u], nbr_ptr[u + 1]):
        v = nbr_idx[e]
        w = nbr_val[e]
        gains[v, t1] -= w
        gains[v, t2] += w
    for k in range(feat_ptr[u], feat_ptr[u + 1]):
        f = feat_idx[k]
        count[t1, f] -= feat_cnt[k]
        count[t2, f] += feat_cnt[k]
    pos[u] = t2


@njit(cache=True)
def _gain_rounds(
    u: int,
    t1: int,
    t2: int,
    skip: int,
    row: IntArray,
    nbr_ptr: IntArray,
    nbr_idx: IntArray,
    per_round: FloatArray,
    once: FloatArray,
    meet: IntArray,
    repeat_cost: float,
    feat_ptr: IntArray,
    feat_idx: IntArray,
    feat_lam: FloatArray,
    feat_cnt: FloatArray,
    count: FloatArray,
) -> float:
    """Value change of moving u from t1 to t2 in one round with everyone but `skip` in place; a
    good pair's first meeting adds its once-only value, a further one costs repeat_cost."""
    d = 0.0
    for e in range(nbr_ptr[u], nbr_ptr[u + 1]):
        v = nbr_idx[e]
        tv = row[v]
        if v == skip or (tv != t1 and tv != t2):
            continue
        if tv == t1:
            d -= per_round[e]
            if once[e] > 0:
                d += -once[e] if meet[e] == 1 else repeat_cost
        else:
            d += per_round[e]
            if once[e] > 0:
                d += once[e] if meet[e] == 0 else -repeat_cost
    for k in range(feat_ptr[u], feat_ptr[u + 1]):
        f = feat_idx[k]
        d += feat_lam[k] * (count[t1, f] - feat_cnt[k] - count[t2, f])
    return d


@njit(cache=True)
def _move_rounds(
    u: int,
    t1: int,
    t2: int,
    row: IntArray,
    nbr_ptr: IntArray,
    nbr_idx: IntArray,
    once: FloatArray,
    mirror: IntArray,
    meet: IntArray,
    feat_ptr: IntArray,
    feat_idx: IntArray,
    feat_cnt: FloatArray,
    count: FloatArray,
) -> None:
    for e in range(nbr_ptr[u], nbr_ptr[u + 1]):
        if once[e] > 0:
            tv = row[nbr_idx[e]]
            if tv == t1:
                meet[e] -= 1
                meet[mirror[e]] -= 1
            elif tv == t2:
                meet[e] += 1
                meet[mirror[e]] += 1
    for k in range(feat_ptr[u], feat_ptr[u + 1]):
        f = feat_idx[k]
        count[t1, f] -= feat_cnt[k]
        count[t2, f] += feat_cnt[k]
    row[u] = t2


@njit(cache=True)
def walk_rounds(
    iterations: int,
    temperature: float,
    factor: float,
    repeat_cost: float,
    pos: IntArray,
    step_round: IntArray,
    step_unit: IntArray,
    pinned: IntArray,
    friend_ptr: IntArray,
    friend_idx: IntArray,
    nbr_ptr: IntArray,
    nbr_idx: IntArray,
    per_round: FloatArray,
    once: FloatArray,
    mirror: IntArray,
    meet: IntArray,
    size: IntArray,
    hosts: IntArray,
    cap: IntArray,
    host_rules: bool,
    host_min: int,
    host_max: int,
    uniform: bool,
    apart_ptr: IntArray,
    apart_idx: IntArray,
    feat_ptr: IntArray,
    feat_idx: IntArray,
    feat_lam: FloatArray,
    feat_cnt: FloatArray,
    features: FloatArray,
    mem: IntArray,
    nmem: IntArray,
    slot: IntArray,
    load: IntArray,
    hcount: IntArray,
    count: FloatArray,
    best_pos: IntArray,
    scores: FloatArray,
) -> None:
    """Run the several-round walk over (round, unit) steps; meet[e] counts the rounds in which
    the pair of CSR entry e sits together, kept equal for an entry and its mirror."""
    n_steps = step_unit.shape[0]
    tables = cap.shape[0]
    score = scores[0]
    best = scores[1]
    for it in range(iterations):
        if it % BEST_EVERY == 0 and score > best + TOLERANCE:
            best = score
            best_pos[:, :] = pos
        temp = temperature
        temperature *= factor
        k_step = int(np.random.random() * n_steps)
        r = step_round[k_step]
        u = step_unit[k_step]
        row = pos[r]
        t1 = row[u]
        n_friends = friend_ptr[u + 1] - friend_ptr[u]
        if n_friends > 0 and np.random.random() < DIRECTED:
            t2 = row[friend_idx[friend_ptr[u] + int(np.random.random() * n_friends)]]
        else:
            t2 = int(np.random.random() * tables)
        if t2 == t1:
            continue
        load_r = load[r]
        hcount_r = hcount[r]
        count_r = count[r]
        nm = nmem[r, t2]
        su = size[u]
        room = cap[t2] - load_r[t2]
        if room >= su and (nm == 0 or np.random.random() < 0.5):
            hu = hosts[u]
            if (
                host_rules
                and hu > 0
                and (hcount_r[t2] + hu > host_max or hcount_r[t1] - hu < host_min)
            ):
                continue
            delta = _gain_rounds(
                u,
                t1,
                t2,
                -1,
                row,
                nbr_ptr,
                nbr_idx,
                per_round,
                once,
                meet,
                repeat_cost,
                feat_ptr,
                feat_idx,
                feat_lam,
                feat_cnt,
                count_r,
            )
            if delta < 0 and np.random.random() >= np.exp(delta / temp):
                continue
            if not _apart_ok(row, apart_ptr, apart_idx, u, t2, -1):
                continue
            _move_rounds(
                u,
                t1,
                t2,
                row,
                nbr_ptr,
                nbr_idx,
                once,
                mirror,
                meet,
                feat_ptr,
                feat_idx,
                feat_cnt,
                count_r,
            )
            _reseat(u, t1, t2, mem[r], nmem[r], slot[r], load_r, hcount_r, size, hosts)
            score += delta
            continue
        if nm == 0:
            continue
        v = _pick_partner(mem[r, t2], nm, u, hosts, size, host_rules, uniform)
        if pinned[r, v]:
            continue
        if not _swap_allowed(
            u, v, t1, t2, load_r, hcount_r, cap, size, hosts, host_rules, host_min, host_max
        ):
            continue
        delta = _gain_rounds(
            u,
            t1,
            t2,
            v,
            row,
            nbr_ptr,
            nbr_idx,
            per_round,
            once,
            meet,
            repeat_cost,
            feat_ptr,
            feat_idx,
            feat_lam,
            feat_cnt,
            count_r,
        )
        delta += _gain_rounds(
            v,
            t2,
            t1,
            u,
            row,
            nbr_ptr,
            nbr_idx,
            per_round,
            once,
            meet,
            repeat_cost,
            feat_ptr,
            feat_idx,
            feat_lam,
            feat_cnt,
            count_r,
        )
        for k in range(feat_ptr[u], feat_ptr[u + 1]):
            delta += 2.0 * feat_lam[k] * features[v, feat_idx[k]]
        if delta < 0 and np.random.random() >= np.exp(delta / temp):
            continue
        if not _apart_ok(row, apart_ptr, apart_idx, u, t2, v):
            continue
        if not _apart_ok(row, apart_ptr, apart_idx, v, t1, u):
            continue
        _move_rounds(
            u,
            t1,
            t2,
            row,
            nbr_ptr,
            nbr_idx,
            once,
            mirror,
            meet,
            feat_ptr,
            feat_idx,
            feat_cnt,
            count_r,
        )
        _reseat(u, t1, t2, mem[r], nmem[r], slot[r], load_r, hcount_r, size, hosts)
        _move_rounds(
            v,
            t2,
            t1,
            row,
            nbr_ptr,
            nbr_idx,
            once,
            mirror,
            meet,
            feat_ptr,
            feat_idx,
            feat_cnt,
            count_r,
        )
        _reseat(v, t2, t1, mem[r], nmem[r], slot[r], load_r, hcount_r, size, hosts)
        score += delta
    if score > best + TOLERANCE:
        best = score
        best_pos[:, :] = pos
    scores[0] = score
    scores[1] = best


def cached() -> bool:
    """Whether compiled code for both walks is on disk for this source and Numba version."""
    kernels: tuple[Any, ...] = (walk_round, walk_rounds)
    try:
        return all(bool(kernel._cache._cache_file._load_index()) for kernel in kernels)
    except (AttributeError, OSError, ValueError):
        return False


def warm_up() -> None:
    """Compile every kernel, or load it from the cache, by running each walk for no proposals on
    a one-unit, one-table plan with the argument types the annealer passes."""
    ints = np.zeros(1, dtype=np.int64)
    ptr = np.zeros(2, dtype=np.int64)
    none_i = np.zeros(0, dtype=np.int64)
    none_f = np.zeros(0, dtype=np.float64)
    table = np.zeros((1, 1), dtype=np.int64)
    seed_walk(0)
    walk_round(
        0, 1.0, 1.0, ints.copy(), ints, ints, ptr, none_i, ptr, none_i, none_f, ints + 1, ints,
        ints + 1, False, 0, 1, True, ptr, none_i, ptr, none_i, none_f, none_f,
        np.zeros((1, 0)), table.copy(), ints + 1, ints.copy(), ints + 1, ints.copy(),
        np.zeros((1, 1)), np.zeros((1, 0)), ints.copy(), np.zeros(2),
    )  # fmt: skip
    walk_rounds(
        0, 1.0, 1.0, 0.0, table.copy(), ints, ints, table, ptr, none_i, ptr, none_i, none_f,
        none_f, none_i, none_i, ints + 1, ints, ints + 1, False, 0, 1, True, ptr, none_i, ptr,
        none_i, none_f, none_f, np.zeros((1, 0)), np.zeros((1, 1, 1), dtype=np.int64),
        table + 1, table.copy(), table + 1, table.copy(), np.zeros((1, 1, 0)), table.copy(),
        np.zeros(2),
    )  # fmt: skip
