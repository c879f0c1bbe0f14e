"""Reader of the MDGPLIB text format (maximally diverse grouping problem) into a seating instance.

The format: a first line `n m ss|ds L1 U1 L2 U2 ... Lm Um` (n elements, m groups, equal or
different group sizes, then the lower and upper size of each group), then one line `i j d_ij` per
pair of elements (numbered from 0; files numbered from 1 are recognised by their range). A group
becomes a table with `capacity` U and `min` L; an element becomes a guest; d_ij becomes the pair
value. Maximising the seating objective of a one-round plan is then the MDGP objective.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from gilde.seating.model import InstanceError


def read_mdgp(path: str | Path) -> dict[str, Any]:
    """Read an MDGPLIB file and return instance JSON data; InstanceError names the bad line."""
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
    except OSError as e:
        raise InstanceError(f"cannot read MDGP file {path}: {e.strerror}") from e
    except UnicodeDecodeError as e:
        raise InstanceError(f"MDGP file {path} is not a text file") from e
    return parse_mdgp(text, str(path))


def parse_mdgp(text: str, name: str = "MDGP file") -> dict[str, Any]:
    """Parse MDGPLIB text (see the module docstring) into instance JSON data."""
    lines = text.splitlines()
    first = next((k for k, line in enumerate(lines) if line.strip()), None)
    if first is None:
        raise InstanceError(f"{name} is empty")
    n, bounds = _header(lines[first].split(), f"{name} line {first + 1}")
    pairs: dict[tuple[int, int], tuple[float, int]] = {}
    for k in range(first + 1, len(lines)):
        fields = lines[k].split()
        if not fields:
            continue
        where = f"{name} line {k + 1}"
        if len(fields) != 3:
            raise InstanceError(f"{where}: expected 'i j d_ij', found {len(fields)} fields")
        i, j = _integer(fields[0], where, "i"), _integer(fields[1], where, "j")
        value = _number(fields[2], where)
        if i == j:
            raise InstanceError(f"{where}: pairs element {i} with itself")
        key = (min(i, j), max(i, j))
        if key in pairs:
            raise InstanceError(
                f"{where}: the pair {key[0]} {key[1]} was given before, on line {pairs[key][1]}"
            )
        pairs[key] = (value, k + 1)
    if not pairs and n > 1:
        raise InstanceError(f"{name} has no pair lines after its first line")
    low = min((a for a, _ in pairs), default=0)
    high = max((b for _, b in pairs), default=n - 1)
    # Elements are numbered from 0 in MDGPLIB; a file that uses 1..n is read as such.
    offset = 1 if low >= 1 and high == n else 0
    for (a, b), (_, line) in pairs.items():
        for x in (a, b):
            if not offset <= x < n + offset:
                raise InstanceError(
                    f"{name} line {line}: element {x} is outside 0..{n - 1} (n = {n})"
                )
    width = len(str(n - 1))
    guests = [{"id": f"e{i:0{width}d}"} for i in range(n)]
    gid = [g["id"] for g in guests]
    tables = []
    for t, (lo, hi) in enumerate(bounds):
        table: dict[str, Any] = {"id": f"g{t + 1}", "capacity": hi}
        if lo > 0:
            table["min"] = lo
        tables.append(table)
    return {
        "guests": guests,
        "tables": tables,
        "pairs": [
            {"a": gid[a - offset], "b": gid[b - offset], "value": _plain(v)}
            for (a, b), (v, _) in pairs.items()
            if v != 0
        ],
    }


def _header(fields: list[str], where: str) -> tuple[int, list[tuple[int, int]]]:
    if len(fields) < 3:
        raise InstanceError(f"{where}: expected 'n m ss|ds' and the group sizes")
    n = _integer(fields[0], where, "n")
    m = _integer(fields[1], where, "the number of groups")
    kind = fields[2].lower()
    if n < 2:
        raise InstanceError(f"{where}: n must be at least 2, not {n}")
    if m < 1:
        raise InstanceError(f"{where}: the number of groups must be at least 1, not {m}")
    if kind not in ("ss", "ds"):
        raise InstanceError(f"{where}: expected 'ss' or 'ds' after n and m, found {fields[2]!r}")
    sizes = fields[3:]
    if len(sizes) != 2 * m:
        raise InstanceError(
            f"{where}: {m} groups need {2 * m} sizes (lower and upper of each), found {len(sizes)}"
        )
    bounds = []
    for t in range(m):
        lo = _integer(sizes[2 * t], where, f"the lower size of group {t + 1}")
        hi = _integer(sizes[2 * t + 1], where, f"the upper size of group {t + 1}")
        if lo < 0 or hi < 1 or lo > hi:
            raise InstanceError(
                f"{where}: group {t + 1} has sizes {lo}..{hi}; need 0 <= lower <= upper, upper >= 1"
            )
        if kind == "ss" and lo != hi:
            raise InstanceError(f"{where}: 'ss' means equal sizes but group {t + 1} has {lo}..{hi}")
        bounds.append((lo, hi))
    if sum(lo for lo, _ in bounds) > n:
        raise InstanceError(
            f"{where}: the lower sizes add up to {sum(lo for lo, _ in bounds)}, more than n = {n}"
        )
    if sum(hi for _, hi in bounds) < n:
        raise InstanceError(
            f"{where}: the upper sizes add up to {sum(hi for _, hi in bounds)}, fewer than n = {n}"
        )
    return n, bounds


def _integer(text: str, where: str, what: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise InstanceError(f"{where}: {what} must be a whole number, not {text!r}") from None


def _number(text: str, where: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise InstanceError(f"{where}: d_ij must be a number, not {text!r}") from None
    if not math.isfinite(value):
        raise InstanceError(f"{where}: d_ij must be a finite number, not {text!r}")
    return value


def _plain(value: float) -> float | int:
    return int(value) if value.is_integer() else value
