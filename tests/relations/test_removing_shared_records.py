"""An unowned person or organisation (imported, or its owner left) is shared work: any networker
may improve it, but only a network manager may remove it with everything hanging off it."""

from __future__ import annotations

from django.urls import reverse

from gilde.relations.models import Organisation, Person
from tests.conftest import client_for
from tests.factories import OrganisationFactory, PersonFactory


def test_a_networker_may_not_remove_an_unowned_organisation(owner):
    shared = OrganisationFactory(owner=None)
    response = client_for(owner).post(reverse("organisation_delete", args=[shared.pk]))
    assert response.status_code == 403
    assert Organisation.objects.filter(pk=shared.pk).exists()


def test_a_networker_may_still_change_an_unowned_organisation(owner):
    shared = OrganisationFactory(owner=None)
    page = client_for(owner).get(reverse("organisation_detail", args=[shared.pk])).content
    assert reverse("organisation_edit", args=[shared.pk]).encode() in page
    assert reverse("organisation_delete", args=[shared.pk]).encode() not in page


def test_a_networker_may_not_remove_an_unowned_person(owner):
    shared = PersonFactory(owner=None)
    response = client_for(owner).post(reverse("person_delete", args=[shared.pk]))
    assert response.status_code == 403
    assert Person.objects.filter(pk=shared.pk).exists()


def test_a_networker_removes_their_own_organisation(owner):
    own = OrganisationFactory(owner=owner)
    client_for(owner).post(reverse("organisation_delete", args=[own.pk]))
    assert not Organisation.objects.filter(pk=own.pk).exists()


def test_a_network_manager_removes_an_unowned_organisation(manager):
    shared = OrganisationFactory(owner=None)
    page = client_for(manager).get(reverse("organisation_detail", args=[shared.pk])).content
    assert reverse("organisation_delete", args=[shared.pk]).encode() in page
    client_for(manager).post(reverse("organisation_delete", args=[shared.pk]))
    assert not Organisation.objects.filter(pk=shared.pk).exists()
