"""Explaining infeasible instances: which hard rules clash."""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
from ortools.sat.python import cp_model

from gilde.seating.units import IntArray, Problem
from gilde.seating.units import counting_conflicts as counting_conflicts


@dataclass(frozen=True)
class Rule:
    """One hard rule of one round, as the clash report names it.

    kind is "fixed" (unit a at table t), "seats" (table t), "hosts_min" / "hosts_max" (table t) or
    "apart" (units a and b).
    """

    kind: str
    text: str
    a: int = -1
    b: int = -1
    t: int = -1


def round_rules(p: Problem, r: int) -> list[Rule]:
    """Every hard rule of round r (a unit sitting at exactly one table is not a rule but the model)."""
    inst = p.instance
    rules = []
    for u in range(p.n_units):
        if p.fixed[r, u] >= 0:
            t = int(p.fixed[r, u])
            rules.append(
                Rule(
                    "fixed", f"{_unit_name(p, u)} is fixed to table {inst.table_ids[t]!r}", a=u, t=t
                )
            )
    has_host_rule = p.host_min > 0 or p.host_max < int(p.hosts.sum())
    for t in range(p.n_tables):
        tid = inst.table_ids[t]
        seats = f"table {tid!r} seats {int(p.capacity[t])}"
        if p.minimum[t] > 0:
            seats += f" and at least {int(p.minimum[t])}"
        rules.append(Rule("seats", seats, t=t))
        if has_host_rule:
            rules.append(Rule("hosts_min", f"table {tid!r} needs at least {p.host_min} hosts", t=t))
            rules.append(Rule("hosts_max", f"table {tid!r} takes at most {p.host_max} hosts", t=t))
    for u in range(p.n_units):
        for v in p.apart_indices[p.apart_indptr[u] : p.apart_indptr[u + 1]].tolist():
            if u < v:
                text = f"{_unit_name(p, u)} and {_unit_name(p, v)} sit apart"
                rules.append(Rule("apart", text, a=u, b=v))
    return rules


def _rule_model(
    p: Problem, rules: list[Rule]
) -> tuple[cp_model.CpModel, dict[tuple[int, int], cp_model.IntVar], list[cp_model.IntVar]]:
    """One round's placement with each rule enforced by its own literal (in the order of rules)."""
    model = cp_model.CpModel()
    x = {
        (u, t): model.new_bool_var(f"x{u}_{t}") for u in range(p.n_units) for t in range(p.n_tables)
    }
    for u in range(p.n_units):
        model.add_exactly_one(x[u, t] for t in range(p.n_tables))
    literals = []
    for k, rule in enumerate(rules):
        lit = model.new_bool_var(f"rule{k}")
        literals.append(lit)
        t = rule.t
        if rule.kind == "fixed":
            model.add(x[rule.a, t] == 1).only_enforce_if(lit)
        elif rule.kind == "seats":
            seated = sum(int(p.size[u]) * x[u, t] for u in range(p.n_units))
            model.add(seated <= int(p.capacity[t])).only_enforce_if(lit)
            if p.minimum[t] > 0:
                model.add(seated >= int(p.minimum[t])).only_enforce_if(lit)
        elif rule.kind in ("hosts_min", "hosts_max"):
            hosts = sum(int(p.hosts[u]) * x[u, t] for u in range(p.n_units) if p.hosts[u])
            if rule.kind == "hosts_min":
                model.add(hosts >= p.host_min).only_enforce_if(lit)
            else:
                model.add(hosts <= p.host_max).only_enforce_if(lit)
        else:
            for t2 in range(p.n_tables):
                model.add_at_most_one([x[rule.a, t2], x[rule.b, t2]]).only_enforce_if(lit)
    return model, x, literals


def _solve_rules(
    p: Problem, rules: list[Rule], time_limit: float, seed: int, assume: bool
) -> tuple[
    cp_model.CpSolverStatus,
    cp_model.CpSolver,
    dict[tuple[int, int], cp_model.IntVar],
    list[cp_model.IntVar],
]:
    model, x, literals = _rule_model(p, rules)
    if assume:
        model.add_assumptions(literals)
    else:
        for lit in literals:
            model.add(lit == 1)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.01, time_limit)
    # The infeasible-assumption core is only reported by a single worker.
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = seed
    return solver.solve(model), solver, x, literals


def rules_clash(p: Problem, rules: list[Rule], *, time_limit: float = 10.0) -> bool | None:
    """True if CP-SAT proves that these rules alone cannot all hold in one round, False if it finds
    a seating that meets them, None if it cannot tell within the time limit."""
    status, _, _, _ = _solve_rules(p, rules, time_limit, 0, assume=False)
    if status == cp_model.INFEASIBLE:
        return True
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return False
    return None


def find_seating_or_core(
    p: Problem, r: int, *, time_limit: float, seed: int = 0
) -> tuple[IntArray | None, list[Rule] | None]:
    """Seat round r with CP-SAT ignoring values; if that is impossible, return a minimal set of
    rules that cannot all hold (every rule in it is needed for the clash), checked by CP-SAT.

    Returns (row, None) for a seating, (None, core) for a proven clash, (None, None) if CP-SAT could
    not decide within the time limit.
    """
    started = time.perf_counter()
    rules = round_rules(p, r)
    status, solver, x, literals = _solve_rules(p, rules, time_limit, seed, assume=True)
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        row = np.array(
            [next(t for t in range(p.n_tables) if solver.value(x[u, t])) for u in range(p.n_units)],
            dtype=np.int64,
        )
        return row, None
    if status != cp_model.INFEASIBLE:
        return None, None
    by_index = {lit.index: k for k, lit in enumerate(literals)}
    core = [rules[by_index[i]] for i in solver.sufficient_assumptions_for_infeasibility()]
    if not core or rules_clash(p, core, time_limit=time_limit) is not True:
        core = rules  # the core did not check out on its own: fall back to all rules
    # Drop every rule without which the rest still clash, so each named rule matters.
    k = 0
    while k < len(core):
        left = time_limit - (time.perf_counter() - started)
        if left <= 0:
            break
        rest = core[:k] + core[k + 1 :]
        if rest and rules_clash(p, rest, time_limit=left) is True:
            core = rest
        else:
            k += 1
    return None, core


def find_feasible_or_conflicts(
    p: Problem, r: int, *, time_limit: float, seed: int = 0
) -> tuple[IntArray | None, list[str]]:
    """Seat one round with CP-SAT ignoring values; if impossible, name the rules that clash."""
    row, core = find_seating_or_core(p, r, time_limit=time_limit, seed=seed)
    if row is not None:
        return row, []
    if core is None:
        return None, [
            f"round {r + 1}: no plan meeting all rules was found within {time_limit:.0f} s"
        ]
    return None, [
        f"round {r + 1}: these rules cannot all hold: " + "; ".join(sorted(c.text for c in core))
    ]


def _unit_name(p: Problem, u: int) -> str:
    inst = p.instance
    members = p.members[u]
    if len(members) == 1:
        return f"guest {inst.guest_ids[members[0]]!r}"
    return f"group {inst.groups[members[0]]!r}"
