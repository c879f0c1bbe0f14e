"""The graph engine against networkx as the reference, on small generated networks."""

from __future__ import annotations

import math
import random

import networkx as nx
import numpy as np
import pytest

from gilde.network.graph import (
    E_JOB,
    E_KNOWS,
    E_ORG_LINK,
    E_PERSON_TIE,
    E_SELF,
    MAX_PATH_STEPS,
    MEMBER,
    ORGANISATION,
    PERSON,
    Network,
    NetworkData,
)


def generated(seed: int, *, members: int = 6, persons: int = 60, orgs: int = 8) -> NetworkData:
    rng = random.Random(seed)
    data = NetworkData()
    m = [data.add_node(MEMBER, i + 1) for i in range(members)]
    p = [data.add_node(PERSON, i + 1, tier=rng.choice("ABCD")) for i in range(persons)]
    o = [
        data.add_node(ORGANISATION, i + 1, sector=rng.choice(["zorg", "ict"])) for i in range(orgs)
    ]
    for node in m:
        data.add_edge(0, node, kind=E_SELF, strength=1.0)
        for person in rng.sample(p, 6):
            data.add_edge(
                node,
                person,
                kind=E_KNOWS,
                strength=rng.uniform(0.05, 1),
                age=rng.choice([None, rng.uniform(0, 900)]),
            )
    pairs = set()
    while len(pairs) < persons:
        a, b = rng.sample(p, 2)
        pairs.add((min(a, b), max(a, b)))
    for a, b in sorted(pairs):
        data.add_edge(a, b, kind=E_PERSON_TIE, strength=rng.choice([0.16, 0.32, 0.48, 0.64, 0.8]))
    for person in rng.sample(p, persons // 2):
        data.add_edge(person, rng.choice(o), kind=E_JOB, strength=0.6)
    data.add_edge(o[0], o[1], kind=E_ORG_LINK, strength=0.4)
    return data


def reference(net: Network, *, kinds: tuple[int, ...] | None = None) -> nx.Graph:
    g = nx.Graph()
    g.add_nodes_from(range(len(net.kinds)))
    for e, (a, b) in enumerate(zip(net.data.sources, net.data.targets, strict=True)):
        if kinds is None or net.data.edge_kinds[e] in kinds:
            g.add_edge(a, b, cost=-math.log(net.worth[e]), worth=net.worth[e])
    return g


SEEDS = [1, 2, 3, 4, 5]


@pytest.mark.parametrize("seed", SEEDS)
def test_two_step_reach_is_the_set_networkx_finds(seed: int) -> None:
    net = Network(generated(seed))
    g = reference(net, kinds=(E_KNOWS, E_PERSON_TIE))
    for member in net.nodes_of(MEMBER).tolist():
        found = net.reach([member])
        around = nx.single_source_shortest_path_length(g, member, cutoff=2)
        first = {n for n, d in around.items() if d == 1 and net.kinds[n] == PERSON}
        second = {n for n, d in around.items() if d == 2 and net.kinds[n] == PERSON}
        assert set(found.first.tolist()) == first
        assert set(found.second.tolist()) == second


@pytest.mark.parametrize("seed", SEEDS)
def test_the_organisations_reach_is_the_union_over_colleagues(seed: int) -> None:
    net = Network(generated(seed))
    g = reference(net, kinds=(E_KNOWS, E_PERSON_TIE))
    members = net.nodes_of(MEMBER).tolist()
    found = net.reach(members)
    first = {n for m in members for n in g[m] if net.kinds[n] == PERSON}
    around = {n for p in first for n in g[p] if net.kinds[n] == PERSON}
    assert set(found.first.tolist()) == first
    assert set(found.second.tolist()) == around - first


@pytest.mark.parametrize("seed", SEEDS)
def test_the_best_warm_path_is_networkx_s_cheapest_path_within_the_step_limit(seed: int) -> None:
    net = Network(generated(seed))
    g = reference(net)
    # The organisation's paths may use colleagues only as their first step.
    for m in net.nodes_of(MEMBER).tolist():
        for n in list(g[m]):
            if n != 0:
                g[m][n]["member_edge"] = True
    for target in net.nodes_of(PERSON).tolist()[:20]:
        found = net.paths(0, target, k=1)
        candidates = [
            sum(g[a][b]["cost"] for a, b in zip(path, path[1:], strict=False))
            for path in nx.all_simple_paths(g, 0, target, cutoff=MAX_PATH_STEPS)
            if all(net.kinds[n] != MEMBER for n in path[2:])
        ]
        if not candidates:
            assert found == []
            continue
        assert found, target
        assert found[0].score == pytest.approx(math.exp(-min(candidates)))
        assert found[0].nodes[0] == 0 and net.kinds[found[0].nodes[1]] == MEMBER


@pytest.mark.parametrize("seed", SEEDS)
def test_paths_come_best_first_and_each_is_simple(seed: int) -> None:
    net = Network(generated(seed))
    for target in net.nodes_of(PERSON).tolist()[:20]:
        found = net.paths(0, target, k=3)
        scores = [p.score for p in found]
        assert scores == sorted(scores, reverse=True)
        for path in found:
            assert len(set(path.nodes)) == len(path.nodes)
            assert path.nodes[-1] == target


@pytest.mark.parametrize("seed", SEEDS)
def test_degree_betweenness_and_constraint_agree_with_networkx(seed: int) -> None:
    net = Network(generated(seed))
    g = reference(net, kinds=(E_KNOWS, E_PERSON_TIE))
    found = net.brokers()
    assert found["degree"].tolist() == [g.degree(n) for n in range(len(net.kinds))]
    exact = nx.betweenness_centrality(g, normalized=False)
    assert found["betweenness"] == pytest.approx([exact[n] for n in range(len(net.kinds))])
    weighted = nx.constraint(g, weight="worth")
    for n in range(len(net.kinds)):
        if g.degree(n):
            assert found["constraint"][n] == pytest.approx(weighted[n])


def test_sampled_betweenness_from_every_source_is_exact() -> None:
    net = Network(generated(9))
    exact = net.brokers()["betweenness"]
    sampled = net.brokers(samples=len(net.kinds) - 1)["betweenness"]
    # From all but one source the estimate is close; from all it would be equal.
    assert np.corrcoef(exact, sampled)[0, 1] > 0.95


@pytest.mark.parametrize("seed", SEEDS)
def test_community_modularity_is_what_networkx_computes_for_the_same_partition(seed: int) -> None:
    net = Network(generated(seed))
    membership, modularity = net.communities()
    g = reference(net, kinds=(E_KNOWS, E_PERSON_TIE))
    parts: dict[int, set[int]] = {}
    for node, part in enumerate(membership):
        parts.setdefault(part, set()).add(node)
    assert modularity == pytest.approx(nx.community.modularity(g, parts.values(), weight=None))
    louvain = nx.community.louvain_communities(g, seed=seed)
    assert modularity >= nx.community.modularity(g, louvain) - 0.05


def test_a_hidden_node_loses_every_edge_and_everyone_else_keeps_theirs() -> None:
    net = Network(generated(3))
    person = int(net.nodes_of(PERSON)[0])
    hidden = net.hide([person])
    assert hidden.graph.degree(person) == 0
    assert hidden.graph.ecount() == net.graph.ecount() - net.graph.degree(person)
