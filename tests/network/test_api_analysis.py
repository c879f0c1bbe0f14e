"""The network API's communities, variety and conflicting interests: the pages' figures, from
the asking member's visible graph."""

from __future__ import annotations

import pytest

from gilde.accounts.models import Member
from gilde.events.models import ConflictPair
from gilde.network import groups
from gilde.network.loader import forget_stored
from tests.events.test_api import api
from tests.factories import AffiliationFactory, OrganisationFactory, PersonFactory, TieFactory
from tests.strategy.factories import ThemeFactory, ThemeLinkFactory

pytestmark = pytest.mark.django_db


def _chain(owner: Member) -> list:
    org = OrganisationFactory(name="Rijnbouw", sector="construction")
    people = [PersonFactory() for _ in range(4)]
    for i, p in enumerate(people):
        TieFactory(member=owner, person=p)
        AffiliationFactory(person=p, organisation=org)
        if i:
            TieFactory(member=None, other_person=people[i - 1], person=p)
    return people


def test_communities_through_the_api_are_the_pages(owner: Member) -> None:
    _chain(owner)
    found = api(owner)("get", "/network/communities").json()
    page = groups.communities(owner.user)
    assert found["ready"] is True and found["modularity"] == page.modularity
    assert found["largest"][0]["label"] == page.rows[0].label
    assert found["largest"][0]["organisations"][0]["name"] == "Rijnbouw"


def test_variety_of_the_organisation_and_of_one_colleague(owner: Member, colleague: Member) -> None:
    _chain(owner)
    call = api(owner)
    whole = call("get", "/network/variety").json()
    assert whole["persons"] == 4 and {d["key"] for d in whole["dimensions"]} == {
        "type", "sector", "region", "age"
    }  # fmt: skip
    mine = call("get", f"/network/variety?member_id={colleague.pk}").json()
    assert mine["label"] == colleague.name and mine["persons"] == 0
    assert call("get", "/network/variety?member_id=999999").status_code == 404


def test_conflicts_list_pairs_organisations_and_opposite_theme_roles(
    owner: Member, colleague: Member, manager: Member
) -> None:
    a, b = PersonFactory(given_name="Anouk"), PersonFactory(given_name="Bart")
    first, second = sorted((a, b), key=lambda p: p.pk)
    ConflictPair.objects.create(person_a=first, person_b=second, reason="Erfenis")
    theme = ThemeFactory(name="Kernenergie")
    ThemeLinkFactory(theme=theme, person=a, role="critic")
    ThemeLinkFactory(theme=theme, organisation=OrganisationFactory(name="Atoomgroep"))
    found = api(owner)("get", "/network/conflicts").json()
    assert [p["reason"] for p in found["pairs"]] == ["Erfenis"]
    assert found["themes"] == [{
        "theme": "Kernenergie",
        "critics": [{"type": "person", "id": a.pk, "name": a.full_name}],
        "partners": [{"type": "organisation", "id": found["themes"][0]["partners"][0]["id"],
                      "name": "Atoomgroep"}],
        "critics_total": 1, "partners_total": 1,
    }]  # fmt: skip
    secret = PersonFactory(confidential=True, owner=manager)
    ThemeLinkFactory(theme=theme, person=secret, role="partner")
    forget_stored()
    seen = api(colleague)("get", "/network/conflicts").json()
    assert all(x["id"] != secret.pk for row in seen["themes"] for x in row["partners"])
    assert api(manager)("get", "/network/conflicts").json() != seen
