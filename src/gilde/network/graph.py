"""The network as a graph, in plain Python over igraph: colleagues, persons and organisations as
nodes; who knows whom, current jobs and links between organisations as edges. No Django here:
the loader (`gilde.network.loader`) fills `NetworkData` from the database, this module answers.

Node ids are stable positions: node 0 is the organisation itself (joined to every colleague, so
"the organisation" can be the start of a path), then colleagues, persons and organisations. A
person hidden from the asking member keeps their position but loses every edge (`hide`), so no
count, path or score can pass through or reach them."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import igraph as ig
import numpy as np

SELF, MEMBER, PERSON, ORGANISATION = 0, 1, 2, 3
# Edge kinds, by what the edge is made of.
E_SELF, E_KNOWS, E_PERSON_TIE, E_JOB, E_ORG_LINK = 0, 1, 2, 3, 4
# Strength (0–1) of edges that carry no measured strength of their own.
JOB_STRENGTH = 0.6
ORG_LINK_STRENGTH = 0.4
# A declared person↔person tie is second-hand knowledge: it counts for less than a colleague's
# measured tie of the same declared strength.
PERSON_TIE_FACTOR = 0.8
# Recency halves an edge's worth per year without contact, down to a floor.
RECENCY_HALF_LIFE_DAYS = 365.0
RECENCY_FLOOR = 0.25
# Warm introductions run through at most this many steps (organisation → colleague → … →
# target); beyond three intermediaries an introduction is not warm any more.
MAX_PATH_STEPS = 4


def recency(days: float | None) -> float:
    """How much of an edge's strength is still there `days` after the last contact."""
    if days is None or days < 0:
        return 1.0
    return max(RECENCY_FLOOR, 0.5 ** (days / RECENCY_HALF_LIFE_DAYS))


@dataclass
class NetworkData:
    """Everything the graph needs, as parallel lists (compact to cache and to pickle).
    `keys[i]` is the database id of node i within its kind; `edge_ref[e]` the id of the row the
    edge came from (tie, affiliation or organisation link; 0 for the organisation's own edges)."""

    kinds: list[int] = field(default_factory=lambda: [SELF])
    keys: list[int] = field(default_factory=lambda: [0])
    sources: list[int] = field(default_factory=list)
    targets: list[int] = field(default_factory=list)
    edge_kinds: list[int] = field(default_factory=list)
    strengths: list[float] = field(default_factory=list)  # 0–1
    ages: list[float] = field(default_factory=list)  # days since last contact; -1 unknown
    edge_refs: list[int] = field(default_factory=list)
    # What the figures are broken down by: a person's tier code, an organisation's sector, and
    # (node, stakeholder type id) pairs for both.
    tiers: list[str] = field(default_factory=lambda: [""])
    sectors: list[str] = field(default_factory=lambda: [""])
    type_nodes: list[int] = field(default_factory=list)
    type_ids: list[int] = field(default_factory=list)
    # Variety: a node's region (an organisation's or a person's city) and each edge's age in
    # days since the tie began (-1 unknown).
    regions: list[str] = field(default_factory=lambda: [""])
    since: list[float] = field(default_factory=list)

    def add_node(
        self, kind: int, key: int, *, tier: str = "", sector: str = "", region: str = ""
    ) -> int:
        self.kinds.append(kind)
        self.keys.append(key)
        self.tiers.append(tier)
        self.sectors.append(sector)
        self.regions.append(region)
        return len(self.kinds) - 1

    def add_edge(
        self,
        a: int,
        b: int,
        *,
        kind: int,
        strength: float,
        age: float | None = None,
        ref: int = 0,
        since: float | None = None,
    ) -> None:
        self.sources.append(a)
        self.targets.append(b)
        self.edge_kinds.append(kind)
        self.strengths.append(min(1.0, max(0.01, strength)))
        self.ages.append(-1.0 if age is None else age)
        self.edge_refs.append(ref)
        self.since.append(-1.0 if since is None else since)


@dataclass(frozen=True)
class Reach:
    """Who is reached in one and in two steps (node ids), and the colleagues it started from."""

    sources: tuple[int, ...]
    first: np.ndarray
    second: np.ndarray

    @property
    def efficiency(self) -> float:
        """New people reached in the second step per direct contact."""
        return len(self.second) / len(self.first) if len(self.first) else 0.0


@dataclass(frozen=True)
class Path:
    nodes: tuple[int, ...]
    edges: tuple[int, ...]
    score: float  # product of the steps' strength × recency, 0–1


class Network:
    """The graph of one `NetworkData`, with the lookups every question needs."""

    def __init__(self, data: NetworkData) -> None:
        self.data = data
        self.kinds = np.asarray(data.kinds, dtype=np.int8)
        self.keys = np.asarray(data.keys, dtype=np.int64)
        self.edge_kinds = np.asarray(data.edge_kinds, dtype=np.int8)
        self.edge_refs = np.asarray(data.edge_refs, dtype=np.int64)
        strengths = np.asarray(data.strengths, dtype=np.float64)
        ages = np.asarray(data.ages, dtype=np.float64)
        worth = strengths * np.where(
            ages < 0,
            1.0,
            np.maximum(RECENCY_FLOOR, 0.5 ** (np.maximum(ages, 0) / RECENCY_HALF_LIFE_DAYS)),
        )
        self.worth = worth
        self.strengths = strengths
        self.ages = ages
        # Both ends of every edge as arrays, for the questions that filter edges by their ends.
        self.ends_a = np.asarray(data.sources, dtype=np.int64)
        self.ends_b = np.asarray(data.targets, dtype=np.int64)
        edges = list(zip(data.sources, data.targets, strict=True))
        self.graph = ig.Graph(n=len(data.kinds), edges=edges, directed=False)
        self.graph.es["cost"] = (-np.log(worth)).tolist()
        self.graph.es["kind"] = data.edge_kinds
        self.graph.es["eid"] = list(range(len(edges)))
        knows = [i for i, k in enumerate(data.edge_kinds) if k in (E_KNOWS, E_PERSON_TIE)]
        # Reach counts people known, not everyone on a payroll: only "knows" edges.
        self.knows = self.graph.subgraph_edges(knows, delete_vertices=False)
        # The "knows" edges as a compressed adjacency (CSR) for the reach questions.
        ends_a = np.asarray(data.sources, dtype=np.int64)[knows]
        ends_b = np.asarray(data.targets, dtype=np.int64)[knows]
        tails = np.concatenate([ends_a, ends_b])
        heads = np.concatenate([ends_b, ends_a])
        order = np.argsort(tails, kind="stable")
        self._indices = heads[order]
        self._indptr = np.searchsorted(tails[order], np.arange(len(data.kinds) + 1))
        # How many colleagues know each node directly (overlap and concentration).
        knows_edges = [i for i, k in enumerate(data.edge_kinds) if k == E_KNOWS]
        known = [
            data.targets[e] if data.kinds[data.sources[e]] == MEMBER else data.sources[e]
            for e in knows_edges
        ]
        self.member_counts = np.bincount(
            np.asarray(known, dtype=np.int64), minlength=len(data.kinds)
        )
        self.tiers = np.asarray(data.tiers, dtype=object)
        self.regions = np.asarray(data.regions, dtype=object)
        self.since = np.asarray(data.since, dtype=np.float64)
        self.sectors = np.asarray(data.sectors, dtype=object)
        self.type_nodes = np.asarray(data.type_nodes, dtype=np.int64)
        self.type_ids = np.asarray(data.type_ids, dtype=np.int64)
        # Current jobs as (person, organisation) pairs, for what persons' employers say.
        jobs = self.edge_kinds == E_JOB
        a = np.asarray(data.sources, dtype=np.int64)[jobs]
        b = np.asarray(data.targets, dtype=np.int64)[jobs]
        person_first = self.kinds[a] == PERSON
        self.job_persons = np.where(person_first, a, b)
        self.job_orgs = np.where(person_first, b, a)
        self._kept: dict[str, Any] = {}
        self._index: dict[tuple[int, int], int] = {
            (int(k), int(key)): i
            for i, (k, key) in enumerate(zip(self.kinds, self.keys, strict=True))
        }

    # ---- nodes ------------------------------------------------------------------------------

    def node(self, kind: int, key: int) -> int | None:
        return self._index.get((kind, key))

    def nodes_of(self, kind: int) -> np.ndarray:
        return np.flatnonzero(self.kinds == kind)

    def hide(self, node_ids: Iterable[int]) -> Network:
        """The same network without any edge of the given nodes (persons hidden from a member)."""
        hidden = set(node_ids)
        if not hidden:
            return self
        keep = [
            e
            for e, (a, b) in enumerate(zip(self.data.sources, self.data.targets, strict=True))
            if a not in hidden and b not in hidden
        ]
        d = self.data
        return Network(
            NetworkData(
                kinds=d.kinds,
                keys=d.keys,
                tiers=d.tiers,
                sectors=d.sectors,
                type_nodes=d.type_nodes,
                type_ids=d.type_ids,
                regions=d.regions,
                since=[d.since[e] for e in keep],
                sources=[d.sources[e] for e in keep],
                targets=[d.targets[e] for e in keep],
                edge_kinds=[d.edge_kinds[e] for e in keep],
                strengths=[d.strengths[e] for e in keep],
                ages=[d.ages[e] for e in keep],
                edge_refs=[d.edge_refs[e] for e in keep],
            )
        )

    # ---- reach ------------------------------------------------------------------------------

    def reach(self, sources: Sequence[int], *, without: Iterable[int] = ()) -> Reach:
        """Persons reached from colleagues `sources` in one step (whom they know) and in two
        (whom those know), optionally as if the nodes in `without` did not exist."""
        removed = np.asarray(sorted(set(without)), dtype=np.int64)
        sources = tuple(int(s) for s in sources if s not in set(removed.tolist()))
        if not sources:
            empty = np.zeros(0, dtype=np.int64)
            return Reach(sources, empty, empty)
        first = self._persons_around(np.asarray(sources, dtype=np.int64))
        first = np.setdiff1d(first, removed, assume_unique=True)
        around = self._persons_around(first)
        second = np.setdiff1d(np.setdiff1d(around, first, assume_unique=True), removed)
        return Reach(sources, first, second)

    def _persons_around(self, nodes: np.ndarray) -> np.ndarray:
        """The persons adjacent to any of `nodes` by a "knows" edge, sorted: a vectorised walk
        over the compressed adjacency, so that a thousand colleagues cost one numpy pass."""
        if not len(nodes):
            return np.zeros(0, dtype=np.int64)
        starts = self._indptr[nodes]
        lengths = self._indptr[nodes + 1] - starts
        total = int(lengths.sum())
        if not total:
            return np.zeros(0, dtype=np.int64)
        offsets = np.repeat(starts - np.cumsum(lengths) + lengths, lengths) + np.arange(total)
        seen = np.zeros(len(self.kinds), dtype=bool)
        seen[self._indices[offsets]] = True
        seen &= self.kinds == PERSON
        return np.flatnonzero(seen)

    def employers(self, persons: np.ndarray) -> np.ndarray:
        """The organisation of every current job of these persons (one entry per job)."""
        return self.job_orgs[np.isin(self.job_persons, persons)]

    def organisations_of(self, persons: np.ndarray) -> np.ndarray:
        """The organisations where these persons currently work."""
        if not len(persons):
            return persons
        found = _union(self.graph.neighborhood(persons.tolist(), order=1, mindist=1))
        return found[self.kinds[found] == ORGANISATION] if len(found) else found

    # ---- paths ------------------------------------------------------------------------------

    def paths(self, source: int, target: int, *, k: int = 3) -> list[Path]:
        """The best `k` warm paths from `source` (the organisation, node 0, or a colleague) to
        `target`, best first: the highest product of strength × recency over at most
        MAX_PATH_STEPS steps. Colleagues appear only as the first step."""
        if source == target or self.graph.degree(target) == 0:
            return []
        # Every such path runs (organisation →) colleague → (at most MAX_PATH_STEPS - 2 nodes
        # within that many steps of the target) → target, so only that small piece of the graph
        # is searched, whatever the network's size.
        near = self.graph.neighborhood(target, order=MAX_PATH_STEPS - 2)
        starts = [0, *self.nodes_of(MEMBER).tolist()] if source == 0 else [source]
        keep = sorted({n for n in near if self.kinds[n] != MEMBER and n != 0} | set(starts))
        sub = self.graph.induced_subgraph(keep)
        position = {node: i for i, node in enumerate(keep)}
        found = _best_paths(
            sub,
            start=position[target],
            goal=position[source],
            gate=source == 0,
            members={position[m] for m in starts if m != 0},
            limit=MAX_PATH_STEPS,
            k=k,
        )
        result = []
        for cost, nodes, edges in found:
            original = tuple(keep[n] for n in reversed(nodes))
            result.append(Path(original, tuple(reversed(edges)), math.exp(-cost)))
        return result

    # ---- concentration and brokers -----------------------------------------------------------

    def knowers(self, person: int) -> list[int]:
        """The colleagues who know a person directly."""
        return [n for n in self.knows.neighbors(person) if self.kinds[n] == MEMBER]

    def second_colleague(self, person: int, known_by: int) -> tuple[int, float] | None:
        """The colleague other than `known_by` with the strongest path to `person` (through
        persons only), with that path's score; None when no other colleague reaches them."""
        best: tuple[int, float] | None = None
        for path in self.paths(0, person, k=4):
            first = path.nodes[1]
            if first != known_by and (best is None or path.score > best[1]):
                best = (first, path.score)
        return best

    def brokers(self, *, samples: int | None = None, seed: int = 7) -> dict[str, np.ndarray]:
        """Per node: degree, weighted degree (sum of edge worth), betweenness (exact, or from
        `samples` random sources) and Burt's constraint, on the "knows" graph."""
        g = self.knows
        worth = self.worth[
            [e for e, k in enumerate(self.edge_kinds) if k in (E_KNOWS, E_PERSON_TIE)]
        ]
        degree = np.asarray(g.degree(), dtype=np.float64)
        weighted = np.asarray(g.strength(weights=worth.tolist()), dtype=np.float64)
        n = g.vcount()
        if samples is None or samples >= n:
            betweenness = np.asarray(g.betweenness(directed=False), dtype=np.float64)
        else:
            betweenness = _sampled_betweenness(g, samples=samples, seed=seed)
        constraint = np.asarray(g.constraint(weights=worth.tolist()), dtype=np.float64)
        constraint = np.nan_to_num(constraint, nan=1.0)
        return {
            "degree": degree,
            "weighted_degree": weighted,
            "betweenness": betweenness,
            "constraint": constraint,
        }

    def measures(self, *, samples: int | None = None) -> dict[str, np.ndarray]:
        """`brokers`, computed once per network (per visible graph) and kept."""
        key = f"brokers-{samples}"
        if key not in self._kept:
            self._kept[key] = self.brokers(samples=samples)
        return self._kept[key]

    def communities(self, *, iterations: int = 10, seed: int = 7) -> tuple[list[int], float]:
        """Leiden communities (modularity) on the knows graph, at most `iterations` rounds: on a
        graph without community structure Leiden can otherwise run for minutes."""
        g = self.knows
        import random

        random.seed(seed)
        found = g.community_leiden(objective_function="modularity", n_iterations=iterations)
        return list(found.membership), float(g.modularity(found.membership))


def _best_paths(
    sub: ig.Graph, *, start: int, goal: int, gate: bool, members: set[int], limit: int, k: int
) -> list[tuple[float, list[int], list[int]]]:
    """The k cheapest simple paths of at most `limit` steps from `start` (the target) back to
    `goal`, by depth-first search with pruning on the k-th best cost (costs are never negative).
    With `gate` (the organisation as goal) a colleague must be the step just before the goal;
    colleagues are never passed through."""
    costs = sub.es["cost"]
    eids = sub.es["eid"]
    ends = sub.get_edgelist()
    incident = sub.get_inclist()
    best: list[tuple[float, list[int], list[int]]] = []

    def bound() -> float:
        return best[-1][0] if len(best) >= k else math.inf

    def walk(node: int, cost: float, nodes: list[int], edges: list[int]) -> None:
        if len(edges) >= limit:
            return
        for e in incident[node]:
            a, b = ends[e]
            nxt = b if a == node else a
            if gate and node in members and nxt != goal:
                continue  # from a colleague the only way on is to the organisation
            step = cost + costs[e]
            if step >= bound() or nxt in nodes:
                continue
            if nxt == goal:
                if gate and node not in members:
                    continue
                best.append((step, [*nodes, nxt], [*edges, eids[e]]))
                best.sort(key=lambda item: item[0])
                del best[k:]
                continue
            if nxt in members:
                if gate:
                    walk(nxt, step, [*nodes, nxt], [*edges, eids[e]])
                continue
            walk(nxt, step, [*nodes, nxt], [*edges, eids[e]])

    walk(start, 0.0, [start], [])
    return best


def _union(lists: list[list[int]]) -> np.ndarray:
    if not lists:
        return np.zeros(0, dtype=np.int64)
    return np.unique(np.fromiter((v for part in lists for v in part), dtype=np.int64))


def _sampled_betweenness(g: ig.Graph, *, samples: int, seed: int) -> np.ndarray:
    """Betweenness counted over the shortest paths from `samples` random sources only, scaled
    to the whole graph: an unbiased estimate whose relative error shrinks with 1/sqrt(samples)
    (see docs/network.md)."""
    rng = np.random.default_rng(seed)
    n = g.vcount()
    chosen = sorted(rng.choice(n, size=samples, replace=False).tolist())
    partial = np.asarray(g.betweenness(directed=False, sources=chosen), dtype=np.float64)
    return partial * (n / samples)
