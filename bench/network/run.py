"""Network intelligence at the large size: a synthetic network shaped like the large demo
(1,000 colleagues with 250 ties each, 100,000 persons who know about 13 others, 10,000
organisations with a job for every person and a few links), built straight into the engine's
NetworkData so the database is not what is measured. Times, side by side with a
straightforward networkx implementation of the same queries on the same graph:

- the organisation's two-step reach (once), and 1,000 colleagues' two-step reaches;
- warm paths to 200 random persons (the best 3 within four steps; networkx: one Dijkstra path);
- brokers (betweenness from 100 sampled sources, constraint) and Leiden communities;
- memory of each graph (growth of the process's resident size while it is built).

    python bench/network/run.py [--scale 1.0] [--skip-networkx-brokers]

Writes bench/network/results.json."""

from __future__ import annotations

import argparse
import json
import math
import platform
import random
import resource
import statistics
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent / "src"))

from gilde.network.graph import (  # noqa: E402
    E_JOB,
    E_KNOWS,
    E_ORG_LINK,
    E_PERSON_TIE,
    E_SELF,
    MEMBER,
    ORGANISATION,
    PERSON,
    Network,
    NetworkData,
)


def rss_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def generate(scale: float, seed: int = 2026) -> NetworkData:
    rng = random.Random(seed)
    members, persons, orgs = int(1000 * scale), int(100_000 * scale), int(10_000 * scale)
    data = NetworkData()
    m = [data.add_node(MEMBER, i + 1) for i in range(members)]
    p = [data.add_node(PERSON, i + 1, tier=rng.choice("ABBCCCDDDD")) for i in range(persons)]
    o = [data.add_node(ORGANISATION, i + 1, sector="ict") for i in range(orgs)]
    for node in m:
        data.add_edge(0, node, kind=E_SELF, strength=1.0)
        for person in rng.sample(p, 250):
            data.add_edge(
                node,
                person,
                kind=E_KNOWS,
                strength=rng.uniform(0.05, 1.0),
                age=rng.uniform(0, 1000),
            )
    # Person ties cluster by organisation (colleagues know colleagues), plus random ones.
    employer = {person: rng.choice(o) for person in p}
    by_org: dict[int, list[int]] = {}
    for person, org in employer.items():
        by_org.setdefault(org, []).append(person)
        data.add_edge(person, org, kind=E_JOB, strength=0.6)
    target_ties = int(650_000 * scale)
    made = 0
    while made < target_ties:
        a = rng.choice(p)
        same = by_org[employer[a]]
        b = rng.choice(same) if rng.random() < 0.6 and len(same) > 1 else rng.choice(p)
        if a != b:
            data.add_edge(
                a, b, kind=E_PERSON_TIE, strength=rng.choice([0.16, 0.32, 0.48, 0.64, 0.8])
            )
            made += 1
    for _ in range(orgs // 2):
        a, b = rng.sample(o, 2)
        data.add_edge(a, b, kind=E_ORG_LINK, strength=0.4)
    return data


def timed(fn: Any) -> tuple[float, Any]:
    started = time.perf_counter()
    result = fn()
    return time.perf_counter() - started, result


def summary(times: list[float]) -> dict[str, float]:
    ordered = sorted(times)
    return {
        "n": len(times),
        "p50_ms": round(statistics.median(times) * 1000, 2),
        "p95_ms": round(ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))] * 1000, 2),
        "total_s": round(sum(times), 3),
    }


def networkx_graph(net: Network) -> Any:
    import networkx as nx

    g = nx.Graph()
    g.add_nodes_from(range(len(net.kinds)))
    for e, (a, b) in enumerate(zip(net.data.sources, net.data.targets, strict=True)):
        g.add_edge(a, b, cost=-math.log(net.worth[e]), kind=net.data.edge_kinds[e])
    return g


def nx_reach(g: Any, kinds: Any, sources: list[int]) -> tuple[set[int], set[int]]:
    knows = (E_KNOWS, E_PERSON_TIE)
    first = {
        n for s in sources for n, d in g[s].items() if d["kind"] in knows and kinds[n] == PERSON
    }
    around = {
        n for f in first for n, d in g[f].items() if d["kind"] in knows and kinds[n] == PERSON
    }
    return first, around - first


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--targets", type=int, default=200)
    parser.add_argument("--skip-networkx-brokers", action="store_true")
    args = parser.parse_args()
    rng = random.Random(7)

    generate_s, data = timed(lambda: generate(args.scale))
    before = rss_mb()
    build_s, net = timed(lambda: Network(data))
    igraph_mb = rss_mb() - before
    members = net.nodes_of(MEMBER).tolist()
    persons = net.nodes_of(PERSON).tolist()
    targets = rng.sample(persons, args.targets)
    result: dict[str, Any] = {
        "machine": platform.platform(),
        "python": platform.python_version(),
        "scale": args.scale,
        "nodes": len(data.kinds),
        "edges": len(data.sources),
        "generate_s": round(generate_s, 2),
        "igraph": {"build_s": round(build_s, 2), "memory_mb": round(igraph_mb)},
    }
    org_s, org = timed(lambda: net.reach(members))
    result["igraph"]["organisation_reach_s"] = round(org_s, 3)
    result["igraph"]["organisation_reach"] = {"first": len(org.first), "second": len(org.second)}
    colleague_s, _ = timed(lambda: [net.reach([m]) for m in members])
    result["igraph"]["colleague_reaches_s"] = round(colleague_s, 3)
    path_times = []
    for t in targets:
        seconds, _ = timed(lambda t=t: net.paths(0, t, k=3))  # type: ignore[misc]
        path_times.append(seconds)
    result["igraph"]["warm_paths"] = summary(path_times)
    brokers_s, _ = timed(lambda: net.brokers(samples=100))
    result["igraph"]["brokers_100_samples_s"] = round(brokers_s, 2)
    leiden_s, (membership, modularity) = timed(lambda: net.communities(iterations=10))
    result["igraph"]["leiden_s"] = round(leiden_s, 2)
    result["igraph"]["communities"] = len(set(membership))
    result["igraph"]["modularity"] = round(modularity, 3)

    before = rss_mb()
    nx_build_s, g = timed(lambda: networkx_graph(net))
    result["networkx"] = {"build_s": round(nx_build_s, 2), "memory_mb": round(rss_mb() - before)}
    kinds = net.kinds
    nx_org_s, nx_org = timed(lambda: nx_reach(g, kinds, members))
    assert nx_org == (set(org.first.tolist()), set(org.second.tolist())), "reach differs"
    result["networkx"]["organisation_reach_s"] = round(nx_org_s, 3)
    nx_colleague_s, _ = timed(lambda: [nx_reach(g, kinds, [m]) for m in members])
    result["networkx"]["colleague_reaches_s"] = round(nx_colleague_s, 3)
    import networkx as nx

    nx_times = []
    for t in targets[: max(20, args.targets // 10)]:
        seconds, _ = timed(lambda t=t: nx.dijkstra_path(g, 0, t, weight="cost"))  # type: ignore[misc]
        nx_times.append(seconds)
    result["networkx"]["warm_path_one_dijkstra"] = summary(nx_times)
    if not args.skip_networkx_brokers:
        nx_b_s, _ = timed(lambda: nx.betweenness_centrality(g, k=100, seed=7))
        result["networkx"]["betweenness_100_samples_s"] = round(nx_b_s, 2)
    ig, nxr = result["igraph"], result["networkx"]
    result["speed_ratio"] = {
        "organisation_reach": round(
            nxr["organisation_reach_s"] / max(ig["organisation_reach_s"], 1e-6), 1
        ),
        "colleague_reaches": round(
            nxr["colleague_reaches_s"] / max(ig["colleague_reaches_s"], 1e-6), 1
        ),
        "warm_paths_p50": round(
            nxr["warm_path_one_dijkstra"]["p50_ms"] / max(ig["warm_paths"]["p50_ms"], 1e-6), 1
        ),
        "memory": round(nxr["memory_mb"] / max(ig["memory_mb"], 1), 1),
    }
    (HERE / "results.json").write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
