"""Choosing an organisation or person by typing: no select of every row, ids still validated."""

from __future__ import annotations

from django.urls import reverse

from gilde.relations.models import Affiliation, OrganisationLink
from tests.conftest import client_for
from tests.factories import OrganisationFactory, PersonFactory


def test_the_affiliation_form_lists_no_organisations(owner, owner_client):
    person = PersonFactory(owner=owner)
    for i in range(30):
        OrganisationFactory(name=f"Bouwbedrijf {i}")
    page = owner_client.get(reverse("affiliation_create", args=[person.pk])).content.decode()
    assert "Bouwbedrijf" not in page
    assert 'name="organisation"' in page and 'name="organisation__search"' in page


def test_the_search_finds_organisations_by_name(owner_client):
    OrganisationFactory(name="Rijnbouw Utrecht")
    OrganisationFactory(name="Deltazorg")
    html = owner_client.get(
        reverse("organisation_search"),
        {"field": "organisation", "box": "id_organisation", "organisation__search": "rijn"},
    ).content.decode()
    assert "Rijnbouw Utrecht" in html and "Deltazorg" not in html


def test_the_search_shows_at_most_ten_matches(owner_client):
    for i in range(15):
        OrganisationFactory(name=f"Veenstra {i:02d}")
    html = owner_client.get(
        reverse("organisation_search"),
        {"field": "organisation", "box": "b", "organisation__search": "veenstra"},
    ).content.decode()
    assert html.count('"choose": ') == 10


def test_choosing_returns_the_box_with_the_id(owner_client):
    org = OrganisationFactory(name="Rijnbouw")
    html = owner_client.get(
        reverse("organisation_search"),
        {"field": "organisation", "box": "id_organisation", "choose": org.pk},
    ).content.decode()
    assert f'name="organisation" value="{org.pk}"' in html and "Rijnbouw" in html


def test_choosing_an_unknown_id_answers_404(owner_client):
    response = owner_client.get(
        reverse("organisation_search"), {"field": "organisation", "box": "b", "choose": 999999}
    )
    assert response.status_code == 404


def test_a_strange_field_name_is_refused(owner_client):
    response = owner_client.get(
        reverse("organisation_search"), {"field": '"><script>', "box": "b", "choose": 1}
    )
    assert response.status_code == 400


def test_an_outsider_cannot_search(outsider):
    OrganisationFactory(name="Rijnbouw")
    response = client_for(outsider).get(
        reverse("organisation_search"), {"field": "o", "box": "b", "o__search": "rijn"}
    )
    assert response.status_code == 404


def test_the_person_search_hides_confidential_persons(owner, colleague):
    hidden = PersonFactory(family_name="Geheimhouder", confidential=True, owner=owner)
    PersonFactory(family_name="Openhart")
    params = {"field": "other_person", "box": "b", "other_person__search": "geheimhouder"}
    assert (
        "Geheimhouder" in client_for(owner).get(reverse("person_search"), params).content.decode()
    )
    assert "Geheimhouder" not in (
        client_for(colleague).get(reverse("person_search"), params).content.decode()
    )
    choose = {"field": "other_person", "box": "b", "choose": hidden.pk}
    assert client_for(colleague).get(reverse("person_search"), choose).status_code == 404


def test_the_affiliation_form_posts_an_id_and_saves(owner, owner_client):
    person = PersonFactory(owner=owner)
    org = OrganisationFactory()
    response = owner_client.post(
        reverse("affiliation_create", args=[person.pk]),
        {"organisation": org.pk, "role": "Directeur"},
    )
    assert response.status_code == 302
    assert Affiliation.objects.get(person=person).organisation == org


def test_a_bad_organisation_id_is_refused_and_nothing_saved(owner, owner_client):
    person = PersonFactory(owner=owner)
    for value in ("999999", "abc", ""):
        response = owner_client.post(
            reverse("affiliation_create", args=[person.pk]), {"organisation": value}
        )
        assert response.status_code == 200
        assert "errorlist" in response.content.decode()
    assert not Affiliation.objects.exists()


def test_the_edit_form_shows_the_chosen_organisation(owner, owner_client):
    person = PersonFactory(owner=owner)
    org = OrganisationFactory(name="Huidige Werkgever")
    affiliation = Affiliation.objects.create(person=person, organisation=org)
    page = owner_client.get(
        reverse("affiliation_edit", args=[person.pk, affiliation.pk])
    ).content.decode()
    assert "Huidige Werkgever" in page and f'value="{org.pk}"' in page


def test_an_organisation_cannot_be_linked_to_itself(owner, owner_client):
    org = OrganisationFactory(owner=owner)
    other = OrganisationFactory()
    url = reverse("organisation_link_create", args=[org.pk])
    assert owner_client.post(url, {"kind": "partner", "target": org.pk}).status_code == 200
    assert owner_client.post(url, {"kind": "partner", "target": other.pk}).status_code == 302
    assert list(OrganisationLink.objects.values_list("target_id", flat=True)) == [other.pk]


def test_the_parent_organisation_is_chosen_by_typing(owner, owner_client):
    parent = OrganisationFactory(name="Moederbedrijf Holding")
    for i in range(20):
        OrganisationFactory(name=f"Zusterbedrijf {i}")
    org = OrganisationFactory(owner=owner, parent=parent)
    page = owner_client.get(reverse("organisation_edit", args=[org.pk])).content.decode()
    assert "Moederbedrijf Holding" in page and "Zusterbedrijf" not in page


def test_the_new_person_form_lists_no_organisations(owner_client):
    OrganisationFactory(name="Bouwbedrijf Alfa")
    page = owner_client.get(reverse("person_create")).content.decode()
    assert "Bouwbedrijf Alfa" not in page and 'name="organisation__search"' in page
