"""The network map: a bounded, filtered piece of the visible graph (an ego network, a
community, the paths to a target), and the whole visible graph as GraphML and GEXF that
networkx (as Gephi) reads back."""

from __future__ import annotations

import io
import json
from typing import Any
from xml.etree import ElementTree as ET

import networkx as nx
import numpy as np
import pytest
from django.core.management import call_command
from django.test import Client

from gilde.accounts.models import Member
from gilde.network import maps
from gilde.network.graph import E_KNOWS, MEMBER, PERSON, Network
from gilde.network.loader import forget_stored
from gilde.network.mapview import MapFilters, map_subgraph
from tests.factories import AffiliationFactory, OrganisationFactory, PersonFactory, TieFactory
from tests.network.test_graph_agrees_with_networkx import generated, reference

pytestmark = pytest.mark.django_db


def test_the_ego_network_is_networkx_s_neighbourhood_without_the_organisation_node() -> None:
    net = Network(generated(3, persons=80))
    g = reference(net)
    g.remove_node(0)
    centre = int(net.nodes_of(MEMBER)[0])
    for radius in (1, 2):
        drawn = map_subgraph(net, centre=[centre], radius=radius)
        expected = set(nx.single_source_shortest_path_length(g, centre, cutoff=radius))
        assert set(drawn.nodes.tolist()) == expected
        assert drawn.positions.shape == (len(drawn.nodes), 2)
        assert np.abs(drawn.positions).max() <= 1.0 + 1e-9


def test_the_bound_keeps_the_nearest_and_says_it_cut() -> None:
    net = Network(generated(3, persons=200))
    centre = int(net.nodes_of(MEMBER)[0])
    drawn = map_subgraph(net, centre=[centre], radius=2, limit=10)
    assert drawn.truncated
    assert len(drawn.nodes) <= 10
    assert centre in drawn.nodes.tolist()
    nearest = map_subgraph(net, centre=[centre], radius=1).nodes.tolist()
    assert len(nearest) < 10
    assert set(nearest) <= set(drawn.nodes.tolist())  # the nearest ring is kept whole


def test_filters_drop_persons_of_other_tiers_and_weak_ties() -> None:
    net = Network(generated(5, persons=80))
    centre = int(net.nodes_of(MEMBER)[0])
    drawn = map_subgraph(net, centre=[centre], radius=2, filters=MapFilters(tiers=frozenset("A")))
    persons = drawn.nodes[net.kinds[drawn.nodes] == PERSON]
    assert len(persons) and set(net.tiers[persons].tolist()) == {"A"}
    strong = map_subgraph(net, centre=[centre], filters=MapFilters(min_strength=0.5))
    knows = strong.edges[net.edge_kinds[strong.edges] == E_KNOWS]
    assert (net.strengths[knows] >= 0.5).all()


@pytest.fixture
def network(owner: Member, colleague: Member) -> dict[str, Any]:
    org = OrganisationFactory(name="Rijnbouw", sector="construction")
    anna, bram = PersonFactory(given_name="Anna"), PersonFactory(given_name="Bram")
    TieFactory(member=owner, person=anna, strength=5)
    TieFactory(member=colleague, person=bram, strength=2)
    TieFactory(member=None, other_person=anna, person=bram, strength=4)
    AffiliationFactory(person=bram, organisation=org)
    return {"anna": anna, "bram": bram, "org": org}


def test_a_hidden_person_is_not_on_the_map_nor_in_the_export(
    network: dict[str, Any], owner: Member, colleague: Member, manager: Member
) -> None:
    asked = maps.MapRequest(member=owner, radius=2)
    before = (
        maps.map_data(colleague.user, asked),
        maps.graph_export(colleague.user, file_format="graphml"),
    )
    secret = PersonFactory(given_name="Geheim", confidential=True, owner=manager)
    TieFactory(member=owner, person=secret, strength=5)
    TieFactory(member=None, other_person=network["anna"], person=secret, strength=5)
    AffiliationFactory(person=secret, organisation=network["org"])
    forget_stored()
    after = (
        maps.map_data(colleague.user, asked),
        maps.graph_export(colleague.user, file_format="graphml"),
    )
    assert after == before
    assert "Geheim" in json.dumps(maps.map_data(manager.user, asked))


def test_graphml_reads_back_in_networkx_with_every_node_and_edge(
    network: dict[str, Any], owner: Member, manager: Member
) -> None:
    body = maps.graph_export(manager.user, file_format="graphml")
    g = nx.read_graphml(io.BytesIO(body))
    labels = {d["label"] for _n, d in g.nodes(data=True)}
    assert {network["anna"].full_name, network["bram"].full_name, "Rijnbouw", owner.name} <= labels
    assert g.number_of_edges() == 4  # two colleague ties, one between relations, one job
    assert {d["kind"] for _a, _b, d in g.edges(data=True)} == {"knows", "works at"}
    assert all(0 < d["weight"] <= 1 for _a, _b, d in g.edges(data=True))


def test_gexf_reads_back_in_networkx_and_has_gephi_s_structure(
    network: dict[str, Any], manager: Member
) -> None:
    body = maps.graph_export(manager.user, file_format="gexf")
    g = nx.read_gexf(io.BytesIO(body))
    assert g.number_of_nodes() == 5 and g.number_of_edges() == 4
    root = ET.fromstring(body)  # noqa: S314 (our own document)
    ns = {"g": "http://gexf.net/1.3"}
    assert root.tag == "{http://gexf.net/1.3}gexf" and root.get("version") == "1.3"
    graph = root.find("g:graph", ns)
    assert graph is not None and graph.get("defaultedgetype") == "undirected"
    titles = {a.get("title") for a in graph.findall("g:attributes/g:attribute", ns)}
    assert {"kind", "tier", "sector", "community"} <= titles
    for node in graph.findall("g:nodes/g:node", ns):
        assert node.get("id") and node.get("label")
    ids = {node.get("id") for node in graph.findall("g:nodes/g:node", ns)}
    for edge in graph.findall("g:edges/g:edge", ns):
        assert edge.get("source") in ids and edge.get("target") in ids


def test_the_export_command_writes_the_file(
    network: dict[str, Any], owner: Member, tmp_path: Any
) -> None:
    target = tmp_path / "net.gexf"
    call_command(
        "network", "export", "--member", owner.user.username, "--format", "gexf", "-o", str(target)
    )
    assert nx.read_gexf(target).number_of_nodes() == 5


def test_the_map_page_draws_the_piece_and_offers_the_export(
    network: dict[str, Any], owner: Member, owner_client: Client
) -> None:
    page = owner_client.get(f"/network/map/?person={network['anna'].pk}&radius=2")
    text = page.content.decode()
    assert page.status_code == 200
    assert "data-elements=" in text and "Rijnbouw" in text
    assert owner_client.get("/network/export/?format=gexf").status_code == 200
    assert owner_client.get("/network/export/?format=pdf").status_code == 400
    assert owner_client.get("/network/map/?person=999999").status_code == 404


def test_names_with_markup_characters_come_back_unchanged() -> None:
    import datetime as dt

    from gilde.network.export import ExportEdge, ExportNode, gexf, graphml

    nodes = [
        ExportNode("o1", 'Bouw & "Zonen" <B.V.>', "organisation"),
        ExportNode("p1", "Zoë", "person"),
    ]
    edges = [ExportEdge("p1", "o1", "works at", 0.6)]
    for g in (
        nx.read_graphml(io.BytesIO(graphml(nodes, edges))),
        nx.read_gexf(io.BytesIO(gexf(nodes, edges, today=dt.date(2026, 1, 1)))),
    ):
        assert g.nodes["o1"]["label"] == 'Bouw & "Zonen" <B.V.>'
        assert g.nodes["p1"]["label"] == "Zoë"
        assert g.number_of_edges() == 1
