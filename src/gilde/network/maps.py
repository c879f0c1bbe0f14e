"""The network map as the page reads it: which piece of the asking member's visible graph to
draw (an ego network, a community, the paths to a target), with names, links and colours, as
the elements Cytoscape.js draws."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from django.utils import timezone
from django.utils.translation import gettext as _

from gilde.accounts.models import Member
from gilde.relations.models import Organisation, Person

from .graph import E_JOB, E_KNOWS, E_ORG_LINK, E_PERSON_TIE, E_SELF, MEMBER, ORGANISATION, PERSON
from .loader import communities_for, network_for
from .mapview import MAP_LIMIT, MapFilters, map_subgraph
from .selectors import node_objects

KIND_NAMES = {MEMBER: "colleague", PERSON: "person", ORGANISATION: "organisation"}
EDGE_NAMES = {E_KNOWS: "knows", E_PERSON_TIE: "knows", E_JOB: "works at", E_ORG_LINK: "linked"}


@dataclass(frozen=True)
class MapRequest:
    """What to draw: one of a person, colleague or organisation (its ego network, `radius`
    steps), a community number, or a target person (the warm paths to them)."""

    person: Person | None = None
    member: Member | None = None
    organisation: Organisation | None = None
    community: int | None = None
    paths_to: Person | None = None
    radius: int = 1
    filters: MapFilters = MapFilters()
    colour: str = "type"  # or "community"


PREFIX = {MEMBER: "c", PERSON: "p", ORGANISATION: "o"}
EDGE_PREFIX = {E_KNOWS: "t", E_PERSON_TIE: "t", E_JOB: "j", E_ORG_LINK: "l"}


def node_id(net: Any, n: int) -> str:
    """A node's id in the map and the files: its kind and database id ("p12"), so it stays the
    same when the graph is read again."""
    return f"{PREFIX[int(net.kinds[n])]}{int(net.keys[n])}"


def edge_id(net: Any, e: int) -> str:
    return f"{EDGE_PREFIX.get(int(net.edge_kinds[e]), 'x')}{int(net.edge_refs[e])}"


def _label(obj: Any) -> str:
    if isinstance(obj, Person):
        return obj.full_name
    return str(getattr(obj, "name", obj))


def map_data(user: Any, request: MapRequest) -> dict[str, Any]:
    """The elements of the map (nodes with name, kind, link, community; edges with kind and
    strength) and what was drawn, as JSON-ready data."""
    net, _built = network_for(user)
    found, _net = communities_for(user)
    centre: list[int] = []
    nodes: list[int] | None = None
    title = ""
    if request.community is not None:
        members = np.zeros(0) if found is None else found.membership == request.community
        nodes = np.flatnonzero(members).tolist()
        title = _("Community %(n)d") % {"n": request.community}
    elif request.paths_to is not None:
        target = net.node(PERSON, request.paths_to.pk)
        paths = net.paths(0, target, k=5) if target is not None else []
        nodes = sorted({n for p in paths for n in p.nodes if n != 0})
        centre = [target] if target is not None and nodes else []
        title = _("Warm paths to %(name)s") % {"name": request.paths_to.full_name}
    else:
        for kind, obj in (
            (PERSON, request.person),
            (MEMBER, request.member),
            (ORGANISATION, request.organisation),
        ):
            if obj is not None:
                node = net.node(kind, obj.pk)
                centre = [node] if node is not None else []
                title = _("Around %(name)s") % {"name": _label(obj)}
    drawn = map_subgraph(
        net,
        centre=centre,
        nodes=nodes,
        radius=max(1, min(2, request.radius)),
        filters=request.filters,
        limit=MAP_LIMIT,
    )
    objects = node_objects(user, net, drawn.nodes.tolist())
    elements: list[dict[str, Any]] = []
    shown = set()
    # Spread grows with the number of nodes, so a small piece is drawn large enough to read.
    spread = max(150.0, 25.0 * len(drawn.nodes) ** 0.5)
    for i, n in enumerate(drawn.nodes.tolist()):
        obj = objects.get(n)
        if obj is None:
            continue  # not visible (or removed since the graph was read)
        shown.add(n)
        kind = int(net.kinds[n])
        community = found.of(n) if found is not None else 0
        elements.append(
            {
                "group": "nodes",
                "data": {
                    "id": node_id(net, n),
                    "label": _label(obj),
                    "kind": KIND_NAMES[kind],
                    "url": obj.get_absolute_url() if kind != MEMBER else "",
                    "community": community,
                    "tier": str(net.tiers[n]) or "",
                    "centre": n in drawn.centre,
                    "colour": _colour(request.colour, kind, community),
                },
                "position": {
                    "x": round(float(drawn.positions[i][0]) * spread, 1),
                    "y": round(float(drawn.positions[i][1]) * spread, 1),
                },
            }
        )
    sources, targets = net.data.sources, net.data.targets
    for e in drawn.edges.tolist():
        a, b = sources[e], targets[e]
        if a in shown and b in shown:
            elements.append(
                {
                    "group": "edges",
                    "data": {
                        "id": edge_id(net, e),
                        "source": node_id(net, a),
                        "target": node_id(net, b),
                        "kind": EDGE_NAMES.get(int(net.edge_kinds[e]), ""),
                        "strength": round(float(net.strengths[e]), 2),
                    },
                }
            )
    return {
        "title": title,
        "elements": elements,
        "nodes": len(shown),
        "truncated": drawn.truncated,
        "limit": MAP_LIMIT,
        "communities_ready": found is not None,
    }


TYPE_COLOURS = {MEMBER: "#b3263a", PERSON: "#0172ad", ORGANISATION: "#2f6b4f"}
COMMUNITY_COLOURS = (
    "#0172ad",
    "#b3263a",
    "#2f6b4f",
    "#edae49",
    "#7c3aed",
    "#db2777",
    "#a16207",
    "#0e7490",
    "#4d7c0f",
    "#9f1239",
)


def _colour(by: str, kind: int, community: int) -> str:
    if by == "community" and community:
        return COMMUNITY_COLOURS[(community - 1) % len(COMMUNITY_COLOURS)]
    if by == "community":
        return "#9ca3af"
    return TYPE_COLOURS[kind]


# ---- export ----------------------------------------------------------------------------------

EXPORT_FORMATS = ("graphml", "gexf")


def graph_export(user: Any, *, file_format: str) -> bytes:
    """The member's whole visible graph (everyone with at least one tie, job or link) as a
    GraphML or GEXF document: names through the visibility scope, hidden persons absent."""
    from gilde import visibility
    from gilde.names.dutch import PersonName, display_name

    from .export import ExportEdge, ExportNode, gexf, graphml

    if file_format not in EXPORT_FORMATS:
        raise ValueError(file_format)
    net, _built = network_for(user)
    found, _net = communities_for(user, wait=True)
    names: dict[tuple[int, int], str] = {}
    for pk, given, initials, middle, family in (
        visibility.persons(user)
        .values_list("pk", "given_name", "initials", "tussenvoegsel", "family_name")
        .iterator(chunk_size=5000)
    ):
        names[(PERSON, pk)] = display_name(PersonName(given, initials, middle, family))
    for pk, name in (
        visibility.organisations(user).values_list("pk", "name").iterator(chunk_size=5000)
    ):
        names[(ORGANISATION, pk)] = name
    for member in visibility.members(user).select_related("user"):
        names[(MEMBER, member.pk)] = member.name
    edges = np.flatnonzero(net.edge_kinds != E_SELF)
    sources = np.asarray(net.data.sources, dtype=np.int64)[edges]
    targets = np.asarray(net.data.targets, dtype=np.int64)[edges]
    used = np.unique(np.concatenate([sources, targets]))
    nodes = []
    for n in used.tolist():
        kind = int(net.kinds[n])
        label = names.get((kind, int(net.keys[n])))
        if label is None:
            continue
        nodes.append(
            ExportNode(
                node_id(net, n),
                label,
                KIND_NAMES[kind],
                str(net.tiers[n]),
                str(net.sectors[n]),
                found.of(n) if found is not None else 0,
            )
        )
    present = {node.id for node in nodes}
    links = [
        ExportEdge(
            node_id(net, a),
            node_id(net, b),
            EDGE_NAMES.get(int(net.edge_kinds[e]), ""),
            float(net.strengths[e]),
        )
        for e, a, b in zip(edges.tolist(), sources.tolist(), targets.tolist(), strict=True)
        if node_id(net, a) in present and node_id(net, b) in present
    ]
    if file_format == "graphml":
        return graphml(nodes, links)
    return gexf(nodes, links, today=timezone.localdate())
