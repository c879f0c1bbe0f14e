"""Explaining infeasible instances: which hard rules clash."""

from __future__ import annotations

import numpy as np
from ortools.sat.python import cp_model

from gilde.seating.units import IntArray, Problem


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
    for r in range(p.rounds):
        fixed = p.fixed[r] >= 0
        load = np.bincount(p.fixed[r][fixed], p.size[fixed], p.n_tables)
        for t in np.flatnonzero(load > p.capacity).tolist():
            out.append(
                f"round {r + 1}: {int(load[t])} guests are fixed to table {inst.table_ids[t]!r},"
                f" which seats {int(p.capacity[t])}"
            )
    return out


def find_feasible_or_conflicts(
    p: Problem, r: int, *, time_limit: float, seed: int = 0
) -> tuple[IntArray | None, list[str]]:
    """Seat one round with CP-SAT ignoring values; if impossible, name a set of rules that clash.

    Every rule gets an assumption literal, so CP-SAT can report a small subset that cannot hold
    together.
    """
    inst = p.instance
    model = cp_model.CpModel()
    x = {
        (u, t): model.new_bool_var(f"x{u}_{t}") for u in range(p.n_units) for t in range(p.n_tables)
    }
    rules: dict[int, str] = {}
    literals: list[cp_model.IntVar] = []

    def rule(text: str) -> cp_model.IntVar:
        lit = model.new_bool_var(text)
        rules[lit.index] = text
        literals.append(lit)
        return lit

    for u in range(p.n_units):
        model.add_exactly_one(x[u, t] for t in range(p.n_tables))
        if p.fixed[r, u] >= 0:
            t = int(p.fixed[r, u])
            model.add(x[u, t] == 1).only_enforce_if(
                rule(f"{_unit_name(p, u)} is fixed to table {inst.table_ids[t]!r}")
            )
    has_host_rule = p.host_min > 0 or p.host_max < int(p.hosts.sum())
    for t in range(p.n_tables):
        tid = inst.table_ids[t]
        seated = sum(int(p.size[u]) * x[u, t] for u in range(p.n_units))
        model.add(seated <= int(p.capacity[t])).only_enforce_if(
            rule(f"table {tid!r} seats {int(p.capacity[t])}")
        )
        if has_host_rule:
            hosts = sum(int(p.hosts[u]) * x[u, t] for u in range(p.n_units) if p.hosts[u])
            model.add(hosts >= p.host_min).only_enforce_if(
                rule(f"table {tid!r} needs at least {p.host_min} hosts")
            )
            model.add(hosts <= p.host_max).only_enforce_if(
                rule(f"table {tid!r} takes at most {p.host_max} hosts")
            )
    for u in range(p.n_units):
        for v in p.apart_indices[p.apart_indptr[u] : p.apart_indptr[u + 1]].tolist():
            if u < v:
                lit = rule(f"{_unit_name(p, u)} and {_unit_name(p, v)} sit apart")
                for t in range(p.n_tables):
                    model.add_at_most_one([x[u, t], x[v, t]]).only_enforce_if(lit)
    model.add_assumptions(literals)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.01, time_limit)
    solver.parameters.num_workers = (
        1  # the infeasible-assumption core is only reported by one worker
    )
    solver.parameters.random_seed = seed
    status = solver.solve(model)
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        row = np.array(
            [next(t for t in range(p.n_tables) if solver.value(x[u, t])) for u in range(p.n_units)],
            dtype=np.int64,
        )
        return row, []
    if status == cp_model.INFEASIBLE:
        core = solver.sufficient_assumptions_for_infeasibility()
        clash = sorted(rules[i] for i in core if i in rules)
        return None, [
            f"round {r + 1}: these rules cannot all hold: "
            + "; ".join(clash or ["(all rules together)"])
        ]
    return None, [f"round {r + 1}: no plan meeting all rules was found within {time_limit:.0f} s"]


def _unit_name(p: Problem, u: int) -> str:
    inst = p.instance
    members = p.members[u]
    if len(members) == 1:
        return f"guest {inst.guest_ids[members[0]]!r}"
    return f"group {inst.groups[members[0]]!r}"
