"""Seating plans: the result type, its JSON form, and the checker that lists every broken rule."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from gilde.seating.model import Instance, validate_against_schema
from gilde.seating.objective import IntArray, evaluate


@dataclass(frozen=True)
class Plan:
    """A solver's answer: assignment[r, g] is the table index of guest g in round r."""

    assignment: IntArray
    objective: float
    feasible: bool
    violations: tuple[str, ...] = ()
    bound: float | None = None
    optimal: bool = False
    seconds: float = 0.0
    method: str = "heuristic"
    seed: int | None = None
    seat_values: np.ndarray | None = None
    repeated_positive_pairs: int = 0
    moved: int = 0
    move_cost: float = 0.0

    @property
    def gap(self) -> float | None:
        """Relative distance to the proven bound, or None when no bound is known."""
        if self.bound is None:
            return None
        return max(0.0, self.bound - self.objective) / max(1.0, abs(self.bound))


def plan_to_dict(inst: Instance, plan: Plan) -> dict[str, Any]:
    """The plan in the documented JSON format, with tables and guests by id."""
    rounds = []
    for r in range(plan.assignment.shape[0]):
        tables: dict[str, list[str]] = {tid: [] for tid in inst.table_ids}
        for g, t in enumerate(plan.assignment[r].tolist()):
            if t >= 0:
                tables[inst.table_ids[t]].append(inst.guest_ids[g])
        rounds.append({"tables": tables})
    seat_values = []
    if plan.seat_values is not None:
        for r in range(plan.seat_values.shape[0]):
            seat_values.append(
                {
                    gid: _number(v)
                    for gid, v in zip(inst.guest_ids, plan.seat_values[r].tolist(), strict=True)
                }
            )
    return {
        "rounds": rounds,
        "objective": _number(plan.objective),
        "bound": None if plan.bound is None else _number(plan.bound),
        "gap": None if plan.gap is None else round(plan.gap, 6),
        "optimal": plan.optimal,
        "feasible": plan.feasible,
        "violations": list(plan.violations),
        "seconds": round(plan.seconds, 3),
        "method": plan.method,
        "seed": plan.seed,
        "repeated_positive_pairs": plan.repeated_positive_pairs,
        "moved": plan.moved,
        "move_penalty": _number(plan.move_cost),
        "seat_values": seat_values,
    }


def _number(x: float) -> float:
    # Values are sums of the user's numbers; rounding hides float noise such as 2.9999999999.
    return round(float(x), 9) + 0.0


@dataclass(frozen=True)
class CheckResult:
    """What the checker found: the recomputed objective and every violated rule."""

    feasible: bool
    objective: float
    violations: tuple[str, ...]
    repeated_positive_pairs: int
    assignment: IntArray
    moved: int = 0
    move_cost: float = 0.0


def check_plan(inst: Instance, data: Any) -> CheckResult:
    """Recompute the objective of plan JSON data and list every rule it breaks."""
    validate_against_schema(data, "plan")
    violations: list[str] = []
    assignment = _read_assignment(inst, data, violations)
    violations.extend(rule_violations(inst, assignment))
    ev = evaluate(inst, assignment)
    return CheckResult(
        feasible=not violations,
        objective=ev.objective,
        violations=tuple(violations),
        repeated_positive_pairs=ev.repeated_positive_pairs,
        assignment=assignment,
        moved=ev.moved,
        move_cost=ev.move_cost,
    )


def _read_assignment(inst: Instance, data: dict[str, Any], violations: list[str]) -> IntArray:
    rounds = data["rounds"]
    if len(rounds) != inst.rounds:
        violations.append(f"the plan has {len(rounds)} rounds but the instance has {inst.rounds}")
    assignment = np.full((inst.rounds, inst.n_guests), -1, dtype=np.int64)
    for r, rnd in enumerate(rounds[: inst.rounds]):
        for tid, gids in rnd["tables"].items():
            if tid not in inst.table_index:
                violations.append(f"round {r + 1}: unknown table {tid!r}")
                continue
            t = inst.table_index[tid]
            for gid in gids:
                g = inst.guest_index.get(gid)
                if g is None:
                    violations.append(f"round {r + 1}: unknown guest {gid!r} at table {tid!r}")
                elif assignment[r, g] >= 0:
                    violations.append(f"round {r + 1}: guest {gid!r} is seated more than once")
                else:
                    assignment[r, g] = t
    return assignment


def rule_violations(inst: Instance, assignment: IntArray) -> list[str]:
    """Every hard rule the assignment breaks, one readable line each."""
    out: list[str] = []
    gid, tid = inst.guest_ids, inst.table_ids
    for r in range(assignment.shape[0]):
        row = assignment[r]
        where = f"round {r + 1}"
        for g in np.flatnonzero(row < 0).tolist():
            out.append(f"{where}: guest {gid[g]!r} has no seat")
        seated = row[row >= 0]
        load = np.bincount(seated, minlength=inst.n_tables)
        host_rows = row[(row >= 0) & np.array(inst.hosts, dtype=bool)]
        hosts = np.bincount(host_rows, minlength=inst.n_tables)
        for t in range(inst.n_tables):
            if load[t] > inst.capacities[t]:
                out.append(
                    f"{where}: table {tid[t]!r} seats {load[t]} guests but has {inst.capacities[t]} seats"
                )
            if inst.minimums and load[t] < inst.minimums[t]:
                out.append(
                    f"{where}: table {tid[t]!r} seats {load[t]} guests, fewer than its minimum {inst.minimums[t]}"
                )
            if hosts[t] < inst.host_min:
                out.append(
                    f"{where}: table {tid[t]!r} has {hosts[t]} hosts, fewer than {inst.host_min}"
                )
            if inst.host_max is not None and hosts[t] > inst.host_max:
                out.append(
                    f"{where}: table {tid[t]!r} has {hosts[t]} hosts, more than {inst.host_max}"
                )
        for members in inst.group_members:
            tables = {int(row[g]) for g in members if row[g] >= 0}
            if len(tables) > 1:
                out.append(
                    f"{where}: group {inst.groups[members[0]]!r} is split over {len(tables)} tables"
                )
        for a, b in inst.apart:
            if row[a] >= 0 and row[a] == row[b]:
                out.append(
                    f"{where}: guests {gid[a]!r} and {gid[b]!r} must sit apart but share table {tid[row[a]]!r}"
                )
        for g, t in enumerate(inst.fixed[r] if r < len(inst.fixed) else ()):
            if t >= 0 and row[g] >= 0 and row[g] != t:
                out.append(
                    f"{where}: guest {gid[g]!r} must sit at table {tid[t]!r}, not {tid[row[g]]!r}"
                )
    return out
