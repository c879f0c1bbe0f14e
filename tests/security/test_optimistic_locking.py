"""Two people editing the same relation or organisation: the second, stale save is refused with a
clear message instead of silently overwriting the first."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from gilde.accounts.services import api_token_create
from gilde.relations import services
from gilde.relations.models import Organisation, Person
from tests.conftest import client_for
from tests.factories import OrganisationFactory, PersonFactory

STALE = "Someone else changed this person since you opened it"
STALE_NL = "Iemand anders heeft deze persoon gewijzigd"


def _form_data(person: Person, **changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "family_name": person.family_name,
        "given_name": person.given_name,
        "language": "nl",
        "version": person.version,
    }
    data.update(changes)
    return data


def test_a_save_increments_the_version(owner):
    person = PersonFactory(owner=owner)
    services.person_update(actor=owner, person=person, given_name="Jan", version=1)
    assert Person.objects.get(pk=person.pk).version == 2


def test_a_stale_version_is_refused_and_changes_nothing(owner, manager):
    person = PersonFactory(owner=owner, given_name="Anna")
    first, second = Person.objects.get(pk=person.pk), Person.objects.get(pk=person.pk)
    services.person_update(actor=owner, person=first, given_name="Anke", version=first.version)
    with translation.override("en"), pytest.raises(ValidationError, match=STALE):
        services.person_update(
            actor=manager, person=second, given_name="Annie", version=second.version
        )
    fresh = Person.objects.get(pk=person.pk)
    assert fresh.given_name == "Anke" and fresh.version == 2


def test_two_editors_on_the_page_the_second_is_told_to_reload(owner, manager):
    person = PersonFactory(owner=owner, given_name="Anna")
    url = reverse("person_edit", args=[person.pk])
    # Both open the form at version 1.
    first, second = client_for(owner), client_for(manager)
    assert 'name="version" value="1"' in first.get(url).content.decode()
    assert 'name="version" value="1"' in second.get(url).content.decode()
    assert first.post(url, _form_data(person, given_name="Anke")).status_code == 302
    response = second.post(url, _form_data(person, given_name="Annie"))
    assert response.status_code == 200
    assert STALE_NL in response.content.decode()
    assert Person.objects.get(pk=person.pk).given_name == "Anke"


def test_the_message_is_dutch_in_the_dutch_interface(owner, manager):
    person = PersonFactory(owner=owner)
    services.person_update(actor=owner, person=person, given_name="X", version=1)
    with translation.override("nl"), pytest.raises(ValidationError) as caught:
        services.person_update(actor=manager, person=person, given_name="Y", version=1)
    assert "opnieuw" in " ".join(caught.value.messages)


def test_the_api_answers_409_to_a_stale_version(owner):
    person = PersonFactory(owner=owner)
    raw = api_token_create(member=owner, name="t")[1]
    client, headers = client_for(owner), {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    path = f"/api/v1/persons/{person.pk}"

    def patch(body: dict[str, object]):  # type: ignore[no-untyped-def]
        return client.patch(path, json.dumps(body), content_type="application/json", **headers)

    read = client.get(path, **headers).json()
    assert read["version"] == 1
    assert patch({"given_name": "Anke", "version": 1}).json()["version"] == 2
    stale = patch({"given_name": "Annie", "version": 1})
    assert stale.status_code == 409 and STALE_NL in stale.json()["detail"]
    assert client.get(path, **headers).json()["given_name"] == "Anke"


def test_the_api_without_a_version_still_saves(owner):
    person = PersonFactory(owner=owner)
    raw = api_token_create(member=owner, name="t")[1]
    response = client_for(owner).patch(
        f"/api/v1/persons/{person.pk}",
        json.dumps({"given_name": "Kees"}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {raw}",
    )
    assert response.status_code == 200 and response.json()["version"] == 2


# ---- organisations -----------------------------------------------------------------------------

ORG_STALE = "Someone else changed this organisation since you opened it"
ORG_STALE_NL = "Iemand anders heeft deze organisatie gewijzigd"


def _organisation_form_data(organisation: Organisation, **changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "name": organisation.name,
        "kind": organisation.kind,
        "sector": organisation.sector,
        "city": organisation.city,
        "version": organisation.version,
    }
    data.update(changes)
    return data


def test_saving_an_organisation_increments_its_version(owner):
    organisation = OrganisationFactory(owner=owner)
    services.organisation_update(actor=owner, organisation=organisation, city="Delft", version=1)
    assert Organisation.objects.get(pk=organisation.pk).version == 2


def test_a_stale_organisation_version_is_refused_and_changes_nothing(owner, manager):
    organisation = OrganisationFactory(owner=owner, city="Utrecht")
    first = Organisation.objects.get(pk=organisation.pk)
    second = Organisation.objects.get(pk=organisation.pk)
    services.organisation_update(actor=owner, organisation=first, city="Delft", version=1)
    with translation.override("en"), pytest.raises(ValidationError, match=ORG_STALE):
        services.organisation_update(
            actor=manager, organisation=second, city="Gouda", name="Anders", version=1
        )
    fresh = Organisation.objects.get(pk=organisation.pk)
    assert (fresh.city, fresh.name, fresh.version) == ("Delft", organisation.name, 2)


def test_the_organisation_message_is_dutch_in_the_dutch_interface(owner, manager):
    organisation = OrganisationFactory(owner=owner)
    services.organisation_update(actor=owner, organisation=organisation, city="X", version=1)
    with translation.override("nl"), pytest.raises(ValidationError) as caught:
        services.organisation_update(actor=manager, organisation=organisation, city="Y", version=1)
    assert caught.value.messages == [
        "Iemand anders heeft deze organisatie gewijzigd sinds u haar opende; laad de pagina "
        "opnieuw en voer uw wijziging nogmaals in."
    ]


def test_two_editors_of_an_organisation_the_second_is_told_to_reload(owner, manager):
    organisation = OrganisationFactory(owner=owner, city="Utrecht")
    url = reverse("organisation_edit", args=[organisation.pk])
    first, second = client_for(owner), client_for(manager)
    assert 'name="version" value="1"' in first.get(url).content.decode()
    assert 'name="version" value="1"' in second.get(url).content.decode()
    assert first.post(url, _organisation_form_data(organisation, city="Delft")).status_code == 302
    response = second.post(url, _organisation_form_data(organisation, city="Gouda"))
    assert response.status_code == 200
    assert ORG_STALE_NL in response.content.decode()
    fresh = Organisation.objects.get(pk=organisation.pk)
    assert (fresh.city, fresh.version) == ("Delft", 2)


def test_the_api_answers_409_to_a_stale_organisation_version(owner):
    organisation = OrganisationFactory(owner=owner, city="Utrecht")
    raw = api_token_create(member=owner, name="t")[1]
    client, headers = client_for(owner), {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    path = f"/api/v1/organisations/{organisation.pk}"

    def patch(body: dict[str, object]):  # type: ignore[no-untyped-def]
        return client.patch(path, json.dumps(body), content_type="application/json", **headers)

    assert client.get(path, **headers).json()["version"] == 1
    assert patch({"city": "Delft", "version": 1}).json()["version"] == 2
    stale = patch({"city": "Gouda", "name": "Anders", "version": 1})
    assert stale.status_code == 409 and ORG_STALE_NL in stale.json()["detail"]
    fresh = client.get(path, **headers).json()
    assert (fresh["city"], fresh["name"], fresh["version"]) == ("Delft", organisation.name, 2)


def test_the_api_without_an_organisation_version_still_saves(owner):
    organisation = OrganisationFactory(owner=owner)
    raw = api_token_create(member=owner, name="t")[1]
    response = client_for(owner).patch(
        f"/api/v1/organisations/{organisation.pk}",
        json.dumps({"city": "Delft"}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {raw}",
    )
    assert response.status_code == 200 and response.json()["version"] == 2
