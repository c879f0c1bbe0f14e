"""Realistic test instances: hosts, couples, conflicts, sectors and sparse "should meet" values."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

FIRST_NAMES = [
    "Anna",
    "Bram",
    "Carla",
    "Daan",
    "Eva",
    "Femke",
    "Gijs",
    "Hanna",
    "Iris",
    "Joost",
    "Kees",
    "Lotte",
    "Maarten",
    "Noor",
    "Otto",
    "Pien",
    "Quinten",
    "Roos",
    "Sven",
    "Tess",
    "Umut",
    "Vera",
    "Willem",
    "Yara",
    "Zeynep",
    "Ahmed",
    "Bas",
    "Chantal",
    "Dirk",
    "Esther",
]
LAST_NAMES = [
    "de Vries",
    "Jansen",
    "van den Berg",
    "Bakker",
    "Visser",
    "Smit",
    "Meijer",
    "de Boer",
    "Mulder",
    "de Groot",
    "Bos",
    "Vos",
    "Peters",
    "Hendriks",
    "van Leeuwen",
    "Dekker",
    "Brouwer",
    "de Wit",
    "Dijkstra",
    "Smits",
    "de Graaf",
    "van der Meer",
    "Kok",
    "Jacobs",
    "de Haan",
    "Vermeulen",
    "van Dijk",
    "Yilmaz",
    "El Amrani",
    "Koster",
]
SECTORS = [
    "overheid",
    "onderwijs",
    "zorg",
    "bouw",
    "energie",
    "financiele-dienstverlening",
    "ict",
    "logistiek",
    "media",
    "landbouw",
    "industrie",
    "juridisch",
]
STAKEHOLDER_TYPES = ("klant", "partner", "leverancier", "kennisinstelling", "pers", "overheid")


def generate_instance(
    guests: int,
    tables: int,
    rounds: int = 1,
    seed: int = 0,
    conflict_density: float = 0.05,
    group_share: float = 0.15,
) -> dict[str, Any]:
    """Make an instance as an event would: about one host per table, couples and small groups,
    conflict pairs (conflict_density per guest), a sector with diversity weight, and sparse values."""
    if guests < 1 or tables < 1:
        raise ValueError("guests and tables must be at least 1")
    rng = np.random.default_rng(seed)
    capacities = _capacities(guests, tables, rng)
    n_hosts = tables if guests >= 3 * tables else 0
    sector_p = rng.dirichlet(np.full(len(SECTORS), 1.5))
    sector = rng.choice(len(SECTORS), size=guests, p=sector_p)
    stype = rng.choice(len(STAKEHOLDER_TYPES), size=guests)
    groups = _groups(guests, n_hosts, group_share, rng)

    guest_list = []
    for g in range(guests):
        first = FIRST_NAMES[rng.integers(len(FIRST_NAMES))]
        last = LAST_NAMES[rng.integers(len(LAST_NAMES))]
        guest_list.append(
            {
                "id": f"g{g + 1}",
                "name": f"{first} {last}",
                "host": g < n_hosts,
                "group": groups[g],
                "table": None,
                "attributes": {
                    "sector": SECTORS[sector[g]],
                    "stakeholder_type": STAKEHOLDER_TYPES[stype[g]],
                },
            }
        )
    instance: dict[str, Any] = {
        "guests": guest_list,
        "tables": [
            {"id": f"t{t + 1}", "name": f"Tafel {t + 1}", "capacity": int(c)}
            for t, c in enumerate(capacities)
        ],
        "rounds": rounds,
        "pairs": _pairs(guests, n_hosts, sector, rng),
        "apart": _apart(guests, groups, conflict_density if tables > 1 else 0.0, rng),
        "diversity": [{"attribute": "sector", "weight": 2}],
    }
    if n_hosts:
        instance["hosts"] = {"min_per_table": 1, "max_per_table": 1}
    return instance


def _capacities(guests: int, tables: int, rng: np.random.Generator) -> list[int]:
    # Tables of 8 to 12 with about 5% spare seats; bigger tables only if the room demands it.
    target = max(guests, math.ceil(guests * 1.05))
    top = max(12, math.ceil(target / tables))
    caps = rng.integers(8, 13, size=tables).clip(max=top)
    while caps.sum() < target:
        small = np.flatnonzero(caps < top)
        caps[small[rng.integers(len(small))]] += 1
    while caps.sum() > target + tables:
        big = np.flatnonzero(caps > 1)
        caps[big[rng.integers(len(big))]] -= 1
    return [int(c) for c in caps]


def _groups(guests: int, n_hosts: int, share: float, rng: np.random.Generator) -> list[str | None]:
    groups: list[str | None] = [None] * guests
    g = n_hosts  # hosts are colleagues and come alone
    k = 0
    while g < guests:
        if rng.random() < share:
            size = int(rng.choice([2, 2, 2, 3, 4]))
            if g + size <= guests:
                k += 1
                for m in range(g, g + size):
                    groups[m] = f"group{k}"
                g += size
                continue
        g += 1
    return groups


def _pairs(
    guests: int, n_hosts: int, sector: np.ndarray, rng: np.random.Generator
) -> list[dict[str, Any]]:
    values: dict[tuple[int, int], int] = {}
    for g in range(guests):
        # A few people each guest should meet, more often in their own or a neighbouring sector.
        for _ in range(int(rng.integers(1, 5))):
            if rng.random() < 0.4:
                same = np.flatnonzero(np.abs(sector - sector[g]) <= 1)
                h = int(same[rng.integers(len(same))])
            else:
                h = int(rng.integers(guests))
            if h != g:
                values[(min(g, h), max(g, h))] = int(rng.integers(1, 11))
        if g < n_hosts:
            for h in rng.integers(n_hosts, guests, size=3).tolist():
                values[(g, int(h))] = int(rng.integers(5, 16))
    for _ in range(guests // 10):
        a, b = rng.integers(guests, size=2).tolist()
        if a != b:
            values[(min(a, b), max(a, b))] = -int(rng.integers(1, 6))
    return [
        {"a": f"g{a + 1}", "b": f"g{b + 1}", "value": v} for (a, b), v in sorted(values.items())
    ]


def _apart(
    guests: int, groups: list[str | None], density: float, rng: np.random.Generator
) -> list[list[str]]:
    seen: set[tuple[int, int]] = set()
    for _ in range(int(round(density * guests))):
        a, b = rng.integers(guests, size=2).tolist()
        if a != b and (groups[a] is None or groups[a] != groups[b]):
            seen.add((min(a, b), max(a, b)))
    return [[f"g{a + 1}", f"g{b + 1}"] for a, b in sorted(seen)]
