"""Variety of a network: the mix of stakeholder types, sectors, regions and ages of the ties of
some colleagues, as diversity indices, the share of weak and strong ties, and the relations
unlike the rest. Plain Python over the graph's arrays, no Django.

Persons are counted once however many of the colleagues know them (types, sectors, regions);
ties are counted each (age, strength). A person's sector and region are those of their current
employer (the first job), a person's own city when the employer has none."""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass

import numpy as np

from .graph import E_KNOWS, MEMBER, PERSON, Network

UNKNOWN = ""  # a value not recorded (no type, no employer, no city)
# Tie age in years: the lower bound of each bucket.
AGE_BUCKETS = ((0, "0-1"), (1, "1-3"), (3, "3-10"), (10, "10+"))
WEAK_BELOW = 0.4  # tie strength 0–1: under 40 of 100 is weak
STRONG_FROM = 0.7
DIMENSIONS = ("type", "sector", "region", "age")


def shannon(counts: Counter[str]) -> float:
    """Shannon's diversity H = -Σ p·ln p over the known values (0: everyone alike)."""
    total = sum(n for value, n in counts.items() if value != UNKNOWN)
    if not total:
        return 0.0
    return -sum((n / total) * math.log(n / total) for v, n in counts.items() if v != UNKNOWN and n)


def blau(counts: Counter[str]) -> float:
    """Blau's index 1 - Σ p²: the chance that two ties picked at random differ (0–1)."""
    total = sum(n for value, n in counts.items() if value != UNKNOWN)
    if not total:
        return 0.0
    return 1.0 - sum((n / total) ** 2 for v, n in counts.items() if v != UNKNOWN)


@dataclass(frozen=True)
class Mix:
    counts: Counter[str]
    shannon: float
    blau: float

    @classmethod
    def of(cls, values: list[str]) -> Mix:
        counts = Counter(values)
        return cls(counts, round(shannon(counts), 4), round(blau(counts), 4))

    def share(self, value: str) -> float:
        total = sum(self.counts.values())
        return self.counts.get(value, 0) / total if total else 0.0


@dataclass(frozen=True)
class Variety:
    persons: int
    ties: int
    mixes: dict[str, Mix]  # per dimension in DIMENSIONS
    weak_share: float
    strong_share: float
    unlike: tuple[tuple[int, float], ...]  # (person node, how unlike the rest 0–1), most first


def _known_ties(net: Network) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Colleague, person and edge id of every colleague's tie (kept with the network)."""
    if "variety-ties" not in net._kept:
        edges = np.flatnonzero(net.edge_kinds == E_KNOWS)
        a = np.asarray(net.data.sources, dtype=np.int64)[edges]
        b = np.asarray(net.data.targets, dtype=np.int64)[edges]
        member_first = net.kinds[a] == MEMBER
        net._kept["variety-ties"] = (
            np.where(member_first, a, b),
            np.where(member_first, b, a),
            edges,
        )
    found: tuple[np.ndarray, np.ndarray, np.ndarray] = net._kept["variety-ties"]
    return found


def profiles(net: Network, persons: np.ndarray) -> dict[str, list[str]]:
    """Per person (in the order given): their first stakeholder type, sector and region."""
    first_job: dict[int, int] = {}
    chosen = np.isin(net.job_persons, persons)
    pairs = zip(net.job_persons[chosen].tolist(), net.job_orgs[chosen].tolist(), strict=True)
    for person, org in pairs:
        first_job.setdefault(person, org)
    types: dict[int, str] = {}
    chosen = np.isin(net.type_nodes, persons)
    typed = zip(net.type_nodes[chosen].tolist(), net.type_ids[chosen].tolist(), strict=True)
    for node, kind in typed:
        types.setdefault(node, str(kind))
    result: dict[str, list[str]] = {"type": [], "sector": [], "region": []}
    for p in persons.tolist():
        org = first_job.get(p)
        result["type"].append(types.get(p, UNKNOWN))
        result["sector"].append(str(net.sectors[org]) if org is not None else UNKNOWN)
        region = str(net.regions[org]) if org is not None else ""
        result["region"].append(region or str(net.regions[p]) or UNKNOWN)
    return result


def _age_bucket(days: float) -> str:
    if days < 0:
        return UNKNOWN
    years = days / 365.25
    label = AGE_BUCKETS[0][1]
    for start, name in AGE_BUCKETS:
        if years >= start:
            label = name
    return label


def variety_of(net: Network, colleagues: list[int], *, unlike: int = 10) -> Variety:
    """The variety of the ties of these colleagues (member nodes)."""
    tie_members, tie_persons, tie_edges = _known_ties(net)
    mine = np.isin(tie_members, np.asarray(colleagues, dtype=np.int64))
    mine &= net.kinds[tie_persons] == PERSON
    edges = tie_edges[mine]
    persons = np.unique(tie_persons[mine])
    found = profiles(net, persons)
    mixes = {name: Mix.of(values) for name, values in found.items()}
    mixes["age"] = Mix.of([_age_bucket(d) for d in net.since[edges].tolist()])
    strengths = net.strengths[edges]
    ties = len(edges)
    return Variety(
        persons=len(persons),
        ties=ties,
        mixes=mixes,
        weak_share=float(np.mean(strengths < WEAK_BELOW)) if ties else 0.0,
        strong_share=float(np.mean(strengths >= STRONG_FROM)) if ties else 0.0,
        unlike=_unlike(persons, found, mixes, unlike),
    )


def _unlike(
    persons: np.ndarray, found: dict[str, list[str]], mixes: dict[str, Mix], top: int
) -> tuple[tuple[int, float], ...]:
    """Persons whose type, sector and region are rare among these ties: per known value, one
    minus its share, averaged over what is known of them. Ties sort by node id."""
    scored = []
    for i, p in enumerate(persons.tolist()):
        parts = [
            1.0 - mixes[dim].share(found[dim][i])
            for dim in ("type", "sector", "region")
            if found[dim][i] != UNKNOWN
        ]
        if len(parts) >= 2:  # too little known to call anyone unusual
            scored.append((p, round(sum(parts) / len(parts), 4)))
    scored.sort(key=lambda item: (-item[1], item[0]))
    return tuple(scored[:top])
