"""The exact model on OR-Tools CP-SAT: optimum and bound for small events, clashing rules for infeasible ones."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from ortools.sat.python import cp_model

from gilde.seating.units import FloatArray, IntArray, Problem

# Full symmetry breaking between identical tables costs O(units^2 * tables) terms.
FULL_SYMMETRY_LIMIT = 60
# Up to this many units every pair gets a "same table" Boolean per round (the pair model).
PAIR_MODEL_UNITS = 40
# Up to this many units the pair model also gets the triangle inequalities.
TRIANGLE_UNITS = 32


@dataclass(frozen=True)
class ExactResult:
    """CP-SAT's best assignment (if any), its upper bound on the objective, and whether it is proven."""

    pos: IntArray | None
    bound: float | None
    optimal: bool
    infeasible: bool


def integer_scale(problem: Problem) -> int:
    """Smallest power of ten (up to 1000) that makes all values integers; CP-SAT needs integers."""
    values = np.concatenate(
        [problem.per_round, problem.once, problem.feature_weight, [problem.keep_total]]
    )
    for scale in (1, 10, 100, 1000):
        if np.allclose(values * scale, np.round(values * scale), atol=1e-9):
            return scale
    return 1000


def solve_exact(
    problem: Problem,
    *,
    time_limit: float,
    seed: int = 0,
    workers: int = 2,
    hint: IntArray | None = None,
) -> ExactResult:
    """Maximise the objective with CP-SAT within the time limit."""
    p = problem
    scale = integer_scale(p)
    model = cp_model.CpModel()
    x = _placement(model, p)
    objective: list[cp_model.LinearExprT] = []
    pair_model = p.n_units <= PAIR_MODEL_UNITS
    if pair_model:
        _same_table_terms(model, p, x, scale, objective)
    else:
        _pair_terms(model, p, x, scale, objective)
        _diversity_terms(model, p, x, scale, objective)
    if p.keeps:
        # Saved seats: a unit at its saved table saves the move penalty; the tables are then no
        # longer interchangeable, so their symmetry is not broken.
        for (r, u, t), var in x.items():
            saving = round(float(p.keep[r, u, t]) * scale)
            if saving:
                objective.append(saving * var)
    else:
        _break_symmetry(model, p, x)
    model.maximize(sum(objective))
    if hint is not None:
        hint = hint if p.keeps else canonical_tables(p, hint)
        for (r, u, t), var in x.items():
            model.add_hint(var, int(hint[r, u] == t))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.01, time_limit)
    solver.parameters.num_workers = workers
    solver.parameters.random_seed = seed
    if pair_model:
        # Lowering the bound by unsatisfiable cores proves small events much faster than the LP;
        # a single worker gives that search the whole CPU instead of sharing it with LP search.
        solver.parameters.optimize_with_core = True
        solver.parameters.num_workers = 1
    status = solver.solve(model)
    if status == cp_model.INFEASIBLE:
        return ExactResult(None, None, False, True)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return ExactResult(None, None, False, False)
    pos = np.full((p.rounds, p.n_units), -1, dtype=np.int64)
    for (r, u, t), var in x.items():
        if solver.value(var):
            pos[r, u] = t
    # The unit-level constant (pairs inside groups, and the diversity inside them) is outside the model.
    inside = 0.0 if pair_model else _inside_diversity(p)
    bound = solver.best_objective_bound / scale + p.constant + inside - p.keep_total
    return ExactResult(pos, bound, status == cp_model.OPTIMAL, False)


def _placement(model: cp_model.CpModel, p: Problem) -> dict[tuple[int, int, int], cp_model.IntVar]:
    """x[r, u, t] with one table per unit and round, capacity, host and apart rules."""
    x: dict[tuple[int, int, int], cp_model.IntVar] = {}
    for r in range(p.rounds):
        for u in range(p.n_units):
            fixed = int(p.fixed[r, u])
            tables = [fixed] if fixed >= 0 else range(p.n_tables)
            for t in tables:
                x[r, u, t] = model.new_bool_var(f"x{r}_{u}_{t}")
            model.add_exactly_one(x[r, u, t] for t in tables)
        for t in range(p.n_tables):
            here = [u for u in range(p.n_units) if (r, u, t) in x]
            seated = sum(int(p.size[u]) * x[r, u, t] for u in here)
            model.add(seated <= int(p.capacity[t]))
            if p.minimum[t] > 0:
                model.add(seated >= int(p.minimum[t]))
            hosts = [u for u in here if p.hosts[u]]
            if p.host_min > 0 or p.host_max < int(p.hosts.sum()):
                count = sum(int(p.hosts[u]) * x[r, u, t] for u in hosts)
                model.add(count >= p.host_min)
                model.add(count <= p.host_max)
        for u in range(p.n_units):
            for v in p.apart_indices[p.apart_indptr[u] : p.apart_indptr[u + 1]].tolist():
                if u < v:
                    for t in range(p.n_tables):
                        if (r, u, t) in x and (r, v, t) in x:
                            model.add_at_most_one([x[r, u, t], x[r, v, t]])
    return x


def pair_weights(p: Problem) -> tuple[FloatArray, FloatArray]:
    """Dense unit x unit values: what a pair adds in every round it shares a table (listed value
    and diversity), and the once-only part of a good pair."""
    every = -((p.features * p.feature_weight) @ p.features.T)
    once = np.zeros_like(every)
    rows = np.repeat(np.arange(p.n_units), np.diff(p.indptr))
    np.add.at(every, (rows, p.indices), p.per_round)
    np.add.at(once, (rows, p.indices), p.once)
    return every, once


def _same_table_terms(
    model: cp_model.CpModel,
    p: Problem,
    x: dict[tuple[int, int, int], cp_model.IntVar],
    scale: int,
    objective: list[cp_model.LinearExprT],
) -> None:
    """The pair model for small events: s[r, u, v] is true exactly when u and v share a table in
    round r. Diversity becomes a pair value, the triangle inequalities make "same table" transitive
    in the LP as well, and each unit's table-mates are limited by the seats of its own table."""
    every, once = pair_weights(p)
    n = p.n_units
    same_by_round: list[dict[tuple[int, int], cp_model.IntVar]] = []
    for r in range(p.rounds):
        s: dict[tuple[int, int], cp_model.IntVar] = {}
        same_by_round.append(s)
        for u in range(n):
            for v in range(u + 1, n):
                same = model.new_bool_var(f"s{r}_{u}_{v}")
                s[u, v] = s[v, u] = same
                for t in range(p.n_tables):
                    xu, xv = x.get((r, u, t)), x.get((r, v, t))
                    if xu is not None and xv is not None:
                        model.add_bool_or([xu.Not(), xv.Not(), same])
                        model.add_bool_or([same.Not(), xu.Not(), xv])
                        model.add_bool_or([same.Not(), xu, xv.Not()])
                    elif xu is not None:
                        model.add_implication(xu, same.Not())
                    elif xv is not None:
                        model.add_implication(xv, same.Not())
                value = every[u, v] + (once[u, v] if p.rounds == 1 else 0.0)
                if round(value * scale):
                    objective.append(round(value * scale) * same)
        if n <= TRIANGLE_UNITS and p.n_tables > 2:
            for a in range(n):
                for b in range(a + 1, n):
                    for c in range(b + 1, n):
                        ab, bc, ac = s[a, b], s[b, c], s[a, c]
                        model.add(ab + bc - ac <= 1)
                        model.add(ab - bc + ac <= 1)
                        model.add(-ab + bc + ac <= 1)
        for u in range(n):
            seats = sum(
                (int(p.capacity[t]) - int(p.size[u])) * x[r, u, t]
                for t in range(p.n_tables)
                if (r, u, t) in x
            )
            model.add(sum(int(p.size[v]) * s[u, v] for v in range(n) if v != u) <= seats)
    if p.rounds > 1:
        for u in range(n):
            for v in range(u + 1, n):
                if round(float(once[u, v]) * scale) > 0:
                    # A good pair's once-only value needs a meeting in some round.
                    met = model.new_bool_var(f"met_{u}_{v}")
                    model.add_bool_or([met.Not()] + [same[u, v] for same in same_by_round])
                    objective.append(round(float(once[u, v]) * scale) * met)


def _pair_terms(
    model: cp_model.CpModel,
    p: Problem,
    x: dict[tuple[int, int, int], cp_model.IntVar],
    scale: int,
    objective: list[cp_model.LinearExprT],
) -> None:
    """Listed values per round, and the once-only value of a good pair through a 'met' variable."""
    mates: list[dict[int, list[tuple[int, cp_model.IntVar]]]] = [{} for _ in range(p.rounds)]
    for e in np.flatnonzero(
        np.repeat(np.arange(p.n_units), np.diff(p.indptr)) < p.indices
    ).tolist():
        u = int(np.searchsorted(p.indptr, e, side="right") - 1)
        v = int(p.indices[e])
        per_round = round(float(p.per_round[e]) * scale)
        once = round(float(p.once[e]) * scale)
        if per_round == 0 and once == 0:
            continue
        together = []
        for r in range(p.rounds):
            y = model.new_bool_var(f"y{r}_{u}_{v}")
            for t in range(p.n_tables):
                xu = x.get((r, u, t))
                xv = x.get((r, v, t))
                if per_round > 0 or once > 0:
                    # y may only be true when they share table t: y and u at t imply v at t.
                    if xu is not None:
                        model.add_bool_or([y.Not(), xu.Not()] + ([xv] if xv is not None else []))
                    if xv is not None:
                        model.add_bool_or([y.Not(), xv.Not()] + ([xu] if xu is not None else []))
                if per_round < 0 and xu is not None and xv is not None:
                    model.add_bool_or([xu.Not(), xv.Not(), y])
            together.append(y)
            mates[r].setdefault(u, []).append((v, y))
            mates[r].setdefault(v, []).append((u, y))
            if per_round:
                objective.append(per_round * y)
        if once > 0:
            met = model.new_bool_var(f"met_{u}_{v}")
            model.add_bool_or([met.Not(), *together])
            objective.append(once * met)
    # A unit has no more table-mates than the largest table leaves room for: a cut that keeps the
    # relaxation from seating everyone with everyone they value.
    room = int(p.capacity.max())
    for r in range(p.rounds):
        for u, pairs in mates[r].items():
            if sum(int(p.size[v]) for v, _ in pairs) > room - int(p.size[u]):
                model.add(sum(int(p.size[v]) * y for v, y in pairs) <= room - int(p.size[u]))


def _diversity_terms(
    model: cp_model.CpModel,
    p: Problem,
    x: dict[tuple[int, int, int], cp_model.IntVar],
    scale: int,
    objective: list[cp_model.LinearExprT],
) -> None:
    """Each pair at a table sharing a value costs its weight: with n such guests, C(n, 2) pairs."""
    for f in range(p.features.shape[1]):
        weight = round(float(p.feature_weight[f]) * scale)
        holders = np.flatnonzero(p.features[:, f]).tolist()
        total = int(p.features[:, f].sum())
        for r in range(p.rounds):
            for t in range(p.n_tables):
                terms = [int(p.features[u, f]) * x[r, u, t] for u in holders if (r, u, t) in x]
                if not terms:
                    continue
                top = min(total, int(p.capacity[t]))
                # n = sum of steps; step k costs (k - 1). The costs rise, so the solver fills the
                # steps in order and the total is exactly C(n, 2).
                steps = [model.new_bool_var(f"n{r}_{t}_{f}_{k}") for k in range(1, top + 1)]
                model.add(sum(steps) == sum(terms))
                for k in range(1, len(steps)):
                    model.add_implication(steps[k], steps[k - 1])
                objective.append(-weight * sum(k * s for k, s in enumerate(steps)))


def _inside_diversity(p: Problem) -> float:
    # C(n, 2) per table counts pairs inside a unit too, which the constant already holds.
    inside = p.features * (p.features - 1) / 2
    return p.rounds * float(inside.sum(axis=0) @ p.feature_weight) if p.features.shape[1] else 0.0


def _break_symmetry(
    model: cp_model.CpModel, p: Problem, x: dict[tuple[int, int, int], cp_model.IntVar]
) -> None:
    """Identical tables are interchangeable in each round: number them by their first unit."""
    for r in range(p.rounds):
        used = set(p.fixed[r][p.fixed[r] >= 0].tolist())
        classes: dict[tuple[int, int], list[int]] = {}
        for t in range(p.n_tables):
            if t not in used:
                classes.setdefault((int(p.capacity[t]), int(p.minimum[t])), []).append(t)
        free = [u for u in range(p.n_units) if p.fixed[r, u] < 0]
        for tables in classes.values():
            if len(tables) < 2:
                continue
            for i, u in enumerate(free):
                for j in range(i + 1, len(tables)):
                    # Unit number i can only open the (i+1)-th table of the class, not a later one.
                    model.add(x[r, u, tables[j]] == 0)
                if len(free) <= FULL_SYMMETRY_LIMIT:
                    for j in range(1, min(i + 1, len(tables))):
                        earlier = [x[r, w, tables[j - 1]] for w in free[:i]]
                        model.add(x[r, u, tables[j]] <= sum(earlier))


def scaled_gap(bound: float | None, objective: float) -> float | None:
    """Relative gap between a bound and an objective, or None without a bound."""
    if bound is None or not math.isfinite(bound):
        return None
    return max(0.0, bound - objective) / max(1.0, abs(bound))


def canonical_tables(p: Problem, pos: IntArray) -> IntArray:
    """Relabel identical tables in order of their first unit, the form the symmetry rules allow."""
    out = pos.copy()
    for r in range(p.rounds):
        used = set(p.fixed[r][p.fixed[r] >= 0].tolist())
        classes: dict[tuple[int, int], list[int]] = {}
        for t in range(p.n_tables):
            if t not in used:
                classes.setdefault((int(p.capacity[t]), int(p.minimum[t])), []).append(t)
        free = [u for u in range(p.n_units) if p.fixed[r, u] < 0]
        for tables in classes.values():
            members = set(tables)
            order: list[int] = []
            for u in free:
                t = int(pos[r, u])
                if t in members and t not in order:
                    order.append(t)
            order += [t for t in tables if t not in order]
            relabel = dict(zip(order, tables, strict=True))
            for u in free:
                if int(pos[r, u]) in relabel:
                    out[r, u] = relabel[int(pos[r, u])]
    return out
