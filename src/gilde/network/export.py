"""The visible graph as GraphML and GEXF files for Gephi (and yEd, Cytoscape desktop, networkx).
Plain Python (the standard library's XML writer), no Django: the caller hands over the nodes
with their attributes and the edges.

Both formats carry the same attributes: a node's label, kind (colleague, person, organisation),
tier, sector and community; an edge's kind and weight (its strength 0–1)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from xml.etree import ElementTree as ET

GRAPHML_NS = "http://graphml.graphdrawing.org/xmlns"
GEXF_NS = "http://gexf.net/1.3"
NODE_ATTRIBUTES = (("kind", "string"), ("tier", "string"), ("sector", "string"),
                   ("community", "int"))  # fmt: skip
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
    ET.register_namespace("", GRAPHML_NS)
    root = ET.Element(f"{{{GRAPHML_NS}}}graphml")

    def key(id_: str, for_: str, name: str, kind: str) -> None:
        ET.SubElement(root, f"{{{GRAPHML_NS}}}key",
                      {"id": id_, "for": for_, "attr.name": name, "attr.type": kind})  # fmt: skip

    key("label", "node", "label", "string")
    for name, kind in NODE_ATTRIBUTES:
        key(name, "node", name, kind)
    key("edge_kind", "edge", "kind", "string")
    key("weight", "edge", "weight", "double")
    graph = ET.SubElement(
        root, f"{{{GRAPHML_NS}}}graph", {"id": "gilde", "edgedefault": "undirected"}
    )

    def data(parent: ET.Element, key_: str, value: object) -> None:
        ET.SubElement(parent, f"{{{GRAPHML_NS}}}data", {"key": key_}).text = str(value)

    for n in nodes:
        node = ET.SubElement(graph, f"{{{GRAPHML_NS}}}node", {"id": n.id})
        data(node, "label", n.label)
        data(node, "kind", n.kind)
        data(node, "tier", n.tier)
        data(node, "sector", n.sector)
        data(node, "community", n.community)
    for i, e in enumerate(edges):
        edge = ET.SubElement(graph, f"{{{GRAPHML_NS}}}edge",
                             {"id": f"e{i}", "source": e.source, "target": e.target})  # fmt: skip
        data(edge, "edge_kind", e.kind)
        data(edge, "weight", round(e.weight, 4))
    return _document(root)


def gexf(nodes: Iterable[ExportNode], edges: Iterable[ExportEdge], *, today: dt.date) -> bytes:
    """A GEXF 1.3 document (Gephi's own format), undirected and static."""
    ET.register_namespace("", GEXF_NS)
    root = ET.Element(f"{{{GEXF_NS}}}gexf", {"version": "1.3"})
    meta = ET.SubElement(root, f"{{{GEXF_NS}}}meta",
                         {"lastmodifieddate": today.isoformat()})  # fmt: skip
    ET.SubElement(meta, f"{{{GEXF_NS}}}creator").text = "Gilde"
    graph = ET.SubElement(root, f"{{{GEXF_NS}}}graph",
                          {"defaultedgetype": "undirected", "mode": "static"})  # fmt: skip
    node_attrs = ET.SubElement(graph, f"{{{GEXF_NS}}}attributes", {"class": "node"})
    for i, (name, kind) in enumerate(NODE_ATTRIBUTES):
        gexf_type = "integer" if kind == "int" else kind
        ET.SubElement(node_attrs, f"{{{GEXF_NS}}}attribute",
                      {"id": str(i), "title": name, "type": gexf_type})  # fmt: skip
    edge_attrs = ET.SubElement(graph, f"{{{GEXF_NS}}}attributes", {"class": "edge"})
    ET.SubElement(
        edge_attrs, f"{{{GEXF_NS}}}attribute", {"id": "0", "title": "kind", "type": "string"}
    )
    nodes_el = ET.SubElement(graph, f"{{{GEXF_NS}}}nodes")
    for n in nodes:
        node = ET.SubElement(nodes_el, f"{{{GEXF_NS}}}node", {"id": n.id, "label": n.label})
        values = ET.SubElement(node, f"{{{GEXF_NS}}}attvalues")
        for i, value in enumerate((n.kind, n.tier, n.sector, n.community)):
            ET.SubElement(values, f"{{{GEXF_NS}}}attvalue", {"for": str(i), "value": str(value)})
    edges_el = ET.SubElement(graph, f"{{{GEXF_NS}}}edges")
    for i, e in enumerate(edges):
        edge = ET.SubElement(edges_el, f"{{{GEXF_NS}}}edge", {
            "id": str(i), "source": e.source, "target": e.target, "weight": str(round(e.weight, 4)),
        })  # fmt: skip
        values = ET.SubElement(edge, f"{{{GEXF_NS}}}attvalues")
        ET.SubElement(values, f"{{{GEXF_NS}}}attvalue", {"for": "0", "value": e.kind})
    return _document(root)


def _document(root: ET.Element) -> bytes:
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"
