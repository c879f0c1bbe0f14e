"""The objective, computed directly from the definition: the reference every solver is checked against."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from gilde.seating.model import Instance

IntArray = NDArray[np.int64]
FloatArray = NDArray[np.float64]


def attribute_codes(inst: Instance) -> list[tuple[float, IntArray]]:
    """Per diversity attribute: its weight and each guest's value as a code (-1 when empty)."""
    result = []
    for name, weight in inst.diversity:
        codes: dict[str, int] = {}
        column = np.full(inst.n_guests, -1, dtype=np.int64)
        for g, attrs in enumerate(inst.attributes):
            value = attrs.get(name, "")
            if value != "":
                column[g] = codes.setdefault(value, len(codes))
        result.append((weight, column))
    return result


def listed_values(inst: Instance) -> dict[tuple[int, int], float]:
    """The listed pair values keyed by (a, b) with a < b."""
    return inst.listed


def pair_weight(
    a: int,
    b: int,
    listed: dict[tuple[int, int], float],
    codes: list[tuple[float, IntArray]],
) -> float:
    """Combined value w of a pair: listed value minus the diversity weight of every shared attribute."""
    key = (a, b) if a < b else (b, a)
    w = listed.get(key, 0.0)
    for weight, column in codes:
        if column[a] >= 0 and column[a] == column[b]:
            w -= weight
    return w


@dataclass(frozen=True)
class Evaluation:
    """Objective of an assignment, each guest's seat value per round, and repeated good meetings
    (good pairs seated together again, not counting pairs within one group)."""

    objective: float
    seat_values: FloatArray  # shape (rounds, guests)
    repeated_positive_pairs: int
    # Saved seats (guest and round) whose guest sits at another table, and what they cost.
    moved: int = 0
    move_cost: float = 0.0


def moved_seats(inst: Instance, assignment: IntArray) -> int:
    """How many saved seats (guest and round) the assignment does not keep: a guest seated at
    another table than their saved one in that round (or not seated at all)."""
    if not inst.saved:
        return 0
    saved = np.array(inst.saved, dtype=np.int64).reshape(inst.rounds, inst.n_guests)
    rounds = min(assignment.shape[0], saved.shape[0])
    here = saved[:rounds]
    kept = (here >= 0) & (assignment[:rounds] == here)
    return int((saved >= 0).sum() - kept.sum())


def evaluate(inst: Instance, assignment: IntArray) -> Evaluation:
    """Compute the objective of assignment[r, g] = table index (or -1 when not seated).

    A pair with w > 0 counts in the first round it shares a table; a pair with w < 0 in every round.
    Every saved seat the assignment does not keep costs the instance's move penalty (not part of
    the seat values).
    """
    codes = attribute_codes(inst)
    seat = np.zeros((assignment.shape[0], inst.n_guests))
    met: set[tuple[int, int]] = set()
    repeats = 0
    total = 0.0
    for r in range(assignment.shape[0]):
        for members in tables_of(assignment[r], inst.n_tables):
            if len(members) < 2:
                continue
            # Every pair at the table with its combined value w, looked up at once.
            left, right = np.triu_indices(len(members), 1)
            ga = np.array(members, dtype=np.int64)[left]
            gb = np.array(members, dtype=np.int64)[right]
            weights = inst.pair_values(ga, gb)
            for weight, column in codes:
                weights = weights - weight * ((column[ga] >= 0) & (column[ga] == column[gb]))
            for a, b, w in zip(ga.tolist(), gb.tolist(), weights.tolist(), strict=True):
                if w > 0:
                    key = (a, b) if a < b else (b, a)
                    if key in met:
                        # A group always sits together: its own repeats are not avoidable.
                        if inst.groups[a] is None or inst.groups[a] != inst.groups[b]:
                            repeats += 1
                        continue
                    met.add(key)
                elif w == 0:
                    continue
                total += w
                seat[r, a] += w
                seat[r, b] += w
    moved = moved_seats(inst, assignment)
    cost = moved * inst.move_penalty
    return Evaluation(
        objective=total - cost,
        seat_values=seat,
        repeated_positive_pairs=repeats,
        moved=moved,
        move_cost=cost,
    )


def tables_of(row: IntArray, n_tables: int) -> list[list[int]]:
    """Guest indices seated at each table in one round."""
    members: list[list[int]] = [[] for _ in range(n_tables)]
    for g, t in enumerate(row.tolist()):
        if t >= 0:
            members[t].append(g)
    return members


def seat_reasons(
    inst: Instance, assignment: IntArray, guest: int, round_: int
) -> list[tuple[int, float]]:
    """Table-mates of a guest in one round with the value each pairing adds, best first.

    A good pair met in an earlier round adds nothing again, which is reported as 0.
    """
    listed = listed_values(inst)
    codes = attribute_codes(inst)
    table = int(assignment[round_, guest])
    if table < 0:
        return []
    reasons = []
    for mate in np.flatnonzero(assignment[round_] == table).tolist():
        if mate == guest:
            continue
        w = pair_weight(guest, mate, listed, codes)
        if w > 0 and any(assignment[r, guest] == assignment[r, mate] for r in range(round_)):
            w = 0.0
        reasons.append((mate, w))
    reasons.sort(key=lambda item: -item[1])
    return reasons
