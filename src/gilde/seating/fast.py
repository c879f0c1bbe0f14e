"""Compiled inner loops of the annealer: chunks of proposals over dense arrays.

The walk is the one described in anneal.py; here it runs as machine code (Numba), millions of
proposals per CPU second instead of a few hundred thousand. Numba cannot read the clock, so
anneal.py calls a walk for a chunk of proposals at a time and checks the deadline in between. Each
chunk cools geometrically from its start temperature by a fixed factor per proposal.

Every array is indexed by round first (one round is round 0 of a one-round plan), so the helpers
serve both walks without taking array views in the loop, and they are inlined: a call or a view
per proposal costs more than the proposal. Random numbers come from a xorshift64* generator whose
state (one uint64) the caller keeps, so a walk split into chunks draws the same numbers as one long
call, on any machine. The compiled code is cached next to this module (cache=True).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numba import njit
from numpy.typing import NDArray

from gilde.seating.units import FloatArray, IntArray

RngState = NDArray[np.uint64]

# Share of proposals aimed at a good pair's table (the rest go to a random table).
DIRECTED = 0.8
# The best plan so far is copied at most every this many proposals.
BEST_EVERY = 256
TOLERANCE = 1e-9
# xorshift64* (Vigna): shifts and one multiplication per number.
_MULTIPLY = np.uint64(0x2545F4914F6CDD1D)
_S11, _S12, _S25, _S27 = np.uint64(11), np.uint64(12), np.uint64(25), np.uint64(27)
_UNIT = 1.0 / 9007199254740992.0  # 2**-53
_MASK = (1 << 64) - 1


def rng_state(seed: int) -> RngState:
    """The generator state for a seed: splitmix64 of the seed, never zero."""
    z = (seed * 0x9E3779B97F4A7C15 + 0x9E3779B97F4A7C15) & _MASK
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK
    z ^= z >> 31
    return np.array([z or 1], dtype=np.uint64)


@njit(cache=True, inline="always")
def _random(rng: RngState) -> float:
    """A uniform number in [0, 1); advances the state rng[0]."""
    x = rng[0]
    x ^= x >> _S12
    x ^= x << _S25
    x ^= x >> _S27
    rng[0] = x
    return float((x * _MULTIPLY) >> _S11) * _UNIT


@njit(cache=True, inline="always")
def _accept(delta: float, temperature: float, rng: RngState) -> bool:
    return delta >= 0 or _random(rng) < np.exp(delta / temperature)


@njit(cache=True, inline="always")
def _target(
    pos: IntArray,
    r: int,
    u: int,
    friend_ptr: IntArray,
    friend_idx: IntArray,
    tables: int,
    rng: RngState,
) -> int:
    """The table a proposal moves u to: mostly one of its good pairs' tables, else any table."""
    n_friends = friend_ptr[u + 1] - friend_ptr[u]
    if n_friends > 0 and _random(rng) < DIRECTED:
        return pos[r, friend_idx[friend_ptr[u] + int(_random(rng) * n_friends)]]
    return int(_random(rng) * tables)


@njit(cache=True, inline="always")
def _apart_ok(
    pos: IntArray, r: int, ptr: IntArray, idx: IntArray, u: int, t: int, leaving: int
) -> bool:
    for k in range(ptr[u], ptr[u + 1]):
        x = idx[k]
        if pos[r, x] == t and x != leaving:
            return False
    return True


@njit(cache=True, inline="always")
def _pick_partner(
    mem: IntArray,
    r: int,
    t: int,
    nm: int,
    u: int,
    hosts: IntArray,
    size: IntArray,
    host_rules: bool,
    uniform: bool,
    rng: RngState,
) -> int:
    """A random unit at table t; hosts and groups mostly trade places with their own kind."""
    v = mem[r, t, int(_random(rng) * nm)]
    if (host_rules and hosts[v] != hosts[u]) or (not uniform and size[v] != size[u]):
        alike = 0
        for k in range(nm):
            x = mem[r, t, k]
            if hosts[x] == hosts[u] and size[x] == size[u]:
                alike += 1
        if alike > 0:
            pick = int(_random(rng) * alike)
            for k in range(nm):
                x = mem[r, t, k]
                if hosts[x] == hosts[u] and size[x] == size[u]:
                    if pick == 0:
                        return x
                    pick -= 1
    return v


@njit(cache=True, inline="always")
def _swap_allowed(
    r: int,
    u: int,
    v: int,
    t1: int,
    t2: int,
    load: IntArray,
    hcount: IntArray,
    cap: IntArray,
    minimum: IntArray,
    size: IntArray,
    hosts: IntArray,
    host_rules: bool,
    host_min: int,
    host_max: int,
) -> bool:
    change = size[v] - size[u]
    if change > cap[t1] - load[r, t1] or -change > cap[t2] - load[r, t2]:
        return False
    if load[r, t1] + change < minimum[t1] or load[r, t2] - change < minimum[t2]:
        return False
    if host_rules:
        change = hosts[v] - hosts[u]
        if change != 0:
            a1 = hcount[r, t1] + change
            a2 = hcount[r, t2] - change
            if a1 < host_min or a1 > host_max or a2 < host_min or a2 > host_max:
                return False
    return True


@njit(cache=True, inline="always")
def _diversity_gain(
    r: int,
    u: int,
    t1: int,
    t2: int,
    feat_ptr: IntArray,
    feat_idx: IntArray,
    feat_lam: FloatArray,
    feat_cnt: FloatArray,
    count: FloatArray,
) -> float:
    """Diversity change of moving u from t1 to t2: count[r, t, f] counts value f at table t."""
    d = 0.0
    for k in range(feat_ptr[u], feat_ptr[u + 1]):
        f = feat_idx[k]
        d += feat_lam[k] * (count[r, t1, f] - feat_cnt[k] - count[r, t2, f])
    return d


@njit(cache=True, inline="always")
def _shared_values(
    u: int,
    v: int,
    feat_ptr: IntArray,
    feat_idx: IntArray,
    feat_lam: FloatArray,
    features: FloatArray,
) -> float:
    """What two units' shared attribute values add back to a swap of the two: each move was
    priced as if the other stayed put."""
    d = 0.0
    for k in range(feat_ptr[u], feat_ptr[u + 1]):
        d += 2.0 * feat_lam[k] * features[v, feat_idx[k]]
    return d


@njit(cache=True, inline="always")
def _reseat(
    r: int,
    u: int,
    t1: int,
    t2: int,
    pos: IntArray,
    mem: IntArray,
    nmem: IntArray,
    slot: IntArray,
    load: IntArray,
    hcount: IntArray,
    size: IntArray,
    hosts: IntArray,
    feat_ptr: IntArray,
    feat_idx: IntArray,
    feat_cnt: FloatArray,
    count: FloatArray,
) -> None:
    """Move u from t1 to t2 in round r: position, member lists (the last member fills the gap),
    seats, hosts and attribute counts."""
    s = slot[r, u]
    last = mem[r, t1, nmem[r, t1] - 1]
    mem[r, t1, s] = last
    slot[r, last] = s
    nmem[r, t1] -= 1
    mem[r, t2, nmem[r, t2]] = u
    slot[r, u] = nmem[r, t2]
    nmem[r, t2] += 1
    load[r, t1] -= size[u]
    load[r, t2] += size[u]
    hcount[r, t1] -= hosts[u]
    hcount[r, t2] += hosts[u]
    for k in range(feat_ptr[u], feat_ptr[u + 1]):
        f = feat_idx[k]
        count[r, t1, f] -= feat_cnt[k]
        count[r, t2, f] += feat_cnt[k]
    pos[r, u] = t2


@njit(cache=True, inline="always")
def _move_gains(
    u: int,
    t1: int,
    t2: int,
    nbr_ptr: IntArray,
    nbr_idx: IntArray,
    value: FloatArray,
    gains: FloatArray,
) -> None:
    for e in range(nbr_ptr[u], nbr_ptr[u + 1]):
        v = nbr_idx[e]
        gains[v, t1] -= value[e]
        gains[v, t2] += value[e]


@njit(cache=True, nogil=True)
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
    value: FloatArray,
    size: IntArray,
    hosts: IntArray,
    cap: IntArray,
    minimum: IntArray,
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
    rng: RngState,
) -> None:
    """Run the one-round walk for a number of proposals; scores holds [current, best] between
    calls. gains[u, t] is the listed value u has with the units at table t, so moving u from t1
    to t2 changes the value by gains[u, t2] - gains[u, t1] plus the diversity change."""
    n_mov = movable.shape[0]
    tables = cap.shape[0]
    score = scores[0]
    best = scores[1]
    for it in range(iterations):
        if it % BEST_EVERY == 0 and score > best + TOLERANCE:
            best = score
            best_pos[:, :] = pos
        temp = temperature
        temperature *= factor
        u = movable[int(_random(rng) * n_mov)]
        t1 = pos[0, u]
        t2 = _target(pos, 0, u, friend_ptr, friend_idx, tables, rng)
        if t2 == t1:
            continue
        nm = nmem[0, t2]
        du = gains[u, t2] - gains[u, t1]
        du += _diversity_gain(0, u, t1, t2, feat_ptr, feat_idx, feat_lam, feat_cnt, count)
        # A free seat is taken as a move when there is room; otherwise swap with a unit there.
        if (
            cap[t2] - load[0, t2] >= size[u]
            and load[0, t1] - size[u] >= minimum[t1]
            and (nm == 0 or _random(rng) < 0.5)
        ):
            hu = hosts[u]
            if (
                host_rules
                and hu > 0
                and (hcount[0, t2] + hu > host_max or hcount[0, t1] - hu < host_min)
            ):
                continue
            if not _accept(du, temp, rng) or not _apart_ok(pos, 0, apart_ptr, apart_idx, u, t2, -1):
                continue
            _move_gains(u, t1, t2, nbr_ptr, nbr_idx, value, gains)
            _reseat(
                0,
                u,
                t1,
                t2,
                pos,
                mem,
                nmem,
                slot,
                load,
                hcount,
                size,
                hosts,
                feat_ptr,
                feat_idx,
                feat_cnt,
                count,
            )
            score += du
            continue
        if nm == 0:
            continue
        v = _pick_partner(mem, 0, t2, nm, u, hosts, size, host_rules, uniform, rng)
        if pinned[0, v] or not _swap_allowed(
            0,
            u,
            v,
            t1,
            t2,
            load,
            hcount,
            cap,
            minimum,
            size,
            hosts,
            host_rules,
            host_min,
            host_max,
        ):
            continue
        w_uv = 0.0
        for e in range(nbr_ptr[u], nbr_ptr[u + 1]):
            if nbr_idx[e] == v:
                w_uv = value[e]
                break
        # Each move is priced with the other unit in place; their own pair stays apart.
        delta = du + gains[v, t1] - gains[v, t2] - 2.0 * w_uv
        delta += _diversity_gain(0, v, t2, t1, feat_ptr, feat_idx, feat_lam, feat_cnt, count)
        delta += _shared_values(u, v, feat_ptr, feat_idx, feat_lam, features)
        if not _accept(delta, temp, rng):
            continue
        if not _apart_ok(pos, 0, apart_ptr, apart_idx, u, t2, v) or not _apart_ok(
            pos, 0, apart_ptr, apart_idx, v, t1, u
        ):
            continue
        _move_gains(u, t1, t2, nbr_ptr, nbr_idx, value, gains)
        _reseat(
            0,
            u,
            t1,
            t2,
            pos,
            mem,
            nmem,
            slot,
            load,
            hcount,
            size,
            hosts,
            feat_ptr,
            feat_idx,
            feat_cnt,
            count,
        )
        _move_gains(v, t2, t1, nbr_ptr, nbr_idx, value, gains)
        _reseat(
            0,
            v,
            t2,
            t1,
            pos,
            mem,
            nmem,
            slot,
            load,
            hcount,
            size,
            hosts,
            feat_ptr,
            feat_idx,
            feat_cnt,
            count,
        )
        score += delta
    if score > best + TOLERANCE:
        best = score
        best_pos[:, :] = pos
    scores[0] = score
    scores[1] = best


@njit(cache=True, inline="always")
def _listed_gain(
    pos: IntArray,
    r: int,
    u: int,
    t1: int,
    t2: int,
    skip: int,
    nbr_ptr: IntArray,
    nbr_idx: IntArray,
    per_round: FloatArray,
    once: FloatArray,
    meet: IntArray,
    repeat_cost: float,
) -> float:
    """Listed value change of moving u from t1 to t2 in round r with everyone but `skip` in
    place; a good pair's first meeting adds its once-only value, a further one costs repeat_cost."""
    d = 0.0
    for e in range(nbr_ptr[u], nbr_ptr[u + 1]):
        v = nbr_idx[e]
        tv = pos[r, v]
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
    return d


@njit(cache=True, inline="always")
def _count_meetings(
    pos: IntArray,
    r: int,
    u: int,
    t1: int,
    t2: int,
    nbr_ptr: IntArray,
    nbr_idx: IntArray,
    once: FloatArray,
    mirror: IntArray,
    meet: IntArray,
) -> None:
    for e in range(nbr_ptr[u], nbr_ptr[u + 1]):
        if once[e] > 0:
            tv = pos[r, nbr_idx[e]]
            if tv == t1:
                meet[e] -= 1
                meet[mirror[e]] -= 1
            elif tv == t2:
                meet[e] += 1
                meet[mirror[e]] += 1


@njit(cache=True, nogil=True)
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
    keep: FloatArray,
    size: IntArray,
    hosts: IntArray,
    cap: IntArray,
    minimum: IntArray,
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
    rng: RngState,
) -> None:
    """Run the several-round walk over (round, unit) steps; meet[e] counts the rounds in which
    the pair of CSR entry e sits together, kept equal for an entry and its mirror; keep[r, u, t]
    is what seating u at t in round r saves of the move penalty."""
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
        k = int(_random(rng) * n_steps)
        r = step_round[k]
        u = step_unit[k]
        t1 = pos[r, u]
        t2 = _target(pos, r, u, friend_ptr, friend_idx, tables, rng)
        if t2 == t1:
            continue
        nm = nmem[r, t2]
        if (
            cap[t2] - load[r, t2] >= size[u]
            and load[r, t1] - size[u] >= minimum[t1]
            and (nm == 0 or _random(rng) < 0.5)
        ):
            hu = hosts[u]
            if (
                host_rules
                and hu > 0
                and (hcount[r, t2] + hu > host_max or hcount[r, t1] - hu < host_min)
            ):
                continue
            delta = _listed_gain(
                pos,
                r,
                u,
                t1,
                t2,
                -1,
                nbr_ptr,
                nbr_idx,
                per_round,
                once,
                meet,
                repeat_cost,
            )
            delta += _diversity_gain(r, u, t1, t2, feat_ptr, feat_idx, feat_lam, feat_cnt, count)
            delta += keep[r, u, t2] - keep[r, u, t1]
            if not _accept(delta, temp, rng) or not _apart_ok(
                pos, r, apart_ptr, apart_idx, u, t2, -1
            ):
                continue
            _count_meetings(pos, r, u, t1, t2, nbr_ptr, nbr_idx, once, mirror, meet)
            _reseat(
                r,
                u,
                t1,
                t2,
                pos,
                mem,
                nmem,
                slot,
                load,
                hcount,
                size,
                hosts,
                feat_ptr,
                feat_idx,
                feat_cnt,
                count,
            )
            score += delta
            continue
        if nm == 0:
            continue
        v = _pick_partner(mem, r, t2, nm, u, hosts, size, host_rules, uniform, rng)
        if pinned[r, v] or not _swap_allowed(
            r,
            u,
            v,
            t1,
            t2,
            load,
            hcount,
            cap,
            minimum,
            size,
            hosts,
            host_rules,
            host_min,
            host_max,
        ):
            continue
        delta = _listed_gain(
            pos, r, u, t1, t2, v, nbr_ptr, nbr_idx, per_round, once, meet, repeat_cost
        )
        delta += _listed_gain(
            pos, r, v, t2, t1, u, nbr_ptr, nbr_idx, per_round, once, meet, repeat_cost
        )
        delta += _diversity_gain(r, u, t1, t2, feat_ptr, feat_idx, feat_lam, feat_cnt, count)
        delta += _diversity_gain(r, v, t2, t1, feat_ptr, feat_idx, feat_lam, feat_cnt, count)
        delta += _shared_values(u, v, feat_ptr, feat_idx, feat_lam, features)
        delta += keep[r, u, t2] - keep[r, u, t1] + keep[r, v, t1] - keep[r, v, t2]
        if not _accept(delta, temp, rng):
            continue
        if not _apart_ok(pos, r, apart_ptr, apart_idx, u, t2, v) or not _apart_ok(
            pos, r, apart_ptr, apart_idx, v, t1, u
        ):
            continue
        _count_meetings(pos, r, u, t1, t2, nbr_ptr, nbr_idx, once, mirror, meet)
        _reseat(
            r,
            u,
            t1,
            t2,
            pos,
            mem,
            nmem,
            slot,
            load,
            hcount,
            size,
            hosts,
            feat_ptr,
            feat_idx,
            feat_cnt,
            count,
        )
        _count_meetings(pos, r, v, t2, t1, nbr_ptr, nbr_idx, once, mirror, meet)
        _reseat(
            r,
            v,
            t2,
            t1,
            pos,
            mem,
            nmem,
            slot,
            load,
            hcount,
            size,
            hosts,
            feat_ptr,
            feat_idx,
            feat_cnt,
            count,
        )
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
