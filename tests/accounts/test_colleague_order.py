"""Colleagues are listed in Dutch telephone-book order, as relations are."""

from __future__ import annotations

import re

from django.urls import reverse

from gilde.accounts.models import Role
from gilde.accounts.selectors import member_sort_key
from tests.conftest import client_for
from tests.factories import MemberFactory


def _member(first: str, last: str):
    return MemberFactory(user__first_name=first, user__last_name=last, role=Role.NETWORKER)


def test_a_tussenvoegsel_files_under_the_family_name():
    assert member_sort_key("Jeroen", "de Graaf") < member_sort_key("Anna", "Hendriks")
    assert member_sort_key("Jeroen", "de Graaf") > member_sort_key("Piet", "Faber")


def test_accented_names_sort_among_their_letters():
    assert member_sort_key("Ayşe", "Çelik") < member_sort_key("Dirk", "Dijkstra")
    assert member_sort_key("Mehmet", "Ünal") < member_sort_key("Vera", "Visser")


def test_the_colleagues_page_lists_names_the_dutch_way(db):
    viewer = _member("Marieke", "Zwart")
    for first, last in [
        ("Jeroen", "de Graaf"),
        ("Ayşe", "Çelik"),
        ("Mehmet", "Ünal"),
        ("Piet", "Faber"),
        ("Vera", "Visser"),
        ("Anna", "van Asselt"),
    ]:
        _member(first, last)
    page = client_for(viewer).get(reverse("member_list")).content.decode()
    table = page[page.index("<table") :]
    names = re.findall(r'<td><a href="[^"]+">([^<]+)</a></td>', table)
    assert names == [
        "Anna van Asselt",
        "Ayşe Çelik",
        "Piet Faber",
        "Jeroen de Graaf",
        "Mehmet Ünal",
        "Vera Visser",
        "Marieke Zwart",
    ]


def test_the_colleagues_page_still_counts_relations_known(db, owner, owner_client):
    from tests.factories import PersonFactory, TieFactory

    TieFactory(member=owner, person=PersonFactory(owner=owner))
    page = owner_client.get(reverse("member_list")).content.decode()
    table = page[page.index("<tbody>") :]
    row = table[table.index(owner.name) :].split("</tr>")[0]
    assert re.search(r">1</td>", row)
