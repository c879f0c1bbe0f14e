"""A theme's coverage, the heatmap theme × stakeholder type and the gaps with candidates two
steps away; a confidential relation changes nothing for a member who may not see them."""

from __future__ import annotations

import pytest
from django.urls import reverse

from gilde import visibility
from gilde.maintenance.services import network_recompute
from gilde.relations.models import StakeholderType
from gilde.strategy import selectors
from tests.factories import (
    AffiliationFactory,
    ContactMomentFactory,
    OrganisationFactory,
    PersonFactory,
    TieFactory,
)
from tests.strategy.factories import ThemeFactory, ThemeLinkFactory


@pytest.fixture
def types(db):
    return {
        code: StakeholderType.objects.get_or_create(
            code=code, defaults={"name_nl": nl, "name_en": en}
        )[0]
        for code, nl, en in (("government", "Overheid", "Government"), ("press", "Pers", "Press"))
    }


def _person(stakeholder_type, **kwargs):
    person = PersonFactory(**kwargs)
    person.stakeholder_types.add(stakeholder_type)
    return person


def test_the_heatmap_counts_linked_relations_and_those_a_colleague_knows(owner, types):
    theme = ThemeFactory(name="Energie")
    known = _person(types["government"])
    TieFactory(person=known, member=owner, strength=5)
    for _ in range(4):
        ContactMomentFactory(persons=[known], members=[owner], kind="meeting")
    ThemeLinkFactory(theme=theme, person=known)
    ThemeLinkFactory(theme=theme, person=_person(types["government"]))
    network_recompute()
    heat = selectors.heatmap(user=owner.user)
    cell = heat.cells[(theme.pk, types["government"].pk)]
    assert (cell.linked, cell.covered) == (2, 1)
    assert (theme.pk, types["press"].pk) not in heat.cells


def test_the_heatmap_page_shows_the_cells_and_the_chart(owner_client, types):
    theme = ThemeFactory(name="Arbeidsmarkt techniek")
    ThemeLinkFactory(theme=theme, person=_person(types["press"]))
    page = owner_client.get(reverse("strategy:heatmap")).content.decode()
    assert "Arbeidsmarkt techniek" in page and "0/1" in page and "chart-coverage-data" in page


def test_a_gap_names_candidates_two_steps_away(owner, owner_client, types):
    theme = ThemeFactory()
    insider = _person(types["government"], family_name="Binnen")
    ThemeLinkFactory(theme=theme, person=insider)
    journalist = _person(types["press"], family_name="Journalist")
    TieFactory(person=journalist, other_person=insider, member=None)
    organisation = OrganisationFactory(name="Dagblad")
    AffiliationFactory(person=insider, organisation=organisation)
    colleague_there = _person(types["press"], family_name="Redacteur")
    AffiliationFactory(person=colleague_there, organisation=organisation)
    cover = selectors.coverage(user=owner.user, theme=theme)
    gaps = selectors.gaps(user=owner.user, theme=theme, cover=cover)
    press = next(g for g in gaps if g.stakeholder_type == types["press"])
    assert {c.person for c in press.candidates} == {journalist, colleague_there}
    page = owner_client.get(reverse("strategy:theme", args=[theme.pk])).content.decode()
    assert "Journalist" in page and "kent" in page and "werkt bij Dagblad" in page


def test_an_organisation_nobody_knows_anyone_at_is_named(owner, types):
    theme = ThemeFactory()
    unknown = OrganisationFactory(name="Onbekend BV")
    ThemeLinkFactory(theme=theme, organisation=unknown)
    known_org = OrganisationFactory(name="Bekend BV")
    ThemeLinkFactory(theme=theme, organisation=known_org)
    TieFactory(person=AffiliationFactory(organisation=known_org).person, member=owner)
    cover = selectors.coverage(user=owner.user, theme=theme)
    assert cover.unknown_organisations == [unknown]


def test_a_hidden_person_changes_no_count_cell_or_candidate(owner, colleague, types):
    theme = ThemeFactory()
    insider = _person(types["government"])
    ThemeLinkFactory(theme=theme, person=insider)
    before = _figures(colleague.user, theme)
    secret = _person(types["press"], family_name="Geheim", confidential=True, owner=owner)
    assert not visibility.persons(colleague.user).filter(pk=secret.pk).exists()
    ThemeLinkFactory(theme=theme, person=secret)
    TieFactory(person=secret, member=owner, strength=5)
    candidate = _person(types["government"], family_name="Verstopt", confidential=True, owner=owner)
    TieFactory(person=candidate, other_person=insider, member=None)
    network_recompute()
    assert _figures(colleague.user, theme) == before
    assert _figures(owner.user, theme) != before  # the owner does see them


def _figures(user, theme):
    cover = selectors.coverage(user=user, theme=theme)
    heat = selectors.heatmap(user=user)
    return (
        [r.link.pk for r in cover.rows],
        cover.by_role,
        cover.by_type,
        [t.code for t in cover.types_missing],
        cover.strong,
        cover.weak,
        {k: (c.linked, c.covered) for k, c in heat.cells.items()},
        selectors.theme_counts(user=user),
        sorted(p.pk for p in selectors.persons_on_theme(theme, user)),
        [
            [c.person.pk for c in g.candidates]
            for g in selectors.gaps(user=user, theme=theme, cover=cover)
        ],
    )
