"""Goals, themes and the relations linked to them: the pages, the panel on relation pages and
the theme filter of the relations list and its export."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from gilde.strategy import selectors, services
from gilde.strategy.models import Theme, ThemeLink
from tests.conftest import client_for
from tests.factories import OrganisationFactory, PersonFactory
from tests.strategy.factories import GoalFactory, ThemeFactory, ThemeLinkFactory


def test_a_network_manager_defines_a_goal_and_a_theme_on_the_pages(manager_client, manager):
    response = manager_client.post(
        reverse("strategy:goal_new"),
        {"title": "Duurzame regio", "values": "Verantwoordelijkheid", "order": 0},
    )
    assert response.status_code == 302
    goal = (
        manager.user and __import__("gilde.strategy.models", fromlist=["Goal"]).Goal.objects.get()
    )
    response = manager_client.post(
        reverse("strategy:theme_new"),
        {
            "goal": goal.pk,
            "name": "Energietransitie in de regio",
            "we_want": "Kennis van netcongestie",
            "we_offer": "Ons netwerk van installateurs",
            "owner": manager.pk,
            "starts_on": "2026-01-01",
            "ends_on": "2027-12-31",
        },
    )
    theme = Theme.objects.get()
    assert response.status_code == 302 and response["Location"] == theme.get_absolute_url()
    page = manager_client.get(reverse("strategy:overview")).content.decode()
    assert "Energietransitie in de regio" in page and "Verantwoordelijkheid" in page


def test_a_theme_period_must_be_in_order(manager):
    with pytest.raises(ValidationError):
        services.theme_save(
            actor=manager,
            goal=GoalFactory(),
            name="X",
            starts_on=__import__("datetime").date(2027, 1, 1),
            ends_on=__import__("datetime").date(2026, 1, 1),
        )
    assert not Theme.objects.exists()


def test_only_a_network_manager_changes_goals(owner, owner_client):
    with pytest.raises(PermissionDenied):
        services.goal_save(actor=owner, title="Eigen doel")
    assert owner_client.get(reverse("strategy:goal_new")).status_code == 403


def test_a_networker_links_a_person_from_the_panel_and_sees_it(owner, owner_client):
    theme = ThemeFactory(name="Arbeidsmarkt techniek")
    person = PersonFactory(owner=owner)
    url = reverse("strategy:person_link", args=[person.pk])
    response = owner_client.post(
        url,
        {"theme": theme.pk, "role": "decision_maker", "importance": 3, "note": ""},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert "Arbeidsmarkt techniek" in response.content.decode()
    link = ThemeLink.objects.get()
    assert (link.person, link.role, link.importance) == (person, "decision_maker", 3)
    page = owner_client.get(reverse("person_detail", args=[person.pk])).content.decode()
    assert "Arbeidsmarkt techniek" in page and "Beslisser" in page


def test_an_organisation_page_shows_its_themes(owner, owner_client):
    organisation = OrganisationFactory()
    ThemeLinkFactory(organisation=organisation, theme__name="Zorg in de wijk", role="expert")
    page = owner_client.get(reverse("organisation_detail", args=[organisation.pk]))
    assert "Zorg in de wijk" in page.content.decode()


def test_linking_twice_changes_the_role_instead_of_adding(owner):
    theme, person = ThemeFactory(), PersonFactory()
    services.theme_link_set(actor=owner, theme=theme, person=person, role="expert")
    services.theme_link_set(actor=owner, theme=theme, person=person, role="critic", importance=1)
    assert list(ThemeLink.objects.values_list("role", "importance")) == [("critic", 1)]


def test_a_link_names_a_person_or_an_organisation(owner):
    with pytest.raises(ValidationError):
        services.theme_link_set(actor=owner, theme=ThemeFactory(), role="expert")


def test_the_relations_list_and_export_filter_by_theme(owner, owner_client):
    theme = ThemeFactory()
    on = PersonFactory(family_name="Opthema")
    PersonFactory(family_name="Ernaast")
    ThemeLinkFactory(theme=theme, person=on)
    page = owner_client.get(reverse("person_list"), {"theme": theme.pk}).content.decode()
    assert "Opthema" in page and "Ernaast" not in page
    export = owner_client.post(reverse("person_export"), {"theme": theme.pk, "format": "csv"})
    body = export.content.decode("utf-8-sig")
    assert "Opthema" in body and "Ernaast" not in body


def test_persons_on_theme_includes_people_at_a_linked_organisation(owner):
    from tests.factories import AffiliationFactory

    theme = ThemeFactory()
    organisation = OrganisationFactory()
    ThemeLinkFactory(theme=theme, organisation=organisation)
    worker = AffiliationFactory(organisation=organisation).person
    direct = ThemeLinkFactory(theme=theme, person=PersonFactory()).person
    assert set(selectors.persons_on_theme(theme, owner.user)) == {worker, direct}


def test_a_colleague_who_did_not_link_it_cannot_unlink(owner, colleague):
    link = ThemeLinkFactory(person=PersonFactory(), created_by=owner)
    response = client_for(colleague).post(reverse("strategy:link_remove", args=[link.pk]))
    assert response.status_code == 403
    assert ThemeLink.objects.filter(pk=link.pk).exists()
