"""Variety: the mix of stakeholder types, sectors, regions and tie ages, Shannon and Blau
indices, weak and strong ties, and the relations unlike the rest."""

from __future__ import annotations

import math
from collections import Counter

import pytest
from django.test import Client

from gilde.accounts.models import Member
from gilde.network import diversity
from gilde.network.graph import E_JOB, E_KNOWS, MEMBER, ORGANISATION, PERSON, Network, NetworkData
from gilde.network.loader import forget_stored
from gilde.network.variety import blau, shannon, variety_of
from tests.factories import AffiliationFactory, OrganisationFactory, PersonFactory, TieFactory


def test_shannon_and_blau_of_an_even_and_a_one_sided_mix() -> None:
    even = Counter({"a": 5, "b": 5})
    assert shannon(even) == pytest.approx(math.log(2))
    assert blau(even) == pytest.approx(0.5)
    assert shannon(Counter({"a": 10})) == 0
    assert blau(Counter({"a": 10})) == 0
    # What is not recorded does not count as a kind of its own.
    assert blau(Counter({"a": 3, "": 7})) == 0


def small() -> tuple[Network, int, int]:
    """Colleague 1 knows four persons at a care organisation in Utrecht; colleague 2 knows two
    of those and one person at an ICT company in Groningen, weakly."""
    data = NetworkData()
    one, two = data.add_node(MEMBER, 1), data.add_node(MEMBER, 2)
    care = data.add_node(ORGANISATION, 1, sector="healthcare", region="Utrecht")
    ict = data.add_node(ORGANISATION, 2, sector="ict", region="Groningen")
    persons = [data.add_node(PERSON, k) for k in range(1, 6)]
    for p in persons[:4]:
        data.add_edge(one, p, kind=E_KNOWS, strength=0.8, since=400)
        data.add_edge(p, care, kind=E_JOB, strength=0.6)
    data.add_edge(persons[4], ict, kind=E_JOB, strength=0.6)
    for p in persons[:2]:
        data.add_edge(two, p, kind=E_KNOWS, strength=0.5, since=30)
    data.add_edge(two, persons[4], kind=E_KNOWS, strength=0.2, since=30)
    return Network(data), one, two


def test_one_colleague_s_mix_beside_the_organisation_s() -> None:
    net, one, two = small()
    mine = variety_of(net, [one])
    assert mine.persons == 4 and mine.ties == 4
    assert mine.mixes["sector"].blau == 0  # all in care
    assert mine.mixes["age"].counts == Counter({"1-3": 4})
    everyone = variety_of(net, [one, two])
    assert everyone.persons == 5 and everyone.ties == 7
    assert everyone.mixes["sector"].counts == Counter({"healthcare": 4, "ict": 1})
    assert everyone.mixes["region"].blau == pytest.approx(1 - (0.8**2 + 0.2**2))
    assert everyone.weak_share == pytest.approx(1 / 7)
    assert everyone.strong_share == pytest.approx(4 / 7)


def test_the_person_in_another_sector_and_region_is_unlike_the_rest() -> None:
    net, one, two = small()
    found = variety_of(net, [two])
    assert found.unlike[0][0] == net.node(PERSON, 5)


@pytest.fixture
def network(owner: Member, colleague: Member) -> None:
    care = OrganisationFactory(name="Zorggroep", sector="healthcare", city="Utrecht")
    ict = OrganisationFactory(name="Bitfabriek", sector="ict", city="Groningen")
    for i in range(6):
        p = PersonFactory(given_name=f"Zorg{i}")
        AffiliationFactory(person=p, organisation=care)
        TieFactory(member=owner if i % 2 else colleague, person=p, strength=4)
    loner = PersonFactory(given_name="Anders")
    AffiliationFactory(person=loner, organisation=ict)
    TieFactory(member=colleague, person=loner, strength=1)


def _seen(user: object, members: list[Member]) -> list[object]:
    return [diversity.variety(user)] + [diversity.variety(user, member=m) for m in members]


def test_a_hidden_person_changes_no_variety_figure(
    network: None, owner: Member, colleague: Member, manager: Member
) -> None:
    before = _seen(colleague.user, [owner, colleague])
    secret = PersonFactory(confidential=True, owner=manager, given_name="Geheim")
    AffiliationFactory(person=secret, organisation=OrganisationFactory(sector="energy"))
    TieFactory(member=colleague, person=secret, strength=1)
    TieFactory(member=owner, person=secret, strength=5)
    forget_stored()
    assert _seen(colleague.user, [owner, colleague]) == before
    assert diversity.variety(manager.user).persons == before[0].persons + 1  # type: ignore[attr-defined]


def test_the_variety_page_shows_charts_and_the_unusual_relation(
    network: None, colleague: Member, owner_client: Client
) -> None:
    page = owner_client.get(f"/network/variety/?member={colleague.pk}")
    text = page.content.decode()
    assert page.status_code == 200
    assert 'data-chart="chart-variety-sector-data"' in text
    assert "Anders" in text
    assert '"labels": ["Zorg", "ICT"]' in text
