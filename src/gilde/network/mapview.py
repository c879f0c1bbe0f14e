"""The piece of the network the map draws: an ego network, a community or the paths to a
target, filtered, bounded to a few thousand nodes and laid out. Plain Python over igraph and
numpy, no Django.

The map never draws the whole network: at the large size that is a hundred thousand nodes, which
no browser lays out or reads. Filters are applied before the bound, so the nodes dropped are the
ones the filters do not ask for; what is left beyond the bound is dropped farthest and weakest
first, and the map says so."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field

import igraph as ig
import numpy as np

from .graph import E_KNOWS, E_PERSON_TIE, E_SELF, MEMBER, ORGANISATION, PERSON, Network

MAP_LIMIT = 2000  # nodes at most
LAYOUT_GRID_FROM = 500  # nodes


@dataclass(frozen=True)
class MapFilters:
    tiers: frozenset[str] = frozenset()  # persons of these tiers only (empty: all)
    types: frozenset[int] = frozenset()  # persons and organisations of these stakeholder types
    sectors: frozenset[str] = frozenset()  # organisations (and persons working there) in these
    min_strength: float = 0.0  # "knows" edges at least this strong (0–1)


@dataclass(frozen=True)
class MapGraph:
    nodes: np.ndarray  # node ids
    edges: np.ndarray  # edge ids between them
    positions: np.ndarray  # (n, 2), roughly within -1..1
    distance: np.ndarray  # steps from the centre per node (0 for a community or path view)
    truncated: bool  # more nodes matched than the bound let through
    centre: tuple[int, ...] = field(default_factory=tuple)


def _node_filter(net: Network, nodes: np.ndarray, filters: MapFilters) -> np.ndarray:
    """Which of `nodes` the filters let through (colleagues always)."""
    keep = np.ones(len(nodes), dtype=bool)
    kinds = net.kinds[nodes]
    if filters.tiers:
        keep &= (kinds != PERSON) | np.isin(net.tiers[nodes], list(filters.tiers))
    if filters.types:
        typed = net.type_nodes[np.isin(net.type_ids, list(filters.types))]
        keep &= (kinds == MEMBER) | np.isin(nodes, typed)
    if filters.sectors:
        in_sector = np.isin(net.sectors[net.job_orgs], list(filters.sectors))
        working = net.job_persons[in_sector]
        ok_org = (kinds == ORGANISATION) & np.isin(net.sectors[nodes], list(filters.sectors))
        ok_person = (kinds == PERSON) & np.isin(nodes, working)
        keep &= (kinds == MEMBER) | ok_org | ok_person
    return keep


def _edges_among(net: Network, nodes: np.ndarray, filters: MapFilters) -> np.ndarray:
    inside = np.zeros(len(net.kinds), dtype=bool)
    inside[nodes] = True
    ok = inside[net.ends_a] & inside[net.ends_b] & (net.edge_kinds != E_SELF)
    if filters.min_strength > 0:
        knows = (net.edge_kinds == E_KNOWS) | (net.edge_kinds == E_PERSON_TIE)
        ok &= ~knows | (net.strengths >= filters.min_strength)
    return np.flatnonzero(ok)


def map_subgraph(
    net: Network,
    *,
    centre: Sequence[int] = (),
    nodes: Sequence[int] | None = None,
    radius: int = 1,
    filters: MapFilters | None = None,
    limit: int = MAP_LIMIT,
    layout_seed: int = 7,
) -> MapGraph:
    """The ego network of `centre` (within `radius` steps), or the given `nodes` (a community,
    the paths to a target), filtered, bounded to `limit` nodes and laid out."""
    filters = filters or MapFilters()
    centre = tuple(int(c) for c in centre)
    distance_of: dict[int, int] = {}
    if nodes is None:
        g = _without_organisation(net)
        distance_of.update(dict.fromkeys(centre, 0))
        for d in range(1, radius + 1):
            for around in g.neighborhood(list(centre), order=d, mindist=d) if centre else []:
                for n in around:
                    distance_of.setdefault(n, d)
        chosen = np.asarray(sorted(n for n in distance_of if n != 0), dtype=np.int64)
    else:
        chosen = np.asarray(sorted({int(n) for n in nodes if n != 0}), dtype=np.int64)
    if not len(chosen):
        empty = np.zeros(0, dtype=np.int64)
        return MapGraph(empty, empty, np.zeros((0, 2)), empty, False, centre)
    keep = _node_filter(net, chosen, filters) | np.isin(chosen, list(centre))
    chosen = chosen[keep]
    truncated = len(chosen) > limit
    if truncated:
        degree = np.asarray(net.graph.degree(chosen.tolist()), dtype=np.float64)
        distance = np.asarray([distance_of.get(int(n), 0) for n in chosen])
        order = np.lexsort((-degree, distance))  # nearest first, then best connected
        chosen = np.sort(chosen[order[:limit]])
    edges = _edges_among(net, chosen, filters)
    # Drop what the strength filter left unconnected (the centre stays).
    ends = np.concatenate([net.ends_a[edges], net.ends_b[edges]])
    linked = np.isin(chosen, ends) | np.isin(chosen, list(centre))
    chosen = chosen[linked]
    distance = np.asarray([distance_of.get(int(n), 0) for n in chosen], dtype=np.int64)
    return MapGraph(
        chosen, edges, _layout(net, chosen, edges, seed=layout_seed), distance, truncated, centre
    )


def _without_organisation(net: Network) -> ig.Graph:
    """The graph without the organisation's own edges to every colleague (kept with the
    network): two steps from a colleague are their contacts' contacts, not all colleagues."""
    if "map-graph" not in net._kept:
        edges = np.flatnonzero(net.edge_kinds != E_SELF).tolist()
        net._kept["map-graph"] = net.graph.subgraph_edges(edges, delete_vertices=False)
    found: ig.Graph = net._kept["map-graph"]
    return found


def _layout(net: Network, nodes: np.ndarray, edges: np.ndarray, *, seed: int) -> np.ndarray:
    """Force-directed positions (Fruchterman–Reingold), scaled into -1..1. Above a few hundred
    nodes on a grid with fewer rounds: 2,000 nodes then take a tenth of a second instead of
    seconds, and the picture is as readable."""
    if not len(nodes):
        return np.zeros((0, 2))
    position = {int(n): i for i, n in enumerate(nodes.tolist())}
    pairs = [(position[net.data.sources[e]], position[net.data.targets[e]]) for e in edges.tolist()]
    g = ig.Graph(n=len(nodes), edges=pairs)
    # igraph also draws from Python's random module while laying out: seeded, the same piece
    # of the network is drawn the same way every time.
    state = random.getstate()
    random.seed(seed)
    try:
        large = len(nodes) > LAYOUT_GRID_FROM
        layout = g.layout_fruchterman_reingold(
            niter=100 if large else 300, grid="grid" if large else "nogrid"
        )
    finally:
        random.setstate(state)
    coords = np.asarray(layout.coords, dtype=np.float64)
    coords -= coords.mean(axis=0)
    scale = np.abs(coords).max() or 1.0
    return np.round(coords / scale, 4) + 0.0  # + 0.0: no "-0.0" beside "0.0"
