"""Candidates for a theme's gap on the network graph: two steps from the theme, ranked by the
warmest path a colleague has to them, with that path in words; nobody hidden from the asking
member is a candidate or on the way; without a stored graph the database answers and the
graph is queued for building."""

from __future__ import annotations

import pytest
from django.urls import reverse

from gilde.core.models import Job
from gilde.maintenance.services import network_recompute
from gilde.network.loader import network_graph_build
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
    person = PersonFactory(**{"tussenvoegsel": "", **kwargs})
    person.stakeholder_types.add(stakeholder_type)
    return person


def _knows(member, person, meetings=6):
    TieFactory(person=person, member=member, strength=5)
    for _ in range(meetings):
        ContactMomentFactory(persons=[person], members=[member], kind="meeting")


@pytest.fixture
def network(owner, colleague, types):
    """A theme with one linked official, Bram Binnen, whom the owner knows well. Two journalists
    are two steps away: Jet knows Bram; Redacteur works with him at the Dagblad. A third,
    Verre, works at the Dagblad too and is known directly by the colleague, only slightly."""
    theme = ThemeFactory(name="Energie")
    insider = _person(types["government"], given_name="Bram", family_name="Binnen")
    ThemeLinkFactory(theme=theme, person=insider)
    _knows(owner, insider)
    journalist = _person(types["press"], given_name="Jet", family_name="Journalist")
    TieFactory(person=journalist, other_person=insider, member=None, strength=5)
    paper = OrganisationFactory(name="Dagblad")
    AffiliationFactory(person=insider, organisation=paper)
    editor = _person(types["press"], given_name="Rik", family_name="Redacteur")
    AffiliationFactory(person=editor, organisation=paper)
    network_recompute()
    return {
        "theme": theme,
        "insider": insider,
        "journalist": journalist,
        "editor": editor,
        "paper": paper,
    }


def _press(user, theme, types):
    cover = selectors.coverage(user=user, theme=theme)
    return next(
        g
        for g in selectors.gaps(user=user, theme=theme, cover=cover)
        if g.stakeholder_type == types["press"]
    )


def test_candidates_come_from_the_graph_warmest_first_with_the_path_in_words(owner, network, types):
    network_graph_build()
    press = _press(owner.user, network["theme"], types)
    assert [c.person for c in press.candidates] == [network["journalist"], network["editor"]]
    journalist, editor = press.candidates
    assert (journalist.via, journalist.via_name) == ("person", "Bram Binnen")
    assert (editor.via, editor.via_name) == ("organisation", "Dagblad")
    assert journalist.joined and "Bram Binnen" in journalist.reason
    assert owner.name in journalist.reason
    assert not editor.joined
    assert "via Bram Binnen" in editor.reason


def test_a_colleague_who_knows_a_candidate_directly_is_named(owner, colleague, network, types):
    _knows(colleague, network["editor"], meetings=8)
    network_recompute()
    network_graph_build()
    press = _press(owner.user, network["theme"], types)
    editor = next(c for c in press.candidates if c.person == network["editor"])
    assert colleague.name in editor.reason and "via" not in editor.reason


def test_the_theme_page_shows_the_reason_in_dutch_and_english(owner, owner_client, network):
    network_graph_build()
    url = reverse("strategy:theme", args=[network["theme"].pk])
    dutch = owner_client.get(url, headers={"accept-language": "nl"}).content.decode()
    assert "kent Bram Binnen, die Jeroen" in dutch and "heel goed kent" in dutch
    assert "werkt bij Dagblad · via Bram Binnen, die" in dutch
    owner_client.cookies.load({"django_language": "en"})
    english = owner_client.get(url, headers={"accept-language": "en"}).content.decode()
    assert "knows Bram Binnen, whom Jeroen" in english
    assert "works at Dagblad · via Bram Binnen, whom" in english


def test_nobody_hidden_is_a_candidate_or_on_the_way(owner, colleague, network, types):
    secret_press = _person(types["press"], family_name="Geheim", confidential=True, owner=owner)
    TieFactory(person=secret_press, other_person=network["insider"], member=None)
    # A confidential person the colleague may not see, linked and known, leads to a candidate
    # for the owner only.
    secret_link = _person(
        types["government"], given_name="Stil", family_name="Lid", confidential=True, owner=owner
    )
    ThemeLinkFactory(theme=network["theme"], person=secret_link)
    _knows(owner, secret_link)
    behind = _person(types["press"], given_name="Achter", family_name="Deur")
    TieFactory(person=behind, other_person=secret_link, member=None, strength=5)
    network_recompute()
    network_graph_build()
    for_owner = {c.person for c in _press(owner.user, network["theme"], types).candidates}
    assert {secret_press, behind} <= for_owner
    for_colleague = _press(colleague.user, network["theme"], types).candidates
    assert secret_press not in {c.person for c in for_colleague}
    assert behind not in {c.person for c in for_colleague}
    assert all("Stil" not in c.reason and "Geheim" not in c.reason for c in for_colleague)


def test_without_a_stored_graph_the_database_answers_and_the_graph_is_queued(
    owner, network, types, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        press = _press(owner.user, network["theme"], types)
    assert {c.person for c in press.candidates} == {network["journalist"], network["editor"]}
    assert all(c.reason == "" for c in press.candidates)
    assert Job.objects.filter(kind="network.graph").count() == 1
    _press(owner.user, network["theme"], types)  # asked again: queued once
    assert Job.objects.filter(kind="network.graph").count() == 1


def test_a_type_nobody_has_is_named_apart_from_the_gaps_with_candidates(
    owner, owner_client, network, types
):
    StakeholderType.objects.exclude(code__in=["government", "press"]).delete()
    StakeholderType.objects.create(code="investor", name_nl="Investeerder", name_en="Investor")
    network_graph_build()
    cover = selectors.coverage(user=owner.user, theme=network["theme"])
    gaps = selectors.gaps(user=owner.user, theme=network["theme"], cover=cover)
    assert [(g.stakeholder_type.code, g.anyone) for g in gaps] == [
        ("press", True),
        ("investor", False),
    ]
    page = owner_client.get(reverse("strategy:theme", args=[network["theme"].pk])).content.decode()
    assert "Nog niemand in het netwerk heeft een van deze soorten: Investeerder." in page
    assert page.count('class="gap"') == 1


def test_a_type_only_a_hidden_person_has_counts_as_nobodys_for_who_may_not_see_them(
    owner, colleague, network, types
):
    investor = StakeholderType.objects.get_or_create(
        code="investor", defaults={"name_nl": "Investeerder", "name_en": "Investor"}
    )[0]
    _person(investor, family_name="Geldschieter", confidential=True, owner=owner)
    network_graph_build()
    for member, anyone in ((owner, True), (colleague, False)):
        cover = selectors.coverage(user=member.user, theme=network["theme"])
        gaps = selectors.gaps(user=member.user, theme=network["theme"], cover=cover)
        assert next(g for g in gaps if g.stakeholder_type == investor).anyone is anyone


def test_a_process_holding_the_graph_reads_only_its_build_time_from_the_cache(owner, network):
    from django.core.cache import cache

    from gilde.network import loader

    network_graph_build()
    first, built = loader.network()
    reads = []
    original = cache.get
    cache.get = lambda key, *args, **kwargs: reads.append(key) or original(key, *args, **kwargs)
    try:
        again, built_again = loader.network()
    finally:
        cache.get = original
    assert again is first and built_again == built
    assert loader.CACHE_KEY not in reads and loader.BUILT_KEY in reads
    network_graph_build()  # a rebuild: the next question gets the new graph
    assert loader.network()[0] is not first
