"""Communities: Leiden on the "knows" graph, numbered by size, named after sectors and
organisations, with the colleagues who bridge them; the same as networkx measures them, and the
same whatever is hidden from the member."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest
from django.test import Client

from gilde.accounts.models import Member
from gilde.network import groups
from gilde.network.communities import communities_find
from gilde.network.graph import (
    E_JOB,
    E_KNOWS,
    E_PERSON_TIE,
    MEMBER,
    ORGANISATION,
    PERSON,
    Network,
    NetworkData,
)
from gilde.network.loader import forget_stored
from tests.factories import AffiliationFactory, OrganisationFactory, PersonFactory, TieFactory
from tests.network.test_graph_agrees_with_networkx import generated, reference


def two_cliques() -> Network:
    """Two groups of five persons who all know each other, one colleague in each group and a
    third colleague who knows two persons in each; the groups work in different sectors."""
    data = NetworkData()
    a, b, c = (data.add_node(MEMBER, k) for k in (1, 2, 3))
    left = [data.add_node(PERSON, k) for k in range(1, 6)]
    right = [data.add_node(PERSON, k) for k in range(6, 11)]
    care = data.add_node(ORGANISATION, 1, sector="healthcare")
    ict = data.add_node(ORGANISATION, 2, sector="ict")
    for group, colleague, org in ((left, a, care), (right, b, ict)):
        for i, p in enumerate(group):
            data.add_edge(colleague, p, kind=E_KNOWS, strength=0.8)
            data.add_edge(p, org, kind=E_JOB, strength=0.6)
            for q in group[i + 1 :]:
                data.add_edge(p, q, kind=E_PERSON_TIE, strength=0.64)
    for p in (left[0], left[1], right[0], right[1]):
        data.add_edge(c, p, kind=E_KNOWS, strength=0.5)
    return Network(data)


def test_two_separate_groups_are_two_communities_named_by_their_sector() -> None:
    net = two_cliques()
    found = communities_find(net)
    assert len(found.found) == 2
    assert {c.sectors[0][0] for c in found.found} == {"healthcare", "ict"}
    assert all(c.persons == 5 for c in found.found)
    # Organisations and whoever knows nobody belong to no community.
    assert found.of(net.node(ORGANISATION, 1)) == 0  # type: ignore[arg-type]


def test_the_colleague_with_contacts_in_both_groups_is_the_bridge() -> None:
    net = two_cliques()
    found = communities_find(net)
    top = found.bridges[0]
    assert top.node == net.node(MEMBER, 3)
    assert top.communities == 2
    assert top.participation == pytest.approx(0.5)
    assert all(b.participation == 0 for b in found.bridges[1:])


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_modularity_is_networkx_s_for_the_same_partition_and_near_louvain(seed: int) -> None:
    net = Network(generated(seed, persons=120))
    found = communities_find(net)
    g = reference(net, kinds=(E_KNOWS, E_PERSON_TIE))
    g.remove_nodes_from([n for n in list(g.nodes) if g.degree(n) == 0])
    parts: dict[int, set[int]] = {}
    for n in g.nodes:
        parts.setdefault(found.of(n), set()).add(n)
    assert 0 not in parts
    assert found.modularity == pytest.approx(
        nx.community.modularity(g, parts.values(), weight=None)
    )
    louvain = nx.community.louvain_communities(g, seed=seed, weight=None)
    assert found.modularity >= nx.community.modularity(g, louvain, weight=None) - 0.05


def test_the_same_graph_gives_the_same_numbering_every_time() -> None:
    net = Network(generated(4, persons=150))
    assert np.array_equal(communities_find(net).membership, communities_find(net).membership)


def test_a_hidden_person_changes_no_community_a_member_sees(
    owner: Member, colleague: Member, manager: Member
) -> None:
    persons = [PersonFactory(given_name=f"P{i}") for i in range(12)]
    org = OrganisationFactory(name="Zorggroep", sector="healthcare")
    for i, p in enumerate(persons):
        TieFactory(member=owner if i < 6 else colleague, person=p, strength=4)
        AffiliationFactory(person=p, organisation=org)
        if i % 6:
            TieFactory(member=None, other_person=persons[i - 1], person=p, strength=3)
    before = groups.communities(colleague.user)

    secret = PersonFactory(confidential=True, owner=manager)
    TieFactory(member=owner, person=secret, strength=5)
    TieFactory(member=colleague, person=secret, strength=5)
    for p in persons[::3]:
        TieFactory(member=None, other_person=secret, person=p, strength=5)
    AffiliationFactory(person=secret, organisation=org)
    forget_stored()

    assert groups.communities(colleague.user) == before
    assert groups.communities(manager.user) != before


def test_the_communities_page_lists_them(owner: Member, owner_client: Client) -> None:
    org = OrganisationFactory(name="Rijnbouw", sector="construction")
    people = [PersonFactory() for _ in range(4)]
    for i, p in enumerate(people):
        TieFactory(member=owner, person=p)
        AffiliationFactory(person=p, organisation=org)
        if i:
            TieFactory(member=None, other_person=people[i - 1], person=p)
    page = owner_client.get("/network/communities/")
    assert page.status_code == 200
    assert "Rijnbouw" in page.content.decode()
    assert "Bouw en vastgoed" in page.content.decode()
