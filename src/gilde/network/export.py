"""The visible graph as GraphML and GEXF files for Gephi (and yEd, Cytoscape desktop, networkx).
Plain Python, no Django, written as text with the standard library's XML escaping (an element
tree of a million edges takes minutes; this, seconds): the caller hands over the nodes
with their attributes and the edges.

Both formats carry the same attributes: a node's label, kind (colleague, person, organisation),
tier, sector and community; an edge's kind and weight (its strength 0–1)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

GRAPHML_NS = "http://graphml.graphdrawing.org/xmlns"
GEXF_NS = "http://gexf.net/1.3"
NODE_ATTRIBUTES = (
    ("kind", "string"),
    ("tier", "string"),
    ("sector", "string"),
    ("community", "int"),
)
EDGE_ATTRIBUTES = (("kind", "string"),)


@dataclass(frozen=True)
class ExportNode:
    id: str
    label: str
    kind: str
    tier: str = ""
    sector: str = ""
    community: int = 0


@dataclass(frozen=True)
class ExportEdge:
    source: str
    target: str
    kind: str
    weight: float


def graphml(nodes: Iterable[ExportNode], edges: Iterable[ExportEdge]) -> bytes:
    """An undirected GraphML document."""
    out = [
        '<?xml version="1.0" encoding="utf-8"?>',
        f'<graphml xmlns="{GRAPHML_NS}">',
        '  <key id="label" for="node" attr.name="label" attr.type="string"/>',
    ]
    out += [
        f'  <key id="{name}" for="node" attr.name="{name}" attr.type="{kind}"/>'
        for name, kind in NODE_ATTRIBUTES
    ]
    out += [
        '  <key id="edge_kind" for="edge" attr.name="kind" attr.type="string"/>',
        '  <key id="weight" for="edge" attr.name="weight" attr.type="double"/>',
        '  <graph id="gilde" edgedefault="undirected">',
    ]
    for n in nodes:
        out.append(
            f'    <node id={quoteattr(n.id)}><data key="label">{escape(n.label)}</data>'
            f'<data key="kind">{escape(n.kind)}</data><data key="tier">{escape(n.tier)}</data>'
            f'<data key="sector">{escape(n.sector)}</data>'
            f'<data key="community">{n.community}</data></node>'
        )
    for i, e in enumerate(edges):
        out.append(
            f'    <edge id="e{i}" source={quoteattr(e.source)} target={quoteattr(e.target)}>'
            f'<data key="edge_kind">{escape(e.kind)}</data>'
            f'<data key="weight">{round(e.weight, 4)}</data></edge>'
        )
    out += ["  </graph>", "</graphml>", ""]
    return "\n".join(out).encode("utf-8")


def gexf(nodes: Iterable[ExportNode], edges: Iterable[ExportEdge], *, today: dt.date) -> bytes:
    """A GEXF 1.3 document (Gephi's own format), undirected and static."""
    out = [
        '<?xml version="1.0" encoding="utf-8"?>',
        f'<gexf xmlns="{GEXF_NS}" version="1.3">',
        f'  <meta lastmodifieddate="{today.isoformat()}"><creator>Gilde</creator></meta>',
        '  <graph defaultedgetype="undirected" mode="static">',
        '    <attributes class="node">',
    ]
    for i, (name, kind) in enumerate(NODE_ATTRIBUTES):
        gexf_type = "integer" if kind == "int" else kind
        out.append(f'      <attribute id="{i}" title="{name}" type="{gexf_type}"/>')
    out += [
        "    </attributes>",
        '    <attributes class="edge">',
        '      <attribute id="0" title="kind" type="string"/>',
        "    </attributes>",
        "    <nodes>",
    ]
    for n in nodes:
        values = "".join(
            f'<attvalue for="{i}" value={quoteattr(str(v))}/>'
            for i, v in enumerate((n.kind, n.tier, n.sector, n.community))
        )
        out.append(
            f"      <node id={quoteattr(n.id)} label={quoteattr(n.label)}>"
            f"<attvalues>{values}</attvalues></node>"
        )
    out += ["    </nodes>", "    <edges>"]
    for i, e in enumerate(edges):
        out.append(
            f'      <edge id="{i}" source={quoteattr(e.source)} target={quoteattr(e.target)} '
            f'weight="{round(e.weight, 4)}"><attvalues>'
            f'<attvalue for="0" value={quoteattr(e.kind)}/></attvalues></edge>'
        )
    out += ["    </edges>", "  </graph>", "</gexf>", ""]
    return "\n".join(out).encode("utf-8")
