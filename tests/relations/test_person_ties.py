"""Who knows whom between two relations, recorded and removed on the person page."""

from __future__ import annotations

from django.urls import reverse

from gilde.relations.models import Tie
from tests.conftest import client_for
from tests.factories import PersonFactory


def test_a_tie_between_two_relations_is_recorded(owner, owner_client):
    person = PersonFactory(owner=owner, family_name="Eerste")
    other = PersonFactory(owner=owner, given_name="Bram", tussenvoegsel="", family_name="Tweede")
    broker = PersonFactory(given_name="Cor", tussenvoegsel="", family_name="Verbinder")
    response = owner_client.post(
        reverse("person_tie_create", args=[person.pk]),
        {
            "other_person": other.pk,
            "strength": 4,
            "since": "2020-05-01",
            "how_met": "introduction",
            "introduced_by": broker.pk,
        },
    )
    assert response.status_code == 302
    tie = Tie.objects.get(member__isnull=True)
    assert {tie.person, tie.other_person} == {person, other}
    assert tie.strength == 4 and tie.introduced_by == broker
    page = owner_client.get(reverse("person_detail", args=[person.pk])).content.decode()
    assert "Bram Tweede" in page and "Cor Verbinder" in page


def test_the_same_pair_twice_is_refused_with_a_message(owner, owner_client):
    person, other = PersonFactory(owner=owner), PersonFactory(owner=owner)
    url = reverse("person_tie_create", args=[person.pk])
    owner_client.post(url, {"other_person": other.pk, "strength": 3})
    response = owner_client.post(url, {"other_person": other.pk, "strength": 2})
    assert response.status_code == 200 and "errorlist" in response.content.decode()
    assert Tie.objects.filter(member__isnull=True).count() == 1


def test_a_person_cannot_be_tied_to_themselves(owner, owner_client):
    person = PersonFactory(owner=owner)
    response = owner_client.post(
        reverse("person_tie_create", args=[person.pk]), {"other_person": person.pk, "strength": 3}
    )
    assert response.status_code == 200
    assert not Tie.objects.exists()


def test_a_tie_is_removed_from_the_person_page(owner, owner_client):
    person, other = PersonFactory(owner=owner), PersonFactory(owner=owner)
    low, high = sorted((person, other), key=lambda p: p.pk)
    tie = Tie.objects.create(person=low, other_person=high, strength=3)
    page = owner_client.get(reverse("person_detail", args=[person.pk])).content.decode()
    assert reverse("person_tie_delete", args=[person.pk, tie.pk]) in page
    response = owner_client.post(reverse("person_tie_delete", args=[person.pk, tie.pk]))
    assert response.status_code == 302
    assert not Tie.objects.exists()


def test_a_read_only_member_cannot_add_or_remove_ties(owner, reader):
    person, other = PersonFactory(owner=owner), PersonFactory(owner=owner)
    low, high = sorted((person, other), key=lambda p: p.pk)
    tie = Tie.objects.create(person=low, other_person=high, strength=3)
    client = client_for(reader)
    assert client.get(reverse("person_tie_create", args=[person.pk])).status_code == 403
    assert client.post(reverse("person_tie_delete", args=[person.pk, tie.pk])).status_code == 403
    assert Tie.objects.filter(pk=tie.pk).exists()


def test_a_colleague_may_not_remove_a_tie_of_someone_elses_relations(owner, colleague):
    person, other = PersonFactory(owner=owner), PersonFactory(owner=owner)
    low, high = sorted((person, other), key=lambda p: p.pk)
    tie = Tie.objects.create(person=low, other_person=high, strength=3)
    response = client_for(colleague).post(reverse("person_tie_delete", args=[person.pk, tie.pk]))
    assert response.status_code == 403
    assert Tie.objects.filter(pk=tie.pk).exists()


def test_a_network_manager_may_remove_a_tie_of_someone_elses_relations(owner, manager):
    person, other = PersonFactory(owner=owner), PersonFactory(owner=owner)
    low, high = sorted((person, other), key=lambda p: p.pk)
    tie = Tie.objects.create(person=low, other_person=high, strength=3)
    response = client_for(manager).post(reverse("person_tie_delete", args=[other.pk, tie.pk]))
    assert response.status_code == 302
    assert not Tie.objects.filter(pk=tie.pk).exists()


def test_an_outsider_gets_404(owner, outsider):
    person = PersonFactory(owner=owner)
    assert (
        client_for(outsider).get(reverse("person_tie_create", args=[person.pk])).status_code == 404
    )


def test_a_member_tie_cannot_be_removed_here(owner, owner_client):
    person = PersonFactory(owner=owner)
    tie = Tie.objects.create(person=person, member=owner, strength=3)
    response = owner_client.post(reverse("person_tie_delete", args=[person.pk, tie.pk]))
    assert response.status_code == 404
    assert Tie.objects.filter(pk=tie.pk).exists()
