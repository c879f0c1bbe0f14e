"""Communities of the "knows" graph (Leiden, modularity) and the colleagues who bridge them.
Plain Python over igraph and numpy, no Django.

Only nodes with at least one "knows" edge take part: organisations and persons nobody knows
have no community. Because a person hidden from a member keeps their node but loses every edge
(`Network.hide`), the graph Leiden sees is then exactly the graph without them, with the same
nodes in the same order: the communities a member sees do not depend on what is hidden."""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass

import numpy as np

from .graph import MEMBER, PERSON, Network

# Leiden needs a cap: on a graph without community structure it can run for minutes.
LEIDEN_ITERATIONS = 10
SEED = 7


@dataclass(frozen=True)
class Community:
    number: int  # 1 is the largest
    nodes: np.ndarray  # node ids
    persons: int
    colleagues: int
    sectors: tuple[tuple[str, int], ...]  # (sector code, persons working in it), most first
    organisations: tuple[tuple[int, int], ...]  # (organisation node, persons working there)


@dataclass(frozen=True)
class Bridge:
    """A colleague whose contacts lie in several communities."""

    node: int
    home: int  # the community number the colleague belongs to, 0 when none
    communities: int  # communities they know two or more persons in
    participation: float  # 1 - sum of squared shares of their contacts per community (0–1)


@dataclass(frozen=True)
class Communities:
    membership: np.ndarray  # community number per node; 0 = none (no "knows" edge)
    modularity: float
    found: tuple[Community, ...]
    bridges: tuple[Bridge, ...]

    def of(self, node: int) -> int:
        return int(self.membership[node])


def communities_find(
    net: Network, *, iterations: int = LEIDEN_ITERATIONS, seed: int = SEED, top_orgs: int = 3
) -> Communities:
    """Leiden communities numbered by size (1 = largest), each described by the sectors and
    organisations its persons work at, and the colleagues who bridge communities."""
    g = net.knows
    active = np.flatnonzero(np.asarray(g.degree()) > 0)
    membership = np.zeros(len(net.kinds), dtype=np.int64)
    if not len(active):
        return Communities(membership, 0.0, (), ())
    sub = g.induced_subgraph(active.tolist())
    # python-igraph draws from Python's random module: seeded, the same graph gives the same
    # communities on every run and in every process.
    state = random.getstate()
    random.seed(seed)
    try:
        found = sub.community_leiden(objective_function="modularity", n_iterations=iterations)
    finally:
        random.setstate(state)
    raw = np.asarray(found.membership, dtype=np.int64)
    modularity = float(sub.modularity(raw.tolist()))
    # Number by size, ties by the first node: a numbering that does not depend on Leiden's.
    sizes = np.bincount(raw)
    first = np.full(len(sizes), len(raw), dtype=np.int64)
    np.minimum.at(first, raw, np.arange(len(raw)))
    order = np.lexsort((first, -sizes))
    number = np.empty(len(sizes), dtype=np.int64)
    number[order] = np.arange(1, len(sizes) + 1)
    membership[active] = number[raw]
    described = tuple(_describe(net, membership, n, top_orgs) for n in range(1, len(sizes) + 1))
    return Communities(membership, modularity, described, _bridges(net, membership))


def _describe(net: Network, membership: np.ndarray, number: int, top_orgs: int) -> Community:
    nodes = np.flatnonzero(membership == number)
    persons = nodes[net.kinds[nodes] == PERSON]
    orgs = net.employers(persons)
    sectors = Counter(s for s in net.sectors[orgs].tolist() if s)
    by_org = Counter(orgs.tolist())
    return Community(
        number=number,
        nodes=nodes,
        persons=len(persons),
        colleagues=int(np.sum(net.kinds[nodes] == MEMBER)),
        sectors=tuple(sectors.most_common(3)),
        organisations=tuple(by_org.most_common(top_orgs)),
    )


def _bridges(net: Network, membership: np.ndarray) -> tuple[Bridge, ...]:
    found = []
    for node in net.nodes_of(MEMBER).tolist():
        around = [n for n in net.knows.neighbors(node) if net.kinds[n] == PERSON]
        if not around:
            continue
        counts = Counter(membership[around].tolist())
        total = sum(counts.values())
        participation = 1.0 - sum((c / total) ** 2 for c in counts.values())
        several = sum(1 for c in counts.values() if c >= 2)
        found.append(Bridge(node, int(membership[node]), several, round(participation, 4)))
    found.sort(key=lambda b: (-b.participation, -b.communities, b.node))
    return tuple(found)
