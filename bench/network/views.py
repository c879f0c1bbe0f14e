"""The map, communities, variety and export at the large size, on the same synthetic network as
run.py (1,000 colleagues, 100,000 persons, 10,000 organisations, about 1 million edges), side by
side with networkx where it has the same question:

- the map's piece: a colleague's ego network two steps out, bounded to 2,000 nodes and laid out
  (networkx: nx.ego_graph of radius 2, without a layout);
- communities with their labels and bridges (networkx: Louvain, unless --skip-networkx-louvain);
- variety of the organisation and of one colleague;
- the whole graph as GraphML and GEXF (the engine's writer; networkx: write_graphml).

    python bench/network/views.py [--scale 1.0] [--skip-networkx-louvain]

Writes bench/network/views.json."""

from __future__ import annotations

import argparse
import io
import json
import platform
import random
import statistics
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent / "src"))
sys.path.insert(0, str(HERE))

from run import generate, networkx_graph, summary, timed  # noqa: E402

from gilde.network.communities import communities_find  # noqa: E402
from gilde.network.export import ExportEdge, ExportNode, gexf, graphml  # noqa: E402
from gilde.network.graph import E_SELF, MEMBER, Network  # noqa: E402
from gilde.network.mapview import map_subgraph  # noqa: E402
from gilde.network.variety import variety_of  # noqa: E402


def export_parts(net: Network) -> tuple[list[ExportNode], list[ExportEdge]]:
    kinds = {1: "colleague", 2: "person", 3: "organisation"}
    nodes = [
        ExportNode(
            f"n{n}", f"node {n}", kinds.get(int(k), "self"), str(net.tiers[n]), str(net.sectors[n])
        )
        for n, k in enumerate(net.kinds.tolist())
        if n
    ]
    edges = [
        ExportEdge(f"n{a}", f"n{b}", "knows", float(net.strengths[e]))
        for e, (a, b) in enumerate(zip(net.data.sources, net.data.targets, strict=True))
        if net.data.edge_kinds[e] != E_SELF
    ]
    return nodes, edges


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--egos", type=int, default=50)
    parser.add_argument("--skip-networkx-louvain", action="store_true")
    args = parser.parse_args()
    rng = random.Random(11)
    data = generate(args.scale)
    net = Network(data)
    members = net.nodes_of(MEMBER).tolist()
    egos = rng.sample(members, args.egos)
    result: dict[str, Any] = {
        "machine": platform.platform(),
        "python": platform.python_version(),
        "scale": args.scale,
        "nodes": len(data.kinds),
        "edges": len(data.sources),
    }
    times, sizes = [], []
    for m in egos:
        seconds, drawn = timed(lambda m=m: map_subgraph(net, centre=[m], radius=2))  # type: ignore[misc]
        times.append(seconds)
        sizes.append(len(drawn.nodes))
    result["map_ego_radius_2"] = {
        **summary(times),
        "median_nodes": statistics.median(sizes),
        "truncated_to": 2000,
    }
    communities_s, found = timed(lambda: communities_find(net))
    result["communities"] = {
        "seconds": round(communities_s, 2),
        "count": len(found.found),
        "modularity": round(found.modularity, 3),
        "bridges": len(found.bridges),
    }
    whole_s, _ = timed(lambda: variety_of(net, members))
    one_s, _ = timed(lambda: variety_of(net, members[:1]))
    result["variety"] = {"organisation_s": round(whole_s, 2), "one_colleague_s": round(one_s, 3)}
    nodes, edges = export_parts(net)
    graphml_s, body = timed(lambda: graphml(nodes, edges))
    import datetime as dt

    gexf_s, gexf_body = timed(lambda: gexf(nodes, edges, today=dt.date(2026, 1, 1)))
    result["export"] = {
        "graphml_s": round(graphml_s, 2),
        "graphml_mb": round(len(body) / 2**20, 1),
        "gexf_s": round(gexf_s, 2),
        "gexf_mb": round(len(gexf_body) / 2**20, 1),
    }
    del body, gexf_body

    import networkx as nx

    g = networkx_graph(net)
    g.remove_node(0)
    nx_times = []
    for m in egos[:10]:
        seconds, _ = timed(lambda m=m: nx.ego_graph(g, m, radius=2))  # type: ignore[misc]
        nx_times.append(seconds)
    result["networkx"] = {"map_ego_radius_2": summary(nx_times)}
    out = io.BytesIO()
    nx_graphml_s, _ = timed(lambda: nx.write_graphml(g, out))
    result["networkx"]["write_graphml_s"] = round(nx_graphml_s, 2)
    if not args.skip_networkx_louvain:
        knows = nx.Graph()
        knows.add_edges_from(
            (a, b)
            for e, (a, b) in enumerate(zip(data.sources, data.targets, strict=True))
            if data.edge_kinds[e] in (1, 2)
        )
        louvain_s, parts = timed(lambda: nx.community.louvain_communities(knows, seed=7))
        result["networkx"]["louvain_s"] = round(louvain_s, 2)
        result["networkx"]["louvain_modularity"] = round(nx.community.modularity(knows, parts), 3)
    result["speed_ratio"] = {
        "map_ego_p50": round(
            result["networkx"]["map_ego_radius_2"]["p50_ms"]
            / max(result["map_ego_radius_2"]["p50_ms"], 1e-6),
            1,
        ),
        "graphml": round(nx_graphml_s / max(graphml_s, 1e-6), 1),
    }
    if "louvain_s" in result["networkx"]:
        result["speed_ratio"]["communities"] = round(
            result["networkx"]["louvain_s"] / max(communities_s, 1e-6), 1
        )
    (HERE / "views.json").write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
